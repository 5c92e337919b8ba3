#!/usr/bin/env python3
"""Generate scenarios/large.ini: 500 tenants and 10,000 agents.

    python3 scenarios/gen-large.py > scenarios/large.ini

The output depends on nothing but this file (a fixed seed and only
random.Random.random(), whose sequence Python keeps stable), so running it
again gives the same bytes.  The floor is meant to be busy but stable:
every pool is staffed by Erlang C for a fairly quiet hour of each shift,
but never so thin that its busiest hour runs above 90% occupancy, so
agents are mostly occupied and queues form at peaks and drain.
"""

import math
import random
import sys

SEED = 20240501
N_TENANTS = 500
N_AGENTS = 10000
N_SHARED_POOLS = 25
SHIFTS = [("Early", 6, 14), ("Late", 14, 22), ("Night", 22, 30)]
BREAK_EVERY, BREAK_LENGTH = 120, 15
AVAILABLE = BREAK_EVERY / (BREAK_EVERY + BREAK_LENGTH)  # on the phones, not on break
SIZING_QUANTILE = 0.3   # staff each shift for this quantile of its hourly needs...
MAX_OCCUPANCY = 0.9     # ...but never so thin that a queue grows all hour

# Intraday shapes, fraction of the tenant's peak hour.
SHAPES = [
    [0, 0, 0, 0, 0, 0, 0, .15, .55, .90, 1.0, .95, .80, .85, .95, .90, .75, .55, .20, .05, 0, 0, 0, 0],
    [.04, .02, .02, .02, .02, .04, .12, .35, .70, .92, 1.0, .96, .86, .84, .88, .85, .78, .70, .64, .58, .45, .30, .16, .08],
    [.10, .05, .03, .02, .02, .03, .06, .12, .22, .30, .36, .40, .42, .40, .42, .46, .52, .62, .78, .92, 1.0, .95, .70, .30],
    [.05, .02, .01, .01, .01, .02, .05, .15, .35, .55, .70, .75, .80, .75, .70, .72, .76, .82, .90, 1.0, .95, .80, .50, .20],
    [.30, .25, .22, .20, .22, .28, .45, .70, .90, 1.0, .98, .95, .90, .88, .90, .92, .90, .85, .80, .72, .62, .52, .42, .35],
    [.12, .08, .06, .05, .06, .12, .35, .70, .95, 1.0, .95, .90, .85, .88, .92, .95, .90, .85, .78, .70, .60, .45, .30, .18],
]
HOURS = [("08:00", "20:00"), ("07:00", "21:00"), ("08:00", "18:00"), ("09:00", "21:00"), ("07:00", "22:00")]

PREFIXES = [
    "Nordic", "Atlas", "Blue Harbor", "Sunrise", "Evergreen", "Crescent", "Summit", "Pioneer",
    "Lighthouse", "Meridian", "Riverside", "Aurora", "Cobalt", "Granite", "Horizon", "Keystone",
    "Maple", "Orion", "Polaris", "Redwood", "Silverline", "Terra", "Vertex", "Zenith", "Alpen",
    "Baltic", "Cedar", "Delta", "Elbe", "Fjell", "Garnet", "Helios", "Iberia", "Jade", "Kestrel",
    "Lumen", "Mistral", "Nimbus", "Olive", "Prairie", "Quartz", "Rhône", "Sierra", "Tundra",
    "Vega", "Wharf", "Yukon", "Zürichsee", "Málaga Sol", "Kraków", "Øresund", "Ñandú", "Côte",
    "Šumava", "Île", "Ærø", "Göta", "Łódź", "São Roque", "Ålborg",
]
INDUSTRIES = [
    "Telecom", "Mobile", "Energy", "Insurance", "Bank", "Airlines", "Travel", "Pharma", "Health",
    "Retail", "Fashion", "Grocery", "Logistics", "Utilities", "Broadband", "Motors", "Rail",
    "Hotels", "Ticketing", "Games", "Streaming", "Credit Union", "Water", "Solar", "Pet Supplies",
    "Furniture", "Electronics", "Books", "Cosmetics", "Software",
]


class Rng:
    """Only random() is used: its sequence is stable across Python versions."""

    def __init__(self, seed):
        self.r = random.Random(seed)

    def uniform(self, a, b):
        return a + (b - a) * self.r.random()

    def below(self, n):
        return min(int(self.r.random() * n), n - 1)

    def lognormal(self, median, sigma):
        # Box-Muller from two uniforms
        u1, u2 = 1.0 - self.r.random(), self.r.random()
        z = math.sqrt(-2.0 * math.log(u1)) * math.cos(2.0 * math.pi * u2)
        return median * math.exp(sigma * z)


