#!/usr/bin/env bash
# Issue 16: a large run end to end, and the reference beside it in the same session.
#
#   bash Benchmarks/large_run.sh [QUERIES] [CANDIDATES]     (default 10000 x 100: a million pairs)
#
# Builds rerank-eval in release, writes the dataset, then measures with /usr/bin/time:
#   1. rerank-eval run --provider lexical --format jsonl   (streamed: one window held at a time)
#   2. the same with --format json                         (the whole report held, for contrast)
#   3. pytrec_eval reading the same file and evaluating the first-stage order (the reference)
# and prints wall time, peak RSS, store and output size, and the ratios to the reference.
set -eu
QUERIES=${1:-10000}
CANDIDATES=${2:-100}
REPO=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cd "$REPO"
swift build -c release --product rerank-eval >/dev/null
BIN=$REPO/.build/release/rerank-eval
python3 Benchmarks/make_pairs_dataset.py "$WORK/d.jsonl" "$QUERIES" "$CANDIDATES"
ls -l "$WORK/d.jsonl" | awk '{printf "dataset: %.0f MB\n", $5 / 1048576}'

measure() { # NAME COMMAND...: wall seconds and peak RSS in MB
    local name=$1; shift
    /usr/bin/time -f "%e %M" -o "$WORK/time" "$@" >/dev/null
    read -r wall rss < "$WORK/time"
    printf '%-28s %8.1f s %8.0f MB\n' "$name" "$wall" "$((rss / 1024))"
    eval "${name//[^a-z]/_}_wall=$wall"
}
measure "streamed jsonl" "$BIN" run --dataset "$WORK/d.jsonl" --provider lexical --quiet --format jsonl \
    -o "$WORK/out.jsonl" --store "$WORK/s1.sqlite"
measure "whole json" "$BIN" run --dataset "$WORK/d.jsonl" --provider lexical --quiet --format json \
    -o "$WORK/out.json" --store "$WORK/s2.sqlite"
cat > "$WORK/ref.py" <<'PY'
import json, sys, pytrec_eval
qrel, run = {}, {}
for line in open(sys.argv[1]):
    d = json.loads(line)
    qrel[d["query_id"]] = {c["id"]: c["relevance"] for c in d["candidates"]}
    run[d["query_id"]] = {c["id"]: c["score"] for c in d["candidates"]}
ev = pytrec_eval.RelevanceEvaluator(qrel, {"ndcg_cut.10", "map", "recip_rank"})
r = ev.evaluate(run)
print(sum(v["ndcg_cut_10"] for v in r.values()) / len(r))
PY
measure "pytrec_eval reference" python3 "$WORK/ref.py" "$WORK/d.jsonl"
du -m "$WORK/s1.sqlite" "$WORK/out.jsonl" "$WORK/out.json" | awk '{printf "%-50s %6d MB\n", $2, $1}' | sed "s#$WORK/##"
awk -v a="$streamed_jsonl_wall" -v b="$whole_json_wall" -v r="$pytrec_eval_reference_wall" \
    'BEGIN { printf "ratio to pytrec_eval: streamed %.1fx, whole %.1fx\n", a / r, b / r }'
