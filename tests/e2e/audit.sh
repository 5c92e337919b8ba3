#!/bin/sh
# pooltop audit: the server's record of moves, checked against the
# server's own answer (ptq audit): text with a total, CSV and JSON with
# the same rows, --since keeps the later ones, bad usage exits 2; the
# Audit view shows dates.
set -u
. tests/e2e/lib.sh

PTQ=${PTQ:-$SRC/build/tests/ptq}
if [ ! -x "$PTQ" ]; then
	make --no-print-directory -s "$PTQ" >/dev/null || fail "cannot build $PTQ"
fi

start_server --scenario "$SRC/tests/data/scenarios/itest.ini" --speed 60 --start 10:00
start_dashboard 100 30 --as auditor
wait_for '^ LIVE '
keys ':move a0009 shared "audit, with a comma"' Enter
wait_for 'Move 1 agent to shared'
keys y
wait_for 'moved 1 agent to shared'
keys ':move a0001 ded-hyb plain' Enter
wait_for 'Move 1 agent to ded-hyb'
keys y
wait_for 'moved 1 agent to ded-hyb'
# The Audit view says the day, not only the hour.
keys 5
wait_for '^ ?[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2} +auditor +a0001'
keys q
wait_exit >/dev/null

"$PTQ" "$REQUESTS" audit >"$WORK/truth"
[ "$(wc -l <"$WORK/truth")" = 2 ] || fail "the server should hold 2 moves: $(cat "$WORK/truth")"

A="$BIN/pooltop audit --requests $REQUESTS"
$A >"$WORK/text" || fail "pooltop audit failed"
grep -Eq '^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:]{8} +auditor +a0009 +ded-ded +shared +no +audit, with a comma$' "$WORK/text" ||
	fail "text should list the move with its date: $(cat "$WORK/text")"
grep -qx '2 moves, 0 forced' "$WORK/text" || fail "text should end with the total: $(cat "$WORK/text")"

# CSV: the server's rows, field for field.
$A --format csv >"$WORK/csv" || fail "csv failed"
head -1 "$WORK/csv" | grep -qx 'time,by,agent,from,to,forced,reason,request,epoch,seq' || fail "csv header: $(head -1 "$WORK/csv")"
python3 - "$WORK/csv" "$WORK/truth" <<'PY' || fail "CSV rows differ from the server's"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
truth = [l.rstrip("\n").split(" ", 4) for l in open(sys.argv[2])]
assert len(rows) == len(truth), (rows, truth)
for r, (agent, frm, to, by, reason) in zip(rows, truth):
    assert (r["agent"], r["from"], r["to"], r["by"], r["reason"]) == (agent, frm, to, by, reason), (r, truth)
    assert r["time"][10] == "T" and r["time"][-6] in "+-", r["time"]
PY

# JSON: parseable, the clock stated, the same rows.
$A --format json >"$WORK/json" || fail "json failed"
python3 - "$WORK/json" "$WORK/truth" <<'PY' || fail "JSON differs from the server's"
import json, sys
doc = json.load(open(sys.argv[1]))
assert "local time" in doc["clock"], doc["clock"]
truth = [l.rstrip("\n").split(" ", 4) for l in open(sys.argv[2])]
got = [[m["agent"], m["from"], m["to"], m["by"], m["reason"]] for m in doc["moves"]]
assert got == truth, (got, truth)
PY

# --since: a day after the floor's clock keeps nothing; an old one all.
$A --since 2099-01-01 | grep -qx '0 moves, 0 forced' || fail "--since 2099-01-01 should keep no move"
$A --since 2000-01-01T00:00 | grep -qx '2 moves, 0 forced' || fail "--since 2000-01-01T00:00 should keep both"

for bad in "--since 2026-02-30" "--since yesterday" "--format xml" "--server x --events tcp://x:1"; do
	$A $bad >/dev/null 2>"$WORK/err"
	status=$?
	[ "$status" = 2 ] || fail "pooltop audit $bad should exit 2, got $status"
done
grep -q "not both" "$WORK/err" || fail "--server with --events: $(cat "$WORK/err")"
echo "ok - audit export"
