#!/bin/sh
# --wallboard: large figures for one tenant at a time, rotating by itself
# and with n; read-only (the move keys do nothing); q exits 0.
set -u
. tests/e2e/lib.sh

start_server --scenario "$SRC/tests/data/scenarios/itest.ini" --speed 60 --start 10:00
start_dashboard 80 24 --wallboard --rotate 2
wait_for 'SERVICE LEVEL \(target 80% in 20s\)'
wait_for 'WAITING'
wait_for '1/3'
wait_for '2/3' 6                # rotates by itself
keys n
wait_for '3/3'
keys m
sleep 0.3
screen | grep -q 'Move .* agent' && fail "the wallboard must not open a move"
keys q
status=$(wait_exit)
[ "$status" = 0 ] || fail "q should exit 0, got $status"
echo "ok - wallboard"
