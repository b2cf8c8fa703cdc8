#!/bin/sh
# The blockers on podscope-sim, driven by the real kubectl: a pod whose
# requests fit no node (Pending, PodScheduled False Unschedulable, the
# FailedScheduling event in describe, scheduled once room is made), and
# ResourceQuota, PodDisruptionBudget and HorizontalPodAutoscaler stored and
# printed with the server's columns.
set -u

. "${TOP_SRCDIR:-.}/tests/integration/lib.sh"
it_init sim_blockers.sh kubectl

jp() {
	k get "$1" -o jsonpath="$2"
}

sim_start --tls --speed 10

cat >"$dir/big.yaml" <<'YAML'
apiVersion: v1
kind: Pod
metadata:
  name: big
spec:
  containers:
  - name: app
    image: nginx:1.27
    resources:
      requests:
        cpu: "9"
        memory: 1Gi
YAML
k create -f "$dir/big.yaml" >"$dir/out.create" 2>&1 || fail "create big: $(cat "$dir/out.create")"
msg="0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod."
cond_msg() {
	[ "$(jp pod/big '{.status.conditions[?(@.type=="PodScheduled")].message}')" = "$msg" ]
}
wait_for "big Unschedulable" 30 cond_msg
[ "$(jp pod/big '{.status.conditions[?(@.type=="PodScheduled")].reason}')" = Unschedulable ] ||
	fail "reason: $(jp pod/big '{.status.conditions}')"
k get pod big --no-headers >"$dir/out.get" 2>&1
grep -q '^big *0/1 *Pending ' "$dir/out.get" || fail "get: $(cat "$dir/out.get")"
k describe pod big >"$dir/out.describe" 2>&1
grep -q "Warning  FailedScheduling .*default-scheduler  0/3 nodes are available: 3 Insufficient cpu" \
	"$dir/out.describe" || fail "describe: $(cat "$dir/out.describe")"

# A node grows (its allocatable, through the status subresource): tried again.
k patch node sim-node-2 --subresource=status --type=merge \
	-p '{"status":{"allocatable":{"cpu":"16"}}}' >"$dir/out.patch" 2>&1 ||
	fail "patch node: $(cat "$dir/out.patch")"
node_is() {
	[ "$(jp pod/big '{.spec.nodeName}')" = sim-node-2 ]
}
wait_for "big on sim-node-2" 30 node_is

# ResourceQuota, PodDisruptionBudget, HorizontalPodAutoscaler: stored, and
# printed with the server's columns.
k create quota q --hard=pods=20,requests.cpu=100 >"$dir/out.q" 2>&1 || fail "create quota: $(cat "$dir/out.q")"
k get quota >"$dir/out.getq" 2>&1
head -1 "$dir/out.getq" | grep -q '^NAME *AGE *REQUEST *LIMIT$' || fail "quota columns: $(cat "$dir/out.getq")"
# The quota counts the pod there (9 cpu), and its admission refuses a pod
# that states no cpu request, in upstream's words.
quota_row() {
	k get quota q --no-headers >"$dir/out.qrow" 2>&1 &&
		grep -q '^q  *[0-9a-z]*  *pods: 1/20, requests.cpu: 9/100 *$' "$dir/out.qrow"
}
wait_for "quota used" 30 quota_row
k run bare --image=nginx:1.27 >"$dir/out.run" 2>&1 && fail "bare pod admitted"
grep -q '^Error from server (Forbidden): pods "bare" is forbidden: failed quota: q: must specify requests.cpu for: bare$' \
	"$dir/out.run" || fail "run: $(cat "$dir/out.run")"
k delete quota q >/dev/null 2>&1 || fail "delete quota"
k create quota small --hard=pods=1 >/dev/null 2>&1 || fail "create quota small"
small_counted() {
	[ "$(jp quota/small '{.status.used.pods}')" = 1 ]
}
wait_for "quota small counted" 30 small_counted
k run extra --image=nginx:1.27 >"$dir/out.run" 2>&1 && fail "extra pod admitted"
grep -q '^Error from server (Forbidden): pods "extra" is forbidden: exceeded quota: small, requested: pods=1, used: pods=1, limited: pods=1$' \
	"$dir/out.run" || fail "run: $(cat "$dir/out.run")"
