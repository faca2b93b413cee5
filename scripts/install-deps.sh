#!/usr/bin/env bash
# Installs the Debian packages the build and the tests use, when missing: ncurses headers for the client, SQLite
# headers for the server's history database, OpenSSL headers for TLS, hiredis headers and redis-server for the
# cluster (the tests start their own redis-server), the openssl tool (the TLS tests make their
# certificates with it), ca-certificates (the system trust store a TLS client verifies against), tmux for the
# terminal test, python3 (free ports in the scripts), procps (pkill), coreutils (timeout, mkfifo), diffutils, git
# (validate.sh lists the sources with it). The Swift toolchain itself is not a Debian package. Needs root (or sudo)
# only when something is missing.
set -euo pipefail
missing=()
for package in libncurses-dev libsqlite3-dev libssl-dev libhiredis-dev redis-server openssl ca-certificates tmux python3 procps coreutils diffutils git; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "installing: ${missing[*]}" >&2
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
