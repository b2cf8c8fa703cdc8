#!/bin/sh
# podscope watch against podscope-sim: one line per lifecycle transition, as
# text and as JSON lines, while a rolling update runs.
set -u
. "${TOP_SRCDIR:-.}/tests/integration/get_lib.sh"

expect_rc 2 badout "$PODSCOPE" watch -o wide
expect_rc 2 arg "$PODSCOPE" watch pods

run_watch() {
	mode=$1
	shift
	[ -n "$bgpid" ] && kill "$bgpid" 2>/dev/null && wait "$bgpid" 2>/dev/null
	# Not through ps_: $! must be podscope itself, not a subshell, so that
	# kill reaches it.
	"$PODSCOPE" --kubeconfig "$dir/kubeconfig" watch "$@" >"$dir/out.$mode" \
		2>"$dir/err.$mode" &
	bgpid=$!
	synced() { grep -q '^podscope watch: watching ' "$dir/err.$mode"; }
	until_ok 30 synced || fail "$mode: watch never synced"
}

# The rollout starts 20 simulated seconds in (4 s at --speed 5), which must be
# after the watch's first list: on a machine too slow for that, again at 20 s.
for speed in 5 1; do
	start_sim "$FIX/life-rollout.yaml" --speed $speed
	run_watch text
	grep -q 'step 1/1' "$dir/sim.out" "$dir/sim.err" || break
	[ $speed = 1 ] && fail "text: the watch did not sync within 20 s"
done
has() { grep -Eq -- "$1" "$dir/out.text"; }
until_ok 60 has 'Deployment default/web complete -> (progressing|observing)' ||
	fail "text: no deployment transition"
until_ok 60 has 'ReplicaSet default/web-[a-z0-9]+ \(new\) -> scaling-up: revision 2' ||
	fail "text: no new replicaset"
until_ok 60 has 'Pod default/web-[a-z0-9]+-[a-z0-9]+ \(new\) -> ' || fail "text: no new pod"
until_ok 60 has 'Pod default/web-[a-z0-9]+-[a-z0-9]+ [a-z-]+ -> ready: every container ready' ||
	fail "text: no pod became ready"
until_ok 60 has 'Pod default/web-[a-z0-9]+-[a-z0-9]+ [a-z-]+ -> deleted' ||
	fail "text: no old pod deleted"
until_ok 60 has 'Deployment default/web [a-z]+ -> complete: deployment "web" successfully rolled out' ||
	fail "text: the rollout never completed"
grep -Eq '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z ' "$dir/out.text" || fail "text: no time"
kill "$bgpid"
wait "$bgpid"
rc=$?
bgpid=
[ "$rc" = 0 ] || fail "text: watch ended with $rc on SIGTERM, want 0"

# JSON lines, with a pod that crash-loops.
start_sim "$FIX/life-get.yaml" --speed 5
run_watch jsonl -o jsonl -n shop
jhas() { grep -q -- "$1" "$dir/out.jsonl"; }
until_ok 60 jhas '"kind":"Pod","namespace":"shop","name":"crasher","from":"[a-z-]*","to":"crash-loop-backoff","why":"container app: exited with code 3' ||
	fail "jsonl: no crash-loop transition"
if command -v python3 >/dev/null 2>&1; then
	python3 -c '
import json, sys
for line in open(sys.argv[1]):
    o = json.loads(line)
    assert set(o) == {"time", "kind", "namespace", "name", "from", "to", "why"}, o
' "$dir/out.jsonl" || fail "jsonl: lines are not the documented objects"
else
	echo "SKIP (part): python3 is not installed; the JSON lines were not parsed"
fi
kill "$bgpid"
wait "$bgpid"
rc=$?
bgpid=
[ "$rc" = 0 ] || fail "jsonl: watch ended with $rc on SIGTERM, want 0"
! grep -Eq 'Sanitizer|runtime error:' "$dir/err.text" "$dir/err.jsonl" || fail "sanitizer report"
echo "PASS"
