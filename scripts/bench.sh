#!/usr/bin/env bash
# Reproduces the goal table of docs/PERFORMANCE.md with chat-bench against a fresh release chat-server per run,
# on loopback only. Every run stops by itself (each phase of chat-bench is bounded in time).
#
#   scripts/bench.sh                 release build, the goal table, then the scaling series
#   scripts/bench.sh --table         the goal table only
#   scripts/bench.sh --smoke         debug build, a few seconds, checks zero loss/duplication/reordering (for CI)
#   scripts/bench.sh --server PATH   measure another chat-server binary (e.g. a patched build)
#   scripts/bench.sh --compare PATH  throughput side by side: PATH (a baseline chat-server, e.g. the previous
#                                    commit's release build), this build (history in memory) and, at 1,000 × 10,
#                                    this build with --db (a fresh SQLite file per run), alternating, ROUNDS times
#
# Environment: SCRATCH (SwiftPM scratch path, default .build), DURATION (seconds of load, default 5), ROUNDS
# (runs per server and size with --compare, default 3),
# RESULTS (file collecting every JSON line, default .build-results/bench-<time>.jsonl).
set -euo pipefail
cd "$(dirname "$0")/.."

mode=full
server=""
baseline=""
while [ $# -gt 0 ]; do
    case "$1" in
        --smoke) mode=smoke ;;
        --table) mode=table ;;
        --server) server="$2"; shift ;;
        --compare) mode=compare; baseline="$2"; shift ;;
        *) echo "usage: $0 [--smoke | --table | --compare BASELINE] [--server PATH]" >&2; exit 2 ;;
    esac
    shift
done

scratch="${SCRATCH:-.build}"
duration="${DURATION:-5}"
failures=0

if [ "$mode" = smoke ]; then
    swift build --scratch-path "$scratch" --product chat-server >/dev/null
    swift build --scratch-path "$scratch" --product chat-bench >/dev/null
    bin="$(swift build --scratch-path "$scratch" --show-bin-path)"
    server="${server:-$bin/chat-server}"
    "$bin/chat-bench" --spawn-server "$server" --clients 20 --senders 4 --duration 1 --window 16 || failures=1
    "$bin/chat-bench" --spawn-server "$server" --clients 50 --senders 5 --mode rate --rate 500 --duration 1 \
        || failures=1
    # Resume: 10 connections (senders too) reset during the load and resumed; the gap of a cut client is at most
    # senders × window = 64 messages, within the server's default replay limit of 200.
    "$bin/chat-bench" --spawn-server "$server" --clients 20 --senders 4 --duration 1 --window 16 --cuts 10 \
        --seed 1 || failures=1
    if [ "$failures" -ne 0 ]; then echo "bench smoke: FAILED" >&2; exit 1; fi
    echo "bench smoke: no loss, duplication or reordering, also across resumed cuts"
    exit 0
fi

swift build -c release --scratch-path "$scratch" --product chat-server >/dev/null
swift build -c release --scratch-path "$scratch" --product chat-bench >/dev/null
bin="$(swift build -c release --scratch-path "$scratch" --show-bin-path)"
server="${server:-$bin/chat-server}"
mkdir -p .build-results
results="${RESULTS:-.build-results/bench-$(date +%Y%m%d-%H%M%S).jsonl}"

# busy_percent: how busy all CPUs were over the last second, from /proc/stat.
busy_percent() {
    local a b
    a=($(head -1 /proc/stat))
    sleep 1
    b=($(head -1 /proc/stat))
    local idle=$(((b[4] + b[5]) - (a[4] + a[5])))
    local total=0 i
    for i in 1 2 3 4 5 6 7 8; do total=$((total + b[i] - a[i])); done
    echo $((total > 0 ? 100 - 100 * idle / total : 0))
}

