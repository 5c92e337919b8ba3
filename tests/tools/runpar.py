#!/usr/bin/env python3
"""Run test scripts or programs a few at a time and report each one.

Most of the project's slow tests spend their time waiting (for a screen in
tmux, a heartbeat, a backoff), not computing, so running a few at once
shortens `make check` without making any one of them busier.  Each test's
output is kept apart and printed whole when it ends, with its time, so a
failure reads as if it had run alone.

usage: runpar.py [--jobs N] [--timeout S] [--label NAME] [--env K=V]... TEST...

A TEST ending in .sh runs under sh, .py under python3, anything else is
executed.  PROGRAM@CASE runs one case of a Check suite (CK_RUN_CASE), so a
long suite's cases can run side by side.  The exit status is 0 when every test exited 0.  The last line
is "NAME: P passed, F failed" (NAME from --label, default "tests").
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time


# Debian's python3 has python3-zmq and python3-msgpack (.ci/deps); another
# python3 earlier on PATH may not.
PYTHON = os.environ.get("PYTHON") or (
    "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable)


def command(test):
    if test.endswith(".sh"):
        return ["sh", test]
    if test.endswith(".py"):
        return [PYTHON, test]
    return [test]


def start(test, timeout, env):
    out = tempfile.TemporaryFile()
    path, _, case = test.partition("@")
    if case:
        env = dict(env, CK_RUN_CASE=case)
    cmd = ["timeout", "-k", "5", str(timeout)] + command(path)
    proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env)
    return {"test": test, "proc": proc, "out": out, "t0": time.monotonic()}


def finish(job):
    job["out"].seek(0)
    text = job["out"].read().decode("utf-8", "replace")
    job["out"].close()
    secs = time.monotonic() - job["t0"]
    rc = job["proc"].returncode
    sys.stdout.write("== %s (%.1f s)\n" % (job["test"], secs))
    sys.stdout.write(text)
    if text and not text.endswith("\n"):
        sys.stdout.write("\n")
    if rc != 0:
        how = "timed out" if rc in (124, 137) else "exit %d" % rc
        sys.stdout.write("FAILED: %s (%s)\n" % (job["test"], how))
    sys.stdout.flush()
    return rc == 0


def main():
    ap = argparse.ArgumentParser(description="run tests a few at a time")
    ap.add_argument("--jobs", type=int, default=int(os.environ.get("CHECK_JOBS", "3")))
    ap.add_argument("--timeout", type=int, default=300)
    ap.add_argument("--label", default="tests")
    ap.add_argument("--env", action="append", default=[], metavar="K=V")
    ap.add_argument("tests", nargs="+")
    args = ap.parse_args()
    if args.jobs < 1 or args.jobs > 64:
        ap.error("--jobs must be 1 to 64")
    env = dict(os.environ)
    for kv in args.env:
        if "=" not in kv:
            ap.error("--env wants K=V, got %r" % kv)
        k, v = kv.split("=", 1)
        env[k] = v

    queue = list(args.tests)
    running = []
    passed = failed = 0
    t0 = time.monotonic()
    while queue or running:
        while queue and len(running) < args.jobs:
            running.append(start(queue.pop(0), args.timeout, env))
        # Wait for whichever ends first (polling: a handful of children).
        done = None
        while done is None:
            for job in running:
                if job["proc"].poll() is not None:
                    done = job
                    break
            else:
                time.sleep(0.05)
        running.remove(done)
        if finish(done):
            passed += 1
        else:
            failed += 1
    print("%s: %d passed, %d failed (%.0f s, %d at a time)"
          % (args.label, passed, failed, time.monotonic() - t0, args.jobs))
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
