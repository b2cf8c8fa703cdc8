#!/bin/sh
# A StatefulSet canary driven from the keyboard, on the objects of the
# statefulset-canary scenario (its StatefulSet, without its scripted steps):
# the partition typed (t), a restart that makes a new revision no pod takes,
# the partition lowered by one (<) so that only db-3 takes it, then undo (u)
# with the template's difference in the dialog. Pause is refused before any
# request; each change is one PATCH in the simulator's request log and one
# line of the audit log; read-only sends nothing.
. "$TOP_SRCDIR/tests/tui/lib.sh"
# The scenario's objects: every document before its Scenario.
awk '/^kind: Scenario/ { exit } { print }' "$TOP_SRCDIR/doc/scenarios/statefulset-canary.yaml" |
	sed '$d' >"$work/canary.yaml"
grep -q '^kind: StatefulSet' "$work/canary.yaml" || { echo "FAIL: no StatefulSet in the scenario"; exit 1; }
start_sim "$work/canary.yaml" --speed 3 --request-log "$work/req.log"
export XDG_STATE_HOME="$work/state"

# sts JSONKEY: a field of the StatefulSet, as podscope get reads it.
sts() {
	"$PODSCOPE" --kubeconfig "$work/kc" get sts/db -o json |
		sed -n "s/.*\"$1\":\\([^,}]*\\).*/\\1/p" | head -n 1 | tr -d '"'
}
patches() { grep -c ' PATCH ' "$work/req.log" || true; }

start_ui 120 40
wait_for 'StatefulSet +db +Rolling +4/4 +4 +4 .* complete *$' 60

# The partition, typed: beyond the replicas is refused in the prompt.
keys t
wait_for 'partition of sts/db \(now 0, 4 replicas\) to N, \+N or -N:'
keys 5
wait_for 'refused: the partition cannot go beyond the replicas'
keys BSpace 4
wait_for '-> partition 4: ordinals 4 and up updated'
keys Enter
wait_for 'Confirm partition on sts/db \(namespace default\)'
wait_for 'set the partition of sts/db from 0 to 4'
wait_for 'PATCH /apis/apps/v1/namespaces/default/statefulsets/db\?fieldManager=podscope'
wait_for '\{"spec":\{"updateStrategy":\{"rollingUpdate":\{"partition":4\}\}\}\}'
keys y
wait_for 'statefulset.apps/db patched'
[ "$(sts partition)" = 4 ] || { echo "FAIL: partition $(sts partition), not 4"; exit 1; }

# A new revision that no pod takes at partition 4.
keys r
wait_for 'Confirm restart on sts/db'
keys y
wait_for 'statefulset.apps/db restarted'
wait_for 'StatefulSet +db +Rolling +4/4 +0 +4 .* complete +partition 4 *$' 60

# The next canary step: db-3 only.
keys '<'
wait_for 'set the partition of sts/db from 4 to 3'
keys y
wait_for 'statefulset.apps/db patched'
wait_for 'StatefulSet +db +Rolling +4/4 +1 +4 .* complete +partition 3 *$' 90

# Pause: refused before any request, in kubectl's words.
n=$(patches)
keys p
wait_for 'statefulsets.apps "db" pausing is not supported'
[ "$(patches)" = "$n" ] || { echo "FAIL: pause sent a request"; exit 1; }

# Undo: the history with what each revision changes, then the dialog.
keys u
wait_for 'REVISION  IMAGES  CHANGE-CAUSE'
wait_for '^ +1 +nginx:1.26 '
wait_for 'restartedAt: .* -> \(none\)'
keys Enter
wait_for 'Confirm undo on sts/db'
wait_for 'roll back sts/db to revision 1'
wait_for 'the template, now -> after:'
wait_for 'metadata.annotations.kubectl.kubernetes.io/restartedAt: .* -> \(none\)'
keys y
wait_for 'statefulset.apps/db rolled back'
wait_for 'StatefulSet +db +Rolling +4/4 +4 +4 .* complete +partition 3 *$' 90
# The same again: kubectl's skipped rollback (revision 1 is now current).
keys u
wait_for 'REVISION  IMAGES  CHANGE-CAUSE'
keys 3 Enter
wait_for 'statefulset.apps/db skipped rollback \(current template already matches revision 3\)'
# A pod of the set, from its row: deleted as kubectl delete pod does.
keys j
keys d
wait_for 'Confirm delete-pod on pod/db-0 \(namespace default\)'
keys y
wait_for 'pod "db-0" deleted'
grep -q ' DELETE /api/v1/namespaces/default/pods/db-0' "$work/req.log" ||
	{ echo "FAIL: no DELETE of db-0 in the request log"; exit 1; }
keys q
wait_for '^EXITED 0$'
tm kill-session -t t

[ "$(patches)" = 4 ] || { echo "FAIL: $(patches) PATCH requests, wanted 4:"; grep -v ' GET ' "$work/req.log"; exit 1; }
for a in 'partition	default/sts/db' 'restart	default/sts/db' 'undo	default/sts/db'; do
	grep -q "$a	ok" "$work/state/podscope/audit.log" ||
		{ echo "FAIL: no audit line for $a:"; cat "$work/state/podscope/audit.log"; exit 1; }
done

# Read-only: every key of these actions refused, nothing but GET sent.
: >"$work/req.log"
start_ui 120 40 -- --readonly
wait_for 'StatefulSet +db '
for k in t '<' r u s + -; do
	keys -- "$k"
	wait_for "read-only: [a-z-]+ would change the cluster"
	keys x
	wait_for 'x does nothing here'
done
keys q
wait_for '^EXITED 0$'
others=$(grep -v ' GET ' "$work/req.log" || true)
[ -z "$others" ] || { echo "FAIL: read-only podscope sent: $others"; exit 1; }
pass canary
