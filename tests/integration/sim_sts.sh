#!/bin/sh
# StatefulSets on podscope-sim, driven by the real kubectl: create, the
# table's columns, rollout status, a canary by partition, scale, history
# and undo; every step checked in the objects, not only in kubectl's exit.
set -u

. "${TOP_SRCDIR:-.}/tests/integration/lib.sh"
it_init sim_sts.sh kubectl

# revs: each pod's ordinal and revision label, "web-0=web-abc ...".
revs() {
	k get pods -l app=web -o jsonpath='{range .items[*]}{.metadata.name}={.metadata.labels.controller-revision-hash} {end}'
}

jp() {
	k get sts web -o jsonpath="$1"
}

# rev_is ORDINAL REVISION: that pod runs that revision.
rev_is() {
	[ "$(k get pod "web-$1" -o jsonpath='{.metadata.labels.controller-revision-hash}')" = "$2" ]
}

sim_start --tls --speed 20

k create -f "$FIX/sts-web.yaml" >"$dir/out.create" 2>&1 || fail "create"
timeout 120 "$KUBECTL" --kubeconfig "$dir/kubeconfig" rollout status sts/web \
	>"$dir/out.status" 2>&1 || fail "rollout status"
grep -q 'roll out complete: 3 new pods have been updated' "$dir/out.status" ||
	fail "rollout status said: $(cat "$dir/out.status")"
[ "$(jp '{.status.readyReplicas}/{.status.updatedReplicas}')" = "3/3" ] ||
	fail "status after the rollout: $(jp '{.status}')"

# The columns, as a real server's printer gives them.
k get sts -o wide >"$dir/out.get" 2>&1 || fail "get sts"
grep -q '^NAME *READY *AGE *CONTAINERS *IMAGES$' "$dir/out.get" || fail "sts header"
grep -q '^web *3/3 *[0-9]*s *nginx *nginx:1.26$' "$dir/out.get" || fail "sts row"
k get controllerrevision >"$dir/out.cr" 2>&1 || fail "get controllerrevision"
grep -q '^NAME *CONTROLLER *REVISION *AGE$' "$dir/out.cr" || fail "controllerrevision header"
r1=$(jp '{.status.currentRevision}')
grep -q "^$r1 *statefulset.apps/web *1 " "$dir/out.cr" || fail "controllerrevision row"
k get pvc www-web-2 -o name >"$dir/out.pvc" 2>&1 || fail "no claim for web-2"
for i in 0 1 2; do rev_is $i "$r1" || fail "web-$i: $(revs)"; done

# The canary: partition 2, a new image; only web-2 moves.
k patch sts web -p '{"spec":{"updateStrategy":{"rollingUpdate":{"partition":2}}}}' \
	>"$dir/out.patch" 2>&1 || fail "patch partition"
k set image sts/web nginx=nginx:1.27 >"$dir/out.set" 2>&1 || fail "set image"
new_rev() { [ "$(jp '{.status.updateRevision}')" != "$r1" ]; }
wait_for "a new update revision" 30 new_rev
r2=$(jp '{.status.updateRevision}')
ready_canary() { rev_is 2 "$r2" && [ "$(jp '{.status.readyReplicas}')" = 3 ]; }
wait_for "web-2 on the new revision" 60 ready_canary
rev_is 0 "$r1" && rev_is 1 "$r1" || fail "below the partition: $(revs)"
[ "$(jp '{.status.currentReplicas}/{.status.updatedReplicas}')" = "2/1" ] ||
	fail "canary status: $(jp '{.status}')"
timeout 120 "$KUBECTL" --kubeconfig "$dir/kubeconfig" rollout status sts/web \
	>"$dir/out.status" 2>&1 || fail "rollout status of the canary"
grep -q 'partitioned roll out complete: 1 new pods have been updated' "$dir/out.status" ||
	fail "canary rollout status said: $(cat "$dir/out.status")"

# Lower it step by step.
k patch sts web -p '{"spec":{"updateStrategy":{"rollingUpdate":{"partition":1}}}}' \
	>"$dir/out.patch" 2>&1 || fail "patch partition 1"
step1() { rev_is 1 "$r2" && [ "$(jp '{.status.readyReplicas}')" = 3 ]; }
wait_for "web-1 on the new revision" 60 step1
rev_is 0 "$r1" || fail "web-0 moved too early: $(revs)"
k patch sts web -p '{"spec":{"updateStrategy":{"rollingUpdate":{"partition":0}}}}' \
	>"$dir/out.patch" 2>&1 || fail "patch partition 0"
timeout 120 "$KUBECTL" --kubeconfig "$dir/kubeconfig" rollout status sts/web \
	>"$dir/out.status" 2>&1 || fail "rollout status after the canary"
for i in 0 1 2; do rev_is $i "$r2" || fail "web-$i after the rollout: $(revs)"; done
[ "$(jp '{.status.currentRevision}')" = "$r2" ] || fail "currentRevision: $(jp '{.status}')"
[ "$(k get pod web-0 -o jsonpath='{.spec.containers[0].image}')" = nginx:1.27 ] ||
	fail "web-0's image"

