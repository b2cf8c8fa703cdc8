#!/bin/sh
# podscope get and wait on Jobs and CronJobs against podscope-sim, each
# outcome checked against the real kubectl's wait --for=condition=complete
# or failed in the same run: the job-backoff scenario (two failures, each
# with its back-off, then Complete: 0), a Job over its backoffLimit (1,
# BackoffLimitExceeded), a deadline (1, DeadlineExceeded), a suspended Job
# (--timeout: 3); get's STATUS and COMPLETIONS as kubectl get prints them;
# wait cronjob/NAME refused (2).
set -u
. "${TOP_SRCDIR:-.}/tests/integration/get_lib.sh"
[ -n "${KUBECTL:-}" ] || { echo "SKIP: kubectl is not installed (\$KUBECTL is empty)"; exit 77; }

jp() {
	k get job "$1" -o jsonpath="$2"
}

# kwait CONDITION JOB: kubectl's own wait, which must agree with podscope's.
kwait() {
	timeout 30 "$KUBECTL" --kubeconfig "$dir/kubeconfig" wait --timeout=20s \
		--for=condition="$1" "job/$2" >"$dir/k.$2" 2>&1 || fail "kubectl wait $1 $2: $(cat "$dir/k.$2")"
}

# same_cells JOB: podscope get's STATUS and COMPLETIONS are kubectl get's.
same_cells() {
	k get job "$1" --no-headers >"$dir/k.get.$1" 2>&1 || fail "kubectl get job $1"
	kc=$(awk '{print $2 ", " $3 " completions"}' "$dir/k.get.$1")
	expect_rc 0 "get.$1" ps_ get "job/$1"
	grep -q "^job default/$1: $kc, " "$dir/out.get.$1" ||
		fail "get $1: podscope [$(head -n 1 "$dir/out.get.$1")] kubectl [$kc]"
}

new_job() { # NAME BACKOFFLIMIT DEADLINE|- SUSPEND COMMAND
	{
		printf 'apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: %s\nspec:\n' "$1"
		printf '  backoffLimit: %s\n  suspend: %s\n' "$2" "$4"
		[ "$3" = - ] || printf '  activeDeadlineSeconds: %s\n' "$3"
		printf '  template:\n    spec:\n      restartPolicy: Never\n'
		printf '      containers:\n      - name: main\n        image: busybox\n'
		printf '        command: ["sh", "-c", "%s"]\n' "$5"
	} | k create -f - >"$dir/out.create" 2>&1 || fail "create job $1"
}

# Usage: a CronJob never ends; the kinds by kubectl's names.
expect_rc 2 waitcj "$PODSCOPE" wait cronjob/x
grep -q 'a CronJob has no end to wait for; wait for one of its Jobs (job/NAME)' \
	"$dir/err.waitcj" || fail "waitcj: no refusal"
expect_rc 2 waitcj2 "$PODSCOPE" wait cj/x
expect_rc 2 waitpod "$PODSCOPE" wait po/x
grep -q 'deploy/NAME, sts/NAME, ds/NAME or job/NAME' "$dir/err.waitpod" || fail "waitpod: no usage"

# The job-backoff scenario: two failures, each followed by its back-off,
# then Complete.
start_sim job-backoff --speed 10
expect_rc 0 backoff ps_ wait job/job-backoff --timeout 90s
grep -q '^  pod job-backoff-[a-z0-9]*: Failed (exit code 1, Error)$' "$dir/out.backoff" ||
	fail "backoff: no failed pod"
grep -q '^  back-off: the next pod in [0-9ms]* (1 failure since the last success)$' \
	"$dir/out.backoff" || fail "backoff: no first back-off"
grep -q '^  back-off: the next pod in [0-9ms]* (2 failures since the last success)$' \
	"$dir/out.backoff" || fail "backoff: no second back-off"
grep -q '^job "job-backoff": Complete, 1/1 completions, 2 failed, 0 active' "$dir/out.backoff" ||
	fail "backoff: no Complete progress"
kwait complete job-backoff
tail -n 1 "$dir/out.backoff" >"$dir/p.backoff"
cmp -s "$dir/k.job-backoff" "$dir/p.backoff" ||
	fail "backoff: podscope [$(cat "$dir/p.backoff")] kubectl [$(cat "$dir/k.job-backoff")]"
same_cells job-backoff
expect_rc 0 again ps_ wait jobs.batch/job-backoff --timeout 10s
expect_rc 0 json ps_ get job/job-backoff -o json
for f in '"jobs":\[{"namespace":"default","name":"job-backoff"' '"status":"Complete"' \
	'"completions":"1/1"' '"failed":2' '"succeeded":1' '"backoffMs":0' \
	'"reason":"CompletionsReached"' '"phase":"Failed","exitCode":1,"reason":"Error"' \
	'"cronjobs":\[\]' '"deployments":\[\]' '"groups":\[\]'; do
	grep -q "$f" "$dir/out.json" || fail "json: no $f"
