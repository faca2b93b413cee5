#!/usr/bin/env bash
# The cluster's figures for docs/CLUSTER.md, in one run: chat-bench against one plain node and against a
# three-node cluster (a local Redis, nodes on loopback), side by side: max-mode deliveries/s, p99 latency at a
# fixed 1,000 msg/s, and connect+join of 3,000 clients. Every process it starts is stopped by PID at the end.
# Usage: scripts/cluster-bench.sh [DURATION]   (seconds of load per run, default 5)
# Environment: CHAT_BIN (default .build/release, built when missing), REDIS_SERVER (default: on PATH).
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-5}
bin=${CHAT_BIN:-.build/release}
[ -x "$bin/chat-server" ] && [ -x "$bin/chat-bench" ] || swift build -c release >&2
redis=${REDIS_SERVER:-$(command -v redis-server)}
dir=$(mktemp -d "${TMPDIR:-/tmp}/chat-cluster-bench.XXXXXX")
pids=()
results=()
cleanup() {
    for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    sleep 1
    for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$dir"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
await_log() { for _ in $(seq 100); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done; echo "no '$2' in $1" >&2; cat "$1" >&2; exit 1; }

rport=$(free_port)
"$redis" --port "$rport" --bind 127.0.0.1 --save "" --appendonly no --dir "$dir" --logfile "$dir/redis.log" &
pids+=("$!")
sleep 0.5
# --rate 0: the bench's senders go as fast as their window allows, as in docs/PERFORMANCE.md.
single=$(free_port)
"$bin/chat-server" "$single" --host 127.0.0.1 --rate 0 2>"$dir/single.log" &
pids+=("$!")
ports=()
for index in 1 2 3; do
    port=$(free_port)
    "$bin/chat-server" "$port" --host 127.0.0.1 --rate 0 --cluster "redis://127.0.0.1:$rport" --node "node$index" \
        2>"$dir/node$index.log" &
    pids+=("$!")
    ports+=("$port")
done
await_log "$dir/single.log" listening
for index in 1 2 3; do await_log "$dir/node$index.log" "cluster store reachable"; done
cluster=$(IFS=,; echo "${ports[*]}")

field() { python3 -c 'import json,sys; d=json.loads(sys.stdin.read().splitlines()[-1]); print(eval(sys.argv[1], {}, d))' "$1"; }
run() { "$bin/chat-bench" --json-only "$@"; }
printf '| measure | 1 node | 3 nodes (Redis) |\n|---|---|---|\n'
for target in single cluster; do
    if [ $target = single ]; then where=(--port "$single"); else where=(--ports "$cluster"); fi
    out[0]=$(run "${where[@]}" --clients 100 --senders 10 --duration "$duration")
    out[1]=$(run "${where[@]}" --clients 100 --senders 10 --mode rate --rate 1000 --duration "$duration")
    out[2]=$(run "${where[@]}" --clients 3000 --senders 1 --mode rate --rate 10 --duration 1)
    results+=("$(echo "${out[0]}" | field 'f"{deliveries_per_sec:,} (p99 {latency_us[chr(112)+chr(57)+chr(57)]/1000:.1f} ms, ok {ok})"')")
    results+=("$(echo "${out[1]}" | field 'f"{latency_us[chr(112)+chr(57)+chr(57)]/1000:.2f} ms (p50 {latency_us[chr(112)+chr(53)+chr(48)]/1000:.2f} ms, ok {ok})"')")
    results+=("$(echo "${out[2]}" | field 'f"{connect_join_seconds:.2f} s ({join_errors} errors, ok {ok})"')")
    # Leave the 3,000 clients' sessions behind before the next run.
    sleep 1
done
printf '| max-mode deliveries/s, 100 clients × 10 senders | %s | %s |\n' "${results[0]}" "${results[3]}"
printf '| p99 latency at a fixed 1,000 msg/s into 100 clients | %s | %s |\n' "${results[1]}" "${results[4]}"
printf '| connect+join of 3,000 clients (every join seen) | %s | %s |\n' "${results[2]}" "${results[5]}"
