#!/usr/bin/env bash
# Starts the chat server on PORT, building the release binary first when it is missing or stale.
# Usage: scripts/server.sh PORT [chat-server options...]
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -lt 1 ]; then
    echo "usage: scripts/server.sh PORT [--host ADDR] [--max-clients N] ..." >&2
    exit 2
fi
binary=.build/release/chat-server
if [ ! -x "$binary" ] || [ -n "$(find Sources Package.swift -newer "$binary" -print -quit)" ]; then
    swift build -c release --product chat-server >&2
fi
exec "$binary" "$@"
