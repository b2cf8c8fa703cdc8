#!/bin/sh
# --record FILE on the dashboard: the status bar says so, the recording
# (mode 0600) replays to what a live get says at the end, and past a small
# --record-max the file rotates to FILE.1, FILE.2 ..., each of which holds
# a full list and replays on its own; after :ns the new informers' lists
# are recorded; the count said at the end is what the file holds; the
# wallboard records as the dashboard does.
. "$TOP_SRCDIR/tests/tui/lib.sh"
rec=$work/dash.rec
ps_() { "$PODSCOPE" --kubeconfig "$work/kc" "$@"; }
fail() {
	echo "FAIL: $*"
	exit 1
}

# The seed's rolling update starts 30 simulated seconds in: 10 s at --speed 3.
start_sim rolling-update --speed 3
start_ui 120 36 -- -A --record "$rec" --record-max 24K
wait_for 'REC .*dash\.rec'
wait_for 'Deployment +deployment-rolling-up' 30
# Until the rollout is over, as a live get says.
deadline=$(($(now) + 120))
until ps_ get deploy/deployment-rolling-update >"$work/live.txt" 2>&1 &&
	grep -q 'successfully rolled out' "$work/live.txt" &&
	grep -q 'old replicaset .* desired 0, current 0,' "$work/live.txt"; do
	[ "$(now)" -lt "$deadline" ] || fail "the rollout did not finish: $(cat "$work/live.txt")"
	sleep 0.2
done
# Flushed once a second: the rotated files and the end are in the file.
deadline=$(($(now) + 20))
until [ -s "$rec.1" ]; do
	[ "$(now)" -lt "$deadline" ] || fail "no rotation at 24K: $(ls -l "$work")"
	sleep 0.2
done
# The newest file has its full list once the informers' relist is in
# (a list is about 20K here: the cap is passed once the rollout adds to it).
deadline=$(($(now) + 20))
until "$PODSCOPE" -A replay "$rec" get deploy/deployment-rolling-update >"$work/cur.txt" 2>&1 &&
	grep -q 'successfully rolled out' "$work/cur.txt"; do
	[ "$(now)" -lt "$deadline" ] || fail "the newest file has no full list: $(cat "$work/cur.txt")"
	sleep 0.2
done
keys q
wait_for '^EXITED 0$'
grep -q 'podscope: recorded [1-9][0-9]* events to' "$work/ui.err" ||
	fail "no event count: $(cat "$work/ui.err")"
[ "$(stat -c %a "$rec")" = 600 ] || fail "the recording is not mode 0600"
[ "$(stat -c %a "$rec.1")" = 600 ] || fail "the rotated recording is not mode 0600"
[ ! -e "$rec.4" ] || fail "more than 3 old files kept"

# The end: replay says what the live store says.
ps_ -A get -o json >"$work/live.json" || fail "live get"
ps_ -A get deploy/deployment-rolling-update >"$work/live.txt" || fail "live get deploy"
"$PODSCOPE" -A replay "$rec" get -o json >"$work/replayed.json" 2>"$work/err.replay" ||
	fail "replay: $(cat "$work/err.replay")"
# Ages and countdowns differ with the moment; the objects and their states do not.
strip() { tr , "\n" <"${1:-/dev/stdin}" | sed -E 's/"(time|age)":("[^"]*"|-?[0-9]+)/"\1":0/'; }
strip "$work/live.json" >"$work/live.s"
strip "$work/replayed.json" >"$work/replayed.s"
cmp -s "$work/live.s" "$work/replayed.s" || {
	diff "$work/live.s" "$work/replayed.s" | head -c 3000
	fail "replay at the end differs from the live get"
}
"$PODSCOPE" -A replay "$rec" get deploy/deployment-rolling-update >"$work/replayed.txt" ||
	fail "replay get deploy"
grep -q 'successfully rolled out' "$work/replayed.txt" || fail "replayed: $(cat "$work/replayed.txt")"
# Every rotated file replays on its own: a full list is in each.
for f in "$rec".[1-3]; do
	[ -e "$f" ] || continue
	"$PODSCOPE" -A replay "$f" get deploy/deployment-rolling-update >"$work/one.txt" 2>&1 ||
		fail "replay $f alone: $(cat "$work/one.txt")"
	grep -q 'deployment-rolling-update' "$work/one.txt" || fail "$f alone: $(cat "$work/one.txt")"
	grep -q 'not found' "$work/one.txt" && fail "$f alone: $(cat "$work/one.txt")"
done
# The recording follows the dashboard's new informers: after :ns
# kube-system their lists replace what the store held, in the file too.
tm kill-session -t t
start_ui 120 36 -- -A --record "$work/ns.rec"
wait_for 'Deployment +deployment-rolling-up' 30
keys : n s Space k u b e - s y s t e m Enter
wait_for 'ns kube-system'
wait_gone 'Deployment +deployment-rolling-up'
keys q
wait_for '^EXITED 0$'
"$PODSCOPE" -A replay "$work/ns.rec" get deploy/deployment-rolling-update >"$work/ns.txt" 2>&1 &&
	fail "the end of the recording still has the default namespace: $(cat "$work/ns.txt")"
ps_ -n kube-system get -o json | strip >"$work/live.s"
"$PODSCOPE" -n kube-system replay "$work/ns.rec" get -o json | strip >"$work/replayed.s"
cmp -s "$work/live.s" "$work/replayed.s" || {
	diff "$work/live.s" "$work/replayed.s" | head -c 3000
	fail "replay after :ns differs from the live get"
}
# Every event said is in the file.
n=$(sed -n 's/^podscope: recorded \([0-9]*\) events to .*ns\.rec$/\1/p' "$work/ui.err")
"$PODSCOPE" replay "$work/ns.rec" -o json >"$work/ns.json" || fail "replay -o json"
grep -q "\"total\":$n," "$work/ns.json" || fail "said $n events: $(cat "$work/ns.json") $(cat "$work/ui.err")"
# The wallboard records too, and says so.
tm kill-session -t t
start_ui 120 36 -- --wallboard --record "$work/wb.rec"
wait_for 'REC .*wb\.rec'
deadline=$(($(now) + 20))
until "$PODSCOPE" replay "$work/wb.rec" get deploy/deployment-rolling-update >"$work/wb.txt" 2>&1; do
	[ "$(now)" -lt "$deadline" ] || fail "the wallboard's recording: $(cat "$work/wb.txt")"
	sleep 0.2
done
keys q
wait_for '^EXITED 0$'
grep -q 'successfully rolled out' "$work/wb.txt" || fail "wallboard replayed: $(cat "$work/wb.txt")"
# A bad size is refused before anything starts.
"$PODSCOPE" --kubeconfig "$work/kc" --record "$work/x.rec" --record-max 1K >/dev/null 2>"$work/err.max" &&
	fail "--record-max 1K accepted"
grep -q 'not a size from 4K' "$work/err.max" || fail "bad size: $(cat "$work/err.max")"
pass record_dashboard
