# Shared by the end-to-end tests: a real pooltopd on free loopback ports,
# the real pooltop in a private tmux server, and assertions on what the
# screen shows.  Sourced by each tests/e2e/*.sh.

BIN=${POOLTOP_BIN:-$(pwd)/bin}
SRC=$(pwd)
WORK=$(mktemp -d /tmp/pooltop-e2e.XXXXXX)
TMUX_SOCK="pt-e2e-$$"
SERVER_PID=""

free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

EV_PORT=$(free_port)
RQ_PORT=$(free_port)
EVENTS="tcp://127.0.0.1:$EV_PORT"
REQUESTS="tcp://127.0.0.1:$RQ_PORT"

fail() {
	echo "FAIL: $*" >&2
	if [ -n "${PANE_SHOWN:-}" ] || tmux -L "$TMUX_SOCK" has-session 2>/dev/null; then
		echo "--- screen:" >&2
		tmux -L "$TMUX_SOCK" capture-pane -p -t e2e >&2 2>/dev/null || true
	fi
	echo "--- server log (tail):" >&2
	tail -5 "$WORK/server.log" >&2 2>/dev/null || true
	exit 1
}

cleanup() {
	tmux -L "$TMUX_SOCK" kill-server 2>/dev/null || true
	[ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null || true
	rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

# start_server [extra pooltopd args...]
start_server() {
	"$BIN/pooltopd" --events "$EVENTS" --requests "$REQUESTS" --state "$WORK/state" \
		--seed 7 "$@" >>"$WORK/server.log" 2>&1 &
	SERVER_PID=$!
}

kill_server() {
	kill -9 "$SERVER_PID" 2>/dev/null || true
	wait "$SERVER_PID" 2>/dev/null || true
	SERVER_PID=""
}

# start_dashboard COLS ROWS [pooltop args...]: the exit status lands in
# $WORK/exit when the dashboard ends.  Its settings come from
# $WORK/xdg/pooltop/config (a test may write one; never the user's own).
start_dashboard() {
	cols=$1 rows=$2
	shift 2
	tmux -L "$TMUX_SOCK" -f /dev/null new-session -d -s e2e -x "$cols" -y "$rows" \
		"env XDG_CONFIG_HOME=$WORK/xdg LANG=C.UTF-8 TERM=xterm-256color $BIN/pooltop --events $EVENTS --requests $REQUESTS $* 2>$WORK/tui.err; echo \$? >$WORK/exit; sleep 30"
	PANE_SHOWN=1
}

# quiet_alerts: no alert banner (it takes the feedback line a test reads).
quiet_alerts() {
	mkdir -p "$WORK/xdg/pooltop"
	printf '[alerts]\nbell = no\nsl_below = 0%%\noldest = 1d\n' >"$WORK/xdg/pooltop/config"
}

screen() {
	tmux -L "$TMUX_SOCK" capture-pane -p -t e2e
}

keys() {
	tmux -L "$TMUX_SOCK" send-keys -t e2e "$@"
}

resize() {
	tmux -L "$TMUX_SOCK" resize-window -t e2e -x "$1" -y "$2"
}

# wait_for PATTERN [SECONDS]: the screen shows PATTERN (grep -E) in time.
wait_for() {
	pat=$1 secs=${2:-10}
	i=0
	while [ "$i" -lt $((secs * 10)) ]; do
		if screen | grep -Eq -- "$pat"; then
			return 0
		fi
		sleep 0.1
		i=$((i + 1))
	done
	fail "screen never showed /$pat/ within ${secs}s"
}

# wait_gone PATTERN [SECONDS]
wait_gone() {
	pat=$1 secs=${2:-10}
	i=0
	while [ "$i" -lt $((secs * 10)) ]; do
		if ! screen | grep -Eq -- "$pat"; then
			return 0
		fi
		sleep 0.1
		i=$((i + 1))
	done
	fail "screen still shows /$pat/ after ${secs}s"
}

wait_exit() {
	i=0
	while [ ! -s "$WORK/exit" ] && [ "$i" -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	[ -s "$WORK/exit" ] || fail "the dashboard did not exit"
	cat "$WORK/exit"
}

# The server's own answer, for checks that must not trust a screen:
# ptq (tests/tools/ptq.c), built if need be.
PTQ=${PTQ:-$SRC/build/tests/ptq}
need_ptq() {
	if [ ! -x "$PTQ" ]; then
		# make's rule is for the path relative to the checkout
		make --no-print-directory -s "${PTQ#"$SRC"/}" >/dev/null || fail "cannot build $PTQ"
	fi
}

# pool_of AGENT: where the server says the agent is.
pool_of() {
	"$PTQ" "$REQUESTS" snapshot-agents | awk -v a="$1" '$1 == a { print $2 }'
}

# expect_pool AGENT POOL: it is there now.
expect_pool() {
	got=$(pool_of "$1")
	[ "$got" = "$2" ] || fail "$1 should be in $2, the server says '$got'"
}

# wait_pool AGENT POOL [SECONDS]
wait_pool() {
	i=0
	while [ "$i" -lt $((${3:-10} * 10)) ]; do
		[ "$(pool_of "$1")" = "$2" ] && return 0
		sleep 0.1
		i=$((i + 1))
	done
	fail "$1 never reached $2 (the server says '$(pool_of "$1")')"
}

# wait_ping: the server answers ptq ping.
wait_ping() {
	i=0
	until "$PTQ" "$REQUESTS" ping >/dev/null 2>&1; do
		i=$((i + 1))
		[ "$i" -lt 20 ] || fail "pooltopd does not answer ping"
	done
}
