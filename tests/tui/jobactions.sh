#!/bin/sh
# Job and CronJob actions from the keyboard: a CronJob whose one Job runs
# for an hour (Forbid: no second run). On its row of the overview, z
# suspends the Job (the Job view then shows Suspended); in the Job view, Z
# resumes it (Running again); Enter
# opens its CronJob, where z suspends the CronJob and T creates a Job from
# it under the proposed name, which the CronJob's list then shows. Each
# change is one request in the simulator's log and one audit line;
# read-only sends nothing but GET.
. "$TOP_SRCDIR/tests/tui/lib.sh"
cat >"$work/cj.yaml" <<'YAML'
apiVersion: batch/v1
kind: CronJob
metadata:
  name: report
spec:
  schedule: "*/1 * * * *"
  concurrencyPolicy: Forbid
  jobTemplate:
    metadata:
      labels:
        team: data
    spec:
      template:
        spec:
          restartPolicy: Never
          containers:
          - name: report
            image: busybox
            command: ["sh", "-c", "sleep 3600"]
YAML
start_sim "$work/cj.yaml" --speed 20 --request-log "$work/req.log"
export XDG_STATE_HOME="$work/state"
# The writes, the access review at start aside.
writes() { grep -E ' (PATCH|POST) ' "$work/req.log" | grep -vc selfsubjectaccessreviews || true; }
fail() { echo "FAIL: $*"; exit 1; }

start_ui 120 40
wait_for '^. Job +report-[0-9]+ ' 60
job=$(grep -Eo 'Job +report-[0-9]+' "$work/screen" | head -n 1 | grep -Eo 'report-[0-9]+')

# Suspend, from the Job's row: the dialog names the Job and shows kubectl
# patch's request. The Job's row is under its CronJob's.
keys Home Down z
wait_for "Confirm suspend on job/$job \(namespace default\)"
wait_for "suspend job/$job \(spec.suspend: true\)"
wait_for "PATCH /apis/batch/v1/namespaces/default/jobs/$job\?fieldManager=podscope"
wait_for '\{"spec":\{"suspend":true\}\}'
keys y
wait_for "job.batch/$job patched"
keys Home Down Enter
wait_for "^ Job default/$job +Suspended" 30
# Resume.
keys Z
wait_for "resume job/$job \(spec.suspend: false\)"
keys y
wait_for "job.batch/$job patched"
wait_for "^ Job default/$job +Running" 30

# Its CronJob: suspend it, then a Job from it now.
keys Enter
wait_for '^ CronJob default/report '
keys z
wait_for 'Confirm suspend on cronjob/report'
keys y
wait_for 'cronjob.batch/report patched'
wait_for 'next: none \(suspended\)' 30
keys T
wait_for 'create a Job from cronjob/report now, named: report-manual-[0-9a-f]+'
manual=$(grep -Eo 'report-manual-[0-9a-f]+' "$work/screen" | head -n 1)
# A name the API would refuse is refused in the prompt as it is typed.
keys _
wait_for "$manual"'_ +refused: a lowercase RFC 1123 subdomain'
keys BSpace
wait_gone 'refused: a lowercase'
keys Enter
wait_for "Confirm trigger on job/$manual \(namespace default\)"
wait_for 'POST /apis/batch/v1/namespaces/default/jobs\?fieldManager=podscope&fieldValidation=Strict'
wait_for '"labels":\{"team":"data"\},"annotations":\{"cronjob.kubernetes.io/in'
keys y
wait_for "job.batch/$manual created"
wait_for "^ $manual +Running" 30
keys q
wait_for '^EXITED 0$'
tm kill-session -t t

[ "$(writes)" = 4 ] || { echo "FAIL: $(writes) writes, wanted 4:"; grep -v ' GET ' "$work/req.log"; exit 1; }
for a in "suspend	default/job/$job" "unsuspend	default/job/$job" \
	'suspend	default/cronjob/report' "trigger	default/job/$manual"; do
	grep -q "$a	ok" "$work/state/podscope/audit.log" ||
		{ echo "FAIL: no audit line for $a:"; cat "$work/state/podscope/audit.log"; exit 1; }
done
"$PODSCOPE" --kubeconfig "$work/kc" get "job/$manual" -o json >"$work/manual.json" ||
	fail "get job/$manual"
# Owned by its CronJob (the ownerReference kubectl sets).
grep -q '"cronjob":"report"' "$work/manual.json" ||
	fail "the new Job is not the CronJob's: $(cat "$work/manual.json")"

# Read-only: every key of these actions refused, nothing but GET sent.
: >"$work/req.log"
start_ui 120 40 -- --readonly
wait_for "Job +$job "
keys Home Down
# Each key names its action in the refusal: one message after the other;
# on the Job's row, then in the Job view.
for view in overview job; do
	[ "$view" = overview ] || { keys Home Down Enter; wait_for "^ Job default/report-"; }
	for k in z=suspend Z=unsuspend T=trigger; do
		keys -- "${k%%=*}"
		wait_for "^ read-only: ${k#*=} would change the cluster"
	done
done
keys q
wait_for '^EXITED 0$'
if grep -v ' GET ' "$work/req.log"; then
	fail "read-only podscope sent the requests above"
fi
pass jobactions
