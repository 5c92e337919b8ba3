"""--hwm 0 (an unbounded queue per subscriber) is refused."""
import os
import shutil
import subprocess
import tempfile
import server_lib as L

d = tempfile.mkdtemp(prefix="pooltop-hostile-")
try:
    p = subprocess.run([os.path.join(L.BIN, "pooltopd"), "--hwm", "0", "--duration", "1s",
                        "--speed", "max", "--state", d,
                        "--events", "tcp://127.0.0.1:%d" % L.free_port(),
                        "--requests", "tcp://127.0.0.1:%d" % L.free_port(),
                        "--scenario", os.path.join(L.ROOT, "tests/data/scenarios/itest.ini")],
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=20)
finally:
    shutil.rmtree(d, ignore_errors=True)
L.check(p.returncode == 2, "--hwm 0 exited %d, not 2 (usage)" % p.returncode)
L.check(b"--hwm" in p.stderr, "no word about --hwm in: %r" % p.stderr)
print("ok: --hwm 0 refused")
