#!/bin/sh
# Jobs and CronJobs on podscope-sim, driven by the real kubectl: create job,
# the table's columns, wait for complete and failed, a Job failing to its
# backoffLimit, one failing twice and then completing, suspend and resume by
# patch, create job --from=cronjob, the CronJob's columns and history
# limits, delete; every step checked in the objects, not only in kubectl's
# exit.
set -u

. "${TOP_SRCDIR:-.}/tests/integration/lib.sh"
it_init sim_job.sh kubectl

# jp JOB PATH: a jsonpath of the Job.
jp() {
	k get job "$1" -o jsonpath="$2"
}

is() {
	[ "$(jp "$1" "$2")" = "$3" ]
}

kwait() {
	timeout 120 "$KUBECTL" --kubeconfig "$dir/kubeconfig" wait --timeout=90s "$@" \
		>"$dir/out.wait" 2>&1
}

sim_start --tls --speed 20

# A Job that completes: kubectl's own create job (a protobuf body).
k create job ok --image=busybox -- sh -c "sleep 2" >"$dir/out.create" 2>&1 ||
	fail "create job"
kwait --for=condition=complete job/ok || fail "wait complete"
is ok '{.status.succeeded}/{.status.active}' "1/" || fail "status: $(jp ok '{.status}')"
is ok '{.status.conditions[0].type}={.status.conditions[0].reason}' \
	"SuccessCriteriaMet=CompletionsReached" || fail "conditions: $(jp ok '{.status.conditions}')"
is ok '{.status.conditions[1].type}={.status.conditions[1].status}' "Complete=True" ||
	fail "conditions: $(jp ok '{.status.conditions}')"
[ -n "$(jp ok '{.status.completionTime}')" ] || fail "no completionTime"
uid=$(jp ok '{.metadata.uid}')
is ok '{.spec.selector.matchLabels.batch\.kubernetes\.io/controller-uid}' "$uid" ||
	fail "selector: $(jp ok '{.spec.selector}')"
is ok '{.spec.template.metadata.labels.batch\.kubernetes\.io/job-name}' "ok" ||
	fail "template labels: $(jp ok '{.spec.template.metadata.labels}')"
is ok '{.spec.backoffLimit}/{.spec.completions}/{.spec.parallelism}/{.spec.completionMode}' \
	"6/1/1/NonIndexed" || fail "defaults: $(jp ok '{.spec}')"
[ -z "$(k get pods -l job-name=ok -o jsonpath='{.items[*].metadata.finalizers}')" ] ||
	fail "finalizers left on the pod"

# The columns, as a real server's printer gives them.
k get job ok >"$dir/out.get" 2>&1 || fail "get job"
grep -q '^NAME *STATUS *COMPLETIONS *DURATION *AGE$' "$dir/out.get" || fail "job header"
grep -q '^ok *Complete *1/1 *[0-9]*s *[0-9]*s$' "$dir/out.get" || fail "job row"
k get job ok -o wide >"$dir/out.get" 2>&1 || fail "get job -o wide"
grep -q '^NAME *STATUS *COMPLETIONS *DURATION *AGE *CONTAINERS *IMAGES *SELECTOR$' \
	"$dir/out.get" || fail "wide header"
grep -q "^ok .* ok *busybox *batch.kubernetes.io/controller-uid=$uid\$" "$dir/out.get" ||
	fail "wide row"

# A Job that fails to its backoffLimit.
k create -f - >"$dir/out.create" 2>&1 <<'EOF' || fail "create failing job"
apiVersion: batch/v1
kind: Job
metadata:
  name: bad
spec:
  backoffLimit: 1
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: main
        image: busybox
        command: ["sh", "-c", "sleep 1; exit 3"]
EOF
kwait --for=condition=failed job/bad || fail "wait failed"
is bad '{.status.failed}' 2 || fail "failed count: $(jp bad '{.status}')"
is bad '{.status.conditions[?(@.type=="Failed")].reason}' BackoffLimitExceeded ||
	fail "reason: $(jp bad '{.status.conditions}')"
is bad '{.status.conditions[?(@.type=="FailureTarget")].status}' True ||
	fail "no FailureTarget: $(jp bad '{.status.conditions}')"
[ "$(k get pods -l job-name=bad -o name | wc -l)" -eq 2 ] || fail "pods of bad"
k get job bad >"$dir/out.get" 2>&1 || fail "get job bad"
grep -q '^bad *Failed *0/1 ' "$dir/out.get" || fail "failed row"
k get events --field-selector involvedObject.name=bad >"$dir/out.ev" 2>&1
grep -q 'BackoffLimitExceeded *job/bad *Job has reached the specified backoff limit' \
	"$dir/out.ev" || fail "no BackoffLimitExceeded event"

# A Job whose pod fails twice, then succeeds: its command looks up a
# Service that exists only after the second failure.
k create -f - >"$dir/out.create" 2>&1 <<'EOF' || fail "create retrying job"
apiVersion: batch/v1
kind: Job
metadata:
  name: retry
spec:
  backoffLimit: 4
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: main
        image: busybox
        command: ["sh", "-c", "sleep 1; nslookup late"]
