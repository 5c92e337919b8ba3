#!/bin/sh
# The queue_log half of `make bench`: a month of a 300-agent floor
# (bench/gen_qlog.py, time-sorted like a real file) replayed flat out by
# pooltopd --source asterisk; prints lines/s against the 200,000 target.
# Measures and prints; never fails because of a number.
set -u
cd "$(dirname "$0")/.." || exit 1
BIN=${POOLTOP_BIN:-bin}
PY=${PYTHON:-python3}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/pooltop-qlog.XXXXXX") || exit 1
pid=""
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM
port() { "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

"$PY" bench/gen_qlog.py 30 300 | sort -s -t'|' -k1,1n >"$tmp/queue_log"
lines=$(wc -l <"$tmp/queue_log")
t0=$(date +%s%N)
TZ=UTC "$BIN/pooltopd" --source asterisk --queue-log "$tmp/queue_log" --speed max --quiet \
	--scenario tests/data/scenarios/asterisk.ini --state "$tmp/state" \
	--events "tcp://127.0.0.1:$(port)" --requests "tcp://127.0.0.1:$(port)" 2>"$tmp/log" &
pid=$!
until grep -qs "replay finished: verbs" "$tmp/log"; do
	kill -0 "$pid" 2>/dev/null || { echo "qlog replay: pooltopd died"; cat "$tmp/log"; exit 1; }
	sleep 0.05
done
t1=$(date +%s%N)
# CPU seconds of pooltopd (user + system), which other load does not inflate
cpu=$(awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/$pid/stat")
awk -v n="$lines" -v ns="$((t1 - t0))" -v cpu="$cpu" 'BEGIN {
	s = ns / 1e9
	printf "queue_log replay: %d lines (a month, 300 agents) in %.2f s = %.0f lines/s (target >= 200000: %s); CPU %.2f s = %.0f lines per CPU second\n",
	       n, s, n / s, (n / s >= 200000 ? "met" : "NOT met"), cpu, (cpu > 0 ? n / cpu : 0)
}'
