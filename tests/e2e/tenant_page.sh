#!/bin/sh
# The tenant page (Enter on a Floor row, Esc back) at 80x24, checked
# against the server's own snapshot (ptq), not against numbers written
# here: target, business hours, contract minimum, the queue by channel,
# the met/missed quarter hours of the shift, and its agents — a shared
# tenant's idle shared agents too.  m moves the agent under the cursor,
# the page dims when the feed stops, says so when its tenant is gone from
# a new floor, and Esc lands on the same tenant's row.
set -u
. tests/e2e/lib.sh
need_ptq

start_server --scenario "$SRC/tests/data/scenarios/tenantpage.ini" --speed 120 --start 0:55
wait_ping
start_dashboard 80 24
wait_for '^ LIVE '
wait_for 'Holding Line'

# The Floor in name order: Helpdesk Co, Holding Line, Shared Ltd.
keys ':sort Tenant' Enter
sleep 0.3

# tenant ID -> "MODEL SL_PCT SL_SEC MIN OPEN CLOSE" as the server says
tenant() {
	"$PTQ" "$REQUESTS" snapshot-tenants | awk -v t="$1" '$1 == t { print $2, $3, $4, $5, $6, $7 }'
}
# agents of POOL the server has on duty (not offline)
on_duty() {
	"$PTQ" "$REQUESTS" snapshot-agents | awk -v p="$1" '$2 == p && $3 != "offline" { print $1 }'
}

