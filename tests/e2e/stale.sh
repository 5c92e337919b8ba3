#!/bin/sh
# Stale never looks live: with the server killed, the figures on the
# Floor view are dimmed (checked in the escape sequences tmux keeps,
# capture-pane -e) and the title says how old the data is; "no heartbeat
# for N s" counts up; the status line names its clocks (wall, floor); a
# wallboard shows a banner across the screen with how long ago its data
# is from; after a restart the Events view marks where the new epoch
# begins.
set -u
. tests/e2e/lib.sh

# The line holding TEXT, with its escape sequences.
line_e() {
	tmux -L "$TMUX_SOCK" capture-pane -e -p -t "$1" | grep -- "$2" | head -1
}

# Whether that line is drawn dim (SGR 2, alone or among others).
is_dim() {
	line_e "$1" "$2" | grep -Eq "$(printf '\033')\[([0-9;]*;)?2(;[0-9;]*)?m"
}

start_server --scenario "$SRC/tests/data/scenarios/itest.ini" --speed 60 --start 10:00
start_dashboard 120 30
wait_for '^ LIVE '
wait_for 'Dedicated Co'
wait_for 'floor [0-9]{2}:[0-9]{2}:[0-9]{2}'
tmux -L "$TMUX_SOCK" new-session -d -s wall -x 100 -y 30 \
	"env LANG=C.UTF-8 TERM=xterm-256color $BIN/pooltop --events $EVENTS --requests $REQUESTS --wallboard --rotate 60 2>$WORK/wall.err; sleep 30"
sleep 1
is_dim e2e 'Dedicated Co' && fail "a LIVE floor must not be dimmed: $(line_e e2e 'Dedicated Co')"
screen | grep -q 'NOT LIVE' && fail "a LIVE dashboard must not say NOT LIVE"

kill_server
wait_for '^ STALE since [0-9]{2}:[0-9]{2}:[0-9]{2} wall' 8
wait_for 'NOT LIVE: data [0-9]+s old'
is_dim e2e 'Dedicated Co' || fail "stale figures must be dimmed: $(line_e e2e 'Dedicated Co')"

# The silence is counted, not frozen at the 3 s that started it.
wait_for 'no heartbeat for [0-9]+ s' 8
first=$(screen | sed -n 's/.*no heartbeat for \([0-9]*\) s.*/\1/p' | tail -1)
sleep 3
second=$(screen | sed -n 's/.*no heartbeat for \([0-9]*\) s.*/\1/p' | tail -1)
[ -n "$first" ] && [ -n "$second" ] && [ "$second" -gt "$first" ] ||
	fail "'no heartbeat for N s' should count up, saw '$first' then '$second'"

# The wallboard: a banner across the screen with the age of its data.
i=0
until tmux -L "$TMUX_SOCK" capture-pane -p -t wall | grep -Eq 'NOT LIVE \([A-Z]+\): these figures are from [0-9]{2}:[0-9]{2}:[0-9]{2}, [0-9]+ s ago'; do
	i=$((i + 1))
	[ "$i" -lt 100 ] || { tmux -L "$TMUX_SOCK" capture-pane -p -t wall >&2; fail "the wallboard shows no stale banner"; }
	sleep 0.1
done
is_dim wall 'SERVICE LEVEL' || fail "the wallboard's figures must be dimmed: $(line_e wall 'SERVICE LEVEL')"

# Back: LIVE and undimmed; the Events view marks the new epoch.
start_server --scenario "$SRC/tests/data/scenarios/itest.ini" --speed 60 --start 10:00
wait_for '^ LIVE ' 20
wait_gone 'NOT LIVE'
sleep 0.5
is_dim e2e 'Dedicated Co' && fail "LIVE again, the floor must not stay dimmed"
tmux -L "$TMUX_SOCK" capture-pane -p -t wall | grep -q 'NOT LIVE' && fail "the wallboard banner must go when LIVE"
keys 4 p
# Paused, the mark sits where the new run's first event follows the old
# run's last; how far down depends on how long the reconnect took, so
# page down to it.
i=0
until screen | grep -Eq '== new epoch [0-9]+ =='; do
	i=$((i + 1))
	[ "$i" -lt 60 ] || fail "the Events view shows no '== new epoch N ==' mark"
	keys NPage
	sleep 0.2
done

keys q
status=$(wait_exit)
[ "$status" = 0 ] || fail "q should exit 0, got $status"
echo "ok - stale"
