#!/bin/sh
# pooltopd --source asterisk --follow: lines appended to queue_log are
# published as they come; a half-written line waits for its end; a rotated
# file (moved away, a new one created) and a truncated one are read from
# their start.  Counted through `pooltop report` (offered of tenant bolt).
set -u
. tests/e2e/lib.sh
export TZ=UTC
QL="$WORK/queue_log"
n=0

# enter K: K ENTERQUEUE lines for queue bolt, stamped now
enter() {
	k=0
	while [ "$k" -lt "$1" ]; do
		n=$((n + 1)); k=$((k + 1))
		printf '%s|f%s.%s|bolt|NONE|ENTERQUEUE||5550100%03d|1\n' "$(date +%s)" "$$" "$n" "$n" >>"$QL"
	done
}

offered() {
	timeout 10 "$BIN/pooltop" report --requests "$REQUESTS" --format csv --shifts 10 2>/dev/null |
		awk -F, '$1 == "bolt" { s += $4 } END { print s + 0 }'
}

wait_offered() {
	i=0
	while [ "$(offered)" != "$1" ]; do
		i=$((i + 1))
		[ "$i" -lt 60 ] || fail "$2: offered is $(offered), want $1"
		sleep 0.2
	done
}

wait_log() {
	i=0
	until grep -q "$1" "$WORK/server.log"; do
		i=$((i + 1)); [ "$i" -lt 60 ] || fail "no '$1' in the server log"; sleep 0.1
	done
}

enter 3
start_server --source asterisk --queue-log "$QL" --follow \
	--scenario "$SRC/tests/data/scenarios/asterisk.ini"
wait_offered 3 "the file's old content"
wait_log "caught up with the log, following it"

enter 2
wait_offered 5 "appended lines"

# half a line: not read until its newline comes
printf '%s|half.1|bolt|NONE|ENTERQ' "$(date +%s)" >>"$QL"
sleep 1
[ "$(offered)" = 5 ] || fail "a half-written line was read"
printf 'UEUE||5550199|1\n' >>"$QL"
wait_offered 6 "the rest of a half-written line"

# rotation: the old file moves away, a new one starts
mv "$QL" "$QL.1"
enter 2
wait_log "rotated: reading the new file from its start"
wait_offered 8 "a rotated file"

# truncation: the same file, emptied, then written again
: >"$QL"
wait_log "truncated: reading it again from its start"
enter 1
wait_offered 9 "a truncated file"

grep -q "malformed" "$WORK/server.log" && ! grep -q "malformed 0" "$WORK/server.log" &&
	fail "lines were taken as malformed: $(grep malformed "$WORK/server.log")"
kill_server
exit 0
