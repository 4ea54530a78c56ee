#!/usr/bin/env bash
# Issue 16 part 5 in the real rerankbench at one terminal size: a generated file of QUERIES x
# CANDIDATES pairs opens on a loading screen at once (keys answer while it is read), then shows
# its queries; the Queries and Results panes page through it; a lexical run goes over every
# pair while keys move the selection and open help; the run ends with its numbers; q quits.
# Offline (the lexical baseline): no server, no key.
#
#   bash Tests/tmux/bigdata.sh PATH/TO/rerankbench WIDTH HEIGHT [QUERIES [CANDIDATES]]
#
# The suite runs 1,000 x 100 (100,000 pairs) with the debug binary; by hand, 10,000 x 100 (a million pairs)
# with the release one, which must show the loading screen (set REQUIRE_LOADING=1 to insist) and
# the queries before their metrics (REQUIRE_PENDING=1).
set -u
BIN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
WIDTH=$2
HEIGHT=$3
QUERIES=${4:-1000}
CANDIDATES=${5:-100}
NAME=bigdata
SIZE="${WIDTH}x${HEIGHT}, ${QUERIES}x${CANDIDATES}"
source "$(dirname "$0")/lib.sh"
export RERANKBENCH_STORE="$WORK/store.sqlite"

python3 "$REPO/Benchmarks/make_pairs_dataset.py" big.jsonl "$QUERIES" "$CANDIDATES" > /dev/null || fail "could not generate the file"
last=$((CANDIDATES - 1))

tmux -u new-session -d -x "$WIDTH" -y "$HEIGHT" -s "$SESSION" \
    "'$BIN' --fresh big.jsonl --provider lexical --session '$WORK/session.json'; echo EXIT=\$?; sleep 60"

# The first screen: the loading screen while the file is read, or, on a machine that read it
# before the first look, the queries. Keys answer on the loading screen.
wait_for_re "Loading big.jsonl|Queries $QUERIES/$QUERIES"
if screen | grep -qF "Loading big.jsonl"; then
    echo "loading screen seen"
    # (Not r: the file may be read by the time it lands, and a run would start.)
    keys '?'
    wait_for "Keys (generated from the keymap"
    keys Escape
    absent "Keys (generated from the keymap"
elif [ "${REQUIRE_LOADING:-0}" = 1 ]; then
    fail "no loading screen"
fi
# (The debug binary on a busy machine reads and measures the file for tens of seconds.)
wait_for "Queries $QUERIES/$QUERIES" 300
wait_for "$QUERIES queries, $((QUERIES * CANDIDATES)) candidates; press r to run"
absent "Loading big.jsonl"
# The queries are listed as soon as the file is read; their first-stage metrics follow from
# the background, and until then the screen says so and shows no number for them.
# (One capture for the checks: the metrics may arrive between two looks.)
shot=$(screen)
if grep -qF "being measured" <<< "$shot"; then
    echo "metrics pending seen"
    if grep -qE "n/a|pool R|│MAP " <<< "$shot"; then fail "a metric shown while the metrics are measured"; fi
    checks=$((checks + 1))
    keys j
    wait_for_re "q1: (first-stage metrics being measured|ceiling)"
    keys k
elif [ "${REQUIRE_PENDING:-0}" = 1 ]; then
    fail "no screen of queries before their metrics"
fi
absent "being measured" 300

# Through the queries: a row, then pages of ten; the headroom line names the selected one.
keys j
wait_for "q1: ceiling"
keys PPage
keys NPage NPage NPage
wait_for "q30: ceiling"

# The Results pane of q30 pages through its candidates to the last one.
keys Enter
wait_for "4 Results: q30"
never "m$last "
for _ in $(seq 1 $(((CANDIDATES + 9) / 10))); do keys NPage; done
wait_for "m$last "

# A lexical run over every pair; keys move and open help while it goes.
# (A fast machine may finish before the first look: then the keys land just after it.)
# Back to Queries with Shift-Tab: in Results a digit is a label.
keys BTab
wait_for "┏━ 3 Queries"
keys r
wait_for_re "calls/s|done in"
keys k
wait_for "q29: ceiling"
keys '?'
wait_for "Keys (generated from the keymap"
keys Escape
absent "Keys (generated from the keymap"
keys j j
wait_for "q31: ceiling"
wait_for "done in" 600
wait_for_re "q31: ceiling [0-9.]+ · captured"
keys 5
wait_for "calls $((QUERIES * CANDIDATES))/$((QUERIES * CANDIDATES))"
keys 3
wait_for "┏━ 3 Queries"

# Sorted by delta: the worst query first, at once.
keys s
wait_for "sort: delta"
wait_for "queries sorted by delta, worst first"

keys q
wait_for "EXIT=0"
echo "$checks checks passed"
