#!/usr/bin/env python3
"""A month of queue_log for a 300-agent floor on tests/data/scenarios/
asterisk.ini's queues, for `make bench` (replay speed).  Deterministic.
usage: gen_qlog.py DAYS AGENTS > queue_log"""
import random
import sys

days, agents = int(sys.argv[1]), int(sys.argv[2])
rnd = random.Random(7)
queues = ["acme-sales", "acme-support", "bolt", "cargo"]
t0 = 1709251200  # 2024-03-01 00:00 UTC
out = sys.stdout
n = 0
for d in range(days):
    day = t0 + d * 86400
    for a in range(agents):
        out.write(f"{day + 8 * 3600}|MANAGER|{queues[a % 4]}|SIP/{2000 + a}|ADDMEMBER|\n")
    free = [day + 8 * 3600] * agents
    t = day + 8 * 3600
    end = day + 22 * 3600
    while t < end:
        t += rnd.randint(0, 2)
        a = rnd.randrange(agents)
        q = queues[a % 4]
        n += 1
        cid = f"{t}.{n}"
        out.write(f"{t}|{cid}|{q}|NONE|ENTERQUEUE||5550{n % 1000000:06d}|1\n")
        if rnd.random() < 0.1:
            out.write(f"{t + 30}|{cid}|{q}|NONE|ABANDON|1|1|30\n")
            continue
        hold = rnd.randint(0, 60)
        talk = rnd.randint(30, 600)
        out.write(f"{t + hold}|{cid}|{q}|SIP/{2000 + a}|CONNECT|{hold}|{cid}9|2\n")
        out.write(f"{t + hold + talk}|{cid}|{q}|SIP/{2000 + a}|COMPLETECALLER|{hold}|{talk}|1\n")
    for a in range(agents):
        out.write(f"{end + 3600}|MANAGER|{queues[a % 4]}|SIP/{2000 + a}|REMOVEMEMBER|\n")
