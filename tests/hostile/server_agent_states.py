"""An independent subscriber written against the contract (DESIGN.md §3:
every agent state change is an `agent.state`) keeps each agent's state
and tenant from `agent.state` events alone, ignoring what contact events
imply, and agrees with the next snapshot.  Before, pooltopd left out the
changes contact.answered/ended/wrapped imply, and such a replica went
wrong within seconds."""
import time
import server_lib as L

with L.Server(scenario="scenarios/demo.ini", speed="60", args=["--start", "10:00"]) as sv:
    sub = sv.sub()
    buffered = L.events(sub, 1.5)          # joined: events flow
    snap = sv.call("snapshot")
    L.check(snap and snap.get("ok"), "no snapshot")
    epoch, last = snap["epoch"], snap["seq"]
    state = {a["id"]: (a["state"], a["tenant"] or "") for a in snap["agents"]}
    pending = [e for _, e in buffered]
    end = time.monotonic() + 5
    n_state = 0

    def apply(ev):
        global last, n_state
        if ev["type"] == "hb" or ev["seq"] <= last:
            return
        L.check(ev["epoch"] == epoch and ev["seq"] == last + 1,
                "gap or new epoch at seq %d (last %d)" % (ev["seq"], last))
        last = ev["seq"]
        if ev["type"] == "agent.state":
            state[ev["agent"]] = (ev["state"], ev["tenant"] or "")
            n_state += 1

    for ev in pending:
        apply(ev)
    while time.monotonic() < end:
        for _, ev in L.events(sub, 0.2):
            apply(ev)
    final = sv.call("snapshot")
    # the feed up to the final snapshot's seq
    deadline = time.monotonic() + 5
    while last < final["seq"] and time.monotonic() < deadline:
        for _, ev in L.events(sub, 0.2):
            if ev["type"] != "hb" and ev["seq"] <= final["seq"]:
                apply(ev)
    L.check(last == final["seq"], "the feed did not reach the snapshot's seq %d (at %d)"
            % (final["seq"], last))
    wrong = [(a["id"], state[a["id"]], (a["state"], a["tenant"] or "")) for a in final["agents"]
             if state[a["id"]] != (a["state"], a["tenant"] or "")]
    print("%d agent.state events; %d of %d agents disagree" % (n_state, len(wrong), len(final["agents"])))
    L.check(not wrong, "replica from agent.state alone disagrees: %r" % wrong[:5])
    L.check(n_state > 0, "no agent.state at all")
print("ok: agent.state alone keeps agent states")
