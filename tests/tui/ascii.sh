#!/bin/sh
# NO_COLOR means no colour at all; --ascii and a non-UTF-8 locale mean
# ASCII only on the screen.
. "$TOP_SRCDIR/tests/tui/lib.sh"
start_sim "$FIXTURES/overview.yaml"

# With colour (the default) the screen has colour escapes; with NO_COLOR none.
start_ui 100 30 -- -A
wait_for 'debug-shell .*ready'
tm capture-pane -p -e -t t >"$work/colour"
grep -Eq '\[([0-9;]*;)?(3[0-7]|38;5;[0-9]+|9[0-7])m' "$work/colour" ||
	{ echo "FAIL: no colour escapes by default"; exit 1; }
grep -q '●' "$work/colour" || { echo "FAIL: no UTF-8 glyphs in a UTF-8 locale"; exit 1; }
keys q
wait_for '^EXITED 0$'
tm kill-session -t t

start_ui 100 30 NO_COLOR=1 -- -A
wait_for 'debug-shell .*ready'
tm capture-pane -p -e -t t >"$work/mono"
if grep -Eq '\[([0-9;]*;)?(3[0-7]|4[0-7]|38;5;[0-9]+|48;5;[0-9]+|9[0-7])m' "$work/mono"; then
	echo "FAIL: NO_COLOR still gave colour escapes:"; cat -v "$work/mono" | head; exit 1
fi
# The selection is still visible (reverse video).
grep -q '\[7m' "$work/mono" || grep -q '\[[0-9;]*;7m' "$work/mono" ||
	{ echo "FAIL: no reverse video for the selection without colour"; exit 1; }
keys q
wait_for '^EXITED 0$'
tm kill-session -t t

for how in "--ascii" "LC_ALL=C"; do
	if [ "$how" = "--ascii" ]; then
		start_ui 100 30 -- -A --ascii
	else
		start_ui 100 30 LC_ALL=C LANG=C -- -A
	fi
	wait_for 'debug-shell .*ready'
	wait_for 'crasher .*CrashLoop'
	screen >"$work/ascii"
	if LC_ALL=C grep -q '[^ -~]' "$work/ascii"; then
		echo "FAIL: non-ASCII on the screen with $how:"; cat "$work/ascii"; exit 1
	fi
	grep -Eq '^> ' "$work/ascii" || { echo "FAIL: no ASCII cursor with $how"; exit 1; }
	grep -Eq '\* debug-shell' "$work/ascii" || { echo "FAIL: no ASCII ready glyph with $how"; exit 1; }
	keys q
	wait_for '^EXITED 0$'
	tm kill-session -t t
done
pass ascii
