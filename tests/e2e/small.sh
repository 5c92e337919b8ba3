#!/bin/sh
# Small things a manager met: a host name that does not resolve is said
# to be one (not "is pooltopd running?"), by the dashboard and by the
# batch commands; Ctrl-C quits with status 0, from a dialog too.
set -u
. tests/e2e/lib.sh

tmux -L "$TMUX_SOCK" -f /dev/null new-session -d -s e2e -x 100 -y 30 \
	"env LANG=C.UTF-8 TERM=xterm-256color $BIN/pooltop --server nosuchhost.invalid 2>$WORK/tui.err; echo \$? >$WORK/exit; sleep 30"
PANE_SHOWN=1
wait_for "cannot resolve host 'nosuchhost.invalid'" 15
keys C-c
status=$(wait_exit)
[ "$status" = 0 ] || fail "Ctrl-C should exit 0, got $status"
tmux -L "$TMUX_SOCK" kill-server 2>/dev/null
rm -f "$WORK/exit"

for cmd in report audit; do
	out=$("$BIN/pooltop" $cmd --server nosuchhost.invalid --timeout 300 2>&1)
	status=$?
	[ "$status" = 1 ] || fail "pooltop $cmd --server nosuchhost.invalid should exit 1, got $status"
	echo "$out" | grep -q "cannot resolve host 'nosuchhost.invalid'" || fail "pooltop $cmd: $out"
done

# With a server: Ctrl-C in the middle of a move dialog quits, moving nothing.
start_server --scenario "$SRC/tests/data/scenarios/itest.ini" --speed 60 --start 10:00
start_dashboard 100 30
wait_for '^ LIVE '
keys ':move a0009 shared' Enter
wait_for 'Move 1 agent to shared'
keys C-c
status=$(wait_exit)
[ "$status" = 0 ] || fail "Ctrl-C in a dialog should exit 0, got $status"
echo "ok - small things: unresolvable host, Ctrl-C"
