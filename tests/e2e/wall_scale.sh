#!/bin/sh
# The wallboard on a wall: digits grow with the screen (more rows of ink
# at 160x48 than at 80x24); the tenant below target leads the first
# rotation though it is defined last; the strip pages through every
# tenant; --tenant limits the board; help lists only wallboard keys;
# --rotate or --tenant without --wallboard is an error.
set -u
. tests/e2e/lib.sh

# Rows of the big font: lines that are nothing but ink and blanks.
ink_rows() {
	screen | grep -Ec '^ *█[█ ]*$'
}

start_server --scenario "$SRC/tests/data/scenarios/wall.ini" --speed 60 --start 10:00
sleep 3      # a few floor minutes: Zed Overload is well below target

start_dashboard 80 24 --wallboard --rotate 2
wait_for 'Zed Overload  \(dedicated\)  1/'      # first in the rotation
small=$(ink_rows)
# The strip pages: Golf (the 7th tenant) shows on a later page although
# only 3 tenants fit at a time at 80x24.
wait_for 'ALL TENANTS  1-3 of 8'
wait_for '(page 3/3)' 12
wait_for 'Golf Calm' 12
keys '?'
wait_for 'next tenant'
screen | grep -q 'move the tagged' && fail "the wallboard's help must show only its keys"
keys q
sleep 0.2
keys q
status=$(wait_exit)
[ "$status" = 0 ] || fail "q should exit 0, got $status"
tmux -L "$TMUX_SOCK" kill-server 2>/dev/null
rm -f "$WORK/exit"
sleep 0.3

start_dashboard 160 48 --wallboard --rotate 30
wait_for 'Zed Overload  \(dedicated\)  1/'
big=$(ink_rows)
[ "$big" -ge $((small * 2)) ] || fail "digits at 160x48 ($big ink rows) should be larger than at 80x24 ($small)"
tmux -L "$TMUX_SOCK" kill-server 2>/dev/null
rm -f "$WORK/exit"
sleep 0.3

# A client's own board: only its tenants, in its strip too.
start_dashboard 100 30 --wallboard --tenant t2,t3
wait_for 'ALL TENANTS  2'
wait_for 'Bravo Calm'
screen | grep -q 'Zed Overload' && fail "--tenant t2,t3 must not show other tenants"
tmux -L "$TMUX_SOCK" kill-server 2>/dev/null

for opt in "--rotate 5" "--tenant t1"; do
	out=$("$BIN/pooltop" $opt --events "$EVENTS" --requests "$REQUESTS" 2>&1 </dev/null)
	status=$?
	[ "$status" = 2 ] || fail "$opt without --wallboard should exit 2, got $status"
	echo "$out" | grep -q 'wallboard option' || fail "$opt without --wallboard: $out"
done
echo "ok - wallboard scales, leads with the breach, pages, limits"
