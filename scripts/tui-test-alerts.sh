# Issue 11, items 3 and 9: alerts (the bell and the status bar), the look of direct messages and mentions, and
# the 256-colour nick palette, in tmux at 80x24. Sourced by tui-test.sh, whose helpers, server ($port) and
# $work it uses. Colours are compared as tmux's capture-pane -e writes them: exact escape sequences per row.

# Every bell a client rings becomes one line with its session's name in $work/bells (tmux's alert-bell hook;
# a detached session's bell always counts).
# bells NAME: how many bells NAME's client has rung.
bells() { { grep -x -- "$1" "$work/bells" 2>/dev/null || true; } | wc -l; }

# expect_bells NAME N: up to 15 s for NAME's bell count to reach N, then it must stay N for half a second
# (the hook writes the file from a job of its own, so a bell too many may come a moment late).
expect_bells() {
    for _ in $(seq 300); do
        [ "$(bells "$1")" -ge "$2" ] && break
        sleep 0.05
    done
    sleep 0.5
    [ "$(bells "$1")" -eq "$2" ] || fail "$1 rang $(bells "$1") bells, not $2"
}

# screen_e NAME: the screen with its colours and attributes as escape sequences.
screen_e() { tm capture-pane -t "$1" -p -e | sed 's/[[:space:]]*$//'; }

# wait_for_e NAME ROW: up to 15 s for a row, escape sequences included, equal to ROW.
wait_for_e() {
    for _ in $(seq 300); do
        screen_e "$1" | grep -qxF -- "$2" && return 0
        sleep 0.05
    done
    screen_e "$1" | cat -v >&2
    fail "$1 never showed the row: $(printf '%s' "$2" | cat -v)"
}

