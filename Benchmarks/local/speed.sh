#!/usr/bin/env bash
# Pairs per second with the local model (Gemma 3 270M, llama-server on this machine's CPU) at
# concurrency 1, 2 and 4, and what llama.cpp's prompt cache is worth. BENCHMARKS.md has the
# figures. Needs `rerank-eval local install` first.
#
# One persistent server with 4 slots serves every run (`rerank-eval local start`), so start-up
# is not timed and only the calls in flight change. The prompt is mem0's default in system
# mode: the system prompt comes first, so every call shares that prefix and llama.cpp can reuse
# its KV cache; `--no-prompt-cache` (cache_prompt: false) makes each call process it again.
# Our own response cache is off (--no-cache) and each run has a fresh store.
#
# Usage: bash Benchmarks/local/speed.sh [QUERIES]   (default 12 queries of personal-memories)
set -euo pipefail
cd "$(dirname "$0")/../.."
queries="${1:-12}"
swift build -c release --product rerank-eval >/dev/null
bin="$(swift build -c release --show-bin-path)/rerank-eval"
work=$(mktemp -d)
grep '^{' Datasets/personal-memories.jsonl | head -n "$queries" > "$work/data.jsonl"
pairs=$(python3 -c "import json,sys; print(sum(len(json.loads(l)['candidates']) for l in open(sys.argv[1])))" "$work/data.jsonl")
"$bin" local stop >/dev/null
"$bin" local start --slots 4 >/dev/null
trap '"$bin" local stop >/dev/null' EXIT
run() {  # label, then extra options
    local label=$1; shift
    local start end
    start=$(date +%s.%N)
    "$bin" run --dataset "$work/data.jsonl" --provider local --max-tokens 8 --no-cache --quiet \
        --store "$work/$label.sqlite" --format json "$@" > "$work/$label.json"
    end=$(date +%s.%N)
    python3 - "$label" "$start" "$end" "$pairs" "$work/$label.json" <<'PY'
import json, sys
label, start, end, pairs, path = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
d = json.load(open(path))
u = d["counts"]["usage"]
print(f"{label:28s} {pairs} pairs in {end - start:6.1f} s  {pairs / (end - start):5.2f} pairs/s  "
      f"{u['prompt_tokens'] / pairs:5.1f} prompt tokens/pair  ndcg@10 {d['mean']['reranked']['ndcg@10']:.4f}")
PY
}
"$bin" run --dataset "$work/data.jsonl" --provider local --max-tokens 8 --no-cache --quiet --store "$work/warm.sqlite" >/dev/null  # warm-up
run "concurrency 1"          --concurrency 1
run "concurrency 2"          --concurrency 2
run "concurrency 4"          --concurrency 4
run "concurrency 2, no cache" --concurrency 2 --no-prompt-cache
run "concurrency 1, no cache" --concurrency 1 --no-prompt-cache
