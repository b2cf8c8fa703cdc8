#!/bin/sh
# The pod view's log pane: L opens it on the first container and follows
# it (new lines appear at the bottom), f stops following, c goes to the
# next container (escapes shown escaped), w wraps, m shows timestamps, o
# shows the previous container's log by itself with its exit code, /
# searches it, L or Esc closes it.
. "$TOP_SRCDIR/tests/tui/lib.sh"
start_sim "$FIXTURES/logs.yaml" --speed 4
start_ui 120 24 -- -A
wait_for 'Pod +[^ ]+ talker +2/2 +ready' 40
keys / t a l k e r Enter
wait_gone 'lastwords'
keys j Enter
wait_for 'pod/talker +Running'
keys L
wait_for 'LOGS app +[0-9]+ lines +\[f\] follow on'
wait_for '^ line [0-9]+ *$'
# Following: a later line comes at the bottom.
first=$(screen | grep -E '^ line [0-9]+ *$' | tail -n 1 | awk '{print $2}')
wait_for "^ line $((first + 2)) *\$" 20
# Follow off, once the pane is full: it stays where it is while lines
# still come.
wait_for '^ line 16 *$' 40
keys f
wait_for 'follow off'
last=$(screen | grep -E '^ line [0-9]+ *$' | tail -n 1)
count=$(screen | sed -nE 's/.*LOGS app +([0-9]+) lines.*/\1/p')
wait_for "LOGS app +$((count + 2)) lines" 20
if [ "$(screen | grep -E '^ line [0-9]+ *$' | tail -n 1)" != "$last" ]; then
	echo "FAIL: the pane moved with follow off (was at '$last'); the screen:"
	screen
	exit 1
fi
# Follow on again: it goes to the newest line.
keys f
wait_for "^ line $(($(echo "$last" | awk '{print $2}') + 2)) *\$" 20
keys c
wait_for 'LOGS side'
wait_for '^ from the side *$'
# Escape sequences are shown escaped, never sent to the terminal.
wait_for '^ \\x1b\[31mred\\x1b\]0;title\\x07 *$'
# A line longer than the pane is cut; w wraps it onto the next row.
wait_for '^ long-x+… *$'
wait_gone 'x-end'
keys w
wait_for 'wrap on'
wait_for '^ x+-end *$'
# m: the kubelet's timestamps.
keys m
wait_for '^ 20[0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9:.]+Z from the side *$'
# /: search over the text as shown (an escape shown escaped matches as
# shown), the match highlighted, the pane stops at it.
keys / '\' x 1 b '[' 3 1 m r e d Enter
wait_for 'follow off .*search: \\x1b\[31mred'
screen | grep -A1 '^ LOGS' | tail -n 1 | grep -Eq '^ 20[0-9TZ:.-]+ \\x1b\[31mred' ||
	{ echo "FAIL: the search did not stop at the match:"; screen; exit 1; }
tm capture-pane -e -p -t t | grep -a '31mred' | grep -a -v LOGS >"$work/esc"
grep -aEq "Z ($(printf '\033')\[[0-9;]*m)+\\\\x1b\[31mred" "$work/esc" ||
	{ echo "FAIL: the match is not highlighted:"; cat -v "$work/esc"; exit 1; }
# / then Esc clears the search.
keys / Escape
wait_gone 'search: '
keys Escape
wait_gone 'LOGS side'
wait_for 'pod/talker'
keys Escape
wait_gone 'pod/talker'
# A crash-looping container: its previous log by itself, with its exit
# code, once the container runs again (a Service lw-calm makes it calm).
KC=${KUBECTL:-/usr/bin/kubectl}
if [ ! -x "$KC" ]; then
	echo "SKIP: kubectl is not installed; the previous log is not tested"
	keys q
	wait_for '^EXITED 0$'
	pass logs
fi
keys / Escape
wait_for 'Pod +[^ ]+ lastwords +0/1' 40
keys / l a s t w Enter
wait_gone 'talker'
keys j Enter
wait_for 'pod/lastwords'
wait_for 'last: Error, exit code 1' 60
"$KC" --kubeconfig "$work/kc" create service clusterip lw-calm --tcp=80 >"$work/svc.out" 2>&1 ||
	{ echo "FAIL: kubectl create service:"; cat "$work/svc.out"; exit 1; }
wait_for 'pod/lastwords +Running' 90
keys L
wait_for '^ calm now *$'
keys o
wait_for 'LOGS app \(previous\)'
wait_for 'previous run of app: exit 1, Error'
wait_for '^ last words *$'
wait_gone '^ calm now *$'
# The pod goes with the pane open: one Esc leaves its page.
"$KC" --kubeconfig "$work/kc" delete pod lastwords --grace-period=0 --wait=false >"$work/del.out" 2>&1 ||
	{ echo "FAIL: kubectl delete pod:"; cat "$work/del.out"; exit 1; }
wait_for 'pod default/lastwords is gone' 60
keys Escape
wait_for 'NAMESPACE +KIND +NAME'
keys q
wait_for '^EXITED 0$'
pass logs
