#!/usr/bin/env python3
"""bench_curve.py: what CURVE keys cost a request.

Starts pooltopd on tests/data/scenarios/itest.ini (--speed 60, a busy
floor) twice, without keys and with --server-key/--keystore, and times
--moves move requests (alternating agent a0009 between two pools) from a
DEALER: request sent to reply received (the move is persisted before the
reply) and request sent to its agent.moved on the feed (PUB without keys,
the PUB with a full-scope key, and a scoped key's stream over the ROUTER).
What a flood of bad handshakes costs a good client: bench/bench_flood.py.

Prints p50/p99/max per case and one `bench_curve:` key=value line.
Needs pyzmq with CURVE and msgpack (Debian: python3-zmq, python3-msgpack).
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time

import msgpack
import zmq

from keybench import free_port, keygen, pct

AGENT = "a0009"
POOLS = ("shared", "ded-ded")


class Server:
    def __init__(self, args, work, keyed):
        self.ev = "tcp://127.0.0.1:%d" % free_port()
        self.rq = "tcp://127.0.0.1:%d" % free_port()
        self.keys = {}
        extra = []
        if keyed:
            self.server_pub, _ = keygen(args.bin, os.path.join(work, "server.key"))
            for name in ("full", "scoped"):
                self.keys[name] = keygen(args.bin, os.path.join(work, name + ".key"))
            with open(os.path.join(work, "keystore"), "w") as f:
                f.write("%s full admin *\n%s scoped admin ded,shr,hyb\n"
                        % (self.keys["full"][0], self.keys["scoped"][0]))
            extra = ["--server-key", os.path.join(work, "server.key"),
                     "--keystore", os.path.join(work, "keystore")]
        self.proc = subprocess.Popen(
            [os.path.join(args.bin, "pooltopd"), "--scenario", args.scenario, "--speed", "60",
             "--start", "10:00", "--seed", "7", "--quiet", "--state", os.path.join(work, "state"),
             "--events", self.ev, "--requests", self.rq] + extra,
            stdout=subprocess.DEVNULL, stderr=open(os.path.join(work, "server.log"), "w"))

    def curve(self, sock, who):
        if who is None:
            return
        pub, sec = self.keys[who]
        sock.curve_serverkey = self.server_pub.encode()
        sock.curve_publickey = pub.encode()
        sock.curve_secretkey = sec.encode()

    def stop(self):
        self.proc.terminate()
        self.proc.wait(10)


def request(sock, body, timeout=3.0, on_event=None):
    sock.send(msgpack.packb(body))
    end = time.perf_counter() + timeout
    while time.perf_counter() < end:
        if not sock.poll(int(max(1, (end - time.perf_counter()) * 1000))):
            break
        fr = sock.recv_multipart()
        if len(fr) == 2:
            if on_event:
                on_event(msgpack.unpackb(fr[1], raw=False))
            continue
        rp = msgpack.unpackb(fr[0], raw=False)
        if rp.get("id") == body["id"]:
            return rp
    return None


def moves(ctx, srv, who, feed_kind, n):
    """n moves; returns (reply ms list, event ms list)."""
    d = ctx.socket(zmq.DEALER)
    d.linger = 0
    srv.curve(d, who)
    d.connect(srv.rq)
    sub = None
    seen = {}
    if feed_kind == "pub":
        sub = ctx.socket(zmq.SUB)
        sub.linger = 0
        srv.curve(sub, who)
        sub.setsockopt(zmq.SUBSCRIBE, b"pt1")
        sub.connect(srv.ev)
    for _ in range(100):
        if request(d, {"v": 1, "id": "p%d" % time.time_ns(), "op": "ping",
                       "feed": feed_kind == "stream"}, 0.5):
            break
    time.sleep(0.5)
    rtt, evt = [], []
    for i in range(n):
        rid = "m-%d-%s" % (i, os.urandom(4).hex())
        to = POOLS[i % 2]
        got = {}

        def on_event(e):
            if e.get("type") == "agent.moved" and e.get("req") == rid:
                got["t"] = time.perf_counter()
        t0 = time.perf_counter()
        rp = request(d, {"v": 1, "id": rid, "op": "move", "agents": [AGENT], "to": to,
                         "reason": "bench", "force": True}, on_event=on_event)
        t1 = time.perf_counter()
        if not rp or not rp.get("ok"):
            raise SystemExit("bench_curve: move refused: %r" % rp)
        rtt.append((t1 - t0) * 1000)
        end = t0 + 2.0
        while "t" not in got and time.perf_counter() < end:
            if sub is not None:
                if sub.poll(50):
                    fr = sub.recv_multipart()
                    on_event(msgpack.unpackb(fr[1], raw=False))
            else:
                if d.poll(50):
                    fr = d.recv_multipart()
                    if len(fr) == 2:
                        on_event(msgpack.unpackb(fr[1], raw=False))
        if "t" in got:
            evt.append((got["t"] - t0) * 1000)
    d.close()
    if sub is not None:
        sub.close()
    return rtt, evt


def line(name, xs):
    if not xs:
        return "  %-44s no samples" % name
    return "  %-44s p50 %6.2f ms  p99 %6.2f ms  max %6.2f ms  (n=%d)" % (
        name, pct(xs, 50), pct(xs, 99), max(xs), len(xs))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default="bin")
    ap.add_argument("--scenario", default="tests/data/scenarios/itest.ini")
    ap.add_argument("--moves", type=int, default=200)
    args = ap.parse_args()
    ctx = zmq.Context()
    kv = {}
    work = tempfile.mkdtemp(prefix="pooltop-bench-curve.")
    try:
        os.mkdir(os.path.join(work, "plain"))
        srv = Server(args, os.path.join(work, "plain"), False)
        try:
            r, e = moves(ctx, srv, None, "pub", args.moves)
        finally:
            srv.stop()
        print(line("move reply, no keys", r))
        print(line("move to agent.moved (PUB), no keys", e))
        kv.update(plain_reply_p50=pct(r, 50), plain_reply_p99=pct(r, 99), plain_event_p99=pct(e, 99))

        os.mkdir(os.path.join(work, "keyed"))
        srv = Server(args, os.path.join(work, "keyed"), True)
        try:
            r, e = moves(ctx, srv, "full", "pub", args.moves)
            print(line("move reply, CURVE", r))
            print(line("move to agent.moved (PUB), CURVE", e))
            kv.update(curve_reply_p50=pct(r, 50), curve_reply_p99=pct(r, 99), curve_event_p99=pct(e, 99))
            r, e = moves(ctx, srv, "scoped", "stream", args.moves)
            print(line("move reply, CURVE, scoped key", r))
            print(line("move to agent.moved (scoped stream), CURVE", e))
            kv.update(stream_event_p99=pct(e, 99))
        finally:
            srv.stop()
    finally:
        ctx.destroy(linger=0)
        shutil.rmtree(work, ignore_errors=True)
    print("bench_curve: " + " ".join("%s=%s" % (k, ("%.2f" % v) if isinstance(v, float) else v)
                                     for k, v in kv.items()))


if __name__ == "__main__":
    main()
