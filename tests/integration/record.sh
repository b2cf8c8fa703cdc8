#!/bin/sh
# podscope record and replay against podscope-sim: the seed's rolling update
# recorded while it runs; at every moment the recorder wrote what its live
# store gave `get -o json` (PODSCOPE_RECORD_SNAPSHOTS), `replay --at` that
# moment must print the same bytes. Then: a recorder killed with SIGKILL
# leaves a readable file, a second run appends to it, and damaged or foreign
# files get a clear message, never a crash.
set -u
. "${TOP_SRCDIR:-.}/tests/integration/get_lib.sh"

rec=$dir/rollout.rec
snaps=$dir/snaps
mkdir -p "$snaps"

expect_rc 2 noargs "$PODSCOPE" replay
expect_rc 2 badcmd "$PODSCOPE" replay "$rec" wait
expect_rc 2 atalone "$PODSCOPE" replay "$rec" --at +1s
expect_rc 2 recarg "$PODSCOPE" record extra

# The rollout starts 30 simulated seconds in: 10 s at --speed 3.
start_sim rolling-update --speed 3
PODSCOPE_RECORD_SNAPSHOTS=$snaps "$PODSCOPE" --kubeconfig "$dir/kubeconfig" -A record \
	-o "$rec" >"$dir/out.rec" 2>"$dir/err.rec" &
bgpid=$!
# Until the new pods are all available and the old ones gone.
done_() {
	ps_ get deploy/deployment-rolling-update >"$dir/out.live" 2>&1 &&
		grep -q 'successfully rolled out' "$dir/out.live" &&
		grep -q 'revision 2' "$dir/out.live" &&
		grep -q 'old replicaset .* desired 0, current 0,' "$dir/out.live"
}
until_ok 120 done_ || fail "the rollout did not finish: $(cat "$dir/out.live")"
# One more flush after the end.
n0=$(ls "$snaps" | wc -l)
more() { test "$(ls "$snaps" | wc -l)" -gt "$n0" || test -s "$rec"; }
until_ok 10 more
kill -TERM $bgpid
wait $bgpid
rc=$?
[ $rc = 0 ] || fail "record exited $rc: $(cat "$dir/err.rec")"
grep -q 'podscope record: [0-9]* events' "$dir/err.rec" || fail "no event count: $(cat "$dir/err.rec")"
[ "$(stat -c %a "$rec")" = 600 ] || fail "the recording is not mode 0600"

n=$(ls "$snaps" | wc -l)
[ "$n" -ge 5 ] || fail "only $n snapshots"
both=0
for f in "$snaps"/*.json; do
	t=$(basename "$f" .json)
	at=$(date -u -d "@$((t / 1000)).$(printf %03d $((t % 1000)))" +%Y-%m-%dT%H:%M:%S.%3NZ)
	"$PODSCOPE" -A replay "$rec" --at "$at" get -o json >"$dir/replayed.json" 2>"$dir/err.replay" ||
		fail "replay --at $at: $(cat "$dir/err.replay")"
	cmp -s "$f" "$dir/replayed.json" || {
		diff "$f" "$dir/replayed.json" | head -c 2000 >&2
		fail "replay --at $at differs from the live store at that moment"
	}
	# A moment with both generations side by side.
	grep -q '"role":"old"' "$f" && grep -q '"role":"new"' "$f" && both=$((both + 1))
done
[ "$both" -ge 1 ] || fail "no snapshot caught the rollout with both generations"
echo "record.sh: $n moments replayed equal, $both of them mid-rollout"

# A moment before the rollout: revision 1 only.
expect_rc 0 early "$PODSCOPE" -A replay "$rec" --at +1s get deploy/deployment-rolling-update
grep -q 'revision 1' "$dir/out.early" || fail "early: $(cat "$dir/out.early")"
# The summary.
expect_rc 0 summary "$PODSCOPE" replay "$rec" -o text
grep -q 'contexts: sim-admin' "$dir/out.summary" || fail "summary: $(cat "$dir/out.summary")"
grep -Eq '[0-9]+ events: [1-9][0-9]* lists, [1-9][0-9]* upserts, [1-9][0-9]* deletes' \
	"$dir/out.summary" || fail "summary counts: $(cat "$dir/out.summary")"
events1=$(sed -n 's/^  \([0-9]*\) events:.*/\1/p' "$dir/out.summary")
# The same as JSON; -o of another kind, and --speed with get, are refused.
expect_rc 0 summaryjson "$PODSCOPE" replay "$rec" -o json
grep -q '"contexts":\["sim-admin"\]' "$dir/out.summaryjson" || fail "summary json: $(cat "$dir/out.summaryjson")"
grep -q "\"total\":$events1," "$dir/out.summaryjson" || fail "summary json total: $(cat "$dir/out.summaryjson")"
expect_rc 2 badout "$PODSCOPE" replay "$rec" -o wide
expect_rc 2 speedget "$PODSCOPE" replay "$rec" --speed 2 get
# Without -o the dashboard opens: it wants a terminal.
expect_rc 1 noterm "$PODSCOPE" replay "$rec"
grep -q 'needs a terminal' "$dir/err.noterm" || fail "noterm: $(cat "$dir/err.noterm")"

# SIGKILL: what was written (once a second) stays readable; a second run
# appends a segment of its own.
"$PODSCOPE" --kubeconfig "$dir/kubeconfig" -A record -o "$rec" >/dev/null 2>"$dir/err.rec2" &
bgpid=$!
grown() { test "$(stat -c %s "$rec")" -gt "$(cat "$dir/size1")"; }
stat -c %s "$rec" >"$dir/size1"
until_ok 30 grown || fail "the second run wrote nothing: $(cat "$dir/err.rec2")"
kill -KILL $bgpid
wait $bgpid 2>/dev/null
expect_rc 0 summary2 "$PODSCOPE" replay "$rec" -o text
events2=$(sed -n 's/^  \([0-9]*\) events:.*/\1/p' "$dir/out.summary2")
[ "$events2" -gt "$events1" ] || fail "appended run: $events2 events, not more than $events1"
! grep -q damaged "$dir/err.summary2" || fail "whole writes, yet damage: $(cat "$dir/err.summary2")"
expect_rc 0 after "$PODSCOPE" -A replay "$rec" get deploy/deployment-rolling-update
grep -q 'successfully rolled out' "$dir/out.after" || fail "after the append: $(cat "$dir/out.after")"

# A torn tail, a foreign file, an empty one, a directory.
size=$(stat -c %s "$rec")
head -c $((size - 7)) "$rec" >"$dir/torn.rec"
expect_rc 0 torn "$PODSCOPE" replay "$dir/torn.rec" -o text
grep -q 'damaged part skipped' "$dir/err.torn" || fail "torn: $(cat "$dir/err.torn")"
expect_rc 1 foreign "$PODSCOPE" replay "$dir/kubeconfig" -o text
grep -q 'not a podscope recording' "$dir/err.foreign" || fail "foreign: $(cat "$dir/err.foreign")"
: >"$dir/empty.rec"
expect_rc 1 empty "$PODSCOPE" -A replay "$dir/empty.rec" get
grep -q 'no events' "$dir/err.empty" || fail "empty: $(cat "$dir/err.empty")"
expect_rc 1 dir "$PODSCOPE" replay "$dir" -o text
expect_rc 2 badat "$PODSCOPE" -A replay "$rec" --at yesterday get
grep -q 'a time such as' "$dir/err.badat" || fail "badat: $(cat "$dir/err.badat")"
sim_stop
it_cleanup
