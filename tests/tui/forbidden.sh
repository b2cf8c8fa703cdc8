#!/bin/sh
# A 403 is shown clearly: start as sim-admin (the access check says yes, so
# podscope is read-write), then switch to sim-readonly with :ctx (the check
# is made once, at start), and the API's refusal names the user and the verb.
. "$TOP_SRCDIR/tests/tui/lib.sh"
start_sim "$FIXTURES/actions.yaml" --request-log "$work/req.log"
export XDG_STATE_HOME="$work/state"
start_ui 160 40 --
wait_for ' web +Rolling +2/2 '
keys : c t x Space s i m - r e a d o n l y Enter
wait_for 'ctx sim-readonly'
wait_for ' web +Rolling +2/2 '
keys / w e b Enter
wait_gone ' blue +Rolling'
keys p
wait_for 'Confirm pause on deploy/web'
keys y
wait_for 'deployments.apps "web" is forbidden: User "sim-readonly" cannot patch resource "deployments"'
grep -Eq 'sim-readonly PATCH /apis/apps/v1/namespaces/default/deployments/web.* 403$' "$work/req.log" ||
	{ echo "FAIL: no refused PATCH in the request log"; exit 1; }
grep -q 'forbidden' "$work/state/podscope/audit.log" ||
	{ echo "FAIL: the audit log does not record the refusal"; exit 1; }
keys q
wait_for '^EXITED 0$'
pass forbidden
