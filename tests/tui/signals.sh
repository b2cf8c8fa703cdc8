#!/bin/sh
# SIGTERM and SIGHUP end podscope at once with the terminal restored (an SSH
# session that drops must not leave it running); a crash (SIGABRT here)
# gives the terminal back before dying of its signal.
. "$TOP_SRCDIR/tests/tui/lib.sh"
start_sim "$FIXTURES/overview.yaml"
for sig in TERM HUP ABRT; do
	start_ui 100 30 -- -A
	wait_for 'debug-shell .*ready'
	pid=$(ui_pid)
	[ -n "$pid" ] || { echo "FAIL: cannot find podscope's pid"; exit 1; }
	kill -"$sig" "$pid"
	wait_for '^EXITED (129|134|143)$'
	if screen | grep -q 'ROLLOUT'; then
		echo "FAIL: the terminal was not restored after SIG$sig"; screen; exit 1
	fi
	tm kill-session -t t
done
pass signals
