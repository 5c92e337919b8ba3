#!/bin/sh
# Moves that cannot overwrite someone else's: a move to the pool an agent
# is already in is refused before y (and the picker leaves that pool
# out); when another manager moves an agent this dashboard moved, the
# dashboard says so and undo leaves it out; a guarded undo (`from`) that
# the server refuses names who moved the agent.
set -u
. tests/e2e/lib.sh
need_ptq

start_server --scenario "$SRC/tests/data/scenarios/itest.ini" --speed 60 --start 10:00
wait_ping
[ "$(pool_of a0009)" = ded-ded ] || fail "a0009 should start in ded-ded"

start_dashboard 120 30 --as kim
wait_for '^ LIVE '

# Already there: refused before y, nothing sent.
keys ':move a0009 ded-ded why' Enter
wait_for 'a0009 is already in ded-ded: nothing to move'
screen | grep -q 'y send' && fail "a move to the agent's own pool must not ask for y"
[ "$("$PTQ" "$REQUESTS" audit | wc -l)" -eq 0 ] || fail "nothing should have reached the server"

# The picker for a0009 does not offer ded-ded.
keys 2
wait_for 'Handled'
keys '/' 'a0009' Enter
wait_for 'a0009'
keys m
wait_for 'to which pool'
screen | grep -q '^ *ded-ded ' && fail "the picker should leave out a0009's own pool"
screen | grep -Eq 'ded-hyb +dedicated' || fail "the picker should offer ded-hyb"
keys Escape
wait_gone 'to which pool'
keys Escape 1

# kim moves a0009 to shared; bea then moves it on to ded-hyb.
keys ':move a0009 shared cover' Enter
wait_for 'y send'
keys y
wait_pool a0009 shared
wait_for 'moved 1 agent to shared'
"$PTQ" "$REQUESTS" move a0009 ded-hyb bea >/dev/null || fail "bea's move was refused"
wait_for 'bea moved a0009 on from shared to ded-hyb: undo leaves it out \(move dropped from undo\)'
keys u
wait_for 'nothing to undo'
screen | grep -q 'y send' && fail "undo must not offer to revert bea's move"
[ "$(pool_of a0009)" = ded-hyb ] || fail "bea's move must stand"

# The server's own guard: an undo-like move from shared is refused and
# names bea.
"$PTQ" "$REQUESTS" move a0009 ded-ded kim shared 2>"$WORK/ptq.err" && fail "a guarded move should be refused"
grep -q 'conflict' "$WORK/ptq.err" || fail "the refusal should be a conflict: $(cat "$WORK/ptq.err")"
grep -q 'a0009 is in ded-hyb now, not in shared: bea moved it there' "$WORK/ptq.err" ||
	fail "the conflict should name the agent, its pool and bea: $(cat "$WORK/ptq.err")"
[ "$(pool_of a0009)" = ded-hyb ] || fail "the refused move must not move a0009"

keys q
status=$(wait_exit)
[ "$status" = 0 ] || fail "q should exit 0, got $status"
echo "ok - moves_others"
