"""With keys, a flood of bad CURVE handshakes (unknown keys, from
127.0.0.2) and of half-open TCP connections that never finish the
handshake (from 127.0.0.3) does not cost a good client its answers:

 - a client already connected gets every ping answered throughout, and a
   new good client connects and is answered after the flood;
 - every refusal is counted and the log names the flooding address, once
   one by one and then summed per address (never a line per handshake);
 - a half-open connection is dropped by the server once the handshake
   interval (5 s) is over, so they cannot pile up;
 - pooltopd's RSS stays bounded: a second round of the same flood leaves
   it where the first did.

Nothing here is timed but the bounds every wait has; bench/bench_flood.py
measures the latencies."""
import os
import re
import socket
import subprocess
import threading
import time

import zmq
import server_lib as L

ROUNDS = 2
BAD_PER_ROUND = 300         # bad-key handshakes per round
HALF_OPEN = 200             # half-open connections per round
HANDSHAKE_S = 5             # pooltopd's SERVER_HANDSHAKE_MS


class Pinger:
    """The good client: pings on its own DEALER until stopped; counts
    answers and pings that went unanswered for 5 s."""

    def __init__(self, sv):
        self.sv = sv
        self.answered = 0
        self.unanswered = 0
        self.running = True
        self.thread = threading.Thread(target=self.loop, daemon=True)
        self.thread.start()

    def loop(self):
        d = self.sv.dealer(key="good")
        i = 0
        while self.running:
            i += 1
            rid = "p-%d" % i
            d.send(L.request(rid, "ping"))
            got = False
            end = time.monotonic() + 5
            while not got and time.monotonic() < end:
                if d.poll(200):
                    got = L.reply(d.recv_multipart()[-1]).get("id") == rid
            if got:
                self.answered += 1
            else:
                self.unanswered += 1
            time.sleep(0.02)
        d.close(0)

    def stop(self):
        self.running = False
        self.thread.join(10)


def bad_handshakes(sv, n):
    """n connections from 127.0.0.2 with a key the keystore lacks, in
    batches, each held until the server has had time to refuse it."""
    pub, sec = zmq.curve_keypair()
    port = sv.requests.rsplit(":", 1)[1]
    made = 0
    while made < n:
        socks = []
        for _ in range(min(30, n - made)):
            s = sv.ctx.socket(zmq.DEALER)
            s.setsockopt(zmq.LINGER, 0)
            s.curve_serverkey = sv.keys["server"][0].encode()
            s.curve_publickey = pub
            s.curve_secretkey = sec
            s.connect("tcp://127.0.0.2:0;127.0.0.1:%s" % port)
            s.send(b"never seen", zmq.DONTWAIT)
            socks.append(s)
        made += len(socks)
        time.sleep(0.3)
        for s in socks:
            s.close(0)


def half_open(sv, n):
    """n TCP connections from 127.0.0.3 that read the server's greeting
    and never send a byte."""
    port = int(sv.requests.rsplit(":", 1)[1])
    out = []
    for _ in range(n):
        s = socket.socket()
        s.bind(("127.0.0.3", 0))
        s.settimeout(5)
        s.connect(("127.0.0.1", port))
        out.append(s)
    return out


def closed_by_server(socks, within):
    """How many of socks the server closed within `within` seconds."""
    left = list(socks)
    closed = 0
    end = time.monotonic() + within
    while left and time.monotonic() < end:
        for s in list(left):
            s.setblocking(False)
            try:
                while True:
                    b = s.recv(4096)
                    if not b:
                        raise ConnectionResetError
            except BlockingIOError:
                continue
            except OSError:
                closed += 1
                left.remove(s)
        time.sleep(0.1)
    for s in socks:
        s.close()
    return closed


keydir = os.path.join(os.environ.get("TMPDIR", "/tmp"), "pooltop-flood-%d" % os.getpid())
os.makedirs(keydir)
try:
    keys = {n: L.keygen(keydir, n + ".key") for n in ["server", "good"]}
    with L.KeyedServer(keydir, keys, ["good"]) as sv:
        pid = sv.proc.pid
        pinger = Pinger(sv)
        time.sleep(0.5)
        L.check(pinger.answered > 0, "the good client got no answer before the flood")
        base = L.rss_kb(pid)
        after = []
        for rnd in range(ROUNDS):
            held = half_open(sv, HALF_OPEN)
            flood = threading.Thread(target=bad_handshakes, args=(sv, BAD_PER_ROUND))
            flood.start()
            flood.join(120)
            L.check(not flood.is_alive(), "the flood of bad handshakes did not end")
            peak = L.rss_kb(pid)
            # the half-open ones are dropped after the handshake interval
            closed = closed_by_server(held, HANDSHAKE_S + 10)
            L.check(closed == HALF_OPEN,
                    "round %d: the server closed %d of %d half-open connections within %d s "
                    "(handshake interval %d s)" % (rnd, closed, HALF_OPEN, HANDSHAKE_S + 10,
                                                   HANDSHAKE_S))
            time.sleep(0.5)
            after.append(L.rss_kb(pid))
            print("round %d: RSS %d kB before, %d kB at the flood's end, %d kB after"
                  % (rnd, base, peak, after[-1]))
            if not L.SANITIZED:
                L.check(peak - base < 40 * 1024,
                        "RSS grew by %d kB during the flood" % (peak - base))
        pinger.stop()
        L.check(pinger.unanswered == 0 and pinger.answered > 20,
                "the good client: %d pings answered, %d unanswered during the flood"
                % (pinger.answered, pinger.unanswered))
        # bounded: the second round leaves the server where the first did
        L.check(after[-1] - after[0] < (16 if not L.SANITIZED else 64) * 1024,
                "RSS after round 1 %d kB, after round %d %d kB" % (after[0], ROUNDS, after[-1]))
        # a good client that connects now is let in and answered
        rp = sv.call("ping", rid="after", timeout_ms=10000)
        L.check(rp and rp.get("ok"), "a new good client after the flood got %r" % rp)
        sv.stop()
        log = sv.log()
    m = re.search(r"auth: (\d+) connections accepted, (\d+) refused", log)
    L.check(m is not None, "no auth summary at exit:\n" + log[-2000:])
    refused = int(m.group(2))
    L.check(refused >= ROUNDS * BAD_PER_ROUND // 2,
            "only %d refusals counted for %d bad handshakes" % (refused, ROUNDS * BAD_PER_ROUND))
    one_by_one = log.count("refused a connection from 127.0.0.2")
    summed = sum(int(n) for n in
                 re.findall(r"refused (\d+) more handshakes from 127\.0\.0\.2 in the last", log))
    L.check(one_by_one >= 1, "no refusal from 127.0.0.2 is logged:\n" + log[-2000:])
    L.check(one_by_one <= 4, "%d refusals from 127.0.0.2 logged one by one" % one_by_one)
    L.check(one_by_one + summed == refused,
            "the log accounts for %d + %d refusals from 127.0.0.2 of %d"
            % (one_by_one, summed, refused))
    print("ok: %d pings answered during the flood, %d handshakes refused (%d logged one by one, "
          "the rest summed per address), %d half-open connections dropped per round"
          % (pinger.answered, refused, one_by_one, HALF_OPEN))
finally:
    subprocess.run(["rm", "-rf", keydir])
