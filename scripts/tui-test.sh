#!/usr/bin/env bash
# The curses client in a real terminal: tmux runs pat, leslie and chris at 80x24, send-keys types the
# assignment's sample conversation, capture-pane reads each screen, which must match exactly. Then: a resize
# to 40x12 and back loses nothing, CJK and emoji arrive while half a line is typed, and /q gives the shell back;
# scripts/tui-test-alerts.sh (sourced at the end) checks alerts and colours.
# Usage: scripts/tui-test.sh [BUILD_DIR]   (default: .build/debug, built if missing)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(cd "${1:-.build/debug}" 2>/dev/null && pwd || true)
if [ -z "$bin" ] || [ ! -x "$bin/chat-client" ]; then
    swift build >&2
    bin=$(pwd)/.build/debug
fi

work=$(mktemp -d)
# The user's own config file (timestamps, colours) must not change the screens compared here.
export XDG_CONFIG_HOME="$work/config"
socket="chat-tui-$$"
server=""
server2=""
server3=""
tm() { tmux -u -L "$socket" -f "$work/tmux.conf" "$@"; }
cleanup() {
    tm kill-server 2>/dev/null || true
    [ -n "$server" ] && kill "$server" 2>/dev/null || true
    [ -n "$server2" ] && kill "$server2" 2>/dev/null || true
    [ -n "$server3" ] && kill "$server3" 2>/dev/null || true
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
printf 'set -g default-terminal screen\nset -g status off\n' >"$work/tmux.conf"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
: >"$work/server.log"
# --backfill 0: the assignment's sample has no history; a joining client sees only what comes after it.
"$bin/chat-server" "$port" --host 127.0.0.1 --backfill 0 2>"$work/server.log" &
server=$!

screen() { tm capture-pane -t "$1" -p | sed 's/[[:space:]]*$//'; }

fail() {
    echo "tui-test: FAIL: $*" >&2
    for name in pat leslie chris lost paster susp; do
        tm has-session -t "$name" 2>/dev/null || continue
        echo "--- $name" >&2
        screen "$name" >&2
    done
    exit 1
}

# wait_listening LOG: up to 10 s for the server writing LOG to listen.
wait_listening() {
    for _ in $(seq 100); do
        grep -q listening "$1" && return 0
        sleep 0.1
    done
    fail "the server did not listen within 10 s: $(cat "$1")"
}
wait_listening "$work/server.log"

# wait_for NAME TEXT: up to 15 s for a screen line equal to TEXT.
wait_for() {
    for _ in $(seq 300); do
        screen "$1" | grep -qxF -- "$2" && return 0
        sleep 0.05
    done
    fail "$1 never showed: $2"
}

# wait_for_part NAME TEXT: up to 15 s for TEXT anywhere on the screen.
wait_for_part() {
    for _ in $(seq 300); do
        screen "$1" | grep -qF -- "$2" && return 0
        sleep 0.05
    done
    fail "$1 never showed: $2"
}

# start NAME: a shell in an 80x24 terminal, running the client as NAME.
start() {
    tm new-session -d -s "$1" -x 80 -y 24 "env PS1='$ ' TERM=screen bash --norc --noprofile"
    tm send-keys -t "$1" "$bin/chat-client $1 localhost $port" Enter
    wait_for "$1" "*** $1 has joined the chat"
}

# type_line NAME TEXT: types TEXT and Enter. A status check waits for the shell's prompt first: the client
# discards keys typed while it is leaving, so that they never run in the shell.
type_line() {
    case "$2" in 'echo "status=$?"'*) wait_for "$1" '$' ;; esac
    tm send-keys -t "$1" -l "$2"
    tm send-keys -t "$1" Enter
}

# expect_screen NAME EXPECTED: the whole screen, blank rows included, must come to equal EXPECTED within 15 s.
expect_screen() {
    local actual
    for _ in $(seq 300); do
        actual=$(screen "$1")
        [ "$actual" = "$2" ] && return 0
        sleep 0.05
    done
    diff -u <(printf '%s\n' "$2") <(printf '%s\n' "$actual") >&2 || true
    fail "$1's screen differs"
}

