#!/usr/bin/env bash
# NDCG of the local model (Gemma 3 270M through llama-server) with every shipped prompt on both
# sample datasets, against the lexical baseline and the first-stage order. The README's table
# comes from this script's `history` output. Needs `rerank-eval local install` first.
#
# Number-writing prompts run with --max-tokens 8: this base model rarely writes just a number; it
# goes on with the memory's text and writes "Score: ..." somewhere in up to 100 tokens (mem0's
# limit), which takes about ten times as long. Within 8 tokens a reply without a number scores
# 0.5 (flagged as "no number"), which is what this model's weakness looks like.
#
# Usage: bash Benchmarks/local/quality.sh [STORE]   (default: a fresh temp store; pass one to reuse its cache)
set -euo pipefail
cd "$(dirname "$0")/../.."
store="${1:-$(mktemp -d)/quality.sqlite}"
swift build --product rerank-eval >/dev/null
bin=.build/debug/rerank-eval
number_prompts=Prompts/mem0-default-system.txt,Prompts/mem0-documented-template.txt,Prompts/personal-assistant.txt,Prompts/conversational.txt,Prompts/contextual-needs.txt,Prompts/reasoning-final-score.txt
# Every prompt on both datasets (each LLM run of about 430 pairs takes 5 to 10 minutes on 2 cores).
for dataset in Datasets/personal-memories.jsonl Datasets/eng-notes.jsonl; do
    "$bin" run --dataset "$dataset" --store "$store" --quiet --label lexical >/dev/null
    "$bin" run --dataset "$dataset" --provider local --prompt Prompts/yes-no-logprob.txt --store "$store" --quiet --label completions >/dev/null
    "$bin" run --dataset "$dataset" --provider local --prompt Prompts/yes-no-logprob.txt --api chat --store "$store" --quiet --label chat-route >/dev/null
    "$bin" matrix --dataset "$dataset" --provider local --prompts "$number_prompts" --models gemma-3-270m --max-tokens 8 --store "$store" --quiet
done
"$bin" history --store "$store"
echo "store: $store"

# The README's table: NDCG@10 per prompt and dataset, with the share of replies that gave no
# score (scored 0.5: "no number" for number prompts, no yes/no among the top 20 first tokens
# for the logprob prompt).
runs=$("$bin" history --store "$store" | awk 'NR > 1 && $1 ~ /^[0-9]+$/ { print $1 }')
exports=$(mktemp -d)
for id in $runs; do "$bin" export "$id" --format json --store "$store" -o "$exports/$id.json" 2>/dev/null; done
python3 - "$exports" <<'PY'
import glob, json, os, sys
docs = [json.load(open(p)) for p in glob.glob(os.path.join(sys.argv[1], "*.json"))]
docs = [d for d in docs if d.get("complete")]
names = {"personal-memories.jsonl": "personal-memories", "eng-notes.jsonl": "eng-notes"}
rows, first = {}, {}
for d in docs:
    data = names[d["dataset"]["path"].split("/")[-1]]
    s = d["settings"]
    c = d["counts"]
    first[data] = d["mean"]["baseline"]["ndcg@10"]
    if s["provider"] == "lexical":
        label = "`lexical` (BM25, no LLM)"
    else:
        route = " via chat" if s.get("route") == "chat" else ""
        label = "`" + d["prompt"]["name"] + "`" + route
    cell = "%.3f" % d["mean"]["reranked"]["ndcg@10"]
    if s["provider"] != "lexical":
        cell += " (%d%% no score)" % round(100 * (c["fallback"] + c["empty"]) / max(1, c["planned"]))
    rows.setdefault(label, {})[data] = cell
print("| prompt | personal-memories | eng-notes |")
print("|---|---:|---:|")
print("| first-stage order (no reranking) | %.3f | %.3f |" % (first.get("personal-memories", 0), first.get("eng-notes", 0)))
for label in sorted(rows, key=lambda l: (not l.startswith("`lexical"), l)):
    r = rows[label]
    print("| %s | %s | %s |" % (label, r.get("personal-memories", "-"), r.get("eng-notes", "-")))
PY
