# Sourced by scripts/tui-test.sh (its helpers and $bin, $work): Tab completion, /nick, and a nick in use at
# start, on a server of their own (issue 11, items 2, 5 and 8). Not a script to run by itself.

# MARK: - Tab completes nicks of the room and commands; /nick renames; moves list who is there
# fail, as tui-test.sh's, showing this file's terminals.
fail() {
    echo "tui-test: FAIL: $*" >&2
    for name in tabby leo lemon dupe dupe2; do
        tm has-session -t "$name" 2>/dev/null || continue
        echo "--- $name" >&2
        screen "$name" >&2
    done
    exit 1
}
start_server2
# start_on NAME NICK: a shell in an 80x24 terminal, running the client as NICK on the second server.
start_on() {
    tm new-session -d -s "$1" -x 80 -y 24 "env PS1='$ ' TERM=screen bash --norc --noprofile"
    tm send-keys -t "$1" "$bin/chat-client $2 localhost $port2" Enter
}
for nick in lemon leo tabby; do
    start_on "$nick" "$nick"
    wait_for "$nick" "*** $nick has joined the chat"
done
wait_for lemon "*** tabby has joined the chat"
# A nick at the start of the line gets ": ", and a second Tab takes the next match (lemon, then leo).
tm send-keys -t tabby -l "le"
tm send-keys -t tabby Tab
wait_for tabby "tabby> lemon:"
tm send-keys -t tabby Tab
wait_for tabby "tabby> leo:"
tm send-keys -t tabby -l "hi"
tm send-keys -t tabby Enter
wait_for leo "tabby: leo: hi"
# After /msg, a nick gets a blank.
tm send-keys -t tabby -l "/msg lem"
tm send-keys -t tabby Tab
wait_for tabby "tabby> /msg lemon"
tm send-keys -t tabby -l "psst"
tm send-keys -t tabby Enter
wait_for lemon "tabby -> lemon: psst"
# A command after the leading /, cycling through the matches (/names, then /nick); any other key ends the run.
tm send-keys -t tabby -l "/n"
tm send-keys -t tabby Tab
wait_for tabby "tabby> /names"
tm send-keys -t tabby Tab
wait_for tabby "tabby> /nick"
tm send-keys -t tabby -l "tabitha"
tm send-keys -t tabby Enter
wait_for lemon "*** tabby is now known as tabitha"
# The prompt and the status bar follow the rename; the whole screen, exactly.
expect_screen tabby "$(compose "tabitha@localhost:$port2 in lobby" "tabitha>" \
    "*** tabby has joined the chat" "$welcome" "tabby: leo: hi" "tabby -> lemon: psst" \
    "*** tabby is now known as tabitha")"
# Own lines (bold) and mentions (reverse video) follow the new nick: capture with attributes.
type_line tabby "as tabitha now"
wait_for tabby "tabitha: as tabitha now"
type_line leo "hello tabitha"
wait_for tabby "leo: hello tabitha"
# attributes NAME TEXT: "bold", "reverse", "bold reverse" or "plain": how the last character of the screen
# line that contains TEXT is drawn (the colours left out: the palette is not the point here).
attributes() {
    tm capture-pane -t "$1" -p -e | python3 -c '
import re, sys
text, bold, reverse, rows = sys.argv[1], False, False, []
for line in sys.stdin.read().split("\n"):
    cells = []
    for part in re.split(r"(\x1b\[[0-9;]*m)", line):
        if part.startswith("\x1b["):
            codes = [int(c) if c else 0 for c in part[2:-1].split(";")]
            i = 0
            while i < len(codes):
                c = codes[i]
                if c in (38, 48):
                    i += 2 if codes[i + 1 : i + 2] == [5] else 4
                bold, reverse = (False, False) if c == 0 else (True if c == 1 else False if c == 22 else bold, True if c == 7 else False if c == 27 else reverse)
                i += 1
        else:
            cells += [(ch, bold, reverse) for ch in part]
    rows.append(cells)
for cells in rows:
    plain = "".join(ch for ch, _, _ in cells)
    if text in plain:
        _, b, r = cells[plain.index(text) + len(text) - 1]
        print(" ".join(n for n, on in (("bold", b), ("reverse", r)) if on) or "plain")
        break
' "$2"
}
[ "$(attributes tabby "tabitha: as tabitha now")" = bold ] || fail "tabitha's own line is not bold after the rename"
[ "$(attributes tabby "leo: hello tabitha")" = reverse ] || fail "a mention of tabitha is not highlighted"
# Someone else's rename reaches the roster: Tab offers the new name.
type_line lemon "/nick lime"
wait_for tabby "*** lemon is now known as lime"
tm send-keys -t tabby -l "say hi to li"
tm send-keys -t tabby Tab
wait_for tabby "tabitha> say hi to lime"
tm send-keys -t tabby C-u
# A move lists who is in the new room (the first entry, at start, does not: the assignment's screen has no
# such line); there Tab offers only the room's members.
type_line tabby "/join games"
wait_for tabby "*** in games: tabitha"
type_line leo "/join games"
wait_for tabby "*** leo has joined games"
wait_for leo "*** in games: leo, tabitha"
tm send-keys -t tabby -l "l"
tm send-keys -t tabby Tab
wait_for tabby "tabitha> leo:"
tm send-keys -t tabby Tab
wait_for tabby "tabitha> leo:"
tm send-keys -t tabby C-u
echo "tui-test: Tab completes nicks and commands and cycles; /nick renames prompt and status bar"

# MARK: - A nick in use at start: asked for another on the input line (checked locally), or exit 1 without one
tm new-session -d -s dupe -x 80 -y 24 "env PS1='$ ' TERM=screen bash --norc --noprofile"
tm send-keys -t dupe "$bin/chat-client LEO localhost $port2" Enter
wait_for dupe "nick LEO is in use; try another nick:"
type_line dupe "two words"
invalid="*** invalid nick: two words (a nick is 1-32 letters, digits, or _-.[]{}|^)"
wait_for dupe "$invalid"
wait_for dupe "nick LEO is in use; try another nick:"
type_line dupe "leo2"
wait_for dupe "*** leo2 has joined the chat"
# The lobby's history (the server's backfill) comes first: what was said there.
expect_screen dupe "$(compose "leo2@localhost:$port2 in lobby" "leo2>" \
    "*** error: nick already in use: LEO" "$invalid" "tabby: leo: hi" \
    "tabitha: as tabitha now" "leo: hello tabitha" "*** leo2 has joined the chat" "$welcome")"
type_line dupe "/q"
type_line dupe 'echo "status=$?"'
wait_for dupe "status=0"
tm new-session -d -s dupe2 -x 80 -y 24 "env PS1='$ ' TERM=screen bash --norc --noprofile"
tm send-keys -t dupe2 "$bin/chat-client leo localhost $port2" Enter
wait_for dupe2 "nick leo is in use; try another nick:"
# Enter on nothing does nothing on the input line; Ctrl-C there gives no answer.
tm send-keys -t dupe2 C-c
wait_for dupe2 "chat-client: nick already in use: leo"
type_line dupe2 'echo "status=$?"'
wait_for dupe2 "status=1"
for name in tabby leo lemon; do
    type_line "$name" "/q"
    type_line "$name" 'echo "status=$?"'
    wait_for "$name" "status=0"
done
kill "$server2" 2>/dev/null || true
echo "tui-test: a nick in use at start asks for another"
