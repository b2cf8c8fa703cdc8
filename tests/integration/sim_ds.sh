#!/bin/sh
# DaemonSets on podscope-sim, driven by the real kubectl: create, the
# table's columns, rollout status, a rolling update node by node within
# maxSurge, history, undo (also to a revision), restart, a node added
# through the control interface, nodes cordoned, tainted and deleted, and
# delete; every step checked in the objects, not only in kubectl's exit.
set -u

. "${TOP_SRCDIR:-.}/tests/integration/lib.sh"
it_init sim_ds.sh kubectl

jp() {
	k get ds agent -o jsonpath="$1"
}

# pods: "NODE=HASH" of each live agent pod, sorted by node.
pods() {
	k get pods -l app=agent -o jsonpath='{range .items[*]}{.spec.nodeName}={.metadata.labels.controller-revision-hash}{.metadata.deletionTimestamp}{"\n"}{end}' |
		sort
}

# all_on HASH N: N live pods, one per node, each on revision HASH and Ready.
all_on() {
	p=$(k get pods -l app=agent -o jsonpath='{range .items[*]}{.spec.nodeName} {.metadata.labels.controller-revision-hash} {.status.conditions[?(@.type=="Ready")].status}{"\n"}{end}')
	[ "$(echo "$p" | grep -c " $1 True$")" -eq "$2" ] &&
		[ "$(echo "$p" | grep -c .)" -eq "$2" ] &&
		[ "$(echo "$p" | cut -d' ' -f1 | sort -u | grep -c .)" -eq "$2" ]
}

status_is() {
	[ "$(jp '{.status.desiredNumberScheduled}/{.status.currentNumberScheduled}/{.status.updatedNumberScheduled}/{.status.numberAvailable}/{.status.numberMisscheduled}')" = "$1" ]
}

rollout_status() {
	timeout 120 "$KUBECTL" --kubeconfig "$dir/kubeconfig" rollout status ds/agent \
		>"$dir/out.status" 2>&1 || fail "rollout status ($1)"
	grep -q 'daemon set "agent" successfully rolled out' "$dir/out.status" ||
		fail "rollout status ($1) said: $(cat "$dir/out.status")"
}

hash_of_rev() {
	k get controllerrevisions -l app=agent -o jsonpath="{range .items[?(@.revision==$1)]}{.metadata.labels.controller-revision-hash}{end}"
}

sim_start --tls --speed 10 --nodes 3

k create -f "$FIX/ds-agent.yaml" >"$dir/out.create" 2>&1 || fail "create"
rollout_status create
status_is 3/3/3/3/0 || fail "status after create: $(jp '{.status}')"
[ "$(jp '{.status.observedGeneration}')" = 1 ] || fail "observedGeneration"
h1=$(hash_of_rev 1)
[ -n "$h1" ] || fail "no revision 1: $(k get controllerrevisions -o yaml)"
all_on "$h1" 3 || fail "pods after create: $(pods)"
k get pods -l app=agent -o jsonpath='{.items[0].spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchFields[0].key}' \
	>"$dir/out.aff"
[ "$(cat "$dir/out.aff")" = metadata.name ] || fail "a pod is not pinned by matchFields"

# The columns, as a real server's printer gives them.
k get ds >"$dir/out.get" 2>&1 || fail "get ds"
grep -q '^NAME *DESIRED *CURRENT *READY *UP-TO-DATE *AVAILABLE *NODE SELECTOR *AGE$' \
	"$dir/out.get" || fail "ds header"
grep -q '^agent *3 *3 *3 *3 *3 *kubernetes.io/os=linux *[0-9]*[sm]$' "$dir/out.get" ||
	fail "ds row"
k get ds -o wide >"$dir/out.wide" 2>&1 || fail "get ds -o wide"
grep -q 'AGE *CONTAINERS *IMAGES *SELECTOR$' "$dir/out.wide" || fail "ds wide header"
grep -q ' agent *nginx:1.26 *app=agent$' "$dir/out.wide" || fail "ds wide row"
k get controllerrevision >"$dir/out.cr" 2>&1 || fail "get controllerrevision"
grep -q "^agent-$h1 *daemonset.apps/agent *1 " "$dir/out.cr" || fail "controllerrevision row"

# A new image: node by node, a surge pod beside the old one (maxSurge 1,
# maxUnavailable 0), never two nodes surging at once, never a node without
# a ready pod; sampled in the pods while it rolls.
k set image ds/agent agent=nginx:1.27 >"$dir/out.set" 2>&1 || fail "set image"
surged=0
i=0
until status_is 3/3/3/3/0 && [ "$(jp '{.status.observedGeneration}')" = 2 ]; do
	p=$(pods | grep -v 'Z$')
	n=$(echo "$p" | grep -c .)
	[ "$n" -le 4 ] || fail "more than one surge pod: $p"
	[ "$n" -eq 4 ] && surged=1
	nodes=$(echo "$p" | cut -d= -f1 | sort -u | grep -c .)
	[ "$nodes" -eq 3 ] || fail "a node without a pod: $p"
	i=$((i + 1))
	[ $i -lt 600 ] || fail "the rolling update did not end: $(jp '{.status}')"
	sleep 0.1
