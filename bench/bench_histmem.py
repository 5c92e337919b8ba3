#!/usr/bin/env python3
"""
bench_histmem: what the largest history reply costs pooltopd in memory.

A store is filled, as earlier runs would have left it, with SHIFTS closed
shifts of TENANTS tenants, every row full: all of its 15-minute intervals
(INTERVALS of them: 32 for an 8-hour shift) with `intervals` and
`sl_intervals`.  The real server (tests/data/scenarios/itest.ini, 3
tenants) is then asked for history of all those shifts -- SHIFTS x TENANTS
rows, at most PROTO_ROWS_MAX (100 000) -- and the server's peak RSS
(VmHWM, /proc/PID/status) is read before and after the request.  Prints
one `histmem:` line per number; measures, never fails on a number (only
when the reply is missing or wrong).

Environment: POOLTOP_BIN (default bin), HISTMEM_SHIFTS (default 1000, the
most a request may ask for), HISTMEM_TENANTS (100), HISTMEM_INTERVALS (32).
"""
import os
import sqlite3
import struct
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "hostile"))
from server_lib import Server, check  # noqa: E402

SHIFTS = int(os.environ.get("HISTMEM_SHIFTS", "1000"))
TENANTS = int(os.environ.get("HISTMEM_TENANTS", "100"))
INTERVALS = int(os.environ.get("HISTMEM_INTERVALS", "32"))
T0 = 1000000000000          # 2001: long before any shift the server runs
STEP = 3600000              # a shift an hour apart: only start_ts must differ

COLS = ("tenant, shift, start_ts, end_ts, offered, answered, answered_in_sl, abandoned, "
        "abandoned_short, wait_ms, talk_ms, wrap_ms, dedicated_staffed_ms, shared_handle_ms, "
        "cost, handled, intervals, epoch, covered_ms, dedicated_busy_ms, dedicated_break_ms, "
        "sl_intervals")


def vm_hwm_kb(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


def fill(db):
    """SHIFTS x TENANTS full rows, in the on-disk layout store.c reads."""
    iv = struct.pack("<%dI" % INTERVALS, *range(1, INTERVALS + 1))
    sl = b"".join(struct.pack("<IIIIQ", k + 5, k + 4, 2, 1, 30000 * (k + 5)) for k in range(INTERVALS))
    span = INTERVALS * 900000
    con = sqlite3.connect(db)
    rows = ((("t%d" % t), "Bench", T0 + s * STEP, T0 + s * STEP + span, 7 * INTERVALS, 5 * INTERVALS,
             4 * INTERVALS, 2 * INTERVALS, INTERVALS, 600000, 900000, 300000, span * 4, 0, 12.5,
             5 * INTERVALS, iv, 1, span, span, 60000, sl)
            for s in range(SHIFTS) for t in range(TENANTS))
    con.executemany("INSERT INTO history(%s) VALUES(%s)" % (COLS, ",".join("?" * 22)), rows)
    con.commit()
    con.close()


def main():
    with Server(scenario="tests/data/scenarios/itest.ini", speed="1", args=["--quiet"]) as sv:
        sv.stop()                       # the schema is made; now the rows
        t = time.monotonic()
        fill(os.path.join(sv.state, "pooltop.db"))
        print("histmem: store of %d shifts x %d tenants x %d intervals written in %.1f s"
              % (SHIFTS, TENANTS, INTERVALS, time.monotonic() - t))
        sv.start()
        pid = sv.proc.pid
        before = vm_hwm_kb(pid)
        t = time.monotonic()
        rp = sv.call("history", rid="hist-1", timeout_ms=120000, shifts=SHIFTS)
        took = time.monotonic() - t
        after = vm_hwm_kb(pid)
        check(rp is not None, "no history reply in 120 s")
        check(rp.get("ok") is True, "history refused: %r" % rp.get("msg"))
        rows = rp.get("rows", [])
        check(len(rows) == SHIFTS * TENANTS, "%d rows, not %d" % (len(rows), SHIFTS * TENANTS))
        check(all(len(r.get("sl_intervals", [])) == INTERVALS for r in rows),
              "a row without its %d sl_intervals" % INTERVALS)
        print("histmem: history reply of %d rows in %.1f s" % (len(rows), took))
        print("histmem: pooltopd VmHWM before %d KiB, after %d KiB, the reply's peak %+d KiB"
              % (before, after, after - before))


if __name__ == "__main__":
    main()
