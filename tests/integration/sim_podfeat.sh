#!/bin/sh
# The pod features of Kubernetes 1.29-1.33 on podscope-sim, driven by the
# real kubectl: a native sidecar (READY, termination order in the objects'
# finishedAt), a scheduling gate (SchedulingGated, only deletion allowed,
# Running once removed) and a readiness gate set through the status
# subresource (READINESS GATES 0/1, then 1/1 and Ready).
set -u

. "${TOP_SRCDIR:-.}/tests/integration/lib.sh"
it_init sim_podfeat.sh kubectl

# ps_row_is POD READY STATUS: podscope get prints the pod as kubectl does.
ps_row_is() {
	ps_ get >"$dir/out.psget" 2>&1 && grep -q "^ *$1 *$2 *$3 " "$dir/out.psget"
}

# row_is POD PATTERN: `kubectl get pod POD` prints a row matching PATTERN.
row_is() {
	k get pod "$1" --no-headers >"$dir/out.row" 2>&1 && grep -q "$2" "$dir/out.row"
}

jp() {
	k get pod "$1" -o jsonpath="$2"
}

cond() {
	jp "$1" "{.status.conditions[?(@.type==\"$2\")].$3}"
}

sim_start --tls --speed 10

k create -f "$FIX/podfeat.yaml" >"$dir/out.create" 2>&1 || fail "create"

# A native sidecar counts in READY, as printPod counts it.
wait_for "side READY 3/3" 60 row_is side '^side *3/3 *Running *0 '
[ "$(jp side '{.status.initContainerStatuses[*].started}')" = "true true" ] ||
	fail "sidecars not started: $(jp side '{.status.initContainerStatuses}')"
ps_row_is side 3/3 Running || fail "podscope get: $(cat "$dir/out.psget")"

# Termination: the app first, then the sidecars in reverse order (the
# finalizer keeps the pod with its last status).
k delete pod side --wait=false >"$dir/out.delete" 2>&1 || fail "delete side"
stopped() {
	[ -n "$(jp side '{.status.initContainerStatuses[0].state.terminated.finishedAt}')" ]
}
wait_for "every container of side stopped" 60 stopped
app=$(jp side '{.status.containerStatuses[0].state.terminated.finishedAt}')
logs=$(jp side '{.status.initContainerStatuses[1].state.terminated.finishedAt}')
proxy=$(jp side '{.status.initContainerStatuses[0].state.terminated.finishedAt}')
[ -n "$app" ] && [ -n "$logs" ] || fail "side's containers: $(jp side '{.status}')"
# RFC 3339 in UTC sorts as text
[ "$(printf '%s\n' "$proxy" "$logs" "$app" | sort | tr '\n' ' ')" = "$app $logs $proxy " ] &&
	[ "$app" != "$logs" ] && [ "$logs" != "$proxy" ] ||
	fail "stop order: app $app, logs $logs, proxy $proxy"
k patch pod side --type=json -p '[{"op":"remove","path":"/metadata/finalizers"}]' \
	>"$dir/out.fin" 2>&1 || fail "remove the finalizer"
gone() { [ -z "$(k get pods side --ignore-not-found -o name)" ]; }
wait_for "side removed" 30 gone

# A scheduling gate: unscheduled, SchedulingGated; a gate cannot be added.
wait_for "gated SchedulingGated" 30 row_is gated '^gated *0/1 *SchedulingGated '
[ "$(cond gated PodScheduled reason)" = SchedulingGated ] ||
	fail "PodScheduled of the gated pod: $(jp gated '{.status.conditions}')"
[ -z "$(jp gated '{.spec.nodeName}')" ] || fail "the gated pod was bound"
ps_row_is gated 0/1 SchedulingGated || fail "podscope get: $(cat "$dir/out.psget")"
if k patch pod gated --type=json \
	-p '[{"op":"add","path":"/spec/schedulingGates/-","value":{"name":"example.com/more"}}]' \
	>"$dir/out.addgate" 2>&1; then
	fail "a new gate was accepted"
fi
grep -q "spec.schedulingGates\[1\].name: Forbidden: only deletion is allowed, but found new scheduling gate 'example.com/more'" \
	"$dir/out.addgate" || fail "adding a gate said: $(cat "$dir/out.addgate")"