done
[ $surged = 1 ] || fail "no surge pod was ever seen"
rollout_status "set image"
h2=$(hash_of_rev 2)
[ -n "$h2" ] && [ "$h2" != "$h1" ] || fail "no revision 2"
all_on "$h2" 3 || fail "pods after set image: $(pods)"

# History and undo.
k rollout history ds/agent >"$dir/out.hist" 2>&1 || fail "rollout history"
grep -q '^1 ' "$dir/out.hist" && grep -q '^2 ' "$dir/out.hist" || fail "history lists 1 and 2"
k rollout undo ds/agent >"$dir/out.undo" 2>&1 || fail "rollout undo"
wait_for "the roll back to $h1" 60 all_on "$h1" 3
[ "$(hash_of_rev 3)" = "$h1" ] || fail "revision 1 was not renumbered 3: $(k get controllerrevision)"
[ "$(jp '{.spec.template.spec.containers[0].image}')" = nginx:1.26 ] || fail "the template after undo"

# Restart: a new revision with the restartedAt annotation, on every pod.
k rollout restart ds/agent >"$dir/out.restart" 2>&1 || fail "rollout restart"
rollout_status restart
h4=$(hash_of_rev 4)
[ -n "$h4" ] && [ "$h4" != "$h1" ] && [ "$h4" != "$h2" ] || fail "restart made no new revision"
wait_for "every pod restarted" 60 all_on "$h4" 3
k get pods -l app=agent -o jsonpath='{.items[0].metadata.annotations}' >"$dir/out.ann"
grep -q 'kubectl.kubernetes.io/restartedAt' "$dir/out.ann" || fail "a pod has no restartedAt"

# Undo to a named revision: revision 2 comes back as revision 5.
k rollout undo ds/agent --to-revision=2 >"$dir/out.undo" 2>&1 || fail "undo --to-revision=2"
wait_for "the roll back to $h2" 60 all_on "$h2" 3
[ "$(hash_of_rev 5)" = "$h2" ] || fail "revision 2 was not renumbered 5: $(k get controllerrevision)"

# A node joins through the control interface (a create step): its pod follows.
# add_node NAME: a Ready node through the control interface.
add_node() {
	cat >"$dir/node.json" <<JSON
{"steps": [{"action": "create", "object": {"apiVersion": "v1", "kind": "Node",
 "metadata": {"name": "$1", "labels": {"kubernetes.io/hostname": "$1",
 "kubernetes.io/os": "linux"}}, "status": {"conditions": [{"type": "Ready",
 "status": "True", "reason": "KubeletReady", "message": "kubelet is posting ready status"}]}}}]}
JSON
	k create --raw /podscope-sim/v1/actions -f "$dir/node.json" >"$dir/out.node" 2>&1 ||
		fail "create node $1 through the control interface"
	grep -q '"status":"Success"' "$dir/out.node" || fail "the control interface said: $(cat "$dir/out.node")"
}
add_node sim-node-4
wait_for "a pod on the new node" 60 all_on "$h2" 4
wait_for "status with four nodes" 30 status_is 4/4/4/4/0

# Cordoned: the DaemonSet's toleration keeps its pod there, as upstream. The
# controller handles node events in order, so once the pod of a node added
# after the cordon is there, the cordon has been seen too.
k cordon sim-node-4 >"$dir/out.cordon" 2>&1 || fail "cordon"
add_node sim-node-5
wait_for "a pod on the node added after the cordon" 60 all_on "$h2" 5
wait_for "status with five nodes" 30 status_is 5/5/5/5/0
pods | grep -q '^sim-node-4=' || fail "the pod left the cordoned node: $(pods)"

# Tainted NoExecute: not tolerated, the pod goes; untainted, it is back.
k taint node sim-node-1 dedicated=infra:NoExecute >"$dir/out.taint" 2>&1 || fail "taint"
off1() { [ -z "$(pods | grep '^sim-node-1=')" ] && status_is 4/4/4/4/0; }
wait_for "the pod off the tainted node" 60 off1
k taint node sim-node-1 dedicated- >"$dir/out.taint" 2>&1 || fail "untaint"
wait_for "the pod back on the untainted node" 60 all_on "$h2" 5

# A node deleted: desired drops, its pod is collected (the pod GC).
k delete node sim-node-2 >"$dir/out.delnode" 2>&1 || fail "delete node"
wait_for "status without the deleted node" 30 status_is 4/4/4/4/0
wait_for "the deleted node's pod collected" 60 all_on "$h2" 4
[ -z "$(pods | grep '^sim-node-2=')" ] || fail "a pod still on sim-node-2: $(pods)"

# Delete: the pods and revisions go with the set.
k delete ds agent >"$dir/out.delete" 2>&1 || fail "delete ds"
all_gone() { [ -z "$(k get pods,controllerrevisions -l app=agent -o name)" ]; }
wait_for "the pods and revisions of the deleted set" 60 all_gone
echo "PASS: sim_ds.sh"
