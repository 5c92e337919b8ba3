#!/bin/sh
# The cursor follows its agent, not its row number: in Agents sorted by
# pool, the cursor sits on a0010 (row 2); another dashboard moves a0009
# away, so every ded-ded agent slides up a row; m then prepares the move
# of a0010 — the agent the cursor was on — not a0011, which took row 2.
set -u
. tests/e2e/lib.sh

start_server --scenario "$SRC/tests/data/scenarios/itest.ini" --speed 60 --start 10:00
start_dashboard 100 30 --as e2e-user
wait_for '^ LIVE '
keys 2
wait_for 'Handled'
keys s s
wait_for 'Pool(▲|\^)'
# Row 1 of the list is a0009, row 2 a0010 (ded-ded, by id).
rows() {
	screen | awk '$1 ~ /^\*?a[0-9]+$/ { print $1 }'
}
[ "$(rows | sed -n 1p)" = a0009 ] || fail "Agents by pool should start with a0009"
[ "$(rows | sed -n 2p)" = a0010 ] || fail "a0010 should be second"
keys g j

# Another manager moves a0009 out of ded-ded.
tmux -L "$TMUX_SOCK" new-session -d -s two -x 100 -y 30 \
	"env LANG=C.UTF-8 TERM=xterm-256color $BIN/pooltop --events $EVENTS --requests $REQUESTS --as other 2>$WORK/two.err; sleep 30"
i=0
until tmux -L "$TMUX_SOCK" capture-pane -p -t two | grep -q '^ LIVE '; do
	i=$((i + 1))
	[ "$i" -lt 100 ] || fail "the second dashboard never went LIVE"
	sleep 0.1
done
tmux -L "$TMUX_SOCK" send-keys -t two ':move a0009 shared e2e cursor' Enter
sleep 0.5
tmux -L "$TMUX_SOCK" send-keys -t two y

# The first dashboard re-sorts: a0010 is row 1 now, a0011 row 2.
i=0
until [ "$(rows | sed -n 1p)" = a0010 ]; do
	i=$((i + 1))
	[ "$i" -lt 100 ] || fail "a0009 never left the top of the list"
	sleep 0.1
done
[ "$(rows | sed -n 2p)" = a0011 ] || fail "a0011 should have taken row 2"

keys m
wait_for 'Move 1 agent to which pool'
keys Enter
wait_for 'Reason'
keys 'x' Enter
wait_for 'y send'
screen | grep -q 'a0010 .* ded-ded -> ' || fail "m should move a0010, the agent the cursor was on"
screen | grep -q 'a0011 .* ded-ded -> ' && fail "m moved a0011, the agent that slid under the cursor"
keys n
wait_gone 'y send'

keys q
status=$(wait_exit)
[ "$status" = 0 ] || fail "q should exit 0, got $status"
echo "ok - cursor"
