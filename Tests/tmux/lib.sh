# The harness the tmux scripts share: a tmux server of the script's own, a scratch copy of the
# samples, and the checks. Source it after setting BIN (the binary under test), NAME (a short
# name for the tmux socket and session) and, optionally, SIZE (named in a failure).
#
# Waits are long (60 s by default) because the Swift test suite runs these scripts on a busy
# 2-core machine beside dozens of other processes: a redraw that takes seconds there is slow,
# not wrong. A wait that succeeds costs only the time until the text appears.
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
WORK=$(mktemp -d)
SESSION="rb-$NAME-$$"
# Its own socket and no user config, so no server someone else started decides how panes run.
SOCKET="rb-$NAME-$$"
WAIT=${TMUX_WAIT:-60}
checks=0
tmux() { command tmux -L "$SOCKET" -f /dev/null "$@"; }
cp -r "$REPO/Datasets" "$REPO/Prompts" "$WORK/"
cd "$WORK" || exit 1

# The program may still be writing its session file as its server goes: retry the removal.
cleanup() { tmux kill-server 2>/dev/null; rm -rf "$WORK" 2>/dev/null || { sleep 0.5; rm -rf "$WORK"; }; }
trap cleanup EXIT

screen() { tmux capture-pane -p -t "$SESSION"; }

# end_session: stop this session's tmux server, and give the next session a server of its own.
# Killing the last session makes its server exit a moment later; a new-session sent to the same
# socket in that moment reaches the dying server and fails with "server exited unexpectedly"
# (seen on CI), so the next session never reuses the socket.
sessions=0
end_session() {
    tmux kill-server 2>/dev/null
    sessions=$((sessions + 1))
    SOCKET="rb-$NAME-$$-$sessions"
}

# fail MESSAGE: the message, where the script was, and the screen as it is.
fail() {
    # The script's line, not the harness's: the first caller outside this file.
    local i=1
    while [ "${BASH_SOURCE[$i]:-}" = "${BASH_SOURCE[0]}" ]; do i=$((i + 1)); done
    echo "FAILED${SIZE:+ at $SIZE} (${BASH_SOURCE[$i]##*/}:${BASH_LINENO[$((i - 1))]}): $1"
    echo "----- screen -----"
    screen
    echo "------------------"
    exit 1
}

# wait_for TEXT [SECONDS]: until the screen shows TEXT.
wait_for() {
    local deadline=$((SECONDS + ${2:-$WAIT}))
    while [ $SECONDS -lt $deadline ]; do
        if screen | grep -qF -- "$1"; then checks=$((checks + 1)); return 0; fi
        sleep 0.1
    done
    fail "did not see: $1"
}

# wait_for_re REGEX [SECONDS]: until a line of the screen matches REGEX (grep -E).
wait_for_re() {
    local deadline=$((SECONDS + ${2:-$WAIT}))
    while [ $SECONDS -lt $deadline ]; do
        if screen | grep -qE -- "$1"; then checks=$((checks + 1)); return 0; fi
        sleep 0.1
    done
    fail "did not see a line matching: $1"
}

# absent TEXT [SECONDS]: the screen stops showing TEXT (a loaded machine may take a moment to
# redraw after a key).
absent() {
    local deadline=$((SECONDS + ${2:-$WAIT}))
    while [ $SECONDS -lt $deadline ]; do
        if ! screen | grep -qF -- "$1"; then checks=$((checks + 1)); return 0; fi
        sleep 0.1
    done
    fail "still see: $1"
}

# never TEXT: the screen does not show TEXT now.
never() { if screen | grep -qF -- "$1"; then fail "saw: $1"; fi; checks=$((checks + 1)); }

keys() { tmux send-keys -t "$SESSION" "$@"; sleep 0.15; }

# ready: the workbench is up and its dataset read. The key bar shows at once, while the file is
# still read in the background (the title says "loading"), when r would only say so.
ready() {
    wait_for "r run"
    absent "│ loading "
}

# type_setting ROW VALUE: the Settings row at ROW (0 = provider) typed as VALUE.
type_setting() {
    keys 2
    for _ in $(seq 1 16); do keys k; done
    for _ in $(seq 1 "$1"); do keys j; done
    keys Enter C-u
    keys -l "$2"
    keys Enter
}