done

# Over the backoffLimit: exit 1 with kubectl's reason and the message;
# watch says how it went, one JSON line per change.
# Not through ps_: a function in the background is a subshell, and $! would
# name it rather than podscope, which would outlive the kill.
"$PODSCOPE" --kubeconfig "$dir/kubeconfig" watch -o jsonl >"$dir/out.watch" 2>"$dir/err.watch" &
bgpid=$!
synced() { grep -q '^podscope watch: watching ' "$dir/err.watch"; }
until_ok 30 synced || fail "watch: never synced"
new_job bad 1 - false "sleep 1; exit 3"
expect_rc 1 bad ps_ wait job/bad --timeout 60s
kwait failed bad
reason=$(jp bad '{.status.conditions[?(@.type=="Failed")].reason}')
msg=$(jp bad '{.status.conditions[?(@.type=="Failed")].message}')
[ "$reason" = BackoffLimitExceeded ] || fail "bad: kubectl's reason is $reason"
grep -q "^error: job \"bad\" failed: $reason: $msg\$" "$dir/out.bad" || fail "bad: no reason"
grep -q '^  pod bad-[a-z0-9]*: Failed (exit code 3, Error)$' "$dir/out.bad" ||
	fail "bad: no exit code"
same_cells bad
failed_line() { grep -q "\"kind\":\"Job\",\"namespace\":\"default\",\"name\":\"bad\",\"from\":\"[a-z]*\",\"to\":\"failed\",\"why\":\"0/1 completions, 2 failed, 0 active: $reason: " "$dir/out.watch"; }
until_ok 30 failed_line || fail "watch: no Job failed line"
running_line() { grep -q '"kind":"Job","namespace":"default","name":"bad",.*"to":"running"' "$dir/out.watch"; }
until_ok 5 running_line || fail "watch: no Job running line"
kill "$bgpid" && wait "$bgpid"
bgpid=

# A deadline: exit 1, DeadlineExceeded, the deadline said while it ran.
new_job slow 4 3 false "sleep 600"
expect_rc 1 slow ps_ wait job/slow --timeout 60s
kwait failed slow
reason=$(jp slow '{.status.conditions[?(@.type=="Failed")].reason}')
[ "$reason" = DeadlineExceeded ] || fail "slow: kubectl's reason is $reason"
grep -q "^error: job \"slow\" failed: DeadlineExceeded: " "$dir/out.slow" || fail "slow: no reason"
grep -q '^  deadline: .* left of 3s (activeDeadlineSeconds)$' "$dir/out.slow" ||
	fail "slow: no deadline"
same_cells slow

# Suspended: nothing to wait for until --timeout (3); STATUS Suspended.
new_job held 4 - true "sleep 1"
held_suspended() { [ "$(jp held '{.status.conditions[?(@.type=="Suspended")].status}')" = True ]; }
wait_for "held suspended" 30 held_suspended
expect_rc 3 held ps_ wait job/held --timeout 2s
grep -q '^job "held": Suspended, 0/1 completions, 0 failed, 0 active' "$dir/out.held" ||
	fail "held: no Suspended"
grep -q '^error: timed out waiting for the condition$' "$dir/err.held" || fail "held: no timeout"
same_cells held

expect_rc 1 nope ps_ get job/nope
grep -q 'jobs.batch "nope" not found in namespace default' "$dir/err.nope" || fail "nope: get"
expect_rc 1 nowait ps_ wait job/nope --timeout 5s
grep -q '^error: jobs.batch "nope" not found in namespace default$' "$dir/err.nowait" ||
	fail "nowait: no not found"
sim_stop

# A CronJob: get's line and its Jobs.
start_sim cronjob --speed 20
some_job() { [ -n "$(k get jobs -o name)" ]; }
wait_for "a Job of the CronJob" 60 some_job
cj=$(k get cronjobs -o jsonpath='{.items[0].metadata.name}')
k get cronjob "$cj" --no-headers >"$dir/k.cj" 2>&1 || fail "kubectl get cronjob"
sched=$(k get cronjob "$cj" -o jsonpath='{.spec.schedule}')
expect_rc 0 cj ps_ get "cronjob/$cj"
head -n 1 "$dir/out.cj" | grep -qF "cronjob default/$cj: schedule \"$sched\", timezone <none>, suspend " ||
	fail "cj: no line"
grep -q "^  job default/$cj-[0-9]*: " "$dir/out.cj" || fail "cj: no Job under it"
expect_rc 0 cjjson ps_ get cronjobs.batch/"$cj" -o json
grep -q "\"cronjobs\":\[{\"namespace\":\"default\",\"name\":\"$cj\"" "$dir/out.cjjson" ||
	fail "cjjson: no cronjob"
grep -q '"nextScheduleTime":"[0-9T:Z-]*"' "$dir/out.cjjson" || fail "cjjson: no next schedule"
exit 0
