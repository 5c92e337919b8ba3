#!/usr/bin/env python3
"""A fake Asterisk Manager Interface for the tests, written from the
Asterisk documentation (the AMI protocol: a greeting line, then messages of
"Key: Value" lines ended by a blank line; the Login, QueueStatus, QueueAdd,
QueueRemove and Logoff actions of manager.c and app_queue.c, their
responses, and the QueueMember/QueueStatusComplete/QueueMemberAdded/
QueueMemberRemoved events).  It checks what pooltopd sends: every action is
logged as one JSON line (the Secret replaced by "<right>" or "<wrong>"),
actions before a successful Login are refused, a Login with the wrong
secret is refused.  SIGUSR1 drops the connection (the test of reconnects).

usage: fake_ami.py PORT_FILE LOG USER SECRET_FILE MEMBERS QUEUES [REFUSE_QUEUE]
  MEMBERS: "IFACE@QUEUE[@PAUSED_REASON],..."; QUEUES: "q1,q2,..."
"""
import json
import select
import signal
import socket
import sys

port_file, log_path, user, secret_file, members_arg, queues_arg = sys.argv[1:7]
refuse = sys.argv[7] if len(sys.argv) > 7 else None
secret = open(secret_file).read().split("\n")[0]
queues = [q for q in queues_arg.split(",") if q]
members = {}   # (queue, iface) -> paused reason or None
for m in filter(None, members_arg.split(",")):
    parts = m.split("@")
    members[(parts[1], parts[0])] = parts[2] if len(parts) > 2 else None
drop = [False]
signal.signal(signal.SIGUSR1, lambda *_: drop.__setitem__(0, True))

srv = socket.socket()
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", 0))
srv.listen(4)
with open(port_file + ".tmp", "w") as f:
    f.write(str(srv.getsockname()[1]))
import os
os.rename(port_file + ".tmp", port_file)
log = open(log_path, "a", buffering=1)


def msg(**kv):
    return "".join(f"{k}: {v}\r\n" for k, v in kv.items()) + "\r\n"


def member_fields(q, iface, reason):
    return dict(Queue=q, MemberName=iface, Interface=iface, StateInterface=iface,
                Membership="dynamic", Penalty=0, CallsTaken=0, LastCall=0, LastPause=0,
                LoginTime=0, InCall=0, Status=1, Paused=1 if reason else 0,
                PausedReason=reason or "", Ringinuse=1, Wrapuptime=0)


def handle(h, state):
    action = h.get("Action", "")
    aid = h.get("ActionID", "")
    logged = dict(h)
    if "Secret" in logged:
        logged["Secret"] = "<right>" if h["Secret"] == secret else "<wrong>"
    log.write(json.dumps(logged) + "\n")
    a = action.lower()
    if a == "login":
        if h.get("Username") == user and h.get("Secret") == secret:
            state["auth"] = True
            return msg(Response="Success", ActionID=aid, Message="Authentication accepted")
        return msg(Response="Error", ActionID=aid, Message="Authentication failed")
    if not state["auth"]:
        return msg(Response="Error", ActionID=aid, Message="Authentication Required")
    if a == "queuestatus":
        out = msg(Response="Success", ActionID=aid, EventList="start",
                  Message="Queue status will follow")
        n = 0
        for q in queues:
            out += msg(Event="QueueParams", Queue=q, Max=0, Strategy="ringall", Calls=0,
                       Holdtime=0, TalkTime=0, Completed=0, Abandoned=0, ServiceLevel=0,
                       ServicelevelPerf=0.0, Weight=0, ActionID=aid)
            n += 1
            for (mq, iface), reason in sorted(members.items()):
                if mq != q:
                    continue
                f = member_fields(q, iface, reason)
                f = dict(Queue=q, Name=iface, Location=iface, StateInterface=iface,
                         Membership="dynamic", Penalty=0, CallsTaken=0, LastCall=0,
                         LastPause=0, LoginTime=0, InCall=0, Status=1, Paused=f["Paused"],
                         PausedReason=f["PausedReason"], Wrapuptime=0, ActionID=aid)
                out += msg(Event="QueueMember", **f)
                n += 1
        return out + msg(Event="QueueStatusComplete", ActionID=aid, EventList="Complete",
                         ListItems=n)
    if a == "queueadd":
        q, iface = h.get("Queue", ""), h.get("Interface", "")
        if not q or not iface:
            return msg(Response="Error", ActionID=aid, Message="'Queue' not specified.")
        if q not in queues or q == refuse:
            return msg(Response="Error", ActionID=aid,
                       Message="Unable to add interface to queue: No such queue")
        if (q, iface) in members:
            return msg(Response="Error", ActionID=aid, Message="Unable to add interface: Already there")
        members[(q, iface)] = None
        return (msg(Event="QueueMemberAdded", **member_fields(q, iface, None)) +
                msg(Response="Success", ActionID=aid, Message="Added interface to queue"))
    if a == "queueremove":
        q, iface = h.get("Queue", ""), h.get("Interface", "")
        if (q, iface) not in members:
            return msg(Response="Error", ActionID=aid, Message="Unable to remove interface: Not there")
        reason = members.pop((q, iface))
        return (msg(Event="QueueMemberRemoved", **member_fields(q, iface, reason)) +
                msg(Response="Success", ActionID=aid, Message="Removed interface from queue"))
    if a == "logoff":
        return msg(Response="Goodbye", ActionID=aid, Message="Thanks for all the fish.")
    return msg(Response="Error", ActionID=aid, Message="Invalid/unknown command")


while True:
    try:
        conn, _ = srv.accept()
    except InterruptedError:
        continue
    log.write(json.dumps({"connect": True}) + "\n")
    conn.sendall(b"Asterisk Call Manager/7.0.3\r\n")
    state = {"auth": False}
    buf = b""
    drop[0] = False
    while not drop[0]:
        try:
            r, _, _ = select.select([conn], [], [], 0.1)
        except InterruptedError:
            continue
        if not r:
            continue
        data = conn.recv(65536)
        if not data:
            break
        buf += data
        while b"\r\n\r\n" in buf:
            raw, buf = buf.split(b"\r\n\r\n", 1)
            h = {}
            for line in raw.decode().split("\r\n"):
                k, sep, v = line.partition(":")
                if sep:
                    h[k.strip()] = v.strip()
            conn.sendall(handle(h, state).encode())
    conn.close()
    log.write(json.dumps({"dropped": True}) + "\n")
