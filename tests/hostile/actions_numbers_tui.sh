#!/bin/sh
# Issue 10, "Hostile numbers", on the dashboard: objects whose numbers no
# Go type of their field holds are refused, and the status line says how
# many and why, instead of leaving them out in silence.
. "$TOP_SRCDIR/tests/tui/lib.sh"
. "$TOP_SRCDIR/tests/hostile/lib.sh"
trap 'cleanup; hs_cleanup' EXIT

hs_start numbers
cp "$HS_KUBECONFIG" "$work/kc"
start_ui 200 40 -- -n default
wait_for '1 deployments refused, not shown: deployments json: cannot unmarshal number 2147483648' 30
keys q
wait_for '^EXITED 0$' 30
echo PASS
