#!/usr/bin/env bash
# Scrollback memory (issue 11): a curses chat-client in tmux (80x24) receives 10,000 and then 100,000 chat lines
# from a plain client; its resident set size (VmRSS, /proc) is read after each, once the last line is on screen.
# The scrollback keeps ChatUI.scrollbackCapacity (10,000) lines, so memory reaches a plateau (up to twice that
# many lines are held between compactions) and stays there.
# A measurement, not a test: it prints the figures (docs/PERFORMANCE.md, "Client scrollback memory").
# Usage: scripts/scrollback-rss.sh [BUILD_DIR]   (default: .build/release, built if missing)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(cd "${1:-.build/release}" 2>/dev/null && pwd || true)
if [ -z "$bin" ] || [ ! -x "$bin/chat-client" ]; then
    swift build -c release >&2
    bin=$(pwd)/.build/release
fi
work=$(mktemp -d)
socket="chat-rss-$$"
server=""
tm() { tmux -u -L "$socket" -f /dev/null "$@"; }
cleanup() {
    tm kill-server 2>/dev/null || true
    [ -n "$server" ] && kill "$server" 2>/dev/null || true
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# No rate limit, and a send queue the reader cannot overflow on a busy machine (it would be dropped, then resume).
"$bin/chat-server" "$port" --host 127.0.0.1 --rate 0 --backfill 0 --max-send-queue 268435456 2>"$work/server.log" &
server=$!
for _ in $(seq 100); do grep -q listening "$work/server.log" && break; sleep 0.1; done

# wait_for_line TEXT: up to 120 s for TEXT on the reader's screen.
wait_for_line() {
    for _ in $(seq 1200); do
        tm capture-pane -t reader -p | grep -qF -- "$1" && return 0
        sleep 0.1
    done
    echo "scrollback-rss: the reader never showed: $1" >&2
    exit 1
}

rss() { awk '/^VmRSS/ { print $2 }' "/proc/$reader/status"; }

tm new-session -d -s reader -x 80 -y 24 "env TERM=screen $bin/chat-client reader localhost $port"
wait_for_line "*** reader has joined the chat"
reader=$(pgrep -f "^$bin/chat-client reader localhost $port")
echo "joined: VmRSS $(rss) KiB"
sent=0
for total in 10000 100000; do
    seq -f "flood: line %g, about as long as a chat line usually is in a busy room" $((sent + 1)) "$total" |
        "$bin/chat-client" flood localhost "$port" --plain >/dev/null
    sent=$total
    wait_for_line "flood: line $total,"
    echo "$total lines: VmRSS $(rss) KiB"
done
