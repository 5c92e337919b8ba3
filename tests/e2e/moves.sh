#!/bin/sh
# Keyboard moves against the real server, checked on the screen AND with
# ptq (the server's own answer): :move asks first and moves nothing until
# y; the move lands; u undoes it; the Audit view names who did both; an
# unknown pool is refused locally; a contract_min refusal offers a forced
# retry that Esc abandons; a --readonly dashboard sends nothing.
set -u
. tests/e2e/lib.sh
need_ptq

audit_count() {
	"$PTQ" "$REQUESTS" audit | wc -l
}

# The second, read-only dashboard lives in its own tmux session.
ro_screen() {
	tmux -L "$TMUX_SOCK" capture-pane -p -t ro
}

ro_wait_for() {
	i=0
	while [ "$i" -lt 100 ]; do
		ro_screen | grep -Eq -- "$1" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	echo "--- read-only screen:" >&2
	ro_screen >&2
	fail "the read-only dashboard never showed /$1/"
}

start_server --scenario "$SRC/tests/data/scenarios/itest.ini" --speed 60 --start 10:00
wait_ping

# The scenario decides the ids: check them before trusting them.
"$PTQ" "$REQUESTS" snapshot-agents >"$WORK/agents" || fail "ptq snapshot-agents failed"
[ "$(awk '$2 == "ded-ded"' "$WORK/agents" | wc -l)" -eq 5 ] || fail "ded-ded should have 5 agents"
for a in a0009 a0010 a0011; do
	expect_pool $a ded-ded
done
[ "$(audit_count)" -eq 0 ] || fail "a fresh state should have no audit records"

start_dashboard 100 30 --as e2e-user
wait_for '^ LIVE '
wait_for 'Dedicated Co'

# :move asks first; nothing moves before y.
keys ':move a0009 shared e2e test' Enter
wait_for 'Move 1 agent to shared'
wait_for 'y send'
screen | grep -q 'a0009 .* ded-ded -> shared' || fail "the confirmation should name a0009 ded-ded -> shared"
screen | grep -q 'reason: e2e test' || fail "the confirmation should show the reason"
sleep 0.5
expect_pool a0009 ded-ded

keys y
wait_pool a0009 shared
wait_for 'moved 1 agent'
wait_gone 'y send'

# u offers the reverse, y sends it.
keys u
wait_for 'Undo: move 1 agent to ded-ded'
wait_for 'y send'
expect_pool a0009 shared
keys y
wait_pool a0009 ded-ded
wait_for 'moved 1 agent to ded-ded'

# The Audit view: both, by the --as name, newest first.
keys 5
wait_for 'e2e-user +a0009 +shared +ded-ded +undo: e2e test'
wait_for 'e2e-user +a0009 +ded-ded +shared +e2e test'
screen | grep -A1 'undo: e2e test' | grep -q ' e2e test$' ||
	fail "the undo should be listed above the move it undid"
"$PTQ" "$REQUESTS" audit >"$WORK/audit"
grep -qx 'a0009 ded-ded shared e2e-user e2e test' "$WORK/audit" || fail "audit lacks the move"
grep -qx 'a0009 shared ded-ded e2e-user undo: e2e test' "$WORK/audit" || fail "audit lacks the undo"
keys 1

# An unknown pool is refused before anything is sent.
keys ':move a0009 atlantis' Enter
wait_for "'atlantis' is neither an agent nor a pool on this floor"
screen | grep -q 'y send' && fail "a refused :move must not ask for confirmation"
expect_pool a0009 ded-ded
[ "$(audit_count)" -eq 2 ] || fail "a refused :move must not reach the server"

# Three of five dedicated agents: under min_dedicated 3, refused by the
# server, which offers to force it; Esc leaves everything as it was.
keys ':move a0009 a0010 a0011 shared x' Enter
wait_for 'Move 3 agents to shared'
keys y
wait_for 'Refused: contract minimum'
wait_for 'moving 3 agents leaves Dedicated Co with 2 dedicated agents on duty'
wait_for 'Reason: _'
keys Escape
wait_gone 'Refused: contract minimum'
sleep 0.5
for a in a0009 a0010 a0011; do
	expect_pool $a ded-ded
done
[ "$(audit_count)" -eq 2 ] || fail "a refused move must leave no audit record"

# A read-only dashboard beside it: neither :move nor m sends anything.
tmux -L "$TMUX_SOCK" new-session -d -s ro -x 100 -y 30 \
	"env LANG=C.UTF-8 TERM=xterm-256color $BIN/pooltop --events $EVENTS --requests $REQUESTS --readonly --as ro-user 2>$WORK/ro.err; sleep 30"
ro_wait_for '^ LIVE '
ro_wait_for 'read-only'
tmux -L "$TMUX_SOCK" send-keys -t ro ':move a0010 shared' Enter
ro_wait_for 'read-only dashboard \(--readonly\): moves are disabled, nothing was sent'
ro_screen | grep -q 'y send' && fail "read-only: no confirmation should appear"
# Another message in between, so the next one is m's own.
tmux -L "$TMUX_SOCK" send-keys -t ro ':frobnicate' Enter
ro_wait_for "unknown command 'frobnicate'"
tmux -L "$TMUX_SOCK" send-keys -t ro 2
ro_wait_for 'Handled'
tmux -L "$TMUX_SOCK" send-keys -t ro m
ro_wait_for 'read-only dashboard \(--readonly\): moves are disabled, nothing was sent'
ro_screen | grep -q 'to which pool' && fail "read-only: m must not open the pool picker"
sleep 0.5
expect_pool a0010 ded-ded
[ "$(audit_count)" -eq 2 ] || fail "the read-only dashboard must not have moved anyone"

keys q
status=$(wait_exit)
[ "$status" = 0 ] || fail "q should exit 0, got $status"
echo "ok - moves"
