#!/bin/sh
# Container logs under load (make bench, issue 13): a pod of podscope/loggen
# printing BENCH_LOG_RATE lines a second (default 10,000), followed for
# BENCH_LOG_SECS seconds (default 20) by `podscope logs -f` and by
# `kubectl logs -f`, each under memsample, output to a file. The table: peak
# RSS of each (podscope's must stay under its cap however long it runs:
# target 64 MB, the logstore's total cap, and at most kubectl's), and the
# lines each printed (podscope must keep up: at least 90% of kubectl's).
#   PODSCOPE, PODSCOPE_SIM, MEMSAMPLE, KUBECTL  as bench_get.sh
set -u
ps=${PODSCOPE:-./podscope}
sim=${PODSCOPE_SIM:-./podscope-sim}
memsample=${MEMSAMPLE:-./tests/bench/memsample}
kubectl=${KUBECTL-$(command -v kubectl 2>/dev/null)}
rate=${BENCH_LOG_RATE:-10000}
secs=${BENCH_LOG_SECS:-20}
. "$(dirname "$0")/lib.sh"
bench_need
bench_init podscope-bench-logs
size="${rate}/s"

sim_up --speed 1
printf '%s' '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"chatty","namespace":"default"},' \
	'"spec":{"containers":[{"name":"gen","image":"podscope/loggen",' \
	"\"command\":[\"loggen\",\"--rate\",\"$rate\",\"--size\",\"120\"]}]}}" >"$tmp/pod.json"
"$ps" $kc version >/dev/null 2>&1 || { echo "podscope cannot reach the sim" >&2; exit 1; }
command -v curl >/dev/null 2>&1 || { echo "SKIP: curl is not installed"; exit 77; }
curl -sk -X POST -H 'Content-Type: application/json' --data-binary @"$tmp/pod.json" \
	"$url/api/v1/namespaces/default/pods" >"$tmp/create.out" ||
	{ echo "create chatty failed" >&2; exit 1; }
i=0
until "$ps" $kc logs pod/chatty --tail 1 2>/dev/null | grep -q loggen; do
	i=$((i + 1))
	test $i -lt 300 || { echo "chatty did not start" >&2; exit 1; }
	sleep 0.1
done

# follow NAME PROGRAM ARG...: run it under memsample for $secs seconds.
follow() {
	fname=$1
	shift
	"$memsample" -o "$tmp/$fname.mem" timeout -s INT "$secs" "$@" >"$tmp/$fname.out" \
		2>"$tmp/$fname.err"
	eval "${fname}_rss=$(awk '{ printf "%.1f", $1 / 1024 }' "$tmp/$fname.mem")"
	eval "${fname}_lines=$(wc -l <"$tmp/$fname.out")"
}
follow ps "$ps" $kc logs -f pod/chatty
k_rss=SKIP k_lines=SKIP
if test -n "$kubectl"; then
	follow k "$kubectl" $kc logs -f chatty
fi
table_header
printf '%-14s %-26s %12s %12s %8s %10s %s\n' "$size" "peak RSS MB (cap 64)" "$ps_rss" "-" "-" \
	"<= 64" "$(awk -v r="$ps_rss" 'BEGIN { print (r <= 64) ? "yes" : "NO" }')"
row "peak RSS MB" "$ps_rss" "$k_rss" "<=" 1
info "lines printed in ${secs}s" "$ps_lines" "$k_lines"
