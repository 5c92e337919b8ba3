#!/bin/sh
# `pooltop report` against the real server: CSV with the exact header and
# one row per tenant per shift (oldest shift first, tenants in floor
# order), JSON that parses with the documented keys, a text table with
# the tenants' names; no server -> the message and exit 1 within 5 s;
# bad flags -> exit 2.
set -u
. tests/e2e/lib.sh

HEADER='tenant,shift,start,offered,answered,abandoned,service_level_pct,asa_s,aht_s,abandon_pct,occupancy_pct,cost,required_agents,staffed_agents'

# 11:58 at --speed 300: shift A closes about half a second in.
start_server --scenario "$SRC/tests/data/scenarios/itest.ini" --speed 300 --start 11:58 --quiet

report() {
	timeout 20 "$BIN/pooltop" report --events "$EVENTS" --requests "$REQUESTS" "$@"
}

# Up, and past the boundary: the current shift is B, so A is history.
i=0
until report --format csv --timeout 1000 >"$WORK/r.csv" 2>"$WORK/r.err" &&
	grep -q '^ded,B,' "$WORK/r.csv"; do
	i=$((i + 1))
	[ "$i" -lt 40 ] || fail "no report with shift B: $(cat "$WORK/r.err")"
	sleep 0.25
done

[ "$(head -n 1 "$WORK/r.csv")" = "$HEADER" ] || fail "CSV header: $(head -n 1 "$WORK/r.csv")"
keys=$(tail -n +2 "$WORK/r.csv" | cut -d, -f1,2 | tr '\n' ' ')
[ "$keys" = "ded,A shr,A hyb,A ded,B shr,B hyb,B " ] || fail "CSV rows (tenant,shift): $keys"
bad=$(tail -n +2 "$WORK/r.csv" | awk -F, 'NF != 14' | head -n 1)
[ -z "$bad" ] || fail "CSV row without 14 fields: $bad"
grep -Eq '^ded,A,[0-9]{4}-[0-9]{2}-[0-9]{2}T00:00:00[+-][0-9]{2}:[0-9]{2},[0-9]+,' "$WORK/r.csv" ||
	fail "shift A should start at local midnight: $(grep '^ded,A' "$WORK/r.csv")"

report --format json >"$WORK/r.json" || fail "report --format json failed"
python3 - "$WORK/r.json" <<'EOF' || fail "JSON report: $(head -c 400 "$WORK/r.json")"
import json, sys
doc = json.load(open(sys.argv[1], encoding="utf-8"))
assert set(doc) == {"generated", "server", "rows"}, doc.keys()
keys = ["tenant", "shift", "start", "offered", "answered", "abandoned",
        "service_level_pct", "asa_s", "aht_s", "abandon_pct", "occupancy_pct",
        "cost", "required_agents", "staffed_agents"]
rows = doc["rows"]
assert [(r["tenant"], r["shift"]) for r in rows] == [
    ("ded", "A"), ("shr", "A"), ("hyb", "A"), ("ded", "B"), ("shr", "B"), ("hyb", "B")], rows
for r in rows:
    assert list(r) == keys, list(r)
    # (answered may exceed offered: a contact queued before the boundary
    # and answered after it counts in each shift for what happened there)
    assert all(isinstance(r[k], int) and r[k] >= 0 for k in ("offered", "answered", "abandoned")), r
    sl = r["service_level_pct"]
    assert sl is None or 0 <= sl <= 100, r
EOF

report --format text --columns basic >"$WORK/r.txt" || fail "report --format text --columns basic failed"
for want in 'Dedicated Co' 'Shared Ltd' 'Hybrid Ä.G.' '^Shift A, started .* \(closed\)$' \
	'^Shift B, started .* \(current, as of ' '^Tenant +Offered +Ans +Abn +SL% +ASA +AHT +Abn% +Occ% +Cost +Req +Staffed$'; do
	grep -Eq -- "$want" "$WORK/r.txt" || fail "text report lacks /$want/: $(cat "$WORK/r.txt")"
done

