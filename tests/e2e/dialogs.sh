#!/bin/sh
# Dialogs at 80x24: bordered boxes that hide the view under them, with
# the sentences a decision rests on wrapped, never cut (mid-contact, the
# contract minimum, no answer); an old message does not linger under a
# new dialog; the message log (M) keeps every message with its time.
set -u
. tests/e2e/lib.sh

PTQ=${PTQ:-$SRC/build/tests/ptq}
if [ ! -x "$PTQ" ]; then
	make --no-print-directory -s "$PTQ" >/dev/null || fail "cannot build $PTQ"
fi

# The screen inside a box at column 2..77: border glyphs dropped, rows
# joined, blanks squeezed: a wrapped sentence reads as one line.
inside() {
	screen | python3 -c '
import sys
rows = [l.rstrip("\n") for l in sys.stdin]
out = []
for l in rows[2:-2]:
    out.append(l[3:77].translate(str.maketrans("│┌┐└┘─", "      ")).strip())
print(" ".join(" ".join(out).split()))'
}

has() {
	inside | grep -qF -- "$1" || fail "the dialog should show, whole: $1"
}

start_server --scenario "$SRC/tests/data/scenarios/itest.ini" --speed 10 --start 10:00
start_dashboard 80 24 --as e2e-user
wait_for '^ LIVE '
wait_for 'Dedicated Co'

# An old message, then a dialog: the message goes (into the log).
keys ':move a0009 atlantis' Enter
wait_for "neither an agent nor a pool"

# A busy agent: the confirm dialog says, whole, what happens to its contact.
busy=""
i=0
while [ -z "$busy" ] && [ "$i" -lt 50 ]; do
	busy=$("$PTQ" "$REQUESTS" snapshot-agents | awk '$2 == "shared" && $3 == "busy" { print $1; exit }')
	[ -n "$busy" ] || sleep 0.2
	i=$((i + 1))
done
[ -n "$busy" ] || fail "no busy shared agent to move"
keys ":move $busy ded-hyb checking" Enter
wait_for 'Confirm - y sends'
screen | grep -q "neither an agent nor a pool" && fail "an old message must not linger under a new dialog"
screen | grep -q '┌─ Confirm' || fail "the dialog should have a border"
has 'mid-contact: finishes it first, shows "moving"'
keys n
wait_gone 'Confirm - y sends'

# The contract minimum: the server's whole sentence.
keys ':move a0009 a0010 a0011 shared x' Enter
wait_for 'Move 3 agents to shared'
keys y
wait_for 'Refused: contract minimum'
has 'leaves Dedicated Co with 2 dedicated agents on duty, below its contract minimum of 3 in business hours; send force with a reason to override'
has 'Force it? A reason is required; Enter goes on to confirm, Esc cancels.'
# Nothing of the Floor view shows through the box.
inside | grep -Eq 'Shared Ltd|Hybrid' && fail "the view shows through the dialog: $(inside)"
screen | grep -q '└' || fail "the dialog should have a bottom border"
keys Escape
wait_gone 'Refused: contract minimum'

# No answer: the server stopped; the message is long and wraps whole.
kill -STOP "$SERVER_PID"
keys ':move a0012 shared e2e' Enter
wait_for 'Move 1 agent to shared'
keys y
wait_for 'no answer from the server' 15
screen | python3 -c '
import sys
t = " ".join(" ".join(l.strip() for l in sys.stdin).split())
want = "no answer from the server: the move to shared may or may not happen; nothing more is sent, and the Audit view will show it if it does"
sys.exit(0 if want in t else 1)' || fail "the no-answer message should be whole"
kill -CONT "$SERVER_PID"

# The message log: every message with its time, newest first.
keys M
wait_for 'Messages \([0-9]+, newest first\)'
wait_for "[0-9]{2}:[0-9]{2}:[0-9]{2} +'atlantis' is neither an agent nor a pool"
wait_for "[0-9]{2}:[0-9]{2}:[0-9]{2} +no answer from the server"
keys q
wait_gone 'Messages \('
keys ':messages' Enter
wait_for 'Messages \('
keys Escape
keys q
status=$(wait_exit)
[ "$status" = 0 ] || fail "q should exit 0, got $status"
echo "ok - dialogs: bordered, whole sentences, message log"
