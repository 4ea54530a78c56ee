#!/usr/bin/env python3
"""Builds the sample datasets in Datasets/ from the hand-written sources beside this script.

    python3 Datasets/build/build_samples.py

Deterministic (fixed seed): re-running it reproduces the committed files byte for byte.
First-stage scores simulate a vector search: they follow word overlap with the query and the
label, plus noise, and hard negatives get a topical boost, so the baseline order is plausible
but imperfect, as a real embedding search is.
"""
import json
import os
import random
import re

import eng_notes
import personal_memories

STOP = set("""a an the and or but of to in on at for with by from is are was were be been am do does
did i me my we our you your he she it its they them their this that these those what which who whom
when where why how should would could can will have has had not no so as if about any some there
here into than then too very just also up out s""".split())


def terms(text):
    out = set()
    for w in re.findall(r"[a-z0-9]+", text.lower()):
        if w in STOP:
            continue
        for suf in ("ies", "ing", "ed", "es", "s"):
            if len(w) > 4 and w.endswith(suf):
                w = w[: -len(suf)]
                break
        out.add(w)
    return out


def build(module, name, seed):
    rng = random.Random(seed)
    lines = []
    for index, (qid, user, query, graded, hard) in enumerate(module.QUERIES):
        pool = module.USERS[user]
        for mid in list(graded) + hard:
            assert mid in pool, (qid, mid)
        chosen = list(graded) + [h for h in hard if h not in graded]
        others = [m for m in pool if m not in chosen]
        rng.shuffle(others)
        target = rng.randint(9, 16)
        filler = others[: max(0, target - len(chosen))]
        qt = terms(query)
        candidates = []
        for mid in chosen + filler:
            text = pool[mid]
            mt = terms(text)
            overlap = len(qt & mt) / max(1, len(qt))
            grade = graded.get(mid, 0)
            score = 0.50 + 0.30 * overlap + 0.05 * grade + rng.gauss(0, 0.07)
            if mid in hard:
                score += 0.10
            score = round(min(0.97, max(0.20, score)), 3)
            cand = {"id": mid, "text": text, "relevance": grade, "score": score}
            candidates.append(cand)
        # Every fourth query keeps one filler memory unjudged, as real judgment pools do.
        if index % 4 == 3 and filler:
            for c in candidates:
                if c["id"] == filler[-1]:
                    del c["relevance"]
        candidates.sort(key=lambda c: -c["score"])
        lines.append(json.dumps({"query_id": qid, "query": query, "user_id": user, "candidates": candidates},
                                ensure_ascii=False))
    here = os.path.dirname(os.path.abspath(__file__))
    path = os.path.join(here, "..", name)
    with open(path, "w", encoding="utf-8") as f:
        f.write("// Built by Datasets/build/build_samples.py; see the README beside this file.\n")
        f.write("\n".join(lines) + "\n")
    sizes = [len(json.loads(l)["candidates"]) for l in lines]
    print(f"{name}: {len(lines)} queries, {sum(sizes)} candidates ({min(sizes)}-{max(sizes)} per query)")


if __name__ == "__main__":
    build(personal_memories, "personal-memories.jsonl", 20261126)
    build(eng_notes, "eng-notes.jsonl", 20261127)
