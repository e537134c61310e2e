#!/usr/bin/env python3
"""Scores the triage CLI on a labelled set: wrongly eligible (must be 0), eligible recall,
review share; with --show, every call decided differently from its label.

    python3 eval/score.py eval/dev/dev.jsonl [--bin target/release/dispatch-server] [--show]
"""
import json, subprocess, sys, argparse

ap = argparse.ArgumentParser()
ap.add_argument("sets", nargs="+")
ap.add_argument("--bin", default="target/release/dispatch-server")
ap.add_argument("--config")
ap.add_argument("--show", action="store_true")
args = ap.parse_args()

for path in args.sets:
    calls = [json.loads(l) for l in open(path, encoding="utf-8") if l.strip()]
    cmd = [args.bin, "triage", "--input", path] + (["--config", args.config] if args.config else [])
    out = subprocess.run(cmd, capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"{path}: triage failed: {out.stderr}")
    got = {d["call_id"]: d for d in map(json.loads, out.stdout.splitlines())}
    wrong, missed, eligible, recalled, review, over = [], [], 0, 0, 0, []
    for c in calls:
        want = c["expected"]["decision"]
        d = got[c["call_id"]]
        if d["decision"] == "review":
            review += 1
        if d["decision"] == "eligible" and want != "eligible":
            wrong.append((c, d))
        if want == "eligible":
            eligible += 1
            if d["decision"] == "eligible":
                recalled += 1
            else:
                missed.append((c, d))
    print(json.dumps({"set": path, "calls": len(calls), "dangerous": len(calls) - eligible,
                      "wrongly_eligible": len(wrong), "eligible_recall": round(recalled / max(eligible, 1), 3),
                      "review_share": round(review / len(calls), 3)}))
    if args.show:
        for label, items in (("WRONGLY ELIGIBLE", wrong), ("MISSED", missed)):
            for c, d in items:
                reasons = "; ".join(f"{r['rule']}={r['evidence'][:60]}" for r in d["reasons"])
                print(f"{label} {c['call_id']} [{c['expected'].get('concept', c['expected'].get('danger'))}] "
                      f"{c['nature_code']}|{c['nature_text']} :: {' / '.join(c['narrative']) if isinstance(c['narrative'], list) else c['narrative']}\n"
                      f"    -> {d['decision']} {reasons}")
