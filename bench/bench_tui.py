#!/usr/bin/env python3
"""bench_tui.py: what the dashboard costs in a terminal.

Starts pooltopd and `pooltop` in a 100x30 pseudo-terminal, lets the first
paint pass (--warmup), then drains the terminal for --seconds and reports
the bytes pooltop wrote per second and the CPU it used (utime + stime from
/proc/PID/stat over the same window).  bench_sub, when given, counts the
events the server published in that window, so bytes/s can be set against
the event rate.

Runs (--runs, default a,b,c,d):
  a  scenarios/demo.ini at --speed 60
  b  demo.ini with every traffic value and every pool's agents/on_duty
     multiplied by 10 (written to a temp file): ten times the events on a
     floor that looks the same, so whatever grows on screen is the rate
  c  bench/idle.ini: no traffic, every agent off duty, heartbeats only
  d  demo.ini, and pooltopd stopped after the warm-up: the dashboard
     waiting for a server that is gone (STALE, then OFFLINE), measured
     against the idle target

Every run starts the floor clock at 10:00 (the demo's busiest hour) with
--seed 1, so runs are comparable.  The runs go side by side, each in its
own worker process (--serial: one after the other).  Only loopback ports
are used.

Standard library only; python3-pyte, when importable, renders the screen
so the report can say the dashboard was LIVE throughout (sampled every
second) and count the screen cells each write changed, which is what the
bytes should follow.
"""

import argparse
import fcntl
import json
import os
import pty
import re
import select
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import termios
import time

import ptyterm

COLS, ROWS = 100, 30
TARGET_IDLE_CPU = 1.0        # percent of one core
TARGET_DEMO_BYTES = 2048     # bytes/s on a 100x30 screen


def tui_scale_scenario(src, dst, factor):
    """Copy a scenario with traffic (traffic and traffic.SHIFT, including
    their indented continuation lines) and each pool's agents / on_duty
    counts multiplied by factor.  Hand-written [agent] sections stay."""
    number = re.compile(r"\d+(?:\.\d+)?")
    count = re.compile(r"(\b[A-Za-z][\w.-]*\s+)(\d+)")

    def scale_num(m):
        v = float(m.group(0)) * factor
        return ("%.6f" % v).rstrip("0").rstrip(".")

    def scale_traffic(text):
        return number.sub(scale_num, text)

    def scale_on_duty(text):
        return count.sub(lambda m: m.group(1) + str(int(m.group(2)) * factor), text)

    out = []
    cont = None          # the transform of the key being continued
    with open(src, encoding="utf-8") as f:
        for line in f:
            body, sep, comment = line.rstrip("\n").partition(" ;")
            key = re.match(r"^(\w[\w.]*)\s*=(.*)$", body)
            if key:
                name, value = key.group(1), key.group(2)
                cont = None
                if name == "traffic" or name.startswith("traffic."):
                    cont = scale_traffic
                elif name == "agents":
                    value = " " + str(int(value) * factor)
                elif name == "on_duty":
                    cont = scale_on_duty
                if cont:
                    value = cont(value)
                body = name + " =" + value
            elif cont and body[:1] in (" ", "\t") and "=" not in body:
                body = cont(body)
            elif body.strip() and not body.startswith(";"):
                cont = None
            out.append(body + sep + comment + "\n")
    with open(dst, "w", encoding="utf-8") as f:
        f.writelines(out)


