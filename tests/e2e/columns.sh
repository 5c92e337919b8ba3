#!/bin/sh
# Columns at 80x24 and 200x60 (issue 15): ids typed into :move are never
# shown cut (checked against the server's own ids), a wide screen gives
# the Offered/15m sparkline more quarter hours rather than a name more
# blanks, and Oldest turns red past the tenant's SL seconds, in colour and
# (bold + underline) without it.
set -u
. tests/e2e/lib.sh
need_ptq

# sgr_at LINE_RE FIG_RE: the SGR parameters in force at the first match of
# FIG_RE on the first screen line matching LINE_RE (colours kept), e.g.
# "1 31" for bold red.
sgr_at() {
	tmux -L "$TMUX_SOCK" capture-pane -e -p -t e2e | python3 -c '
import re, sys
line_re, fig_re = re.compile(sys.argv[1]), re.compile(sys.argv[2])
for raw in sys.stdin.read().split("\n"):
    chars, state, pos = [], [], 0
    for m in re.finditer(r"\x1b\[([0-9;]*)m|(.)", raw, re.S):
        if m.group(2) is not None:
            chars.append((m.group(2), tuple(state)))
            continue
        ps = m.group(1).split(";")
        i = 0
        while i < len(ps):
            p = ps[i]
            if p in ("", "0"):
                state = []
            elif p in ("38", "48") and i + 2 < len(ps):
                state.append(";".join(ps[i:i + 3])); i += 2
            else:
                state.append(p)
            i += 1
    text = "".join(c for c, _ in chars)
    if not line_re.search(text):
        continue
    f = fig_re.search(text)
    if f:
        print(" ".join(chars[f.start()][1]))
    break
' "$1" "$2"
}

# ids_whole VIEW_KEY: every id the server has, pool or agent, that the
# view shows in its first column is shown whole.
start_server --scenario "$SRC/scenarios/demo.ini" --speed 60 --start 10:00
wait_ping
"$PTQ" "$REQUESTS" snapshot-agents >"$WORK/agents"
awk '{ print $1 }' "$WORK/agents" | sort -u >"$WORK/agent-ids"
awk '{ print $2 }' "$WORK/agents" | sort -u >"$WORK/pool-ids"
grep -qx 'ded-northwind' "$WORK/pool-ids" || fail "demo.ini should have pool ded-northwind"
grep -qx 'lead-late' "$WORK/agent-ids" || fail "demo.ini should have agent lead-late"

for size in "80 24" "200 60"; do
	set -- $size
	start_dashboard "$1" "$2"
	wait_for '^ LIVE ' 15
	# Pools: every pool id from the server, whole, at the start of a row
	keys 3
	wait_for '^Pool +Kind'
	while read -r p; do
		screen | grep -q -- "^$p " || fail "$1x$2: pool $p not shown whole on Pools"
	done <"$WORK/pool-ids"
	screen | grep -q '^[^ ]*…' && fail "$1x$2: a cut id on Pools"
	# Agents, offline ones too: every first-column word is a whole id
	keys 2
	wait_for '^ID'
	keys o
	wait_for 'showing offline agents'
	# rows: below the header, above the message and status lines
	screen | head -n $(($2 - 2)) | awk 'NR > 2 && NF { print $1 }' >"$WORK/shown"
	[ -s "$WORK/shown" ] || fail "$1x$2: no agent rows"
	while read -r id; do
		grep -qx -- "$id" "$WORK/agent-ids" || fail "$1x$2: '$id' on Agents is no agent id"
	done <"$WORK/shown"
	# the longest ids, found by a filter
	keys / lead- Enter
	wait_for '^lead-late +'
	wait_for '^lead-night +'
	wait_for '^lead-early +'
	keys /
	keys C-u ded-northwind Enter
	wait_for '^a[0-9]+ .* ded-northwind '
	tmux -L "$TMUX_SOCK" kill-server 2>/dev/null
	sleep 0.3
done
kill_server

# A breached tenant at 1800x: Zed Overload's queue builds far past its
# 20 s, and quarter hours go by every half second.
start_server --scenario "$SRC/tests/data/scenarios/wall.ini" --speed 1800 --start 01:00
start_dashboard 200 60
wait_for '^ LIVE ' 15
wait_for '^! Zed Overload +ded +[0-9]+ +[0-9]+:[0-9]{2} ' 20
keys G      # the cursor's row is drawn as the cursor: keep it off Zed's
sleep 0.3
# Oldest, and the longest wait on the floor line, in the crit role
# (bold red) and Wait in its own amber: three different looks.
oldest=$(sgr_at 'Zed Overload' '[0-9]+:[0-9]{2}')
echo "$oldest" | grep -Eq '(^| )31( |$)' || fail "Oldest past the SL seconds should be red, SGR '$oldest'"
longest=$(sgr_at 'longest' '[0-9]+:[0-9]{2}')
echo "$longest" | grep -Eq '(^| )31( |$)' || fail "the floor line's longest wait should be red, SGR '$longest'"
# A calm tenant's Oldest is plain.
calm=$(sgr_at '^Alpha Calm' ' - ')
echo "$calm" | grep -Eq '(^| )31( |$)' && fail "a calm tenant's Oldest should not be red, SGR '$calm'"

# Sparkline: more than 12 quarter hours at 200 columns...
i=0
while :; do
	spark=$(screen | grep '^! Zed Overload' | grep -o '[▁▂▃▄▅▆▇█]' | wc -l)
	[ "$spark" -gt 12 ] && break
	i=$((i + 1))
	[ "$i" -lt 100 ] || fail "the sparkline never showed more than 12 quarter hours at 200 columns ($spark)"
	sleep 0.2
done
# ...and the name does not stretch: Mdl starts within 34 columns.
hdr=$(screen | grep '^Tenant ')
mdl=$(printf '%s' "$hdr" | awk '{ print index($0, "Mdl") }')
[ "$mdl" -le 34 ] || fail "the Tenant column should stop at 32 columns (Mdl at $mdl)"
# ...and 12 at 100, where the name takes what is spare first.
resize 100 30
sleep 1
spark=$(screen | grep '^! Zed Overload' | grep -o '[▁▂▃▄▅▆▇█]' | wc -l)
[ "$spark" -le 12 ] || fail "at 100 columns the sparkline is 12 wide, not $spark"
[ "$spark" -ge 6 ] || fail "at 100 columns the sparkline should still show the load ($spark)"
tmux -L "$TMUX_SOCK" kill-server 2>/dev/null
sleep 0.3

# Without colour, Oldest past the SL seconds is bold and underlined.
tmux -L "$TMUX_SOCK" -f /dev/null new-session -d -s e2e -x 200 -y 60 \
	"env NO_COLOR=1 LANG=C.UTF-8 TERM=xterm-256color $BIN/pooltop --events $EVENTS --requests $REQUESTS; sleep 30"
wait_for '^ LIVE ' 15
wait_for 'Zed Overload +ded +[0-9]+ +[0-9]+:[0-9]{2} ' 20
keys G
sleep 0.3
oldest=$(sgr_at 'Zed Overload' '[0-9]+:[0-9]{2}')
echo "$oldest" | grep -Eq '(^| )4( |$)' || fail "without colour Oldest past the SL seconds should be underlined, SGR '$oldest'"
echo "$oldest" | grep -Eq '(^| )1( |$)' || fail "without colour Oldest past the SL seconds should be bold, SGR '$oldest'"
echo "ok - columns"
