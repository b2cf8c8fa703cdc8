#!/bin/sh
# The real kubectl writing to podscope-sim: create (generators and -f), run,
# apply, replace, scale, label, annotate, patch (three flavours), delete
# (graceful, forced, cascading), namespaces, endpoints, errors. Each step is
# checked by what changed in the cluster, not by kubectl's exit code alone.
set -u

. "${TOP_SRCDIR:-.}/tests/integration/lib.sh"
it_init sim_writes.sh kubectl
sim_start --allow-anonymous --speed 20 --request-log "$dir/requests.log"

# Run kubectl; fail with its output unless it succeeds.
ok() {
	k "$@" >"$dir/last" 2>&1 || fail "kubectl $*: $(cat "$dir/last")"
}
# Run kubectl expecting failure with a message matching $1.
ko() {
	want=$1
	shift
	if k "$@" >"$dir/last" 2>&1; then
		fail "kubectl $* succeeded: $(cat "$dir/last")"
	fi
	grep -q -- "$want" "$dir/last" || fail "kubectl $*: wanted '$want', got: $(cat "$dir/last")"
}
# jsonpath of an object equals a value.
is() {
	got=$(k get "$1" ${3:+-n "$3"} -o jsonpath="$2" 2>&1)
	[ "$got" = "$4" ] || fail "$1 $2: got '$got', wanted '$4'"
}
# Wait (20 s at most) until a command's output matches a pattern.
until_match() {
	pat=$1
	shift
	i=0
	until k "$@" 2>&1 | grep -q -- "$pat"; do
		i=$((i + 1))
		[ $i -lt 200 ] || fail "kubectl $* never showed '$pat': $(k "$@" 2>&1)"
		sleep 0.1
	done
}

# Generators: protobuf bodies from kubectl's typed clients, JSON from run.
ok create namespace shop
is namespace/shop '{.status.phase}' '' Active
ok -n shop create deployment web --image=nginx:1.27 --replicas=2 --port=80
is deploy/web '{.spec.strategy.rollingUpdate.maxSurge} {.spec.template.spec.containers[0].ports[0].containerPort}' shop '25% 80'
ok -n shop create service clusterip web --tcp=80:80
is svc/web '{.spec.selector.app} {.spec.ports[0].targetPort}' shop 'web 80'
k -n shop get svc web -o jsonpath='{.spec.clusterIP}' | grep -Eq '^10\.(9[6-9]|10[0-9]|11[01])\.' ||
	fail "no cluster IP allocated"
ok -n shop run one --image=busybox --restart=Never -- sleep 3600
is pod/one '{.spec.restartPolicy} {.spec.terminationGracePeriodSeconds}' shop 'Never 30'
ko 'deployments.apps "web" already exists' -n shop create deployment web --image=x
ko 'namespaces "nope" not found' -n nope create deployment x --image=x
ko 'is invalid' -n shop create deployment Bad_Name --image=x

# Endpoints follow the pods once they are ready (the kubelet makes them so).
until_match '[0-9.]*:80,[0-9.]*:80' -n shop get endpoints web
until_match 'web-' -n shop get endpointslices

# apply: create, then configure with the last-applied annotation.
cat >"$dir/api.yaml" <<'EOF'
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: shop
spec:
  replicas: 1
  selector:
    matchLabels: {app: api}
  template:
    metadata:
      labels: {app: api}
    spec:
      containers:
      - name: api
        image: nginx:1.27
        ports: [{name: http, containerPort: 80}]
---
apiVersion: v1
kind: Service
metadata:
  name: api
  namespace: shop
spec:
  selector: {app: api}
  ports: [{port: 8080, targetPort: http}]
EOF
ok apply -f "$dir/api.yaml"
grep -q 'deployment.apps/api created' "$dir/last" || fail "apply: $(cat "$dir/last")"
k -n shop get deploy api -o yaml | grep -q 'kubectl.kubernetes.io/last-applied-configuration' ||
	fail "apply: no last-applied annotation"