# Scale.
k scale sts web --replicas=5 >"$dir/out.scale" 2>&1 || fail "scale up"
timeout 120 "$KUBECTL" --kubeconfig "$dir/kubeconfig" rollout status sts/web \
	>"$dir/out.status" 2>&1 || fail "rollout status after scale"
rev_is 4 "$r2" || fail "web-4: $(revs)"
k scale sts web --replicas=2 >"$dir/out.scale" 2>&1 || fail "scale down"
two_left() { [ "$(k get pods -l app=web -o name | wc -l)" -eq 2 ] && k get pod web-1 >/dev/null; }
wait_for "scale down to web-0 and web-1" 60 two_left
two_counted() { [ "$(jp '{.status.replicas}')" = 2 ]; }
wait_for "status.replicas 2" 30 two_counted

# History and undo.
k rollout history sts/web >"$dir/out.hist" 2>&1 || fail "rollout history"
grep -q '^1 ' "$dir/out.hist" && grep -q '^2 ' "$dir/out.hist" || fail "history lists 1 and 2"
k rollout undo sts/web >"$dir/out.undo" 2>&1 || fail "rollout undo"
back() { rev_is 0 "$r1" && rev_is 1 "$r1" && [ "$(jp '{.status.currentRevision}')" = "$r1" ]; }
wait_for "the roll back to $r1" 60 back
[ "$(k get controllerrevision "$r1" -o jsonpath='{.revision}')" = 3 ] ||
	fail "the old revision was not renumbered 3"
[ "$(k get pod web-0 -o jsonpath='{.spec.containers[0].image}')" = nginx:1.26 ] ||
	fail "web-0's image after undo"
k get sts web -o jsonpath='{.spec.template.spec.containers[0].image}' >"$dir/out.img"
[ "$(cat "$dir/out.img")" = nginx:1.26 ] || fail "the template after undo"

# Restart: a new revision with the restartedAt annotation, on every pod.
k rollout restart sts/web >"$dir/out.restart" 2>&1 || fail "rollout restart"
timeout 120 "$KUBECTL" --kubeconfig "$dir/kubeconfig" rollout status sts/web \
	>"$dir/out.status" 2>&1 || fail "rollout status after restart"
r4=$(jp '{.status.currentRevision}')
[ "$r4" != "$r1" ] && [ "$r4" != "$r2" ] || fail "restart made no new revision: $r4"
for i in 0 1; do rev_is $i "$r4" || fail "web-$i after restart: $(revs)"; done
k get pod web-0 -o jsonpath='{.metadata.annotations}' >"$dir/out.ann"
grep -q 'kubectl.kubernetes.io/restartedAt' "$dir/out.ann" || fail "web-0 has no restartedAt"

# Undo to a named revision: revision 2 ($r2) comes back as revision 5.
k rollout undo sts/web --to-revision=2 >"$dir/out.undo" 2>&1 || fail "undo --to-revision=2"
back2() { rev_is 0 "$r2" && rev_is 1 "$r2" && [ "$(jp '{.status.currentRevision}')" = "$r2" ]; }
wait_for "the roll back to $r2" 60 back2
[ "$(k get controllerrevision "$r2" -o jsonpath='{.revision}')" = 5 ] ||
	fail "revision 2 was not renumbered 5: $(k get controllerrevision)"

# Validation as the API server's: only replicas, ordinals, template,
# updateStrategy, revisionHistoryLimit, the claim retention policy and
# minReadySeconds may change; the selector must select the template.
if k patch sts web --type=merge -p '{"spec":{"serviceName":"other"}}' >"$dir/out.imm" 2>&1; then
	fail "serviceName changed"
fi
grep -q 'spec: Forbidden: updates to statefulset spec for fields other than' "$dir/out.imm" ||
	fail "serviceName: $(cat "$dir/out.imm")"
k patch sts web --type=merge -p '{"spec":{"minReadySeconds":1}}' >"$dir/out.mut" 2>&1 ||
	fail "minReadySeconds: $(cat "$dir/out.mut")"
cat >"$dir/bad.yaml" <<'YAML'
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: bad}
spec:
  serviceName: bad
  selector: {matchLabels: {app: bad}}
  podManagementPolicy: Sometimes
  template:
    metadata: {labels: {app: other}}
    spec: {containers: [{name: c, image: nginx}]}
YAML
if k create -f "$dir/bad.yaml" >"$dir/out.bad" 2>&1; then fail "an invalid set was made"; fi
grep -q "spec.podManagementPolicy: Invalid value: \"Sometimes\": must be 'OrderedReady' or 'Parallel'" \
	"$dir/out.bad" || fail "podManagementPolicy: $(cat "$dir/out.bad")"
grep -q 'spec.template.metadata.labels: Invalid value: .*`selector` does not match template `labels`' \
	"$dir/out.bad" || fail "selector: $(cat "$dir/out.bad")"

# Delete: the pods and revisions go with the set, the claims stay (Retain).
k delete sts web >"$dir/out.delete" 2>&1 || fail "delete sts"
all_gone() { [ -z "$(k get pods,controllerrevisions -l app=web -o name)" ]; }
wait_for "the pods and revisions of the deleted set" 60 all_gone
k get pvc www-web-0 www-web-4 -o name >"$dir/out.pvc" 2>&1 || fail "claims went with the set"
echo "PASS: sim_sts.sh"
