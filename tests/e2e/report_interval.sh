#!/bin/sh
# `report --by interval` for a closed shift: every per-interval figure
# (answered, answered_in_sl, abandoned, abandoned_short, not only offered)
# is what the live shift showed for that quarter hour before it closed,
# through a kill -9 and a resume in between; the intervals add up to the
# closed row's totals.
set -u
. tests/e2e/lib.sh

SCN="$SRC/tests/data/scenarios/itest.ini"

report() {
	timeout 20 "$BIN/pooltop" report --events "$EVENTS" --requests "$REQUESTS" --timeout 1000 "$@"
}

# 11:40 at 120x: 11:45 comes 2.5 s in, 12:00 ten seconds in.
start_server --scenario "$SCN" --speed 120 --start 11:40 --quiet

# Live, once a contact was queued after 11:45: 11:30-11:45 is final.
i=0
until report --by interval --format csv --shifts 0 >"$WORK/live.csv" 2>"$WORK/live.err" &&
	grep -Eq '^[a-z]+,A,[^,]*T11:45:00[^,]*,[1-9]' "$WORK/live.csv"; do
	i=$((i + 1))
	[ "$i" -lt 60 ] || fail "no live interval after 11:45: $(cat "$WORK/live.err" "$WORK/live.csv")"
	sleep 0.2
done
# Past the next save (every 2 s), then kill -9 and come back at 11:56:
# the shift resumes from the saved counters and closes four floor
# minutes later.
sleep 2.5
kill_server
start_server --scenario "$SCN" --speed 120 --start 11:56 --quiet
i=0
until report --format csv --shifts 0 2>/dev/null | grep -q '^ded,B,'; do
	i=$((i + 1))
	[ "$i" -lt 60 ] || fail "shift B never began"
	sleep 0.25
done
report --by interval --format csv --shifts 1 >"$WORK/closed.csv" || fail "report --by interval failed"
report --format csv --shifts 1 >"$WORK/rows.csv" || fail "report failed"

python3 - "$WORK/live.csv" "$WORK/closed.csv" "$WORK/rows.csv" <<'EOF' ||
import csv, sys
live = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
closed = [r for r in csv.DictReader(open(sys.argv[2], encoding="utf-8")) if r["shift"] == "A"]
rows = {r["tenant"]: r for r in csv.DictReader(open(sys.argv[3], encoding="utf-8")) if r["shift"] == "A"}
FIELDS = ("offered", "answered", "answered_in_sl", "abandoned", "abandoned_short")
key = lambda r: (r["tenant"], r["interval_start"][11:16])
closed_by = {key(r): r for r in closed}
assert closed and set(rows) == {"ded", "shr", "hyb"}, (closed[:3], rows)
# every figure of a closed interval is known, not only offered
for r in closed:
    for f in FIELDS:
        assert r[f] != "", ("unknown", f, r)
# 11:30-11:45 as the live shift showed it, before the kill -9
final = [r for r in live if r["interval_start"][11:16] == "11:30"]
assert len(final) == 3 and sum(int(r["answered"]) for r in final) > 0, final
for r in final:
    c = closed_by[key(r)]
    for f in FIELDS + ("service_level_pct", "asa_s", "abandon_pct"):
        assert c[f] == r[f], (f, "live", r, "closed", c)
# the intervals add up to the closed row
for t, row in rows.items():
    mine = [r for r in closed if r["tenant"] == t]
    for f in ("offered", "answered", "abandoned"):
        assert sum(int(r[f]) for r in mine) == int(row[f]), (t, f, row, mine)
EOF
	fail "closed intervals disagree: $(grep -E 'T11:(30|45)' "$WORK/live.csv" "$WORK/closed.csv")"
grep -q 'resumed from the counters saved' "$WORK/server.log" || fail "the restart did not resume shift A"
echo "ok - report_interval"