# wait_quiet: the machine is shared; wait (at most QUIET_WAIT seconds, default 300) until other work leaves
# the CPUs under 10% busy, so that a run measures the server and the bench only.
wait_quiet() {
    local waited=0 busy
    while busy="$(busy_percent)" && [ "$busy" -ge 10 ] && [ "$waited" -lt "${QUIET_WAIT:-300}" ]; do
        waited=$((waited + 1))
    done
    [ "$busy" -lt 10 ] || echo "warning: CPUs ${busy}% busy with other work; figures will be low" >&2
}

# Runs happen in command substitutions (subshells), so failures are counted in a file, not a variable.
failed_runs="$(mktemp "${TMPDIR:-/tmp}/chat-bench-failed.XXXXXX")"
scratch_files=("$failed_runs")
trap 'rm -rf "${scratch_files[@]}"' EXIT

# run LABEL ARGS...: one chat-bench run against a fresh server; prints its JSON line.
run() {
    local label="$1"
    shift
    local line
    wait_quiet
    if ! line="$("$bin/chat-bench" --spawn-server "$server" --json-only "$@")"; then echo "$label" >>"$failed_runs"; fi
    echo "{\"label\":\"$label\",\"result\":${line:-null}}" >>"$results"
    echo "$line"
}

# count_failures: sets failures to the number of runs that failed so far.
count_failures() { failures="$(wc -l <"$failed_runs")"; }

# field JSON NAME: a scalar field of a chat-bench JSON line.
field() { sed -E "s/.*\"$2\":([^,}]*).*/\1/" <<<"$1"; }

kib_per_client() { awk -v a="$1" -v b="$2" -v n="$3" 'BEGIN { printf "%.2f", (a - b) / n }'; }
millions() { awk -v v="$1" 'BEGIN { printf "%.2f M", v / 1e6 }'; }
ms() { awk -v v="$1" 'BEGIN { printf "%.2f ms", v / 1000 }'; }

if [ "$mode" = compare ]; then
    # Alternating runs share whatever the machine is doing, so the ratio is fair even when the absolute
    # figures drift; the median of the rounds is reported. Every --db run gets a fresh SQLite file (with its
    # -wal and -shm) in a directory of its own, removed right after the run and, at the latest, on exit.
    median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
    ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", (b > 0 ? a / b : 0) }'; }
    # throughput LABEL CLIENTS [BENCH ARGS...]: one max-mode run's deliveries/s.
    throughput() {
        local label="$1" clients="$2"
        shift 2
        field "$(run "$label-max-${clients}x10" --clients "$clients" --senders 10 --duration "$duration" "$@")" \
            deliveries_per_sec
    }
    databases="$(mktemp -d "${TMPDIR:-/tmp}/chat-bench-db.XXXXXX")"
    scratch_files+=("$databases")
    current="$server"
    rounds="${ROUNDS:-3}"
    echo "| measure | baseline | this build | ratio | goal |"
    echo "|---|---|---|---|---|"
    for clients in 100 1000; do
        base_runs=() this_runs=() db_runs=()
        for round in $(seq "$rounds"); do
            server="$baseline"
            base_runs+=("$(throughput baseline "$clients")")
            server="$current"
            this_runs+=("$(throughput current "$clients")")
            if [ "$clients" = 1000 ]; then
                directory="$(mktemp -d "$databases/run.XXXXXX")"
                db_runs+=("$(throughput current-db "$clients" --server-arg --db --server-arg "$directory/history.sqlite")")
                rm -rf "$directory"
            fi
        done
        base="$(printf '%s\n' "${base_runs[@]}" | median)"
        this="$(printf '%s\n' "${this_runs[@]}" | median)"
        goal="—"
        [ "$clients" = 1000 ] && goal="≥ 0.9"
        echo "| max-mode deliveries/s, $clients × 10, history in memory (median of $rounds) | $(millions "$base") |" \
            "$(millions "$this") | $(ratio "$this" "$base") | $goal |"
        if [ "$clients" = 1000 ]; then
            db="$(printf '%s\n' "${db_runs[@]}" | median)"
            echo "| max-mode deliveries/s, $clients × 10, history in SQLite \`--db\` (median of $rounds) |" \
                "$(millions "$base") | $(millions "$db") | $(ratio "$db" "$base") | ≥ 0.8 |"
        fi
    done
    count_failures
    [ "$failures" -eq 0 ] || { echo "bench: $failures run(s) failed; see $results" >&2; exit 1; }
    exit 0
