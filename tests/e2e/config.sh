#!/bin/sh
# The settings file: ${XDG_CONFIG_HOME}/pooltop/config says where the
# server is, the Floor view's sort and the theme; flags override it;
# --print-config shows the result; a user theme is found by name; a
# wrong line is refused with FILE:LINE.
set -u
. tests/e2e/lib.sh

start_server --scenario "$SRC/tests/data/scenarios/itest.ini" --speed 60 --start 10:00
CFG="$WORK/xdg"
mkdir -p "$CFG/pooltop/themes"
cat >"$CFG/pooltop/config" <<INI
; written by tests/e2e/config.sh
[server]
events = $EVENTS
requests = $REQUESTS

[display]
theme = mine
sort = -tenant
refresh = 250
INI
# The user's own theme, found by name in ~/.config/pooltop/themes.
printf 'name = mine\nmono = yes\n' >"$CFG/pooltop/themes/mine.theme"

has_colour() {
	tmux -L "$TMUX_SOCK" capture-pane -e -p -t e2e | grep -Eq '\[(([0-9;]*;)?(3[0-7]|4[0-7]|9[0-7]|10[0-7]|38;5;[0-9]+|48;5;[0-9]+))(;[0-9;]*)?m'
}

# pooltop with only the settings file (and any flags given here).
run_dashboard() {
	tmux -L "$TMUX_SOCK" -f /dev/null new-session -d -s e2e -x 100 -y 30 \
		"env XDG_CONFIG_HOME=$CFG LANG=C.UTF-8 TERM=xterm-256color $BIN/pooltop $* 2>$WORK/tui.err; echo \$? >$WORK/exit; sleep 30"
	PANE_SHOWN=1
}

# The file's endpoints reach the server; its sort puts tenants Z..A.
run_dashboard
wait_for '^ LIVE '
wait_for 'Dedicated Co'
order=$(screen | grep -Eo 'Shared Ltd|Hybrid|Dedicated Co' | tr '\n' ' ')
[ "$order" = "Shared Ltd Hybrid Dedicated Co " ] || fail "sort = -tenant should list Z..A, got: $order"
has_colour && fail "theme = mine (mono = yes, from the user's themes) must not paint colours"
tmux -L "$TMUX_SOCK" kill-server 2>/dev/null
sleep 0.3

# A flag overrides the file: --theme paints colours again.
run_dashboard --theme high-contrast
wait_for 'Dedicated Co'
has_colour || fail "--theme high-contrast should override the file's theme"
tmux -L "$TMUX_SOCK" kill-server 2>/dev/null

# --print-config: the file's values, a flag's over them.
out=$(XDG_CONFIG_HOME=$CFG "$BIN/pooltop" --print-config --refresh 300)
[ $? = 0 ] || fail "--print-config should exit 0"
echo "$out" | grep -qx "events = $EVENTS" || fail "--print-config should show the file's events: $out"
echo "$out" | grep -qx 'refresh = 300' || fail "--refresh 300 should override refresh = 250: $out"
echo "$out" | grep -qx 'sort = -tenant' || fail "--print-config should show sort = -tenant: $out"
echo "$out" | grep -q "file: $CFG/pooltop/config" || fail "--print-config should name the file: $out"
# What it prints reads back as the same settings.
echo "$out" >"$WORK/again"
again=$(XDG_CONFIG_HOME=/nonexistent "$BIN/pooltop" --config "$WORK/again" --print-config --refresh 300 | grep -v '^# file:')
[ "$again" = "$(echo "$out" | grep -v '^# file:')" ] || fail "--print-config's output should read back the same"

# A wrong line: refused, with the file and line.
printf '[display]\nrefresh = 250\nrefresh = fast\n' >"$CFG/pooltop/config"
out=$(XDG_CONFIG_HOME=$CFG "$BIN/pooltop" </dev/null 2>&1)
status=$?
[ "$status" = 2 ] || fail "a bad settings file should exit 2, got $status"
echo "$out" | grep -q "pooltop/config:3: refresh must be" || fail "the error should name file:line: $out"
echo "ok - config file"
