#!/bin/sh
# Alerts: a tenant pushed below target raises the banner and marks its
# row until A acknowledges it; the floor line counts it; per-tenant
# thresholds in the settings file change what alerts.
set -u
. tests/e2e/lib.sh

CFG="$WORK/xdg"
mkdir -p "$CFG/pooltop"
printf '[alerts]\nbell = no\n' >"$CFG/pooltop/config"

run_dashboard() {
	tmux -L "$TMUX_SOCK" -f /dev/null new-session -d -s e2e -x 120 -y 30 \
		"env XDG_CONFIG_HOME=$CFG LANG=C.UTF-8 TERM=xterm-256color $BIN/pooltop --events $EVENTS --requests $REQUESTS 2>$WORK/tui.err; echo \$? >$WORK/exit; sleep 30"
	PANE_SHOWN=1
}

start_server --scenario "$SRC/tests/data/scenarios/wall.ini" --speed 60 --start 10:00
run_dashboard
wait_for '^ LIVE '
wait_for 'ALERT Zed Overload: (service level [0-9]+% is below 80%|a contact has waited)' 20
wait_for '^! Zed Overload'
wait_for '1 of 8 tenants below target +[0-9]+ waiting, longest [0-9:]+ +agents on duty 22: '
keys A
wait_for 'acknowledged 1 alert'
wait_gone '^! Zed Overload'
sleep 1.5
screen | grep -q 'ALERT Zed' && fail "an acknowledged alert must not come back while it lasts"
keys q
wait_exit >/dev/null
tmux -L "$TMUX_SOCK" kill-server 2>/dev/null
rm -f "$WORK/exit"

# The tenant's own thresholds: nothing it does is an alert now.
printf '[alerts]\nbell = no\n[tenant zbad]\nsl_below = 0%%\noldest = 1d\n' >"$CFG/pooltop/config"
run_dashboard
wait_for '^ LIVE '
wait_for 'Zed Overload'
wait_for '0 of 8 tenants below target'
sleep 2
screen | grep -q 'ALERT' && fail "[tenant zbad] thresholds should silence its alerts"
echo "ok - alerts"
