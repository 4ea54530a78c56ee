#!/usr/bin/env python3
"""Writes a large synthetic dataset for the loader benchmark: python3 make_large_dataset.py OUT MB"""
import json
import random
import sys

out, megabytes = sys.argv[1], float(sys.argv[2])
rng = random.Random(7)
words = "memory user prefers coffee flight allergy meeting birthday project deadline garden train".split()
limit = int(megabytes * 1024 * 1024)
written = 0
q = 0
with open(out, "w") as f:
    while written < limit:
        cands = [{"id": f"m{c}", "text": " ".join(rng.choice(words) for _ in range(rng.randint(8, 30))),
                  "relevance": rng.randint(0, 2), "score": round(rng.random(), 4)} for c in range(rng.randint(8, 20))]
        line = json.dumps({"query_id": f"q{q}", "query": " ".join(rng.choice(words) for _ in range(6)), "candidates": cands}) + "\n"
        f.write(line)
        written += len(line)
        q += 1
print(f"{out}: {q} queries, {written / 1048576:.1f} MB")