# compose LINES... then pads to 22 output rows, adds the status bar and the input line.
compose() {
    local status=$1 input=$2
    shift 2
    local rows=("$@")
    while [ ${#rows[@]} -lt 22 ]; do rows+=(""); done
    printf '%s\n' "${rows[@]}" " $status" "$input"
}

welcome="*** Welcome! Type /help for the commands."

# MARK: - The sample conversation
start pat
type_line pat "Hello?";                     wait_for pat "pat: Hello?"
start leslie;                               wait_for pat "*** leslie has joined the chat"
type_line leslie "hi everyone!";            wait_for pat "leslie: hi everyone!"
type_line pat "hows it going";              wait_for leslie "pat: hows it going"
start chris;                                wait_for pat "*** chris has joined the chat"; wait_for leslie "*** chris has joined the chat"
type_line chris "OK, now we can start!";    wait_for pat "chris: OK, now we can start!"; wait_for leslie "chris: OK, now we can start!"
type_line pat "lol";                        wait_for chris "pat: lol"; wait_for leslie "pat: lol"
type_line leslie "Why are you always last?"; wait_for chris "leslie: Why are you always last?"; wait_for pat "leslie: Why are you always last?"

expect_screen chris "$(compose "chris@localhost:$port in lobby" "chris>" \
    "*** chris has joined the chat" "$welcome" "chris: OK, now we can start!" "pat: lol" \
    "leslie: Why are you always last?")"
type_line chris "/q";                       wait_for pat "*** chris has left the chat"; wait_for leslie "*** chris has left the chat"
type_line chris 'echo "status=$?"';         wait_for chris "status=0"

tm send-keys -t pat -l "oh no!! :)"
sample=("*** pat has joined the chat" "$welcome" "pat: Hello?" "*** leslie has joined the chat"
    "leslie: hi everyone!" "pat: hows it going" "*** chris has joined the chat" "chris: OK, now we can start!"
    "pat: lol" "leslie: Why are you always last?" "*** chris has left the chat")
wait_for pat "pat> oh no!! :)"
expect_screen pat "$(compose "pat@localhost:$port in lobby" "pat> oh no!! :)" "${sample[@]}")"
expect_screen leslie "$(compose "leslie@localhost:$port in lobby" "leslie>" \
    "*** leslie has joined the chat" "$welcome" "leslie: hi everyone!" "pat: hows it going" \
    "*** chris has joined the chat" "chris: OK, now we can start!" "pat: lol" "leslie: Why are you always last?" \
    "*** chris has left the chat")"
echo "tui-test: sample conversation screens match"

# MARK: - Resize to 40x12 and back: nothing lost, the typed input intact
# Issue 11: at 20 columns the status bar is cut with an ellipsis, never inside the port number.
tm resize-window -t pat -x 20 -y 12
wait_for pat " pat@localhost:…"
tm resize-window -t pat -x 40 -y 12
wait_for pat "pat> oh no!! :)"
wait_for pat "*** chris has left the chat"
wait_for pat "leslie: Why are you always last?"
tm resize-window -t pat -x 80 -y 24
wait_for pat "pat> oh no!! :)"
expect_screen pat "$(compose "pat@localhost:$port in lobby" "pat> oh no!! :)" "${sample[@]}")"
echo "tui-test: resize kept output and input"

# MARK: - Wide characters arrive while half a line is typed
type_line leslie "日本語 and 😀 too"
wait_for pat "leslie: 日本語 and 😀 too"
wait_for pat "pat> oh no!! :)"
tm send-keys -t pat Enter
wait_for leslie "pat: oh no!! :)"
wait_for pat "pat>"
echo "tui-test: CJK and emoji shown, typed line intact and sent"