sed 's/replicas: 1/replicas: 3/' "$dir/api.yaml" >"$dir/api3.yaml"
ok apply -f "$dir/api3.yaml"
grep -q 'deployment.apps/api configured' "$dir/last" || fail "apply: $(cat "$dir/last")"
is deploy/api '{.spec.replicas} {.metadata.generation}' shop '3 2'
ok apply -f "$dir/api3.yaml"
grep -q 'deployment.apps/api unchanged' "$dir/last" || fail "apply: $(cat "$dir/last")"
ko 'AlreadyExists' create -f "$dir/api.yaml"
until_match ':80,' -n shop get endpoints api

# scale (the /scale subresource), label, annotate, patch.
ok -n shop scale deploy web --replicas=4
is deploy/web '{.spec.replicas}' shop 4
grep -q 'PATCH /apis/apps/v1/namespaces/shop/deployments/web/scale' "$dir/requests.log" ||
	fail "kubectl scale did not use /scale"
ko 'The Scale "web" is invalid: spec.replicas: Invalid value: -1' -n shop patch deploy web \
	--subresource=scale --type=merge -p '{"spec":{"replicas":-1}}'
ok -n shop label deploy web tier=front
ok -n shop annotate deploy web note=hello
is deploy/web '{.metadata.labels.tier} {.metadata.annotations.note}' shop 'front hello'
ok -n shop patch deploy web -p '{"spec":{"template":{"spec":{"containers":[{"name":"nginx","image":"nginx:1.28"}]}}}}'
is deploy/web '{.spec.template.spec.containers[0].image}' shop 'nginx:1.28'
ok -n shop patch deploy web --type=merge -p '{"spec":{"minReadySeconds":1}}'
ok -n shop patch deploy web --type=json -p '[{"op":"replace","path":"/spec/replicas","value":2}]'
is deploy/web '{.spec.replicas} {.spec.minReadySeconds}' shop '2 1'
ko 'Invalid value: -2' -n shop patch deploy web --type=merge -p '{"spec":{"replicas":-2}}'

# replace with a stale resourceVersion: 409 Conflict.
k -n shop get deploy web -o yaml >"$dir/web.yaml"
ok -n shop label deploy web again=yes
ko 'the object has been modified; please apply your changes to the latest version' replace -f "$dir/web.yaml"

# delete: graceful (Terminating, then gone), forced, cascading.
ok -n shop delete pod one --wait=true
ko 'pods "one" not found' -n shop get pod one
victim=$(k -n shop get pods -l app=web -o name | head -n 1)
[ -n "$victim" ] || fail "no web pod"
ok -n shop delete "$victim" --grace-period=0 --force
ko 'not found' -n shop get "$victim"
ok -n shop delete deploy api
until_match 'No resources found' -n shop get pods -l app=api
ko 'namespaces "default" is forbidden: this namespace may not be deleted' delete namespace default

# A namespace goes Terminating, takes its objects along, then goes; a
# finalizer holds it until it is removed.
cat >"$dir/held.yaml" <<'EOF'
apiVersion: v1
kind: Service
metadata:
  name: held
  namespace: shop
  finalizers: [example.com/hold]
spec:
  ports: [{port: 80}]
EOF
ok create -f "$dir/held.yaml"
ok delete namespace shop --wait=false
is namespace/shop '{.status.phase}' '' Terminating
ko 'unable to create new content in namespace shop because it is being terminated' -n shop create service clusterip x --tcp=1:1
until_match 'No resources found' -n shop get deploy,rs,pods
k -n shop get svc held -o jsonpath='{.metadata.deletionTimestamp}' | grep -q . || fail "held: not deleting"
ok -n shop patch svc held --type=json -p '[{"op":"remove","path":"/metadata/finalizers"}]'
until_match 'not found' get namespace shop
ok get pods -A -o name
grep -q 'shop' "$dir/last" && fail "pods left in shop: $(cat "$dir/last")"

# The simulator stops cleanly (under --enable-sanitizers: no leak, no error).
sim_stop
status=$?
[ $status -eq 0 ] || fail "podscope-sim exited with $status: $(cat "$dir/sim.err")"
if grep -q 'Sanitizer\|runtime error' "$dir/sim.err"; then
	fail "podscope-sim: $(cat "$dir/sim.err")"
fi
echo "PASS: kubectl writes against podscope-sim"
exit 0
