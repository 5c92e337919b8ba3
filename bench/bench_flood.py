#!/usr/bin/env python3
"""bench_flood.py: what a flood of bad CURVE handshakes costs a good client,
and where the server's time goes meanwhile.

Starts pooltopd with --server-key/--keystore on
tests/data/scenarios/itest.ini (--speed 60, a busy floor).  A good client
(its own process) pings every 10 ms over CURVE with a known key: --seconds
without a flood, then --seconds while --flood processes open batches of 20
connections with unknown keys (each sending a request the server must
never see), closed and made again every 20 ms.

Two layouts, each with its own server and its own no-flood baseline:
  unpinned  everything shares both cores; the flooders run at nice 19 (as
            before: the flood should measure the server, not the
            flooders' share of two cores);
  pinned    pooltopd and the good client on CPU 0, the flooders on CPU 1
            at normal priority -- an attacker is another machine.

For each it prints the good client's ping p50/p99/max without and with
the flood; the server's CPU during the flood by thread (utime+stime from
/proc/PID/task/*/stat: the main loop, libzmq's I/O threads, the ZAP
thread if there is one) and per refused handshake; the flooders' own CPU
per connection; and pooltopd's RSS.  One `bench_flood:` key=value line at
the end.  --bin picks the build, so an older one can be measured the same
way; --server-preload LIB runs pooltopd with LD_PRELOAD=LIB (the
experiment bench/sodium_cache_shim.c).  Needs pyzmq with CURVE and msgpack.
"""
import argparse
import multiprocessing
import os
import shutil
import subprocess
import tempfile
import time

import msgpack
import zmq

from keybench import free_port, keygen, pct

TCK = os.sysconf("SC_CLK_TCK")


def pin(cpu):
    if cpu is not None:
        os.sched_setaffinity(0, {cpu})


def thread_cpu(pid):
    """{thread name: seconds of utime+stime} for every thread of pid."""
    out = {}
    for tid in os.listdir("/proc/%d/task" % pid):
        try:
            with open("/proc/%d/task/%s/stat" % (pid, tid)) as f:
                s = f.read()
        except OSError:
            continue
        name = s[s.index("(") + 1:s.rindex(")")]
        fields = s[s.rindex(")") + 2:].split()
        # fields[0] is state (field 3): utime is field 14, stime 15
        t = (int(fields[11]) + int(fields[12])) / TCK
        if name.startswith("ZMQbg/IO"):
            name = "zmq-io"
        elif name.startswith("ZMQbg"):
            name = "zmq-other"
        out[name] = out.get(name, 0.0) + t
    return out


def rss_kb(pid):
    with open("/proc/%d/status" % pid) as f:
        for l in f:
            if l.startswith("VmRSS:"):
                return int(l.split()[1])
    return 0


def cpus():
    """[(busy, softirq, total) jiffies] per CPU from /proc/stat."""
    out = []
    with open("/proc/stat") as f:
        for l in f:
            if l.startswith("cpu") and l[3].isdigit():
                v = [int(x) for x in l.split()[1:]]
                idle = v[3] + v[4]
                out.append((sum(v[:8]) - idle, v[6], sum(v[:8])))
    return out


def cpus_story(a, b):
    parts = []
    for i, (x, y) in enumerate(zip(a, b)):
        tot = max(1, y[2] - x[2])
        parts.append("CPU%d %.0f%% busy (%.0f%% softirq)"
                     % (i, 100.0 * (y[0] - x[0]) / tot, 100.0 * (y[1] - x[1]) / tot))
    return ", ".join(parts)


def cpu_delta(a, b):
    return {k: b.get(k, 0.0) - a.get(k, 0.0) for k in set(a) | set(b)}


class Server:
    def __init__(self, args, work, cpu, extra=()):
        self.work = work
        self.rq = "tcp://127.0.0.1:%d" % free_port()
        ev = "tcp://127.0.0.1:%d" % free_port()
        self.server_pub, _ = keygen(args.bin, os.path.join(work, "server.key"))
        self.good = keygen(args.bin, os.path.join(work, "good.key"))
        with open(os.path.join(work, "keystore"), "w") as f:
            f.write("%s good admin *\n" % self.good[0])
        self.log = os.path.join(work, "server.log")
        env = dict(os.environ)
        if args.server_preload:
            env["LD_PRELOAD"] = os.path.abspath(args.server_preload)
        self.proc = subprocess.Popen(
            [os.path.join(args.bin, "pooltopd"), "--scenario", args.scenario, "--speed", "60",
             "--start", "10:00", "--seed", "7", "--quiet", "--state", os.path.join(work, "state"),
             "--events", ev, "--requests", self.rq,
             "--server-key", os.path.join(work, "server.key"),
             "--keystore", os.path.join(work, "keystore")] + list(extra),
            stdout=subprocess.DEVNULL, stderr=open(self.log, "w"), env=env,
            preexec_fn=(lambda: pin(cpu)) if cpu is not None else None)

    def stop(self):
        self.proc.terminate()
        self.proc.wait(10)

    def refused(self):
        for l in open(self.log):
            if "connections accepted" in l:
                return int(l.split("accepted, ")[1].split(" refused")[0])
        return 0


