#!/bin/sh
# The Shifts view says "partial" under a closed shift whose server was
# down for part of it, and not under one it saw whole: shift A seen from
# 00:00 to its end, then pooltopd killed -9 in shift B and started again
# hours of floor time later (the counters resume, the gap is not covered).
set -u
. tests/e2e/lib.sh

SCN="$SRC/tests/data/scenarios/itest.ini"

report() {
	timeout 20 "$BIN/pooltop" report --events "$EVENTS" --requests "$REQUESTS" --timeout 1000 "$@"
}

# wait_current SHIFT SECONDS: the server's current shift is SHIFT.
wait_current() {
	i=0
	until report --format csv --columns full --shifts 0 2>/dev/null | grep -q "^ded,$1,.*,current\$"; do
		i=$((i + 1))
		[ "$i" -lt $(($2 * 4)) ] || fail "shift $1 never became current"
		sleep 0.25
	done
}

# 12 floor hours in 6 s: A is seen whole from its first millisecond.
start_server --scenario "$SCN" --speed 7200 --start 00:00 --quiet
wait_current B 20
sleep 0.5                           # into B, past its first save
kill_server
# Back at 20:00: B resumes from its saved counters with hours missing.
start_server --scenario "$SCN" --speed 7200 --start 20:00 --quiet
wait_current A 20

start_dashboard 100 30
wait_for '^ LIVE '
keys 6
wait_for ' A +B +\*A '
wait_for '^Coverage +partial'
screen >"$WORK/screen.txt"
python3 - "$WORK/screen.txt" <<'EOF' || fail "partial is not under shift B alone: $(cat "$WORK/screen.txt")"
import re, sys
lines = open(sys.argv[1], encoding="utf-8").read().split("\n")
head = next(l for l in lines if re.search(r" A +B +\*A ", l))
cov = next(l for l in lines if l.startswith("Coverage"))
m = re.search(r" A +B +\*A ", head)
# cells are right-aligned: "partial" ends where the shift's name does
a_end = head.index(" A ", m.start()) + 2
b_end = head.index("B", a_end) + 1
assert cov.count("partial") == 1, cov
assert cov.index("partial") + len("partial") == b_end, (cov, head)
assert a_end != b_end
EOF
# The report calls the same rows the same (one rule serves both).
report --format csv --columns full --shifts 2 >"$WORK/f.csv" || fail "report failed"
grep -q '^ded,A,.*,closed$' "$WORK/f.csv" || fail "A should be closed: $(cat "$WORK/f.csv")"
grep -q '^ded,B,.*,partial$' "$WORK/f.csv" || fail "B should be partial: $(cat "$WORK/f.csv")"
keys q
status=$(wait_exit)
[ "$status" = 0 ] || fail "q should exit 0, got $status"
echo "ok - shifts_partial"
