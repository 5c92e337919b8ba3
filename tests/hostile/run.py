#!/usr/bin/env python3
"""hostile: the real dashboard against a publisher and a server that
misbehave in the ways the protocol allows (issue 11, client side).

A fake pooltopd (a PUB and a ROUTER here, pyzmq + msgpack) serves the
floor of a real one: one snapshot is taken from `pooltopd --scenario
tests/data/scenarios/quiet.ini` at start and replayed with whatever epoch
and seq a case wants.  `pooltop` runs in a 100x30 pseudo-terminal,
rendered with pyte, so every case checks what a person would see on the
status line as well as what the dashboard asked of the server.

Cases (each bounded, a few seconds):
  reset        one floor.reset            -> one more snapshot, LIVE again
  oversize     one 12 KB feed frame       -> the feed recovers, LIVE again
  big-reply    a 65 MiB snapshot reply    -> refused unread (RSS stays small), LIVE
  history      every history refused      -> asked again with backoff
  epoch-flap   heartbeats of two epochs   -> a few snapshots a second at most
  other-epoch  snapshots of another epoch -> paced, never LIVE
  ahead        snapshot 1,000 seqs ahead  -> never LIVE, paced
  hb-back      heartbeat seq goes back    -> not LIVE
  feed-dead    feed silent, requests ok   -> STALE stays, "since" unchanged

Each prints the requests per second the dashboard sent during the fault;
the last line is "hostile: N passed, M failed".  Usage:
  run.py [--bin DIR] [--only NAME,...] [-v]
"""

import argparse
import fcntl
import os
import pty
import re
import select
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import termios
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "bench"))
import ptyterm  # noqa: E402

try:
    import msgpack
    import zmq
except ImportError:
    sys.path.append("/usr/lib/python3/dist-packages")
    import msgpack
    import zmq

COLS, ROWS = 100, 30
REQ_RATE_MAX = 3.0     # requests a second during a fault: "a few"


# ------------------------------------------------------------ the floor

