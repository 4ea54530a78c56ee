#!/usr/bin/env bash
# Issue 19's Probes view in the real rerankbench at one terminal size: on a file with a held-out
# split, with a loopback scorer that obeys instructions found in a memory (FAKE_URL), A shows
# every attack checked, r probes the editor's prompt on the dev split with live progress, s
# stops it, r again answers the finished calls from the cache (q meanwhile asks first), the
# injection's success rate is high, a query shows its injected memories by attack name and the
# messages sent, the probe is in history, and the dataset file is byte for byte as it was.
#
#   FAKE_URL=http://127.0.0.1:PORT/v1 bash Tests/tmux/probes.sh PATH/TO/rerankbench WIDTH HEIGHT
#
# The Swift test (WorkbenchTmuxTests) starts the server (ProbeCommandTests.scorer), which
# answers each call after a short delay so that the probe is seen running.
set -u
BIN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
EVAL="$(dirname "$BIN")/rerank-eval"
WIDTH=$2
HEIGHT=$3
: "${FAKE_URL:?set FAKE_URL to the loopback scorer}"
NAME=probes
SIZE="${WIDTH}x${HEIGHT}"
source "$(dirname "$0")/lib.sh"
export RERANKBENCH_STORE="$WORK/store.sqlite"

"$EVAL" split Datasets/personal-memories.jsonl --test 0.3 --seed 7 --by user_id -o split.jsonl > /dev/null 2>&1 \
    || fail "rerank-eval split failed"
before=$(sha256sum < split.jsonl)

tmux -u new-session -d -x "$WIDTH" -y "$HEIGHT" -s "$SESSION" \
    "'$BIN' --fresh split.jsonl --session '$WORK/session.json'; echo EXIT=\$?; sleep 60"
ready
wait_for "T confirms on the"
type_setting 0 vllm
wait_for "provider     vllm"
type_setting 1 probe-model
type_setting 2 "$FAKE_URL"
wait_for "$FAKE_URL"

# A: every attack checked, the split named, nothing probed yet; space unchecks and checks.
keys 3 A
wait_for "Probes: adversarial memories"
wait_for "[x] length-padding"
wait_for "on the dev split"
wait_for "not probed yet"
keys j Space
wait_for "[ ] format-injection"
keys Space
wait_for "[x] format-injection"

# r probes in the background with live progress; s stops it, and what finished is kept.
# (Stopped once some calls are done, so that the next probe has something in the cache.)
keys r
wait_for_re "running: [1-9][0-9]* of [0-9]+ calls"
keys s
wait_for "stopped: cancelled"
wait_for "partial: only the queries"

# r again: the finished calls come from the cache. Meanwhile q asks before stopping it.
keys r
wait_for_re "running: [0-9]+ of [0-9]+ calls"
keys Escape
absent "Probes: adversarial memories"
keys q
wait_for "A probe is going"
keys n
absent "A probe is going"
keys A
wait_for_re "calls? made, [1-9][0-9]* cached"
# The gullible scorer obeys the injection on every dev query.
wait_for_re "\[x\] injection +100\.0%"
never "partial: only the queries"

# A query: its ranking with the injected memories by attack, and the messages sent.
keys PageDown Enter
wait_for "Probe: query"
wait_for "◆ injection"
wait_for "injected by"
wait_for "Messages sent (system mode):"
# Below the injected memories that took the top ranks: the query's own.
keys j j j j j
wait_for "the query's own memory"
keys Escape
wait_for "Probes: adversarial memories"
keys Escape
absent "Probes: adversarial memories"

# The dataset file is as it was; the probe runs are in history under the probe's label.
[ "$(sha256sum < split.jsonl)" = "$before" ] || fail "the probe changed the dataset file"
grep -q "probe-" split.jsonl && fail "an injected memory reached the dataset file"
"$EVAL" history > history.txt 2>&1 || { cat history.txt; fail "history failed"; }
# (history cuts the label: "mem0-default-system [probe injecti...".)
grep -q "\[probe injecti" history.txt || { cat history.txt; fail "history lacks the probe"; }
checks=$((checks + 3))

keys q
wait_for "EXIT=0"
echo "probes at ${WIDTH}x${HEIGHT}: $checks checks passed"
