#!/usr/bin/env python3
"""Fills `[spelling] known_words` in the danger model: the real English and Spanish words one
edit away from a long danger word of the model (e.g. "shouting" from "shooting"), so the
misspelling tolerance never turns them into dangers.

Word lists: wordfreq 3.1 (github.com/rspeer/wordfreq; data CC BY-SA 4.0, by Robyn Speer),
`large_en` and `large_es`, words with a frequency of at least 1 in 10 million. Needs the
wheel unpacked and msgpack importable:

    pip download --no-deps wordfreq && unzip wordfreq-*.whl -d /tmp/wf
    pip install --target /tmp/pylib msgpack
    PYTHONPATH=/tmp/pylib python3 eval/known_words.py /tmp/wf/wordfreq/data
"""
import gzip, re, sys, tomllib, unicodedata
import msgpack

MODEL = "crates/dispatch-core/src/triage/danger/danger.toml"
MIN_FREQ_BIN = 700  # centibels: 10^-7


def fold(text):
    text = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in text if not unicodedata.combining(c))


def words(phrase):
    return re.findall(r"[^\W_]+", fold(phrase.lstrip("=")).replace("'", "").replace("’", ""))


def deletions(w):
    return {w[:i] + w[i + 1:] for i in range(len(w))}


def main(data_dir):
    text = open(MODEL, encoding="utf-8").read()
    model = tomllib.loads(text)
    min_len = model["spelling"]["min_length"]
    vocab, danger = set(), set()

    def add(phrases, is_danger):
        for p in phrases:
            for w in words(p):
                vocab.add(w)
                if is_danger and len(w) >= min_len:
                    danger.add(w)

    for c in model["concepts"]:
        is_danger = c["severity"] not in ("need", "nuisance")
        add(c.get("terms", []), is_danger)
        for combo in c.get("combos", []):
            for part in combo["parts"]:
                add(part, is_danger)
        add(c.get("except", []), False)
    add(model["benign"], False)
    for key in ("before", "after", "fillers"):
        add(model["negation"][key], False)
    index = {}
    for w in danger:
        for v in {w} | deletions(w):
            index.setdefault(v, w)
    known = set()
    for lang in ("en", "es"):
        bins = msgpack.load(gzip.open(f"{data_dir}/large_{lang}.msgpack.gz"), raw=False)
        for cb, ws in enumerate(bins[1:]):
            if cb > MIN_FREQ_BIN:
                break
            for w in ws:
                w = fold(w)
                if not w.isalpha() or len(w) + 1 < min_len or w in vocab:
                    continue
                if any(v in index for v in {w} | deletions(w)):
                    known.add(w)
    known = sorted(known)
    lines, line = [], "    "
    for w in known:
        item = f'"{w}", '
        if len(line) + len(item) > 96:
            lines.append(line.rstrip())
            line = "    "
        line += item
    lines.append(line.rstrip())
    block = "known_words = [\n" + "\n".join(lines) + "\n]"
    text = re.sub(r"known_words = \[[^\]]*\]", lambda _: block, text, count=1)
    open(MODEL, "w", encoding="utf-8").write(text)
    print(f"{len(known)} known words from {len(danger)} long danger words")


if __name__ == "__main__":
    main(sys.argv[1])
