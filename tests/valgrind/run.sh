#!/bin/sh
# make valgrind: both programs under valgrind's memcheck, with leaks
# checked.  pooltopd runs a 10-minute floor at --speed 60 and stops by
# itself; pooltop watches it in tmux while keys visit every view, open
# the help, the move picker, the filter and command lines, and the
# terminal is shrunk to 1x1 and back in each.  Each must exit 0:
# valgrind's --error-exitcode (9) catches any invalid read or write, use
# of uninitialised memory, or leak (definite or possible) outside the
# ncurses blocks suppressed in tests/valgrind.supp.
cd "$(dirname "$0")/../.." || exit 1
. tests/e2e/lib.sh

VG="valgrind --error-exitcode=9 --leak-check=full --show-leak-kinds=definite,possible --errors-for-leak-kinds=definite,possible --suppressions=$SRC/tests/valgrind.supp"

$VG --log-file="$WORK/pooltopd.vg" "$BIN/pooltopd" --events "$EVENTS" --requests "$REQUESTS" \
	--state "$WORK/state" --seed 7 --scenario tests/data/scenarios/small.ini --speed 60 \
	--duration 10m --quiet >>"$WORK/server.log" 2>&1 &
SERVER_PID=$!

tmux -L "$TMUX_SOCK" -f /dev/null new-session -d -s e2e -x 100 -y 30 \
	"env LANG=C.UTF-8 TERM=xterm-256color $VG --log-file=$WORK/pooltop.vg $BIN/pooltop --events $EVENTS --requests $REQUESTS 2>$WORK/tui.err; echo \$? >$WORK/exit; sleep 60"
PANE_SHOWN=1
wait_for "LIVE" 60 || fail "the dashboard under valgrind never went LIVE"

for v in 1 2 3 4 5 6 7; do
	keys "$v"; sleep 0.4
	resize 1 1; sleep 0.6
	keys j; keys k; keys '?'; sleep 0.3; keys Escape
	resize 100 30; sleep 0.6
done
keys 2; sleep 0.3; keys Space; keys m; sleep 0.5
resize 1 1; sleep 0.8; resize 100 30; sleep 0.5; keys Escape
keys /; resize 1 1; sleep 0.5; keys -l abc; resize 100 30; sleep 0.3; keys Escape
keys :; resize 1 1; sleep 0.5; resize 3 2; sleep 0.5; resize 100 30; sleep 0.3; keys Escape
keys q

i=0
while [ ! -s "$WORK/exit" ] && [ $i -lt 200 ]; do sleep 0.1; i=$((i + 1)); done
tui_rc=$(cat "$WORK/exit" 2>/dev/null || echo none)
wait "$SERVER_PID"; srv_rc=$?
SERVER_PID=""

status=0
for p in pooltopd pooltop; do
	[ "$p" = pooltopd ] && rc=$srv_rc || rc=$tui_rc
	summary=$(grep "ERROR SUMMARY" "$WORK/$p.vg" | tail -1 | sed 's/^==[0-9]*== //')
	if [ "$rc" = 0 ]; then
		echo "valgrind: $p ok ($summary)"
	else
		echo "valgrind: $p FAILED with exit $rc ($summary)"
		grep -v "^==[0-9]*== *$" "$WORK/$p.vg" | sed -n '/Invalid\|uninitialised\|definitely\|possibly/,+12p' | head -60
		status=1
	fi
done
exit $status
