#!/bin/sh
# Every action of the table that changes the cluster, from the keyboard,
# through the one confirmation dialog, against podscope-sim: the cluster's
# objects change as kubectl's command would change them (read back with
# `podscope get -o json`, and with kubectl where it is installed).
. "$TOP_SRCDIR/tests/tui/lib.sh"
start_sim "$FIXTURES/actions.yaml" --request-log "$work/req.log"
KC=${KUBECTL:-}
[ -n "$KC" ] && [ -x "$KC" ] || KC=
[ -n "$KC" ] || echo "SKIP (part): kubectl is not installed; checking the cluster with podscope get only"
export XDG_STATE_HOME="$work/state"

# field JSONKEY: a deployment's field from `podscope get deploy/web -o json`.
field() {
	"$PODSCOPE" --kubeconfig "$work/kc" get deploy/web -o json |
		sed -n "s/.*\"name\":\"web\".*\"$1\":\\([^,}]*\\).*/\\1/p" | head -n 1 | tr -d '"'
}
# wait_field KEY VALUE: until the deployment's field has that value.
wait_field() {
	deadline=$(($(now) + 30))
	while [ "$(field "$1")" != "$2" ]; do
		if [ "$(now)" -ge "$deadline" ]; then
			echo "FAIL: deploy/web $1 is $(field "$1"), not $2"
			exit 1
		fi
		sleep 0.2
	done
}
kget() { "$KC" --kubeconfig "$work/kc" --context sim-admin "$@"; }

start_ui 120 40 --
wait_for ' web +Rolling +2/2 '
wait_for 'debug-shell .*ready'
# Only web in the list, so that it is the one selected.
keys / w e b Enter
wait_gone ' blue +Rolling'
rev=$(field revision)

# restart: a new ReplicaSet, the restartedAt template annotation.
keys r
wait_for 'Confirm restart on deploy/web \(namespace default\)'
wait_for 'PATCH /apis/apps/v1/namespaces/default/deployments/web'
wait_for 'restartedAt'
keys y
wait_for 'deployment.apps/web restarted'
wait_field revision $((rev + 1))
if [ -n "$KC" ]; then
	at=$(kget get deploy web -o 'jsonpath={.spec.template.metadata.annotations.kubectl\.kubernetes\.io/restartedAt}')
	[ -n "$at" ] || { echo "FAIL: no restartedAt annotation after restart"; exit 1; }
	cause=$(kget get deploy web -o 'jsonpath={.metadata.annotations.kubernetes\.io/change-cause}')
	case $cause in restart*) ;; *) echo "FAIL: change-cause is \"$cause\""; exit 1 ;; esac
fi

# scale through the prompt: a refusal with its reason sends nothing.
keys s
wait_for 'scale deploy/web \(now 2\) to N, \+N or -N:'
keys x
wait_for 'refused: '
keys Enter
wait_for 'refused: '
keys BSpace 5 Enter
wait_for 'scale deploy/web from 2 to 5 replicas'
wait_for 'PATCH /apis/apps/v1/namespaces/default/deployments/web/scale'
keys y
wait_for 'deployment.apps/web scaled'
wait_field desired 5
grep -Eq 'PATCH /apis/apps/v1/namespaces/default/deployments/web/scale[? ]' "$work/req.log" ||
	{ echo "FAIL: the scale went elsewhere than /scale"; exit 1; }
keys -- -
wait_for 'from 5 to 4 replicas'
keys y
wait_for 'deployment.apps/web scaled'
wait_field desired 4

# pause and resume.
keys p
wait_for 'Confirm pause on deploy/web'
keys y
wait_for 'deployment.apps/web paused'
wait_field paused true
keys P
wait_for 'Confirm resume on deploy/web'
keys Enter
wait_for 'deployment.apps/web resumed'
wait_field paused false

# set image: the container is offered, the image typed.
rev=$(field revision)
keys i
wait_for 'set image of deploy/web \(now nginx:1.26\) CONTAINER=IMAGE: web='
keys n g i n x : 1 . 2 7 Enter
wait_for 'set image of container web in deploy/web from nginx:1.26 to nginx:1.27'
keys y
wait_for 'deployment.apps/web image updated'
wait_field revision $((rev + 1))
[ -z "$KC" ] || [ "$(kget get deploy web -o 'jsonpath={.spec.template.spec.containers[0].image}')" = nginx:1.27 ] ||
	{ echo "FAIL: the image is not nginx:1.27"; exit 1; }

# undo: the history is offered; Enter takes the previous revision.
keys u
wait_for 'REVISION +IMAGES +CHANGE-CAUSE'
wait_for 'nginx:1.27 +set image of container web .*\(current\)'
# ... with what an undo to each older revision would change.
wait_for 'containers\[web\]\.image: nginx:1\.27 -> nginx:1\.26'
keys Enter
wait_for 'Confirm undo on deploy/web'
keys y
wait_for 'deployment.apps/web rolled back'
[ -z "$KC" ] || {
	deadline=$(($(now) + 20))
	until [ "$(kget get deploy web -o 'jsonpath={.spec.template.spec.containers[0].image}')" = nginx:1.26 ]; do
		[ "$(now)" -lt "$deadline" ] || { echo "FAIL: undo did not bring nginx:1.26 back"; exit 1; }
		sleep 0.2
	done
}

# the blue-green switch by command: traffic before and after is shown.
keys : s w i t c h Space s h o p Space g r e e n Enter
wait_for 'Confirm switch-service on svc/shop'
wait_for 'traffic now to: blue; +after: green'
keys y
wait_for 'service/shop patched'
[ -z "$KC" ] || [ "$(kget get svc shop -o 'jsonpath={.spec.selector.version}')" = green ] ||
	{ echo "FAIL: svc/shop does not select green"; exit 1; }

# delete a pod from the pod list.
keys Escape / d e b u g Enter
wait_gone ' web +Rolling'
keys d
wait_for 'delete-pod: select a pod first'
keys j d
wait_for 'Confirm delete-pod on pod/debug-shell'
wait_for 'DELETE /api/v1/namespaces/default/pods/debug-shell'
keys y
wait_for 'pod "debug-shell" deleted'
grep -Eq 'DELETE /api/v1/namespaces/default/pods/debug-shell' "$work/req.log" ||
	{ echo "FAIL: no DELETE in the request log"; exit 1; }

# Every action was audited.
n=$(wc -l <"$work/state/podscope/audit.log")
[ "$n" -ge 9 ] || { echo "FAIL: $n audit lines, wanted 9"; cat "$work/state/podscope/audit.log"; exit 1; }
keys q
wait_for '^EXITED 0$'
pass actions
