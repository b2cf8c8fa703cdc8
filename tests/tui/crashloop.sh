#!/bin/sh
# A crash-looping pod shows CrashLoopBackOff and counts down to its next
# restart, in the overview and in the pod view (with its exit code); the
# pod view's timeline draws each earlier run and the back-off after it.
. "$TOP_SRCDIR/tests/tui/lib.sh"
start_sim "$FIXTURES/overview.yaml" --speed 4
start_ui 100 50 -- -A
wait_for 'pod +[^ ]+ crasher +0/1 +CrashLoop [0-9]+s' 40
keys / c r a s h Enter
wait_gone 'debug-shell'
keys j Enter
wait_for 'pod/crasher +CrashLoopBackOff'
wait_for 'Waiting: CrashLoopBackOff +\(last: Error, exit code 1\)'
wait_for 'CrashLoop [0-9]+s: container app: exited with code 1'
wait_for 'restart in [0-9]+s'
wait_for 'BackOff +.*Back-off restarting failed container app'
# Two runs seen by this dashboard, each its own bar, numbered as the
# kubelet counts restarts.
wait_for 'run [0-9]+ app exit 1 Error' 60
wait_for 'back-off app' 5
deadline=$(($(now) + 60))
until [ "$(screen | grep -cE 'run [0-9]+ app exit 1 Error')" -ge 2 ]; do
	if [ "$(now)" -ge "$deadline" ]; then
		echo "FAIL: not two runs on the timeline; the screen:"
		screen
		exit 1
	fi
	sleep 0.1
done
keys q
wait_for '^EXITED 0$'
pass crashloop