def agents_needed(a, aht, pct, sec):
    """Smallest n > a with SL(sec) >= pct, by the Erlang B recurrence."""
    if a <= 0:
        return 0
    b = 1.0
    n = 0
    while True:
        n += 1
        b = a * b / (n + a * b)
        if n <= a:
            continue
        pw = n * b / (n - a * (1 - b))
        if 1 - pw * math.exp(-(n - a) * sec / aht) >= pct / 100:
            return n


def rostered(n):
    return math.ceil(n / AVAILABLE) if n else 0


def quantile(xs, q):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(q * len(xs)))]


def crew(needs):
    """Agents for a shift from (Erlang C head count, load) per hour."""
    if not needs:
        return 0
    typical = quantile([n for n, _ in needs], SIZING_QUANTILE)
    stable = math.ceil(max(a for _, a in needs) / MAX_OCCUPANCY / AVAILABLE)
    return max(typical, stable)


def shift_hours(sh):
    return [h % 24 for h in range(sh[1], sh[2])]


def in_hours(t, h):
    if t["hours"] is None:
        return True
    o, c = int(t["hours"][0][:2]), int(t["hours"][1][:2])
    return o <= h < c


def make_tenants(rng):
    tenants = []
    names = set()
    for i in range(N_TENANTS):
        u = rng.r.random()
        model = "dedicated" if u < 0.15 else "hybrid" if u < 0.40 else "shared"
        name = f"{PREFIXES[rng.below(len(PREFIXES))]} {INDUSTRIES[rng.below(len(INDUSTRIES))]}"
        if name in names:
            name = f"{name} {i + 1}"
        names.add(name)
        if model == "shared":
            peak = min(60.0, rng.lognormal(8.0, 0.9))
        else:
            peak = min(400.0, rng.lognormal(45.0, 0.8))
        talk = round(rng.uniform(180, 420) / 5) * 5
        wrap = round(rng.uniform(20, 60) / 5) * 5
        u = rng.r.random()
        sl = (80, 20) if u < 0.6 else (70, 30) if u < 0.85 else (90, 15) if u < 0.95 else (80, 60)
        voice = round(rng.uniform(40, 100))
        chat = round(rng.uniform(0, 100 - voice))
        tenants.append({
            "id": f"t{i + 1:04d}",
            "name": name,
            "model": model,
            "peak": peak,
            "shape": SHAPES[rng.below(len(SHAPES))],
            "hours": HOURS[rng.below(len(HOURS))] if model == "hybrid" else None,
            "talk": talk,
            "wrap": wrap,
            "cv": round(rng.uniform(0.4, 0.9), 2),
            "patience": round(rng.uniform(60, 180) / 10) * 10,
            "sl": sl,
            "channels": (voice, chat, 100 - voice - chat),
            "dedicated_rate": round(rng.uniform(24, 36), 2),
            "shared_rate": round(rng.uniform(34, 48), 2),
        })
    return tenants


def fmt_rate(v):
    return f"{v:.1f}".rstrip("0").rstrip(".") if v < 10 else str(round(v))


def hourly(t, scale):
    return [float(fmt_rate(t["peak"] * scale * f)) for f in t["shape"]]


def assign_shared(rng, tenants):
    """Each tenant that ever routes to shared gets one shared pool, a few two."""
    serves = [[] for _ in range(N_SHARED_POOLS)]
    for t in tenants:
        if t["model"] == "dedicated":
            continue
        p = rng.below(N_SHARED_POOLS)
        serves[p].append(t)
        if rng.r.random() < 0.1:
            q = (p + 1 + rng.below(N_SHARED_POOLS - 1)) % N_SHARED_POOLS
            serves[q].append(t)
    return serves


def staff(tenants, serves, scale):
    """on_duty per pool per shift at this traffic scale."""
    pools = []
    rates = {t["id"]: hourly(t, scale) for t in tenants}
    n_shared = {}
    for lst in serves:
        for t in lst:
            n_shared[t["id"]] = n_shared.get(t["id"], 0) + 1
    for i, lst in enumerate(serves):
        duty = []
        for sh in SHIFTS:
            needs = []
            for h in shift_hours(sh):
                calls = work = 0.0
                for t in lst:
                    if t["model"] == "hybrid" and in_hours(t, h):
                        continue
                    r = rates[t["id"]][h] / n_shared[t["id"]]
                    calls += r
                    work += r * (t["talk"] + t["wrap"])
                aht = work / calls if calls else 300
                needs.append((rostered(agents_needed(work / 3600, aht, 80, 20)), work / 3600))
            duty.append(crew(needs))
        pools.append({"id": f"shared-{i + 1:02d}", "kind": "shared", "serves": lst, "duty": duty})
    for t in tenants:
        if t["model"] == "shared":
            continue
        aht = t["talk"] + t["wrap"]
        duty = []
        for sh in SHIFTS:
            needs = []
            for h in shift_hours(sh):
                if in_hours(t, h):
                    a = rates[t["id"]][h] * aht / 3600
                    needs.append((rostered(agents_needed(a, aht, *t["sl"])), a))
            duty.append(crew(needs))
        pools.append({"id": f"ded-{t['id']}", "kind": "dedicated", "tenant": t, "duty": duty})
    return pools


