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
for dataset in Datasets/personal-memories.jsonl Datasets/eng-notes.jsonl; do
    "$bin" run --dataset "$dataset" --store "$store" --quiet --label lexical >/dev/null
    "$bin" run --dataset "$dataset" --provider local --prompt Prompts/yes-no-logprob.txt --store "$store" --quiet --label completions >/dev/null
    "$bin" run --dataset "$dataset" --provider local --prompt Prompts/yes-no-logprob.txt --api chat --store "$store" --quiet --label chat-route >/dev/null
    "$bin" matrix --dataset "$dataset" --provider local --prompts "$number_prompts" --models gemma-3-270m --max-tokens 8 --store "$store" --quiet
done
"$bin" history --store "$store"
echo "store: $store"
