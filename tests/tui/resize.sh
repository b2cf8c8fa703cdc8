#!/bin/sh
# Resize down below the minimum ("too small"), then up again: the screen is
# whole again. 80x24 is usable.
. "$TOP_SRCDIR/tests/tui/lib.sh"
start_sim "$FIXTURES/overview.yaml"
start_ui 100 30 -- -A
wait_for 'debug-shell .*ready'
tm resize-window -t t -x 50 -y 12
wait_for 'terminal too small: 50x12'
tm resize-window -t t -x 80 -y 24
# 80 columns leave no room for KIND.
wait_for '^  NAMESPACE +NAME +STRATEGY +READY +UP-TO-DATE +AVAILABLE +AGE +ROLLOUT'
wait_gone 'too small'
wait_for 'web +Rolling +3/3'
wait_for '\? help +q quit *$'
tm resize-window -t t -x 120 -y 40
wait_for 'debug-shell .*ready'
# The status bar moved to the new last line.
[ "$(screen | sed -n '40p' | grep -c 'q quit')" -eq 1 ] ||
	{ echo "FAIL: the status line is not on line 40 after growing:"; screen; exit 1; }
keys q
wait_for '^EXITED 0$'
pass resize
