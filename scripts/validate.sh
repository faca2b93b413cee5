#!/usr/bin/env bash
# Fails when any Swift file is not as `swift format` (with the committed .swift-format) would write it.
set -euo pipefail
cd "$(dirname "$0")/.."
status=0
while IFS= read -r file; do
    if ! diff -q <(swift format "$file") "$file" >/dev/null; then
        echo "not formatted: $file (run: swift format --in-place $file)" >&2
        status=1
    fi
done < <(git ls-files '*.swift')
lint=$(swift format lint --recursive Sources Tests Package.swift 2>&1)
if [ -n "$lint" ]; then
    echo "$lint" >&2
    status=1
fi
exit $status