def tui_cpu_ticks(pid):
    """utime + stime of pid in clock ticks (fields 14 and 15 of stat; the
    command name may hold spaces, so split after its closing paren)."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            stat = f.read()
    except OSError:
        return None
    fields = stat[stat.rindex(")") + 2:].split()
    return int(fields[11]) + int(fields[12])


def tui_wait_log(path, pattern, timeout):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            with open(path, encoding="utf-8", errors="replace") as f:
                if re.search(pattern, f.read()):
                    return True
        except OSError:
            pass
        time.sleep(0.05)
    return False


def tui_stop(proc_or_pid, timeout=3.0):
    """SIGTERM, then SIGKILL if it lingers; returns once it is reaped."""
    if isinstance(proc_or_pid, subprocess.Popen):
        if proc_or_pid.poll() is None:
            proc_or_pid.terminate()
            try:
                proc_or_pid.wait(timeout)
            except subprocess.TimeoutExpired:
                proc_or_pid.kill()
                proc_or_pid.wait()
        return
    pid = proc_or_pid
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        pass
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        done, _ = os.waitpid(pid, os.WNOHANG)
        if done:
            return
        time.sleep(0.05)
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    os.waitpid(pid, 0)


def tui_cells_changed(before, after):
    """Screen cells that differ between two renderings: what the terminal
    had to be told, at the least, to get from one to the other."""
    if before is None or after is None:
        return 0
    n = 0
    for a, b in zip(before, after):
        if a != b:
            n += sum(1 for x, y in zip(a, b) if x != y) + abs(len(a) - len(b))
    return n


def tui_log_tail(path, n=6):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return [l.rstrip() for l in f.readlines()[-n:]]
    except OSError:
        return []


class Tui:
    """pooltop running in a pty we own; everything it writes is counted
    and, with pyte, rendered."""

    def __init__(self, argv, pyte):
        env = dict(os.environ)
        for k in ("LC_ALL", "NO_COLOR", "COLUMNS", "LINES"):
            env.pop(k, None)
        env.update(TERM="xterm-256color", LANG="C.UTF-8")
        pid, fd = pty.fork()
        if pid == 0:
            # the size is set before exec, so ncurses reads 100x30 at
            # initscr and never starts at the default 80x24
            try:
                fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLS, 0, 0))
                os.execve(argv[0], argv, env)
            finally:
                os._exit(127)
        self.pid, self.fd = pid, fd
        self.screen = self.stream = None
        self.changed = 0             # screen cells changed, summed over reads
        if pyte:
            screen_cls, stream_cls = ptyterm.pyte_classes(pyte)
            self.screen = screen_cls(COLS, ROWS)
            self.stream = stream_cls(self.screen)

    def drain(self, seconds):
        """Read for `seconds`; returns the bytes read."""
        total = 0
        end = time.monotonic() + seconds
        while True:
            left = end - time.monotonic()
            if left <= 0:
                return total
            r, _, _ = select.select([self.fd], [], [], left)
            if not r:
                continue
            try:
                data = os.read(self.fd, 65536)
            except OSError:            # EIO: the slave side closed
                time.sleep(left)
                return total
            if not data:
                return total
            total += len(data)
            if self.stream:
                # diffed after every read, which is about every frame:
                # sampling once a second would miss a cell that changed
                # and changed back, which the terminal was still sent
                before = self.display()
                self.stream.feed(data)
                self.changed += tui_cells_changed(before, self.display())

    def display(self):
        return list(self.screen.display) if self.screen else None

    def status_line(self):
        """The status line: the screen's line that says LIVE / STALE /
        RESYNC / OFFLINE."""
        if not self.screen:
            return None
        for line in self.screen.display:
            if re.match(r"^ ?(LIVE|STALE|RESYNC|OFFLINE|CONNECTING)", line):
                return line.rstrip()
        return "(no status line: " + self.screen.display[-1].rstrip() + ")"

    def close(self):
        tui_stop(self.pid)
        try:
            os.close(self.fd)
        except OSError:
            pass


def tui_run(name, scenario, args, pyte, tmp):
    ev_port, rq_port = ptyterm.free_ports(2)
    ev = "tcp://127.0.0.1:%d" % ev_port
    rq = "tcp://127.0.0.1:%d" % rq_port
    state = os.path.join(tmp, "state-" + name)
    log = os.path.join(tmp, "pooltopd-" + name + ".log")
    os.mkdir(state)
    res = {"run": name, "scenario": os.path.basename(scenario)}
    server = tui = sub = None
    with open(log, "w") as logf:
        try:
            server = subprocess.Popen(
                [os.path.join(args.bin, "pooltopd"), "--scenario", scenario,
                 "--speed", "60", "--start", "10:00", "--seed", "1",
                 "--state", state, "--events", ev, "--requests", rq, "--quiet"],
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=logf)
            if not tui_wait_log(log, r"events on ", 10):
                res["error"] = "pooltopd did not start (see %s)" % log
                return res
            tui = Tui([os.path.join(args.bin, "pooltop"), "--events", ev,
                       "--requests", rq], pyte)
            res["warmup_bytes"] = tui.drain(args.warmup)
            gone = name == "d"
            if gone:
                # the server goes away for good: what a dashboard costs
                # while it waits for one (wallboards run for weeks)
                tui_stop(server)
            elif args.sub:
                sub = subprocess.Popen(
                    [args.sub, "--events", ev, "--seconds", str(args.seconds),
                     "--idle-ms", "0"],
                    stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                    stderr=subprocess.DEVNULL, text=True)
            c0, s0, t0 = tui_cpu_ticks(tui.pid), tui_cpu_ticks(server.pid), time.monotonic()
            # drained in one-second slices so the status line can be
            # sampled: a number from a dashboard that was not LIVE
            # throughout measures something else
            nbytes, samples = 0, []
            tui.changed = 0
            while True:
                left = t0 + args.seconds - time.monotonic()
                if left <= 0:
                    break
                nbytes += tui.drain(min(1.0, left))
                samples.append(tui.status_line())
            changed = tui.changed
            c1, s1, t1 = tui_cpu_ticks(tui.pid), tui_cpu_ticks(server.pid), time.monotonic()
            if pyte:
                res["live"] = "%d/%d" % (
                    sum(1 for x in samples if x and x.lstrip().startswith("LIVE")), len(samples))
                if gone:
                    res["offline"] = "%d/%d" % (
                        sum(1 for x in samples if x and x.lstrip().startswith("OFFLINE")),
                        len(samples))
            if not gone and server.poll() is not None:
                res["error"] = "pooltopd exited with %s during the run" % server.returncode
            hz = os.sysconf("SC_CLK_TCK")
            dt = t1 - t0
            res["seconds"] = dt
            res["bytes_s"] = nbytes / dt
            if pyte:
                res["cells_s"] = changed / dt
            if c0 is not None and c1 is not None:
                res["cpu_pct"] = 100.0 * (c1 - c0) / hz / dt
            else:
                res["error"] = "pooltop exited during the run"
            if "error" in res or (not gone and "live" in res and not res["live"].startswith(
                    "%d/" % len(samples))):
                res["log_tail"] = tui_log_tail(log)
            if s0 is not None and s1 is not None and not gone:
                res["server_cpu_pct"] = 100.0 * (s1 - s0) / hz / dt
            res["status"] = tui.status_line()
            if args.screens and tui.screen:
                res["screen"] = "\n".join(l.rstrip() for l in tui.screen.display)
            if sub:
                out, _ = sub.communicate(timeout=args.seconds + 10)
                m = re.search(r"events=(\d+) hb=(\d+) .* span_s=([\d.]+)", out)
                if m:
                    res["events"] = int(m.group(1))
                    res["events_s"] = int(m.group(1)) / args.seconds
                    res["hb"] = int(m.group(2))
                    g = re.search(r"gaps=(\d+)", out)
                    res["sub_gaps"] = int(g.group(1)) if g else 0
                sub = None
        finally:
            if sub:
                tui_stop(sub)
            if tui:
                tui.close()
            if server:
                tui_stop(server)
    return res


def tui_report(results, args):
    print("  %-4s %-14s %9s %8s %8s %11s %11s %12s %6s  %s" % (
        "run", "scenario", "events/s", "bytes/s", "cells/s", "warm-up", "pooltop CPU",
        "pooltopd CPU", "LIVE", "status line at the end"))
    for r in results:
        if "error" in r and "bytes_s" not in r:
            print("  %-4s %-18s  error: %s" % (r["run"], r["scenario"], r["error"]))
            continue
        ev = "%.1f" % r["events_s"] if "events_s" in r else "-"
        cells = "%.1f" % r["cells_s"] if "cells_s" in r else "?"
        scpu = "%.2f%%" % r["server_cpu_pct"] if "server_cpu_pct" in r else "-"
        print("  %-4s %-14s %9s %8.0f %8s %9d B %10.2f%% %12s %6s  %s" % (
            r["run"], r["scenario"][:14], ev, r["bytes_s"], cells, r.get("warmup_bytes", 0),
            r.get("cpu_pct", float("nan")), scpu,
            r.get("live", "?"),
            (r.get("status") or "(pyte not available: screen not checked)").strip()[:50]))
        if "error" in r:
            print("       error: %s" % r["error"])
        for line in r.get("log_tail", []):
            print("       pooltopd: %s" % line)
        if "screen" in r:
            print("       screen at the end of run %s:" % r["run"])
            for line in r["screen"].splitlines():
                print("       |" + line)
    by = {r["run"]: r for r in results}
    print()
    if "c" in by and "cpu_pct" in by["c"]:
        cpu = by["c"]["cpu_pct"]
        print("  target: idle pooltop < %.0f%% CPU: %.2f%% (%s)" % (
            TARGET_IDLE_CPU, cpu, "met" if cpu < TARGET_IDLE_CPU else "missed"))
    if "d" in by and "cpu_pct" in by["d"]:
        cpu = by["d"]["cpu_pct"]
        print("  server gone: pooltop %.2f%% CPU while it waits, OFFLINE in %s samples "
              "(idle target < %.0f%%: %s)" % (
                  cpu, by["d"].get("offline", "?"), TARGET_IDLE_CPU,
                  "met" if cpu < TARGET_IDLE_CPU else "missed"))
    if "a" in by and "bytes_s" in by["a"]:
        b = by["a"]["bytes_s"]
        print("  target: demo load < %d B/s on %dx%d: %.0f B/s (%s)" % (
            TARGET_DEMO_BYTES, COLS, ROWS, b, "met" if b < TARGET_DEMO_BYTES else "missed"))
    if "a" in by and "b" in by and by["a"].get("bytes_s") and by["b"].get("bytes_s"):
        rb = by["b"]["bytes_s"] / by["a"]["bytes_s"]
        if by["a"].get("events_s") and "events_s" in by["b"]:
            re_ = by["b"]["events_s"] / by["a"]["events_s"]
            # "grows with what changes on screen, not with the event
            # rate": met when bytes grow by less than half as much
            print("  target: bytes/s track the screen, not the event rate: bytes x%.2f for "
                  "events x%.2f (%s; met when bytes grow by less than half the event factor)" % (
                      rb, re_, "met" if rb < re_ / 2 else "missed"))
            if by["a"].get("cells_s") and by["b"].get("cells_s"):
                print("  screen cells changed x%.2f; bytes per changed cell "
                      "%.1f (a), %.1f (b)" % (
                          by["b"]["cells_s"] / by["a"]["cells_s"],
                          by["a"]["bytes_s"] / by["a"]["cells_s"],
                          by["b"]["bytes_s"] / by["b"]["cells_s"]))
        else:
            print("  bytes x%.2f from a to b (event rates unknown: no bench_sub)" % rb)
    for r in results:
        print("bench_tui: run=%s events_s=%s bytes_s=%.0f cpu_pct=%.2f server_cpu_pct=%.2f "
              "warmup_bytes=%d live=%s cells_s=%.1f" % (
                  r["run"], "%.1f" % r["events_s"] if "events_s" in r else "nan",
                  r.get("bytes_s", float("nan")), r.get("cpu_pct", float("nan")),
                  r.get("server_cpu_pct", float("nan")), r.get("warmup_bytes", 0),
                  r.get("live", "?"), r.get("cells_s", float("nan"))))


def tui_worker(name, args, pyte, here, root):
    """One run, in its own process and temp directory."""
    with tempfile.TemporaryDirectory(prefix="pooltop-bench-tui.") as tmp:
        scen = {
            "a": os.path.join(root, "scenarios", "demo.ini"),
            "b": os.path.join(tmp, "demo-x10.ini"),
            "c": os.path.join(here, "idle.ini"),
            "d": os.path.join(root, "scenarios", "demo.ini"),
        }
        try:
            if name == "b":
                tui_scale_scenario(scen["a"], scen["b"], 10)
            return tui_run(name, scen[name], args, pyte, tmp)
        except (OSError, ValueError, subprocess.SubprocessError) as e:
            return {"run": name, "scenario": os.path.basename(scen[name]), "error": str(e)}


def tui_spawn(name, args):
    """This script again, as the worker for one run."""
    argv = [sys.executable, os.path.abspath(__file__), "--worker", name,
            "--bin", args.bin, "--seconds", str(args.seconds), "--warmup", str(args.warmup)]
    if args.sub:
        argv += ["--sub", args.sub]
    if args.screens:
        argv.append("--screens")
    return subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, text=True)


def tui_collect(name, proc):
    out, _ = proc.communicate()
    for line in out.splitlines():
        if line.startswith("bench_tui_result "):
            return json.loads(line.split(" ", 1)[1])
    return {"run": name, "scenario": "?", "error": "worker exited with %s" % proc.returncode}


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.dirname(here)
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bin", default=os.path.join(root, "bin"),
                    help="directory holding pooltop and pooltopd")
    ap.add_argument("--sub", help="bench_sub, to count the events of each window")
    ap.add_argument("--seconds", type=float, default=30.0, help="measured window")
    ap.add_argument("--warmup", type=float, default=3.0,
                    help="seconds to let the first paint pass, not measured")
    ap.add_argument("--runs", default="a,b,c,d")
    ap.add_argument("--serial", action="store_true",
                    help="one run after the other (default: side by side)")
    ap.add_argument("--screens", action="store_true",
                    help="print each run's final screen (needs pyte)")
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    args = ap.parse_args()
    # a SIGTERM from bench/run's cleanup unwinds like Ctrl-C, so every
    # finally runs and no pooltopd or pooltop outlives the benchmark
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    runs = args.runs.split(",")
    for name in runs:
        if name not in ("a", "b", "c", "d"):
            ap.error("unknown run %r" % name)

    if args.worker:
        res = tui_worker(args.worker, args, ptyterm.load_pyte(), here, root)
        print("bench_tui_result " + json.dumps(res), flush=True)
        return 0

    print("== bench_tui: pooltop in a %dx%d pty, %.0f s per run after %.0f s warm-up, "
          "runs %s (TERM=xterm-256color, LANG=C.UTF-8)" % (
              COLS, ROWS, args.seconds, args.warmup,
              "one after the other" if args.serial else "side by side"), flush=True)
    # Side by side by default: each run costs its processes ~2 % of a core
    # at most, and CPU time and bytes are counted per process, so the runs
    # do not disturb each other's numbers while make bench takes a third
    # of the time.
    results, procs = [], []
    try:
        for name in runs:
            procs.append((name, tui_spawn(name, args)))
            if args.serial:
                results.append(tui_collect(*procs[-1]))
        if not args.serial:
            results = [tui_collect(name, proc) for name, proc in procs]
    finally:
        for _, proc in procs:
            tui_stop(proc)
    tui_report(results, args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
