#!/bin/sh
# Many clusters at once (issue 14): memory and CPU scale linearly.
# Five podscope-sim processes on the same load scenario and size, as five
# contexts of one kubeconfig; in the same run:
#  - podscope get -A on one of them (--context c1) against podscope get -A
#    on all five (--all-contexts, one process, one loop, five sessions);
#  - kubectl get pods -A on one against five kubectl runs, one per context
#    (kubectl has no way to ask five clusters from one process);
#  - podscope watch -A on c1 against --all-contexts, side by side: RSS once
#    synced, CPU for BENCH_FLEET_EVENTS pod changes in every cluster (the
#    simulator's churn: an annotation, so no line is printed; the cost is
#    the events' decoding and the stages looked at again), the least of
#    BENCH_CPU_RUNS rounds of them.
# For each: peak RSS and peak PSS (memsample, the largest of BENCH_MEM_RUNS
# runs), the floor (the same command on a namespace with no pods), CPU time
# (user + system, wait4's rusage) and wall time (memsample -t); the
# watchers' CPU from the scheduler's count of their run time. The table
# gives five / one.
# Target: five clusters cost at most five times one: <= 5 for the whole
# process's memory, its CPU time and the instructions it runs (callgrind:
# the work without the machine's load and caches in it); 5.5 for wall time, which
# depends on five simulators answering on the machine's two cores at once.
# podscope is timed as the least of BENCH_CPU_RUNS runs, kubectl once per
# cluster (tens of seconds). The process floor
# (libraries, the allocator's arenas) is paid once, so the whole-process
# ratio falls under 5. The per-cluster part, the peak above the process
# floor (one context listing an empty namespace), is shown too and must stay
# <= 5.25: linear, with room for what each further context costs before
# any data (its connection, TLS or not, its informers and their buffers).
#   PODSCOPE, PODSCOPE_SIM, MEMSAMPLE, KUBECTL  as in bench_get.sh
#   BENCH_FLEET_SIZE    "DEPLOYMENTS:PODS" per cluster (default 200:20000)
#   BENCH_FLEET_EVENTS  pod changes in each cluster for the watch rows (default 10000)
#   BENCH_MEM_RUNS      runs of each memory measurement (default 3)
#   BENCH_CPU_RUNS      runs of each time measurement, the least kept (default 3)
#   BENCH_FLEET_CPU     the CPU that podscope's timed runs and watchers are
#                       pinned to, one and five clusters alike (default: the
#                       last; "none" to leave them unpinned). On a virtual
#                       machine the CPUs can differ in speed by half (steal
#                       time): a 0.3 s run fits on the fast one, a 1.5 s run
#                       straddles both, which reads as five clusters costing
#                       more than five times one. Pinned, both run on the
#                       same CPU. The simulators are not pinned.
set -u
ps=${PODSCOPE:-./podscope}
sim=${PODSCOPE_SIM:-./podscope-sim}
memsample=${MEMSAMPLE:-./tests/bench/memsample}
mem_runs=${BENCH_MEM_RUNS:-3}
cpu_runs=${BENCH_CPU_RUNS:-3}
kubectl=${KUBECTL-$(command -v kubectl 2>/dev/null)}
size=${BENCH_FLEET_SIZE:-200:20000}
pin=
cpu=${BENCH_FLEET_CPU:-$(($(nproc) - 1))}
if test "$cpu" != none && command -v taskset >/dev/null 2>&1; then
	pin="taskset -c $cpu"
else
	cpu=none
