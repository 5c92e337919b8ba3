#!/bin/sh
# The dashboard against the real server: tenants and LIVE on screen; the
# server killed -> STALE then OFFLINE; back -> LIVE with the floor again;
# resizes down to "too small" and back; help; q exits 0.
set -u
. tests/e2e/lib.sh

start_server --scenario "$SRC/tests/data/scenarios/itest.ini" --speed 60 --start 10:00
start_dashboard 100 30
wait_for 'Dedicated Co'
wait_for '^ LIVE '
wait_for 'Hybrid Ä.G.'             # UTF-8 name intact

kill_server
wait_for '^ STALE since [0-9]{2}:[0-9]{2}:[0-9]{2}' 8
wait_for '^ OFFLINE since' 15
screen | grep -q 'Dedicated Co' || fail "the last known floor should stay on screen while offline"

start_server --scenario "$SRC/tests/data/scenarios/itest.ini" --speed 60 --start 10:00
wait_for '^ LIVE ' 20
wait_for 'Dedicated Co'

resize 60 15
wait_for 'Tenant'
wait_for '^ LIVE '
resize 30 8
wait_for 'terminal too small'
resize 100 30
wait_gone 'terminal too small'
wait_for 'Dedicated Co'

keys '?'
wait_for 'this help'
wait_for 'filter rows by text'
keys Escape
wait_gone 'this help'

keys 2
wait_for 'Handled'
keys '/' 'ded-ded' Enter
wait_for 'filter: ded-ded'
[ "$(screen | grep -Ec '^a[0-9]+ .* ded-ded ')" -eq 5 ] || fail "filter ded-ded should list its 5 agents"
keys Escape
wait_gone 'filter: ded-ded'

# Enter on a tenant opens its page; Enter there lists exactly its agents:
# tenant "ded" must not pull in pool "ded-hyb" (a substring match would).
keys 1 '/' 'Dedicated Co' Enter Enter
wait_for 'Dedicated Co \(ded\)  dedicated'
keys Enter
wait_for 'filter: tenant:ded '
[ "$(screen | grep -Ec '^a[0-9]+ .* ded-ded ')" -eq 5 ] || fail "tenant:ded should list ded-ded's 5 agents"
screen | grep -Eq '^a[0-9]+ .* ded-hyb ' && fail "tenant:ded must not list ded-hyb's agents"
keys Escape

keys q
status=$(wait_exit)
[ "$status" = 0 ] || fail "q should exit 0, got $status"
echo "ok - dashboard"
