#!/usr/bin/env python3
"""bench_curve.py: what CURVE keys cost a request, and what a flood of bad
handshakes costs a good client.

Starts pooltopd on tests/data/scenarios/itest.ini (--speed 60, a busy
floor) twice, without keys and with --server-key/--keystore, and times
--moves move requests (alternating agent a0009 between two pools) from a
DEALER: request sent to reply received (the move is persisted before the
reply) and request sent to its agent.moved on the feed (PUB without keys,
the PUB with a full-scope key, and a scoped key's stream over the ROUTER).
Then, with keys, pings from a good client while --flood processes
connect and reconnect with unknown keys as fast as they can, against the
same pings without the flood.

Prints p50/p99/max per case and one `bench_curve:` key=value line.
Needs pyzmq with CURVE and msgpack (Debian: python3-zmq, python3-msgpack).
"""
import argparse
import multiprocessing
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time

import msgpack
import zmq

AGENT = "a0009"
POOLS = ("shared", "ded-ded")


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100.0 * (len(xs) - 1))))] if xs else float("nan")


def keygen(binp, path):
    subprocess.run([os.path.join(binp, "pooltop"), "keygen", path], check=True,
                   stdout=subprocess.DEVNULL)
    return open(path + ".pub").read().strip(), open(path).read().strip()


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


def flooder(rq, server_pub, stop_at):
    """Batches of 20 connections with unknown keys, each sending a request
    the server must never see, closed and made again every 20 ms.  At the
    lowest priority: an attacker runs on its own machine, and here the
    flood should measure what it costs the server, not what the flooding
    processes take from the good client on a shared core."""
    os.nice(19)
    ctx = zmq.Context()
    pub, sec = zmq.curve_keypair()
    while time.time() < stop_at:
        socks = []
        for _ in range(20):
            s = ctx.socket(zmq.DEALER)
            s.linger = 0
            s.curve_serverkey = server_pub.encode()
            s.curve_publickey = pub
            s.curve_secretkey = sec
            s.connect(rq)
            s.send(b"x", zmq.DONTWAIT)
            socks.append(s)
        time.sleep(0.02)
        for s in socks:
            s.close()
    ctx.term()


def pings(ctx, srv, who, seconds):
    d = ctx.socket(zmq.DEALER)
    d.linger = 0
    srv.curve(d, who)
    d.connect(srv.rq)
    request(d, {"v": 1, "id": "warm", "op": "ping"}, 3.0)
    out = []
    end = time.time() + seconds
    i = 0
    while time.time() < end:
        i += 1
        t0 = time.perf_counter()
        rp = request(d, {"v": 1, "id": "q%d" % i, "op": "ping"}, 3.0)
        if rp:
            out.append((time.perf_counter() - t0) * 1000)
        time.sleep(0.01)
    d.close()
    return out


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
    ap.add_argument("--flood", type=int, default=4, help="flooding processes")
    ap.add_argument("--seconds", type=float, default=8)
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
            quiet = pings(ctx, srv, "full", args.seconds)
            print(line("ping, CURVE, no flood", quiet))
            stop_at = time.time() + args.seconds + 1.5
            fl = [multiprocessing.Process(target=flooder, args=(srv.rq, srv.server_pub, stop_at))
                  for _ in range(args.flood)]
            for p in fl:
                p.start()
            time.sleep(1.0)
            loud = pings(ctx, srv, "full", args.seconds)
            for p in fl:
                p.join()
            print(line("ping, CURVE, %d processes of bad handshakes" % args.flood, loud))
            kv.update(ping_p99=pct(quiet, 99), flood_ping_p99=pct(loud, 99))
        finally:
            srv.stop()
        refused = 0
        for l in open(os.path.join(work, "keyed", "server.log")):
            if "connections accepted" in l:
                refused = int(l.split("accepted, ")[1].split(" refused")[0])
        print("  bad handshakes refused during the run: %d" % refused)
        kv["refused"] = refused
    finally:
        ctx.destroy(linger=0)
        shutil.rmtree(work, ignore_errors=True)
    print("bench_curve: " + " ".join("%s=%s" % (k, ("%.2f" % v) if isinstance(v, float) else v)
                                     for k, v in kv.items()))


if __name__ == "__main__":
    main()
