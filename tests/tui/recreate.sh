#!/bin/sh
# A Recreate rollout on screen: before it, the rollout view says what
# Recreate will do; while the old pods stop and no pod runs, the GAP banner
# and the old pods' tiles as terminating; then the new generation, ready.
. "$TOP_SRCDIR/tests/tui/lib.sh"
start_sim "$FIXTURES/recreate.yaml"
start_ui 120 36 -- -A
wait_for 'default +Deployment +gapper +Recreate +2/2'
keys Enter
wait_for 'deploy/gapper +Recreate +revision'
wait_for 'Recreate: every old pod stops before the new ones start'
wait_for 'GAP: no pods run while Recreate replaces the old generation' 40
wait_for 'gapper-[0-9a-f]+-[a-z0-9]+ +terminating'
wait_gone 'GAP: no pods run' 40
wait_for '^ complete ' 60
wait_for 'Recreate: every old pod stops before the new ones start'
keys q
wait_for '^EXITED 0$'
pass recreate
