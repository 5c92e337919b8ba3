"""Another process holds the state database's write lock: pooltopd keeps
its 1 s heartbeat and answers other requests at once; a move is answered
`unavailable` (not made) when it cannot be made durable in time, and the
log says why; once the lock is gone, the same id moves."""
import os
import sqlite3
import time
import server_lib as L

with L.Server() as sv:
    snap = sv.call("snapshot")
    L.check(snap and snap.get("ok"), "no snapshot")
    agent = snap["agents"][0]
    to = next(p["id"] for p in snap["pools"] if p["id"] != agent["pool"])
    mv = dict(agents=[agent["id"]], to=to, reason="hostile lock", force=True)

    db = sqlite3.connect(os.path.join(sv.state, "pooltop.db"), timeout=0, isolation_level=None)
    db.execute("BEGIN IMMEDIATE")
    hb = L.Heartbeats(sv)
    time.sleep(1.5)                         # the subscription is live
    d = sv.dealer()
    t0 = time.monotonic()
    d.send(L.request("lock-1", "move", **mv))
    # while the move waits: pings are answered at once, heartbeats go on
    for i in range(3):
        t = time.monotonic()
        rp = sv.call("ping", rid="p-%d" % i, timeout_ms=2000)
        L.check(rp is not None and rp.get("ok"), "a ping went unanswered while the DB was locked")
        L.check(time.monotonic() - t < 0.5, "a ping took %.2f s" % (time.monotonic() - t))
    L.check(d.poll(8000), "the move got no reply within 8 s")
    waited = time.monotonic() - t0
    rp = L.reply(d.recv_multipart()[-1])
    L.check(rp.get("ok") is False and rp.get("err") == "unavailable",
            "a move on a locked DB got %r, not unavailable" % rp)
    L.check("lock" in rp.get("msg", "") or "busy" in rp.get("msg", ""), "msg: %r" % rp.get("msg"))
    time.sleep(1.5)
    gaps = hb.stop()
    log = sv.log()
    L.check("lock" in log or "busy" in log, "the log does not say why")
    db.execute("ROLLBACK")
    db.close()
    # heartbeats kept coming the whole time
    L.check(len(gaps) >= 3 and max(gaps) < 1.6, "heartbeat gaps while locked: %r" % gaps)
    # the move was not made, and now it is (same id)
    d.send(L.request("lock-1", "move", **mv))
    L.check(d.poll(5000), "no reply after the lock went")
    rp = L.reply(d.recv_multipart()[-1])
    L.check(rp.get("ok") is True, "move after the lock: %r" % rp)
    print("move answered unavailable after %.2f s" % waited)
print("ok: a locked database does not freeze the floor")
