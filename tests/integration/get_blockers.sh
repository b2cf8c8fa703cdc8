#!/bin/sh
# podscope get deploy/NAME: the "blockers:" block and -o json's "blockers"
# (doc/json.md) against podscope-sim's quota-blocked and pdb-drain scenarios,
# an autoscaling/v2 HPA created with the real kubectl, and nodes the user may
# not list (--fault forbid-nodes: no error, no nodes line).
set -u

. "${TOP_SRCDIR:-.}/tests/integration/lib.sh"
it_init get_blockers.sh kubectl

sim_start --tls --scenario quota-blocked --scenario pdb-drain --speed 4

has() { # has NS PATTERN [get flags...]: get deploy/web's output matches
	ns=$1 pat=$2
	shift 2
	ps_ get deploy/web -n "$ns" "$@" >"$dir/out.get" 2>"$dir/err.get" &&
		grep -Eq -- "$pat" "$dir/out.get"
}

wait_for "quota at hard" 30 has quota-blocked \
	'^    quota pods-quota: pods 3/3 \(at hard: new pods refused\)$'
wait_for "blocking count" 10 has quota-blocked '^  blockers: 1 blocking$'
wait_for "nodes line" 10 has quota-blocked \
	'^    nodes: 3, 3 schedulable, 0 cordoned, 0 NotReady; 3 with room for a pod '
k create -f "$FIX/hpa-web.yaml" >"$dir/out.kubectl" 2>&1 || fail "kubectl create hpa"
wait_for "hpa line" 10 has quota-blocked \
	'^    hpa web: min 2, max 5, current [0-9]+, desired [0-9]+ \(owns the replica count\)$'
has quota-blocked '^  blockers: 2 blocking$' || fail "the HPA does not count as blocking"

# A recording holds them too: replay's get prints the blockers. (The
# scenario moves on meanwhile, a rollout against the quota: the counts may
# differ from the checks above; record.sh compares replay with the live
# store moment by moment.)
ps_ record -o "$dir/rec" -A --duration 1s >"$dir/out.rec" 2>&1 || fail "record"
"$PODSCOPE" replay "$dir/rec" get deploy/web -n quota-blocked >"$dir/out.replay" 2>&1 ||
	fail "replay"
grep -Eq '^    quota pods-quota: pods [0-9]+/3' "$dir/out.replay" &&
	grep -q '^    hpa web: min 2, max 5' "$dir/out.replay" ||
	fail "replay get: no quota or hpa line"

wait_for "pdb line" 30 has pdb-drain \
	'^    pdb web-pdb: minAvailable 3, healthy [0-9]/3, 0 disruptions allowed \(blocks evictions\)$'
has pdb-drain '"blockers":\{"blocking":1,"pdbs":\[\{"name":"web-pdb","rule":"minAvailable 3",' \
	-o json || fail "-o json: no blockers object with the PDB"
grep -q '"disruptionsAllowed":0,"blocks":true}\],"quotas":\[\],"nodes":{"total":3,' \
	"$dir/out.get" || fail "-o json: the PDB's blocks, quotas or nodes"
grep -q '"hpa":null}' "$dir/out.get" || fail "-o json: hpa is not null"
# Only for one workload: a plain get has no blockers.
ps_ get -n pdb-drain >"$dir/out.all" 2>&1 || fail "get"
grep -q 'blockers' "$dir/out.all" && fail "get without a target printed blockers"

# Nodes the user may not list: the rest stays, quietly.
sim_start --tls --scenario pdb-drain --speed 4 --fault forbid-nodes
wait_for "pdb line, nodes forbidden" 30 has pdb-drain '^    pdb web-pdb: '
grep -q 'fault forbid-nodes: 403 for GET /api/v1/nodes' "$dir/sim.err" ||
	fail "the node list was not refused"
grep -q 'nodes:' "$dir/out.get" && fail "a nodes line without nodes"
[ -s "$dir/err.get" ] && fail "stderr with nodes forbidden"
sim_stop
echo "PASS: get_blockers.sh"