# MARK: - Editing keys and history
tm send-keys -t pat -l "abc"
tm send-keys -t pat Left Left BSpace Home
tm send-keys -t pat -l "X"
tm send-keys -t pat End
tm send-keys -t pat -l "!"
wait_for pat "pat> Xbc!"
tm send-keys -t pat C-u Up
wait_for pat "pat> oh no!! :)"
tm send-keys -t pat C-u
wait_for pat "pat>"
# Issue 11: Alt keys edit by words and an unbound one types nothing; Home and End sent as sequences this TERM
# does not name (rxvt's) move the cursor instead of typing [7~ and [8~.
tm send-keys -t pat -l "one two three"
tm send-keys -t pat M-b M-b M-d M-x
wait_for pat "pat> one  three"
tm send-keys -t pat -l $'\e[7~'
tm send-keys -t pat -l "<"
tm send-keys -t pat -l $'\e[8~'
tm send-keys -t pat -l ">"
wait_for pat "pat> <one  three>"
# Ctrl-C clears a typed line, which Up brings back; Alt-Enter sends like Enter.
tm send-keys -t pat C-c
wait_for pat "pat>"
tm send-keys -t pat Up
wait_for pat "pat> <one  three>"
tm send-keys -t pat M-Enter
wait_for leslie "pat: <one  three>"
wait_for pat "pat>"
echo "tui-test: Alt keys, unknown Home/End sequences, Ctrl-C and Alt-Enter"

# MARK: - /q gives the shell back
type_line pat "/q";                         wait_for leslie "*** pat has left the chat"
type_line pat 'echo "status=$?"';           wait_for pat "status=0"
type_line leslie "/q"
type_line leslie 'echo "status=$?"';        wait_for leslie "status=0"

# MARK: - --plain on a terminal: one line per packet, no curses screen
tm new-session -d -s plain -x 80 -y 24 "env PS1='$ ' TERM=screen bash --norc --noprofile"
tm send-keys -t plain "$bin/chat-client plain localhost $port --plain" Enter
wait_for plain "*** plain has joined the chat"
type_line plain "plain and simple"
wait_for plain "plain: plain and simple"
screen plain | grep -qF "plain@localhost" && fail "--plain drew a status bar"
type_line plain "/q"
type_line plain 'echo "status=$?"'
wait_for plain "status=0"

# MARK: - Issue 11: timestamps in curses mode, --timestamps then /timestamps off and on
# The times are the real clock's: screens are compared with each HH:MM before a line replaced by "HH:MM" and
# each date line by "--- DATE ---" (normalized); the client runs with TZ=UTC, so one time is checked against
# `date -u` taken around it, and the date line against today's UTC date.
normalized() { sed -E 's/^[0-9]{2}:[0-9]{2} /HH:MM /; s/^--- [A-Z][a-z]+day [0-9]{1,2} [A-Z][a-z]+ [0-9]{4} ---$/--- DATE ---/'; }
utc_date_line() { date -u '+--- %A %-d %B %Y ---'; }
expect_normalized_screen() {
    local actual
    for _ in $(seq 300); do
        actual=$(screen "$1" | normalized)
        [ "$actual" = "$2" ] && return 0
        sleep 0.05
    done
    diff -u <(printf '%s\n' "$2") <(printf '%s\n' "$actual") >&2 || true
    fail "$1's screen differs (times normalized)"
}
today=$(utc_date_line)
tm new-session -d -s stamp -x 80 -y 24 "env PS1='$ ' TERM=screen bash --norc --noprofile"
tm send-keys -t stamp "TZ=UTC $bin/chat-client stamp localhost $port --timestamps" Enter
wait_for_part stamp " *** stamp has joined the chat"
before=$(date -u +%H:%M)
type_line stamp "hello"
wait_for_part stamp " stamp: hello"
after=$(date -u +%H:%M)
shown=$(screen stamp | sed -n 's/^\([0-9][0-9]:[0-9][0-9]\) stamp: hello$/\1/p')
[ "$shown" = "$before" ] || [ "$shown" = "$after" ] || fail "stamp: hello shown at '$shown', not UTC $before-$after"
screen stamp | grep -xF -- "$today" >/dev/null || [ "$(utc_date_line)" != "$today" ] || fail "no date line '$today'"
# The nick after the time keeps its colour (capture -e): an attribute change between the time and the nick.
tm capture-pane -t stamp -e -p | grep -E $'[0-9]{2}:[0-9]{2} (\e\\[[0-9;]*m)+stamp\e\\[[0-9;]*m: hello' >/dev/null ||
    fail "the nick after a time is not coloured: $(tm capture-pane -t stamp -e -p | cat -v)"