EOF
wait_for "two failures" 60 is retry '{.status.failed}' 2
k create service clusterip late --tcp=80:80 >"$dir/out.svc" 2>&1 || fail "create service"
kwait --for=condition=complete job/retry || fail "retry did not complete"
is retry '{.status.failed}/{.status.succeeded}' "2/1" || fail "retry: $(jp retry '{.status}')"
[ "$(k get pods -l job-name=retry -o name | wc -l)" -eq 3 ] || fail "pods of retry"

# Suspend and resume by patch.
k create job long --image=busybox -- sleep 600 >"$dir/out.create" 2>&1 || fail "create long"
wait_for "long running" 60 is long '{.status.active}/{.status.ready}' 1/1
k patch job long -p '{"spec":{"suspend":true}}' >"$dir/out.patch" 2>&1 || fail "suspend"
kwait --for=condition=suspended job/long || fail "wait suspended"
no_live() { [ -z "$(k get pods -l job-name=long --field-selector=status.phase=Running -o name)" ]; }
wait_for "long's pod gone" 60 no_live
is long '{.status.active}' "" || fail "active while suspended: $(jp long '{.status}')"
k get job long >"$dir/out.get" 2>&1
grep -q '^long *Suspended ' "$dir/out.get" || fail "suspended row"
start1=$(jp long '{.status.startTime}')
k patch job long -p '{"spec":{"suspend":false}}' >"$dir/out.patch" 2>&1 || fail "resume"
wait_for "long resumed" 60 is long '{.status.active}' 1
is long '{.status.conditions[?(@.type=="Suspended")].status}' False ||
	fail "Suspended: $(jp long '{.status.conditions}')"
is long '{.status.conditions[?(@.type=="Suspended")].reason}' JobResumed ||
	fail "Suspended reason: $(jp long '{.status.conditions}')"
[ "$(jp long '{.status.startTime}')" != "$start1" ] || fail "startTime not reset on resume"

# Validation: restartPolicy Always is refused as the API server does.
k create -f - >"$dir/out.bad" 2>&1 <<'EOF' && fail "restartPolicy Always accepted"
apiVersion: batch/v1
kind: Job
metadata:
  name: always
spec:
  template:
    spec:
      containers:
      - name: main
        image: busybox
EOF
grep -q 'spec.template.spec.restartPolicy: Unsupported value: "Always": supported values: "OnFailure", "Never"' \
	"$dir/out.bad" || fail "validation message"

# CronJobs: kubectl's create cronjob, the columns, create job --from, the
# history limit, suspend.
k create cronjob tick --image=busybox --schedule='*/1 * * * *' -- sh -c 'sleep 1' \
	>"$dir/out.create" 2>&1 || fail "create cronjob"
k get cronjob tick -o wide >"$dir/out.get" 2>&1 || fail "get cronjob"
grep -q '^NAME *SCHEDULE *TIMEZONE *SUSPEND *ACTIVE *LAST SCHEDULE *AGE *CONTAINERS *IMAGES *SELECTOR$' \
	"$dir/out.get" || fail "cronjob header"
# At --speed 20 the first minute can strike before this get: either no run
# yet, or one Job active (or done) with its LAST SCHEDULE.
grep -Eq '^tick +\*/1 \* \* \* \* +<none> +False +(0 +<none>|[01] +[0-9]+s) +[0-9]+s +tick +busybox +<none>$' \
	"$dir/out.get" || fail "cronjob row: $(cat "$dir/out.get")"
cj() {
	k get cronjob tick -o jsonpath="$1"
}
k create job by-hand --from=cronjob/tick >"$dir/out.from" 2>&1 || fail "create job --from"
is by-hand '{.metadata.ownerReferences[0].kind}/{.metadata.ownerReferences[0].name}' \
	CronJob/tick || fail "by-hand owner: $(jp by-hand '{.metadata}')"
is by-hand '{.metadata.annotations.cronjob\.kubernetes\.io/instantiate}' manual ||
	fail "by-hand annotation: $(jp by-hand '{.metadata.annotations}')"
kwait --for=condition=complete job/by-hand || fail "by-hand did not complete"
scheduled() { [ -n "$(cj '{.status.lastScheduleTime}')" ]; }
wait_for "a scheduled run" 60 scheduled
last=$(cj '{.status.lastScheduleTime}')
minutes=$(( $(date -u -d "$last" +%s) / 60 ))
is "tick-$minutes" '{.metadata.annotations.batch\.kubernetes\.io/cronjob-scheduled-timestamp}' \
	"$last" || fail "scheduled job: $(k get jobs -o name)"
case $last in *:00Z) ;; *) fail "lastScheduleTime $last is not on a minute" ;; esac
kwait --for=condition=complete "job/tick-$minutes" || fail "tick-$minutes did not complete"
# The history limit: of the finished Jobs the CronJob owns, only the newest stays.
k patch cronjob tick -p '{"spec":{"successfulJobsHistoryLimit":1}}' >"$dir/out.patch" 2>&1 ||
	fail "patch history limit"
