#!/bin/sh
# The DaemonSet rollout view's node rows (daemonset-rolling: five nodes
# from the start): `kubectl cordon` marks a node's row "cordoned" (its pod
# stays: daemon pods tolerate the unschedulable taint); an untolerated
# NoSchedule taint (`kubectl taint`) leaves the pod where it is, marked
# "misscheduled"; a node label the nodeSelector no longer matches takes the
# pod away and the node is counted as excluded in the title line.
. "$TOP_SRCDIR/tests/tui/lib.sh"
KC=${KUBECTL:-}
if [ -z "$KC" ] || [ ! -x "$KC" ]; then
	echo "SKIP: kubectl is not installed; this test changes nodes with it"
	exit 77
fi
kc() { "$KC" --kubeconfig "$work/kc" --context sim-admin "$@" >>"$work/kubectl.out" 2>&1; }
start_sim daemonset-rolling --speed 2
start_ui 130 30 -- -A
wait_for 'DaemonSet +node-agent '
keys / n o d e - a g e n t Enter
wait_for 'DaemonSet +node-agent '
keys Enter
wait_for '^ ds/node-agent +RollingUpdate'
wait_for '^ +NODE +POD +REVISION +READY +STATUS +RESTARTS +AGE'
for n in edge-1 edge-2 sim-node-1 sim-node-2 sim-node-3; do
	wait_for "^ . $n +node-agent-[a-z0-9]+ +. [12] +(old|new) " 30
done
# Nothing is marked on a healthy node, and nothing is excluded yet.
if screen | grep -Eq 'sim-node-2 .*(cordoned|misscheduled)|excluded by'; then
	echo "FAIL: marks before any change:"
	screen
	exit 1
fi
kc cordon sim-node-2
wait_for '^ . sim-node-2 +node-agent-[a-z0-9]+ .*cordoned' 30
kc taint node sim-node-3 dedicated=db:NoSchedule
wait_for '^ . sim-node-3 +node-agent-[a-z0-9]+ .*misscheduled' 30
kc label node sim-node-1 kubernetes.io/os=windows --overwrite
wait_for '^ ds/node-agent .* 1 node excluded by nodeSelector/taints' 60
wait_gone '^ . sim-node-1 ' 60
# The misscheduled pod stays (a NoSchedule taint evicts nothing); the
# status counts agree with the rows.
wait_for 'misscheduled 1' 30
wait_for '^ . sim-node-3 +node-agent-[a-z0-9]+ .*misscheduled' 5
keys q
wait_for '^EXITED 0$'
# `podscope get ds/NAME` gives the same node rows, in text and JSON.
get() { "$PODSCOPE" --kubeconfig "$work/kc" get ds/node-agent -n kube-system "$@"; }
get >"$work/get.txt"
grep -Eq '^  nodes \(1 excluded by nodeSelector/taints\):$' "$work/get.txt" &&
	grep -Eq '^    sim-node-2 +node-agent-[a-z0-9]+ +[12] (old|new) +cordoned$' "$work/get.txt" &&
	grep -Eq '^    sim-node-3 +node-agent-[a-z0-9]+ +[12] (old|new) +misscheduled$' "$work/get.txt" ||
	{ echo "FAIL: get ds/node-agent:"; cat "$work/get.txt"; exit 1; }
get -o json >"$work/get.json"
grep -q '"nodesListed":true,"nodesExcluded":1,"nodes":\[' "$work/get.json" &&
	grep -Eq '"node":"sim-node-3","pod":"node-agent-[a-z0-9]+","revision":[12],"updated":(true|false),"shouldRun":false,"marks":\["misscheduled"\]' "$work/get.json" ||
	{ echo "FAIL: get ds/node-agent -o json:"; cat "$work/get.json"; exit 1; }
pass ds_nodes