type_line stamp "/timestamps"
wait_for stamp "*** timestamps off"
type_line stamp "plain again"
wait_for stamp "stamp: plain again"
type_line stamp "/timestamps on"
wait_for_part stamp " *** timestamps on"
type_line stamp "and back"
wait_for_part stamp " stamp: and back"
expect_normalized_screen stamp "$(compose "stamp@localhost:$port in lobby" "stamp>" "--- DATE ---" \
    "HH:MM *** stamp has joined the chat" "HH:MM $welcome" "HH:MM stamp: hello" "*** timestamps off" \
    "stamp: plain again" "--- DATE ---" "HH:MM *** timestamps on" "HH:MM stamp: and back")"
type_line stamp "/q"
type_line stamp 'echo "status=$?"'
wait_for stamp "status=0"
echo "tui-test: --timestamps, /timestamps off and on, date lines"

# MARK: - Issue 11: the config file and the --log transcript (plain mode, times normalized as above)
cfg="$work/cfg/chat-client"
mkdir -p "$cfg"
# run_plain NAME ARGS...: a plain client with stdin from $work/in, in the config directory $work/cfg and TZ=UTC;
# stdout to $work/out, stderr to $work/err, the exit status in $status.
run_plain() {
    status=0
    XDG_CONFIG_HOME="$work/cfg" TZ=UTC "$bin/chat-client" "$@" <"$work/in" >"$work/out" 2>"$work/err" || status=$?
}
# A broken file: one line naming the file and the line, exit 2, before connecting (port 1 would be exit 1).
printf 'bell = true\ncolour = "none"\n' >"$cfg/config.toml"
: >"$work/in"
run_plain broken localhost 1
[ "$status" = 2 ] || fail "a broken config file gave exit $status, not 2"
[ "$(cat "$work/err")" = "chat-client: $cfg/config.toml: line 2: unknown key \"colour\" (the keys are timestamps, bell, colors, log)" ] ||
    fail "a broken config file said: $(cat "$work/err")"
printf 'timestamps = "yes"\n' >"$cfg/config.toml"
run_plain broken localhost 1
[ "$status" = 2 ] && [ "$(cat "$work/err")" = "chat-client: $cfg/config.toml: line 1: \"timestamps\" must be true or false" ] ||
    fail "a wrongly typed key: exit $status, $(cat "$work/err")"
# A transcript that cannot be opened: one line, exit 1, before connecting.
run_plain nolog localhost "$port" --no-config --log "$work/no-such-dir/chat.log"
[ "$status" = 1 ] && [ "$(cat "$work/err")" = "chat-client: --log $work/no-such-dir/chat.log: cannot open it (No such file or directory)" ] ||
    fail "an unopenable --log: exit $status, $(cat "$work/err")"
# The file turns timestamps on and names the transcript; two runs append to it.
printf '# preferences\ntimestamps = true\nlog = "%s"\n' "$work/chat.log" >"$cfg/config.toml"
today=$(utc_date_line)
for round in 1 2; do
    printf 'from the file %s\n' "$round" >"$work/in"
    run_plain cfg localhost "$port"
    [ "$status" = 0 ] || fail "config run $round: exit $status: $(cat "$work/err")"
    [ "$(normalized <"$work/out")" = "$(printf '%s\n' "--- DATE ---" "HH:MM *** cfg has joined the chat" \
        "HH:MM $welcome" "HH:MM cfg: from the file $round")" ] || fail "config run $round printed: $(cat "$work/out")"
    head -1 "$work/out" | grep -xF -- "$today" >/dev/null || [ "$(utc_date_line)" != "$today" ] || fail "not today's date"
