#!/bin/sh
# Many contexts, the access review per context: one podscope-sim seen as two
# contexts, "sim" (sim-admin) and "sim-readonly". sim-readonly's own review
# says no: that cluster alone becomes read-only (its rows refuse an action
# before any request), while the same action on "sim" goes through after a
# dialog naming "sim".
. "$TOP_SRCDIR/tests/tui/lib.sh"
start_sim "$FIXTURES/actions.yaml" --kubeconfig-context sim --request-log "$work/req.log"
export XDG_STATE_HOME="$work/state"
start_ui 160 40 -- --context sim,sim-readonly
wait_for '^ +CONTEXT +KIND +NAME '
keys / w e b Enter
wait_for '^. sim +Deployment +web +Rolling '
wait_for '^  sim-readonly +Deployment +web +Rolling '
wait_for 'sim-readonly read-only: user "sim-readonly" may not patch deployments.apps'
wait_gone '\[read-only\]'

keys G
wait_for 'ctx sim-readonly .*\[read-only\]'
keys p
wait_for 'read-only: pause would change the cluster'
grep -Eq 'sim-readonly POST /apis/authorization.k8s.io/v1/selfsubjectaccessreviews' "$work/req.log" ||
	{ echo "FAIL: no access review by sim-readonly in the request log"; exit 1; }
grep -Eq 'sim-admin POST /apis/authorization.k8s.io/v1/selfsubjectaccessreviews' "$work/req.log" ||
	{ echo "FAIL: no access review by sim-admin in the request log"; exit 1; }

keys g
wait_gone '\[read-only\]'
wait_for 'ctx sim '
keys p
wait_for 'Confirm pause on deploy/web \(namespace default\) in context sim$'
keys y
wait_for 'deployment.apps/web paused'
grep -Eq 'sim-admin PATCH /apis/apps/v1/namespaces/default/deployments/web.* 200$' "$work/req.log" ||
	{ echo "FAIL: no PATCH by sim-admin in the request log"; exit 1; }
# An action's input names its cluster too.
keys s
wait_for '^\[sim\] scale deploy/web \(now 2\) to N'
keys Escape
wait_gone '^\[sim\] scale'
if grep -E 'sim-readonly (PATCH|PUT|DELETE) ' "$work/req.log"; then
	echo "FAIL: a change was sent as sim-readonly"
	exit 1
fi
keys q
wait_for '^EXITED 0$'
pass fleet_access
