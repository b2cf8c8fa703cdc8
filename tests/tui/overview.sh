#!/bin/sh
# The overview lists the scenario's deployments with their rollout badges and
# the pods no Deployment owns, trouble first; q leaves with the terminal back.
. "$TOP_SRCDIR/tests/tui/lib.sh"
start_sim "$FIXTURES/overview.yaml"
start_ui 100 30 -- -A
wait_for '^  NAMESPACE +KIND +NAME +STRATEGY +READY +UP-TO-DATE +AVAILABLE +AGE +ROLLOUT'
wait_for 'default +deploy +web +Rolling +3/3 +3 +3 .* complete'
wait_for 'default +deploy +api +Recreate +2/2 +2 +2 .* complete'
wait_for 'standalone pods'
wait_for 'crasher .*CrashLoop'
wait_for 'debug-shell .*ready'

# The filter narrows the list as it is typed; Esc on the list clears it.
keys / a p i Enter
wait_gone ' web '
wait_for ' api '
keys Escape
wait_for ' web '

# Enter opens the rollout view, Esc goes back.
keys / w e b Enter
wait_gone ' api '
keys Enter
wait_for 'deploy/web +RollingUpdate +revision 1 +replicas 3'
wait_for 'maxSurge 1 .* 0/1 +maxUnavailable 0 .* 0/0'
wait_for 'rev 1 [0-9a-f]+ \(new\)'
wait_for 'want 3 cur 3 rdy 3 av 3'
keys Escape
wait_for 'ROLLOUT'
keys Escape
wait_for ' api '

keys q
wait_for '^EXITED 0$'
# The alternate screen is gone: nothing of podscope is left in the pane.
if screen | grep -q 'ROLLOUT'; then
	echo "FAIL: the terminal was not restored"; screen; exit 1
fi
pass overview
