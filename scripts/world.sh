#!/usr/bin/env bash
# Starts chat-server in world mode with the sample world (worlds/saltmarsh.toml); Ctrl-C stops it.
# Usage: scripts/world.sh [PORT] [more chat-server options, e.g. --db world.sqlite]
set -euo pipefail
cd "$(dirname "$0")/.."
port=${1:-4000}
shift || true
swift build --product chat-server >&2
server=$(swift build --show-bin-path)/chat-server
echo "world mode on port $port: connect with chat-client NICK 127.0.0.1 $port, then type /look, /help" >&2
"$server" "$port" --world worlds/saltmarsh.toml "$@" &
pid=$!
trap 'kill -INT "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; exit 0' INT TERM
wait "$pid"