def take_snapshot(bindir, tmp):
    """A snapshot reply (as a dict) from a real pooltopd on quiet.ini."""
    ev_port, rq_port = ptyterm.free_ports(2)
    state = os.path.join(tmp, "state")
    os.mkdir(state)
    srv = subprocess.Popen(
        [os.path.join(bindir, "pooltopd"), "--scenario",
         os.path.join(ROOT, "tests/data/scenarios/quiet.ini"), "--state", state,
         "--events", "tcp://127.0.0.1:%d" % ev_port,
         "--requests", "tcp://127.0.0.1:%d" % rq_port, "--quiet"],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    ctx = zmq.Context()
    s = ctx.socket(zmq.DEALER)
    s.linger = 0
    s.connect("tcp://127.0.0.1:%d" % rq_port)
    try:
        for _ in range(20):
            s.send(msgpack.packb({"v": 1, "id": "hostile-1", "op": "snapshot"}))
            if s.poll(500):
                return msgpack.unpackb(s.recv(), raw=False)
        raise RuntimeError("pooltopd gave no snapshot")
    finally:
        s.close()
        ctx.term()
        srv.terminate()
        srv.wait()


class Fake:
    """The fake pooltopd: answers by policy, counts what it is asked."""

    def __init__(self, snap):
        self.ctx = zmq.Context()
        self.pub = self.ctx.socket(zmq.PUB)
        self.router = self.ctx.socket(zmq.ROUTER)
        for s in (self.pub, self.router):
            s.linger = 0
        ev_port, rq_port = ptyterm.free_ports(2)
        self.events = "tcp://127.0.0.1:%d" % ev_port
        self.requests = "tcp://127.0.0.1:%d" % rq_port
        self.pub.bind(self.events)
        self.router.bind(self.requests)
        self.snap = snap
        self.epoch = 7000001
        self.seq = 10
        self.ts = snap.get("ts", 1700000000000)
        # policies
        self.hb_ms = 300
        self.hb_epochs = None          # list: heartbeats cycle these epochs
        self.hb_seq_delta = 0          # heartbeats claim seq + this
        self.snap_epoch_delta = 0
        self.snap_seq_delta = 0
        self.big_replies = 0           # this many snapshot replies are junk over 64 MiB
        self.refuse = set()            # ops answered unavailable
        self.publish = True
        self.asked = []                # (monotonic s, op)
        self._next_hb = 0
        self._n_hb = 0

    def close(self):
        self.pub.close()
        self.router.close()
        self.ctx.term()

    def count(self, op, since=0.0):
        return sum(1 for t, o in self.asked if o == op and t >= since)

    def total(self, since=0.0):
        return sum(1 for t, _ in self.asked if t >= since)

    def send_event(self, ev):
        self.pub.send_multipart([b"pt1", msgpack.packb(ev)])

    def hb(self):
        epochs = self.hb_epochs or [self.epoch]
        epoch = epochs[self._n_hb % len(epochs)]
        self._n_hb += 1
        self.send_event({"v": 1, "type": "hb", "epoch": epoch,
                         "seq": max(0, self.seq + self.hb_seq_delta), "ts": self.ts})

    def reply(self, ident, rep):
        self.router.send_multipart([ident, msgpack.packb(rep)])

    def answer(self, ident, req):
        op = req.get("op")
        rid = req.get("id", "")
        self.asked.append((time.monotonic(), op))
        if op in self.refuse:
            self.reply(ident, {"v": 1, "id": rid, "ok": False, "err": "unavailable",
                               "msg": "hostile: refused"})
        elif op == "snapshot":
            if self.big_replies > 0:
                self.big_replies -= 1
                self.router.send_multipart([ident, b"\xc1" * (65 * 1024 * 1024 + 1)])
                return
            rep = dict(self.snap)
            rep.update({"id": rid, "ok": True, "epoch": self.epoch + self.snap_epoch_delta,
                        "seq": self.seq + self.snap_seq_delta})
            self.reply(ident, rep)
        elif op == "ping":
            self.reply(ident, {"v": 1, "id": rid, "ok": True, "epoch": self.epoch, "seq": self.seq})
        elif op == "history":
            self.reply(ident, {"v": 1, "id": rid, "ok": True, "rows": []})
        elif op == "audit":
            self.reply(ident, {"v": 1, "id": rid, "ok": True, "moves": []})
        else:
            self.reply(ident, {"v": 1, "id": rid, "ok": False, "err": "bad_request", "msg": "no"})

    def turn(self, timeout_ms):
        """One turn: answer what is waiting, beat when it is time."""
        if self.router.poll(timeout_ms):
            while True:
                try:
                    frames = self.router.recv_multipart(zmq.NOBLOCK)
                except zmq.Again:
                    break
                try:
                    req = msgpack.unpackb(frames[-1], raw=False)
                except Exception:
                    continue
                if isinstance(req, dict):
                    self.answer(frames[0], req)
        now = time.monotonic()
        if self.publish and now >= self._next_hb:
            self.hb()
            self._next_hb = now + self.hb_ms / 1000.0


# ------------------------------------------------------------ the dashboard

class Tui:
    def __init__(self, bindir, fake):
        pyte = ptyterm.load_pyte()
        if pyte is None:
            raise RuntimeError("python3-pyte is needed")
        argv = [os.path.join(bindir, "pooltop"), "--events", fake.events,
                "--requests", fake.requests, "--refresh", "50"]
        env = dict(os.environ, TERM="xterm-256color", LANG="C.UTF-8", LC_ALL="C.UTF-8")
        env.pop("NO_COLOR", None)
        pid, fd = pty.fork()
        if pid == 0:
            try:
                fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLS, 0, 0))
                os.execve(argv[0], argv, env)
            finally:
                os._exit(127)
        self.pid, self.fd = pid, fd
        screen_cls, stream_cls = ptyterm.pyte_classes(pyte)
        self.screen = screen_cls(COLS, ROWS)
        self.stream = stream_cls(self.screen)

    def drain(self):
        while select.select([self.fd], [], [], 0)[0]:
            try:
                data = os.read(self.fd, 65536)
            except OSError:
                return
            if not data:
                return
            self.stream.feed(data)

    def status(self):
        self.drain()
        return self.screen.display[ROWS - 1]

    def key(self, k):
        os.write(self.fd, k.encode())

    def rss_hwm_kb(self):
        try:
            with open("/proc/%d/status" % self.pid) as f:
                for line in f:
                    if line.startswith("VmHWM:"):
                        return int(line.split()[1])
        except OSError:
            pass
        return -1

    def close(self):
        try:
            os.kill(self.pid, signal.SIGTERM)
        except OSError:
            pass
        for _ in range(50):
            pid, _ = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                break
            time.sleep(0.02)
        else:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        os.close(self.fd)


