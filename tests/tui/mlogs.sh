#!/bin/sh
# The rollout view's log pane (L): the Deployment's pods merged in time
# order, each line tagged with the pod's short name; a new pod is attached
# as it starts, a crash-looping pod's restart is followed, a pod that goes
# keeps its lines, v chooses the
# new generation, the old one or both; / searches the log (the match
# highlighted), N and n go to the previous and next match.
. "$TOP_SRCDIR/tests/tui/lib.sh"
start_sim "$FIXTURES/mlogs.yaml" --speed 2
start_ui 120 44 -- -A
wait_for 'Deployment +mlog ' 30
keys / m l o g Enter
keys Enter
wait_for 'deploy/mlog +RollingUpdate'
keys L
wait_for 'LOGS new\+old: 2 pods +[0-9]+ lines +\[f\] follow on +\[v\] generation'
old=$(sed -nE 's/^rev 1 ([0-9a-f]+).*/\1/p' "$work/screen")
[ -n "$old" ] || { echo "FAIL: no generation's hash on the screen:"; cat "$work/screen"; exit 1; }
wait_for "^ $old-[a-z0-9]+ old tick *\$"
# The patch makes a second generation: its pod is attached as it starts.
wait_for 'rev 2 [0-9a-f]+ \(new\)' 40
new=$(sed -nE 's/.* rev 2 ([0-9a-f]+) \(new\).*/\1/p' "$work/screen")
wait_for "^ $new-[a-z0-9]+ new hello *\$" 40
wait_for 'LOGS new\+old: 3 pods'
grep -Eq "^ $old-[a-z0-9]+ old tick *\$" "$work/screen" ||
	{ echo "FAIL: the old generation's lines are not merged in:"; cat "$work/screen"; exit 1; }
# The new generation only: the crash-looping pod's next run is followed.
keys v
wait_for 'LOGS new: 1 pod '
wait_gone 'old tick'
deadline=$(($(now) + 60))
while [ "$(screen | grep -cE "^ $new-[a-z0-9]+ new bye *\$")" -lt 2 ]; do
	if [ "$(now)" -ge "$deadline" ]; then
		echo "FAIL: the restarted container's log was not followed; the screen:"
		screen
		exit 1
	fi
	sleep 0.2
done
[ "$(screen | grep -cE "^ $new-[a-z0-9]+ new hello *\$")" -ge 2 ] ||
	{ echo "FAIL: the second run's hello is missing:"; screen; exit 1; }
# The old generation only, then both again.
keys v
wait_for 'LOGS old: 2 pods '
wait_gone 'new (hello|bye)'
wait_for "^ $old-[a-z0-9]+ old tick *\$"
# A pod that goes keeps its lines (its follow stops): with follow off, an
# old pod deleted, its lines stay on the screen once it is gone.
KC=${KUBECTL:-/usr/bin/kubectl}
if [ -x "$KC" ]; then
	keys f
	wait_for 'LOGS old: 2 pods .*follow off'
	gone=$(sed -nE "s/^ ($old-[a-z0-9]+) old tick *\$/\1/p" "$work/screen" | tail -n 1)
	"$KC" --kubeconfig "$work/kc" delete pod "mlog-$gone" --grace-period=1 --wait=false \
		>"$work/del.out" 2>&1 || { echo "FAIL: kubectl delete:"; cat "$work/del.out"; exit 1; }
	wait_gone "mlog-$gone" 60
	grep -Eq "^ $gone old tick *\$" "$work/screen" ||
		{ echo "FAIL: the lines of $gone went with it:"; cat "$work/screen"; exit 1; }
	keys f
	wait_for 'LOGS old: 2 pods .*follow on'
else
	echo "SKIP: kubectl is not installed; a gone pod's lines are not tested"
fi
keys v
wait_for 'LOGS new\+old: 3 pods'
keys v
wait_for 'LOGS new: 1 pod '
# Search: with timestamps, each match is its own line; / goes to the
# newest match and stops following, N to the one before, n back.
keys m
wait_for "^ $new-[a-z0-9]+ 20[0-9-]+T[0-9:.]+Z new bye *\$"
keys / b y e Enter
wait_for 'follow off .*search: bye'
top_line() { screen | grep -A1 '^ LOGS' | tail -n 1; }
first=$(top_line); echo "first: $first"
echo "$first" | grep -Eq "^ $new-[a-z0-9]+ 20[0-9-]+T[0-9:.]+Z new bye *\$" ||
	{ echo "FAIL: the search did not go to a match ($first):"; screen; exit 1; }
# The match is drawn in another colour than the rest of the line.
tm capture-pane -e -p -t t | grep -a 'new .*bye' >"$work/esc"
grep -aEq "new ($(printf '\033')\[[0-9;]*m)+bye" "$work/esc" ||
	{ echo "FAIL: the match is not highlighted:"; cat -v "$work/esc"; exit 1; }
keys N
wait_for 'follow off'
deadline=$(($(now) + 10))
while [ "$(top_line)" = "$first" ]; do
	[ "$(now)" -lt "$deadline" ] || { echo "FAIL: N did not move:"; screen; exit 1; }
	sleep 0.1
done
second=$(top_line)
echo "$second" | grep -Eq "new bye *\$" || { echo "FAIL: N went to '$second'"; screen; exit 1; }
ts1=$(echo "$first" | awk '{print $2}')
ts0=$(echo "$second" | awk '{print $2}')
[ "$ts0" \< "$ts1" ] || { echo "FAIL: N went later ($ts0 after $ts1)"; screen; exit 1; }
keys n
deadline=$(($(now) + 10))
while [ "$(top_line)" != "$first" ]; do
	[ "$(now)" -lt "$deadline" ] || { echo "FAIL: n did not go back to '$first':"; screen; exit 1; }
	sleep 0.1
done
# Esc closes the pane; the rollout stays.
keys Escape
wait_gone '^ LOGS '
wait_for 'deploy/mlog'
keys q
wait_for '^EXITED 0$'
pass mlogs
