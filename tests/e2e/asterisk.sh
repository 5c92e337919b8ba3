#!/bin/sh
# pooltopd --source asterisk --replay: for every queue_log fixture, the
# figures `pooltop report` gives per tenant per shift (offered, answered,
# abandoned, service level, AHT) equal a count made straight from the log
# by tests/tools/qlog_count.py; malformed lines are reported with their
# numbers, in the log and in the ping reply's `source` counters; bad flag
# combinations are refused.
set -u
. tests/e2e/lib.sh
export TZ=UTC
SCEN="$SRC/tests/data/scenarios/asterisk.ini"

for log in "$SRC"/tests/data/queue_log/*.log; do
	name=$(basename "$log" .log)
	: >"$WORK/server.log"
	start_server --source asterisk --queue-log "$log" --replay --speed max --scenario "$SCEN" \
		--state "$WORK/state-$name"
	wait_for_log() {
		i=0
		until grep -q "$1" "$WORK/server.log"; do
			i=$((i + 1))
			[ "$i" -lt 100 ] || fail "$name: no '$1' in the server log"
			sleep 0.1
		done
	}
	wait_for_log "replay finished: verbs"
	timeout 20 "$BIN/pooltop" report --requests "$REQUESTS" --format json --shifts 1000 \
		>"$WORK/$name.json" || fail "$name: report failed"
	python3 "$SRC/tests/tools/qlog_count.py" "$SCEN" "$log" >"$WORK/$name.want" ||
		fail "$name: qlog_count.py failed"
	python3 - "$WORK/$name.json" "$WORK/$name.want" "$name" <<'PY' || fail "$name: report and log disagree"
import json, sys
got = json.load(open(sys.argv[1]))["rows"]
want = {(r["tenant"], r["shift"], r["start"]): r for r in json.load(open(sys.argv[2]))}
seen = set()
for g in got:
    k = (g["tenant"], g["shift"], g["start"][:19])
    w = want.get(k)
    if w is None:
        assert g["offered"] == g["answered"] == g["abandoned"] == 0, ("unexpected row", g)
        continue
    seen.add(k)
    for f in ("offered", "answered", "abandoned"):
        assert g[f] == w[f], (sys.argv[3], k, f, g[f], w[f])
    den = w["answered"] + w["abandoned"] - w["ab_short"]
    sl = None if den == 0 else 100.0 * w["in_sl"] / den
    assert (sl is None) == (g["service_level_pct"] is None), (k, g, w)
    assert sl is None or abs(sl - g["service_level_pct"]) < 0.051, (k, "SL", g, w)
    aht = None if w["handled"] == 0 else (w["talk"] + w["wrap"]) / 1000.0 / w["handled"]
    assert (aht is None) == (g["aht_s"] is None), (k, "AHT", g, w)
    assert aht is None or abs(aht - g["aht_s"]) < 0.051, (k, "AHT", g, w)
missing = set(want) - seen
assert not missing, ("rows the report lacks", missing)
PY
	kill_server
done

# The messy fixture: every malformed line is reported by its number.
: >"$WORK/server.log"
start_server --source asterisk --queue-log "$SRC/tests/data/queue_log/messy.log" --speed max \
	--scenario "$SCEN" --state "$WORK/state-m2"
i=0
until grep -q "replay finished: verbs" "$WORK/server.log"; do
	i=$((i + 1)); [ "$i" -lt 100 ] || fail "messy: no replay end"; sleep 0.1
done
PTQ=${PTQ:-$SRC/build/tests/ptq}
"$PTQ" "$REQUESTS" source >"$WORK/source" || fail "messy: ptq source failed"
for want in "finished 1" "lines 26" "blank 2" "malformed 6" "late 1" "dup_enter 2" "orphan 2" \
	"unmapped 2" "verb.ENTERQUEUE 11" "bad.1 25" "bad.6 30"; do
	grep -qx "$want" "$WORK/source" || fail "messy: ping source lacks '$want': $(tr '\n' ' ' <"$WORK/source")"
done
kill_server
for n in 25 26 27 28 29 30; do
	grep -q "messy.log:$n: malformed line skipped" "$WORK/server.log" ||
		fail "messy: line $n not reported as malformed"
done
grep -q "malformed 6, out of order 1, repeated ENTERQUEUE 2, calls never seen queued 2" \
	"$WORK/server.log" || fail "messy: counts: $(grep 'replay finished: lines' "$WORK/server.log")"

# Flags that do not go together.
"$BIN/pooltopd" --source asterisk >/dev/null 2>&1; [ $? = 2 ] || fail "--source asterisk without --queue-log"
"$BIN/pooltopd" --queue-log x >/dev/null 2>&1; [ $? = 2 ] || fail "--queue-log without --source asterisk"
"$BIN/pooltopd" --source asterisk --queue-log x --replay --follow >/dev/null 2>&1
[ $? = 2 ] || fail "--replay with --follow"
"$BIN/pooltopd" --source vicidial >/dev/null 2>&1; [ $? = 2 ] || fail "--source vicidial"
exit 0
