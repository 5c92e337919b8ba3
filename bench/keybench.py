"""keybench: what the CURVE benches (bench_curve.py, bench_flood.py) share
-- a free loopback port, a percentile, and a key pair made by the real
`pooltop keygen`."""
import os
import socket
import subprocess


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def pct(xs, p):
    """Nearest-rank percentile p of xs (unsorted); nan when empty."""
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100.0 * (len(xs) - 1))))] if xs else float("nan")


def keygen(binp, path):
    """`pooltop keygen path`: (public, secret) Z85."""
    subprocess.run([os.path.join(binp, "pooltop"), "keygen", path], check=True,
                   stdout=subprocess.DEVNULL)
    return open(path + ".pub").read().strip(), open(path).read().strip()