fi
events=${BENCH_FLEET_EVENTS:-10000}
command -v curl >/dev/null 2>&1 || { echo "SKIP: curl is not installed"; exit 77; }
. "$(dirname "$0")/lib.sh"
bench_need
bench_init podscope-fleet
d=${size%%:*}
p=${size#*:}
sims=
fleet_cleanup() {
	for s in $sims; do kill "$s" 2>/dev/null && wait "$s" 2>/dev/null; done
	bench_cleanup
}
trap fleet_cleanup EXIT

# Five simulators, each its own directory and kubeconfig.
for c in c1 c2 c3 c4 c5; do
	mkdir -p "$tmp/$c"
	"$sim" --port 0 --allow-anonymous --scenario load --load-deployments "$d" \
		--load-pods "$p" --event-window $((events * (cpu_runs + 1))) --write-kubeconfig "$tmp/$c/kubeconfig" \
		>"$tmp/$c/out" 2>"$tmp/$c/err" &
	sims="$sims $!"
done
for c in c1 c2 c3 c4 c5; do
	i=0
	until test -s "$tmp/$c/kubeconfig"; do
		i=$((i + 1))
		test $i -lt 1200 || { echo "podscope-sim $c did not start: $(cat "$tmp/$c/err")" >&2; exit 1; }
		sleep 0.1
	done
done
{
	echo "apiVersion: v1"
	echo "kind: Config"
	echo "clusters:"
	for c in c1 c2 c3 c4 c5; do
		echo "- name: $c"
		echo "  cluster:"
		echo "    server: $(sed -n 's/^podscope-sim: listening on //p' "$tmp/$c/out")"
	done
	echo "users:"
	echo "- name: anonymous"
	echo "  user: {}"
	echo "contexts:"
	for c in c1 c2 c3 c4 c5; do
		echo "- name: $c"
		echo "  context:"
		echo "    cluster: $c"
		echo "    user: anonymous"
	done
	echo "current-context: c1"
} >"$tmp/kubeconfig"
kc="--kubeconfig $tmp/kubeconfig"

# A first list of each, so that every simulator has built its answers.
for c in c1 c2 c3 c4 c5; do
	"$ps" $kc --context "$c" get -A >"$tmp/warm" 2>&1 || { echo "warm-up of $c failed: $(tail -3 "$tmp/warm")" >&2; exit 1; }
done
n=$("$ps" $kc get -A --all-contexts 2>/dev/null | grep -c '^c[1-5]  *  *[a-z0-9-]*  *[0-9]*/[0-9]*  ')
test "$n" -eq $((p * 5)) || echo "warning: podscope listed $n pods over five clusters, not $((p * 5))" >&2

# timed NAME CMD...: NAME_cpu and NAME_wall (s), the least of the runs of
# NAME so far ($cpu_runs more of CMD each call; the machine is shared: the
# least is the least disturbed). memsample -t: wait4's rusage to the
# microsecond, not GNU time's hundredths (one tick is 3 % of one cluster's
# 0.3 s).
timed() {
	tname=$1
	shift
	j=0
	while test $j -lt "$cpu_runs"; do
		"$memsample" -o "$tmp/t" -t "$@" >/dev/null 2>"$tmp/t.err" ||
			echo "warning: $1 failed: $(head -n 3 "$tmp/t.err")" >&2
		tail -n 1 "$tmp/t" >>"$tmp/t.$tname"
		j=$((j + 1))
	done
	eval "$(awk -v n="$tname" '
		NR == 1 || $5 < w { w = $5 }
		NR == 1 || $6 < c { c = $6 }
		END { printf "%s_wall=%.3f %s_cpu=%.3f\n", n, w, n, c }' "$tmp/t.$tname")"
}

# kubectl five times in a row, one context each: the sums, and the largest peak.
kubectl_five() {
	kw=0 kcpu=0
	runs=$cpu_runs
	cpu_runs=1
	for c in c1 c2 c3 c4 c5; do
		rm -f "$tmp/t.kone"
		timed kone "$kubectl" $kc --context "$c" get pods -A
		kw=$(echo "$kw $kone_wall" | awk '{ printf "%.3f", $1 + $2 }')
		kcpu=$(echo "$kcpu $kone_cpu" | awk '{ printf "%.3f", $1 + $2 }')
	done
	cpu_runs=$runs
	k5_wall=$kw
	k5_cpu=$kcpu
}

frow() {
	echo "$2 $3 ${4:-} ${5:-}" | awk -v m="$1" '{
		r = ($1 > 0) ? $2 / $1 : 0
		ok = ($3 == "") ? "-" : ((r <= $4) ? "yes" : "NO")
		printf "%-34s %10s %10s %8.3f %8s %s\n", m, $1, $2, r, ($3 == "") ? "info" : $3 " " $4, ok
	}'
}

mem ps1 "$ps" $kc --context c1 get -A
mem ps5 "$ps" $kc --all-contexts get -A
mem ps1z "$ps" $kc --context c1 get -n no-such-namespace
mem ps5z "$ps" $kc --all-contexts get -n no-such-namespace
# One cluster and five take turns, so that both meet the same moments of
# the machine (a busy spell during one block of runs would weigh on one
# column only).
runs=$cpu_runs
cpu_runs=1
k=0
while test $k -lt "$runs"; do
	timed ps1 $pin "$ps" $kc --context c1 get -A
	timed ps5 $pin "$ps" $kc --all-contexts get -A
	k=$((k + 1))
done
cpu_runs=$runs

echo "fleet of five clusters, $p pods and $d deployments each ($(nproc) cores; podscope's CPU and wall times on CPU $cpu)"
printf '%-34s %10s %10s %8s %8s %s\n' "metric" "1 cluster" "5 clusters" "5/1" "target" "holds"
frow "podscope get -A peak RSS MB" "$ps1_rss" "$ps5_rss" "<=" 5
frow "podscope get -A peak PSS MB" "$ps1_pss" "$ps5_pss" "<=" 5
frow "  floor RSS MB (no pods)" "$ps1z_rss" "$ps5z_rss"
frow "  peak RSS MB above the floor" "$(minus "$ps1_rss" "$ps1z_rss")" "$(minus "$ps5_rss" "$ps1z_rss")" "<=" 5.25
frow "  peak PSS MB above the floor" "$(minus "$ps1_pss" "$ps1z_pss")" "$(minus "$ps5_pss" "$ps1z_pss")" "<=" 5.25
frow "podscope get -A CPU s" "$ps1_cpu" "$ps5_cpu" "<=" 5
frow "podscope get -A wall s" "$ps1_wall" "$ps5_wall" "<=" 5.5
# The work itself, without the machine's load in it: instructions counted
# by valgrind's callgrind, the same for the same binary and input whatever
# else runs (CPU seconds above move with the load and the caches).
if command -v valgrind >/dev/null 2>&1; then
	instr() {
		valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" >/dev/null 2>"$tmp/cg.err" ||
			echo "warning: callgrind of $1 failed: $(tail -n 3 "$tmp/cg.err")" >&2
		awk '/Collected :/ { printf "%.1f", $NF / 1e6 }' "$tmp/cg.err"
	}
	i1=$(instr "$ps" $kc --context c1 get -A)
	i5=$(instr "$ps" $kc --all-contexts get -A)
	frow "podscope get -A instructions M" "$i1" "$i5" "<=" 5
