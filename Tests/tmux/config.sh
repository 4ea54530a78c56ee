#!/usr/bin/env bash
# Issue 18 parts 4-6 in the real rerankbench at one terminal size: a config file (named by
# RERANKBENCH_CONFIG) that remaps keys, picks the light theme and sets a fresh session's
# defaults; a bad config shown on the first screen; mouse clicks and the wheel sent as the
# terminal's mouse reports; soft wrap and search in the prompt. Offline (the lexical baseline).
#
#   bash Tests/tmux/config.sh PATH/TO/rerankbench WIDTH HEIGHT
#
# The mouse: tmux's `send-keys -M` only replays a mouse event tmux itself received from a
# client, so there is none to replay here. Instead the script writes the report a terminal
# sends for a click (xterm's normal tracking, which the pane's TERM=screen names: Esc [ M,
# then 32 + button, 32 + column + 1, 32 + row + 1) into the pane with `send-keys -H`, which is
# what reaches the workbench when a user clicks in a tmux pane whose program asked for the mouse.
set -u
BIN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
WIDTH=$2
HEIGHT=$3
NAME=config
SIZE="${WIDTH}x${HEIGHT}"
source "$(dirname "$0")/lib.sh"
export RERANKBENCH_STORE="$WORK/store.sqlite"
export RERANKBENCH_CONFIG="$WORK/config.toml"

start() {
    tmux -u new-session -d -x "$WIDTH" -y "$HEIGHT" -s "$SESSION" \
        "RERANKBENCH_CONFIG='$RERANKBENCH_CONFIG' RERANKBENCH_STORE='$RERANKBENCH_STORE' '$BIN' $*; echo EXIT=\$?; sleep 60"
}

# mouse BUTTON COLUMN ROW: a mouse report (0-based cell) as the terminal writes it.
mouse() {
    tmux send-keys -t "$SESSION" -H 1b 5b 4d "$(printf %x $((32 + $1)))" "$(printf %x $((33 + $2)))" "$(printf %x $((33 + $3)))"
    sleep 0.15
}
click() { mouse 0 "$1" "$2"; mouse 3 "$1" "$2"; }  # press, then release
flags() { tmux display -p -t "$SESSION" '#{mouse_standard_flag}#{mouse_button_flag}#{mouse_all_flag}'; }

# --- A bad config: one message with the file, the line and the fix; built-in keys apply.
cat > "$RERANKBENCH_CONFIG" <<'TOML'
theme = "light"

[keys]
pinA = "c"
TOML
start --fresh Datasets/personal-memories.jsonl --session "'$WORK/bad-session.json'"
wait_for "Config not used"
wait_for_re "config.toml:4: "
wait_for "compare's key"
keys Space
absent "Config not used"
wait_for "p pin A"
keys q
wait_for "EXIT=0"
end_session

# --- A good config: remapped keys, the light theme, defaults for a fresh session.
cat > "$RERANKBENCH_CONFIG" <<'TOML'
theme = "light"

[keys]
pinA = "a"
run = ["F6", "Ctrl-R"]

[defaults]
provider = "lexical"
cutoffs = [5, 10]
concurrency = 2
TOML
start --fresh Datasets/personal-memories.jsonl --session "'$WORK/session.json'"
wait_for "3 Queries 36/36"
# The bar shows the config's keys, not the built-in ones.
wait_for "F6 run"
wait_for "a pin A"
never "r run"
never "p pin A"
# The light theme: the focused pane's frame is blue (SGR 34), not the dark theme's cyan (36).
focused=$(tmux capture-pane -p -e -t "$SESSION" | grep -F "3 Queries" | head -1)
case "$focused" in *"[34m"*|*";34m"*|*"[1;34m"*) checks=$((checks + 1)) ;; *) fail "the focused frame is not blue: $focused" ;; esac
case "$focused" in *"36m"*) fail "the dark theme's cyan is still drawn" ;; esac
# The defaults: cutoffs 5,10 in the Settings pane.
keys 2
wait_for "5,10"
keys 3
# r no longer runs; F6 does.
keys r
never "BM25 baseline, run"
keys F6
wait_for_re "run [0-9]+ stored|stored as run|done in"
# a pins the run as A.
keys a
wait_for "pinned as A"

# --- The mouse: normal tracking only (no drag or motion reports), so Shift-drag selects.
[ "$(flags)" = "100" ] || fail "mouse modes are $(flags), want standard tracking only (100)"
checks=$((checks + 1))
if [ "$WIDTH" -lt 100 ]; then
    # One pane at a time: a click on the "4 Results" tab opens that pane.
    col=$(screen | sed -n 2p | awk '{ print index($0, "4 Results") - 1 }')
    [ "$col" -ge 0 ] || fail "no Results tab"
    click $((col + 2)) 1
    wait_for "4 Results:"
    # A click on the third candidate row selects it (the pane starts on row 2, header row 3).
    click 10 5
    keys Enter
    wait_for "Memory "
    keys Escape
    # Digits set labels in Results: Tab goes on to Metrics, where 1 goes to the editor.
    keys Tab
    wait_for "━ 5 Metrics"
else
    # Two columns: a click on the third query row (under the border and the header) selects it.
    row=$(screen | sed -n 5p)
    qid=$(echo "$row" | grep -oE '[│┃][A-Za-z0-9_-]+ +[0-9]\.[0-9]{3}' | tail -1 | sed -E 's/^[│┃]([^ ]+).*/\1/')
    [ -n "$qid" ] || fail "no query id on row 5: $row"
    click 60 4
    wait_for "4 Results: $qid "
    # The wheel over the Queries pane moves the selection down three queries.
    mouse 65 60 4
    absent "4 Results: $qid "
fi

# --- The editor: soft wrap (Alt-W toggles), search (Ctrl-F, Ctrl-G, Alt-G).
keys 1
keys C-f
keys -l "score"
wait_for "Search the prompt: score"
wait_for_re "match 1 of [0-9]+"
keys C-g
wait_for_re "match 2 of [0-9]+"
keys M-g
wait_for_re "match 1 of [0-9]+"
keys Enter
absent "Search the prompt"
keys M-w
wait_for "no wrap"
keys M-w
absent "no wrap"
keys Escape
keys q
wait_for "EXIT=0"
[ "$(flags)" = "000" ] || fail "mouse reporting left on after quit: $(flags)"
checks=$((checks + 1))

echo "$checks checks passed"
