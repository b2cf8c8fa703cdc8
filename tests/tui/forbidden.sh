#!/bin/sh
# Rights follow the context. Start as sim-admin (the access check says yes:
# read-write). :ctx sim-readonly: the check runs again and podscope becomes
# read-only by itself, refusing actions before any request. :ctx sim-deployer
# (may patch deployments, nothing else): read-write again, a pause goes
# through, and deleting a pod, which the check cannot foresee, gets the API's
# 403 in one clear line that names the user and the verb.
. "$TOP_SRCDIR/tests/tui/lib.sh"
start_sim "$FIXTURES/actions.yaml" --request-log "$work/req.log"
export XDG_STATE_HOME="$work/state"
start_ui 160 40 --
wait_for ' web +Rolling +2/2 '
wait_gone '\[read-only\]'

keys : c t x Space s i m - r e a d o n l y Enter
wait_for 'ctx sim-readonly'
wait_for 'read-only: user "sim-readonly" may not patch deployments.apps in namespace "default"'
wait_for '\[read-only\]'
wait_for ' web +Rolling +2/2 '
keys / w e b Enter
wait_gone ' blue +Rolling'
keys p
wait_for 'read-only: pause would change the cluster'
grep -Eq 'sim-readonly POST /apis/authorization.k8s.io/v1/selfsubjectaccessreviews' "$work/req.log" ||
	{ echo "FAIL: no access review by sim-readonly in the request log"; exit 1; }
if grep -E 'sim-readonly (PATCH|PUT|DELETE) ' "$work/req.log"; then
	echo "FAIL: read-only podscope sent a change as sim-readonly"
	exit 1
fi

keys Escape : c t x Space s i m - d e p l o y e r Enter
wait_for 'ctx sim-deployer'
wait_gone '\[read-only\]'
wait_for ' web +Rolling +2/2 '
keys / w e b Enter
wait_gone ' blue +Rolling'
keys p
wait_for 'Confirm pause on deploy/web'
keys y
wait_for 'deployment.apps/web paused'
grep -Eq 'sim-deployer PATCH /apis/apps/v1/namespaces/default/deployments/web.* 200$' "$work/req.log" ||
	{ echo "FAIL: no PATCH by sim-deployer in the request log"; exit 1; }

keys Escape / d e b u g Enter
wait_gone ' web +Rolling'
keys j d
wait_for 'Confirm delete-pod on pod/debug-shell'
keys y
wait_for 'pods "debug-shell" is forbidden: User "sim-deployer" cannot delete resource "pods"'
grep -Eq 'sim-deployer DELETE /api/v1/namespaces/default/pods/debug-shell.* 403$' "$work/req.log" ||
	{ echo "FAIL: no refused DELETE in the request log"; exit 1; }
grep -q 'forbidden' "$work/state/podscope/audit.log" ||
	{ echo "FAIL: the audit log does not record the refusal"; exit 1; }
keys q
wait_for '^EXITED 0$'
pass forbidden
