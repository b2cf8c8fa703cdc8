#!/bin/sh
# The blockers panel (B): a Deployment's ResourceQuota at hard, its
# PodDisruptionBudget with no disruption allowed, the nodes with no room for
# its new pods, and an HPA created with the real kubectl; each highlighted.
# Through podscope-sim's scenarios quota-blocked, pdb-drain and full-cluster.
. "$TOP_SRCDIR/tests/tui/lib.sh"
KUBECTL=${KUBECTL:-/usr/bin/kubectl}
start_sim quota-blocked --scenario pdb-drain --scenario full-cluster --speed 2
start_ui 150 40 -- -A
wait_for ' live *$'
wait_for 'compute'
# From the overview's selected row: the nodes of a rollout that does not fit
# (the new template asks for 6 cpu; 5 are left on each node).
keys / c o m p u t e Enter
wait_for 'compute'
keys B
wait_for 'BLOCKERS of deploy/compute'
wait_for '3 nodes: [23] schedulable, [01] cordoned, 0 NotReady'
wait_for '0 with room for a pod \(cpu 6, memory 1Gi\): no schedulable node has room' 60
wait_for 'requested on schedulable nodes: cpu [0-9]+ of (16|24), memory'
wait_for 'none selects its pods'
keys B
wait_gone 'BLOCKERS of'
keys Escape
# The rollout view: the quota at hard.
keys : n s Space q u o t a - b l o c k e d Enter
# The title first: until the switch is drawn, the screen still shows the
# rows before it (another namespace's web), and Enter would meet an empty
# list.
wait_for 'overview .* ns quota-blocked '
wait_for 'Deployment +web ' 20
keys Enter
wait_for 'deploy/web'
keys B
wait_for 'BLOCKERS of deploy/web'
wait_for 'pods-quota +pods +3/3 used: at hard, new pods refused'
wait_for 'none targets it'
# An HPA made with kubectl appears in the open panel, as the owner of the count.
if [ -x "$KUBECTL" ]; then
	"$KUBECTL" --kubeconfig "$work/kc" create -f "$TOP_SRCDIR/tests/fixtures/sim/hpa-web.yaml" >"$work/kubectl.out" 2>&1 ||
		{ echo "FAIL: kubectl create hpa:"; cat "$work/kubectl.out"; exit 1; }
	wait_for 'web: min 2 max 5, current [0-9]+ desired [0-9]+: it owns the replica count'
	wait_for '\(2 blocking\)'
	# Scaling what the HPA owns: the dialog warns, and nothing is sent on cancel.
	keys B
	wait_gone 'BLOCKERS of'
	keys s
	wait_for 'scale deploy/web \(now 3\) to N, \+N or -N:'
	keys 4 Enter
	wait_for 'Confirm scale on deploy/web \(namespace quota-blocked\)'
	wait_for 'HorizontalPodAutoscaler web owns the replica count \(2\.\.5\): it will undo this'
	keys n
	wait_gone 'Confirm scale'
	# scale-up (+) is a scale too; pause is not.
	keys +
	wait_for 'Confirm scale on deploy/web'
	wait_for 'HorizontalPodAutoscaler web owns'
	keys n
	wait_gone 'Confirm scale'
	keys p
	wait_for 'Confirm pause on deploy/web'
	if screen | grep -q 'HorizontalPodAutoscaler web owns'; then
		echo "FAIL: pause warned about the HPA:"; screen; exit 1
	fi
	keys n
	wait_gone 'Confirm pause'
	keys Escape
	wait_for 'Deployment +web '
	keys Escape
else
	echo "SKIP (part): no kubectl at $KUBECTL: the HPA and the scale warning are not checked"
	keys Escape Escape
fi
# A PDB with no disruption allowed.
keys : n s Space p d b - d r a i n Enter
wait_for 'overview .* ns pdb-drain '
wait_for 'Deployment +web ' 20
keys Enter
wait_for 'deploy/web'
keys B
wait_for 'web-pdb +minAvailable 3 +healthy [0-9]/3 +0 disruptions allowed: evictions \(a drain\) blocked'
wait_for 'none in its namespace'
keys q
wait_for '^EXITED 0$'
tm kill-session -t t

# Nodes the user may not list: the panel says so under its heading, and it
# is no trouble in the title bar.
kill "$sim_pid"
wait "$sim_pid" 2>/dev/null || true
rm -f "$work/kc"
start_sim pdb-drain --speed 2 --fault forbid-nodes
start_ui 150 40 -- -A
wait_for 'Deployment +web '
wait_for ' live *$'
keys B
wait_for 'BLOCKERS of deploy/web'
wait_for '^ Nodes \(not allowed to list nodes\)'
wait_for '^ +none known'
if screen | grep -Eq 'forbidden|reconnecting|STALE'; then
	echo "FAIL: a refused node list shows as trouble:"
	screen
	exit 1
fi
keys q
wait_for '^EXITED 0$'
pass blockers
