#!/bin/sh
# The ':' command line: ns with Tab completion, A for every namespace, ctx
# with Tab completion (switching the connection), theme; the events view.
. "$TOP_SRCDIR/tests/tui/lib.sh"
start_sim "$FIXTURES/overview.yaml"
start_ui 100 30 -- -A
wait_for 'ns \(all\)'
wait_for 'debug-shell .*ready'
keys : n s Space d e f Tab
wait_for '^:ns default *$'
keys Enter
wait_for 'overview +ctx sim-admin +ns default '
wait_for 'debug-shell .*ready'
# Without -A there is no NAMESPACE column.
wait_for '^  KIND +NAME +STRATEGY'
keys A
wait_for 'ns \(all\)'
wait_for '^  NAMESPACE +KIND +NAME'
keys : c t x Space s i m - r Tab
wait_for '^:ctx sim-readonly *$'
keys Enter
wait_for 'overview +ctx sim-readonly +ns \(all\)'
# The access check runs again for the new user: read-only, and says why.
wait_for '\[read-only\]'
wait_for 'read-only: user "sim-readonly" may not patch'
wait_for 'web +Rolling +3/3'
keys : t h e m e Space l i g h t Enter
wait_for 'web +Rolling +3/3'
keys : n o p e Enter
wait_for 'unknown command "nope"'
keys e
wait_for '^ AGE +TYPE +REASON +OBJECT +MESSAGE'
wait_for 'Warning +BackOff +Pod/crasher'
keys e
wait_for '^  NAMESPACE +KIND +NAME +STRATEGY'
keys q
wait_for '^EXITED 0$'
pass commands
