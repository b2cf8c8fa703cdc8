#!/bin/sh
# The why line's last log line on the dashboard: a crash loop's previous
# container's line, fetched in the background (whylog.c through badge.c's
# hook), shows in the overview's ROLLOUT column and on the rollout view.
. "$TOP_SRCDIR/tests/tui/lib.sh"
start_sim "$TOP_SRCDIR/tests/fixtures/sim/why.yaml" --speed 10
start_ui 220 40 -- -A
wait_for 'crash +Rolling .*2 new pods CrashLoopBackOff \(exit 1\), last log line: starting' 60
keys / c r a s h Enter
wait_gone 'badimg'
keys Enter
wait_for 'deploy/crash'
wait_for 'why: 2 new pods CrashLoopBackOff \(exit 1\), last log line: starting'
keys q
wait_for '^EXITED 0$'
pass why_log
