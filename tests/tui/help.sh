#!/bin/sh
# Help lists every action of the table (src/ui/actions.h) with its
# keys; in read-only mode the actions that change the cluster are hidden and
# their keys answer "read-only". Rebound keys show in every hint.
. "$TOP_SRCDIR/tests/tui/lib.sh"
names=$(sed -n 's/.*X(ACT_[A-Z_]*, "\([a-z-]*\)".*/\1/p' "$TOP_SRCDIR/src/ui/actions.h")
mutating=$(sed -n 's/.*X(ACT_[A-Z_]*, "\([a-z-]*\)", "[^"]*", [A-Z_]*, true,.*/\1/p' \
	"$TOP_SRCDIR/src/ui/actions.h")
[ "$(echo "$names" | wc -l)" -ge 20 ] || { echo "FAIL: could not read the action table"; exit 1; }
[ -n "$mutating" ] || { echo "FAIL: no mutating actions found in the table"; exit 1; }

start_sim "$FIXTURES/overview.yaml"
start_ui 110 70 -- -A
wait_for ' web '
keys '?'
wait_for 'Keys \(\? or Esc closes\)'
for n in $names; do
	grep -Eq " $n +" "$work/screen" || { echo "FAIL: help does not list \"$n\""; cat "$work/screen"; exit 1; }
done
wait_for '^ +q +quit +Quit podscope'
wait_for '^ +r +restart +\* Restart the rollout'
keys Escape
wait_gone 'Keys \(\?'
keys q
wait_for '^EXITED 0$'
tm kill-session -t t

# Read-only: no action that changes the cluster is offered.
start_ui 110 50 -- -A --readonly
wait_for 'overview .*\[read-only\]'
keys r
wait_for 'read-only: restart would change the cluster'
keys '?'
wait_for 'read-only: [0-9]+ actions that change the cluster are hidden'
sed '$d' "$work/screen" >"$work/body" # the status line may still name one
for n in $mutating; do
	if grep -Eq " $n +" "$work/body"; then
		echo "FAIL: read-only help offers \"$n\""; cat "$work/screen"; exit 1
	fi
done
keys q
wait_for '^EXITED 0$'
tm kill-session -t t

# The hints come from the keymap: a rebound key shows in the status bar,
# the view's hint, the help's title and the confirmation dialog, and the
# dialog's keys are the table's too.
mkdir -p "$XDG_CONFIG_HOME/podscope"
cat >"$XDG_CONFIG_HOME/podscope/config.yaml" <<'EOC'
bindings:
  help: H
  quit: Q
  filter: F
  confirm: Z
  cancel: X
EOC
start_ui 110 50 --
wait_for ' web '
wait_for 'H help +Q quit *$'
wait_for 'F filter'
keys H
wait_for 'Keys \(H or Esc closes\)'
keys H
wait_gone 'Keys \('
keys p
wait_for 'Confirm pause on deploy/'
wait_for 'Z: apply +X: cancel \(nothing is sent\)'
# A key of no dialog action says which keys are; X cancels.
keys w
wait_for 'Z applies, X cancels'
keys X
wait_for 'cancelled: nothing was sent'
wait_gone 'Confirm '
# A ':' command of the table by a prefix of its name.
keys : q u Enter
wait_for '^EXITED 0$'
pass help
