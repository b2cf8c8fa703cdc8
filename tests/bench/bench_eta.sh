#!/bin/sh
# The rollout ETA against the truth (issue 13): podscope-sim rolls a
# Deployment out with known timings (a readiness probe's initial delay, the
# image pulls), ten runs with different sizes, delays and budgets. When half
# of the new pods are available, the range `podscope get -o json` gives
# ("eta": lowSeconds, highSeconds) is noted; the true time left is from then
# to the end of the rollout (kubectl's "successfully rolled out", as podscope
# get reports it). Target: the true end inside the range in at least 8 of
# the 10 runs. No tool users would otherwise use gives an ETA (kubectl
# rollout status has none), so the table has podscope's column only.
#   PODSCOPE, PODSCOPE_SIM, KUBECTL  the programs
#   BENCH_ETA_SPEED  the simulator's --speed (default 4: ten runs in about
#                    four minutes); times in the table are the cluster's
set -u
ps=${PODSCOPE:-./podscope}
sim=${PODSCOPE_SIM:-./podscope-sim}
kubectl=${KUBECTL-$(command -v kubectl 2>/dev/null)}
speed=${BENCH_ETA_SPEED:-4}
test -x "$ps" || { echo "SKIP: no podscope at $ps"; exit 77; }
test -x "$sim" || { echo "SKIP: no podscope-sim at $sim"; exit 77; }
test -n "$kubectl" && test -x "$kubectl" || { echo "SKIP: bench_eta.sh needs kubectl"; exit 77; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/podscope-eta.XXXXXX") || exit 1
pid=
trap 'test -n "$pid" && kill "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM

now_ms() { date +%s%3N; }

# json_num KEY FILE: the first number after "KEY": in FILE.
json_num() { sed -n "s/.*\"$1\":\(-\{0,1\}[0-9][0-9]*\).*/\1/p" "$2" | head -n 1; }

# new_available FILE: the new generation's available pods.
new_available() {
	tr '{' '\n' <"$1" | grep '"role":"new"' | head -n 1 |
		sed -n 's/.*"available":\([0-9][0-9]*\).*/\1/p'
}

deploy() { # NAME REPLICAS DELAY SURGE UNAVAILABLE IMAGE
	cat <<YAML
apiVersion: apps/v1
kind: Deployment
metadata:
  name: $1
spec:
  replicas: $2
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxSurge: $4
      maxUnavailable: $5
  selector:
    matchLabels:
      app: $1
  template:
    metadata:
      labels:
        app: $1
    spec:
      containers:
      - name: web
        image: $6
        readinessProbe:
          httpGet:
            path: /
            port: 80
          initialDelaySeconds: $3
          periodSeconds: 2
YAML
}

printf '%-4s %-9s %-6s %-8s %-10s %-22s %10s %6s\n' run replicas delay budgets "at 50%" "estimate (low-high s)" "true s" inside
inside=0
runs=0
for spec in ${BENCH_ETA_RUNS:-4:5:1:0 6:10:2:1 8:15:25%:25% 10:8:1:1 12:12:3:0 6:20:0:1 8:6:2:2 10:10:1:0 4:15:1:1 12:5:50%:0}; do
	IFS=: read -r reps delay surge unav <<SPEC
$spec
SPEC
	runs=$((runs + 1))
	test -n "$pid" && { kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; }
	rm -f "$tmp/kc" "$tmp/sim.out"
	"$sim" --tls --port 0 --speed "$speed" --write-kubeconfig "$tmp/kc" >"$tmp/sim.out" 2>"$tmp/sim.err" &
	pid=$!
	i=0
	until grep -q '^podscope-sim: listening on ' "$tmp/sim.out" 2>/dev/null; do
		i=$((i + 1))
		test $i -lt 200 || { echo "podscope-sim did not start: $(cat "$tmp/sim.err")"; exit 1; }
		sleep 0.1
	done
	deploy web "$reps" "$delay" "$surge" "$unav" nginx:1.26 >"$tmp/d.yaml"
	"$kubectl" --kubeconfig "$tmp/kc" apply -f "$tmp/d.yaml" >/dev/null || exit 1
	"$ps" --kubeconfig "$tmp/kc" wait deploy/web --timeout 300s >/dev/null || {
		echo "run $runs: the first rollout did not finish"; exit 1; }
	deploy web "$reps" "$delay" "$surge" "$unav" nginx:1.27 >"$tmp/d.yaml"
	"$kubectl" --kubeconfig "$tmp/kc" apply -f "$tmp/d.yaml" >/dev/null || exit 1
	half=$(((reps + 1) / 2))
	lo= hi= t50= tend=
	: >"$tmp/trace"
	deadline=$(($(now_ms) + 600000))
	while test "$(now_ms)" -lt "$deadline"; do
		t=$(now_ms)
		"$ps" --kubeconfig "$tmp/kc" get deploy/web -o json >"$tmp/g.json" 2>/dev/null || continue
		if grep -q '"state":"complete"' "$tmp/g.json"; then
			tend=$t
			break
		fi
		a=$(new_available "$tmp/g.json")
		test -n "${BENCH_ETA_DEBUG:-}" &&
			echo "$t new available $a: $(sed -n 's/.*\("eta":{[^}]*}\).*/\1/p' "$tmp/g.json")" >>"$tmp/trace"
		if test -z "$t50" && test -n "$a" && test "$a" -ge "$half" &&
			grep -q '"eta":{"state":"range"' "$tmp/g.json"; then
			t50=$t
			lo=$(json_num lowSeconds "$tmp/g.json")
			hi=$(json_num highSeconds "$tmp/g.json")
		fi
		sleep 0.1
	done
	test -n "${BENCH_ETA_DEBUG:-}" && cat "$tmp/trace" >&2
	if test -z "$tend" || test -z "$t50"; then
		printf '%-4s %-9s %-6s %-8s %-10s %-22s %10s %6s\n' "$runs" "$reps" "${delay}s" \
			"$surge/$unav" "${t50:+yes}" "${lo:-?}-${hi:-?}" "?" NO
		continue
	fi
	true_s=$(awk -v a="$t50" -v b="$tend" -v s="$speed" 'BEGIN { printf "%.1f", (b - a) * s / 1000 }')
	ok=$(awk -v t="$true_s" -v l="$lo" -v h="$hi" 'BEGIN { print (t >= l && t <= h) ? "yes" : "NO" }')
	test "$ok" = yes && inside=$((inside + 1))
	printf '%-4s %-9s %-6s %-8s %-10s %-22s %10s %6s\n' "$runs" "$reps" "${delay}s" \
		"$surge/$unav" "$half avail" "$lo-$hi" "$true_s" "$ok"
done
verdict=NO
test "$inside" -ge 8 && verdict=yes
echo "true end inside the range: $inside of $runs runs (target >= 8 of 10): $verdict"
