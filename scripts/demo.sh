#!/bin/sh
# make demo: a simulated floor and the dashboard on it.  The server runs
# at 60x (a shift passes in 8 minutes) from 13:50, so the Early -> Late
# change comes ten seconds in; its state lives in a temporary directory
# and it stops when the dashboard quits.
set -eu
BIN=${1:-bin}
SPEED=${DEMO_SPEED:-60}
START=${DEMO_START:-13:50}

port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

if [ ! -t 0 ] || [ ! -t 1 ]; then
	echo "make demo opens the dashboard: run it in a terminal" >&2
	exit 2
fi
STATE=$(mktemp -d /tmp/pooltop-demo.XXXXXX)
EV="tcp://127.0.0.1:$(port)"
RQ="tcp://127.0.0.1:$(port)"
"$BIN/pooltopd" --scenario scenarios/demo.ini --speed "$SPEED" --start "$START" \
	--events "$EV" --requests "$RQ" --state "$STATE" --quiet 2>"$STATE/pooltopd.log" &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null; rm -rf "$STATE"' EXIT INT TERM
sleep 0.3
if ! kill -0 "$SERVER" 2>/dev/null; then
	cat "$STATE/pooltopd.log" >&2
	exit 1
fi
"$BIN/pooltop" --events "$EV" --requests "$RQ" || true
