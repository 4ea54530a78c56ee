#!/usr/bin/env python3
"""Writes a dataset of QUERIES queries with CANDIDATES candidates each, for the large-run
benchmark (issue 16): python3 make_pairs_dataset.py OUT QUERIES CANDIDATES

Deterministic (seed 7). Labels 0-2 and a first-stage score on every candidate; the same
word list as make_large_dataset.py, so the lexical baseline has something to rank."""
import json
import random
import sys

out, queries, candidates = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rng = random.Random(7)
words = "memory user prefers coffee flight allergy meeting birthday project deadline garden train".split()
with open(out, "w") as f:
    for q in range(queries):
        cands = [{"id": f"m{c}", "text": " ".join(rng.choice(words) for _ in range(rng.randint(8, 30))),
                  "relevance": rng.randint(0, 2), "score": round(1 - c / candidates, 4)} for c in range(candidates)]
        f.write(json.dumps({"query_id": f"q{q}", "query": " ".join(rng.choice(words) for _ in range(6)),
                            "candidates": cands}) + "\n")
print(f"{out}: {queries} queries x {candidates} candidates = {queries * candidates} pairs")
