"""Subscribers that stop reading cost pooltopd a bounded amount each
(--hwm messages), and it gives the memory back when they leave.  Before,
20 of them on large.ini --speed max took it from 16 MB to 233 MB (~11 MB
each), and it stayed at 233 MB after they left."""
import time
import zmq
import server_lib as L

N = 20
with L.Server(scenario="scenarios/large.ini", speed="max") as sv:
    time.sleep(2)
    base = L.rss_kb(sv.proc.pid)
    subs = []
    for _ in range(N):
        s = sv.ctx.socket(zmq.SUB)
        s.setsockopt(zmq.LINGER, 0)
        s.setsockopt(zmq.RCVHWM, 1)
        s.setsockopt(zmq.RCVBUF, 4096)
        s.setsockopt(zmq.SUBSCRIBE, b"pt1")
        s.connect(sv.events)
        subs.append(s)
    peak = base
    end = time.monotonic() + 8
    while time.monotonic() < end:
        peak = max(peak, L.rss_kb(sv.proc.pid))
        time.sleep(0.1)
    for s in subs:
        s.close(0)
    time.sleep(12)                  # the server returns memory every 10 s
    after = L.rss_kb(sv.proc.pid)
    print("rss: %d kB before, %d kB with %d stalled subscribers (%d kB each), %d kB after"
          % (base, peak, N, (peak - base) // N, after))
    if L.SANITIZED:
        print("memory figures not checked under the sanitizers (see server_lib.SANITIZED)")
    else:
        L.check((peak - base) // N < 4 * 1024, "each stalled subscriber costs %d kB" % ((peak - base) // N))
        L.check(after < base + 40 * 1024, "memory not returned after they left: %d kB (from %d)" % (after, base))
print("ok: stalled subscribers cost a bounded amount, returned when they leave")
