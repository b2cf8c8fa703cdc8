#!/bin/sh
# SIGTERM and SIGHUP end podscope at once with the terminal restored (an SSH
# session that drops must not leave it running).
. "$TOP_SRCDIR/tests/tui/lib.sh"
start_sim "$FIXTURES/overview.yaml"
for sig in TERM HUP; do
	start_ui 100 30 -- -A
	wait_for 'debug-shell .*ready'
	pid=$(ui_pid)
	[ -n "$pid" ] || { echo "FAIL: cannot find podscope's pid"; exit 1; }
	kill -"$sig" "$pid"
	wait_for '^EXITED (0|129|143)$'
	if screen | grep -q 'ROLLOUT'; then
		echo "FAIL: the terminal was not restored after SIG$sig"; screen; exit 1
	fi
	tm kill-session -t t
done
pass signals
