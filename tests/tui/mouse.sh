#!/bin/sh
# The mouse: a press selects a row, a second press on it opens it, the
# wheel moves the selection. (X10 mouse reports, as the terminal sends them.)
. "$TOP_SRCDIR/tests/tui/lib.sh"
start_sim "$FIXTURES/overview.yaml"
start_ui 100 30 -- -A
wait_for 'default +deploy +web +Rolling +3/3 +3 +3 .* complete'
wait_for 'debug-shell .*ready'
wait_for 'crasher .*CrashLoop'
# ESC [ M, then button, column and row, each plus 32 (1-based).
report() { printf '\033[M%b%b%b' "\\0$(printf %o $((32 + $1)))" \
	"\\0$(printf %o $((33 + $2)))" "\\0$(printf %o $((33 + $3)))"; }
mouse() { keys -l "$(report "$@")"; }
row=$(grep -n ' web ' "$work/screen" | cut -d: -f1)
click() { mouse 0 "$1" "$2"; mouse 3 "$1" "$2"; }
# The first report after start-up is sometimes lost under sanitizers; a
# person clicks again, and so does the test (the selection is what counts).
tries=0
while :; do
	click 20 $((row - 1))
	deadline=$(($(now) + 3))
	while [ "$(now)" -lt "$deadline" ] && ! screen | grep -Eq '^▶ default +deploy +web '; do
		sleep 0.1
	done
	screen | grep -Eq '^▶ default +deploy +web ' && break
	tries=$((tries + 1))
	[ "$tries" -lt 3 ] || { echo "FAIL: a click does not select:"; screen; exit 1; }
done
# A double click (two within 0.4 s, sent at once) opens it.
y=$((row - 1))
keys -l "$(report 0 20 $y)$(report 3 20 $y)$(report 0 20 $y)$(report 3 20 $y)"
wait_for 'deploy/web +RollingUpdate'
keys Escape
wait_for '^▶ default +deploy +web '
# The wheel down moves three rows.
mouse 65 20 5
wait_for '^▶ .*debug-shell|^▶ .*crasher'
keys q
wait_for '^EXITED 0$'
pass mouse
