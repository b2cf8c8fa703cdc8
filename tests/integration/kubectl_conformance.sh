#!/bin/sh
# The real kubectl drives podscope-sim through a Deployment's life: create -f,
# get -w, set image, rollout status (done, and failed on a progress
# deadline), rollout history, undo (also --to-revision), restart, pause and
# resume, scale, delete pod. Each step is checked by what changed in the
# cluster, not by kubectl's exit status alone. The other kinds have scripts
# of their own in the same shape: sim_sts.sh (StatefulSets and
# ControllerRevisions), sim_ds.sh (DaemonSets and nodes), sim_job.sh (Jobs,
# CronJobs, create job --from) and sim_podfeat.sh (sidecars and gates).
set -u
KUBECTL=${KUBECTL:-}
if test -z "$KUBECTL" || ! test -x "$KUBECTL"; then
	echo "SKIP: kubectl is not installed; the kubectl conformance checks did not run"
	exit 77
fi
sim=${PODSCOPE_SIM:-./podscope-sim}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/kubectl-conf.XXXXXX") || exit 1
pid=
watch_pid=
cleanup() {
	test -n "$watch_pid" && kill "$watch_pid" 2>/dev/null
	test -n "$pid" && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

"$sim" --tls --speed 20 --write-kubeconfig "$tmp/kubeconfig" >"$tmp/out" 2>"$tmp/sim.err" &
pid=$!
i=0
while ! test -s "$tmp/kubeconfig"; do
	i=$((i + 1))
	if test $i -gt 300 || ! kill -0 "$pid" 2>/dev/null; then
		echo "podscope-sim did not start"
		cat "$tmp/sim.err"
		exit 1
	fi
	sleep 0.1
done

k() { "$KUBECTL" --kubeconfig "$tmp/kubeconfig" --request-timeout=30s "$@"; }
jp() { k get "$1" -o "jsonpath=$2" 2>/dev/null; }

failed=0
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() {
	n=$((n + 1))
	failed=$((failed + 1))
	echo "not ok $n - $1"
	test $# -gt 1 && echo "#   $2"
}
# check DESC COMMAND...: the command must succeed.
check() {
	d=$1
	shift
	if "$@" >"$tmp/last" 2>&1; then ok "$d"; else not_ok "$d" "$(tail -n 3 "$tmp/last")"; fi
}
# eventually DESC SECONDS COMMAND...: the command succeeds within SECONDS.
eventually() {
	d=$1
	t=$2
	shift 2
	end=$(($(date +%s) + t))
	while ! "$@" >"$tmp/last" 2>&1; do
		if test "$(date +%s)" -ge "$end"; then
			not_ok "$d" "$(tail -n 3 "$tmp/last")"
			return 1
		fi
		sleep 0.2
	done
	ok "$d"
}
is() { test "$1" = "$2" || { echo "got '$1', want '$2'"; return 1; }; }
# The images of web's pods that are not terminating, sorted and unique.
pod_images() {
	k get pods -l app=web -o jsonpath='{range .items[*]}{.metadata.deletionTimestamp}|{.spec.containers[0].image}{"\n"}{end}' |
		sed -n 's/^|//p' | sort -u | tr '\n' ' '
}
live_pods() {
	k get pods -l app=web -o jsonpath='{range .items[*]}{.metadata.deletionTimestamp}|{.metadata.name}{"\n"}{end}' |
		sed -n 's/^|//p' | wc -l | tr -d ' '
}
rs_count() { k get rs -l app=web -o name | wc -l | tr -d ' '; }
template_image() { jp deploy/web '{.spec.template.spec.containers[0].image}'; }
revision() { jp deploy/web '{.metadata.annotations.deployment\.kubernetes\.io/revision}'; }

cat >"$tmp/web.yaml" <<'YAML'
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app: web
spec:
  replicas: 4
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: nginx
        image: nginx:1.26
        readinessProbe:
          httpGet:
            path: /
            port: 80
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
  - port: 80
YAML
cat >"$tmp/stuck.yaml" <<'YAML'
apiVersion: apps/v1
kind: Deployment
metadata:
  name: stuck
spec:
  replicas: 2
  progressDeadlineSeconds: 30
  selector:
    matchLabels:
      app: stuck
  template:
    metadata:
      labels:
        app: stuck
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
        readinessProbe:
          httpGet:
            path: /no-such-page
            port: 80
YAML

# create -f
check "create -f makes the deployment and the service" k create -f "$tmp/web.yaml"
check "the deployment is stored as sent" is "$(jp deploy/web '{.spec.replicas}/{.spec.template.spec.containers[0].image}')" "4/nginx:1.26"

# get -w, in the background for the rest of the run
k get pods -l app=web -w --output-watch-events >"$tmp/watch" 2>&1 &
watch_pid=$!

# rollout status: done
check "rollout status returns once web is rolled out" k rollout status deploy/web --timeout=90s
check "... and then 4 pods are ready" is "$(jp deploy/web '{.status.readyReplicas}/{.status.updatedReplicas}')" "4/4"
check "the service has 4 ready endpoints" is "$(jp endpoints/web '{.subsets[0].addresses[*].ip}' | wc -w | tr -d ' ')" "4"

# set image
check "set image" k set image deploy/web nginx=nginx:1.27
check "set image changes the template" is "$(template_image)" "nginx:1.27"
check "rollout status after set image" k rollout status deploy/web --timeout=90s
check "a second ReplicaSet, revision 2" is "$(rs_count)/$(revision)" "2/2"
eventually "every pod runs nginx:1.27" 60 is "$(pod_images)" "nginx:1.27 "
eventually "get -w saw the new pods come" 30 grep -q "ADDED.*web-" "$tmp/watch"
eventually "get -w saw the old pods go" 30 grep -q "DELETED.*web-" "$tmp/watch"

# rollout history
k rollout history deploy/web >"$tmp/history" 2>&1
check "rollout history lists revisions 1 and 2" sh -c "grep -q '^1 ' '$tmp/history' && grep -q '^2 ' '$tmp/history'"
check "rollout history --revision=1 shows its image" sh -c "'$KUBECTL' --kubeconfig '$tmp/kubeconfig' rollout history deploy/web --revision=1 | grep -q 'nginx:1.26'"

# rollout undo
check "rollout undo" k rollout undo deploy/web
check "undo brings back the old template" is "$(template_image)" "nginx:1.26"
check "rollout status after undo" k rollout status deploy/web --timeout=90s
check "undo makes revision 3 of the old ReplicaSet" is "$(rs_count)/$(revision)" "2/3"
eventually "every pod runs nginx:1.26 again" 60 is "$(pod_images)" "nginx:1.26 "
check "rollout undo --to-revision=2" k rollout undo deploy/web --to-revision=2
check "--to-revision=2 brings back nginx:1.27" is "$(template_image)" "nginx:1.27"
check "rollout status after undo --to-revision" k rollout status deploy/web --timeout=90s
eventually "every pod runs nginx:1.27 again" 60 is "$(pod_images)" "nginx:1.27 "

# rollout restart
old_rs=$(rs_count)
check "rollout restart" k rollout restart deploy/web
check "restart sets restartedAt in the template" test -n "$(jp deploy/web '{.spec.template.metadata.annotations.kubectl\.kubernetes\.io/restartedAt}')"
check "rollout status after restart" k rollout status deploy/web --timeout=90s
check "restart makes a new ReplicaSet" test "$(rs_count)" -gt "$old_rs"

# pause / resume
check "rollout pause" k rollout pause deploy/web
check "pause sets spec.paused" is "$(jp deploy/web '{.spec.paused}')" "true"
before=$(rs_count)
check "set image while paused" k set image deploy/web nginx=nginx:1.28
eventually "paused: the controller saw the new template" 30 is "$(jp deploy/web '{.status.observedGeneration}')" "$(jp deploy/web '{.metadata.generation}')"
check "paused: no new ReplicaSet for it" is "$(rs_count)" "$before"
eventually "paused: Progressing says DeploymentPaused" 30 is "$(jp deploy/web '{.status.conditions[?(@.type=="Progressing")].reason}')" "DeploymentPaused"
check "rollout resume" k rollout resume deploy/web
check "resume clears spec.paused" is "$(jp deploy/web '{.spec.paused}')" ""
check "rollout status after resume" k rollout status deploy/web --timeout=90s
eventually "every pod runs nginx:1.28" 60 is "$(pod_images)" "nginx:1.28 "

# scale
check "scale --replicas=6" k scale deploy/web --replicas=6
check "scale sets spec.replicas" is "$(jp deploy/web '{.spec.replicas}')" "6"
eventually "6 ready pods" 60 is "$(jp deploy/web '{.status.readyReplicas}')/$(live_pods)" "6/6"
check "scale --replicas=2" k scale deploy/web --replicas=2
eventually "2 pods left" 60 is "$(jp deploy/web '{.status.replicas}')/$(live_pods)" "2/2"

# delete pod
victim=$(k get pods -l app=web -o jsonpath='{.items[0].metadata.name}')
check "delete pod" k delete pod "$victim" --wait=false
eventually "the deleted pod goes" 60 sh -c "! '$KUBECTL' --kubeconfig '$tmp/kubeconfig' get pod '$victim' >/dev/null 2>&1"
eventually "its ReplicaSet replaces it" 60 is "$(jp deploy/web '{.status.readyReplicas}')/$(live_pods)" "2/2"

# rollout status fails on a progress deadline
check "create a deployment whose pods never get ready" k create -f "$tmp/stuck.yaml"
if k rollout status deploy/stuck --timeout=120s >"$tmp/stuck.out" 2>&1; then
	not_ok "rollout status fails on the progress deadline" "it succeeded: $(cat "$tmp/stuck.out")"
else
	check "rollout status fails on the progress deadline" grep -q "exceeded its progress deadline" "$tmp/stuck.out"
fi
check "the deployment says ProgressDeadlineExceeded" is "$(jp deploy/stuck '{.status.conditions[?(@.type=="Progressing")].reason}')" "ProgressDeadlineExceeded"

echo "1..$n"
if test $failed -gt 0; then
	echo "$failed of $n checks failed; podscope-sim's stderr:"
	tail -n 20 "$tmp/sim.err"
	exit 1
fi
exit 0
