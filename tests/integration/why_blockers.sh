#!/bin/sh
# The root cause in one line for what blocks a rollout from outside its
# template, against podscope-sim: a ResourceQuota (FailedCreate), a request
# no node can hold (Insufficient cpu), a cordoned full cluster, and a drain
# a PodDisruptionBudget holds while the new pods need its node. `get` names
# the cause and `wait --settle 5s` exits 1 with it well before the progress
# deadline (3000 s simulated, 300 s of wall time at --speed 10).
set -u
. "${TOP_SRCDIR:-.}/tests/integration/get_lib.sh"

# why_is NAME ERE [FLAGS...]: `get deploy/NAME` prints "  why: " matching ERE.
why_is() {
	n=$1 re=$2
	shift 2
	ps_ get "deploy/$n" "$@" >"$dir/out.get.$n" 2>&1 && grep -Eq "^  why: $re\$" "$dir/out.get.$n"
}
# check NAME ERE [FLAGS...]: get names it; wait exits 1 with it, well
# before the deadline (300 s of wall time after t0; half is a margin).
check() {
	n=$1 re=$2
	shift 2
	until_ok 60 why_is "$n" "$re" "$@" || fail "$n: get: $(grep why "$dir/out.get.$n")"
	expect_rc 1 "wait.$n" ps_ wait "deploy/$n" --settle 5s --timeout 200s "$@"
	grep -Eq "^error: deployment \"$n\" rollout failed: $re\$" "$dir/out.wait.$n" ||
		fail "$n: no why line in wait: $(tail -3 "$dir/out.wait.$n")"
	[ $(($(date +%s) - t0)) -lt 150 ] || fail "$n: wait ended too late"
}

start_sim "$FIX/why-quota.yaml" --speed 10
t0=$(date +%s)
# The surge pod is refused: no new pod exists at all.
check quota 'ReplicaSet quota-[a-z0-9]+ FailedCreate: exceeded quota: pods-quota, requested: pods=1, used: pods=2, limited: pods=2' -n quota
check bigcpu '2 new pods Pending: 0/3 nodes are available: 3 Insufficient cpu'

start_sim "$FIX/why-full.yaml" --speed 10
t0=$(date +%s)
check full '1 new pod Pending: 0/3 nodes are available: (1 node\(s\) were unschedulable, 2 Insufficient cpu|2 Insufficient cpu, 1 node\(s\) were unschedulable)'

start_sim "$FIX/why-pdb.yaml" --speed 10
t0=$(date +%s)
check pdb 'eviction blocked by PodDisruptionBudget pdb-budget \(0 disruptions allowed\)'
# -o json: the same line, and its class.
ps_ get deploy/pdb -o json >"$dir/out.json" 2>&1 || fail "get -o json"
grep -q '"whyCause":"eviction-blocked"' "$dir/out.json" || fail "json: $(cat "$dir/out.json")"
echo "PASS"