def request(sock, body, timeout=3.0):
    sock.send(msgpack.packb(body))
    end = time.perf_counter() + timeout
    while time.perf_counter() < end:
        if not sock.poll(int(max(1, (end - time.perf_counter()) * 1000))):
            break
        rp = msgpack.unpackb(sock.recv_multipart()[-1], raw=False)
        if rp.get("id") == body["id"]:
            return rp
    return None


def pinger(rq, server_pub, key, cpu, cmd, res):
    """The good client, in its own process (pinned with the server): one
    window of pings per "go" on cmd, its latencies (ms) on res."""
    pin(cpu)
    ctx = zmq.Context()
    d = ctx.socket(zmq.DEALER)
    d.linger = 0
    d.curve_serverkey = server_pub.encode()
    d.curve_publickey = key[0].encode()
    d.curve_secretkey = key[1].encode()
    d.connect(rq)
    ok = any(request(d, {"v": 1, "id": "warm%d" % i, "op": "ping"}, 1.0) for i in range(20))
    res.put(ok)
    i = 0
    while True:
        seconds = cmd.get()
        if seconds is None:
            break
        out, lost = [], 0
        end = time.time() + seconds
        while time.time() < end:
            i += 1
            t0 = time.perf_counter()
            if request(d, {"v": 1, "id": "q%d" % i, "op": "ping"}, 3.0):
                out.append((time.perf_counter() - t0) * 1000)
            else:
                lost += 1
            time.sleep(0.01)
        res.put((out, lost))
    d.close()
    ctx.term()


def flooder(rq, server_pub, stop_at, cpu, niceness, res):
    """Batches of 20 connections with unknown keys, each sending a request
    the server must never see, closed and made again every 20 ms.  Puts
    (connections made, own CPU seconds) on res."""
    pin(cpu)
    if niceness:
        os.nice(niceness)
    ctx = zmq.Context()
    pub, sec = zmq.curve_keypair()
    made = 0
    c0 = time.process_time()
    while time.time() < stop_at:
        socks = []
        for _ in range(20):
            s = ctx.socket(zmq.DEALER)
            s.linger = 0
            s.curve_serverkey = server_pub.encode()
            s.curve_publickey = pub
            s.curve_secretkey = sec
            s.connect(rq)
            s.send(b"x", zmq.DONTWAIT)
            socks.append(s)
        made += len(socks)
        time.sleep(0.02)
        for s in socks:
            s.close()
    ctx.term()
    res.put((made, time.process_time() - c0))


def line(name, xs, lost=0):
    if not xs:
        return "  %-30s no samples" % name
    return "  %-30s p50 %6.2f ms  p99 %6.2f ms  max %7.2f ms  (n=%d%s)" % (
        name, pct(xs, 50), pct(xs, 99), max(xs), len(xs), ", %d unanswered" % lost if lost else "")


def run_case(args, work, pinned, allow=False):
    """allow: the server takes connections from 127.0.0.1 only (--allow)
    and the flood comes from 127.0.0.2, as from another network."""
    srv_cpu, flood_cpu = (0, 1) if pinned else (None, None)
    srv = Server(args, work, srv_cpu, ("--allow", "127.0.0.1/32") if allow else ())
    flood_ep = "tcp://127.0.0.2:0;" + srv.rq[len("tcp://"):] if allow else srv.rq
    cmd, res = multiprocessing.Queue(), multiprocessing.Queue()
    pg = multiprocessing.Process(target=pinger,
                                 args=(srv.rq, srv.server_pub, srv.good, srv_cpu, cmd, res))
    pg.start()
    r = {}
    try:
        if not res.get(timeout=30):
            raise SystemExit("bench_flood: the good client got no answer")
        time.sleep(1.0)
        pid = srv.proc.pid
        a = thread_cpu(pid)
        cmd.put(args.seconds)
        quiet, quiet_lost = res.get(timeout=args.seconds + 60)
        b = thread_cpu(pid)
        rss0 = rss_kb(pid)
        stop_at = time.time() + args.seconds + 1.5
        fres = multiprocessing.Queue()
        fl = [multiprocessing.Process(target=flooder,
                                      args=(flood_ep, srv.server_pub, stop_at, flood_cpu,
                                            0 if pinned else 19, fres))
              for _ in range(args.flood)]
        t0 = time.time()
        c0 = thread_cpu(pid)
        k0 = cpus()
        for p in fl:
            p.start()
        time.sleep(1.0)
        cmd.put(args.seconds)
        loud, loud_lost = res.get(timeout=args.seconds + 60)
        rss1 = rss_kb(pid)
        made, fcpu = 0, 0.0
        for _ in fl:
            m, c = fres.get(timeout=60)
            made += m
            fcpu += c
        for p in fl:
            p.join()
        c1 = thread_cpu(pid)
        k1 = cpus()
        flood_s = time.time() - t0
        cmd.put(None)
        pg.join(10)
    finally:
        srv.stop()
    refused = srv.refused()
    quiet_d, flood_d = cpu_delta(a, b), cpu_delta(c0, c1)
    r.update(quiet=quiet, quiet_lost=quiet_lost, loud=loud, loud_lost=loud_lost,
             made=made, fcpu=fcpu, refused=refused, flood_s=flood_s,
             quiet_cpu=quiet_d, flood_cpu=flood_d, quiet_s=args.seconds, rss0=rss0, rss1=rss1,
             machine=cpus_story(k0, k1), load=os.getloadavg()[0])
    return r