done
[ "$(stat -c %a "$work/chat.log")" = 600 ] || fail "the transcript's mode is $(stat -c %a "$work/chat.log")"
logged() { sed -E 's/^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2} /STAMP /' "$1"; }
[ "$(logged "$work/chat.log")" = "$(printf '%s\n' "STAMP *** cfg has joined the chat" "STAMP $welcome" \
    "STAMP cfg: from the file 1" "STAMP *** cfg has joined the chat" "STAMP $welcome" "STAMP cfg: from the file 2")" ] ||
    fail "the transcript holds: $(cat "$work/chat.log")"
grep -q "^$(date -u +%F) " "$work/chat.log" || [ "$(utc_date_line)" != "$today" ] || fail "the transcript's dates are not UTC"
# Options beat the file: --no-timestamps, and --log to another file, appended to what it held.
echo "an earlier line" >"$work/other.log"
printf 'options win\n' >"$work/in"
run_plain opt localhost "$port" --no-timestamps --log "$work/other.log"
[ "$status" = 0 ] && [ "$(cat "$work/out")" = "$(printf '%s\n' "*** opt has joined the chat" "$welcome" "opt: options win")" ] ||
    fail "options over the file: exit $status, printed $(cat "$work/out")"
[ "$(logged "$work/other.log")" = "$(printf '%s\n' "an earlier line" "STAMP *** opt has joined the chat" "STAMP $welcome" \
    "STAMP opt: options win")" ] || fail "--log FILE holds: $(cat "$work/other.log")"
[ "$(wc -l <"$work/chat.log")" = 6 ] || fail "the file's transcript was written although --log named another"
echo "tui-test: config file (broken: exit 2; timestamps and log from it; options win), --log transcript"

# MARK: - SIGTERM, SIGHUP and SIGINT restore the terminal too, and exit 128 + the signal's number
for signal in TERM:143 HUP:129 INT:130; do
    name="sig${signal%:*}"
    start "$name"
    pkill "-${signal%:*}" -f "chat-client $name localhost $port"
    type_line "$name" 'echo "status=$?"; stty -a | grep -o -- "-*icanon" | head -1'
    wait_for "$name" "status=${signal#*:}"
    wait_for "$name" "icanon"
done

# MARK: - Issue 11: a paste that ends in /q: the rest is discarded, not run by the shell
start paste
tm send-keys -t paste -l $'pasted line\n/q\necho LEAKED\n'
wait_for paste "paste: pasted line"
type_line paste 'echo "status=$?"'
wait_for paste "status=0"
screen paste | grep -qx "LEAKED" && fail "the rest of a paste after /q ran in the shell"

# MARK: - Issue 11: bracketed paste. One line goes onto the input line (a tab as spaces); two are sent at once,
# in order, and a pasted /q is text; five ask first: n drops them, y sends them.
start paster
tm send-keys -t paster -l "typed "
tm set-buffer -b one -- "$(printf 'one\tline\n')"
tm paste-buffer -p -b one -t paster
wait_for paster "paster> typed one    line"
tm send-keys -t paster C-u
tm set-buffer -b two -- "$(printf 'first\n/q\n')"
tm paste-buffer -p -b two -t paster
wait_for paster "paster: /q"
tm set-buffer -b five -- "$(printf 'l1\nl2\n\nl3\nl4\nl5\n')"
tm paste-buffer -p -b five -t paster
wait_for paster "paste 5 lines? (y/n)"
tm send-keys -t paster n
wait_for paster "paster>"
tm paste-buffer -p -b five -t paster
wait_for paster "paste 5 lines? (y/n)"
tm send-keys -t paster y
expect_screen paster "$(compose "paster@localhost:$port in lobby" "paster>" "*** paster has joined the chat" "$welcome" \
    "paster: first" "paster: /q" "paster: l1" "paster: l2" "paster: l3" "paster: l4" "paster: l5")"
echo "tui-test: bracketed paste: one line typed, two sent, five asked about, /q pasted as text"

