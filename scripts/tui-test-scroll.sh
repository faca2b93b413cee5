# Sourced by scripts/tui-test.sh (its helpers: tm, wait_for, expect_screen, compose, type_line, wait_listening).
# Issue 11, item 7, scrollback: PgUp past the top loads older lines from the server (started with --backfill 3,
# so the older ones are only there), Home/End on an empty line jump to the top and bottom, Shift-/Alt-Up
# scroll a row, the unread marker sits above a line that arrived while scrolled back and goes when a line is
# sent, /clear empties the pane, and PgUp then brings the room's last messages back.

port3=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
: >"$work/server3.log"
"$bin/chat-server" "$port3" --host 127.0.0.1 --backfill 3 2>"$work/server3.log" &
server3=$!
trap 'kill "$server3" 2>/dev/null || true; cleanup' EXIT
wait_listening "$work/server3.log"

# marked STATUS MARK: the status bar with MARK at its right end, at 80 columns (compose adds the leading blank).
marked() {
    local left=" $1" mark=" $2 "
    printf '%s%*s%s' "$1" $((80 - ${#left} - ${#mark})) "" " $2"
}

# o FIRST LAST: ann's lines oFIRST ... oLAST.
o() { for number in $(seq "$1" "$2"); do echo "ann: o$number"; done; }

# History that only the server has: ann says o1 ... o30 and leaves; cat stays to talk later.
seq -f 'o%g' 30 | "$bin/chat-client" ann localhost "$port3" --plain >/dev/null
for name in cat bob; do
    tm new-session -d -s "$name" -x 80 -y 24 "env PS1='$ ' TERM=screen bash --norc --noprofile"
    tm send-keys -t "$name" "$bin/chat-client $name localhost $port3" Enter
    wait_for "$name" "*** $name has joined the chat"
done
in_lobby="bob@localhost:$port3 in lobby"
more="$(marked "$in_lobby" "-- more below --")"
joined=("*** bob has joined the chat" "$welcome")
mapfile -t o1_21 < <(o 1 21)
mapfile -t o9_30 < <(o 9 30)
mapfile -t o11_30 < <(o 11 30)
mapfile -t o13_30 < <(o 13 30)
expect_screen bob "$(compose "$in_lobby" "bob>" "ann: o28" "ann: o29" "ann: o30" "${joined[@]}")"

# PgUp with everything in view: the 27 older lines come from the server, above, with the bottom kept in view.
tm send-keys -t bob PPage
expect_screen bob "$(compose "$in_lobby" "bob>" "${o11_30[@]}" "${joined[@]}")"
# Home on the empty input line: the top, where the server said there is nothing older.
tm send-keys -t bob Home
expect_screen bob "$(compose "$more" "bob>" "*** no older messages in lobby" "${o1_21[@]}")"
# End: back at the bottom. Then Shift-Up and Alt-Up: a row each.
tm send-keys -t bob End
expect_screen bob "$(compose "$in_lobby" "bob>" "${o11_30[@]}" "${joined[@]}")"
tm send-keys -t bob S-Up M-Up
expect_screen bob "$(compose "$more" "bob>" "${o9_30[@]}")"
echo "tui-test: PgUp loaded older lines from the server; Home, End, Shift-Up and Alt-Up scroll"

# A line arrives while bob is scrolled back: the view stays, the bar counts it; Ctrl-End shows it under the
# unread marker; sending a line removes the marker.
type_line cat "are you there?"
wait_for cat "cat: are you there?"
expect_screen bob "$(compose "$(marked "$in_lobby" "-- more below (1 new) --")" "bob>" "${o9_30[@]}")"
tm send-keys -t bob C-End
expect_screen bob "$(compose "$in_lobby" "bob>" "${o13_30[@]}" "${joined[@]}" "--- unread ---" \
    "cat: are you there?")"
type_line bob "yes"
expect_screen bob "$(compose "$in_lobby" "bob>" "${o13_30[@]}" "${joined[@]}" "cat: are you there?" "bob: yes")"
echo "tui-test: the unread marker shows where new lines begin and goes when a line is sent"

# /clear empties the pane; PgUp at the top of the empty pane brings the room's messages back from the server.
type_line bob "/clear"
expect_screen bob "$(compose "$in_lobby" "bob>")"
tm send-keys -t bob PPage
expect_screen bob "$(compose "$in_lobby" "bob>" "${o11_30[@]}" "cat: are you there?" "bob: yes")"
echo "tui-test: /clear, and PgUp brings the messages back"

for name in bob cat; do
    type_line "$name" "/q"
    type_line "$name" 'echo "status=$?"'
    wait_for "$name" "status=0"
done
kill "$server3" 2>/dev/null || true
