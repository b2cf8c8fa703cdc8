#!/bin/sh
# podscope against kubectl on the same podscope-sim, in the same run (make bench):
#  - time to a complete first view: `podscope get -A` against
#    `kubectl get pods -A`, for each size of the simulator's load scenario;
#  - memory of the same first view, in runs of their own under memsample
#    (the same rule for both programs): peak RSS (the kernel's high-water
#    mark), peak PSS (sampled from /proc/PID/smaps_rollup while the program
#    runs, so shared library pages count only for their share), the floor
#    (each program listing an empty namespace: the cost of the process
#    itself, with no data) and the peaks above that floor. Each figure is
#    the largest of BENCH_MEM_RUNS runs, and "RSS reached by samples" says
#    how near the PSS samples came to the RSS peak (1.000: at the peak);
#  - CPU per 10,000 watch events: `podscope watch -A` against
#    `kubectl get pods -A -w`, while the simulator churns pods;
#  - wake-ups per second while nothing changes (voluntary + involuntary
#    context switches of every thread over 10 s, from /proc/PID/task/*/status).
# Targets (issues 4 and 11): a quarter of kubectl's wall time; a tenth of its
# peak PSS and of its peak RSS and PSS above the floor (the absolute peak RSS
# is shown beside them, and counts shared libraries whole); 100,000 pods in
# under 100 MB of RSS; CPU per event no more than kubectl's; idle means
# asleep (< 1 wake-up/s).
#   PODSCOPE, PODSCOPE_SIM  the programs (default ./podscope, ./podscope-sim)
#   MEMSAMPLE               the sampler (default ./tests/bench/memsample)
#   KUBECTL                 kubectl (default: from PATH; without it ratios say SKIP)
#   BENCH_SIZES             "DEPLOYMENTS:PODS ..." (default "200:20000 1000:100000")
#   BENCH_MEM_RUNS          runs of each memory measurement (default 3)
#   BENCH_EVENTS            pod changes for the watch test (default 10000)
#   BENCH_IDLE_S            seconds of idleness measured (default 10)
set -u
ps=${PODSCOPE:-./podscope}
sim=${PODSCOPE_SIM:-./podscope-sim}
memsample=${MEMSAMPLE:-./tests/bench/memsample}
mem_runs=${BENCH_MEM_RUNS:-3}
kubectl=${KUBECTL-$(command -v kubectl 2>/dev/null)}
sizes=${BENCH_SIZES:-"200:20000 1000:100000"}
events=${BENCH_EVENTS:-10000}
idle_s=${BENCH_IDLE_S:-10}
command -v curl >/dev/null 2>&1 || { echo "SKIP: curl is not installed"; exit 77; }
. "$(dirname "$0")/lib.sh"
bench_need
bench_init podscope-bench

table_header
for size in $sizes; do
	d=${size%%:*}
	p=${size#*:}
	sim_up --scenario load --load-deployments "$d" --load-pods "$p" \
		--event-window $((events * 2))

	# First view: wall time, alone (no sampler beside it).
	/usr/bin/time -f '%e' -o "$tmp/t.ps" "$ps" $kc get -A >"$tmp/get.out" 2>"$tmp/get.err" ||
		{ echo "podscope get failed: $(cat "$tmp/get.err")" >&2; exit 1; }
	n=$(grep -c '^    [a-z0-9-]*  *[0-9]*/[0-9]*  ' "$tmp/get.out")
	test "$n" -eq "$p" || echo "warning: podscope listed $n pods, not $p" >&2
	ps_wall=$(awk 'END { print $1 }' "$tmp/t.ps")
	k_wall=SKIP
	if test -n "$kubectl"; then
		/usr/bin/time -f '%e' -o "$tmp/t.k" "$kubectl" $kc get pods -A >"$tmp/k.out" \
			2>"$tmp/k.err" || echo "warning: kubectl failed: $(head -n 3 "$tmp/k.err")" >&2
		k_wall=$(awk 'END { print $1 }' "$tmp/t.k")
	fi
	row "first view wall s" "$ps_wall" "$k_wall" "<=" 0.25

	# Memory of the same first view, and of each program listing a
	# namespace with no pods (its floor: libraries, runtime, no data).
	mem_rows pods

	# Watch: both synced and idle, then $events pod changes.
	"$ps" $kc watch -A -o jsonl >"$tmp/w.ps" 2>"$tmp/w.ps.err" &
	wps=$!
	wpids=$wps
	wk=
	if test -n "$kubectl"; then
		"$kubectl" $kc get pods -A -w --no-headers >"$tmp/w.k" 2>"$tmp/w.k.err" &
		wk=$!
		wpids="$wps $wk"
	fi
	i=0
	until grep -q '^podscope watch: watching' "$tmp/w.ps.err" 2>/dev/null &&
		{ test -z "$wk" || test "$(wc -l <"$tmp/w.k")" -ge "$p"; }; do
		i=$((i + 1))
		test $i -gt 1200 && { echo "warning: watchers did not sync" >&2; break; }
		sleep 0.1
	done
	settle $wpids

	# Idle: nothing changes (bookmarks aside).
	c0=$(ctxt "$wps")
	test -n "$wk" && k0=$(ctxt "$wk")
	sleep "$idle_s"
	ps_wake=$(echo "$c0 $(ctxt "$wps") $idle_s" | awk '{ printf "%.1f", ($2 - $1) / $3 }')
	k_wake=SKIP
	test -n "$wk" && k_wake=$(echo "$k0 $(ctxt "$wk") $idle_s" | awk '{ printf "%.1f", ($2 - $1) / $3 }')

	p0=$(cpu "$wps")
	test -n "$wk" && q0=$(cpu "$wk")
	curl -s -o /dev/null -X POST -H 'Content-Type: application/json' \
		-d "{\"action\":\"churn\",\"resource\":\"pods\",\"count\":$events}" \
		"$url/podscope-sim/v1/actions"
	# Until podscope's watch has started on the changes (its CPU moves),
	# then until both are quiet again.
	i=0
	while test "$(cpu "$wps")" = "$p0" && test $i -lt 100; do
		i=$((i + 1))
		sleep 0.05
	done
	settle $wpids
	ps_cpu=$(echo "$p0 $(cpu "$wps") $hz $events" |
		awk '{ printf "%.3f", ($2 - $1) / $3 * 10000 / $4 }')
	k_cpu=SKIP
	test -n "$wk" && k_cpu=$(echo "$q0 $(cpu "$wk") $hz $events" |
		awk '{ printf "%.3f", ($2 - $1) / $3 * 10000 / $4 }')
	row "CPU s per 10k watch events" "$ps_cpu" "$k_cpu" "<=" 1.00
	printf '%-14s %-26s %12s %12s %8s %10s %s\n' "$size" "idle wake-ups/s" "$ps_wake" \
		"$k_wake" "-" "< 1" "$(awk -v w="$ps_wake" 'BEGIN { print (w < 1) ? "yes" : "NO" }')"

	for w in $wpids; do kill "$w" 2>/dev/null && wait "$w" 2>/dev/null; done
	wpids=
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	pid=
done
