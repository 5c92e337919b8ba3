#!/bin/sh
# make install PREFIX=...: the installed programs carry the install
# prefix, the checkout's bin/ is not rebuilt with it, and every file a man
# page names is installed (docs under share/doc/pooltop).
set -u
cd "$(dirname "$0")/../.." || exit 1
work=$(mktemp -d /tmp/pooltop-install.XXXXXX)
trap 'rm -rf "$work"' EXIT INT TERM
fail() { echo "FAIL: $*" >&2; exit 1; }

# The checkout's own build is what must not change; a sanitized check
# (build-san/bin) may have none.
if [ ! -x bin/pooltop ] || [ ! -x bin/pooltopd ]; then
	echo "ok - make install (skipped: no bin/ in this checkout)"
	exit 0
fi
before=$(cksum bin/pooltop bin/pooltopd)
prefix="$work/prefix"
make --no-print-directory -s install PREFIX="$prefix" >"$work/log" 2>&1 || { cat "$work/log" >&2; fail "make install failed"; }
[ "$(cksum bin/pooltop bin/pooltopd)" = "$before" ] || fail "make install rebuilt the checkout's bin/"
grep -q "$prefix/share/pooltop" "$prefix/bin/pooltop" || fail "the installed pooltop lacks its prefix"
grep -q "$prefix/share/pooltop" "$prefix/bin/pooltopd" || fail "the installed pooltopd lacks its prefix"
grep -q "$prefix/share/pooltop" bin/pooltop && fail "the checkout's pooltop has the install prefix"
# The installed server finds its installed scenario from anywhere.
(cd "$work" && "$prefix/bin/pooltopd" --help >/dev/null) || fail "installed pooltopd --help"
for f in share/man/man1/pooltop.1 share/man/man8/pooltopd.8 share/pooltop/scenarios/demo.ini \
         share/pooltop/themes/light.theme share/doc/pooltop/ARGUMENTS.md share/doc/pooltop/PROTOCOL.md \
         share/doc/pooltop/scenarios.md share/doc/pooltop/themes.md share/doc/pooltop/README.md; do
	[ -f "$prefix/$f" ] || fail "not installed: $f"
done
# Every share/doc path the man pages name is installed.
for p in $(grep -ho 'share/doc/pooltop/[A-Za-z.]*' man/pooltop.1 man/pooltopd.8 | sort -u); do
	[ -f "$prefix/$p" ] || fail "a man page names $p, which is not installed"
done
echo "ok - make install"
