#!/bin/sh
# StatefulSets in the overview: a KIND column, the set's row with kubectl's
# READY and its rollout, its pods under it by ordinal, and a canary by
# partition (the statefulset-canary scenario: partition 3, 2, then 0) that
# reads complete at each partition, with where the partition stands.
. "$TOP_SRCDIR/tests/tui/lib.sh"
start_sim statefulset-canary --speed 3
start_ui 120 36 -- -A
wait_for '^  NAMESPACE +KIND +NAME +STRATEGY +READY +UP-TO-DATE +AVAILABLE +AGE +ROLLOUT'
wait_for 'default +StatefulSet +db +Rolling +4/4 +4 +4 .* complete *$' 60
wait_for 'default +Pod +. db-3 +1/1 +ready'
# The pods follow their set, by ordinal.
set_line=$(grep -En 'StatefulSet +db ' "$work/screen" | cut -d: -f1)
prev=$set_line
for i in 0 1 2 3; do
	line=$(grep -En "Pod +. db-$i " "$work/screen" | cut -d: -f1)
	[ -n "$line" ] && [ "$line" -eq $((prev + 1)) ] ||
		{ echo "FAIL: db-$i is not under its set in order:"; cat "$work/screen"; exit 1; }
	prev=$line
done
# The canary: db-3 on the new revision, complete at partition 3 as kubectl says.
wait_for 'StatefulSet +db +Rolling +4/4 +1 +4 .* complete +partition 3 *$' 60
wait_for 'StatefulSet +db +Rolling +4/4 +2 +4 .* complete +partition 2 *$' 60
# Then every pod.
wait_for 'StatefulSet +db +Rolling +4/4 +4 +4 .* complete *$' 90

# The filter keeps the set for a pod of it that matches.
keys / d b - 2 Enter
wait_gone 'db-1 '
wait_for 'StatefulSet +db '
wait_for 'Pod +. db-2 '
keys Escape
wait_for 'db-1 '
keys q
wait_for '^EXITED 0$'
tm kill-session -t t

# Low bandwidth: the same rows with kubectl's short kind names.
start_ui 100 30 -- -A --low-bandwidth
wait_for '^  NAMESPACE +KIND +NAME +RESTARTS +READY +STATUS'
wait_for '^. default +sts +db +4/4 +complete'
wait_for '^ +pod +db-0 +1/1 +ready'
keys q
wait_for '^EXITED 0$'
pass workloads
