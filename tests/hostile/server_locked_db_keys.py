"""With keys, a move that waits for a locked state database stays its
key's: when the lock goes it is recorded under the key's name (never the
request's `by`), and a key removed by SIGHUP while its move waits moves
nothing -- the move is looked up against the keystore as it is when it is
tried, and refused `forbidden`."""
import os
import signal
import sqlite3
import subprocess
import time

import server_lib as L


keydir = os.path.join(os.environ.get("TMPDIR", "/tmp"), "pooltop-lockkeys-%d" % os.getpid())
os.makedirs(keydir)
try:
    keys = {n: L.keygen(keydir, n + ".key") for n in ["server", "boss", "gone"]}
    with L.KeyedServer(keydir, keys, ["boss", "gone"]) as sv:
        snap = sv.call("snapshot")
        L.check(snap and snap.get("ok"), "no snapshot for an admin key: %r" % snap)
        a0, a1 = snap["agents"][0], snap["agents"][1]
        to0 = next(p["id"] for p in snap["pools"] if p["id"] != a0["pool"])
        to1 = next(p["id"] for p in snap["pools"] if p["id"] != a1["pool"])

        db = sqlite3.connect(os.path.join(sv.state, "pooltop.db"), timeout=0, isolation_level=None)
        db.execute("BEGIN IMMEDIATE")
        boss, gone = sv.dealer(key="boss"), sv.dealer(key="gone")
        time.sleep(0.3)                      # both handshakes done
        boss.send(L.request("wait-boss", "move", agents=[a0["id"]], to=to0, by="mallory",
                            reason="locked", force=True))
        gone.send(L.request("wait-gone", "move", agents=[a1["id"]], to=to1, by="mallory",
                            reason="locked", force=True))
        time.sleep(0.15)                     # both wait for the database
        sv.write_keystore(["boss"])
        sv.proc.send_signal(signal.SIGHUP)
        time.sleep(0.25)
        db.execute("ROLLBACK")
        db.close()

        L.check(gone.poll(5000), "the removed key's waiting move got no reply")
        rp = L.reply(gone.recv_multipart()[-1])
        L.check(rp.get("ok") is False and rp.get("err") == "forbidden"
                and "no longer" in rp.get("msg", ""),
                "a waiting move of a key removed meanwhile got %r, not forbidden" % rp)
        L.check(boss.poll(5000), "the kept key's waiting move got no reply")
        rp = L.reply(boss.recv_multipart()[-1])
        L.check(rp.get("ok") is True, "the kept key's waiting move: %r" % rp)

        audit = sv.call("audit", rid="t-audit")
        L.check(audit and audit.get("ok"), "no audit: %r" % audit)
        recs = audit.get("moves") or []
        mine = [r for r in recs if r.get("req") == "wait-boss"]
        L.check(len(mine) == 1 and mine[0].get("by") == "boss",
                "the waited move is not recorded as the key's: %r" % mine)
        L.check(not any(r.get("req") == "wait-gone" for r in recs),
                "the removed key's move was made: %r" % recs)
        L.check("SIGHUP" in sv.log(), "the reload is not logged")
    print("ok: a waiting move is its key's; a key removed meanwhile moves nothing")
finally:
    subprocess.run(["rm", "-rf", keydir])
