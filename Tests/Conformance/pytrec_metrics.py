#!/usr/bin/env python3
"""Prints trec_eval's per-query metrics (through pytrec_eval) for a qrels file and a run file, as JSON.

    python3 pytrec_metrics.py QRELS RUN CUTOFFS(comma-separated)

Used by the conformance tests: RerankBench's numbers must equal these to 1e-9.
"""
import json
import sys

import pytrec_eval


def read_qrels(path):
    qrels = {}
    for line in open(path, encoding="utf-8"):
        q, _, d, rel = line.split()
        qrels.setdefault(q, {})[d] = int(rel)
    return qrels


def read_run(path):
    run = {}
    for line in open(path, encoding="utf-8"):
        q, _, d, _, score, _ = line.split()
        run.setdefault(q, {})[d] = float(score)
    return run


def main():
    qrels, run = read_qrels(sys.argv[1]), read_run(sys.argv[2])
    cutoffs = [int(k) for k in sys.argv[3].split(",")]
    ks = ",".join(str(k) for k in cutoffs)
    measures = {"map", "recip_rank", "ndcg", f"ndcg_cut.{ks}", f"P.{ks}", f"recall.{ks}"}
    evaluator = pytrec_eval.RelevanceEvaluator(qrels, measures)
    out = {}
    for q, m in evaluator.evaluate(run).items():
        row = {"map": m["map"], "mrr": m["recip_rank"], "ndcg": m["ndcg"]}
        for k in cutoffs:
            row[f"ndcg@{k}"] = m[f"ndcg_cut_{k}"]
            row[f"p@{k}"] = m[f"P_{k}"]
            row[f"recall@{k}"] = m[f"recall_{k}"]
        out[q] = row
    json.dump(out, sys.stdout, sort_keys=True)


if __name__ == "__main__":
    main()
