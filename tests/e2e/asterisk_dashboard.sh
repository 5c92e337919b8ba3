#!/bin/sh
# The dashboard on an Asterisk floor: a member the scenario does not list
# shows up in the Agents view when the queue_log first names it (an
# agent.moved from "", no resync), tags of the others survive it, and the
# new agent's calls show as its state.  (Run with the ASan build, this
# catches a dashboard that keeps per-agent arrays sized at the snapshot.)
set -u
. tests/e2e/lib.sh
export TZ=UTC
QL="$WORK/queue_log"
now() { date +%s; }

printf '%s|MANAGER|acme-sales|Agent/1001|ADDMEMBER|\n' "$(now)" >"$QL"
start_server --source asterisk --queue-log "$QL" --follow \
	--scenario "$SRC/tests/data/scenarios/asterisk.ini"
start_dashboard 120 30
wait_for '^ LIVE '
keys 2
wait_for 'alice'
keys ' '                                     # tag alice (first row)
wait_for '\*alice'

printf '%s|MANAGER|bolt|SIP/7777|ADDMEMBER|\n' "$(now)" >>"$QL"
wait_for 'SIP/7777'
screen | grep -q '\*alice' || fail "alice's tag was lost when an agent joined"
printf '%s|c77.1|bolt|NONE|ENTERQUEUE||5550100077|1\n' "$(now)" >>"$QL"
printf '%s|c77.1|bolt|SIP/7777|CONNECT|1|c77.2|1\n' "$(now)" >>"$QL"
wait_for 'SIP/7777.*busy'
screen | grep -Eq '^ (RESYNC|OFFLINE|STALE)' && fail "the dashboard resynced for a new agent"
exit 0
