#!/bin/sh
# podscope-sim under load (make bench): for each size, the time to start,
# the time to a full list of pods with curl (one request) and with kubectl
# (`get pods -A`, pages of 500), the simulator's memory, and the watch
# events per second each of 4 watchers receives while pods change.
# Memory: peak RSS (the kernel's high-water mark), PSS (the largest Pss of
# /proc/PID/smaps_rollup read after each step, so a lower bound of its peak;
# shared library pages count only for their share), both also above the
# floor: the same simulator with no data (the empty scenario, after one list
# of its pods), measured first.
#   PODSCOPE_SIM  the simulator (default ./podscope-sim)
#   KUBECTL       kubectl (default: from PATH; the column says SKIP without it)
#   SIM_BENCH_SIZES  "DEPLOYMENTS:PODS ..." (default "200:20000 1000:100000")
#   SIM_BENCH_EVENTS changes made for the watch test (default 20000)
set -u
sim=${PODSCOPE_SIM:-./podscope-sim}
kubectl=${KUBECTL-$(command -v kubectl 2>/dev/null)}
sizes=${SIM_BENCH_SIZES:-"200:20000 1000:100000"}
events=${SIM_BENCH_EVENTS:-20000}
watchers=4
command -v curl >/dev/null 2>&1 || { echo "SKIP: curl is not installed"; exit 77; }
test -x "$sim" || { echo "SKIP: no podscope-sim at $sim"; exit 77; }

. "$(dirname "$0")/lib.sh"
bench_init sim-bench

now() { date +%s.%N; }
since() { echo "$1 $(now)" | awk '{ printf "%.2f", $2 - $1 }'; }

# sim_start ARG...: the simulator with a kubeconfig in $tmp; sets pid, url.
sim_start() {
	sim_up "$@"
	peak_pss=0
}
# pss_sample: keeps the largest PSS (kB) of the simulator in peak_pss.
pss_sample() {
	kb=$(awk '/^Pss:/ { print $2 }' "/proc/$pid/smaps_rollup" 2>/dev/null)
	test -n "$kb" && test "$kb" -gt "$peak_pss" && peak_pss=$kb
}
hwm() { awk '/^VmHWM:/ { print $2 }' "/proc/$pid/status" 2>/dev/null; }
mb() { echo "$1" | awk '{ printf "%.1f", $1 / 1024 }'; }
sim_stop() {
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	pid=
}

sim_start --scenario empty
curl -s -o /dev/null "$url/api/v1/pods"
pss_sample
floor_rss=$(hwm)
floor_pss=$peak_pss
sim_stop

printf '%-14s %9s %11s %13s %8s %8s %8s %8s %18s\n' "load" "start s" "curl list s" \
	"kubectl list s" "RSS MB" "PSS MB" "RSS >fl" "PSS >fl" "events/s, each of $watchers watches"
printf '%-14s %9s %11s %13s %8s %8s %8s %8s %18s\n' "empty (floor)" - - - "$(mb "$floor_rss")" \
	"$(mb "$floor_pss")" - - -
for size in $sizes; do
	d=${size%%:*}
	p=${size#*:}
	rm -f "$tmp/requests"
	t0=$(now)
	sim_start --scenario load --load-deployments "$d" --load-pods "$p" \
		--event-window $((events * 2)) --request-log "$tmp/requests"
	start=$(since "$t0")
	pss_sample

	curl_s=$(curl -s -o /dev/null -w '%{time_total}' "$url/api/v1/pods")
	n=$(curl -s "$url/api/v1/pods?limit=1" | grep -o '"remainingItemCount":[0-9]*' | tr -dc 0-9)
	test "$((n + 1))" -eq "$p" || echo "warning: the list has $((n + 1)) pods, not $p" >&2
	pss_sample

	if test -n "$kubectl" && test -x "$kubectl"; then
		t0=$(now)
		kn=$("$kubectl" --kubeconfig "$tmp/kubeconfig" get pods -A --no-headers 2>"$tmp/kerr" |
			wc -l)
		kubectl_s=$(since "$t0")
		test "$kn" -eq "$p" || echo "warning: kubectl listed $kn pods, not $p" >&2
		pss_sample
	else
		kubectl_s=SKIP
	fi

	# Watches from the current resourceVersion, then $events pod changes at once.
	rv=$(curl -s "$url/api/v1/pods?limit=1" | grep -o '"resourceVersion":"[0-9]*"' | head -n 1 |
		tr -dc 0-9)
	w=1
	while test $w -le $watchers; do
		# done.N appears when the watcher has its events (curl ends with the simulator).
		curl -sN -m 300 "$url/api/v1/pods?watch=true&resourceVersion=$rv" 2>/dev/null |
			{ head -n "$events" >/dev/null; now >"$tmp/done.$w"; } &
		w=$((w + 1))
	done
	# The clock starts when every watch has been answered (its 200 is in
	# the request log), not when it was asked for.
	i=0
	while test "$(grep -c 'watch=true' "$tmp/requests" 2>/dev/null)" -lt $watchers; do
		i=$((i + 1))
		test $i -gt 600 && { echo "warning: the watches did not start" >&2; break; }
		sleep 0.05
	done
	t0=$(now)
	curl -s -o /dev/null -X POST -H 'Content-Type: application/json' \
		-d "{\"action\":\"churn\",\"resource\":\"pods\",\"count\":$events}" \
		"$url/podscope-sim/v1/actions"
	i=0
	while test "$(ls "$tmp"/done.* 2>/dev/null | wc -l)" -lt $watchers; do
		i=$((i + 1))
		test $i -gt 1200 && break
		sleep 0.05
	done
	last=$(cat "$tmp"/done.* 2>/dev/null | sort -n | tail -n 1)
	if test "$(ls "$tmp"/done.* 2>/dev/null | wc -l)" -eq $watchers; then
		rate=$(echo "$t0 $last $events" | awk '{ printf "%.0f", $3 / ($2 - $1) }')
	else
		rate=timeout
	fi
	rm -f "$tmp"/done.*

	pss_sample
	rss=$(hwm)
	sim_stop
	printf '%-14s %9s %11s %13s %8s %8s %8s %8s %18s\n' "$d/$p" "$start" "$curl_s" "$kubectl_s" \
		"$(mb "${rss:-0}")" "$(mb "$peak_pss")" "$(mb "$((${rss:-0} - floor_rss))")" \
		"$(mb "$((peak_pss - floor_pss))")" "$rate"
done
