#!/usr/bin/env bash
# Runs the whole system on this machine: installs what is missing, builds, starts a server on PORT in the
# background, and opens the curses client as NICK. The server stops when the client exits.
# Usage: scripts/chat.sh [NICK] [PORT]   (defaults: $USER, 9999)
set -euo pipefail
cd "$(dirname "$0")/.."
nick=${1:-${USER:-guest}}
port=${2:-9999}
scripts/install-deps.sh
swift build -c release --product chat-server >&2
swift build -c release --product chat-client >&2
log=$(mktemp)
.build/release/chat-server "$port" 2>"$log" &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -f "$log"' EXIT
for _ in $(seq 50); do
    grep -q listening "$log" && break
    kill -0 $server 2>/dev/null || { cat "$log" >&2; exit 1; }
    sleep 0.1
done
echo "server on port $port (log: $log); others can join with: .build/release/chat-client NICK localhost $port" >&2
.build/release/chat-client "$nick" localhost "$port"
