#!/bin/sh
# The API server's clock 5 minutes ahead (podscope-sim --clock-skew 5m):
# the status line says "server clock +5m0s", and a crash-looping pod's
# back-off counts down from the server's clock (at most the back-off, in
# seconds, not five minutes more); the wallboard shows the clock too.
# Then 5 minutes behind: "-5m0s" and a countdown still running.
. "$TOP_SRCDIR/tests/tui/lib.sh"
start_sim "$FIXTURES/overview.yaml" --clock-skew 5m
start_ui 100 50 -- -A
wait_for 'server clock \+(4m59s|5m0s|5m1s)' 20
wait_for 'pod +[^ ]+ crasher +0/1 +CrashLoop [0-9]+s' 60
keys / c r a s h Enter
wait_gone 'debug-shell'
keys j Enter
wait_for 'pod/crasher +CrashLoopBackOff'
# The first back-offs are 10 s, 20 s, 40 s: a countdown in seconds, never
# minutes (the uncorrected clock would add the five minutes).
wait_for 'restart in [0-9]{1,2}s' 30
if screen | grep -Eq 'restart in [0-9]+m'; then
	echo "FAIL: the back-off counts down from the wrong clock:"
	screen
	exit 1
fi
keys q
wait_for '^EXITED 0$'
tm kill-session -t t
start_ui 100 30 -- --wallboard
wait_for 'server clock \+(4m59s|5m0s|5m1s)' 20
keys q
wait_for '^EXITED 0$'
tm kill-session -t t

# Five minutes behind: "-5m0s", and the countdown is not already over
# (the uncorrected clock would be five minutes past it).
kill "$sim_pid" && wait "$sim_pid" 2>/dev/null
rm -f "$work/kc"
start_sim "$FIXTURES/overview.yaml" --clock-skew -5m
start_ui 100 50 -- -A
wait_for 'server clock -(4m59s|5m0s|5m1s)' 20
wait_for 'pod +[^ ]+ crasher +0/1 +CrashLoop [0-9]+s' 60
keys / c r a s h Enter
wait_gone 'debug-shell'
keys j Enter
wait_for 'pod/crasher +CrashLoopBackOff'
wait_for 'restart in [1-9][0-9]?s' 30
keys q
wait_for '^EXITED 0$'
pass clockskew