def live(status):
    return status.startswith(" LIVE ")


def run_for(fake, tui, seconds, each=None):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        fake.turn(20)
        tui.drain()
        if each:
            each()


def until(fake, tui, cond, seconds):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        fake.turn(20)
        if cond():
            return True
    return cond()


# ------------------------------------------------------------ the cases

def join(fake, tui):
    if not until(fake, tui, lambda: live(tui.status()), 8):
        raise AssertionError("never LIVE at join: %r" % tui.status())


def rate(fake, since, seconds):
    return fake.total(since) / seconds


def case_reset(fake, tui, res):
    join(fake, tui)
    t0 = time.monotonic()
    fake.seq += 1
    fake.send_event({"v": 1, "type": "floor.reset", "epoch": fake.epoch, "seq": fake.seq, "ts": fake.ts})
    run_for(fake, tui, 5)
    res["rate"] = rate(fake, t0, 5)
    res["snapshots"] = fake.count("snapshot", t0)
    check(res["snapshots"] <= 2, "%d snapshots after one floor.reset" % res["snapshots"])
    check(live(tui.status()), "not LIVE after the reset: %r" % tui.status())


def case_oversize(fake, tui, res):
    join(fake, tui)
    t0 = time.monotonic()
    fake.pub.send_multipart([b"pt1", b"\xc1" * 12288])
    run_for(fake, tui, 1)
    fake.seq += 0
    seen_live = until(fake, tui, lambda: live(tui.status()) and tui.status() and True, 6)
    run_for(fake, tui, 4)
    res["rate"] = rate(fake, t0, time.monotonic() - t0)
    check(seen_live and live(tui.status()),
          "the feed did not come back after a 12 KB frame: %r" % tui.status())


def case_big_reply(fake, tui, res):
    fake.big_replies = 1
    t0 = time.monotonic()
    join(fake, tui)
    run_for(fake, tui, 2)
    res["rate"] = rate(fake, t0, time.monotonic() - t0)
    res["rss_hwm_mb"] = round(tui.rss_hwm_kb() / 1024.0, 1)
    check(res["rss_hwm_mb"] < 40, "peak RSS %.1f MB: a 65 MiB reply was read" % res["rss_hwm_mb"])


def case_history(fake, tui, res):
    fake.refuse.add("history")
    join(fake, tui)
    tui.key("6")       # the Shifts view asks for history
    t0 = time.monotonic()
    run_for(fake, tui, 6)
    res["rate"] = rate(fake, t0, 6)
    res["history"] = fake.count("history", t0)
    check(res["history"] >= 2, "history was not asked again (%d)" % res["history"])
    check(res["rate"] <= REQ_RATE_MAX, "%.1f requests/s while history is refused" % res["rate"])
    check("history refused" in tui.status(), "the status line does not say it: %r" % tui.status())


def case_epoch_flap(fake, tui, res):
    join(fake, tui)
    fake.hb_ms = 50
    fake.hb_epochs = [fake.epoch, fake.epoch + 1]
    t0 = time.monotonic()
    run_for(fake, tui, 6)
    res["rate"] = rate(fake, t0, 6)
    res["snapshots"] = fake.count("snapshot", t0)
    check(res["rate"] <= REQ_RATE_MAX, "%.1f requests/s while the epoch flaps" % res["rate"])


