"""pooltopd --allow: a TCP connection from outside the allowed networks is
closed as it is accepted, before the server says a byte of the ZMTP
greeting (so before any CURVE work); a client from inside is served
throughout a flood of such connections; a bad --allow is a usage error
that names the bad piece."""
import socket
import subprocess
import time

import server_lib as L

GREETING = b"\xff" + b"\0" * 8 + b"\x7f"    # ZMTP 3 signature


def first_bytes(src, port, timeout=2.0):
    """Connect from src, send a greeting; what the server answers first
    (b"" when it closed the connection without a byte)."""
    s = socket.socket()
    s.bind((src, 0))
    s.settimeout(timeout)
    try:
        s.connect(("127.0.0.1", port))
        s.sendall(GREETING)
        return s.recv(64)
    except (ConnectionResetError, BrokenPipeError):
        return b""
    except socket.timeout:
        return None
    finally:
        s.close()


bad = subprocess.run([L.BIN + "/pooltopd", "--allow", "10.0.0.0/33"], capture_output=True, text=True, timeout=10)
L.check(bad.returncode == 2 and "10.0.0.0/33" in bad.stderr,
        "--allow 10.0.0.0/33: exit %d, %r" % (bad.returncode, bad.stderr))

def run(allow, nets):
    with L.Server(args=["--allow", allow]) as sv:
        port = int(sv.requests.rsplit(":", 1)[1])
        L.check("only from %s" % nets in sv.log(), "the log does not say --allow %s is on" % allow)
        # Inside: the server's greeting comes back (the check can tell).
        got = first_bytes("127.0.0.1", port)
        L.check(got and got[:1] == b"\xff", "an allowed peer got %r, not a ZMTP greeting" % got)
        # Outside: closed without a byte, over and over, while a good
        # client keeps being answered.
        t0 = time.monotonic()
        for i in range(150):
            got = first_bytes("127.0.0.3", port)
            L.check(got == b"", "--allow %s: a peer outside got %r" % (allow, got))
            if i % 50 == 0:
                L.check(sv.call("ping", rid="in-%d" % i, timeout_ms=3000) is not None,
                        "the allowed client was not answered during the flood")
        # A ZeroMQ client from outside (source address 127.0.0.3) gets nothing.
        d = sv.ctx.socket(L.zmq.DEALER)
        d.setsockopt(L.zmq.LINGER, 0)
        d.connect("tcp://127.0.0.3:0;127.0.0.1:%d" % port)
        d.send(L.request("out-1", "ping"))
        L.check(not d.poll(1500), "a ZeroMQ client outside --allow %s was answered" % allow)
        d.close()
        L.check(sv.call("ping", rid="after") is not None, "the server stopped answering")
        print("ok: --allow %s closed 150 outside connections before the greeting in %.1f s; "
              "inside clients served" % (allow, time.monotonic() - t0))


# IPv4 only (a prefix that takes 127.0.0.1 and leaves 127.0.0.3 out), and
# with an IPv6 network too (the socket then sees IPv4 peers as mapped).
run("127.0.0.0/31", "1 network")
run("127.0.0.1/32, ::1", "2 networks")