# No gate twice (validateSchedulingGates).
printf '%s\n' 'apiVersion: v1' 'kind: Pod' 'metadata: {name: twice}' 'spec:' \
	'  schedulingGates: [{name: example.com/a}, {name: example.com/a}]' \
	'  containers: [{name: app, image: nginx}]' >"$dir/twice.yaml"
if k create -f "$dir/twice.yaml" >"$dir/out.twice" 2>&1; then
	fail "a gate named twice was accepted"
fi
grep -q 'spec.schedulingGates\[1\]: Duplicate value: "example.com/a"' "$dir/out.twice" ||
	fail "a gate twice said: $(cat "$dir/out.twice")"
# A gate's name is a qualified name, and a gated pod has no node yet
# (validateSchedulingGates, ValidatePodCreate).
printf '%s\n' 'apiVersion: v1' 'kind: Pod' 'metadata: {name: badgate}' 'spec:' \
	'  nodeName: sim-node-1' '  schedulingGates: [{name: -bad}]' \
	'  containers: [{name: app, image: nginx}]' >"$dir/badgate.yaml"
if k create -f "$dir/badgate.yaml" >"$dir/out.badgate" 2>&1; then
	fail "a gate named -bad on a bound pod was accepted"
fi
grep -q "spec.schedulingGates\[0\].name: Invalid value: \"-bad\": name part must consist of alphanumeric characters" \
	"$dir/out.badgate" || fail "a bad gate name said: $(cat "$dir/out.badgate")"
grep -q 'spec.nodeName: Forbidden: cannot be set until all schedulingGates have been cleared' \
	"$dir/out.badgate" || fail "nodeName with gates said: $(cat "$dir/out.badgate")"
k patch pod gated --type=json -p '[{"op":"remove","path":"/spec/schedulingGates"}]' \
	>"$dir/out.rmgate" 2>&1 || fail "remove the gate"
wait_for "gated Running" 60 row_is gated '^gated *1/1 *Running '
[ "$(cond gated PodScheduled status)" = True ] && [ -n "$(jp gated '{.spec.nodeName}')" ] ||
	fail "gated after its gate went: $(jp gated '{.status.conditions}')"

# A readiness gate: the containers are ready, the pod is not, until an
# external controller sets the condition through the status subresource.
wait_for "lb 0/1 gates" 60 sh -c "\"\$KUBECTL\" --kubeconfig '$dir/kubeconfig' get pod lb -o wide --no-headers | grep -q '^lb *1/1 *Running .* 0/1\$'"
k get pod lb -o wide >"$dir/out.wide" 2>&1 || fail "get -o wide"
grep -q 'NOMINATED NODE *READINESS GATES$' "$dir/out.wide" || fail "wide header"
[ "$(cond lb Ready status)/$(cond lb Ready reason)" = False/ReadinessGatesNotReady ] ||
	fail "Ready of lb: $(jp lb '{.status.conditions}')"
[ "$(cond lb Ready message)" = 'corresponding condition of pod readiness gate "example.com/load-balancer" does not exist.' ] ||
	fail "Ready's message: $(cond lb Ready message)"
k patch pod lb --subresource=status \
	-p '{"status":{"conditions":[{"type":"example.com/load-balancer","status":"True","reason":"Registered"}]}}' \
	>"$dir/out.status" 2>&1 || fail "status patch"
lb_ready() { [ "$(cond lb Ready status)" = True ]; }
wait_for "lb Ready" 30 lb_ready
k get pod lb -o wide --no-headers >"$dir/out.wide" 2>&1
grep -q '^lb *1/1 *Running .* 1/1$' "$dir/out.wide" || fail "lb after the patch"
ps_row_is lb 1/1 Running || fail "podscope get: $(cat "$dir/out.psget")"
[ "$(cond lb ContainersReady status)" = True ] || fail "ContainersReady of lb"
[ "$(jp lb '{.status.conditions[0].type}')" = example.com/load-balancer ] ||
	fail "condition order: $(jp lb '{.status.conditions[*].type}')"
echo "PASS: sim_podfeat.sh"
