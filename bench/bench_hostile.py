"""
bench_hostile: pooltopd against peers that do not play along, measured.
Prints one line per figure, key=value, for bench/run and docs/BENCH.md:

  hogs        50 DEALERs each pipeline 100 `snapshot` requests on
              large.ini and never read: pooltopd's peak RSS while they
              stay, and its RSS 12 s after they leave.       target < 200 MB
  slow_subs   20 SUBs that stop reading on large.ini --speed max: RSS
              with them, per subscriber, and after they leave.
  locked_db   another process holds the state DB's write lock for 8 s
              while a move is sent every 250 ms: the largest gap between
              heartbeats, and how each move was answered.   target: gaps ~1 s

It measures and prints; it never fails because of a number.  Usage:
  python3 bench/bench_hostile.py [--bin DIR] [--only hogs|slow_subs|locked_db]
"""
import argparse
import os
import sqlite3
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "hostile"))
import msgpack  # noqa: E402
import server_lib as L  # noqa: E402


def mb(kb):
    return "%.1f" % (kb / 1024.0)


def watch_rss(pid, seconds):
    peak = 0
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        peak = max(peak, L.rss_kb(pid))
        time.sleep(0.1)
    return peak


def bench_hogs(n=50, each=100):
    with L.Server(scenario="scenarios/large.ini", speed="1") as sv:
        snap = sv.call("snapshot", timeout_ms=10000)
        base = L.rss_kb(sv.proc.pid)
        hogs = []
        for i in range(n):
            d = sv.dealer(hwm=1)
            for j in range(each):
                d.send(L.request("hog-%d-%d" % (i, j), "snapshot"))
            hogs.append(d)
        peak = watch_rss(sv.proc.pid, 15)
        t = time.monotonic()
        ok = sv.call("ping", timeout_ms=5000) is not None
        ping_ms = (time.monotonic() - t) * 1000
        for d in hogs:
            d.close(0)
        time.sleep(12)
        after = L.rss_kb(sv.proc.pid)
        print("hogs clients=%d requests=%d snapshot_kb=%d base_mb=%s peak_mb=%s after_leave_mb=%s "
              "ping_answered=%s ping_ms=%.0f" % (n, n * each, len(msgpack.packb(snap)) // 1024,
                                                 mb(base), mb(peak), mb(after), ok, ping_ms))


def bench_slow_subs(n=20):
    import zmq
    with L.Server(scenario="scenarios/large.ini", speed="max") as sv:
        time.sleep(2)
        base = L.rss_kb(sv.proc.pid)
        subs = []
        for _ in range(n):
            s = sv.ctx.socket(zmq.SUB)
            s.setsockopt(zmq.LINGER, 0)
            s.setsockopt(zmq.RCVHWM, 1)
            s.setsockopt(zmq.RCVBUF, 4096)
            s.setsockopt(zmq.SUBSCRIBE, b"pt1")
            s.connect(sv.events)
            subs.append(s)
        peak = watch_rss(sv.proc.pid, 10)
        for s in subs:
            s.close(0)
        time.sleep(12)
        after = L.rss_kb(sv.proc.pid)
        print("slow_subs subscribers=%d base_mb=%s with_mb=%s per_sub_mb=%s after_leave_mb=%s" %
              (n, mb(base), mb(peak), mb((peak - base) / n), mb(after)))


def bench_locked_db(seconds=8):
    with L.Server(speed="60") as sv:
        snap = sv.call("snapshot")
        agent = snap["agents"][0]
        pools = [p["id"] for p in snap["pools"]]
        hb = L.Heartbeats(sv)
        time.sleep(2)
        db = sqlite3.connect(os.path.join(sv.state, "pooltop.db"), timeout=0, isolation_level=None)
        db.execute("BEGIN IMMEDIATE")
        d = sv.dealer()
        answers = {}
        sent = 0
        t_end = time.monotonic() + seconds
        next_move = time.monotonic()
        while time.monotonic() < t_end:
            if time.monotonic() >= next_move:
                d.send(L.request("lk-%d" % sent, "move", agents=[agent["id"]], force=True,
                                 to=pools[(sent + 1) % len(pools)], reason="bench lock"))
                sent += 1
                next_move += 0.25
            if d.poll(20):
                rp = L.reply(d.recv_multipart()[-1])
                key = "ok" if rp.get("ok") else rp.get("err")
                answers[key] = answers.get(key, 0) + 1
        db.execute("ROLLBACK")
        db.close()
        end = time.monotonic() + 3
        while time.monotonic() < end:
            if d.poll(50):
                rp = L.reply(d.recv_multipart()[-1])
                key = "ok" if rp.get("ok") else rp.get("err")
                answers[key] = answers.get(key, 0) + 1
        gaps = hb.stop()
        print("locked_db seconds=%d moves=%d answers=%s heartbeats=%d max_gap_s=%.2f mean_gap_s=%.2f" %
              (seconds, sent, ",".join("%s:%d" % kv for kv in sorted(answers.items())),
               len(gaps) + 1, max(gaps) if gaps else -1, sum(gaps) / len(gaps) if gaps else -1))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin")
    ap.add_argument("--only")
    a = ap.parse_args()
    if a.bin:
        L.BIN = os.path.abspath(a.bin)
    for name, fn in (("hogs", bench_hogs), ("slow_subs", bench_slow_subs), ("locked_db", bench_locked_db)):
        if a.only in (None, name):
            fn()


if __name__ == "__main__":
    main()