def case_other_epoch(fake, tui, res):
    fake.snap_epoch_delta = 1
    fake.hb_ms = 50
    t0 = time.monotonic()
    was_live = []
    run_for(fake, tui, 6, lambda: was_live.append(live(tui.status())))
    res["rate"] = rate(fake, t0, 6)
    check(res["rate"] <= REQ_RATE_MAX, "%.1f requests/s, snapshot epoch != feed epoch" % res["rate"])
    check(not any(was_live), "LIVE with the snapshot of another epoch")


def case_ahead(fake, tui, res):
    fake.snap_seq_delta = 1000
    t0 = time.monotonic()
    run_for(fake, tui, 1.5)
    shown = []
    run_for(fake, tui, 4.5, lambda: shown.append(tui.status()))
    res["rate"] = rate(fake, t0, 6)
    check(not any(live(s) for s in shown), "LIVE with a snapshot 1,000 seqs ahead of the feed")
    check(any("behind" in s for s in shown), "the status never says the feed is behind: %r" % shown[-1])
    check(res["rate"] <= REQ_RATE_MAX, "%.1f requests/s" % res["rate"])


def case_hb_back(fake, tui, res):
    join(fake, tui)
    fake.hb_seq_delta = -5
    t0 = time.monotonic()
    run_for(fake, tui, 1.5)
    was_live = []
    run_for(fake, tui, 3, lambda: was_live.append(live(tui.status())))
    res["rate"] = rate(fake, t0, 4.5)
    check(not any(was_live), "LIVE while heartbeats say seq %d < %d" % (fake.seq - 5, fake.seq))
    check(res["rate"] <= REQ_RATE_MAX, "%.1f requests/s" % res["rate"])


def case_feed_dead(fake, tui, res):
    join(fake, tui)
    fake.publish = False
    t0 = time.monotonic()
    if not until(fake, tui, lambda: "STALE since" in tui.status(), 6):
        raise AssertionError("never STALE: %r" % tui.status())
    since = re.search(r"STALE since \S+", tui.status()).group(0)
    shown = []
    run_for(fake, tui, 8, lambda: shown.append(tui.status()))
    res["rate"] = rate(fake, t0, time.monotonic() - t0)
    lost = [s for s in shown if since not in s]
    check(not lost, "'%s' left the screen %d of %d samples, e.g. %r"
          % (since, len(lost), len(shown), lost[0] if lost else ""))
    check(res["rate"] <= REQ_RATE_MAX, "%.1f requests/s" % res["rate"])


CASES = [
    ("reset", case_reset),
    ("oversize", case_oversize),
    ("big-reply", case_big_reply),
    ("history", case_history),
    ("epoch-flap", case_epoch_flap),
    ("other-epoch", case_other_epoch),
    ("ahead", case_ahead),
    ("hb-back", case_hb_back),
    ("feed-dead", case_feed_dead),
]


def check(cond, msg):
    if not cond:
        raise AssertionError(msg)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=os.path.join(ROOT, "bin"))
    ap.add_argument("--only", default="")
    ap.add_argument("-v", action="store_true")
    args = ap.parse_args()
    only = set(filter(None, args.only.split(",")))
    tmp = tempfile.mkdtemp(prefix="pooltop-hostile-")
    passed = failed = 0
    try:
        snap = take_snapshot(args.bin, tmp)
        for name, fn in CASES:
            if only and name not in only:
                continue
            fake = Fake(snap)
            tui = Tui(args.bin, fake)
            res = {}
            t0 = time.monotonic()
            try:
                fn(fake, tui, res)
                ok, why = True, ""
            except AssertionError as e:
                ok, why = False, str(e)
            finally:
                status = tui.status()
                tui.close()
                fake.close()
            extra = " ".join("%s=%s" % (k, ("%.2f" % v) if isinstance(v, float) else v)
                             for k, v in sorted(res.items()))
            print("hostile: %-11s %s  (%.1f s) %s%s" % (name, "ok  " if ok else "FAIL",
                  time.monotonic() - t0, extra, ("\n    " + why) if why else ""))
            if args.v or not ok:
                print("    status: %r" % status.rstrip())
            sys.stdout.flush()
            passed += ok
            failed += not ok
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("hostile: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
