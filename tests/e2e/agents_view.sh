#!/bin/sh
# The Agents view: offline agents hidden at first ("N of M agents" says
# how many and o shows them), the tagged count on the feedback line, and
# a filter that hides tagged agents says they are kept; Tab completes
# ids on the command line.
set -u
. tests/e2e/lib.sh

# itest.ini with three of the shared pool's eight agents off duty.
sed 's/^on_duty = A 8, B 8$/on_duty = A 5, B 5/' "$SRC/tests/data/scenarios/itest.ini" >"$WORK/off.ini"
grep -q 'on_duty = A 5, B 5' "$WORK/off.ini" || fail "could not make the scenario"
start_server --scenario "$WORK/off.ini" --speed 60 --start 10:00
# A tenant below target would raise an alert, whose banner takes the line
# this test reads.
quiet_alerts
start_dashboard 100 30
wait_for '^ LIVE '
keys 2
wait_for '13 of 16 agents \(3 offline hidden: o shows them\)'
screen | grep -Eq '^a[0-9]+ .* offline ' && fail "offline agents should be hidden at first"
keys o
wait_for '16 of 16 agents'
wait_for '^a0006 .* offline '
keys o
wait_for '13 of 16 agents'
keys g ' ' ' '
wait_for '2 tagged \(Esc clears\)'
keys / a0016 Enter
wait_for 'filter: a0016 .*2 tagged, kept while hidden'
keys Escape Escape
wait_gone 'tagged'
# Tab completes ids on the command line, and lists what remains.
keys ':move a001' Tab
wait_for 'a0010 a0011 a0012 a0013 a0014 a0015 a0016'
keys 2 Tab 'ded-h' Tab
wait_for '^:move a0012 ded-hyb _?'
keys Escape
keys q
status=$(wait_exit)
[ "$status" = 0 ] || fail "q should exit 0, got $status"
echo "ok - agents view: offline hidden, counts, tags"