else
	echo "podscope get -A instructions: SKIP (valgrind is not installed)"
fi
# Watch: podscope watch -A on c1 and on all five, side by side, synced and
# quiet; then $events pod changes in each of the five clusters. Its RSS
# once synced (VmRSS) and its CPU for the changes it was shown.
$pin "$ps" $kc --context c1 watch -A -o jsonl >"$tmp/w1" 2>"$tmp/w1.err" &
w1=$!
$pin "$ps" $kc --all-contexts watch -A -o jsonl >"$tmp/w5" 2>"$tmp/w5.err" &
w5=$!
wpids="$w1 $w5"
i=0
until test "$(grep -c 'watching' "$tmp/w1.err")" = 1 && test "$(grep -c 'watching' "$tmp/w5.err")" = 5; do
	i=$((i + 1))
	test $i -gt 1800 && { echo "warning: the watchers did not sync" >&2; break; }
	sleep 0.1
done
settle $w1 $w5
rss_of() { awk '/^VmRSS/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }
wr1=$(rss_of $w1)
wr5=$(rss_of $w5)
# run_s PID: the seconds it has run, to the nanosecond from the scheduler
# (/proc/PID/schedstat; podscope is one thread), else clock ticks.
run_s() {
	if test -r "/proc/$1/schedstat"; then
		awk '{ printf "%.6f", $1 / 1e9 }' "/proc/$1/schedstat"
	else
		echo "$(cpu "$1") $hz" | awk '{ printf "%.6f", $1 / $2 }'
	fi
}
# churn: $events pod changes in each of the five clusters, then the
# watchers' CPU seconds for them (w1_s, w5_s).
churn() {
	c1=$(run_s $w1)
	c5=$(run_s $w5)
	c5t=$(cpu $w5)
	for c in c1 c2 c3 c4 c5; do
		curl -s -o /dev/null -X POST -H 'Content-Type: application/json' \
			-d "{\"action\":\"churn\",\"resource\":\"pods\",\"count\":$events}" \
			"$(sed -n 's/^podscope-sim: listening on //p' "$tmp/$c/out")/podscope-sim/v1/actions"
	done
	i=0
	while test "$(cpu $w5)" = "$c5t" && test $i -lt 100; do
		i=$((i + 1))
		sleep 0.05
	done
	settle $w1 $w5
	w1_s=$(echo "$c1 $(run_s $w1)" | awk '{ printf "%.3f", $2 - $1 }')
	w5_s=$(echo "$c5 $(run_s $w5)" | awk '{ printf "%.3f", $2 - $1 }')
}
# The least of $cpu_runs rounds for each, as for the timed runs above: both
# watchers share a CPU with each other and with the simulators that send
# the changes, and the least is the round least disturbed by them.
j=0
rounds1= rounds5=
while test $j -lt "$cpu_runs"; do
	churn
	rounds1="$rounds1 $w1_s"
	rounds5="$rounds5 $w5_s"
	if test $j -eq 0 || echo "$w1_s $wc1" | awk '{ exit !($1 < $2) }'; then wc1=$w1_s; fi
	if test $j -eq 0 || echo "$w5_s $wc5" | awk '{ exit !($1 < $2) }'; then wc5=$w5_s; fi
	j=$((j + 1))
done
frow "podscope watch -A RSS MB, synced" "$wr1" "$wr5" "<=" 5
frow "  CPU s for them" "$wc1" "$wc5" "<=" 5.25
echo "  (the rounds: 1 cluster$rounds1 s; 5 clusters$rounds5 s)"
for w in $wpids; do kill "$w" 2>/dev/null && wait "$w" 2>/dev/null; done
wpids=

if test -n "$kubectl"; then
	mem k1 "$kubectl" $kc --context c1 get pods -A
	runs=$cpu_runs
	cpu_runs=1
	timed k1 "$kubectl" $kc --context c1 get pods -A
	cpu_runs=$runs
	kubectl_five
	frow "kubectl get pods -A peak RSS MB" "$k1_rss" "$k1_rss"
	frow "kubectl CPU s (5 runs, summed)" "$k1_cpu" "$k5_cpu"
	frow "kubectl wall s (5 runs, summed)" "$k1_wall" "$k5_wall"
	printf '%-34s %10s %10s %8s\n' "5 clusters" "kubectl" "podscope" "ps/k"
	frow "  CPU s" "$k5_cpu" "$ps5_cpu"
	frow "  wall s" "$k5_wall" "$ps5_wall"
else
	echo "kubectl: SKIP (not installed)"
fi
