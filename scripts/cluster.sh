#!/usr/bin/env bash
# Starts a local cluster for a demo: one redis-server on a free loopback port, then N chat-server nodes on
# 127.0.0.1 ports BASEPORT .. BASEPORT+N-1, each `--cluster redis://127.0.0.1:RPORT --node nodeK`. Prints how to
# connect, then waits; Ctrl-C (or SIGTERM) stops every process it started, by PID (SIGTERM, then SIGKILL after 5 s).
# Nothing is saved: Redis runs with --save "" --appendonly no in a temporary directory, removed at the end.
# Usage: scripts/cluster.sh N [BASEPORT]   (defaults: BASEPORT 7001)
# Environment: CHAT_BIN (directory of chat-server, default .build/release, built when missing or stale),
# REDIS_SERVER (default: redis-server on PATH), CLUSTER_ARGS (more chat-server options for every node).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -lt 1 ] || ! [[ $1 =~ ^[0-9]+$ ]] || [ "$1" -lt 1 ] || [ "$1" -gt 32 ]; then
    echo "usage: scripts/cluster.sh N [BASEPORT]   (N nodes, 1-32; BASEPORT default 7001)" >&2
    exit 2
fi
nodes=$1
base=${2:-7001}
if ! [[ $base =~ ^[0-9]+$ ]] || [ "$base" -lt 1 ] || [ $((base + nodes - 1)) -gt 65535 ]; then
    echo "cluster.sh: BASEPORT must leave room for $nodes ports below 65536" >&2
    exit 2
fi
redis=${REDIS_SERVER:-$(command -v redis-server || true)}
[ -n "$redis" ] || { echo "cluster.sh: no redis-server (scripts/install-deps.sh installs it)" >&2; exit 1; }
bin=${CHAT_BIN:-.build/release}
if [ -z "${CHAT_BIN:-}" ]; then
    binary=$bin/chat-server
    if [ ! -x "$binary" ] || [ -n "$(find Sources Package.swift -newer "$binary" -print -quit)" ]; then
        swift build -c release --product chat-server >&2
    fi
fi
[ -x "$bin/chat-server" ] || { echo "cluster.sh: no $bin/chat-server" >&2; exit 1; }

dir=$(mktemp -d "${TMPDIR:-/tmp}/chat-cluster.XXXXXX")
pids=()
stop() {
    trap - INT TERM EXIT
    # Nodes first, then Redis, so that no node sees Redis vanish while it is being stopped itself.
    for (( index=${#pids[@]}-1; index>=0; index-- )); do kill -TERM "${pids[$index]}" 2>/dev/null || true; done
    for _ in $(seq 50); do
        alive=0
        for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
        [ $alive -eq 0 ] && break
        sleep 0.1
    done
    for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$dir"
}
trap 'stop; exit 130' INT
trap 'stop; exit 143' TERM
trap stop EXIT

# A free port for Redis: the kernel's pick for port 0, released just before redis-server binds it.
rport=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
"$redis" --port "$rport" --bind 127.0.0.1 --save "" --appendonly no --daemonize no --dir "$dir" \
    --logfile "$dir/redis.log" &
redis_pid=$!
for _ in $(seq 100); do
    [ "$(printf 'PING\r\n' | timeout 1 bash -c "exec 3<>/dev/tcp/127.0.0.1/$rport; cat >&3; head -c 7 <&3" 2>/dev/null)" = $'+PONG\r' ] && break
    kill -0 $redis_pid 2>/dev/null || { cat "$dir/redis.log" >&2; exit 1; }
    sleep 0.1
done
pids=("$redis_pid")
url="redis://127.0.0.1:$rport"
echo "redis-server on $url (pid $redis_pid, log $dir/redis.log)" >&2

for index in $(seq 1 "$nodes"); do
    port=$((base + index - 1))
    # shellcheck disable=SC2086 # CLUSTER_ARGS is a list of options.
    "$bin/chat-server" "$port" --host 127.0.0.1 --cluster "$url" --node "node$index" ${CLUSTER_ARGS:-} \
        2>"$dir/node$index.log" &
    pids+=("$!")
done
for index in $(seq 1 "$nodes"); do
    port=$((base + index - 1))
    pid=${pids[$index]}
    for _ in $(seq 100); do
        grep -q listening "$dir/node$index.log" && break
        kill -0 "$pid" 2>/dev/null || { echo "node$index failed:" >&2; cat "$dir/node$index.log" >&2; exit 1; }
        sleep 0.1
    done
    echo "node$index on 127.0.0.1:$port (pid $pid, log $dir/node$index.log)" >&2
done
others=""
for index in $(seq 2 "$nodes"); do others+=" --also 127.0.0.1:$((base + index - 1))"; done
echo "connect: $bin/chat-client NICK 127.0.0.1 $base$others   (any node: clients move on when theirs is gone)" >&2
echo "Ctrl-C stops all $((nodes + 1)) processes." >&2
# Keeps running when a node dies (kill -9 one to watch its clients move on), saying so once.
declare -A ended=()
while true; do
    for pid in "${pids[@]}"; do
        if [ -z "${ended[$pid]:-}" ] && ! kill -0 "$pid" 2>/dev/null; then
            ended[$pid]=1
            echo "cluster.sh: process $pid ended" >&2
        fi
    done
    sleep 1 &
    wait $! || true
done
