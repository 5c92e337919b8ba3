#!/bin/sh
# Loans from the keyboard (issue 12): in the confirm dialog l sets a loan
# length and the dialog says until when; y lends the agent; the Agents
# view shows "on loan until"; :return AGENT offers the move home, and y
# sends it (checked with ptq, the server's own answer).
set -u
. tests/e2e/lib.sh

PTQ=${PTQ:-$SRC/build/tests/ptq}
if [ ! -x "$PTQ" ]; then
	make --no-print-directory -s "$PTQ" >/dev/null || fail "cannot build $PTQ"
fi

pool_of() {
	"$PTQ" "$REQUESTS" snapshot-agents | awk -v a="$1" '$1 == a { print $2 }'
}

wait_pool() {
	i=0
	while [ "$i" -lt 100 ]; do
		[ "$(pool_of "$1")" = "$2" ] && return 0
		sleep 0.1
		i=$((i + 1))
	done
	fail "$1 never reached $2 (the server says '$(pool_of "$1")')"
}

start_server --scenario "$SRC/tests/data/scenarios/itest.ini" --speed 60 --start 10:00
i=0
until "$PTQ" "$REQUESTS" ping >/dev/null 2>&1; do
	i=$((i + 1))
	[ "$i" -lt 20 ] || fail "pooltopd does not answer ping"
done
[ "$(pool_of a0009)" = ded-ded ] || fail "a0009 should start in ded-ded"

start_dashboard 120 30 --as e2e-user
wait_for '^ LIVE '
wait_for 'Dedicated Co'

keys ':move a0009 shared e2e loan' Enter
wait_for 'Move 1 agent to shared'
screen | grep -q 'on loan until' && fail "a plain move is not a loan"
keys l
wait_for 'Move 1 agent to shared on loan until [0-9][0-9]:[0-9][0-9]'
keys y
wait_pool a0009 shared

keys 2
wait_for 'shared, on loan until [0-9][0-9]:[0-9][0-9]'

keys ':return a0009' Enter
wait_for 'Move 1 agent to ded-ded'
keys y
wait_pool a0009 ded-ded
wait_gone 'on loan until'
keys q
status=$(wait_exit)
[ "$status" = 0 ] || fail "q should exit 0, got $status"
echo "ok - loans"
