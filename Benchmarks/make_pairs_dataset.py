#!/usr/bin/env python3
"""Writes a dataset of QUERIES queries with CANDIDATES candidates each, for the large-run
benchmark (issue 16): python3 make_pairs_dataset.py OUT QUERIES CANDIDATES

Deterministic (seed 7). Labels 0-2 and a first-stage score on every candidate; memories of
2-6 words from the word list of make_large_dataset.py, so the lexical baseline has something
to rank. 10,000 x 100 is 87 MB (the file issue 16 measured was 71 MB)."""
import json
import random
import sys

out, queries, candidates = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rng = random.Random(7)
words = "memory user prefers coffee flight allergy meeting birthday project deadline garden train".split()
with open(out, "w") as f:
    for q in range(queries):
        cands = [{"id": f"m{c}", "text": " ".join(rng.choice(words) for _ in range(rng.randint(2, 6))),
                  "relevance": rng.randint(0, 2), "score": round(1 - c / candidates, 4)} for c in range(candidates)]
        f.write(json.dumps({"query_id": f"q{q}", "query": " ".join(rng.choice(words) for _ in range(6)),
                            "candidates": cands}) + "\n")
print(f"{out}: {queries} queries x {candidates} candidates = {queries * candidates} pairs")
