#!/usr/bin/env bash
# Every test: unit and integration tests (Swift Testing, real sockets on 127.0.0.1), the scripted smoke run,
# the terminal test under tmux, a short zero-loss benchmark, a short fuzz run, and the suite again under Thread- and AddressSanitizer.
# Usage: scripts/test.sh [--quick]   (--quick skips the fuzz and sanitizer passes)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh

echo "== format"
scripts/validate.sh

echo "== build and test"
swift build --build-tests 2>&1 | tee /tmp/chat-build.log | grep -E "warning:|error:" && { echo "build has warnings or errors" >&2; exit 1; }
swift test --skip-build

echo "== smoke"
scripts/smoke.sh .build/debug

echo "== terminal test"
scripts/tui-test.sh .build/debug

echo "== benchmark smoke (zero loss, duplication and reordering; no speed assertion)"
scripts/bench.sh --smoke

if [ "${1:-}" != "--quick" ]; then
    echo "== fuzz (short: the target builds and the seed corpus holds)"
    scripts/fuzz.sh 20

    echo "== thread sanitizer"
    swift test --sanitize=thread --scratch-path .build-tsan

    echo "== address sanitizer"
    LSAN_OPTIONS="suppressions=$PWD/Tests/lsan.supp" CHAT_SANITIZER=address \
        swift test --sanitize=address --scratch-path .build-asan
fi
echo "== all tests passed"
