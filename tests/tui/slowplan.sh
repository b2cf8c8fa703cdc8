#!/bin/sh
# A slow API server never freezes the screen while an action is planned:
# podscope-sim answers every request 8 s late, a plan is started, and the
# keys typed meanwhile (the selection moved, help opened and closed) show
# on the screen before the plan's dialog does, and the dialog is for the
# deployment selected when the plan started. Esc cancels a pending plan.
. "$TOP_SRCDIR/tests/tui/lib.sh"
start_sim "$FIXTURES/actions.yaml" --fault slow:ms=8000 --request-log "$work/req.log"
start_ui 120 40 --
wait_for ' web +Rolling +2/2 ' 60
# blue and web (and the pod debug-shell): two rows in a stable order.
keys / b Enter
wait_gone ' green +Rolling' 30
wait_for '^▶ Deployment +blue +Rolling'

# No dialog can come before the plan's GET is answered, 8 s on.
keys p j
wait_for '^▶ Deployment +web +Rolling' 4
grep -q 'Confirm ' "$work/screen" && { echo "FAIL: the selection moved only after the dialog"; cat "$work/screen"; exit 1; }
keys '?'
wait_for 'Keys \(\? or Esc closes\)' 4
grep -q 'Confirm ' "$work/screen" && { echo "FAIL: help came only after the dialog"; cat "$work/screen"; exit 1; }
keys '?'
wait_gone 'Keys \(\? or Esc closes\)' 4
grep -q 'Confirm ' "$work/screen" && { echo "FAIL: help closed only after the dialog"; cat "$work/screen"; exit 1; }
wait_for 'pause blue: reading the cluster \(Esc cancels\)' 4
# A second action waits for the first, and says so.
keys r
wait_for 'restart: still reading the cluster for pause' 4
grep -q 'Confirm ' "$work/screen" && { echo "FAIL: the status came only after the dialog"; cat "$work/screen"; exit 1; }
# Then the plan's dialog, for the deployment the plan was started on.
wait_for 'Confirm pause on deploy/blue' 20
wait_for 'spec.paused: true'
keys n
wait_gone 'Confirm '

# Esc while the plan is read cancels it and its transfer: no dialog comes,
# and the next action may start at once.
keys p
wait_for 'pause web: reading the cluster' 4
keys Escape
wait_for 'cancelled: nothing was sent' 4
keys -- +
wait_for 'scale-up web: reading the cluster' 4
wait_for 'Confirm scale on deploy/web' 20
grep -q 'Confirm pause' "$work/screen" && { echo "FAIL: the cancelled plan's dialog came"; exit 1; }
keys Escape
wait_gone 'Confirm '
keys q
wait_for '^EXITED 0$' 20
others=$(grep -v ' GET ' "$work/req.log" | grep -v ' POST /apis/authorization.k8s.io/v1/selfsubjectaccessreviews ' || true)
if [ -n "$others" ]; then
	echo "FAIL: cancelled plans sent requests:"
	echo "$others"
	exit 1
fi
pass "keys and drawing go on while a plan waits for a slow server"
