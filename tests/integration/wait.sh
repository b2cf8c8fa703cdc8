#!/bin/sh
# podscope wait's exit codes against podscope-sim: 0 rolled out, 1 failed
# (progress deadline; a new pod crash-looping, with the cause on one line),
# 2 usage or configuration, 3 timeout.
set -u
. "${TOP_SRCDIR:-.}/tests/integration/get_lib.sh"

# 2: usage and configuration, before any connection.
expect_rc 2 noarg "$PODSCOPE" wait
expect_rc 2 pod "$PODSCOPE" wait pod/x
expect_rc 2 bad "$PODSCOPE" wait svc/x
expect_rc 2 timeout "$PODSCOPE" wait deploy/x --timeout 30
grep -q 'missing unit in duration' "$dir/err.timeout" || fail "timeout: no Go duration error"
expect_rc 2 output "$PODSCOPE" wait deploy/x -o json
expect_rc 2 settle "$PODSCOPE" wait deploy/x --settle 5
grep -q -- '--settle: .*missing unit in duration' "$dir/err.settle" || fail "settle: no Go duration error"
expect_rc 2 nokc "$PODSCOPE" --kubeconfig "$dir/none.yaml" wait deploy/x

# 0: a rolling update from nginx 1.26 to 1.27, followed to the end.
start_sim "$FIX/life-rollout.yaml" --speed 10
rev2() {
	ps_ get deploy/web >"$dir/out.rev" 2>&1 && grep -q 'revision 2' "$dir/out.rev"
}
until_ok 60 rev2 || fail "the rollout to revision 2 never started"
expect_rc 0 done ps_ wait deploy/web --timeout 60s
grep -q '^deployment "web" successfully rolled out$' "$dir/out.done" || fail "done: no success line"
grep -q 'new web-[a-z0-9]* (revision 2): 3 desired' "$dir/out.done" ||
	fail "done: no generation counts"
expect_rc 1 gone ps_ wait deploy/nope --timeout 10s
grep -q 'deployments.apps "nope" not found' "$dir/err.gone" || fail "gone: no not found"

# 1: new pods crash-loop: the root cause on one line.
start_sim "$FIX/life-crash.yaml" --speed 20
expect_rc 1 crash ps_ wait deploy/crash --timeout 60s --settle 2s
grep -Eq '^error: deployment "crash" rollout failed: 2 new pods CrashLoopBackOff \(exit 2\), last log line: starting$' \
	"$dir/out.crash" || fail "crash: no root-cause line"

# 1: the progress deadline.
start_sim "$FIX/life-deadline.yaml" --speed 20
expect_rc 1 deadline ps_ wait deploy/late --timeout 60s
grep -q '^error: deployment "late" exceeded its progress deadline$' "$dir/out.deadline" ||
	fail "deadline: no deadline line"
grep -q 'init-running 1/1' "$dir/out.deadline" || fail "deadline: no pod stage"

# 3: --timeout while init containers are still running.
start_sim "$FIX/life-slow.yaml"
expect_rc 3 slow ps_ wait deploy/slow --timeout 2s
grep -q '^error: timed out waiting for the condition$' "$dir/err.slow" || fail "slow: no timeout line"
echo "PASS"
