#!/usr/bin/env bash
# Builds the libFuzzer target Fuzz/CodecFuzzer (FrameDecoder, Envelope, ClientPacket, ServerPacket, PacketEncoder,
# Sanitizer, Names) and fuzzes it for SECONDS, starting from the committed seed corpus Fuzz/corpus/.
# Usage: scripts/fuzz.sh SECONDS [extra libFuzzer flags]     e.g. scripts/fuzz.sh 20 (CI), scripts/fuzz.sh 600
# Exits non-zero when libFuzzer finds a crash or a broken invariant; the input is saved as Fuzz/.build/artifacts/crash-*
# and can be replayed with `Fuzz/.build/release/CodecFuzzer Fuzz/.build/artifacts/crash-...`.
# FUZZ_JOBS=N runs N fuzzing processes on the shared work corpus (default 1).
# FUZZ_TARGET=HubFuzzer fuzzes the server's ChatHub with event sequences instead (seeds in Fuzz/corpus-hub/).
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-}
if ! [[ "$seconds" =~ ^[0-9]+$ ]] || [ "$seconds" -lt 1 ]; then
    echo "usage: scripts/fuzz.sh SECONDS [libFuzzer flags]" >&2
    exit 2
fi
shift

scratch=Fuzz/.build
# A fuzzer without AddressSanitizer misses the memory errors it is there to find: a failed build fails the run.
echo "== build (release, -sanitize=fuzzer,address)"
mkdir -p "$scratch"
build_log=$scratch/build.log
status=0
swift build -c release --package-path Fuzz --scratch-path "$scratch" -Xswiftc -sanitize=fuzzer,address \
    >"$build_log" 2>&1 || status=$?
if [ "$status" -ne 0 ]; then
    grep -E "error:" "$build_log" >&2 || tail -n 20 "$build_log" >&2
    echo "fuzz.sh: FAILED: the fuzzer build (-sanitize=fuzzer,address) failed with status $status; log in $build_log" >&2
    exit 1
fi
grep -E "Build complete" "$build_log" || true
target=${FUZZ_TARGET:-CodecFuzzer}
fuzzer="$(swift build -c release --package-path Fuzz --scratch-path "$scratch" --show-bin-path)/$target"
[ -x "$fuzzer" ] || { echo "fuzz.sh: FAILED: no fuzz target $target at $fuzzer" >&2; exit 1; }

# The committed seeds stay untouched; libFuzzer grows a gitignored copy that survives between runs.
seeds=Fuzz/corpus
work=Fuzz/corpus-work
if [ "$target" = HubFuzzer ]; then
    seeds=Fuzz/corpus-hub
    work=Fuzz/corpus-work-hub
fi
artifacts=$scratch/artifacts
mkdir -p "$work" "$artifacts"
cp -n "$seeds"/* "$work"/ 2>/dev/null || true

jobs=${FUZZ_JOBS:-1}
log=$(mktemp /tmp/chat-fuzz.XXXXXX)
echo "== fuzz for ${seconds}s (${jobs} job(s)), log in $log"
status=0
run() {
    "$fuzzer" "$work" -dict=Fuzz/codec.dict -max_total_time="$seconds" -max_len=70000 -rss_limit_mb=2048 \
        -timeout=10 -artifact_prefix="$artifacts/" -print_final_stats=1 "$@"
}
if [ "$jobs" -gt 1 ]; then
    pids=()
    for job in $(seq "$jobs"); do
        run "$@" >"$log.$job" 2>&1 &
        pids+=($!)
    done
    for pid in "${pids[@]}"; do wait "$pid" || status=$?; done
    cat "$log".* >"$log"
    rm -f "$log".*
else
    run "$@" >"$log" 2>&1 || status=$?
fi

# The last status line of each job carries the coverage figures; the final stats carry the execution counts.
grep -E "^#[0-9]+[[:space:]]+DONE" "$log" || grep -E "^#[0-9]+" "$log" | tail -n 1 || true
executions=$(awk '/stat::number_of_executed_units/ { sum += $2 } END { print sum + 0 }' "$log")
rate=$(awk '/stat::average_exec_per_sec/ { sum += $2 } END { print sum + 0 }' "$log")
echo "executions: $executions in ${seconds}s (${rate} exec/s), corpus $(ls "$work" | wc -l) files"
if [ "$status" -ne 0 ]; then
    grep -E "ERROR|Fatal error|Precondition failed|SUMMARY|Test unit written|artifact_prefix" "$log" | head -20 >&2
    echo "fuzz.sh: $target failed (status $status); full log in $log" >&2
    exit 1
fi
echo "== no crash"
