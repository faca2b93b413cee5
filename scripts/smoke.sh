#!/usr/bin/env bash
# End-to-end smoke test: a real server and scripted plain-mode clients replay the assignment's sample
# conversation, then a second scenario exercises every command; each transcript must match exactly.
# Usage: scripts/smoke.sh [BUILD_DIR]   (default: .build/debug, built if missing)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-.build/debug}
[ -x "$bin/chat-server" ] && [ -x "$bin/chat-client" ] || swift build >&2

work=$(mktemp -d)
# The user's own config file (timestamps, a transcript) must not change the transcripts compared here.
export XDG_CONFIG_HOME="$work/config"
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
: >"$work/server.log"
# --backfill 0: the assignment's sample has no history; a joining client sees only what comes after it.
"$bin/chat-server" "$port" --host 127.0.0.1 --backfill 0 2>"$work/server.log" &
server=$!
pids+=("$server")

fail() {
    echo "smoke: FAIL: $*" >&2
    for f in "$work"/*.out "$work/server.log"; do echo "--- $f" >&2; cat "$f" >&2; done
    exit 1
}

listening=""
for _ in $(seq 100); do
    grep -q listening "$work/server.log" && { listening=yes; break; }
    sleep 0.1
done
[ -n "$listening" ] || fail "the server did not listen within 10 s"

# connect NICK: starts a plain client whose stdin is a FIFO kept open by this script.
declare -A input
connect() {
    local nick=$1
    mkfifo "$work/$nick.in"
    "$bin/chat-client" "$nick" localhost "$port" <"$work/$nick.in" >"$work/$nick.out" 2>"$work/$nick.err" &
    local pid=$!
    pids+=("$pid")
    echo "$pid" >"$work/$nick.pid"
    exec {fd}>"$work/$nick.in"
    input[$nick]=$fd
}

say() { printf '%s\n' "$2" >&"${input[$1]}"; }

# expect NICK TEXT: waits up to 15 s for the line TEXT in NICK's transcript.
expect() {
    for _ in $(seq 300); do
        grep -qxF -- "$2" "$work/$1.out" && return 0
        sleep 0.05
    done
    fail "$1 never showed: $2"
}

# await_exit NICK: waits up to 10 s for NICK's client to exit and sets `exited` to its exit status.
await_exit() {
    local pid
    pid=$(cat "$work/$1.pid")
    for _ in $(seq 200); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
    kill -0 "$pid" 2>/dev/null && fail "$1's client did not exit within 10 s"
    exited=0
    wait "$pid" || exited=$?
}

# finish NICK: types /q and checks the client exits 0.
finish() {
    say "$1" "/q"
    await_exit "$1"
    [ "$exited" = 0 ] || fail "$1 exited with status $exited"
}

# transcript NICK EXPECTED: compares NICK's whole transcript with EXPECTED.
transcript() {
    diff -u <(printf '%s\n' "$2") "$work/$1.out" >&2 || fail "$1's transcript differs"
}

welcome="*** Welcome! Type /help for the commands."

# MARK: - Scenario 1: the assignment's sample conversation
connect pat;    expect pat "*** pat has joined the chat"
say pat "Hello?";                     expect pat "pat: Hello?"
connect leslie; expect pat "*** leslie has joined the chat"
say leslie "hi everyone!";            expect pat "leslie: hi everyone!"
say pat "hows it going";              expect leslie "pat: hows it going"
connect chris;  expect pat "*** chris has joined the chat"; expect leslie "*** chris has joined the chat"
say chris "OK, now we can start!";    expect pat "chris: OK, now we can start!"; expect leslie "chris: OK, now we can start!"
say pat "lol";                        expect chris "pat: lol"; expect leslie "pat: lol"
say leslie "Why are you always last?"; expect chris "leslie: Why are you always last?"; expect pat "leslie: Why are you always last?"
finish chris;   expect pat "*** chris has left the chat"; expect leslie "*** chris has left the chat"

transcript pat "*** pat has joined the chat
$welcome
pat: Hello?
*** leslie has joined the chat
leslie: hi everyone!
pat: hows it going
*** chris has joined the chat
chris: OK, now we can start!
pat: lol
leslie: Why are you always last?
*** chris has left the chat"
transcript leslie "*** leslie has joined the chat
$welcome
leslie: hi everyone!
pat: hows it going
*** chris has joined the chat
chris: OK, now we can start!
pat: lol
leslie: Why are you always last?
*** chris has left the chat"
transcript chris "*** chris has joined the chat
$welcome
chris: OK, now we can start!
pat: lol
leslie: Why are you always last?"
finish pat
finish leslie
echo "smoke: scenario 1 (assignment sample) passed"

# MARK: - Scenario 2: every command
connect ana;  expect ana "*** ana has joined the chat"
connect bo;   expect ana "*** bo has joined the chat"
say ana "/help";                 expect ana "***   //text           send a line that starts with /"
say ana "/who";                  expect ana "*** in lobby: ana, bo"
# A move shows who is in the new room (issue 11); the first entry, at the hello, does not (scenario 1).
say bo "/join Games";            expect bo "*** bo has joined Games"; expect ana "*** bo moved to Games"; expect bo "*** in Games: bo"
say ana "/rooms";                expect ana "*** rooms: Games (1), lobby (1)"
say ana "/msg bo psst, over here"; expect bo "ana -> bo: psst, over here"; expect ana "ana -> bo: psst, over here"
say ana "/message BO again";     expect bo "ana -> bo: again"
say ana "/msg nobody hi";        expect ana "*** error: no such user: nobody"
say ana "/join games";           expect ana "*** ana has joined Games"; expect bo "*** ana has joined Games"
say bo "/me waves";              expect ana "[bo waves]"; expect bo "[bo waves]"
say ana "//etc is a directory";  expect bo "ana: /etc is a directory"
say bo "/leave";                 expect bo "*** bo has joined the chat"; expect ana "*** bo moved to lobby"; expect bo "*** in lobby: bo"
say ana "/quit now";             expect ana "*** usage: /q"
say ana "/dance";                expect ana "*** unknown command: /dance (try /help)"
say ana "/quit"
await_exit ana
[ "$exited" = 0 ] || fail "ana exited with status $exited"
say bo "/rooms";                 expect bo "*** rooms: lobby (1)"
finish bo
transcript bo "*** bo has joined the chat
$welcome
*** bo has joined Games
*** in Games: bo
ana -> bo: psst, over here
ana -> bo: again
*** ana has joined Games
[bo waves]
ana: /etc is a directory
*** bo has joined the chat
*** in lobby: bo
*** rooms: lobby (1)"
echo "smoke: scenario 2 (every command) passed"

# A rejected nick exits 1 with the server's reason on one line; bad arguments exit 2. Each run has 10 s
# (status 124 if it hangs).
connect dup; expect dup "*** dup has joined the chat"
set +e
timeout 10 "$bin/chat-client" DUP localhost "$port" </dev/null >"$work/dup2.out" 2>"$work/dup2.err"; status=$?
timeout 10 "$bin/chat-client" pat localhost notaport </dev/null >/dev/null 2>&1; usage=$?
timeout 10 "$bin/chat-client" pat 127.0.0.1 1 </dev/null >/dev/null 2>"$work/refused.err"; refused=$?
timeout 10 "$bin/chat-client" "bad nick" localhost "$port" </dev/null >/dev/null 2>&1; badnick=$?
server_usage=""
for args in "" "0" "70000" "$port --rate -1" "$port --max-clients 0" "$port --log-level loud" "$port --resume-grace -1" "$port --backfill -1"; do
    # shellcheck disable=SC2086
    timeout 10 "$bin/chat-server" $args >/dev/null 2>&1 </dev/null; server_usage="$server_usage $?"
done
timeout 10 "$bin/chat-client" eof localhost "$port" </dev/null >"$work/eof.out" 2>&1; eof=$?
# Files the server cannot use: one line each, exit 1.
timeout 10 "$bin/chat-server" 1 --password-file "$work/missing" </dev/null >/dev/null 2>"$work/password.err"
nopassword=$?
timeout 10 "$bin/chat-server" 1 --db "$work/missing/history.db" </dev/null >/dev/null 2>"$work/db.err"; nodb=$?
scripts/make-cert.sh "$work/tls" localhost 2 2>/dev/null
scripts/make-cert.sh "$work/other" localhost 2 2>/dev/null
timeout 10 "$bin/chat-server" 1 --tls-cert "$work/tls/missing.pem" --tls-key "$work/tls/key.pem" --tls-port 2 \
    </dev/null >/dev/null 2>"$work/nocert.err"; nocert=$?
timeout 10 "$bin/chat-server" 1 --tls-cert "$work/tls/cert.pem" --tls-key "$work/other/key.pem" --tls-port 2 \
    </dev/null >/dev/null 2>"$work/mismatch.err"; mismatch=$?
set -e
[ "$nopassword" = 1 ] && [ "$(wc -l <"$work/password.err")" = 1 ] &&
    grep -q "^chat-server: --password-file $work/missing: cannot read it" "$work/password.err" ||
    fail "missing password file: status $nopassword, $(cat "$work/password.err")"
for case in nocert:$nocert mismatch:$mismatch; do
    name=${case%%:*}
    [ "${case#*:}" = 1 ] && [ "$(wc -l <"$work/$name.err")" = 1 ] && grep -q "^chat-server: TLS " "$work/$name.err" ||
        fail "TLS $name: status ${case#*:}, $(cat "$work/$name.err")"
done
[ "$nodb" = 1 ] && [ "$(wc -l <"$work/db.err")" = 1 ] &&
    grep -q "^chat-server: history database $work/missing/history.db: open: " "$work/db.err" ||
    fail "unusable database: status $nodb, $(cat "$work/db.err")"
[ "$status" = 1 ] && grep -qxF "chat-client: nick already in use: DUP" "$work/dup2.err" || fail "rejected nick: status $status"
[ "$usage" = 2 ] || fail "bad arguments exited $usage, not 2"
[ "$badnick" = 2 ] || fail "an invalid nick exited $badnick, not 2"
[ "$server_usage" = " 2 2 2 2 2 2 2 2" ] || fail "chat-server with bad arguments exited$server_usage, not 2 each"
[ "$eof" = 0 ] && grep -qxF "*** eof has joined the chat" "$work/eof.out" || fail "end of input exited $eof, not 0"
[ "$refused" = 1 ] && grep -qxF "chat-client: connect 127.0.0.1:1: Connection refused" "$work/refused.err" ||
    fail "refused connection: status $refused, $(cat "$work/refused.err")"
finish dup

# A connection lost after it was up: the plain client says so, holds its input, reconnects to the restarted
# server (a fresh session: it asks for its room and what came after), sends the held line, and /q exits 0.
connect lost; expect lost "*** lost has joined the chat"
say lost "before the crash"; expect lost "lost: before the crash"
kill -KILL "$server"
wait "$server" 2>/dev/null || true
for _ in $(seq 300); do grep -q '^\*\*\* disconnected from server (' "$work/lost.out" && break; sleep 0.05; done
expect lost "*** reconnecting in 1 s (attempt 1)"
say lost "during the outage"
"$bin/chat-server" "$port" --host 127.0.0.1 --backfill 0 2>"$work/server.log" &
server=$!
pids+=("$server")
expect lost "--- reconnected: 0 messages you missed ---"
expect lost "lost: during the outage"
finish lost

# A client that may not reconnect (--reconnect-attempts 0) exits 1 with one line when its server dies.
mkfifo "$work/gaveup.in"
"$bin/chat-client" gaveup localhost "$port" --reconnect-attempts 0 <"$work/gaveup.in" >"$work/gaveup.out" \
    2>"$work/gaveup.err" &
echo $! >"$work/gaveup.pid"
pids+=("$(cat "$work/gaveup.pid")")
exec {gaveup_fd}>"$work/gaveup.in"
expect gaveup "*** gaveup has joined the chat"
kill -KILL "$server"
wait "$server" 2>/dev/null || true
await_exit gaveup
exec {gaveup_fd}>&-
[ "$exited" = 1 ] && grep -q "^chat-client: gave up reconnecting" "$work/gaveup.err" ||
    fail "a client that gave up exited $exited: $(cat "$work/gaveup.err")"

# MARK: - Scenario 3: TLS and a password
# A TLS-only server with a self-signed certificate (scripts/make-cert.sh) and a password. Plain clients get in
# with --tls --trust FINGERPRINT (remembered in their known-servers file) or --ca (the certificate as its own
# CA); an unknown certificate is refused with instructions, a changed one loudly, a wrong password exits 1.
tls_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
fingerprint=$(openssl x509 -noout -fingerprint -sha256 -in "$work/tls/cert.pem" | sed 's/^.*=/SHA256:/')
echo "open sesame" >"$work/password"
echo "guess" >"$work/wrong-password"
"$bin/chat-server" "$port" --host 127.0.0.1 --tls-cert "$work/tls/cert.pem" --tls-key "$work/tls/key.pem" \
    --tls-port "$tls_port" --no-plain --password-file "$work/password" 2>"$work/tls-server.log" &
tls_server=$!
pids+=("$tls_server")
for _ in $(seq 100); do grep -q listening "$work/tls-server.log" && break; sleep 0.1; done
known="$work/known_servers"
# connect_tls NICK ARGS...: like connect, over TLS with the password.
connect_tls() {
    local nick=$1
    shift
    mkfifo "$work/$nick.in"
    "$bin/chat-client" "$nick" localhost "$tls_port" --tls --known-servers "$known" --password-file "$work/password" \
        "$@" <"$work/$nick.in" >"$work/$nick.out" 2>"$work/$nick.err" &
    local pid=$!
    pids+=("$pid")
    echo "$pid" >"$work/$nick.pid"
    exec {fd}>"$work/$nick.in"
    input[$nick]=$fd
}
set +e
timeout 10 "$bin/chat-client" sam localhost "$tls_port" --tls --known-servers "$known" \
    --password-file "$work/password" </dev/null >/dev/null 2>"$work/unknown.err"; unknown=$?
set -e
[ "$unknown" = 1 ] && grep -qF -- "--trust $fingerprint" "$work/unknown.err" && [ ! -e "$known" ] ||
    fail "an unknown certificate: status $unknown, $(cat "$work/unknown.err")"
connect_tls tina --trust "$fingerprint"; expect tina "*** tina has joined the chat"
grep -qxF "localhost:$tls_port $fingerprint" "$known" || fail "the fingerprint was not remembered: $(cat "$known")"
connect_tls cass --ca "$work/tls/cert.pem"; expect tina "*** cass has joined the chat"
connect_tls remy;  expect tina "*** remy has joined the chat"
say tina "over TLS";  expect cass "tina: over TLS"; expect remy "tina: over TLS"
say cass "verified";  expect tina "cass: verified"
finish tina; finish cass; finish remy
set +e
timeout 10 "$bin/chat-client" wes localhost "$tls_port" --tls --known-servers "$known" \
    --password-file "$work/wrong-password" </dev/null >/dev/null 2>"$work/wrong.err"; wrong=$?
set -e
[ "$wrong" = 1 ] && grep -qxF "chat-client: wrong password" "$work/wrong.err" ||
    fail "a wrong password: status $wrong, $(cat "$work/wrong.err")"
# The same port with another certificate: the remembered one no longer matches, nothing is sent.
kill "$tls_server"
wait "$tls_server" 2>/dev/null || true
"$bin/chat-server" "$port" --host 127.0.0.1 --tls-cert "$work/other/cert.pem" --tls-key "$work/other/key.pem" \
    --tls-port "$tls_port" --no-plain --password-file "$work/password" 2>"$work/tls-server.log" &
tls_server=$!
pids+=("$tls_server")
for _ in $(seq 100); do grep -q listening "$work/tls-server.log" && break; sleep 0.1; done
set +e
timeout 10 "$bin/chat-client" tina localhost "$tls_port" --tls --known-servers "$known" \
    --password-file "$work/password" </dev/null >/dev/null 2>"$work/changed.err"; changed=$?
set -e
[ "$changed" = 1 ] && grep -q "has changed" "$work/changed.err" && grep -qF "remembered: $fingerprint" "$work/changed.err" ||
    fail "a changed certificate: status $changed, $(cat "$work/changed.err")"
echo "smoke: scenario 3 (TLS and a password) passed"
echo "smoke: all scenarios passed"
