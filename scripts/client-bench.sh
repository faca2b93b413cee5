#!/usr/bin/env bash
# The curses client under a flood (docs/PERFORMANCE.md, "Client under a flood"): a release chat-server without
# a rate limit, a sender flooding the lobby at 5,000 lines/s, and chat-client on a pseudo-terminal (80x24,
# xterm-256color) while a key is typed every 20 ms. Prints the client's CPU (% of one core), the keystroke echo
# delay p50/p99 and its RSS before the flood, after 10,000 lines and at the end. A benchmark: it prints
# figures and asserts no speed; it fails only when the client does not work (keys not echoed, the flood's
# last line not shown, a disconnect, a bad exit).
#
#   scripts/client-bench.sh                 release build, 20 s of flood
#   scripts/client-bench.sh --smoke         debug build, 4 s at 2,000 lines/s, about 20 s in all (for CI)
#   scripts/client-bench.sh --client PATH   measure another chat-client binary (e.g. a baseline build)
#
# Environment: SCRATCH (SwiftPM scratch path, default .build), RATE (lines/s, default 5000), DURATION (seconds
# of flood, default 20).
set -euo pipefail
cd "$(dirname "$0")/.."

mode=full
client=""
while [ $# -gt 0 ]; do
    case "$1" in
        --smoke) mode=smoke ;;
        --client) client="$2"; shift ;;
        *) echo "usage: $0 [--smoke] [--client PATH]" >&2; exit 2 ;;
    esac
    shift
done

scratch="${SCRATCH:-.build}"
configuration=release
[ "$mode" = smoke ] && configuration=debug
for product in chat-server chat-client; do
    swift build -c "$configuration" --scratch-path "$scratch" --product "$product" >/dev/null
done
bin="$(swift build -c "$configuration" --scratch-path "$scratch" --show-bin-path)"
client="${client:-$bin/chat-client}"

if [ "$mode" = smoke ]; then
    exec timeout 60 python3 scripts/client_bench.py --server "$bin/chat-server" --client "$client" --smoke
fi
exec timeout 300 python3 scripts/client_bench.py --server "$bin/chat-server" --client "$client" \
    --rate "${RATE:-5000}" --duration "${DURATION:-20}"
