#!/bin/sh
# A crash-looping pod shows CrashLoopBackOff and counts down to its next
# restart, in the overview and in the pod view (with its exit code).
. "$TOP_SRCDIR/tests/tui/lib.sh"
start_sim "$FIXTURES/overview.yaml"
start_ui 100 30 -- -A
wait_for 'pod +[^ ]+ crasher +0/1 +CrashLoop [0-9]+s' 40
keys / c r a s h Enter
wait_gone 'debug-shell'
keys j Enter
wait_for 'pod/crasher +CrashLoopBackOff'
wait_for 'Waiting: CrashLoopBackOff +\(last: Error, exit code 1\)'
wait_for 'CrashLoop [0-9]+s: container app: exited with code 1'
wait_for 'restart in [0-9]+s'
wait_for 'BackOff +.*Back-off restarting failed container app'
keys q
wait_for '^EXITED 0$'
pass crashloop
