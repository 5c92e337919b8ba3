#!/bin/sh
# pooltopd --ami against a fake Asterisk Manager (tests/tools/fake_ami.py):
# it logs in with the secret from the file (which never shows in the log),
# rebuilds member state from QueueStatus, carries a pooltop move out as
# QueueAdd then QueueRemove and publishes it only once the PBX agreed, fails
# a move with the PBX's words, logs in and rebuilds again after the
# connection drops, and reports a refused login.
set -u
. tests/e2e/lib.sh
export TZ=UTC
PTQ=${PTQ:-$SRC/build/tests/ptq}
SCEN="$SRC/tests/data/scenarios/asterisk.ini"
SECRET='s3cr3t-Xy9-never-logged'
printf '%s\n' "$SECRET" >"$WORK/secret"
chmod 600 "$WORK/secret"
: >"$WORK/queue_log"
FAKE_PID=""
stop_fake() { [ -n "$FAKE_PID" ] && kill "$FAKE_PID" 2>/dev/null; wait "$FAKE_PID" 2>/dev/null; FAKE_PID=""; }
trap 'stop_fake; cleanup' EXIT INT TERM

# start_fake SECRET_FILE LOG REFUSE_QUEUE
start_fake() {
	rm -f "$WORK/ami.port"
	python3 "$SRC/tests/tools/fake_ami.py" "$WORK/ami.port" "$2" pooltop "$1" \
		"SIP/1002@bolt@Lunch,PJSIP/1003@cargo" "acme-sales,acme-support,bolt,cargo" "$3" &
	FAKE_PID=$!
	i=0
	until [ -s "$WORK/ami.port" ]; do
		i=$((i + 1)); [ "$i" -lt 50 ] || fail "the fake AMI did not start"; sleep 0.1
	done
	AMI_PORT=$(cat "$WORK/ami.port")
}

wait_log() {   # PATTERN [COUNT]
	i=0
	until [ "$(grep -c -- "$1" "$WORK/server.log")" -ge "${2:-1}" ]; do
		i=$((i + 1)); [ "$i" -lt 100 ] || fail "no '$1' (x${2:-1}) in the server log"; sleep 0.1
	done
}

agent() {   # ID -> "POOL STATE"
	"$PTQ" "$REQUESTS" snapshot-agents | awk -v a="$1" '$1 == a { print $2, $3 }'
}

start_fake "$WORK/secret" "$WORK/ami.log" acme-support
start_server --source asterisk --queue-log "$WORK/queue_log" --follow --scenario "$SCEN" \
	--ami "127.0.0.1:$AMI_PORT" --ami-user pooltop --ami-secret-file "$WORK/secret"
wait_log "AMI: state rebuilt from QueueStatus (2 memberships)"

# the login carried the right secret; pooltopd never wrote it anywhere
grep -q '"Action": "Login".*"Secret": "<right>"' "$WORK/ami.log" || fail "no good Login: $(head -3 "$WORK/ami.log")"
grep -q '"Events": "agent"' "$WORK/ami.log" || fail "Login without Events: agent"
grep -q "$SECRET" "$WORK/server.log" && fail "the AMI secret is in the server log"
grep -q '"Action": "QueueStatus"' "$WORK/ami.log" || fail "no QueueStatus after login"

# state from QueueStatus: bob (SIP/1002) paused, carol (PJSIP/1003) in cargo
[ "$(agent bob)" = "shared-1 break" ] || fail "bob after QueueStatus: $(agent bob)"
[ "$(agent carol)" = "ded-cargo idle" ] || fail "carol after QueueStatus: $(agent carol)"

# a move the PBX carries out: carol joins bolt (shared-1 serves bolt, cargo)
seq=$("$PTQ" "$REQUESTS" move-why carol shared-1 "bolt peak" 2>"$WORK/mv1.err") ||
	fail "move to shared-1 refused: $(cat "$WORK/mv1.err")"
grep -q '"Action": "QueueAdd".*"Queue": "bolt".*"Interface": "PJSIP/1003"' "$WORK/ami.log" ||
	fail "no QueueAdd bolt PJSIP/1003: $(grep QueueAdd "$WORK/ami.log")"
grep -q '"Action": "QueueRemove"' "$WORK/ami.log" && fail "a QueueRemove for a move that needs none"
[ "$(agent carol)" = "shared-1 idle" ] || fail "carol after the move: $(agent carol)"
"$PTQ" "$REQUESTS" audit | grep -qx "carol ded-cargo shared-1 ptq bolt peak" ||
	fail "audit: $("$PTQ" "$REQUESTS" audit)"

# a move the PBX refuses: joining acme-support fails; nothing is removed,
# the move is not made, and the reply says what the PBX said
if "$PTQ" "$REQUESTS" move-why carol ded-acme "acme needs help" 2>"$WORK/mv2.err"; then
	fail "a move the PBX refused was acknowledged"
fi
grep -q "the PBX refused the move: Unable to add interface to queue: No such queue" "$WORK/mv2.err" ||
	fail "refusal message: $(cat "$WORK/mv2.err")"
grep -q '"Action": "QueueRemove"' "$WORK/ami.log" && fail "QueueRemove sent although a QueueAdd failed"
[ "$(agent carol)" = "shared-1 idle" ] || fail "carol after a refused move: $(agent carol)"
"$PTQ" "$REQUESTS" audit | grep -q "ded-acme" && fail "a refused move is in the audit"

