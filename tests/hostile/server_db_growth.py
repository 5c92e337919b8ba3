"""Junk cannot grow the state database: 3,000 moves that change nothing,
each with a new id, used to add ~2.5 MB (a stored reply each).  Now they
add next to nothing, and a retry of one still gets the very same bytes."""
import os
import time
import server_lib as L


def db_bytes(state):
    return sum(os.path.getsize(os.path.join(state, f)) for f in os.listdir(state)
               if f.startswith("pooltop.db"))


with L.Server() as sv:
    snap = sv.call("snapshot")
    agent = snap["agents"][0]
    noop = dict(agents=[agent["id"]], to=agent["pool"], reason="junk")
    d = sv.dealer()
    first = None
    # settle: the first moves of a fresh database allocate its pages
    before = db_bytes(sv.state)
    n = 3000
    for i in range(n):
        d.send(L.request("junk-%d" % i, "move", **noop))
        L.check(d.poll(5000), "no reply to junk move %d" % i)
        raw = d.recv_multipart()[-1]
        if i == 0:
            first = raw
        rp = L.reply(raw)
        L.check(rp.get("ok") is True, "a no-op move was refused: %r" % rp)
    grown = db_bytes(sv.state) - before
    d.send(L.request("junk-0", "move", **noop))
    L.check(d.poll(5000), "no reply to the retry")
    L.check(d.recv_multipart()[-1] == first, "the retry of a no-op move got other bytes")
    print("%d no-op moves grew the database by %d bytes" % (n, grown))
    L.check(grown < 64 * 1024, "%d no-op moves grew the database by %d bytes" % (n, grown))
print("ok: junk moves do not grow the database")
