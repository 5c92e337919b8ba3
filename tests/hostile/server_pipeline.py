"""The bounds on slow peers do not cost a client that reads: one that
pipelines 100 snapshot requests on large.ini and reads them slowly gets
every reply, each a full snapshot, in order of its ids."""
import time
import server_lib as L

N = 100
with L.Server(scenario="scenarios/large.ini", speed="1") as sv:
    d = sv.dealer(hwm=1)                 # takes one reply at a time off the wire
    for i in range(N):
        d.send(L.request("pipe-%d" % i, "snapshot"))
    got = []
    end = time.monotonic() + 90
    while len(got) < N and time.monotonic() < end:
        if not d.poll(5000):
            break
        rp = L.reply(d.recv_multipart()[-1])
        L.check(rp.get("ok") is True and len(rp.get("agents", [])) > 0,
                "reply %d was not a snapshot: %r" % (len(got), {k: rp.get(k) for k in ("id", "ok", "err", "msg")}))
        got.append(rp["id"])
        time.sleep(0.02)                 # a slow reader
    L.check(len(got) == N, "%d of %d replies arrived" % (len(got), N))
    L.check(got == ["pipe-%d" % i for i in range(N)], "replies out of order")
print("ok: a pipelining client that reads gets every reply")
