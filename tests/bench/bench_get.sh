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
test -x "$ps" || { echo "SKIP: no podscope at $ps"; exit 77; }
test -x "$sim" || { echo "SKIP: no podscope-sim at $sim"; exit 77; }
test -x "$memsample" || { echo "SKIP: no memsample at $memsample (make tests/bench/memsample)"; exit 77; }
test -r /proc/self/smaps_rollup || { echo "SKIP: no /proc/PID/smaps_rollup (Linux 4.14)"; exit 77; }
test -x /usr/bin/time || { echo "SKIP: /usr/bin/time (GNU time) is not installed"; exit 77; }
command -v curl >/dev/null 2>&1 || { echo "SKIP: curl is not installed"; exit 77; }
test -n "$kubectl" && test -x "$kubectl" || kubectl=

tmp=$(mktemp -d "${TMPDIR:-/tmp}/podscope-bench.XXXXXX") || exit 1
pid=
wpids=
cleanup() {
	for p in $wpids $pid; do kill "$p" 2>/dev/null && wait "$p" 2>/dev/null; done
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# cpu PID: user+system clock ticks so far.
cpu() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
# ctxt PID: context switches of all its threads (Go runs several).
ctxt() {
	cat /proc/"$1"/task/*/status 2>/dev/null |
		awk '/^voluntary_ctxt_switches|^nonvoluntary_ctxt_switches/ { n += $2 } END { print n + 0 }'
}
hz=$(getconf CLK_TCK)
# settle PID...: wait until none of them used CPU for 1 s (60 s at most).
settle() {
	prev=
	i=0
	while test $i -lt 60; do
		cur=
		for p in "$@"; do cur="$cur $(cpu "$p")"; done
		test "$cur" = "$prev" && return 0
		prev=$cur
		sleep 1
		i=$((i + 1))
	done
}
# row METRIC PODSCOPE KUBECTL OP TARGET: one line of the table with the ratio.
row() {
	if test "$3" = SKIP || test "$3" = "?" || test "$2" = "?"; then
		printf '%-14s %-26s %12s %12s %8s %10s %s\n' "$size" "$1" "$2" "$3" "-" "$4 $5" "SKIP"
		return
	fi
	echo "$2 $3 $4 $5" | awk -v size="$size" -v m="$1" '{
		r = ($2 > 0) ? $1 / $2 : 0
		ok = ($3 == "<=") ? (r <= $4) : (r < $4)
		printf "%-14s %-26s %12s %12s %8.3f %10s %s\n", size, m, $1, $2, r, $3 " " $4,
			ok ? "yes" : "NO"
	}'
}

# mem NAME PROGRAM ARG...: runs the program $mem_runs times under memsample
# and sets NAME_rss, NAME_pss (MB, the largest of the runs) and NAME_cov (the
# RSS its PSS samples reached, over its RSS peak, in the run of that PSS).
mem() {
	mname=$1
	shift
	: >"$tmp/m.all"
	j=0
	while test $j -lt "$mem_runs"; do
		"$memsample" -o "$tmp/m.one" "$@" >/dev/null 2>"$tmp/m.err" ||
			echo "warning: $1 failed: $(head -n 3 "$tmp/m.err")" >&2
		cat "$tmp/m.one" >>"$tmp/m.all"
		j=$((j + 1))
	done
	eval "$(awk -v n="$mname" '
		$1 > rss { rss = $1 }
		$2 > pss { pss = $2; cov = ($1 > 0) ? $3 / $1 : 0 }
		END { printf "%s_rss=%.1f %s_pss=%.1f %s_cov=%.3f\n", n, rss / 1024, n, pss / 1024, n, cov }
	' "$tmp/m.all")"
}
# minus A B: A - B, one decimal.
minus() { echo "$1 $2" | awk '{ printf "%.1f", $1 - $2 }'; }
# info METRIC PODSCOPE KUBECTL: a line with the ratio and no target.
info() {
	if test "$3" = SKIP; then
		printf '%-14s %-26s %12s %12s %8s %10s %s\n' "$size" "$1" "$2" "$3" "-" "info" "-"
		return
	fi
	echo "$2 $3" | awk -v size="$size" -v m="$1" '{
		printf "%-14s %-26s %12s %12s %8.3f %10s %s\n", size, m, $1, $2,
			($2 > 0) ? $1 / $2 : 0, "info", "-"
	}'
}
# plain METRIC PODSCOPE KUBECTL: a line with neither ratio nor target.
plain() { printf '%-14s %-26s %12s %12s %8s %10s %s\n' "$size" "$1" "$2" "$3" "-" "info" "-"; }

printf '%-14s %-26s %12s %12s %8s %10s %s\n' "load" "metric" "podscope" "kubectl" "ratio" \
	"target" "holds"
for size in $sizes; do
	d=${size%%:*}
	p=${size#*:}
	rm -f "$tmp/kubeconfig"
	"$sim" --allow-anonymous --scenario load --load-deployments "$d" --load-pods "$p" \
		--event-window $((events * 2)) --write-kubeconfig "$tmp/kubeconfig" \
		>"$tmp/out" 2>"$tmp/err" &
	pid=$!
	i=0
	while ! test -s "$tmp/kubeconfig"; do
		i=$((i + 1))
		if test $i -gt 1200 || ! kill -0 "$pid" 2>/dev/null; then
			echo "podscope-sim did not start:" >&2
			cat "$tmp/err" >&2
			exit 1
		fi
		sleep 0.1
	done
	url=$(sed -n 's/^podscope-sim: listening on //p' "$tmp/out")
	kc="--kubeconfig $tmp/kubeconfig"

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
	mem ps "$ps" $kc get -A
	mem ps0 "$ps" $kc get -n no-such-namespace
	k_rss=SKIP k_pss=SKIP k_cov=SKIP k0_rss=SKIP k0_pss=SKIP k0_cov=SKIP
	k_rss_data=SKIP k_pss_data=SKIP
	if test -n "$kubectl"; then
		mem k "$kubectl" $kc get pods -A
		mem k0 "$kubectl" $kc get pods -n no-such-namespace
		k_rss_data=$(minus "$k_rss" "$k0_rss")
		k_pss_data=$(minus "$k_pss" "$k0_pss")
	fi
	info "first view peak RSS MB" "$ps_rss" "$k_rss"
	row "first view peak PSS MB" "$ps_pss" "$k_pss" "<=" 0.10
	info "  RSS MB with no pods" "$ps0_rss" "$k0_rss"
	info "  PSS MB with no pods" "$ps0_pss" "$k0_pss"
	row "  peak RSS MB above that" "$(minus "$ps_rss" "$ps0_rss")" "$k_rss_data" "<=" 0.10
	row "  peak PSS MB above that" "$(minus "$ps_pss" "$ps0_pss")" "$k_pss_data" "<=" 0.10
	plain "  RSS reached by samples" "$ps_cov" "$k_cov"
	plain "    with no pods" "$ps0_cov" "$k0_cov"
	if test "$p" -ge 100000; then
		printf '%-14s %-26s %12s %12s %8s %10s %s\n' "$size" "peak RSS MB (absolute)" \
			"$ps_rss" "-" "-" "< 100" "$(awk -v r="$ps_rss" 'BEGIN { print (r < 100) ? "yes" : "NO" }')"
	fi

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