def report(name, r):
    print("%s:" % name)
    print(line("ping, no flood", r["quiet"], r["quiet_lost"]))
    print(line("ping during the flood", r["loud"], r["loud_lost"]))
    fs = r["flood_s"]
    print("  flood: %d connections in %.1f s (%.0f/s), %d handshakes refused (%.0f/s)"
          % (r["made"], fs, r["made"] / fs, r["refused"], r["refused"] / fs))

    def threads(d, secs):
        return ", ".join("%s %.1f%%" % (k, 100 * v / secs) for k, v in sorted(d.items())
                         if v > 0) or "idle"
    tot_q = sum(r["quiet_cpu"].values())
    tot_f = sum(r["flood_cpu"].values())
    print("  server CPU, no flood:     %.1f%% of a core (%s)"
          % (100 * tot_q / r["quiet_s"], threads(r["quiet_cpu"], r["quiet_s"])))
    print("  server CPU, flood:        %.1f%% of a core (%s)"
          % (100 * tot_f / fs, threads(r["flood_cpu"], fs)))
    extra = tot_f - tot_q * fs / r["quiet_s"]
    per = 1e6 * extra / r["refused"] if r["refused"] else float("nan")
    main_q = r["quiet_cpu"].get("pooltopd", 0.0) * fs / r["quiet_s"]
    main_extra = r["flood_cpu"].get("pooltopd", 0.0) - main_q
    print("  server CPU per refused handshake: %.0f us (main loop: %.0f us of it)"
          % (per, 1e6 * main_extra / r["refused"] if r["refused"] else float("nan")))
    print("  machine during the flood: %s; load average %.2f" % (r["machine"], r["load"]))
    print("  flooders' own CPU: %.1f s, %.0f us per connection"
          % (r["fcpu"], 1e6 * r["fcpu"] / r["made"] if r["made"] else float("nan")))
    print("  pooltopd RSS: %d kB before the flood, %d kB during it" % (r["rss0"], r["rss1"]))
    return per


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default="bin")
    ap.add_argument("--scenario", default="tests/data/scenarios/itest.ini")
    ap.add_argument("--flood", type=int, default=4, help="flooding processes")
    ap.add_argument("--seconds", type=float, default=8)
    ap.add_argument("--only", choices=("pinned", "unpinned", "allowed"))
    ap.add_argument("--server-preload", metavar="LIB",
                    help="LD_PRELOAD for pooltopd only (bench/sodium_cache_shim.c)")
    args = ap.parse_args()
    if os.cpu_count() < 2 and args.only != "unpinned":
        print("  (one CPU: the pinned layout needs two; unpinned only)")
        args.only = "unpinned"
    kv = {}
    work = tempfile.mkdtemp(prefix="pooltop-bench-flood.")
    try:
        layouts = (("unpinned", False, False, "shared cores, flood at nice 19"),
                   ("pinned", True, False, "server+client on CPU 0, flood on CPU 1"),
                   ("allowed", True, True, "pinned; --allow 127.0.0.1/32, flood from 127.0.0.2"))
        for name, pinned, allow, story in layouts:
            if args.only and args.only != name:
                continue
            if pinned and os.cpu_count() < 2:
                continue
            d = os.path.join(work, name)
            os.mkdir(d)
            r = run_case(args, d, pinned, allow)
            per = report("%s (%s)" % (name, story), r)
            kv.update({name + "_p50": pct(r["quiet"], 50), name + "_p99": pct(r["quiet"], 99),
                       name + "_flood_p50": pct(r["loud"], 50),
                       name + "_flood_p99": pct(r["loud"], 99),
                       name + "_refused_per_s": r["refused"] / r["flood_s"],
                       name + "_cpu_us_per_refusal": per})
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("bench_flood: " + " ".join("%s=%s" % (k, ("%.2f" % v) if isinstance(v, float) else v)
                                     for k, v in kv.items()))


if __name__ == "__main__":
    main()
