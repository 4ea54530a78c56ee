#!/usr/bin/env bash
# Issue 17's Tune view in the real rerankbench at one terminal size: on a dataset with a held-out
# split, with an OpenAI-compatible server as scorer and proposer (a loopback fake that ranks by
# the labels only once the prompt carries an instruction its proposals add), t asks with the
# estimate, y starts the tune, the view fills in live, the test confirmation is shown as a
# compare, the winner's files are written, and l loads a candidate into the editor.
#
#   FAKE_URL=http://127.0.0.1:PORT/v1 DATASET=split.jsonl bash Tests/tmux/tune.sh PATH/TO/rerankbench WIDTH HEIGHT
#
# The Swift test (WorkbenchTmuxTests) starts the server with TuneFakeModel over DATASET.
set -u
BIN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
EVAL="$(dirname "$BIN")/rerank-eval"
WIDTH=$2
HEIGHT=$3
: "${FAKE_URL:?set FAKE_URL to the loopback tune server}"
: "${DATASET:?set DATASET to the dataset the server knows}"
DATASET=$(cd "$(dirname "$DATASET")" && pwd)/$(basename "$DATASET")
NAME=tune
SIZE="${WIDTH}x${HEIGHT}"
source "$(dirname "$0")/lib.sh"
export RERANKBENCH_STORE="$WORK/store.sqlite"
cp "$DATASET" split.jsonl

tmux -u new-session -d -x "$WIDTH" -y "$HEIGHT" -s "$SESSION" \
    "'$BIN' --fresh split.jsonl --session '$WORK/session.json'; echo EXIT=\$?; sleep 60"
ready
wait_for "T confirms on the"

# The lexical baseline cannot be tuned: t says what is needed instead.
keys t
wait_for "needs an LLM"
type_setting 0 vllm
wait_for "provider     vllm"
type_setting 1 tuner-model
type_setting 2 "$FAKE_URL"
wait_for "$FAKE_URL"

# t asks first, with what the tune takes at most; any other key starts nothing.
keys 3 t
wait_for "Start a tune?"
wait_for "Searches on the 16 dev queries"
keys n
wait_for "no tune started"
keys t
wait_for "Start a tune?"
keys y
wait_for "Tune 1: dev split"
# The fake finds its instruction in round 1: accepted on dev, confirmed on test, files written.
wait_for "accepted"
wait_for "test split: improved on dev, confirmed on test"
wait_for "wrote Prompts/tuned-mem0-default-system.txt"
wait_for "Confirmation on the test split: start (A) vs #"
[ -f Prompts/tuned-mem0-default-system.txt ] && [ -f Prompts/tuned-mem0-default-system.mem0.yaml ] || fail "the winner's files are missing"
grep -q "Put memories that state the answer above memories that only share its words." Prompts/tuned-mem0-default-system.txt \
    || fail "the winner's card lacks the instruction the tune found"
checks=$((checks + 2))

# Closed and opened again, the view selects the best candidate: its diff against its parent has
# the new line; l loads it.
keys Escape
absent "Confirmation on the test split"
keys t
wait_for_re "#[0-9]+ +[0-9]+ accepted"
# At 80x24 the verdict leads the candidate's text: PgDn scrolls to the diff.
for _ in 1 2 3 4; do
    screen | grep -qF "+ Put memories that state the answer above" && break
    keys PageDown
    sleep 0.5
done
wait_for "+ Put memories that state the answer above"
keys l
wait_for "loaded into the editor (Ctrl-Z undoes it)"
# The editor has the focus; its last line is the instruction the tune added.
keys C-End
wait_for "Put memories that state the answer above"
keys Escape

# The lineage is in the store, as rerank-eval shows it.
"$EVAL" tune show last > show.txt 2>&1 || { cat show.txt; fail "tune show failed"; }
grep -q "accepted" show.txt || { cat show.txt; fail "tune show lacks the accepted candidate"; }
checks=$((checks + 1))

keys q
wait_for "Unsaved prompt edits"
keys y
wait_for "EXIT=0"
echo "tune at ${WIDTH}x${HEIGHT}: $checks checks passed"
