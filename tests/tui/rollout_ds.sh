#!/bin/sh
# A DaemonSet's rollout view (daemonset-rolling: maxSurge 1 across five
# nodes, then a sixth node joins): the nodes as rows with their daemon pod,
# old and new revisions on screen at once while it rolls, the budgets in the
# header, and the node that joins appearing with its pod; L, the pods'
# merged log.
. "$TOP_SRCDIR/tests/tui/lib.sh"
start_sim daemonset-rolling --speed 2
start_ui 120 30 -- -A
wait_for 'DaemonSet +node-agent '
keys / n o d e - a g e n t Enter
wait_for 'DaemonSet +node-agent '
keys Enter
wait_for '^ ds/node-agent +RollingUpdate'
wait_for '^ +NODE +POD +REVISION +READY +STATUS +RESTARTS +AGE'
# Every node has its pod (the update may have begun already on a slow machine).
for n in edge-1 edge-2 sim-node-1 sim-node-2 sim-node-3; do
	wait_for "^ . $n +node-agent-[a-z0-9]+ +. [12] +(old|new) " 30
done
# The update rolls node by node: old and new revisions on node rows at
# once, a node in its surge, and the surge budget in use.
deadline=$(($(now) + 60))
while :; do
	screen >"$work/screen"
	grep -Eq '^ . [a-z0-9-]+ +node-agent-[a-z0-9]+ +◇ 1 +old ' "$work/screen" &&
		grep -Eq '^ . [a-z0-9-]+ +node-agent-[a-z0-9]+ +◆ 2 +new ' "$work/screen" && break
	[ "$(now)" -lt "$deadline" ] ||
		{ echo "FAIL: never old and new revisions at once:"; cat "$work/screen"; exit 1; }
	sleep 0.1
done
wait_for '^ maxSurge 1 .* 1/1 in use +maxUnavailable 0 ' 30
wait_for 'node-agent-[a-z0-9]+ +. [12] +(old|new) .* surge *$' 30
wait_for 'Waiting for daemon set "node-agent" rollout to finish: [0-9] out of 5 new pods have been updated' 30
# The node that joins gets its pod, on the new revision.
wait_for '^ . edge-3 +node-agent-[a-z0-9]+ +◆ 2 +new ' 90
wait_for 'daemon set "node-agent" successfully rolled out' 60
wait_gone '◇ 1 +old' 60
# Enter opens the selected node's pod; Esc comes back.
keys Enter
wait_gone '^ +NODE +POD +REVISION'
wait_for 'node-agent-'
keys Escape
wait_for '^ +NODE +POD +REVISION'
# L: the pods' logs merged below the nodes, each line tagged with its
# pod's name without the DaemonSet's; v: the update revision's pods only.
keys L
wait_for '^ LOGS new\+old: 6 pods'
wait_for '^ [a-z0-9]{5} [^ ]'
keys v
wait_for '^ LOGS new: 6 pods'
keys Escape
wait_gone '^ LOGS '
wait_for '^ +NODE +POD +REVISION'
keys q
wait_for '^EXITED 0$'
pass rollout_ds
