#!/usr/bin/env bash
# Every test: unit and integration tests (Swift Testing, real sockets on 127.0.0.1), the server's suites once more
# over TLS, the scripted smoke run, the terminal test under tmux, a short zero-loss benchmark, the curses client
# under a short flood, a short run of both fuzzers, and the suite again under Thread- and AddressSanitizer.
# Usage: scripts/test.sh [--quick]   (--quick skips the fuzz and sanitizer passes)
# Every step runs under `timeout`: a step that hangs fails with its name instead of holding the script forever.
# TEST_TIME_SCALE=N multiplies every step's limit (a slow or busy machine).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh

scale=${TEST_TIME_SCALE:-1}
# step NAME SECONDS COMMAND...: runs COMMAND with a limit of SECONDS; stops the script if it fails or times out.
# timeout signals COMMAND's whole process group, so servers and clients a script started go too.
step() {
    local name=$1 limit=$(($2 * scale)) status=0
    shift 2
    echo "== $name"
    timeout --kill-after=10 "$limit" "$@" || status=$?
    case $status in
        0) ;;
        124 | 137) echo "test.sh: step \"$name\" timed out after ${limit}s" >&2; exit 1 ;;
        *) echo "test.sh: step \"$name\" failed (status $status)" >&2; exit 1 ;;
    esac
}

# build: the package and its tests; a failure or any warning fails the step, so no stale binary is tested.
build() {
    local log=.build/chat-build.log status=0
    mkdir -p .build
    swift build --build-tests >"$log" 2>&1 || status=$?
    if [ "$status" -ne 0 ]; then
        grep -E "error:" "$log" >&2 || tail -n 20 "$log" >&2
        echo "swift build failed (status $status), log in $log" >&2
        return 1
    fi
    if grep -E "warning:" "$log" >&2; then
        echo "the build has warnings, log in $log" >&2
        return 1
    fi
}
export -f build

step "format" 300 scripts/validate.sh
step "build" 900 bash -c build
step "unit and integration tests" 1200 swift test --skip-build
step "the server suites again over TLS" 600 env CHAT_TEST_TLS=1 swift test --skip-build --filter ChatServerCoreTests
# Through a cluster: every in-process test server becomes a real redis-server and three nodes, clients spread
# round robin. Left out: a single server's shutdown (a node's shutdown is the cluster's fault tests' business) and
# the client TLS suite, which restarts a server on one port.
step "the server and client suites again through three cluster nodes" 900 env CHAT_TEST_CLUSTER=3 \
    swift test --skip-build --filter "ChatServerCoreTests|ChatClientCoreTests" --skip "ShutdownTests|ClientTLSTests"
step "smoke" 300 scripts/smoke.sh .build/debug
step "terminal test" 300 scripts/tui-test.sh .build/debug
step "benchmark smoke (zero loss, duplication and reordering; no speed assertion)" 600 scripts/bench.sh --smoke
step "client flood smoke (keys echoed, the last line shown, no speed assertion)" 300 scripts/client-bench.sh --smoke

if [ "${1:-}" != "--quick" ]; then
    # Short runs: the targets build with their sanitizers and the seed corpora hold.
    step "fuzz CodecFuzzer" 1800 env FUZZ_TARGET=CodecFuzzer scripts/fuzz.sh 15
    step "fuzz HubFuzzer" 1800 env FUZZ_TARGET=HubFuzzer scripts/fuzz.sh 15
    # One test at a time: a sanitizer makes every test several times slower, and tests that wait in blocking calls
    # would otherwise hold both threads of the cooperative pool on these two cores and starve the rest past their
    # time limits.
    step "thread sanitizer" 1500 swift test --sanitize=thread --scratch-path .build-tsan --no-parallel
    step "address sanitizer" 1500 env LSAN_OPTIONS="suppressions=$PWD/Tests/lsan.supp" CHAT_SANITIZER=address \
        swift test --sanitize=address --scratch-path .build-asan --no-parallel
fi
echo "== all tests passed"