# bar LEFT RIGHT: an 80-column status bar row as screen() shows it (trailing blanks cut).
bar() { printf '%s%*s%s\n' "$1" $((80 - ${#1} - ${#2})) '' "$2" | sed 's/[[:space:]]*$//'; }

# start_with NAME ENVIRONMENT OPTIONS: like start, with TERM and the like and client options.
start_with() {
    tm new-session -d -s "$1" -x 80 -y 24 "env PS1='$ ' $2 bash --norc --noprofile"
    tm send-keys -t "$1" "$bin/chat-client $1 localhost $port $3" Enter
    wait_for "$1" "*** $1 has joined the chat"
}

# fail, as tui-test.sh has it, showing these sessions' screens.
fail() {
    echo "tui-test: FAIL: $*" >&2
    for name in ann zoe liz max dee fay eve old; do
        tm has-session -t "$name" 2>/dev/null || continue
        echo "--- $name" >&2
        screen "$name" >&2
    done
    exit 1
}

e=$'\e'
# MARK: - 8 colours (TERM=screen, the default screens' terminal): a mention rings once and shows in the bar
start ann
tm set-hook -g alert-bell "run-shell 'echo #{session_name} >>$work/bells'"
start zoe
wait_for ann "*** zoe has joined the chat"
type_line zoe "hello all"
wait_for ann "zoe: hello all"
# A room line: zoe's name bold in her colour (green, slot 1), the text plain, as before this change.
wait_for_e ann "${e}[0;1m${e}[32m${e}[49mzoe${e}[0m${e}[39m${e}[49m: hello all"
type_line zoe "ann: are you there?"
wait_for ann "zoe: ann: are you there?"
# A mention: the whole line in reverse video, the name still bold and green.
wait_for_e ann "${e}[1;7m${e}[32mzoe${e}[0;7m${e}[39m${e}[49m: ann: are you there?"
wait_for ann "$(bar " ann@localhost:$port in lobby" " [mention: zoe] ")"
expect_bells ann 1
expect_bells zoe 0
# More alerts while one is pending: counted in the bar, no second bell, even past the 2 s between bells.
sleep 2
type_line zoe "ann?"
type_line zoe "/msg ann psst"
wait_for ann "zoe -> ann: psst"
# A direct message: the name as ever, the text after it in magenta.
wait_for_e ann "${e}[0;1m${e}[32m${e}[49mzoe${e}[0m${e}[35m${e}[49m -> ann: psst"
wait_for ann "$(bar " ann@localhost:$port in lobby" " [2 mentions: zoe] [DM: zoe] ")"
expect_bells ann 1
# A key with the newest line in view: seen, the bar is as before.
tm send-keys -t ann -l "x"
wait_for ann " ann@localhost:$port in lobby"
tm send-keys -t ann C-u
# Own lines never ring, even naming oneself; an own direct message looks like a received one.
type_line ann "/msg zoe hi zoe, ann here"
wait_for ann "ann -> zoe: hi zoe, ann here"
wait_for_e ann "${e}[1m${e}[33mann${e}[35m -> zoe: hi zoe, ann here"
type_line ann "ann says hi"
wait_for ann "ann: ann says hi"
expect_bells ann 1
expect_bells zoe 1
echo "tui-test: a mention and a DM ring once, show in the bar until a key; DMs in magenta, mentions reversed"

# MARK: - Scrolled back: the alert waits in the bar beside "more below", through keys, until the bottom
for _ in 1 2 3 4; do type_line ann "/help"; done
type_line ann "/who"
wait_for ann "*** in lobby: ann, zoe"
tm send-keys -t ann PPage
wait_for_part ann "-- more below --"
# At least 2 s after the last bell: this one rings again.
sleep 2
type_line zoe "ann, look"
wait_for ann "$(bar " ann@localhost:$port in lobby" " [mention: zoe] -- more below (1 new) -- ")"
expect_bells ann 2
tm send-keys -t ann -l "z"
wait_for ann "ann> z"
wait_for ann "$(bar " ann@localhost:$port in lobby" " [mention: zoe] -- more below (1 new) -- ")"
tm send-keys -t ann NPage NPage NPage
wait_for ann "zoe: ann, look"
wait_for ann " ann@localhost:$port in lobby"
echo "tui-test: scrolled back, the alert stays through keys until the bottom"

# MARK: - 256 colours (TERM=screen-256color): nicks from the 39-colour palette; --colors 8 keeps six
start_with liz "TERM=screen-256color" ""
type_line zoe "hi liz"
# zoe is colour 98 and liz colour 64 of the 256 (FNV-1a slots 16 and 9 of 39; both green with six colours).
wait_for_e liz "${e}[0;1;7m${e}[38;5;98m${e}[49mzoe${e}[0;7m${e}[39m${e}[49m: hi liz"
type_line liz "/msg zoe purr"
wait_for_e liz "${e}[0;1m${e}[38;5;64m${e}[49mliz${e}[35m -> zoe: purr"
expect_bells liz 1
start_with max "TERM=screen-256color" "--colors 8"
type_line zoe "hi all"
wait_for_e max "${e}[0;1m${e}[32m${e}[49mzoe${e}[0m${e}[39m${e}[49m: hi all"
echo "tui-test: 256 colours from the palette; --colors 8 keeps six"

# MARK: - NO_COLOR and --no-bell: no colour, a DM underlined; the bar still shows alerts, no bell
start_with dee "TERM=screen-256color NO_COLOR=1" "--no-bell"
type_line zoe "/msg dee psst dee"
wait_for_e dee "${e}[0;1;4;7m${e}[39m${e}[49mzoe${e}[0;4;7m${e}[39m${e}[49m -> dee: psst dee"
type_line zoe "dee?"
wait_for_e dee "${e}[0;1;7m${e}[39m${e}[49mzoe${e}[0;7m${e}[39m${e}[49m: dee?"
wait_for dee "$(bar " dee@localhost:$port in lobby" " [mention: zoe] [DM: zoe] ")"
expect_bells dee 0
echo "tui-test: NO_COLOR: DMs underlined, mentions reversed; --no-bell rings nothing, the bar still tells"

# MARK: - The config file's bell and colors reach the screen; --colors on the command line wins over it
mkdir -p "$work/alertcfg/chat-client"
printf 'bell = false\ncolors = "none"\n' >"$work/alertcfg/chat-client/config.toml"
start_with fay "TERM=screen-256color XDG_CONFIG_HOME=$work/alertcfg" "--colors 8"
type_line zoe "/msg fay from the file"
wait_for_e fay "${e}[0;1m${e}[32m${e}[49mzoe${e}[0m${e}[35m${e}[49m -> fay: from the file"
wait_for fay "$(bar " fay@localhost:$port in lobby" " [DM: zoe] ")"
expect_bells fay 0
echo "tui-test: bell = false from the config file; --colors 8 over its colors = \"none\""

# MARK: - Replayed history never rings: a mention from before eve joined, on a server that keeps history
port3=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
: >"$work/server3.log"
"$bin/chat-server" "$port3" --host 127.0.0.1 2>"$work/server3.log" &
server3=$!
wait_listening "$work/server3.log"
tm new-session -d -s old -x 80 -y 24 "env PS1='$ ' TERM=screen bash --norc --noprofile"
tm send-keys -t old "$bin/chat-client old localhost $port3" Enter
wait_for old "*** old has joined the chat"
type_line old "eve: you missed this"
wait_for old "old: eve: you missed this"
tm new-session -d -s eve -x 80 -y 24 "env PS1='$ ' TERM=screen bash --norc --noprofile"
tm send-keys -t eve "$bin/chat-client eve localhost $port3" Enter
wait_for eve "old: eve: you missed this"
wait_for eve "*** eve has joined the chat"
expect_bells eve 0
wait_for eve " eve@localhost:$port3 in lobby"
type_line old "eve: and this is live"
wait_for eve "old: eve: and this is live"
expect_bells eve 1
for name in eve old; do type_line "$name" "/q"; done
kill "$server3" 2>/dev/null || true
for name in ann zoe liz max dee fay; do type_line "$name" "/q"; done
echo "tui-test: replayed history does not ring, a live mention after it does"
