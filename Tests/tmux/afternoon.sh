#!/usr/bin/env bash
# The afternoon of issue 20, walked in the real rerankbench at one terminal size: edit the
# prompt, run the offline baseline, save the prompt, pin it, switch to an OpenAI-compatible
# server (a loopback fake), run and compare, cancel a run, quit in the middle of another, and
# start again: no edit is lost and every number carries the run it came from.
#
#   FAKE_URL=http://127.0.0.1:PORT/v1 bash Tests/tmux/afternoon.sh PATH/TO/rerankbench WIDTH HEIGHT
#
# FAKE_URL is an OpenAI-compatible server that answers slowly enough (tens of milliseconds a
# call) for a run to be cancelled by hand; the Swift test starts one (WorkbenchTmuxTests).
set -u
BIN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
EVAL="$(dirname "$BIN")/rerank-eval"
WIDTH=$2
HEIGHT=$3
: "${FAKE_URL:?set FAKE_URL to an OpenAI-compatible server}"
NAME=afternoon
SIZE="${WIDTH}x${HEIGHT}"
source "$(dirname "$0")/lib.sh"
export RERANKBENCH_STORE="$WORK/store.sqlite"

# calls_done: until the progress bar counts at least one answered call (a cancel before any
# call finished would leave nothing to label).
calls_done() {
    local deadline=$((SECONDS + WAIT))
    while [ $SECONDS -lt $deadline ]; do
        if screen | grep -qE '\] [1-9][0-9]*/[0-9]+'; then checks=$((checks + 1)); return 0; fi
        sleep 0.1
    done
    fail "no call was answered"
}

start() {
    tmux -u new-session -d -x "$WIDTH" -y "$HEIGHT" -s "$SESSION" \
        "'$BIN' $* --session '$WORK/session.json'; echo EXIT=\$?; sleep 60"
}

start --fresh Datasets/personal-memories.jsonl
ready

# An edit, then the offline baseline on it.
keys 1
keys -l "Be strict. "
wait_for "mem0-default-system *"
keys Escape
keys r
wait_for "done in"

# Save under a new name: the file gets the text and its lineage, nothing else is touched.
keys C-s
wait_for "Save prompt to Prompts/ as"
keys C-u
keys -l "afternoon-strict"
keys Enter
wait_for "written to Prompts/afternoon-strict.txt"
grep -q "Be strict. You are" Prompts/afternoon-strict.txt || fail "the saved prompt lacks the edit"
grep -q "derived_from" Prompts/afternoon-strict.txt || fail "the saved prompt lacks its lineage"
cmp -s "$REPO/Prompts/mem0-default-system.txt" Prompts/mem0-default-system.txt || fail "the reference prompt changed"
checks=$((checks + 3))

# Pin the baseline as A, switch to the loopback server, run B there, compare.
keys p
wait_for "pinned as A"
type_setting 0 vllm
type_setting 1 fake-model
type_setting 2 "$FAKE_URL"
keys r
wait_for "done in"
keys 3 c
wait_for "Compare A (pinned) vs B (current)"
wait_for "vllm fake-model"
wait_for "lexical"
keys Escape

# A new edit (so nothing is answered from the cache), a run, cancelled: the numbers say partial.
keys 1
keys -l "Be kind. "
keys Escape
keys r
wait_for "Esc cancel run"
calls_done
keys Escape
wait_for "cancelled; completed scores are kept"
wait_for "partial"

# Another run, and q in the middle of it: asked first, stored as cancelled, then quits.
keys 1
keys -l "Be brief. "
keys Escape
keys r
wait_for "Esc cancel run"
keys q
wait_for "A run is going"
keys y
wait_for "EXIT=0"
end_session
history=$("$EVAL" history 2>&1)
# The newest run: cancelled (a clean stop, resumable), not left incomplete as a killed one is.
newest=$(echo "$history" | awk '$1 ~ /^[0-9]+$/ {print $4; exit}')
[ "$newest" = "cancelled" ] || { echo "$history"; fail "the run stopped by q is stored as '$newest', not cancelled"; }
checks=$((checks + 1))

# Start again: every edit is still there.
start
ready
keys 1
wait_for "Be strict. Be kind. Be brief. You are"
keys Escape q y
wait_for "EXIT=0"
echo "afternoon at ${WIDTH}x${HEIGHT}: $checks checks passed"