owned() {
	k get jobs -o jsonpath='{range .items[?(@.metadata.ownerReferences[0].name=="tick")]}{.metadata.name} {end}'
}
one_left() { [ "$(owned | wc -w)" -eq 1 ]; }
wait_for "one finished job left" 60 one_left
k get events --field-selector involvedObject.name=tick >"$dir/out.ev" 2>&1
grep -q 'SuccessfulCreate *cronjob/tick *Created job tick-' "$dir/out.ev" || fail "no create event"
grep -q 'SuccessfulDelete *cronjob/tick *Deleted job ' "$dir/out.ev" || fail "no delete event"
grep -q 'UnexpectedJob *cronjob/tick *Saw a job that the controller did not create or forgot: by-hand' \
	"$dir/out.ev" || fail "no UnexpectedJob event"
k patch cronjob tick -p '{"spec":{"suspend":true}}' >"$dir/out.patch" 2>&1 || fail "suspend cronjob"
k get cronjob tick >"$dir/out.get" 2>&1
grep -q '^tick .* True ' "$dir/out.get" || fail "suspended row: $(cat "$dir/out.get")"
k delete cronjob tick >"$dir/out.delete" 2>&1 || fail "delete cronjob"
no_ticks() { [ -z "$(k get jobs -o name | grep tick-)" ]; }
wait_for "the cronjob's jobs gone" 60 no_ticks

# create job --from sends protobuf: the template's policies come through.
k create -f - >"$dir/out.create" 2>&1 <<'EOF' || fail "create cronjob with policies"
apiVersion: batch/v1
kind: CronJob
metadata: {name: yearly}
spec:
  schedule: "@yearly"
  jobTemplate:
    spec:
      completions: 2
      completionMode: Indexed
      successPolicy:
        rules:
        - succeededIndexes: "0"
      podFailurePolicy:
        rules:
        - action: FailJob
          onExitCodes: {containerName: main, operator: In, values: [42, 300]}
      template:
        spec:
          restartPolicy: Never
          containers: [{name: main, image: busybox}]
EOF
# @yearly never strikes during the test: the row exactly.
k get cronjob yearly -o wide >"$dir/out.get" 2>&1 || fail "get cronjob yearly"
grep -q '^yearly *@yearly *<none> *False *0 *<none> *[0-9]*s *main *busybox *<none>$' \
	"$dir/out.get" || fail "cronjob row: $(cat "$dir/out.get")"
k create job from-yearly --from=cronjob/yearly >"$dir/out.from" 2>&1 || fail "create job --from yearly"
is from-yearly '{.spec.podFailurePolicy.rules[0].onExitCodes.values}' '[42,300]' ||
	fail "podFailurePolicy: $(jp from-yearly '{.spec.podFailurePolicy}')"
is from-yearly '{.spec.successPolicy.rules[0].succeededIndexes}/{.spec.completionMode}' 0/Indexed ||
	fail "successPolicy: $(jp from-yearly '{.spec}')"
kwait --for=condition=complete job/from-yearly || fail "from-yearly did not complete"
is from-yearly '{.status.conditions[0].reason}' SuccessPolicy ||
	fail "from-yearly: $(jp from-yearly '{.status.conditions}')"
k delete cronjob yearly >"$dir/out.delete" 2>&1 || fail "delete cronjob yearly"

# Numbers as the API server decodes them: int32 and int64 fields refuse
# what does not fit; a schedule is parsed as the controller parses it.
k create -f - >"$dir/out.bad" 2>&1 <<'EOF' && fail "activeDeadlineSeconds 1e300 accepted"
apiVersion: batch/v1
kind: Job
metadata: {name: huge}
spec:
  activeDeadlineSeconds: 1e300
  template:
    spec:
      restartPolicy: Never
      containers: [{name: main, image: busybox}]
EOF
grep -q 'cannot unmarshal number 1e+300 into Go struct field JobSpec.spec.activeDeadlineSeconds of type int64' \
	"$dir/out.bad" || fail "int64 message"
k create -f - >"$dir/out.bad" 2>&1 <<'EOF' && fail "a history limit beyond int32 accepted"
apiVersion: batch/v1
kind: CronJob
metadata: {name: huge}
spec:
  schedule: "* * * * *"
  successfulJobsHistoryLimit: 99999999999
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers: [{name: main, image: busybox}]
EOF
grep -q 'CronJobSpec.spec.successfulJobsHistoryLimit of type int32' "$dir/out.bad" ||
	fail "int32 message"
k create cronjob bad-cron --image=busybox --schedule='61 * * * *' >"$dir/out.bad" 2>&1 &&
	fail "minute 61 accepted"
grep -q 'spec.schedule: Invalid value: "61 \* \* \* \*": end of range (61) above maximum (59): 61' \
	"$dir/out.bad" || fail "schedule message"

# Delete: the Job and its pods go.
k delete job long bad >"$dir/out.delete" 2>&1 || fail "delete jobs"
no_pods() { [ -z "$(k get pods -l 'job-name in (long,bad)' -o name)" ]; }
wait_for "the deleted jobs' pods gone" 60 no_pods
k get job long >/dev/null 2>&1 && fail "job long still there"

sim_stop || fail "podscope-sim exited with $?"
exit 0
