#!/bin/sh
# A pod with a native sidecar (native-sidecar: an init container with
# restartPolicy Always): its READY on the overview and in the pod view is
# kubectl's READY, read with `kubectl get pods` against the same sim in the
# same run (the sidecar counts: 2/2).
. "$TOP_SRCDIR/tests/tui/lib.sh"
KC=${KUBECTL:-}
[ -n "$KC" ] && [ -x "$KC" ] || { echo "SKIP: kubectl is not installed (\$KUBECTL is empty)"; exit 77; }
kget() { "$KC" --kubeconfig "$work/kc" --context sim-admin "$@"; }
# kready POD: the pod's READY as kubectl prints it.
kready() { kget get pod "$1" --no-headers | awk '{print $2}'; }

start_sim native-sidecar
start_ui 120 30
wait_for 'Pod +. web '
# Once the sidecar's startup probe passed and the app runs, kubectl says 2/2.
deadline=$(($(now) + 60))
while [ "$(kready web)" != 2/2 ]; do
	[ "$(now)" -lt "$deadline" ] || { echo "FAIL: kubectl never says web 2/2:"; kget get pods; exit 1; }
	sleep 0.2
done
for pod in web batch; do
	ready=$(kready "$pod")
	case $ready in
	[0-9]/[0-9]) ;;
	*) echo "FAIL: kubectl's READY of $pod is [$ready]"; exit 1 ;;
	esac
	wait_for "Pod +. $pod +$ready "
done
# The pod view: the same READY in its header.
keys / w e b Enter
wait_for 'Pod +. web '
keys Down Enter
wait_for "ready $(kready web) "
keys q
wait_for '^EXITED 0$'
pass sidecar