# The text report a person reads carries every column by default: the
# target, met or missed and the status on each row, and the totals row.
report >"$WORK/d.txt" || fail "report (text, default columns) failed"
for want in '^Tenant +Offered .* +Target% +TargetS +Met +Status$' '^All tenants ' \
	'Dedicated Co .* (met|missed|-) +partial$' 'Dedicated Co .* (met|missed|-) +current$'; do
	grep -Eq -- "$want" "$WORK/d.txt" || fail "default text report lacks /$want/: $(cat "$WORK/d.txt")"
done

# --columns full: the same fields first, then name, target, met, status;
# a totals row ('*') after each shift whose counters are its rows' sums;
# shift A, which the server saw only the end of, is partial.
report --format csv --columns full >"$WORK/f.csv" || fail "report --columns full failed"
[ "$(head -n 1 "$WORK/f.csv")" = "$HEADER,name,target_sl_pct,target_s,met,status" ] ||
	fail "full CSV header: $(head -n 1 "$WORK/f.csv")"
python3 - "$WORK/f.csv" <<'EOF' || fail "full CSV: $(cat "$WORK/f.csv")"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
assert [(r["tenant"], r["shift"]) for r in rows] == [
    ("ded", "A"), ("shr", "A"), ("hyb", "A"), ("*", "A"),
    ("ded", "B"), ("shr", "B"), ("hyb", "B"), ("*", "B")], rows
for r in rows:
    # The server started at 11:58: it saw 2 minutes of shift A's 12 hours.
    assert r["status"] == ("partial" if r["shift"] == "A" else "current"), r
    if r["tenant"] == "*":
        assert r["name"] == "All tenants" and r["target_sl_pct"] == "" and r["met"] == "", r
        continue
    assert r["name"] and float(r["target_sl_pct"]) > 0 and int(r["target_s"]) > 0, r
    sl = r["service_level_pct"]
    want = "" if sl == "" else ("met" if float(sl) >= float(r["target_sl_pct"]) else "missed")
    assert r["met"] == want, r
for shift in ("A", "B"):
    part = [r for r in rows if r["shift"] == shift and r["tenant"] != "*"]
    tot = [r for r in rows if r["shift"] == shift and r["tenant"] == "*"][0]
    for k in ("offered", "answered", "abandoned"):
        assert int(tot[k]) == sum(int(r[k]) for r in part), (k, tot, part)
EOF
report --format json --columns full >"$WORK/f.json" || fail "report --format json --columns full failed"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["clock"].startswith("floor clock"), d; assert d["rows"][-1]["status"] == "current", d' "$WORK/f.json" ||
	fail "full JSON: $(head -c 400 "$WORK/f.json")"
report --by interval --columns full >/dev/null 2>&1
[ $? = 2 ] || fail "--by interval --columns full should exit 2"

# Nothing listening: the message, exit 1, well within 5 s.
port=$(free_port)
t0=$(date +%s%N)
report --requests "tcp://127.0.0.1:$port" >"$WORK/none.out" 2>"$WORK/none.err"
rc=$?
ms=$((($(date +%s%N) - t0) / 1000000))
[ "$rc" = 1 ] || fail "no server: exit $rc, want 1"
[ "$ms" -lt 5000 ] || fail "no server: took ${ms} ms"
grep -qF "pooltop report: no answer from tcp://127.0.0.1:$port after 3.0 s (is pooltopd running?)" "$WORK/none.err" ||
	fail "no server: stderr was: $(cat "$WORK/none.err")"
[ ! -s "$WORK/none.out" ] || fail "no server: something on stdout"

report --format xml >/dev/null 2>"$WORK/bad.err"
rc=$?
[ "$rc" = 2 ] || fail "--format xml: exit $rc, want 2"
grep -q -- '--format' "$WORK/bad.err" || fail "--format xml: stderr was: $(cat "$WORK/bad.err")"
report --shifts many >/dev/null 2>&1
[ $? = 2 ] || fail "--shifts many should exit 2"
report --help >"$WORK/help.out" || fail "--help should exit 0"
grep -q '^usage: pooltop report' "$WORK/help.out" || fail "--help: no usage on stdout"

echo "ok - report"
