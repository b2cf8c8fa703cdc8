#!/bin/sh
# podscope-sim against a hostile client: a ReplicaSet of 2147483647 replicas
# (valid: upstream has no cap) fills the pods up to --max-objects while the
# simulator keeps answering; replicas beyond int32 are refused; SIGTERM in
# the middle of it all ends it at once, with status 0, under a memory cap.
set -eu
. "$(dirname "$0")/lib.sh"

SIM=${PODSCOPE_SIM:?}
command -v curl >/dev/null 2>&1 || { echo "SKIP: no curl"; exit 77; }
MAX=3000

"$HCHECK" run --rss-max 400 --timeout 120 --status-file "$hs_dir/sim.status" -- \
	"$SIM" --allow-anonymous --port 0 --max-objects $MAX >"$hs_dir/sim.out" 2>"$hs_dir/sim.err" &
hcheck_pid=$!
i=0
until grep -q '^podscope-sim: listening on ' "$hs_dir/sim.out" 2>/dev/null; do
	kill -0 "$hcheck_pid" 2>/dev/null || hs_fail "podscope-sim did not start"
	i=$((i + 1))
	[ $i -lt 200 ] || hs_fail "podscope-sim did not start in 20 s"
	sleep 0.1
done
url=$(sed -n 's/^podscope-sim: listening on //p' "$hs_dir/sim.out")
sim_pid=$(ps -o pid= --ppid "$hcheck_pid" | tr -d ' ')
[ -n "$sim_pid" ] || hs_fail "no podscope-sim under hcheck"
trap 'kill "$sim_pid" 2>/dev/null || true; wait "$hcheck_pid" 2>/dev/null || true; hs_cleanup' EXIT

post() { # PATH BODY -> the status, the answer in $hs_dir/answer
	curl -s -m 10 -o "$hs_dir/answer" -w '%{http_code}' -X POST \
		-H 'Content-Type: application/json' --data-binary "$2" "$url$1"
}
workload() { # KIND NAME REPLICAS
	printf '{"apiVersion":"apps/v1","kind":"%s","metadata":{"name":"%s"},"spec":{"replicas":%s,"selector":{"matchLabels":{"app":"%s"}},"template":{"metadata":{"labels":{"app":"%s"}},"spec":{"containers":[{"name":"c","image":"nginx"}]}}}}' \
		"$1" "$2" "$3" "$2" "$2"
}

for n in 2147483648 4294967297 1e400; do
	[ "$(post /apis/apps/v1/namespaces/default/deployments "$(workload Deployment d "$n")")" = 400 ] ||
		hs_fail "replicas $n: $(cat "$hs_dir/answer")"
	grep -qF "cannot unmarshal number $n into Go struct field DeploymentSpec.spec.replicas of type int32" \
		"$hs_dir/answer" || hs_fail "replicas $n: $(cat "$hs_dir/answer")"
done

[ "$(post /apis/apps/v1/namespaces/default/replicasets "$(workload ReplicaSet big 2147483647)")" = 201 ] ||
	hs_fail "the ReplicaSet: $(cat "$hs_dir/answer")"
# Every poll is also a check that the simulator keeps answering while its
# controller works: within 5 s (a loop that never yields would never answer;
# 2 s was too tight for ASan on a machine loaded with other builds).
i=0
until curl -s -m 5 "$url/api/v1/pods?limit=1" >"$hs_dir/pods" &&
	grep -q "\"remainingItemCount\":$((MAX - 1))" "$hs_dir/pods"; do
	curl -s -m 5 -o /dev/null "$url/healthz" || hs_fail "/healthz did not answer in 5 s"
	i=$((i + 1))
	[ $i -lt 600 ] || hs_fail "not $MAX pods within 60 s: $(head -c 300 "$hs_dir/pods")"
	sleep 0.1
done
# The next sync of the ReplicaSet hits the limit and says so.
i=0
until curl -s -m 10 "$url/api/v1/namespaces/default/events" |
	grep -q 'Error creating: pods \\"big-\\" is forbidden: exceeded quota: podscope-sim-max-objects'; do
	i=$((i + 1))
	[ $i -lt 300 ] || hs_fail "no FailedCreate event at $MAX pods within 30 s"
	sleep 0.1
done
[ "$(post /api/v1/namespaces/default/pods '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"one-more"},"spec":{"containers":[{"name":"c","image":"nginx"}]}}')" = 403 ] ||
	hs_fail "pod $((MAX + 1)): $(cat "$hs_dir/answer")"

kill -TERM "$sim_pid"
i=0
while kill -0 "$hcheck_pid" 2>/dev/null; do
	i=$((i + 1))
	[ $i -lt 30 ] || hs_fail "podscope-sim still running 3 s after SIGTERM"
	sleep 0.1
done
wait "$hcheck_pid" || hs_fail "hcheck: $(cat "$hs_dir/sim.status")"
grep -q '^status 0$' "$hs_dir/sim.status" || hs_fail "exit: $(cat "$hs_dir/sim.status")"
echo "PASS: podscope-sim held $MAX pods of 2147483647, refused int32 overflows, stopped on SIGTERM"