def total(pools):
    return sum(sum(p["duty"]) for p in pools)


def fit(tenants, serves):
    """Scale traffic so the staffing comes to about N_AGENTS, then trim to exactly that."""
    lo, hi = 0.1, 10.0
    for _ in range(30):
        mid = math.sqrt(lo * hi)
        if total(staff(tenants, serves, mid)) > N_AGENTS:
            hi = mid
        else:
            lo = mid
    pools = staff(tenants, serves, lo)
    # The remainder goes to the largest crews, one agent at a time, in a fixed order.
    order = sorted(((p["duty"][s], i, s) for i, p in enumerate(pools) for s in range(3)), reverse=True)
    k = 0
    while total(pools) < N_AGENTS:
        _, i, s = order[k % len(order)]
        pools[i]["duty"][s] += 1
        k += 1
    return lo, pools


def wrap_list(key, items, width=96):
    lines, cur = [], f"{key} = "
    indent = " " * len(cur)
    for j, it in enumerate(items):
        piece = it + ("," if j < len(items) - 1 else "")
        if len(cur) + len(piece) + 1 > width and cur.strip() != f"{key} =":
            lines.append(cur.rstrip())
            cur = indent
        cur += piece + " "
    lines.append(cur.rstrip())
    return lines


def main():
    rng = Rng(SEED)
    tenants = make_tenants(rng)
    serves = assign_shared(rng, tenants)
    scale, pools = fit(tenants, serves)
    out = []
    w = out.append
    w("; pooltop large floor: %d tenants, %d agents.  Generated by" % (N_TENANTS, N_AGENTS))
    w("; scenarios/gen-large.py (deterministic); edit that, not this file.")
    w(";")
    w("; Each pool's crew per shift is the Erlang C head count (pooled 80/20")
    w("; for shared pools, the tenant's target for dedicated ones) of a")
    w("; quieter-than-median hour of the shift, plus breaks, and never fewer")
    w("; than it takes to keep its busiest hour under %d%% occupancy.  Agents" % round(MAX_OCCUPANCY * 100))
    w("; are mostly busy at the day's peak; queues build at each pool's peak")
    w("; and drain.")
    w("; Traffic scale fitted to the head count: %.4f." % scale)
    w("")
    w("[floor]")
    w("name = Large floor (generated)")
    w(f"break_every = {BREAK_EVERY}")
    w(f"break_length = {BREAK_LENGTH}")
    for name, a, b in SHIFTS:
        w("")
        w(f"[shift {name}]")
        w(f"start = {a:02d}:00")
        w(f"end = {b % 24:02d}:00")
    ded_duty = {p["tenant"]["id"]: p["duty"] for p in pools if p["kind"] == "dedicated"}
    for t in tenants:
        r = hourly(t, scale)
        w("")
        w(f"[tenant {t['id']}]")
        w(f"name = {t['name']}")
        w(f"model = {t['model']}")
        w(f"sl = {t['sl'][0]}/{t['sl'][1]}")
        if t["model"] != "shared":
            w("overflow = 30")
            w(f"dedicated_rate = {t['dedicated_rate']:.2f}")
            # the contract floor: half the thinnest crew that works in business hours
            crews = [d for d in ded_duty[t["id"]] if d > 0]
            w(f"min_dedicated = {min(crews) // 2 if crews else 0}")
        if t["model"] != "dedicated":
            w(f"shared_rate = {t['shared_rate']:.2f}")
        if t["hours"]:
            w(f"hours = {t['hours'][0]}-{t['hours'][1]}")
        vals = [fmt_rate(v) for v in r]
        w("traffic = " + ", ".join(vals[:12]) + ",")
        w("          " + ", ".join(vals[12:]))
        w(f"talk = {t['talk']}")
        w(f"talk_cv = {t['cv']}")
        w(f"wrap = {t['wrap']}")
        w(f"patience = {t['patience']}")
        v, c, e = t["channels"]
        w(f"channels = voice {v}, chat {c}, email {e}")
    for p in pools:
        w("")
        w(f"[pool {p['id']}]")
        w(f"kind = {p['kind']}")
        if p["kind"] == "shared":
            out.extend(wrap_list("serves", [t["id"] for t in p["serves"]]))
        else:
            w(f"tenant = {p['tenant']['id']}")
        w(f"agents = {sum(p['duty'])}")
        w("on_duty = " + ", ".join(f"{SHIFTS[s][0]} {p['duty'][s]}" for s in range(3)))
    text = "\n".join(out) + "\n"
    assert max(len(line.encode()) for line in out) <= 198, "inih reads at most 198 bytes a line"
    sys.stdout.write(text)


if __name__ == "__main__":
    main()