k delete quota small >/dev/null 2>&1 || fail "delete quota small"

k create pdb web --selector=app=web --min-available=1 >"$dir/out.pdb" 2>&1 || fail "create pdb: $(cat "$dir/out.pdb")"
k get pdb >"$dir/out.getpdb" 2>&1
head -1 "$dir/out.getpdb" | grep -q '^NAME *MIN AVAILABLE *MAX UNAVAILABLE *ALLOWED DISRUPTIONS *AGE$' ||
	fail "pdb columns: $(cat "$dir/out.getpdb")"
grep -q '^web *1 *N/A *0 ' "$dir/out.getpdb" || fail "pdb row: $(cat "$dir/out.getpdb")"
# kubectl drain: cordon, then evictions; the budget (2 of the 2 web pods)
# refuses with 429 until it is loosened.
k create deploy web --image=nginx:1.27 --replicas=2 >/dev/null 2>&1 || fail "create deploy web"
k patch pdb web --type=merge -p '{"spec":{"minAvailable":2}}' >/dev/null 2>&1 || fail "patch pdb"
pdb_healthy() {
	[ "$(jp pdb/web '{.status.currentHealthy}/{.status.desiredHealthy}/{.status.disruptionsAllowed}/{.status.expectedPods}')" = "$1" ]
}
wait_for "pdb 2/2/0/2" 60 pdb_healthy 2/2/0/2
[ "$(jp pdb/web '{.status.conditions[0].type}/{.status.conditions[0].status}/{.status.conditions[0].reason}')" = DisruptionAllowed/False/InsufficientPods ] ||
	fail "pdb condition: $(jp pdb/web '{.status.conditions}')"
node=$(jp pods '{.items[?(@.metadata.labels.app=="web")].spec.nodeName}' | cut -d' ' -f1)
[ -n "$node" ] || fail "no web pod node"
k drain "$node" --ignore-daemonsets --force --timeout=3s >"$dir/out.drain" 2>&1 && fail "drain not blocked"
grep -q "Cannot evict pod as it would violate the pod's disruption budget." "$dir/out.drain" ||
	fail "drain: $(cat "$dir/out.drain")"
[ "$(jp "node/$node" '{.spec.unschedulable}')" = true ] || fail "not cordoned"
k patch pdb web --type=merge -p '{"spec":{"minAvailable":1}}' >/dev/null 2>&1 || fail "patch pdb"
wait_for "pdb 2/1/1/2" 30 pdb_healthy 2/1/1/2
k drain "$node" --ignore-daemonsets --force --timeout=30s >"$dir/out.drain" 2>&1 ||
	fail "drain: $(cat "$dir/out.drain")"
grep -q "node/$node drained" "$dir/out.drain" || fail "drain: $(cat "$dir/out.drain")"
k uncordon "$node" >/dev/null 2>&1 || fail "uncordon"

cat >"$dir/hpa.yaml" <<'YAML'
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: web
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 2
  maxReplicas: 5
  metrics:
  - type: Resource
    resource: {name: cpu, target: {type: Utilization, averageUtilization: 80}}
YAML
k create -f "$dir/hpa.yaml" >"$dir/out.hpa" 2>&1 || fail "create hpa: $(cat "$dir/out.hpa")"
k get hpa >"$dir/out.gethpa" 2>&1
head -1 "$dir/out.gethpa" | grep -q '^NAME *REFERENCE *TARGETS *MINPODS *MAXPODS *REPLICAS *AGE$' ||
	fail "hpa columns: $(cat "$dir/out.gethpa")"
grep -q '^web *Deployment/web *cpu: <unknown>/80% *2 *5 *0 ' "$dir/out.gethpa" ||
	fail "hpa: $(cat "$dir/out.gethpa")"