# ---------------------------------------------------------- a dedicated client
keys g Enter
set -- $(tenant help)
[ $# -eq 6 ] || fail "ptq has no tenant help"
model=$1 pct=$2 sec=$3 min=$4 open=$5 close=$6
wait_for "^ Helpdesk Co \\(help\\)  $model  target $pct% in ${sec}s"
screen | grep -q "^ Hours $open-$close, open now" || fail "the page should show business hours $open-$close"
n_on=$(on_duty ded-help | wc -l)
screen | grep -q "Contract minimum $min dedicated ($n_on on duty)" ||
	fail "the page should show the contract minimum $min with $n_on on duty"
screen | grep -Eq '^ Queue  voice [0-9]+.*  chat [0-9]+.*  email [0-9]+' || fail "the queue by channel is missing"
for a in $(on_duty ded-help); do
	screen | grep -Eq "^$a +.* dedicated +ded-help " || fail "dedicated agent $a is not listed"
done

# The chart: one mark per quarter hour, ^ the running one.  Once 01:15
# has passed, the finished ones must be what the server's counters say
# (o met, x missed, - nothing to judge; met shows as a blank).
i=0
while :; do
	marks=$(screen | grep '^ missed' | cut -c12-)
	pre=${marks%%^*}
	[ "$pre" != "$marks" ] && [ ${#pre} -ge 5 ] && break
	i=$((i + 1))
	[ "$i" -lt 300 ] || fail "the chart never reached 01:15 (marks '$marks')"
	sleep 0.1
done
pre=$(printf '%s' "$pre" | tr ' ' o)
srv=$("$PTQ" "$REQUESTS" snapshot-sl | awk '$1 == "help" { print $2 }' | cut -c1-${#pre})
[ "$pre" = "$srv" ] || fail "chart marks '$pre', the server's quarter hours '$srv'"
printf '%s' "$pre" | grep -q '[ox]' || fail "the chart should judge some quarter hour by now: '$pre'"
screen | grep -q '^ SL by 15m ' || fail "the chart's bars are missing"

# Esc: back to the Floor, the cursor on the same tenant (Enter opens it).
keys Escape
wait_gone 'Esc back, Enter agents view'
screen | grep -q 'SL/Tgt' || fail "Esc should go back to the Floor view"
keys Enter
wait_for '^ Helpdesk Co \(help\)'
# Enter on the page: the Agents view of its agents (the old jump).
keys Enter
wait_for 'filter: tenant:help '
keys 1

# ---------------------------------------------------------- a shared client
keys g j j Enter
set -- $(tenant shr)
wait_for "^ Shared Ltd \\(shr\\)  $1  target $2% in $3s"
[ "$5" = - ] && { screen | grep -q '^ Hours: none (always open)' || fail "shr has no business hours"; }
[ "$4" = 0 ] && { screen | grep -q 'Contract minimum: none' || fail "shr has no contract minimum"; }
# Every shared agent of the pools that serve it, not only the busy ones.
for a in $(on_duty desk); do
	screen | grep -Eq "^$a +.* shared +desk " || fail "shared agent $a is not listed for shr"
done
screen | grep -Eq '^a[0-9]+ +.* shared +desk +idle ' || fail "idle shared agents should be listed"
# Whose home pool is trained for it: listed as help it could get.
"$PTQ" "$REQUESTS" snapshot-pools | awk '$5 ~ /(^|,)shr(,|$)/ { print $1 }' >"$WORK/trained"
[ -s "$WORK/trained" ] || fail "the scenario should train a pool for shr"
for p in $(cat "$WORK/trained"); do
	for a in $(on_duty "$p"); do
		screen | grep -Eq "^$a +.* trained +$p " || fail "$a of $p (trained for shr) is not listed"
	done
done

# m: the move dialog for the agent under the page's cursor.
keys g
first=$(screen | grep -E '^a[0-9]+ ' | head -1 | awk '{ print $1 }')
keys m
wait_for 'Move 1 agent to which pool'
keys Enter
wait_for 'Reason'
keys x Enter
wait_for 'y send'
screen | grep -q "$first .* -> " || fail "m should move $first, the agent under the cursor"
keys n
wait_gone 'y send'

# ---------------------------------------------------------- a queue that stands still
keys Escape
wait_gone 'Esc back, Enter agents view'
keys g j Enter
wait_for '^ Holding Line \(hold\)'
wait_for 'floor 01:[0-9][0-9]:' 20
# Its traffic stopped at 01:00 and nobody is on duty: the counts settle.
ok=""
i=0
while [ "$i" -lt 50 ]; do
	a1=$(screen | grep '^ Queue' | sed -E 's/\(oldest [^)]*\)//g; s/ +/ /g')
	q=$("$PTQ" "$REQUESTS" snapshot-queues | awk '$1 == "hold" { printf " Queue voice %d chat %d email %d", $2, $3, $4 }')
	a2=$(screen | grep '^ Queue' | sed -E 's/\(oldest [^)]*\)//g; s/ +/ /g')
	if [ "$a1" = "$a2" ] && [ "$(printf '%s' "$a1" | sed 's/ *$//')" = "$q" ]; then
		ok=1
		break
	fi
	sleep 0.2
	i=$((i + 1))
done
[ -n "$ok" ] || fail "queue by channel '$a1', the server says '$q'"
echo "$q" | grep -q 'voice 0 chat 0 email 0' && fail "the hold queue should have contacts waiting"
screen | grep -Eq '^ Queue  voice [1-9][0-9]* \(oldest [0-9:]+\)|chat [1-9][0-9]* \(oldest ' ||
	fail "a channel with contacts waiting should say how long the oldest has waited"
# Nobody on duty: o shows its offline shared agents.
wait_for '^ Agents 0:'
keys o
for a in $("$PTQ" "$REQUESTS" snapshot-agents | awk '$2 == "hold-desk" { print $1 }'); do
	wait_for "^$a +.* shared +hold-desk +offline "
done
keys o

# Help lists the page's keys.
keys '?'
wait_for 'Tenant page: back to Floor'
keys Escape
wait_gone 'Tenant page: back to Floor'

# Not LIVE: the page stays, marked stale like every view.
kill -STOP "$SERVER_PID"
wait_for 'NOT LIVE' 15
screen | grep -q '^ Holding Line (hold)' || fail "the page should stay up while the feed is away"
kill -CONT "$SERVER_PID"
wait_for '^ LIVE ' 15

# Too small: said, not garbled; back to size, the page again.
resize 50 10
wait_for 'terminal too small'
resize 80 24
wait_for '^ Holding Line \(hold\)'

# A new floor without the tenant: the page says so, Esc still goes back.
kill_server
"$BIN/pooltopd" --events "$EVENTS" --requests "$REQUESTS" --state "$WORK/state2" --seed 7 \
	--scenario "$SRC/tests/data/scenarios/itest.ini" --speed 60 --start 10:00 >>"$WORK/server.log" 2>&1 &
SERVER_PID=$!
wait_for 'Tenant hold is not on this floor any more' 30
keys Escape
wait_for 'Dedicated Co'

keys q
status=$(wait_exit)
[ "$status" = 0 ] || fail "q should exit 0, got $status"
echo "ok - tenant page"
