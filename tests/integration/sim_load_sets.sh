#!/bin/sh
# The load scenario's StatefulSets and DaemonSets (--load-statefulsets,
# --load-daemonsets), read by the real kubectl: each set settled with its one
# ControllerRevision, pods by ordinal or one per node with the controllers'
# labels, rollout status complete, and the controllers finding nothing to redo.
set -u

. "${TOP_SRCDIR:-.}/tests/integration/lib.sh"
it_init sim_load_sets.sh kubectl

sim_start --tls --speed 20 --nodes 4 --scenario load --load-statefulsets 3 \
	--load-daemonsets 2 --load-pods 15

k get deploy -A -o name >"$dir/out.deploy" 2>&1 || fail "get deploy"
[ ! -s "$dir/out.deploy" ] || fail "Deployments where only sets were asked: $(cat "$dir/out.deploy")"
[ "$(k get pods -A --no-headers | wc -l)" -eq 23 ] || fail "pods: $(k get pods -A --no-headers)"

for i in 1 2 3; do
	s=load-sts-0000$i
	timeout 60 "$KUBECTL" --kubeconfig "$dir/kubeconfig" -n load-1 rollout status "sts/$s" \
		>"$dir/out.status" 2>&1 || fail "rollout status sts/$s: $(cat "$dir/out.status")"
	grep -q 'roll out complete: 5 new pods have been updated' "$dir/out.status" ||
		fail "sts/$s rollout status said: $(cat "$dir/out.status")"
	rev=$(k -n load-1 get sts "$s" -o jsonpath='{.status.updateRevision}')
	[ "$(k -n load-1 get controllerrevision -l "app=$s" -o jsonpath='{.items[*].metadata.name}')" = "$rev" ] ||
		fail "sts/$s: revision $rev, ControllerRevisions: $(k -n load-1 get controllerrevision)"
	for o in 0 1 2 3 4; do
		got=$(k -n load-1 get pod "$s-$o" -o jsonpath='{.metadata.labels.controller-revision-hash} {.metadata.labels.statefulset\.kubernetes\.io/pod-name} {.metadata.labels.apps\.kubernetes\.io/pod-index} {.status.phase} {.spec.nodeName}')
		case $got in
		"$rev $s-$o $o Running sim-node-"?) ;;
		*) fail "pod $s-$o: $got" ;;
		esac
	done
done

for i in 1 2; do
	s=load-ds-0000$i
	timeout 60 "$KUBECTL" --kubeconfig "$dir/kubeconfig" -n load-1 rollout status "ds/$s" \
		>"$dir/out.status" 2>&1 || fail "rollout status ds/$s: $(cat "$dir/out.status")"
	grep -q "daemon set \"$s\" successfully rolled out" "$dir/out.status" ||
		fail "ds/$s rollout status said: $(cat "$dir/out.status")"
	hash=$(k -n load-1 get controllerrevision -l "app=$s" -o jsonpath='{.items[*].metadata.labels.controller-revision-hash}')
	[ -n "$hash" ] && [ "$(k -n load-1 get controllerrevision -l "app=$s" -o name | wc -l)" -eq 1 ] ||
		fail "ds/$s ControllerRevisions: $(k -n load-1 get controllerrevision)"
	k -n load-1 get pods -l "app=$s" -o jsonpath='{range .items[*]}{.spec.nodeName} {.metadata.labels.controller-revision-hash} {.metadata.labels.pod-template-generation}{"\n"}{end}' |
		sort >"$dir/out.ds"
	printf 'sim-node-%d %s 1\n' 1 "$hash" 2 "$hash" 3 "$hash" 4 "$hash" >"$dir/want.ds"
	cmp -s "$dir/out.ds" "$dir/want.ds" || fail "ds/$s pods: $(cat "$dir/out.ds")"
done

# The controllers at work: a scaled set gets its next ordinal on the same
# revision and nothing made by the load is replaced.
before=$(k get pods -A -o jsonpath='{range .items[*]}{.metadata.uid} {end}')
k -n load-1 scale sts/load-sts-00002 --replicas=6 >"$dir/out.scale" 2>&1 || fail "scale"
rev=$(k -n load-1 get sts load-sts-00002 -o jsonpath='{.status.updateRevision}')
sixth() {
	[ "$(k -n load-1 get pod load-sts-00002-5 -o jsonpath='{.metadata.labels.controller-revision-hash} {.status.conditions[?(@.type=="Ready")].status}')" = "$rev True" ]
}
wait_for "load-sts-00002-5 ready" 60 sixth
timeout 60 "$KUBECTL" --kubeconfig "$dir/kubeconfig" -n load-1 rollout status sts/load-sts-00002 \
	>"$dir/out.status" 2>&1 || fail "rollout status after the scale: $(cat "$dir/out.status")"
after=$(k get pods -A -o jsonpath='{range .items[*]}{.metadata.uid} {end}')
for u in $before; do
	case " $after " in
	*" $u "*) ;;
	*) fail "pod $u of the load was replaced" ;;
	esac
done
[ "$(k get controllerrevision -A --no-headers | wc -l)" -eq 5 ] ||
	fail "revisions: $(k get controllerrevision -A)"

echo "PASS: sim_load_sets.sh"
