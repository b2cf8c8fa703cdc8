#!/bin/sh
# The wallboard over several contexts: every cluster's trouble on the one
# wall, each named by its context; a cluster that goes away is named in the
# banner while the others' trouble stays shown.
. "$TOP_SRCDIR/tests/tui/lib.sh"
. "$TOP_SRCDIR/tests/tui/fleet_lib.sh"
fleet_sims "$FIXTURES/actions.yaml" prod-eu prod-us staging
# staging's web cannot pull its new image: trouble on staging alone.
k --context staging set image deploy/web web=nginx:does-not-exist >/dev/null
start_ui 140 40 -- --wallboard --context prod-eu,prod-us,staging
wait_for '(TROUBLE|ROLLOUT) 1/1 +staging: default/web '
wait_for 'context staging +namespace default'
# Another cluster's trouble joins it, side by side in the order of names.
k --context prod-eu set image deploy/web web=nginx:does-not-exist >/dev/null
wait_for '(TROUBLE|ROLLOUT) [12]/2 +prod-eu: default/web '
keys j
wait_for '(TROUBLE|ROLLOUT) 2/2 +staging: default/web '
# prod-us goes away: the banner names it, and the trouble stays on the wall.
kill "$pid_prod_us"
wait "$pid_prod_us" 2>/dev/null || true
wait_for 'prod-us: STALE: reconnecting'
wait_for '(TROUBLE|ROLLOUT) [12]/2 +(staging|prod-eu): default/web '
keys q
wait_for '^EXITED 0$'
pass fleet_wallboard
