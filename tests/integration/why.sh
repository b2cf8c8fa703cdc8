#!/bin/sh
# The root cause in one line against podscope-sim: for each failure (an image
# that cannot be pulled, a crash loop, a readiness probe that never passes,
# an init container waiting on a Service, a pod no node can take) `get` names
# the cause, and `wait --settle 5s` exits 1 with it well before the progress
# deadline (3000 s simulated, 300 s of wall time at --speed 10).
set -u
. "${TOP_SRCDIR:-.}/tests/integration/get_lib.sh"

start_sim "$FIX/why.yaml" --speed 10
t0=$(date +%s)

# why_is NAME ERE: `get deploy/NAME` prints "  why: " matching ERE.
why_is() {
	ps_ get "deploy/$1" >"$dir/out.get.$1" 2>&1 && grep -Eq "^  why: $2\$" "$dir/out.get.$1"
}
# fails_fast NAME ERE: wait exits 1 with the line, well before the deadline.
fails_fast() {
	expect_rc 1 "wait.$1" ps_ wait "deploy/$1" --settle 5s --timeout 200s
	grep -Eq "^error: deployment \"$1\" rollout failed: $2\$" "$dir/out.wait.$1" ||
		fail "$1: no why line in wait: $(tail -3 "$dir/out.wait.$1")"
	# The deadline is 300 s after the start; half of it is a generous margin.
	[ $(($(date +%s) - t0)) -lt 150 ] || fail "$1: wait ended too late"
}

check() {
	until_ok 60 why_is "$1" "$2" || fail "$1: get: $(grep why "$dir/out.get.$1")"
	if [ "${3:-}" = wait ]; then fails_fast "$1" "$2"; fi
}

check badimg '2 new pods ImagePullBackOff: nginx:missing: not found' wait
# The crash loop's last log line: its previous container's, through the
# log API (tailLines=1), in get and in wait's failure line.
check crash '2 new pods CrashLoopBackOff \(exit 1\), last log line: starting' wait
check stalled '2 new pods not ready: Readiness probe failed: HTTP probe failed with statuscode: 404' wait
check nosched "2 new pods Pending: 0/3 nodes are available: 3 node\\(s\\) didn't match Pod's node affinity/selector" wait
# An init container held for the settle time (here waiting for a Service
# that never comes) fails the wait; --no-fail-fast waits on (a migration).
check initwait '1 new pod waiting in init container wait-db \(running [0-9hms]+\), last log line: waiting for db' wait
expect_rc 3 wait.initwait.nofast ps_ wait deploy/initwait --no-fail-fast --settle 1s --timeout 4s

# -o json: the same line, and its class.
ps_ get deploy/crash -o json >"$dir/out.json" 2>&1 || fail "get -o json"
grep -Eq '"why":"2 new pods CrashLoopBackOff \(exit 1\), last log line: starting","whyCause":"crash-loop"' "$dir/out.json" ||
	fail "json: no why"
# --no-fail-fast: the wait goes on (here to its timeout).
expect_rc 3 nofast ps_ wait deploy/crash --no-fail-fast --settle 1s --timeout 4s
echo "PASS"
