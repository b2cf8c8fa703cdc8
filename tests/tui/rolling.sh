#!/bin/sh
# During a rolling update the rollout view shows both generations side by
# side, old on the left, new on the right, with the controller's counts, and
# the overview lists the rollout in progress first, and the estimated time
# left while it rolls.
. "$TOP_SRCDIR/tests/tui/lib.sh"
start_sim "$FIXTURES/rolling.yaml"
start_ui 120 36 -- -A
wait_for 'default +Deployment +roller +Rolling'
keys Enter
wait_for 'deploy/roller +RollingUpdate'
# maxSurge 1, maxUnavailable 0: the first step is old 3 + new 1.
wait_for 'rev 1 [0-9a-f]+ +rev 2 [0-9a-f]+ \(new\)' 40
wait_for 'nginx:1.26 +nginx:1.27 \(was :1.26\)'
wait_for 'want 3 cur 3 rdy 3 av 3 +want 1 cur 1 ' 40
wait_for 'maxSurge 1 .* 1/1 +maxUnavailable 0 '
wait_for '^ progressing '
# The time left, as a range from the first generation's start times (or
# unknown before any pod of it was seen available).
wait_for 'eta (about [0-9]+(-[0-9]+)? (s|min)|under [0-9]+ (s|min)|unknown)'
wait_for 'want 3 cur 3 rdy 3 av 3 +want 1 cur 1 '
# New pods are tiles in the right column; old ones on the left.
screen_at_step=$(cat "$work/screen")
echo "$screen_at_step" | grep -Eq '^. roller-[0-9a-f]+-[a-z0-9]+ +ready +. roller-[0-9a-f]+-[a-z0-9]+ ' ||
	{ echo "FAIL: no old and new pod tiles side by side:"; echo "$screen_at_step"; exit 1; }
# It completes: the old generation is gone from the screen.
wait_for '^ complete ' 90
wait_gone 'rev 1 [0-9a-f]+ +rev 2' 30
wait_for 'want 3 cur 3 rdy 3 av 3'
keys q
wait_for '^EXITED 0$'
pass rolling
