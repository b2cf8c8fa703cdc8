#!/bin/sh
# The rollout view's log pane follows at most 32 pods, and says it is
# capped when the Deployment has more.
. "$TOP_SRCDIR/tests/tui/lib.sh"
start_sim "$FIXTURES/mlogs_cap.yaml" --speed 4
start_ui 120 40 -- -A
wait_for 'Deployment +many ' 30
keys / m a n y Enter
keys Enter
wait_for 'deploy/many +RollingUpdate'
wait_for 'want 34 cur 34 rdy 34' 90
keys L
wait_for '^ LOGS new\+old: 32 pods \(capped\) +32 lines' 60
wait_for '^ [0-9a-f]+-[a-z0-9]+ many hello *$'
keys q
wait_for '^EXITED 0$'
pass mlogs_cap
