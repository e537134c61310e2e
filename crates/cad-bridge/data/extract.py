#!/usr/bin/env python3
"""Builds seattle-calls-sample.csv from the Seattle Police Department call data in
../shared/data/seattle/ (see README.md here). Run from the project root:
    python3 crates/cad-bridge/data/extract.py ../shared/data/seattle
Values are copied untouched; only the hour of day is computed from `Original Time Queued`.
Officer-initiated and administrative call types (parking, alarms, premise checks, on-view
stops, follow-ups) are left out: they are not calls from the public."""
import csv, random, sys
from datetime import datetime

src = sys.argv[1] if len(sys.argv) > 1 else "../shared/data/seattle"
SKIP = ("PARKING", "ALARM", "PREMISE CHECK", "ONVIEW", "FOLLOW UP", "OBS -", "TRU -", "AUTO RECOVERY",
        "AUTO - THEFT/LOSS OF PLATES", "--")
keep = lambda t: t and not any(s in t for s in SKIP)
rows = []
for r in csv.DictReader(open(f"{src}/spd-calls-denny-blaine-2018-2023.csv")):
    t = r["Initial Call Type"]
    if keep(t):
        hour = datetime.strptime(r["Original Time Queued"], "%m/%d/%Y %I:%M:%S %p").hour
        rows.append((t, r["Priority"], str(hour)))
madison = [(r["Initial.Call.Type"], r["Priority"], "") for r in
           csv.DictReader(open(f"{src}/spd-calls-madison-beach-2010-2024.csv")) if keep(r["Initial.Call.Type"])]
random.seed(2024)
rows += random.sample(madison, 600)
with open("crates/cad-bridge/data/seattle-calls-sample.csv", "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["initial_call_type", "priority", "hour_of_day"])
    w.writerows(rows)
print(len(rows), "rows")
