#!/bin/sh
# A StatefulSet's rollout view (statefulset-canary: a canary by partition,
# 3 then 2, then the full rollout): the ordinals as a ladder, the partition
# line across it where it cuts it, both revisions on screen while the
# canary holds, and the line gone once every ordinal is updated; L, the
# pods' merged log.
. "$TOP_SRCDIR/tests/tui/lib.sh"
start_sim statefulset-canary --speed 3
start_ui 120 30 -- -A
wait_for 'StatefulSet +db +Rolling'
keys / d b Enter
wait_for 'StatefulSet +db '
keys Enter
wait_for '^ sts/db +RollingUpdate'
wait_for '^ +ORD +POD +REVISION +READY +STATUS +RESTARTS +AGE'
# Every ordinal, in order, on the ladder.
for i in 0 1 2 3; do
	wait_for "^ . +$i +db-$i +. [0-9]+ [a-z0-9]+ +[0-9]/[0-9] "
done
# The canary: the partition line between ordinals 2 and 3, the current
# revision above it, the update revision below it.
wait_for 'partition 3: ordinals >= 3 take the update revision' 60
wait_for '^ . +3 +db-3 +◆ 2 '
screen >"$work/screen"
line=$(grep -n 'partition 3: ordinals' "$work/screen" | cut -d: -f1)
for i in 0 1 2; do
	l=$(grep -En "^ . +$i +db-$i +◇ 1 " "$work/screen" | cut -d: -f1)
	[ -n "$l" ] && [ "$l" -lt "$line" ] ||
		{ echo "FAIL: db-$i is not on the current revision above the line:"; cat "$work/screen"; exit 1; }
done
l=$(grep -En '^ . +3 +db-3 +◆ 2 ' "$work/screen" | cut -d: -f1)
[ "$l" -eq $((line + 1)) ] ||
	{ echo "FAIL: the line is not right above db-3:"; cat "$work/screen"; exit 1; }
grep -Eq '^ currentRevision ◇ 1 [a-z0-9]+ +updateRevision ◆ 2 ' "$work/screen" ||
	{ echo "FAIL: no revisions in the header:"; cat "$work/screen"; exit 1; }
# The partition lowered: db-2 is replaced now, and the line moves up one ordinal.
wait_for '^ . +2 +db-2 .* being replaced *$' 60
wait_for 'partition 2: ordinals >= 2 take the update revision' 60
wait_for '^ . +2 +db-2 +◆ 2 ' 60
# The full rollout: the line is gone and every ordinal runs revision 2.
wait_gone 'partition [0-9]+: ordinals' 90
for i in 0 1 2 3; do
	wait_for "^ . +$i +db-$i +◆ 2 [a-z0-9]+ +1/1 +Running" 60
done
wait_for 'partitioned roll out complete: 4 new pods have been updated' 60
# Enter opens the selected ordinal's pod; Esc comes back to the ladder.
keys Down Enter
wait_for 'db-1'
wait_gone '^ +ORD +POD +REVISION'
keys Escape
wait_for '^ +ORD +POD +REVISION'
# L: the pods' logs merged below the ladder, each line tagged with its
# pod's whole name; v: only the update revision's pods (all of them now).
keys L
wait_for '^ LOGS new\+old: 4 pods'
wait_for '^ db-[0-3] .*(notice|GET /)'
keys v
wait_for '^ LOGS new: 4 pods'
keys Escape
wait_gone '^ LOGS '
wait_for '^ +ORD +POD +REVISION'
keys q
wait_for '^EXITED 0$'
tm kill-session -t t

# ASCII: the revision marks survive it ('o' current, '+' update).
# Low bandwidth: the selection as a cursor, no filled bar.
start_ui 100 30 -- -A --ascii --low-bandwidth
wait_for 'sts +db '
keys / d b Enter
wait_for 'sts +db '
keys Enter
wait_for '^ currentRevision o [0-9]+ [a-z0-9]+ +updateRevision \+ [0-9]+ '
wait_for '^ . +3 +db-3 +\+ [0-9]+ [a-z0-9]+ +1/1'
wait_for '^>. +0 +db-0 '
# A smaller terminal: the ladder is drawn again within it.
tm resize-window -t t -x 80 -y 20
wait_for '^ +ORD +POD +REVISION +READY +STATUS'
wait_for '^ . +3 +db-3 +\+ [0-9]+ [a-z0-9]+ +1/1'
# The help screen tells what the keys do here.
keys '?'
wait_for 'Keys .* closes'
keys End
wait_for 'StatefulSet rollout: .* ordinals, Enter the pod; the line: partition *$'
keys Escape
wait_for '^ +ORD +POD +REVISION'
# The set's actions work from its view: the partition set here is drawn on the ladder.
keys t
wait_for 'partition of sts/db \(now 0, 4 replicas\) to N'
keys 2 Enter
wait_for 'Confirm partition on sts/db'
keys y
wait_for 'statefulset.apps/db patched'
wait_for 'partition 2: ordinals >= 2 take'
keys q
wait_for '^EXITED 0$'
pass rollout_sts