# MARK: - Issue 11: Ctrl-Z suspends to the shell (sh: it does not switch bracketed paste on itself), fg brings
# the whole screen back with the typed line; lines that came meanwhile show. Then the input line's markers.
tm new-session -d -s susp -x 80 -y 24 "env PS1='$ ' TERM=screen sh -i"
tm send-keys -t susp "$bin/chat-client susp localhost $port" Enter
wait_for susp "*** susp has joined the chat"
tm send-keys -t susp -l "half typed"
wait_for susp "susp> half typed"
tm send-keys -t susp C-z
wait_for_part susp "Stopped"
wait_for susp '$'
# Bracketed paste is off again: a paste reaches cat as plain text, without ^[[200~.
tm send-keys -t susp "cat -v" Enter
tm set-buffer -b plain -- "PASTED"
tm paste-buffer -p -b plain -t susp
tm send-keys -t susp Enter C-d
tm send-keys -t susp 'echo "cat done"' Enter
wait_for susp "cat done"
screen susp | grep -qF '^[[20' && fail "bracketed paste stayed on after Ctrl-Z"
type_line paster "while you were away"
tm send-keys -t susp "fg" Enter
expect_screen susp "$(compose "susp@localhost:$port in lobby" "susp> half typed" "*** susp has joined the chat" \
    "$welcome" "paster: while you were away")"
# SIGTSTP from outside takes the same path.
pkill -TSTP -f "chat-client susp localhost $port"
wait_for_part susp "Stopped"
tm send-keys -t susp "fg" Enter
wait_for susp "paster: while you were away"
wait_for susp "susp> half typed"
# A line wider than the window: < after the prompt while text is out of view on the left, > at the end on the right.
long=$(printf '0123456789%.0s' 1 2 3 4 5 6 7 8 9)
tm send-keys -t susp C-u
tm send-keys -t susp -l "$long"
wait_for susp "susp> <${long: -72}"
tm send-keys -t susp Home
wait_for susp "susp> ${long:0:73}>"
tm send-keys -t susp End C-u
type_line susp "/q"
type_line susp 'echo "status=$?"'
wait_for susp "status=0"
type_line paster "/q"
echo "tui-test: Ctrl-Z and fg (and SIGTSTP), bracketed paste off meanwhile; input line markers"

# MARK: - Issue 11: TERM=dumb and an unknown TERM: plain mode, said before connecting
for term in dumb no-such-terminal; do
    name="term${term%%-*}"
    tm new-session -d -s "$name" -x 80 -y 24 "env PS1='$ ' TERM=screen bash --norc --noprofile"
    tm send-keys -t "$name" "TERM=$term $bin/chat-client $name localhost $port" Enter
    wait_for_part "$name" ": using plain mode"
    wait_for "$name" "*** $name has joined the chat"
    type_line "$name" "plain on $term"
    wait_for "$name" "$name: plain on $term"
    type_line "$name" "/q"
    type_line "$name" 'echo "status=$?"'
    wait_for "$name" "status=0"
done

# MARK: - A server that never answers: the screen is up at once, and Ctrl-C, Ctrl-D and SIGTERM still leave
python3 -c '
import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(16)
print(s.getsockname()[1], flush=True)
held = []
while True:
    held.append(s.accept()[0])
' >"$work/mute.port" &
mute=$!
for _ in $(seq 50); do [ -s "$work/mute.port" ] && break; sleep 0.1; done
mute_port=$(cat "$work/mute.port")
for how in C-c C-d TERM; do
    name="mute${how/-/}"
    tm new-session -d -s "$name" -x 80 -y 24 "env PS1='$ ' TERM=screen bash --norc --noprofile"
    tm send-keys -t "$name" "$bin/chat-client $name 127.0.0.1 $mute_port" Enter
    wait_for_part "$name" "$name@127.0.0.1:$mute_port connecting"
    tm send-keys -t "$name" -l "typing works"
    wait_for "$name" "$name> typing works"
    if [ "$how" = TERM ]; then
        pkill -TERM -f "chat-client $name 127.0.0.1 $mute_port"
    else
        [ "$how" = C-d ] && tm send-keys -t "$name" C-u
        # Ctrl-C clears the typed line first; the second, on the empty line, leaves.
        [ "$how" = C-c ] && tm send-keys -t "$name" C-c && wait_for "$name" "$name>"
        tm send-keys -t "$name" "$how"
    fi
    type_line "$name" 'echo "status=$?"'
    [ "$how" = TERM ] && wait_for "$name" "status=143" || wait_for "$name" "status=0"
