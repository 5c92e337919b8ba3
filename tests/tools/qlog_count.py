#!/usr/bin/env python3
"""Count a queue_log the way docs/ASTERISK.md says pooltopd maps it, without
pooltopd: per tenant per shift, offered, answered, answered in SL,
abandoned, abandoned short, talk, wrap and handled.  The Asterisk e2e test
compares this with what `pooltop report` says after a replay.

usage: qlog_count.py SCENARIO.ini QUEUE_LOG  (prints JSON; run with TZ=UTC)
"""
import configparser
import json
import sys
import time

SHORT_MS = 5000
DONE_KEEP_MS = 3600 * 1000


def load_scenario(path):
    cp = configparser.ConfigParser(inline_comment_prefixes=(";",), interpolation=None)
    cp.read(path, encoding="utf-8")
    queues, sl, wrap, shifts, acw, alias = {}, {}, {}, [], ["acw"], {}
    for sec in cp.sections():
        kind, _, name = sec.partition(" ")
        s = cp[sec]
        if kind == "tenant":
            for q in s.get("queues", name).split(","):
                if q.strip():
                    queues.setdefault(q.strip(), name)
            pct, _, sec_ = s.get("sl", "80/20").partition("/")
            sl[name] = int(s.get("sl_sec", sec_ or "20"))
            wrap[name] = int(float(s.get("wrap", "0")))
        elif kind == "shift":
            hm = lambda v: int(v.split(":")[0]) * 60 + int(v.split(":")[1])
            shifts.append((name, hm(s["start"]), hm(s["end"])))
        elif kind == "agent":
            # the id, then the aliases, then the display name; first claim wins
            alias.setdefault(name, name)
        elif kind == "floor" and "acw_reasons" in s:
            acw = [r.strip().lower() for r in s["acw_reasons"].split(",") if r.strip()]
    for sec in cp.sections():
        kind, _, name = sec.partition(" ")
        if kind == "agent":
            for a in cp[sec].get("aliases", "").split(","):
                if a.strip():
                    alias.setdefault(a.strip(), name)
    for sec in cp.sections():
        kind, _, name = sec.partition(" ")
        if kind == "agent" and "name" in cp[sec]:
            alias.setdefault(cp[sec]["name"], name)
    return queues, sl, wrap, shifts, acw, alias


def shift_of(shifts, ts_ms):
    """(name, start of this occurrence in s) of the shift in force at ts."""
    t = ts_ms // 1000
    day = t - t % 86400
    minute = (t % 86400) // 60
    for name, a, b in shifts:
        b = b % 1440 if b != 1440 else 1440
        if a == b or (a < b and a <= minute < b):
            return name, day + a * 60
        if a > b and (minute >= a or minute < b):
            return name, (day if minute >= a else day - 86400) + a * 60
    # a gap: "off" from the end of the shift before
    ends = sorted({(b % 1440) for _, _, b in shifts} | {0})
    start = max([e for e in ends if e <= minute] or [0])
    return "off", day + start * 60


def num(fields, i):
    if i is None or i < 0 or i >= len(fields) or not fields[i].isdigit():
        return None
    return int(fields[i])


