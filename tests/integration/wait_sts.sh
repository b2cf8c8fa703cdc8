#!/bin/sh
# podscope get, wait and watch on StatefulSets against podscope-sim, each
# rollout message compared with the real kubectl's `rollout status` in the
# same run: done (0), a canary by partition (done at the partition), a
# rollout stuck on a crashing pod (1, with the cause), OnDelete (1, in
# kubectl's words), --timeout (3); then, where the simulator serves them, a
# DaemonSet rolled out and rolled across its nodes.
set -u
. "${TOP_SRCDIR:-.}/tests/integration/get_lib.sh"
[ -n "${KUBECTL:-}" ] || { echo "SKIP: kubectl is not installed (\$KUBECTL is empty)"; exit 77; }

jp() {
	k get sts web -o jsonpath="$1"
}

# same_as_kubectl NAME [TARGET]: podscope's last message in out.NAME (the
# lines not indented) is what kubectl rollout status --watch=false prints
# now for TARGET (sts/web; stdout, or "error: ..." on stderr).
same_as_kubectl() {
	k rollout status "${2:-sts/web}" --watch=false >"$dir/k.$1" 2>&1
	grep -v '^  ' "$dir/out.$1" | tail -n 1 >"$dir/p.$1"
	cmp -s "$dir/k.$1" "$dir/p.$1" ||
		fail "$1: podscope [$(cat "$dir/p.$1")] kubectl [$(cat "$dir/k.$1")]"
}

# Usage: the kinds by every name kubectl knows them by; a pod is no rollout.
expect_rc 2 waitpod "$PODSCOPE" wait po/x
grep -q 'deploy/NAME, sts/NAME, ds/NAME or job/NAME' "$dir/err.waitpod" || fail "waitpod: no usage"
expect_rc 2 badkind "$PODSCOPE" get replicationcontroller/x
grep -q 'is not deploy/NAME, sts/NAME, ds/NAME, job/NAME, cronjob/NAME or pod/NAME' "$dir/err.badkind" ||
	fail "badkind: no usage"

start_sim "$FIX/sts-web.yaml" --speed 20
expect_rc 0 done ps_ wait sts/web --timeout 120s
tail -n +2 "$dir/out.done" | grep -Eq '^  update revision 1: 3 pods(; eta .*)?$' || fail "done: no revision counts"
grep -q '^  pod web-2 (new): .*ready' "$dir/out.done" || fail "done: no pod stage"
expect_rc 0 done2 ps_ wait statefulset.apps/web --timeout 10s
same_as_kubectl done2
grep -q '^partitioned roll out complete: 3 new pods have been updated\.\.\.$' "$dir/out.done2" ||
	fail "done2: $(cat "$dir/out.done2")"

# get: the text and the JSON, by short and long names.
expect_rc 0 get ps_ get sts/web
grep -q '^statefulset default/web: 3/3 ready, 3 updated, 3 current, partition 0, age ' \
	"$dir/out.get" || fail "get: no set line"
grep -q '^  update revision 1 (web-[a-z0-9]*)$' "$dir/out.get" || fail "get: no revision line"
grep -q '^    web-0  *1/1  *Running ' "$dir/out.get" || fail "get: no pod row"
expect_rc 0 json ps_ get statefulsets/web -o json
for f in '"statefulsets":\[{"namespace":"default","name":"web"' '"ready":"3/3"' \
	'"strategy":{"type":"RollingUpdate","partition":0,"maxUnavailable":null}' \
	'"rollout":{"state":"complete","message":"partitioned roll out complete: 3 new pods have been updated...","why":"","whyCause":"","eta":{"state":"none","text":""' \
	'"name":"web-2","uid":"[^"]*","revision":1,' '"deployments":\[\]' '"groups":\[\]'; do
	grep -q "$f" "$dir/out.json" || fail "json: no $f"
done
expect_rc 1 nope ps_ get sts/nope
grep -q 'statefulsets.apps "nope" not found in namespace default' "$dir/err.nope" ||
	fail "nope: no not found"
expect_rc 1 nowait ps_ wait sts/nope --timeout 5s
grep -q '^error: statefulsets.apps "nope" not found in namespace default$' "$dir/err.nowait" ||
	fail "nowait: no not found"

# watch: the set's transitions, one JSON line each.
# Not through ps_: a function in the background is a subshell, and $! would
# name it rather than podscope, which would outlive the kill.
"$PODSCOPE" --kubeconfig "$dir/kubeconfig" watch -o jsonl >"$dir/out.watch" 2>"$dir/err.watch" &
bgpid=$!
synced() { grep -q '^podscope watch: watching .* 1 statefulsets' "$dir/err.watch"; }
until_ok 30 synced || fail "watch: never synced"

# A canary: partition 2 and a new image; done once web-2 runs it, as kubectl says.
k patch sts web -p '{"spec":{"updateStrategy":{"rollingUpdate":{"partition":2}}}}' \
	>"$dir/out.patch" 2>&1 || fail "patch partition"
