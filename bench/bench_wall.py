#!/usr/bin/env python3
"""bench_wall.py: the wallboard's memory over an accelerated week.

A wallboard runs unattended for weeks, so its memory must stay flat.
Starts pooltopd on scenarios/demo.ini (14 tenants) at --speed (default
5040: a floor week in two minutes) from 00:00 with --seed 1, and
`pooltop --wallboard --rotate 1` in a 100x30 pseudo-terminal
(bench_tui.py's Tui).  After --warmup seconds it reads pooltop's VmRSS
from /proc, then every 5 s until a floor week has passed; it prints the
RSS at the start, at the end and at its highest, the floor days covered,
and the growth per floor day.  It measures and prints; it never fails
because of a number.

Standard library only.  Only loopback ports are used; everything started
is stopped.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import bench_tui  # noqa: E402
import ptyterm  # noqa: E402

WEEK_S = 7 * 86400


def wall_rss_kb(pid):
    """VmRSS of pid in kB, or None once it is gone."""
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bin", default="bin")
    ap.add_argument("--speed", type=float, default=5040.0)
    ap.add_argument("--warmup", type=float, default=10.0)
    ap.add_argument("--scenario", default="scenarios/demo.ini")
    args = ap.parse_args()

    seconds = WEEK_S / args.speed
    tmp = tempfile.mkdtemp(prefix="pooltop-bench-wall.")
    ev_port, rq_port = ptyterm.free_ports(2)
    ev = "tcp://127.0.0.1:%d" % ev_port
    rq = "tcp://127.0.0.1:%d" % rq_port
    log = os.path.join(tmp, "pooltopd.log")
    server = tui = None
    try:
        with open(log, "w") as logf:
            server = subprocess.Popen(
                [os.path.join(args.bin, "pooltopd"), "--scenario", args.scenario,
                 "--speed", "%g" % args.speed, "--start", "00:00", "--seed", "1",
                 "--state", os.path.join(tmp, "state"), "--events", ev, "--requests", rq,
                 "--quiet"],
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=logf)
        if not bench_tui.tui_wait_log(log, r"events on ", 10):
            print("pooltopd did not start:", bench_tui.tui_log_tail(log))
            return 1
        tui = bench_tui.Tui([os.path.join(args.bin, "pooltop"), "--wallboard", "--rotate", "1",
                             "--events", ev, "--requests", rq], None)
        t_start = time.monotonic()
        tui.drain(args.warmup)
        rss0 = wall_rss_kb(tui.pid)
        t0 = time.monotonic()
        peak, last = rss0, rss0
        samples = [(0.0, rss0)]         # (floor days since t0, kB)
        while time.monotonic() - t_start < seconds:
            tui.drain(min(5.0, seconds - (time.monotonic() - t_start)))
            r = wall_rss_kb(tui.pid)
            if r is None:
                break
            last = r
            peak = max(peak, r)
            samples.append(((time.monotonic() - t0) * args.speed / 86400, r))
        days = (time.monotonic() - t0) * args.speed / 86400
        # The second half says whether it levels off: rings and caches
        # fill early; a leak keeps the same slope to the end.
        mid = min(samples, key=lambda s: abs(s[0] - days / 2))
        print("wallboard over %.1f floor days at --speed %g (%.0f s): RSS %d kB after the "
              "warm-up, %d kB at mid-run (day %.1f), %d kB at the end, %d kB at most"
              % (days, args.speed, time.monotonic() - t_start, rss0 or 0, mid[1] or 0, mid[0],
                 last or 0, peak or 0))
        if days > 0 and days - mid[0] > 0:
            print("growth: %+.1f kB per floor day over the whole run, %+.1f kB per floor day "
                  "over the second half"
                  % (((last or 0) - (rss0 or 0)) / days,
                     ((last or 0) - (mid[1] or 0)) / (days - mid[0])))
        print("per floor day: " + "  ".join(
            "d%d %d kB" % (d, min(samples, key=lambda s: abs(s[0] - d))[1])
            for d in range(0, int(days) + 1)))
        return 0
    finally:
        if tui:
            tui.close()
        if server:
            bench_tui.tui_stop(server)
        for root, dirs, files in os.walk(tmp, topdown=False):
            for f in files:
                os.unlink(os.path.join(root, f))
            for d in dirs:
                os.rmdir(os.path.join(root, d))
        os.rmdir(tmp)


if __name__ == "__main__":
    sys.exit(main())
