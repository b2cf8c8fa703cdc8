#!/bin/sh
# The test hooks: PODSCOPE_KEYS types keys once the cluster is listed, and
# the save-screen action (W) writes the screen to $PODSCOPE_SCREEN_FILE.
. "$TOP_SRCDIR/tests/tui/lib.sh"
start_sim "$FIXTURES/overview.yaml"
start_ui 100 30 "PODSCOPE_KEYS=/web<Enter><Enter>W<Esc><Esc>:save $work/second.txt<Enter>q" \
	"PODSCOPE_SCREEN_FILE=$work/first.txt" -- -A
wait_for '^EXITED 0$' 30
grep -q 'deploy/web' "$work/first.txt" || { echo "FAIL: W did not save the rollout view:"; cat "$work/first.txt"; exit 1; }
grep -Eq '^  NAMESPACE +KIND +NAME' "$work/second.txt" ||
	{ echo "FAIL: :save did not save the overview:"; cat "$work/second.txt"; exit 1; }
[ "$(wc -l <"$work/first.txt")" -eq 30 ] || { echo "FAIL: the saved screen is not 30 lines"; exit 1; }
pass script
