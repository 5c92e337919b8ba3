#!/bin/sh
# Colours: NO_COLOR means no colour escapes at all (attributes only); the
# high-contrast theme paints colours; an unknown theme is an error that
# names it; the ASCII fallback when the locale is not UTF-8.
set -u
. tests/e2e/lib.sh

start_server --scenario "$SRC/tests/data/scenarios/itest.ini" --speed 60 --start 10:00

# capture-pane -e keeps the SGR sequences: foreground/background colours
# are 3x/4x/9x/10x or 38;5/48;5.
has_colour() {
	tmux -L "$TMUX_SOCK" capture-pane -e -p -t e2e | grep -Eq '\[(([0-9;]*;)?(3[0-7]|4[0-7]|9[0-7]|10[0-7]|38;5;[0-9]+|48;5;[0-9]+))(;[0-9;]*)?m'
}

tmux -L "$TMUX_SOCK" -f /dev/null new-session -d -s e2e -x 100 -y 30 \
	"env NO_COLOR=1 LANG=C.UTF-8 TERM=xterm-256color $BIN/pooltop --events $EVENTS --requests $REQUESTS; sleep 30"
wait_for 'Dedicated Co'
wait_for '^ LIVE '
has_colour && fail "NO_COLOR must not paint colours"
tmux -L "$TMUX_SOCK" kill-server 2>/dev/null
sleep 0.3

tmux -L "$TMUX_SOCK" -f /dev/null new-session -d -s e2e -x 100 -y 30 \
	"env LANG=C.UTF-8 TERM=xterm-256color $BIN/pooltop --theme high-contrast --events $EVENTS --requests $REQUESTS; sleep 30"
wait_for 'Dedicated Co'
has_colour || fail "the high-contrast theme should paint colours"
tmux -L "$TMUX_SOCK" kill-server 2>/dev/null
sleep 0.3

# Not UTF-8: no block glyphs, and the name with a non-ASCII letter comes
# out as ASCII with the columns still straight: "Hybrid Ä.G." spelled
# "Hybrid A.G." (translit), not "Hybrid ?.G.", and not one byte of UTF-8
# reaches the screen, on the Floor or the wallboard.
no_utf8() {
	screen | LC_ALL=C grep -q "$(printf '[\200-\377]')" && fail "$1: raw UTF-8 on a C-locale screen"
	screen | grep -q '█' && fail "$1: the ASCII fallback must not draw block glyphs"
}
tmux -L "$TMUX_SOCK" -f /dev/null new-session -d -s e2e -x 100 -y 30 \
	"env LANG=C LC_ALL=C TERM=xterm $BIN/pooltop --events $EVENTS --requests $REQUESTS; sleep 30"
wait_for 'Dedicated Co'
wait_for 'Hybrid A\.G\.'
screen | grep -q 'Hybrid ?' && fail "a Latin letter with a diacritic should lose it, not become '?'"
no_utf8 Floor
tmux -L "$TMUX_SOCK" kill-server 2>/dev/null
sleep 0.3
tmux -L "$TMUX_SOCK" -f /dev/null new-session -d -s e2e -x 100 -y 30 \
	"env LANG=C LC_ALL=C TERM=xterm $BIN/pooltop --wallboard --events $EVENTS --requests $REQUESTS; sleep 30"
wait_for 'Hybrid A\.G\.' 15
no_utf8 wallboard
tmux -L "$TMUX_SOCK" kill-server 2>/dev/null

# The report's text in that locale: the same spelling; CSV stays UTF-8.
out=$(env LANG=C LC_ALL=C "$BIN/pooltop" report --requests "$REQUESTS" 2>&1) || fail "report failed: $out"
echo "$out" | grep -q '^Hybrid A\.G\. ' || fail "the report under LANG=C should spell Hybrid A.G.: $out"
echo "$out" | LC_ALL=C grep -q "$(printf '[\200-\377]')" && fail "raw UTF-8 in the LANG=C report: $out"
out=$(env LANG=C LC_ALL=C "$BIN/pooltop" report --format csv --columns full --requests "$REQUESTS" 2>&1) || fail "report failed: $out"
echo "$out" | grep -q 'Hybrid Ä\.G\.' || fail "CSV should keep the name as it is: $out"

out=$("$BIN/pooltop" --theme no-such-theme --events "$EVENTS" --requests "$REQUESTS" 2>&1 </dev/null)
status=$?
[ "$status" = 2 ] || fail "an unknown theme should exit 2, got $status"
echo "$out" | grep -q "no-such-theme" || fail "the error should name the theme: $out"
echo "ok - themes"