k api-resources >"$dir/out.api" 2>&1
for r in 'resourcequotas *quota *v1 *true *ResourceQuota' \
	'poddisruptionbudgets *pdb *policy/v1 *true *PodDisruptionBudget' \
	'horizontalpodautoscalers *hpa *autoscaling/v2 *true *HorizontalPodAutoscaler'; do
	grep -q "^$r" "$dir/out.api" || fail "api-resources: no $r"
done

# A node made NotReady by the control interface: Ready False, the
# not-ready taints, no new pod there; Ready again undoes both.
printf '{"action":"node-not-ready","target":"node/sim-node-3"}' >"$dir/nr.json"
k create --raw /podscope-sim/v1/actions -f "$dir/nr.json" >"$dir/out.nr" 2>&1 || fail "node-not-ready: $(cat "$dir/out.nr")"
k get node sim-node-3 --no-headers >"$dir/out.node" 2>&1
grep -q '^sim-node-3 *NotReady ' "$dir/out.node" || fail "node: $(cat "$dir/out.node")"
[ "$(jp node/sim-node-3 '{.status.conditions[?(@.type=="Ready")].reason}')" = KubeletNotReady ] || fail "Ready reason"
[ "$(jp node/sim-node-3 '{.spec.taints[*].key}/{.spec.taints[*].effect}')" = \
	"node.kubernetes.io/not-ready node.kubernetes.io/not-ready/NoSchedule NoExecute" ] ||
	fail "taints: $(jp node/sim-node-3 '{.spec.taints}')"
printf '{"action":"node-ready","target":"node/sim-node-3"}' >"$dir/nr.json"
k create --raw /podscope-sim/v1/actions -f "$dir/nr.json" >"$dir/out.nr" 2>&1 || fail "node-ready: $(cat "$dir/out.nr")"
k get node sim-node-3 --no-headers >"$dir/out.node" 2>&1
grep -q '^sim-node-3 *Ready ' "$dir/out.node" || fail "node: $(cat "$dir/out.node")"
[ -z "$(jp node/sim-node-3 '{.spec.taints}')" ] || fail "taints left: $(jp node/sim-node-3 '{.spec.taints}')"

# The scenarios: quota-blocked and full-cluster, then pdb-drain (its drain
# cordons a node, which full-cluster's message would count).
sim_start --tls --speed 20 --scenario quota-blocked --scenario full-cluster
quota_failure() {
	k get rs -n quota-blocked -o jsonpath='{range .items[*]}{.status.conditions[?(@.type=="ReplicaFailure")].message}{"\n"}{end}' \
		>"$dir/out.qb" 2>&1 &&
		grep -q '^pods "web-[a-z0-9]*-" is forbidden: exceeded quota: pods-quota, requested: pods=1, used: pods=3, limited: pods=3$' "$dir/out.qb"
}
wait_for "quota-blocked ReplicaFailure" 60 quota_failure
full_pending() {
	k get events -n full-cluster --field-selector reason=FailedScheduling -o jsonpath='{.items[*].message}' >"$dir/out.fc" 2>&1 &&
		grep -q "^$msg\$" "$dir/out.fc"
}
wait_for "full-cluster FailedScheduling" 60 full_pending
sim_start --tls --speed 20 --scenario pdb-drain
# pdb-drain: cordoned at 20 s, its pod there kept by the budget until 80 s,
# then evicted.
on_node1() {
	[ -n "$(k get pods -n pdb-drain --field-selector spec.nodeName=sim-node-1 -o name 2>/dev/null)" ]
}
cordoned() {
	[ "$(jp node/sim-node-1 '{.spec.unschedulable}')" = true ]
}
wait_for "pdb-drain cordon" 60 cordoned
on_node1 || fail "pdb-drain: the budget's pod left sim-node-1 at once"
[ "$(k get pdb web-pdb -n pdb-drain -o jsonpath='{.status.disruptionsAllowed}')" = 0 ] ||
	fail "pdb-drain: disruptions allowed"
gone_node1() {
	! on_node1
}
wait_for "pdb-drain drained" 60 gone_node1

echo "PASS: sim_blockers.sh"
