#!/usr/bin/env bash
# Issue 18 parts 1 and 3 in the real rerankbench at one terminal size: a label edited in the
# Results pane and saved (the file changes in that one value, a .bak keeps the original, the
# .labels.log names the change), undone and saved back, a file changed on disk meanwhile
# (keep mine), the store's history telling the dataset versions apart, and an old prompt
# loaded from the prompt history and saved with its lineage. Offline (the lexical baseline).
#
#   bash Tests/tmux/labels.sh PATH/TO/rerankbench WIDTH HEIGHT
set -u
BIN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
EVAL="$(dirname "$BIN")/rerank-eval"
WIDTH=$2
HEIGHT=$3
NAME=labels
SIZE="${WIDTH}x${HEIGHT}"
source "$(dirname "$0")/lib.sh"
export RERANKBENCH_STORE="$WORK/store.sqlite"
DATA=Datasets/personal-memories.jsonl
ORIGINAL="$REPO/$DATA"
short_hash() { sha256sum "$1" | cut -c1-6; }
original_hash=$(short_hash "$ORIGINAL")

tmux -u new-session -d -x "$WIDTH" -y "$HEIGHT" -s "$SESSION" \
    "'$BIN' --fresh $DATA --session '$WORK/session.json'; echo EXIT=\$?; sleep 60"
ready

# Two prompt versions in the store: mem0's, then an edit of it.
# (The status line at 80 columns may clip "run N in store.sqlite": wait for "done in", after
# sorting round to file order again so the first run's "done in" is gone.)
keys r
wait_for "done in"
keys 1
keys -l "Be strict. "
keys Escape s s s s
wait_for "queries sorted by file order"
keys r
wait_for "done in"

# In Results a digit is the label: pm01's top memory a20 goes from 2 to 0.
keys 4
wait_for "0-9 label"
keys 0
wait_for "1 label edit unsaved (S)"
wait_for "pm01 memory a20: 2 → 0"
keys S
wait_for "1 label saved to $DATA"
cmp -s "$ORIGINAL" "$DATA.bak" || fail "the .bak is not the original file"
changed=$(diff "$ORIGINAL" "$DATA" | grep -c '^[<>]')
[ "$changed" = 2 ] || fail "the save changed $changed lines (diff <>), not one"
diff "$ORIGINAL" "$DATA" | grep '^>' | grep -qF '"id": "a20", "text": "Avoids avocado because it upsets her stomach", "relevance": 0, "score": 0.55}' \
    || fail "the a20 label is not 0 in the written line"
grep -qE '^[0-9T:-]+Z query "pm01" memory "a20" 2 -> 0$' "$DATA.labels.log" || fail "the log lacks the change: $(cat "$DATA.labels.log")"
checks=$((checks + 4))

# Undo puts the 2 back; saved, the file is the original again, the log has both changes.
keys C-z
wait_for "undone: pm01 memory a20: 0 → 2"
keys S
wait_for "(now #$original_hash)"
cmp -s "$ORIGINAL" "$DATA" || fail "after undo and save the file is not the original"
cmp -s "$ORIGINAL" "$DATA.bak" || fail "the second save replaced the .bak"
[ "$(wc -l < "$DATA.labels.log")" = 2 ] || fail "the log does not hold exactly two changes"
grep -q '"a20" 0 -> 2$' "$DATA.labels.log" || fail "the log lacks the undo's change"
checks=$((checks + 4))

# The file changes on disk meanwhile: S asks; keep mine writes the label into their file.
keys 0
wait_for "1 label edit unsaved (S)"
echo "// touched by another editor" >> "$DATA"
keys S
wait_for "The dataset file changed"
keys m
wait_for "1 label saved to $DATA"
grep -q "^// touched by another editor" "$DATA" || fail "keep mine lost the other editor's change"
grep -qF '"id": "a20", "text": "Avoids avocado because it upsets her stomach", "relevance": 0, "score": 0.55}' "$DATA" || fail "keep mine did not write the label"
checks=$((checks + 2))

# A run on the new labels is stored with the new dataset version; history tells them apart.
keys r
wait_for "done in"
new_hash=$(short_hash "$DATA")
history=$("$EVAL" history 2>&1)
echo "$history" | grep -qF "personal-memories.jsonl #$original_hash" || { echo "$history"; fail "history does not name the original version"; }
echo "$history" | grep -qF "personal-memories.jsonl #$new_hash" || { echo "$history"; fail "history does not name the new version"; }
checks=$((checks + 2))

# The prompt history: both versions, the diff of mem0's against the editor, and mem0's loaded
# over the unsaved edit (asked first), then saved with its lineage.
keys H
wait_for "Prompt history: 2 versions"
keys j d
wait_for "1 line removed, 1 added"
wait_for "+ Be strict. You are"
keys Escape
wait_for "load into editor"
keys Enter
wait_for "Replace the unsaved edits?"
keys y
wait_for "loaded mem0-default-system #"
never "Be strict. You are"
keys C-s
wait_for "Save prompt to Prompts/ as"
keys C-u
keys -l "from-history"
keys Enter
wait_for "written to Prompts/from-history.txt"
grep -q '^derived_from: "mem0-default-system"$' Prompts/from-history.txt || fail "the saved prompt does not name its parent: $(head -12 Prompts/from-history.txt)"
grep -q "Be strict" Prompts/from-history.txt && fail "the saved prompt kept the replaced edit"
checks=$((checks + 2))

keys Escape q
wait_for "EXIT=0"
echo "labels at ${WIDTH}x${HEIGHT}: $checks checks passed"