done
# Nothing at all within 10 s: a clear line, and exit 1 after a key.
tm new-session -d -s mute -x 80 -y 24 "env PS1='$ ' TERM=screen bash --norc --noprofile"
tm send-keys -t mute "$bin/chat-client mute 127.0.0.1 $mute_port" Enter
wait_for mute "*** no answer from the server within 10 s"
wait_for_part mute "disconnected: press any key to exit"
tm send-keys -t mute x
type_line mute 'echo "status=$?"'
wait_for mute "status=1"
kill "$mute" 2>/dev/null || true
echo "tui-test: a server that never answers: input works, Ctrl-C, Ctrl-D and SIGTERM leave, 10 s timeout"

# MARK: - A lost server: the screen stays usable while the client reconnects, then the server comes back
port2=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
start_server2() {
    : >"$work/server2.log"
    "$bin/chat-server" "$port2" --host 127.0.0.1 2>"$work/server2.log" &
    server2=$!
    wait_listening "$work/server2.log"
}
start_server2
tm new-session -d -s lost -x 80 -y 24 "env PS1='$ ' TERM=screen bash --norc --noprofile"
tm send-keys -t lost "$bin/chat-client lost localhost $port2" Enter
wait_for lost "*** lost has joined the chat"
for _ in 1 2 3; do type_line lost "/help"; done
sleep 0.5
kill -KILL "$server2"
wait "$server2" 2>/dev/null || true
wait_for_part lost "*** disconnected from server ("
wait_for_part lost "lost@localhost:$port2 reconnecting in "
wait_for_part lost "(attempt "
# Typing works while disconnected.
tm send-keys -t lost -l "half typed"
wait_for lost "lost> half typed"
# PgUp still scrolls: the first line comes back into view and the bar says there is more below.
tm send-keys -t lost PPage PPage
wait_for lost "*** lost has joined the chat"
wait_for_part lost "-- more below"
tm send-keys -t lost NPage NPage NPage
# Enter while disconnected keeps the line on the input line and says why.
tm send-keys -t lost Enter
wait_for lost "*** not connected: press Enter to send when reconnected"
wait_for lost "lost> half typed"
# Issue 11: a paste while disconnected is not lost: what could not go waits under the paste question; n drops it.
tm set-buffer -b away -- "$(printf 'p1\np2\n')"
tm paste-buffer -p -b away -t lost
wait_for lost "paste 2 lines? (y/n)"
tm send-keys -t lost n
wait_for lost "lost> half typed"
# The server comes back (a restart without --db: the session is gone, so the hello is fresh); Enter tries now.
start_server2
tm send-keys -t lost Enter
wait_for lost "--- reconnected: 0 messages you missed ---"
wait_for_part lost "lost@localhost:$port2 in lobby"
wait_for lost "lost> half typed"
tm send-keys -t lost Enter
wait_for lost "lost: half typed"
type_line lost "/q"
type_line lost 'echo "status=$?"'
wait_for lost "status=0"
kill "$server2" 2>/dev/null || true
# TODO: a restart with --db (ids kept across the restart) while another client talks during the outage, to
# see "--- reconnected: N messages you missed ---" with N exact on the curses screen. The resume within the
# grace period is covered in process (RealServerContinuityTests, through CuttingProxy).
# Issue 11: alerts, the look of DMs and mentions, the 256-colour palette.
. scripts/tui-test-alerts.sh

# MARK: - Issue 11: scrollback (Home/End, line scroll, unread marker, /clear, PgUp loads older lines)
. scripts/tui-test-scroll.sh

# Issue 11: Tab completion, /nick, and a nick in use at start (a file of its own).
source scripts/tui-test-nicks.sh
echo "tui-test: all passed"
