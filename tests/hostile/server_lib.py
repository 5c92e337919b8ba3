"""
server_lib: what the server-side hostile tests share -- a real pooltopd on
free loopback ports with a private state directory, raw ZeroMQ peers that
misbehave on purpose, and small helpers (RSS, msgpack requests).  Every
wait is bounded; the server is stopped by its pid and the directory
removed when the test ends (use `with Server(...) as sv:`).
"""
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

import msgpack
import zmq

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.environ.get("POOLTOP_BIN", os.path.join(ROOT, "bin"))



# Built with ASan+UBSan (make check SANITIZE=1): ASan's allocator keeps
# freed memory in its quarantine and adds shadow memory, so RSS says
# nothing about what pooltopd holds; the memory figures are checked in
# the plain build.
SANITIZED = os.environ.get("POOLTOP_SANITIZED") == "1"

def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def fail(msg):
    print("FAIL: " + msg, file=sys.stderr)
    sys.exit(1)


def check(cond, msg):
    if not cond:
        fail(msg)


def request(rid, op, **fields):
    body = {"v": 1, "id": rid, "op": op}
    body.update(fields)
    return msgpack.packb(body, use_bin_type=True)


def reply(frame):
    return msgpack.unpackb(frame, raw=False)


def rss_kb(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


class Server:
    """pooltopd --speed SPEED on free ports; extra args appended."""

    def __init__(self, scenario="tests/data/scenarios/itest.ini", speed="60", args=()):
        self.dir = tempfile.mkdtemp(prefix="pooltop-hostile-")
        self.state = os.path.join(self.dir, "state")
        self.events = "tcp://127.0.0.1:%d" % free_port()
        self.requests = "tcp://127.0.0.1:%d" % free_port()
        self.logpath = os.path.join(self.dir, "server.log")
        self.argv = [os.path.join(BIN, "pooltopd"), "--scenario", os.path.join(ROOT, scenario),
                     "--speed", speed, "--seed", "1", "--events", self.events,
                     "--requests", self.requests, "--state", self.state] + list(args)
        self.proc = None
        self.ctx = zmq.Context()

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()
        self.ctx.destroy(linger=0)
        if exc[0] is not None and os.path.exists(self.logpath):
            with open(self.logpath) as f:
                sys.stderr.write("--- server log (tail):\n" + "".join(f.readlines()[-8:]))
        shutil.rmtree(self.dir, ignore_errors=True)
        return False

    def start(self):
        log = open(self.logpath, "a")
        # Under `make check SANITIZE=1`, ASan's quarantine would hold freed
        # memory and the RSS limits would measure ASan, not pooltopd.
        env = dict(os.environ)
        env.setdefault("ASAN_OPTIONS", "quarantine_size_mb=8")
        self.proc = subprocess.Popen(self.argv, stdout=subprocess.DEVNULL, stderr=log, env=env)
        log.close()
        self.wait_up()

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None

    def log(self):
        with open(self.logpath) as f:
            return f.read()

    def dealer(self, hwm=None):
        """A DEALER; with hwm, one that takes in at most hwm replies and a
        small kernel buffer: once those are full, it reads nothing."""
        s = self.ctx.socket(zmq.DEALER)
        s.setsockopt(zmq.LINGER, 0)
        if hwm is not None:
            s.setsockopt(zmq.RCVHWM, hwm)
            s.setsockopt(zmq.RCVBUF, 4096)
        s.connect(self.requests)
        return s

    def sub(self):
        s = self.ctx.socket(zmq.SUB)
        s.setsockopt(zmq.LINGER, 0)
        s.setsockopt(zmq.SUBSCRIBE, b"pt1")
        s.connect(self.events)
        return s

    def call(self, op, rid="t-1", timeout_ms=5000, **fields):
        """One request on a fresh DEALER; the decoded reply, or None."""
        s = self.dealer()
        try:
            s.send(request(rid, op, **fields))
            if not s.poll(timeout_ms):
                return None
            return reply(s.recv_multipart()[-1])
        finally:
            s.close(0)

    def wait_up(self, timeout=15):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if self.proc.poll() is not None:
                fail("pooltopd exited with %s: %s" % (self.proc.returncode, self.log()))
            if self.call("ping", timeout_ms=500) is not None:
                return
        fail("pooltopd did not answer a ping in %d s" % timeout)


def keygen(d, name):
    """`pooltop keygen d/name`: (public, secret) Z85."""
    path = os.path.join(d, name)
    r = subprocess.run([os.path.join(BIN, "pooltop"), "keygen", path], capture_output=True, text=True)
    check(r.returncode == 0, "keygen %s: %s" % (name, r.stderr))
    with open(path + ".pub") as f:
        pub = f.read().strip()
    with open(path) as f:
        sec = f.read().strip()
    return pub, sec


class KeyedServer(Server):
    """pooltopd with a keystore of `names` (admin, every tenant) from keys
    {name: (public, secret)}, keys["server"] its own (keygen'd as
    keydir/server.key); its DEALERs use `key` (names[0] unless told)."""

    def __init__(self, keydir, keys, names, args=()):
        self.keydir = keydir
        self.keys = keys
        self.default_key = names[0]
        self.keystore = os.path.join(keydir, "keystore")
        self.write_keystore(names)
        super().__init__(args=["--server-key", os.path.join(keydir, "server.key"),
                               "--keystore", self.keystore] + list(args))

    def write_keystore(self, names):
        with open(self.keystore, "w") as f:
            for n in names:
                f.write("%s %s admin *\n" % (self.keys[n][0], n))

    def curve(self, s, key):
        s.curve_serverkey = self.keys["server"][0].encode()
        s.curve_publickey = self.keys[key][0].encode()
        s.curve_secretkey = self.keys[key][1].encode()

    def dealer(self, hwm=None, key=None):
        s = self.ctx.socket(zmq.DEALER)
        s.setsockopt(zmq.LINGER, 0)
        self.curve(s, key or self.default_key)
        s.connect(self.requests)
        return s


class Heartbeats:
    """Collects the arrival time of every hb on its own SUB socket, in a
    thread, until stop(): the gaps say whether the feed ever froze."""

    def __init__(self, sv):
        import threading
        self.sv = sv
        self.times = []
        self.running = True
        self.thread = threading.Thread(target=self.loop, daemon=True)
        self.thread.start()

    def loop(self):
        s = self.sv.sub()
        while self.running:
            if s.poll(100):
                ev = msgpack.unpackb(s.recv_multipart()[-1], raw=False)
                if ev.get("type") == "hb":
                    self.times.append(time.monotonic())
        s.close(0)

    def stop(self):
        self.running = False
        self.thread.join(5)
        return [b - a for a, b in zip(self.times, self.times[1:])]


def events(sub, seconds):
    """Every event (decoded) the SUB receives for `seconds`, with the
    monotonic time it arrived: [(t, ev), ...]."""
    out = []
    end = time.monotonic() + seconds
    while True:
        left = end - time.monotonic()
        if left <= 0:
            return out
        if sub.poll(int(left * 1000) + 1):
            frames = sub.recv_multipart()
            out.append((time.monotonic(), msgpack.unpackb(frames[-1], raw=False)))
