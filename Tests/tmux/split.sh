#!/usr/bin/env bash
# Issue 15 in the real rerankbench at one terminal size: a file with a held-out split opens on
# its dev queries, runs see dev only, the test split is run only after "confirm on test" asks,
# the store counts each look, and from the second look on the screen says the test numbers are
# no longer a clean estimate. Offline (the lexical baseline): no server, no key.
#
#   bash Tests/tmux/split.sh PATH/TO/rerankbench WIDTH HEIGHT
set -u
BIN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
EVAL="$(dirname "$BIN")/rerank-eval"
WIDTH=$2
HEIGHT=$3
NAME=split
SIZE="${WIDTH}x${HEIGHT}"
source "$(dirname "$0")/lib.sh"
export RERANKBENCH_STORE="$WORK/store.sqlite"

"$EVAL" split Datasets/personal-memories.jsonl --test 0.3 --seed 7 --by user_id -o split.jsonl > /dev/null 2>&1 \
    || fail "rerank-eval split failed"
dev=$(grep -cE '"split": ?"dev"' split.jsonl)
total=$(grep -cE '"split": ?"(dev|test)"' split.jsonl)
test_count=$((total - dev))

tmux -u new-session -d -x "$WIDTH" -y "$HEIGHT" -s "$SESSION" \
    "'$BIN' --fresh split.jsonl --session '$WORK/session.json'; echo EXIT=\$?; sleep 60"
wait_for "($dev dev of $total queries)"
wait_for "Queries dev $dev/$dev"
wait_for "T confirms on the $test_count test queries"

# r: the dev queries only. (The status line from loading already says "on the dev split (25 of
# 36 queries)": wait for the finished run's own line, or T would land while the run goes.)
keys r
wait_for "s on the dev split:"
keys 5
wait_for "5 Metrics · dev"
never "looked at"

# T asks first; any other key runs nothing.
keys T
wait_for "Confirm on the test split?"
wait_for "$test_count held-out test queries"
wait_for "first look at this dataset's test split"
keys n
wait_for "the test split stays unseen"
never "Metrics · test"

# y runs the test split, counted as the first look: no warning yet.
keys T y
wait_for "s on the test split:"
wait_for "5 Metrics · test"
never "looked at"
keys 3
wait_for "Queries test $test_count/$test_count"

# The second look: the question says so, and the numbers carry the warning.
keys T
wait_for "Looked at 1 time before"
keys y
wait_for "s on the test split:"
keys 5
wait_for "test split looked at 2 times"

# Back to r: dev again, no warning beside dev numbers.
keys r
wait_for "s on the dev split:"
never "looked at 2 times"

keys q
wait_for "EXIT=0"
history=$("$EVAL" history 2>&1)
echo "$history" | grep -qF "looked at 2 times" || { echo "$history"; fail "history does not count the two test looks"; }
checks=$((checks + 1))
echo "$checks checks passed"