fi

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')" >&2
echo "server: $server; results: $results" >&2

max100="$(run max-100x10 --clients 100 --senders 10 --duration "$duration")"
max1k="$(run max-1000x10 --clients 1000 --senders 10 --duration "$duration")"
join10k="$(run join-10000 --join-timeout 180 --clients 10000 --senders 0 --duration 0 --idle 3)"
rate100="$(run rate-1000-into-100 --clients 100 --senders 10 --mode rate --rate 1000 --duration "$duration")"
rate1k="$(run rate-100-into-1000 --clients 1000 --senders 10 --mode rate --rate 100 --duration "$duration")"
idle1k="$(run idle-1000 --clients 1000 --senders 0 --duration 0 --idle 3)"

bad=0
for line in "$max100" "$max1k" "$join10k" "$rate100" "$rate1k" "$idle1k"; do
    for key in lost duplicated out_of_order join_errors disconnects; do
        bad=$((bad + $(field "$line" "$key")))
    done
done

cat <<TABLE

| measure | goal | measured |
|---|---|---|
| max-mode deliveries/s, 100 clients × 10 senders | ≥ 3,000,000 | $(millions "$(field "$max100" deliveries_per_sec)") (p99 $(ms "$(field "$max100" p99)")) |
| max-mode deliveries/s, 1,000 clients × 10 senders | ≥ 3,000,000 | $(millions "$(field "$max1k" deliveries_per_sec)") (p99 $(ms "$(field "$max1k" p99)")) |
| 10,000 clients connected and joined (every join seen) | ≤ 12 s, no errors | $(field "$join10k" connect_join_seconds) s, $(field "$join10k" join_errors) errors |
| fixed rate 1,000 msg/s into 100 clients: p99 latency | ≤ 2.5 ms | $(ms "$(field "$rate100" p99)") |
| fixed rate 100 msg/s into 1,000 clients: p99 latency | ≤ 25 ms | $(ms "$(field "$rate1k" p99)") |
| server RSS per idle connected client (10,000 clients) | ≤ 4 KiB | $(kib_per_client "$(field "$join10k" server_rss_kib_joined)" "$(field "$join10k" server_rss_kib_before)" 10000) KiB |
| server CPU idle 3 s, 1,000 clients joined | 0 | $(field "$idle1k" idle_server_cpu_seconds) s (bench $(field "$idle1k" idle_bench_cpu_seconds) s) |
| server CPU idle 3 s right after 10,000 joined | 0 | $(field "$join10k" idle_server_cpu_seconds) s (bench $(field "$join10k" idle_bench_cpu_seconds) s) |
| loss / duplication / reordering | 0 in every run | $bad |
TABLE

if [ "$mode" = full ]; then
    echo
    echo "| clients | senders | deliveries/s | messages/s | p50 | p99 | server CPU s | bench CPU s |"
    echo "|---|---|---|---|---|---|---|---|"
    for clients in 10 100 1000 10000; do
        line="$(run "scaling-$clients" --join-timeout 180 --clients "$clients" --senders 10 --duration "$duration")"
        echo "| $clients | 10 | $(millions "$(field "$line" deliveries_per_sec)") | $(field "$line" messages_per_sec)" \
            "| $(ms "$(field "$line" p50)") | $(ms "$(field "$line" p99)") | $(field "$line" server_cpu_seconds)" \
            "| $(field "$line" bench_cpu_seconds) |"
    done
fi

count_failures
if [ "$failures" -ne 0 ]; then
    echo "bench: $failures run(s) failed (loss, reordering, errors or a timeout); see $results" >&2
    exit 1
fi
