#!/bin/sh
# The seed failure scenarios that are rollouts, as podscope-sim ships them:
# stalled (a readiness probe on a page nginx lacks; progress deadline 60 s,
# readiness every 10 s) and bad-image (deadline 120 s). `get` names the
# cause, and `wait --settle 5s` fails with it before the deadline: the
# failure line is the why line, not kubectl's deadline error.
set -u
. "${TOP_SRCDIR:-.}/tests/integration/get_lib.sh"

start_sim stalled --scenario bad-image --speed 2

why_is() {
	ps_ get "deploy/$1" >"$dir/out.get.$1" 2>&1 && grep -Eq "^  why: $2\$" "$dir/out.get.$1"
}
check() {
	until_ok 90 why_is "$1" "$2" || fail "$1: get: $(grep why "$dir/out.get.$1")"
	expect_rc 1 "wait.$1" ps_ wait "deploy/$1" --settle 5s --timeout 120s
	grep -Eq "^error: deployment \"$1\" rollout failed: $2\$" "$dir/out.wait.$1" ||
		fail "$1: not failed fast: $(tail -3 "$dir/out.wait.$1")"
	! grep -q 'exceeded its progress deadline' "$dir/out.wait.$1" ||
		fail "$1: the deadline came first"
}
check stalled '1 new pod not ready: Readiness probe failed: HTTP probe failed with statuscode: 404'
check bad-image '1 new pod ImagePullBackOff: nginx:1.28: not found'
echo "PASS"
