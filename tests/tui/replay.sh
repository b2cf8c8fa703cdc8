#!/bin/sh
# podscope replay FILE: the dashboard on a recording of the seed's rolling
# update, with the time bar. Paused, stepped from the start of the rollout
# to a moment where the rollout view shows both generations side by side;
# jumped to the end, where the rollout is complete and the old generation
# gone; speed keys; an action refused; the log pane says logs are not
# recorded.
. "$TOP_SRCDIR/tests/tui/lib.sh"
rec=$work/rollout.rec
ps_() { "$PODSCOPE" --kubeconfig "$work/kc" "$@"; }
fail() {
	echo "FAIL: $*"
	[ -f "$work/screen" ] && cat "$work/screen"
	exit 1
}

# The rollout starts 30 simulated seconds in: 10 s at --speed 3.
start_sim rolling-update --speed 3
"$PODSCOPE" --kubeconfig "$work/kc" -A record -o "$rec" 2>"$work/rec.err" &
recpid=$!
deadline=$(($(now) + 120))
until ps_ get deploy/deployment-rolling-update >"$work/live.txt" 2>&1 &&
	grep -q 'successfully rolled out' "$work/live.txt" &&
	grep -q 'revision 2' "$work/live.txt" &&
	grep -q 'old replicaset .* desired 0, current 0,' "$work/live.txt"; do
	[ "$(now)" -lt "$deadline" ] || fail "the rollout did not finish: $(cat "$work/live.txt")"
	sleep 0.2
done
kill -TERM $recpid
wait $recpid || fail "record: $(cat "$work/rec.err")"
kill "$sim_pid" && wait "$sim_pid" 2>/dev/null
sim_pid=

start_ui 120 40 -- replay "$rec" --speed 5
wait_for '^ replay (playing|paused|end) x5 '
wait_for 'Deployment +deployment-rolling-up'
grep -q '\[read-only\]' "$work/screen" || fail "not read-only"
# Each wait below is for a state the screen before the key cannot show:
# a screen that still says "playing" when Space has paused would send a
# second Space that plays on to the end. At x5 the recording (some 11 s)
# ends within seconds, and there it stays.
wait_for '^ replay end x5 '
keys -  # x2
wait_for '^ replay end x2 '
# From the end, Space plays again from the start; Space again pauses.
keys Space
wait_for '^ replay playing x2 '
keys Space
wait_for '^ replay paused x2 '
keys +  # x5
wait_for '^ replay paused x5 '
# The start of the rollout, then step by step into it.
keys R
wait_for '^ replay paused '
keys Enter
wait_for 'deploy/deployment-rolling-update +RollingUpdate'
both=0
i=0
while [ $i -lt 40 ]; do
	screen >"$work/screen"
	if grep -Eq 'rev 1 [0-9a-f]+ +rev 2 [0-9a-f]+ \(new\)' "$work/screen" &&
		grep -Eq 'want [0-9]+ cur [0-9]+ rdy [0-9]+ av [0-9]+ +want [0-9]+ cur' "$work/screen"; then
		both=1
		break
	fi
	before=$(grep '^ replay ' "$work/screen")
	keys ']'
	# Until the time bar moved (or the last change was reached).
	deadline=$(($(now) + 10))
	while :; do
		screen >"$work/screen"
		[ "$(grep '^ replay ' "$work/screen")" != "$before" ] && break
		grep -q 'no change after' "$work/screen" && break
		[ "$(now)" -lt "$deadline" ] || fail "] did not move the replay"
		sleep 0.1
	done
	i=$((i + 1))
done
[ $both = 1 ] || fail "no step showed both generations"
grep -Eq '^ progressing ' "$work/screen" || fail "mid-rollout yet not progressing"
mid=$(sed -n 's/^ replay [a-z]* x[0-9]*  \([0-9T:.Z-]*\) .*/\1/p' "$work/screen")
[ -n "$mid" ] || fail "no time on the bar"
# An action is refused.
keys r
wait_for 'replay: actions are off \(restart\)'
# Logs are not recorded.
keys L
wait_for 'logs are not recorded'
keys L
# The end: complete, the old generation gone.
keys g
wait_for '^:jump'
keys -l end
keys Enter
wait_for '^ replay end '
wait_for '^ complete '
wait_gone 'rev 1 [0-9a-f]+ +rev 2'
wait_for 'want 3 cur 3 rdy 3 av 3'
# Back a change from the end: the bar moves back, paused.
end_bar=$(grep '^ replay ' "$work/screen")
keys '['
wait_for '^ replay paused '
[ "$(grep '^ replay ' "$work/screen")" != "$end_bar" ] || fail "[ did not move back"
# Back to the moment mid-rollout by its time: the store is built again
# from the start, both generations side by side.
keys g
wait_for '^:jump'
keys -l "$mid"
keys Enter
wait_for "^ replay paused x[0-9]+  $mid "
wait_for 'rev 1 [0-9a-f]+ +rev 2 [0-9a-f]+ \(new\)'
wait_for '^ progressing '
# A bad time is explained.
keys g
wait_for '^:jump'
keys yesterday Enter
wait_for 'jump yesterday: .*a time such as'
keys Escape
wait_for 'Deployment +deployment-rolling-up'
keys q
wait_for '^EXITED 0$'
# A torn tail (a recorder that crashed mid-write) opens, and says so.
size=$(stat -c %s "$rec")
head -c $((size - 7)) "$rec" >"$work/torn.rec"
tm kill-session -t t
start_ui 120 40 -- replay "$work/torn.rec"
wait_for 'replay: 1 damaged part of the recording skipped \(the last at'
wait_for 'Deployment +deployment-rolling-up'
keys q
wait_for '^EXITED 0$'
pass replay