def count(scenario, path):
    queues, sl, wrap, shifts, acw, alias = load_scenario(scenario)
    rows = {}
    names = {}
    clock = [0]

    def row(tenant):
        name, start = shift_of(shifts, clock[0])
        k = (tenant, name, time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(start)))
        return rows.setdefault(k, dict(offered=0, answered=0, in_sl=0, abandoned=0,
                                       ab_short=0, talk=0, wrap=0, handled=0))

    calls = {}      # key -> dict(st, tenant, created, queued, answered, agent, done)
    agents = {}     # name -> dict(call, wrapping, tenant, ended, due, acw)

    def agent(name):
        return agents.setdefault(name, dict(call=None, wrapping=False, tenant=None,
                                            ended=0, due=None, acw=False, paused=False))

    def wrapped(a):
        r = row(a["tenant"])
        r["wrap"] += clock[0] - a["ended"]
        r["handled"] += 1
        a["wrapping"] = False
        a["acw"] = False

    def flush(until, inclusive):
        while True:
            due = [(a["due"], n) for n, a in agents.items()
                   if a["wrapping"] and not a["acw"] and
                   (a["due"] < until or (inclusive and a["due"] <= until))]
            if not due:
                return
            d, n = min(due)
            clock[0] = max(clock[0], d)
            wrapped(agents[n])

    def ended(a, talk):
        row(a["tenant"])["talk"] += talk
        a["call"] = None
        a["wrapping"] = True
        a["ended"] = clock[0]
        a["due"] = clock[0] + wrap[a["tenant"]] * 1000

    def free(a):
        if a["call"] is not None:
            c = calls[a["call"]]
            c["st"] = "done"
            c["done"] = clock[0]
            ended(a, clock[0] - c["answered"])
        if a["wrapping"]:
            wrapped(a)

    def queue(key, tenant):
        calls[key] = dict(st="waiting", tenant=tenant, created=clock[0], queued=clock[0])
        row(tenant)["offered"] += 1

    def find(key, tenant):
        if key not in calls:
            queue(key, tenant)
        return calls[key]

    def answer(key, name, wait):
        c = calls[key]
        a = agent(name)
        free(a)
        c.update(st="answered", agent=name, answered=clock[0])
        a["call"] = key
        a["tenant"] = c["tenant"]
        r = row(c["tenant"])
        r["answered"] += 1
        r["in_sl"] += wait <= sl[c["tenant"]] * 1000

    def agent_name(n):
        return names.setdefault(n, n)

    with open(path, "rb") as f:
        data = f.read().decode("utf-8", "replace")
    for raw in data.split("\n"):
        line = raw[:-1] if raw.endswith("\r") else raw
        if not line.strip():
            continue
        col = line.split("|")
        if len(col) < 5:
            continue
        ep = col[0]
        if not ep.replace(".", "", 1).isdigit() or not ep[0].isdigit():
            continue
        sec, _, frac = ep.partition(".")
        ts = int(sec) * 1000 + int((frac + "000")[:3] or 0)
        callid, q, ag, verb, d = col[1], col[2], col[3], col[4], col[5:]
        ag = alias.get(ag, ag)
        if not verb:
            continue
        callverbs = {"ENTERQUEUE", "CONNECT", "COMPLETECALLER", "COMPLETEAGENT",
                     "BLINDTRANSFER", "ATTENDEDTRANSFER", "TRANSFER", "ABANDON",
                     "EXITWITHTIMEOUT", "EXITEMPTY", "EXITWITHKEY", "WITHDRAW", "SYSCOMPAT"}
        answering = verb in {"CONNECT", "COMPLETECALLER", "COMPLETEAGENT", "BLINDTRANSFER",
                             "ATTENDEDTRANSFER", "TRANSFER"}
        if verb in callverbs:
            if callid in ("", "NONE", "MANAGER", "CLI", "REALTIME"):
                continue   # malformed
            if q not in queues:
                ts = max(ts, clock[0])
                flush(ts, False)
                clock[0] = ts
                continue
            if answering and ag in ("", "NONE"):
                continue   # malformed
        ts = max(ts, clock[0])
        flush(ts, False)
        clock[0] = ts
        # forget finished calls after an hour, as pooltopd does
        for k in [k for k, c in calls.items() if c["st"] == "done" and
                  c["done"] + DONE_KEEP_MS <= clock[0]]:
            del calls[k]
        if verb not in callverbs:
            a = agent(ag) if ag not in ("", "NONE") else None
            if verb in ("PAUSE", "PAUSEALL") and a:
                reason = d[0] if d else ""
                if a["wrapping"] and reason.lower() in acw:
                    a["acw"] = True
            elif verb in ("UNPAUSE", "UNPAUSEALL") and a:
                if a["acw"]:
                    wrapped(a)
            continue
        tenant = queues[q]
        key = (callid, q)
        last = len(d) - 1
        if verb == "ENTERQUEUE":
            c = calls.get(key)
            if c is None:
                queue(key, tenant)
            elif c["st"] == "done" and clock[0] > c["created"]:
                queue(key, tenant)
            continue
        if verb == "CONNECT":
            c = find(key, tenant)
            if c["st"] != "waiting":
                continue
            h = num(d, 0)
            answer(key, ag, h * 1000 if h is not None else clock[0] - c["queued"])
            continue
        if answering:
            hi = 0 if verb.startswith("COMPLETE") else (last - 2 if last >= 2 else None)
            c = find(key, tenant)
            if c["st"] == "done":
                continue
            if c["st"] == "waiting":
                h = num(d, hi)
                answer(key, ag, h * 1000 if h is not None else clock[0] - c["queued"])
            a = agent(c["agent"])
            t = num(d, hi + 1 if hi is not None else None)
            talk = t * 1000 if t is not None else clock[0] - c["answered"]
            c["st"] = "done"
            c["done"] = clock[0]
            if a["call"] == key:
                ended(a, talk)
            continue
        wi = {"ABANDON": 2, "EXITWITHTIMEOUT": 2, "EXITEMPTY": 2, "EXITWITHKEY": 3,
              "WITHDRAW": 2, "SYSCOMPAT": None}[verb]
        c = find(key, tenant)
        if c["st"] != "waiting":
            continue
        w = num(d, wi)
        wait = w * 1000 if w is not None else clock[0] - c["queued"]
        r = row(tenant)
        r["abandoned"] += 1
        r["ab_short"] += wait < SHORT_MS
        c["st"] = "done"
        c["done"] = clock[0]
    flush(clock[0], True)
    return [dict(tenant=k[0], shift=k[1], start=k[2], **v) for k, v in sorted(rows.items())]


if __name__ == "__main__":
    json.dump(count(sys.argv[1], sys.argv[2]), sys.stdout, indent=1)
    print()
