#!/bin/sh
# Cancelling sends nothing: every dialog and every action's prompt is opened
# and cancelled (Esc, n), and podscope-sim's request log then holds no
# request but GET, apart from the one access review made at start.
. "$TOP_SRCDIR/tests/tui/lib.sh"
start_sim "$FIXTURES/actions.yaml" --request-log "$work/req.log"
start_ui 120 40 --
wait_for ' web +Rolling +2/2 '
keys / w e b Enter
wait_gone ' blue +Rolling'
for k in r p + -; do
	keys -- "$k"
	wait_for 'Confirm [a-z-]+ on deploy/web'
	keys Escape
	wait_for 'cancelled: nothing was sent'
	wait_gone 'Confirm '
	keys -- "$k"
	wait_for 'Confirm [a-z-]+ on deploy/web'
	keys n
	wait_gone 'Confirm '
done
# Prompts: cancelled before the dialog, and the dialog after them.
keys s 3
wait_for 'to N, \+N or -N: 3 +-> 3 replicas'
keys Escape
wait_for 'cancelled: nothing was sent'
keys s 3 Enter
wait_for 'Confirm scale on deploy/web'
keys Escape
wait_gone 'Confirm '
keys i
wait_for 'CONTAINER=IMAGE: web='
keys Escape
wait_for 'cancelled: nothing was sent'
keys i n g i n x : 1 . 2 7 Enter
wait_for 'Confirm set-image on deploy/web'
keys n
wait_gone 'Confirm '
keys u
wait_for 'REVISION +IMAGES +CHANGE-CAUSE'
keys Escape
wait_gone 'REVISION +IMAGES'
keys : s w i t c h Space s h o p Space g r e e n Enter
wait_for 'Confirm switch-service on svc/shop'
keys Escape
wait_gone 'Confirm '
keys Escape / d e b u g Enter
wait_gone ' web +Rolling'
keys j d
wait_for 'Confirm delete-pod on pod/debug-shell'
keys Escape
wait_gone 'Confirm '
keys q
wait_for '^EXITED 0$'
others=$(grep -v ' GET ' "$work/req.log" | grep -v ' POST /apis/authorization.k8s.io/v1/selfsubjectaccessreviews ' || true)
if [ -n "$others" ]; then
	echo "FAIL: cancelled dialogs sent requests:"
	echo "$others"
	exit 1
fi
[ "$(grep -c selfsubjectaccessreviews "$work/req.log")" -eq 1 ] ||
	{ echo "FAIL: not exactly one access review"; exit 1; }
pass cancel