# the connection drops: pooltopd logs in again and rebuilds from QueueStatus
kill -USR1 "$FAKE_PID"
wait_log "AMI: state rebuilt from QueueStatus" 2
[ "$(grep -c '"Action": "Login"' "$WORK/ami.log")" -ge 2 ] || fail "no second Login"
[ "$(grep -c '"Action": "QueueStatus"' "$WORK/ami.log")" -ge 2 ] || fail "no second QueueStatus"
"$PTQ" "$REQUESTS" source | grep -qx "ami.rebuilds 2" || fail "source: $("$PTQ" "$REQUESTS" source | grep ami)"

# a move back to ded-cargo: QueueAdd nothing new, QueueRemove bolt and acme-sales
"$PTQ" "$REQUESTS" move-why carol ded-cargo "back home" >/dev/null 2>"$WORK/mv3.err" ||
	fail "move back refused: $(cat "$WORK/mv3.err")"
grep -q '"Action": "QueueRemove".*"Queue": "bolt"' "$WORK/ami.log" || fail "no QueueRemove bolt"
[ "$(agent carol)" = "ded-cargo idle" ] || fail "carol after moving back: $(agent carol)"

# A move the PBX confirmed still has to be made durable: while another
# process holds the state database's lock it waits, like any move, and is
# acknowledged only once it is committed; past the server's wait (1 s) it
# is refused `unavailable` and not recorded, and the floor follows what
# the PBX did.
lock_db() {   # SECONDS: hold the write lock that long, in the background
	rm -f "$WORK/db.locked"
	python3 - "$WORK/state/pooltop.db" "$1" "$WORK/db.locked" <<'EOF' &
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], timeout=5, isolation_level=None)
db.execute("BEGIN IMMEDIATE")
open(sys.argv[3], "w").close()
time.sleep(float(sys.argv[2]))
db.execute("ROLLBACK")
EOF
	LOCK_PID=$!
	i=0
	until [ -e "$WORK/db.locked" ]; do
		i=$((i + 1)); [ "$i" -lt 50 ] || fail "the database lock was not taken"; sleep 0.1
	done
}
now_ms() { echo $(($(date +%s%N) / 1000000)); }
lock_db 0.7
t0=$(now_ms)
"$PTQ" "$REQUESTS" move-why carol shared-1 "while locked" >/dev/null 2>"$WORK/mv5.err" ||
	fail "a confirmed move on a briefly locked database was refused: $(cat "$WORK/mv5.err")"
waited=$(($(now_ms) - t0))
wait "$LOCK_PID"
[ "$waited" -ge 400 ] || fail "a move was acknowledged after $waited ms, before its commit could be made"
"$PTQ" "$REQUESTS" audit | grep -qx "carol ded-cargo shared-1 ptq while locked" ||
	fail "audit after the locked move: $("$PTQ" "$REQUESTS" audit)"
[ "$(agent carol)" = "shared-1 idle" ] || fail "carol after the locked move: $(agent carol)"
lock_db 2.5
if "$PTQ" "$REQUESTS" move-why carol ded-cargo "locked out" >/dev/null 2>"$WORK/mv6.err"; then
	fail "a move was acknowledged while the database stayed locked"
fi
wait "$LOCK_PID"
grep -q "locked by another process" "$WORK/mv6.err" || fail "locked refusal: $(cat "$WORK/mv6.err")"
"$PTQ" "$REQUESTS" audit | grep -q "locked out" && fail "a move that was not committed is in the audit"
i=0
until [ "$(agent carol)" = "ded-cargo idle" ]; do
	i=$((i + 1)); [ "$i" -lt 50 ] || fail "carol does not follow the PBX's queues: $(agent carol)"
	sleep 0.1
done

# the PBX gone: a move is refused at once, saying so
stop_fake
sleep 0.3
"$PTQ" "$REQUESTS" move-why carol shared-1 "x" >/dev/null 2>"$WORK/mv4.err" && fail "a move without a PBX was made"
grep -q "the PBX is not connected" "$WORK/mv4.err" || fail "no-PBX message: $(cat "$WORK/mv4.err")"
# a clean stop after all that (and, in a sanitizer build, nothing reported)
kill "$SERVER_PID"
wait "$SERVER_PID"
rc=$?
SERVER_PID=""
[ "$rc" = 0 ] || fail "pooltopd exited $rc after SIGTERM"
grep -q "Sanitizer\|runtime error" "$WORK/server.log" && fail "sanitizer: $(grep -A5 Sanitizer "$WORK/server.log")"

# a wrong secret: the login is refused and logged, with the PBX's words
printf 'not-the-secret\n' >"$WORK/other"
: >"$WORK/server.log"
start_fake "$WORK/other" "$WORK/ami2.log" ""
start_server --source asterisk --queue-log "$WORK/queue_log" --follow --scenario "$SCEN" \
	--ami "127.0.0.1:$AMI_PORT" --ami-user pooltop --ami-secret-file "$WORK/secret" --state "$WORK/st2"
wait_log "login refused: Authentication failed"
grep -q '"Secret": "<wrong>"' "$WORK/ami2.log" || fail "fake saw no wrong secret"
kill_server
stop_fake

# the flags: --ami alone, or without the secret file, is a usage error
"$BIN/pooltopd" --source asterisk --queue-log x --ami 127.0.0.1:5038 --ami-user u >/dev/null 2>&1
[ $? = 2 ] || fail "--ami without --ami-secret-file"
"$BIN/pooltopd" --source asterisk --queue-log x --ami-secret x >/dev/null 2>&1
[ $? = 2 ] || fail "--ami-secret on the command line should not exist"
[ -n "${AMI_DEBUG:-}" ] && cat "$WORK/server.log" "$WORK/ami.log" >&2
exit 0
