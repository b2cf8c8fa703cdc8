#!/bin/sh
# Issue 10, Low "Terminal text width": the dashboard draws a hostile
# cluster's names and messages with the same escapes as the headless
# commands: no control, C1, bidi or zero-width character reaches the
# screen, and what is drawn is what was measured. The screen is saved with
# W (PODSCOPE_SCREEN_FILE) and checked like any output.
. "$TOP_SRCDIR/tests/tui/lib.sh"
. "$TOP_SRCDIR/tests/hostile/lib.sh"
trap 'cleanup; hs_cleanup' EXIT

hs_start text_objects
cp "$HS_KUBECONFIG" "$work/kc"
# The overview as tmux shows it (before the fix, U+202E reached the
# terminal there), saved with W; then web's rollout view, saved with :save.
start_ui 200 40 "PODSCOPE_SCREEN_FILE=$hs_dir/overview.out" -- -n default
wait_for ' web +Rolling' 30
screen >"$hs_dir/pane.out"
keys W
wait_for 'saved to .*overview.out'
keys / w e b Enter Enter
wait_for 'deploy/web'
keys : save Space "$hs_dir/rollout.out" Enter
wait_for 'saved to .*rollout.out'
keys q
wait_for '^EXITED 0$' 30
for name in pane overview rollout; do
	: >"$hs_dir/$name.err"
	hs_clean $name
done
grep -Fq 'dep\x1b]0;t\x07\u202e\r\n2026-01-01' "$hs_dir/overview.out" ||
	hs_fail "the overview does not show the hostile deployment's name escaped"
for t in 'busybox\x1b]0;img\x07\u202e' 'Reason\x1b[2J\u009b' ' victim '; do
	grep -Fq -e "$t" "$hs_dir/rollout.out" || hs_fail "the rollout view does not show $t"
done
echo PASS
