#!/usr/bin/env python3
"""rooms: each room may include only the headers of the rooms below it.

A header include/pooltop/X.h belongs to the room whose directory holds
X.c (or X_*.c).  The allowed edges are the ones docs/ARCHITECTURE.md
draws; anything else is a dependency the wrong way (a client library
that reaches into the dashboard, a model that knows about sockets) and
fails `make check`.  Prints "rooms: N passed, M failed".
"""
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# room -> rooms it may include (itself always allowed)
ALLOWED = {
    "proto": set(),
    "util": set(),
    "model": {"proto", "util"},
    "client": {"proto", "model", "util"},
    "floor": {"proto", "model", "util"},
    "cli": {"proto", "model", "util", "client"},
    "tui": {"proto", "model", "util", "client", "cli"},
}


def header_rooms():
    owner = {}
    for room in ALLOWED:
        d = os.path.join(ROOT, room)
        if not os.path.isdir(d):
            continue
        for f in os.listdir(d):
            if f.endswith(".c"):
                owner.setdefault(f[:-2], set()).add(room)
    rooms = {}
    for h in os.listdir(os.path.join(ROOT, "include", "pooltop")):
        if not h.endswith(".h"):
            continue
        base = h[:-2]
        # X.h for X.c, or for several files X_a.c, X_b.c; a name two
        # rooms both use (request.c) belongs to either
        rs = set(owner.get(base, set()))
        if not rs:
            for b, r in owner.items():
                if b.startswith(base + "_"):
                    rs |= r
        rooms[h] = rs
    return rooms


def main():
    rooms = header_rooms()
    inc = re.compile(r'^\s*#\s*include\s+"pooltop/([a-z0-9_]+\.h)"')
    passed = failed = 0
    for room, allowed in ALLOWED.items():
        d = os.path.join(ROOT, room)
        if not os.path.isdir(d):
            continue
        for f in sorted(os.listdir(d)):
            if not f.endswith((".c", ".h")):
                continue
            bad = []
            with open(os.path.join(d, f), encoding="utf-8") as fh:
                for n, line in enumerate(fh, 1):
                    m = inc.match(line)
                    if not m:
                        continue
                    hr = rooms.get(m.group(1)) or set()
                    if not hr or room in hr or hr & allowed:
                        continue
                    bad.append("%s/%s:%d includes pooltop/%s (room %s)" % (room, f, n, m.group(1),
                                                                           "/".join(sorted(hr))))
            if bad:
                failed += 1
                for b in bad:
                    print("rooms: " + b + ": not allowed from " + room, file=sys.stderr)
            else:
                passed += 1
    print("rooms: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
