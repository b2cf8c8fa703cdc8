#!/bin/sh
# podscope against kubectl on the same podscope-sim, in the same run (make
# bench), for StatefulSets and DaemonSets (issue 12): the load scenario's
# settled sets (--load-statefulsets, --load-daemonsets), then `podscope get -A`
# against `kubectl get sts,pods -A` or `kubectl get ds,pods -A`, in the table
# and with the rules of bench_get.sh: wall time of the first view alone, then
# peak RSS and PSS under memsample (the largest of BENCH_MEM_RUNS runs), the
# floor (an empty namespace) and the peaks above it.
# Targets (issue 4): a quarter of kubectl's wall time; a tenth of its peak PSS
# and of its peak RSS and PSS above the floor; 100,000 pods in under 100 MB of
# RSS.
#   PODSCOPE, PODSCOPE_SIM, MEMSAMPLE, KUBECTL, BENCH_MEM_RUNS  as bench_get.sh
#   BENCH_SETS  "sts:SETS:PODS ds:SETS:NODES ..." (default
#               "sts:200:100000 ds:10:100": 200 StatefulSets holding 100,000
#               pods, 10 DaemonSets over 100 nodes, 1,000 pods)
set -u
ps=${PODSCOPE:-./podscope}
sim=${PODSCOPE_SIM:-./podscope-sim}
memsample=${MEMSAMPLE:-./tests/bench/memsample}
mem_runs=${BENCH_MEM_RUNS:-3}
kubectl=${KUBECTL-$(command -v kubectl 2>/dev/null)}
sets=${BENCH_SETS:-"sts:200:100000 ds:10:100"}
. "$(dirname "$0")/lib.sh"
bench_need
bench_init podscope-bench

table_header
for size in $sets; do
	kind=${size%%:*}
	rest=${size#*:}
	n=${rest%%:*}
	m=${rest#*:}
	case $kind in
	sts)
		sim_up --scenario load --load-statefulsets "$n" --load-pods "$m"
		p=$m
		;;
	ds)
		sim_up --scenario load --load-daemonsets "$n" --nodes "$m"
		p=$((n * m))
		;;
	*)
		echo "bench_sets.sh: $size: sts:SETS:PODS or ds:SETS:NODES" >&2
		exit 2
		;;
	esac
	# The set controllers' first syncs over the load, before any measurement.
	settle "$pid"

	# First view: wall time, alone (no sampler beside it).
	/usr/bin/time -f '%e' -o "$tmp/t.ps" "$ps" $kc get -A >"$tmp/get.out" 2>"$tmp/get.err" ||
		{ echo "podscope get failed: $(cat "$tmp/get.err")" >&2; exit 1; }
	got=$(grep -c '^    [a-z0-9-]*  *[0-9]*/[0-9]*  ' "$tmp/get.out")
	test "$got" -eq "$p" || echo "warning: podscope listed $got pods, not $p" >&2
	got=$(grep -c "^$( test "$kind" = sts && echo statefulset || echo daemonset) " "$tmp/get.out")
	test "$got" -eq "$n" || echo "warning: podscope listed $got sets, not $n" >&2
	ps_wall=$(awk 'END { print $1 }' "$tmp/t.ps")
	k_wall=SKIP
	if test -n "$kubectl"; then
		/usr/bin/time -f '%e' -o "$tmp/t.k" "$kubectl" $kc get "$kind,pods" -A >"$tmp/k.out" \
			2>"$tmp/k.err" || echo "warning: kubectl failed: $(head -n 3 "$tmp/k.err")" >&2
		k_wall=$(awk 'END { print $1 }' "$tmp/t.k")
	fi
	row "first view wall s" "$ps_wall" "$k_wall" "<=" 0.25

	mem_rows "$kind,pods"

	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	pid=
done
