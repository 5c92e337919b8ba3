"""The current shift survives kill -9: counters after a restart are at
least what they were a save interval (2 s) before the kill, and the
closed row says it is partial (covered_ms) because the server was down
(and started mid-shift).  A run that saw its whole shift leaves a row
without covered_ms.  A second run over the same floor day never replaces
the first run's closed rows."""
import time
import server_lib as L


def hhmm_after(ts_ms, minutes):
    return time.strftime("%H:%M", time.localtime(ts_ms / 1000 + minutes * 60))


def offered(snap):
    return {r["tenant"]: r["offered"] for r in snap["stats"]}


def history(sv, shift):
    rp = sv.call("history", shifts=5)
    L.check(rp and rp.get("ok"), "history: %r" % rp)
    return [r for r in rp["rows"] if r["shift"] == shift]


def wait_history(sv, shift, seconds):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        rows = history(sv, shift)
        if rows:
            return rows
        time.sleep(0.3)
    L.fail("shift %s never closed" % shift)


# --- kill -9 mid-shift
with L.Server(speed="60", args=["--start", "11:50"]) as sv:
    time.sleep(2)
    s0 = sv.call("snapshot")
    L.check(s0["shift"]["name"] == "A", "not in shift A: %r" % s0["shift"])
    before = offered(s0)
    L.check(sum(before.values()) > 0, "no traffic yet")
    time.sleep(3)                       # at least one save after s0
    last = sv.call("snapshot")
    sv.proc.kill()
    sv.proc.wait()
    restart = hhmm_after(last["ts"], 1)
    sv.argv[sv.argv.index("--start") + 1] = restart
    sv.start()
    s1 = sv.call("snapshot")
    L.check(s1["shift"]["name"] == "A", "restart at %s is not in shift A" % restart)
    after = offered(s1)
    for t, n in before.items():
        L.check(after.get(t, 0) >= n, "tenant %s: %d offered after the restart, %d before"
                % (t, after.get(t, 0), n))
    rows = wait_history(sv, "A", 15)
    for r in rows:
        L.check(r["offered"] >= before[r["tenant"]], "history lost counts: %r" % r)
        # the resumed and closed row is as full as a live one: busy and
        # break time and sl_intervals, none of it lost to the kill
        was = [x for x in s0["stats"] if x["tenant"] == r["tenant"]][0]
        for k in ("dedicated_busy_ms", "dedicated_break_ms"):
            L.check(k in r and r[k] >= was[k], "%s lost: %r before, row %r" % (k, was.get(k), r))
        L.check("sl_intervals" in r and len(r["sl_intervals"]) == len(r["intervals"]),
                "closed row without sl_intervals: %r" % r)
        for i, k in ((0, "answered"), (1, "answered_in_sl"), (2, "abandoned")):
            L.check(sum(v[i] for v in r["sl_intervals"]) == r[k],
                    "sl_intervals do not add up to %s: %r" % (k, r))
            L.check(sum(v[i] for v in r["sl_intervals"]) >= sum(v[i] for v in was["sl_intervals"]),
                    "%s per interval lost: %r before, row %r" % (k, was["sl_intervals"], r))
        span = r["end_ts"] - r["start_ts"]
        L.check(0 < r.get("covered_ms", 0) < span, "row of a shift with downtime not partial: %r" % r)
    print("kill -9: offered %d before, %d after restart; row A covers %.0f of %.0f min"
          % (sum(before.values()), sum(after.values()), rows[0]["covered_ms"] / 60000.0,
             (rows[0]["end_ts"] - rows[0]["start_ts"]) / 60000.0))

# --- a whole shift seen is not partial; a second run does not overwrite it
with L.Server(speed="7200", args=["--start", "00:00"]) as sv:
    first = {r["tenant"]: r for r in wait_history(sv, "A", 30)}
    for r in first.values():
        L.check("covered_ms" not in r, "a shift seen whole is flagged partial: %r" % r)
    sv.stop()
    sv.argv += ["--seed", "2"]
    sv.start()
    end = time.monotonic() + 30
    while time.monotonic() < end and "already recorded" not in sv.log():
        time.sleep(0.3)
    L.check("already recorded" in sv.log(), "the second run's close was not refused with a message")
    for r in history(sv, "A"):
        if r["start_ts"] == next(iter(first.values()))["start_ts"]:
            L.check(r == first[r["tenant"]], "closed row replaced: %r became %r" % (first[r["tenant"]], r))
print("ok: shift counters survive kill -9; closed history is never overwritten")
