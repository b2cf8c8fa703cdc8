#!/bin/sh
# The StatefulSet and DaemonSet rollout views fold their pods' Warning events
# under the ladder and the node rows: after `kubectl set image` to an image
# that cannot be pulled, the kubelet's Failed pulls show there, counted.
. "$TOP_SRCDIR/tests/tui/lib.sh"
KC=${KUBECTL:-}
if [ -z "$KC" ]; then
	echo "SKIP: kubectl is not installed; this test creates sets with it"
	exit 77
fi
kc() { "$KC" --kubeconfig "$work/kc" --context sim-admin "$@" >>"$work/kubectl.out" 2>&1; }
failed='^ +⚠ Failed( x[0-9]+)?( on [0-9]+)? [0-9]+s ago: (Failed to pull image "nginx:does-not-exist"|Error: (ErrImagePull|ImagePullBackOff))'

start_sim empty
kc apply -f "$TOP_SRCDIR/tests/fixtures/sim/sts-web.yaml" \
	-f "$TOP_SRCDIR/tests/fixtures/sim/ds-agent.yaml" || { cat "$work/kubectl.out"; exit 1; }
start_ui 120 30 -- -A
wait_for 'StatefulSet +web .* complete' 60
keys / w e b Enter
wait_for 'StatefulSet +web '
keys Enter
wait_for '^ +ORD +POD +REVISION'
kc set image sts/web nginx=nginx:does-not-exist || { cat "$work/kubectl.out"; exit 1; }
wait_for "$failed" 60
# The ladder is still there above it.
wait_for '^ +ORD +POD +REVISION'
keys Escape
keys / Escape / a g e n t Enter
wait_for 'DaemonSet +agent .* complete' 60
keys Enter
wait_for 'NODE +POD +REVISION'
kc set image ds/agent agent=nginx:does-not-exist || { cat "$work/kubectl.out"; exit 1; }
wait_for "$failed" 60
keys q
wait_for '^EXITED 0$'
pass set_warnings
