#!/usr/bin/env python3
"""bench_views.py: what each dashboard view costs on a large floor.

Starts pooltopd on scenarios/large.ini (500 tenants, 10 000 agents) at
--speed (default 10) from 10:00 with --seed 1, and pooltop in a 100x30
pseudo-terminal (bench_tui.py's Tui).  For each view (1..7) it measures
pooltop's CPU (utime + stime from /proc) over two windows:

  live  --seconds with no key: the feed alone (frames at most every
        --refresh, 100 ms), reported as CPU ms per second and per frame
        (a frame is one write burst of the terminal)
  keys  --keys presses of j and k in turn, one every --key-ms: each key
        paints at once, so the window's CPU beyond the live rate, divided
        by the keys, is what one key costs (its paint included)

Standard library only; bench_tui.py supplies the pty and the process
helpers.  Only loopback ports are used; everything started is stopped.
"""

import argparse
import os
import select
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import bench_tui  # noqa: E402
import ptyterm  # noqa: E402

VIEWS = "1234567"
NAMES = ["Floor", "Agents", "Pools", "Events", "Audit", "Shifts", "Staffing"]


def views_drain_frames(tui, seconds, gap=0.02):
    """Drain for `seconds`; returns the write bursts seen (reads more than
    `gap` apart), which is the frames painted."""
    end = time.monotonic() + seconds
    frames, last = 0, 0.0
    while True:
        left = end - time.monotonic()
        if left <= 0:
            return frames
        r, _, _ = select.select([tui.fd], [], [], left)
        if not r:
            continue
        try:
            data = os.read(tui.fd, 65536)
        except OSError:
            return frames
        if not data:
            return frames
        now = time.monotonic()
        if now - last > gap:
            frames += 1
        last = now


def views_ms(pid, fn):
    hz = os.sysconf("SC_CLK_TCK")
    c0, t0 = bench_tui.tui_cpu_ticks(pid), time.monotonic()
    extra = fn()
    c1, t1 = bench_tui.tui_cpu_ticks(pid), time.monotonic()
    return 1000.0 * (c1 - c0) / hz, t1 - t0, extra


def main():
    root = os.path.dirname(HERE)
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bin", default=os.path.join(root, "bin"))
    ap.add_argument("--scenario", default=os.path.join(root, "scenarios", "large.ini"))
    ap.add_argument("--speed", default="10")
    ap.add_argument("--seconds", type=float, default=5.0)
    ap.add_argument("--keys", type=int, default=100)
    ap.add_argument("--key-ms", type=float, default=50.0)
    ap.add_argument("--views", default=VIEWS)
    args = ap.parse_args()

    tmp = tempfile.mkdtemp(prefix="pooltop-views.")
    ev_port, rq_port = ptyterm.free_ports(2)
    ev = "tcp://127.0.0.1:%d" % ev_port
    rq = "tcp://127.0.0.1:%d" % rq_port
    state = os.path.join(tmp, "state")
    os.mkdir(state)
    log = os.path.join(tmp, "pooltopd.log")
    server = tui = None
    try:
        with open(log, "w") as logf:
            server = subprocess.Popen(
                [os.path.join(args.bin, "pooltopd"), "--scenario", args.scenario,
                 "--speed", args.speed, "--start", "10:00", "--seed", "1",
                 "--state", state, "--events", ev, "--requests", rq, "--quiet"],
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=logf)
        if not bench_tui.tui_wait_log(log, r"events on ", 20):
            print("bench_views: pooltopd did not start", file=sys.stderr)
            return 1
        tui = bench_tui.Tui([os.path.join(args.bin, "pooltop"), "--events", ev,
                             "--requests", rq], None)
        views_drain_frames(tui, 4.0)
        print("bench_views: %s at --speed %s, 100x30, %d keys every %g ms per view"
              % (os.path.basename(args.scenario), args.speed, args.keys, args.key_ms))
        print("  %-9s %12s %12s %12s" % ("view", "live ms/s", "ms/frame", "ms/key"))
        for v in args.views:
            os.write(tui.fd, v.encode())
            views_drain_frames(tui, 1.0)
            live_ms, live_s, frames = views_ms(
                tui.pid, lambda: views_drain_frames(tui, args.seconds))

            def keys():
                for i in range(args.keys):
                    os.write(tui.fd, b"j" if i % 2 == 0 else b"k")
                    views_drain_frames(tui, args.key_ms / 1000.0)
                return args.keys

            key_ms, key_s, n = views_ms(tui.pid, keys)
            per_s = live_ms / live_s
            per_key = max(0.0, key_ms - per_s * key_s) / n
            name = NAMES[int(v) - 1]
            print("  %-9s %12.1f %12.2f %12.2f" % (name, per_s, live_ms / max(frames, 1), per_key))
            print("bench_views: view=%s live_ms_s=%.1f ms_frame=%.2f ms_key=%.2f frames=%d"
                  % (name, per_s, live_ms / max(frames, 1), per_key, frames))
    finally:
        if tui:
            tui.close()
        if server:
            bench_tui.tui_stop(server)
        subprocess.call(["rm", "-rf", tmp])
    return 0


if __name__ == "__main__":
    sys.exit(main())