k set image sts/web nginx=nginx:1.27 >"$dir/out.set" 2>&1 || fail "set image"
expect_rc 0 canary ps_ wait sts/web --timeout 120s
same_as_kubectl canary
grep -q '^partitioned roll out complete: 1 new pods have been updated\.\.\.$' "$dir/out.canary" ||
	fail "canary: $(cat "$dir/out.canary")"
grep -q 'update revision 2: 1 pods; old revision 1: 2 pods' "$dir/out.canary" ||
	fail "canary: no revision counts"
moved() { grep -q '"kind":"StatefulSet","namespace":"default","name":"web","from":"[a-z]*","to":"progressing"' "$dir/out.watch"; }
until_ok 30 moved || fail "watch: no StatefulSet progressing line"
done_line() { grep -q '"kind":"StatefulSet".*"to":"complete","why":"partitioned roll out complete: 1 new pods' "$dir/out.watch"; }
until_ok 30 done_line || fail "watch: no StatefulSet complete line"
kill "$bgpid" && wait "$bgpid"
bgpid=

# The rest of the rollout to a crashing image: 1 with the cause.
k patch sts web -p '{"spec":{"updateStrategy":{"rollingUpdate":{"partition":0}},"template":{"spec":{"containers":[{"name":"nginx","image":"busybox","command":["sh","-c","exit 2"]}]}}}}' \
	>"$dir/out.patch" 2>&1 || fail "patch to a crashing image"
expect_rc 1 crash ps_ wait sts/web --timeout 120s --settle 2s
grep -Eq '^error: statefulset "web" rollout failed: 1 new pod CrashLoopBackOff \(exit 2\)$' \
	"$dir/out.crash" || fail "crash: no root-cause line"
# kubectl, which does not look at pods, is still waiting: so is podscope's message.
grep -q '^Waiting for ' "$dir/out.crash" || fail "crash: no waiting message"
# 3: --timeout while a set's first pod waits an hour for its init container.
k apply -f - >"$dir/out.slowset" 2>&1 <<'YAML' || fail "create the slow set"
{"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": "slow"},
 "spec": {"serviceName": "slow", "replicas": 1, "selector": {"matchLabels": {"app": "slow"}},
  "template": {"metadata": {"labels": {"app": "slow"}},
   "spec": {"initContainers": [{"name": "wait", "image": "busybox", "command": ["sh", "-c", "sleep 3600"]}],
    "containers": [{"name": "app", "image": "nginx:1.26"}]}}}}
YAML
expect_rc 3 slow ps_ wait sts/slow --timeout 2s
grep -q '^error: timed out waiting for the condition$' "$dir/err.slow" || fail "slow: no timeout line"

# OnDelete: kubectl cannot follow it, and says so.
k patch sts web -p '{"spec":{"updateStrategy":{"type":"OnDelete","rollingUpdate":null}}}' \
	>"$dir/out.patch" 2>&1 || fail "patch OnDelete"
ondelete() { [ "$(jp '{.spec.updateStrategy.type}')" = OnDelete ]; }
until_ok 30 ondelete || fail "OnDelete not applied"
expect_rc 1 ondelete ps_ wait sts/web --timeout 10s
same_as_kubectl ondelete

# DaemonSets, where this podscope-sim serves them: a set rolled out on every
# node, then a new image rolled across the nodes.
if k get daemonsets >/dev/null 2>&1; then
	k apply -f - >"$dir/out.ds" 2>&1 <<'YAML' || fail "create the daemon set"
{"apiVersion": "apps/v1", "kind": "DaemonSet", "metadata": {"name": "agent"},
 "spec": {"selector": {"matchLabels": {"app": "agent"}},
  "updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 1}},
  "template": {"metadata": {"labels": {"app": "agent"}},
   "spec": {"containers": [{"name": "agent", "image": "busybox:1.36", "command": ["sh", "-c", "sleep 3600"]}]}}}}
YAML
	expect_rc 0 dsdone ps_ wait ds/agent --timeout 120s
	same_as_kubectl dsdone ds/agent
	grep -q '^daemon set "agent" successfully rolled out$' "$dir/out.dsdone" ||
		fail "dsdone: $(cat "$dir/out.dsdone")"
	k set image ds/agent agent=busybox:1.37 >"$dir/out.dsset" 2>&1 || fail "set image ds"
	expect_rc 0 dsroll ps_ wait daemonset.apps/agent --timeout 120s
	same_as_kubectl dsroll ds/agent
	grep -q '^  update revision 2: [0-9]* pods' "$dir/out.dsroll" || fail "dsroll: no revision counts"
	expect_rc 0 dsget ps_ get ds/agent -o json
	grep -q '"daemonsets":\[{"namespace":"default","name":"agent"' "$dir/out.dsget" ||
		fail "dsget: no daemonset"
	grep -q '"updateRevision":2,' "$dir/out.dsget" || fail "dsget: no update revision 2"
else
	echo "SKIP (part): this podscope-sim does not serve DaemonSets"
fi
echo "PASS"
