#!/bin/sh
# The Shifts view after a shift change: the closed shift A from the
# server's history beside the current B, metrics switched with ] and [,
# the totals row; the Staffing view's required-vs-staffed table.
set -u
. tests/e2e/lib.sh

# 11:59 at 120x: shift B starts half a second in.
start_server --scenario "$SRC/tests/data/scenarios/itest.ini" --speed 120 --start 11:59
start_dashboard 100 30
wait_for '^ LIVE .* B '
keys 6
wait_for 'Tenant: offered'
wait_for ' A +\*B '                 # the closed shift beside the current one
wait_for 'All tenants'
wait_for 'Dedicated Co +[0-9]+ +[0-9]+'
keys ']'
wait_for 'Tenant: service level'
keys ']' ']'
wait_for 'Tenant: AHT'
keys '['
wait_for 'Tenant: ASA'
keys 7
wait_for 'Load erl +AHT +Req'
wait_for 'Suggested moves'
wait_for 'Shared Ltd'
keys q
status=$(wait_exit)
[ "$status" = 0 ] || fail "q should exit 0, got $status"
echo "ok - shifts"
