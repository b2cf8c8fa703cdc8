#!/bin/sh
# Container logs on podscope-sim, read by the real kubectl: one container and
# several (-c, the server's own errors), -f until the container exits, -p
# after a crash-loop restart and its error before any, --tail, --since,
# --since-time, --timestamps, --limit-bytes, logs deploy/NAME with nginx's
# access log, a container still creating, a pod not scheduled, and the
# options the API server refuses; every output checked against what the
# simulated process printed.
set -u

. "${TOP_SRCDIR:-.}/tests/integration/lib.sh"
it_init sim_logs.sh kubectl

# logs_are POD WANT [ARGS...]: kubectl logs POD ARGS prints exactly WANT.
logs_are() {
	pod=$1 want=$2
	shift 2
	k logs "$pod" "$@" >"$dir/out.logs" 2>"$dir/err.logs" || return 1
	[ "$(cat "$dir/out.logs")" = "$want" ]
}

# logs_fail POD MESSAGE [ARGS...]: kubectl logs POD ARGS fails with MESSAGE.
logs_fail() {
	pod=$1 want=$2
	shift 2
	if k logs "$pod" "$@" >"$dir/out.logs" 2>"$dir/err.logs"; then
		fail "logs $pod $*: succeeded: $(cat "$dir/out.logs")"
	fi
	grep -qF -- "$want" "$dir/err.logs" || fail "logs $pod $*: not '$want'"
}

has_line() {
	k logs "$1" 2>/dev/null | grep -qF -- "$2"
}

phase_is() {
	[ "$(k get pod "$1" -o jsonpath='{.status.phase}')" = "$2" ]
}

restarted() {
	[ "$(k get pod "$1" -o jsonpath='{.status.containerStatuses[0].restartCount}')" -ge 1 ]
}

sim_start --tls --speed 20

k create -f - >"$dir/out.create" 2>&1 <<'EOF' || fail "create pods"
apiVersion: v1
kind: Pod
metadata:
  name: one
spec:
  containers:
  - name: one
    image: busybox
    command: ["sh", "-c", "echo hello; echo \"two  words\" >&2; echo hidden >/tmp/f; printf 'n=%s\\n' 1 2; sleep 3600"]
---
apiVersion: v1
kind: Pod
metadata:
  name: two
spec:
  containers:
  - name: a
    image: busybox
    command: ["sh", "-c", "echo from-a; sleep 3600"]
  - name: b
    image: busybox
    command: ["sh", "-c", "echo from-b; sleep 3600"]
---
apiVersion: v1
kind: Pod
metadata:
  name: crash
spec:
  containers:
  - name: app
    image: busybox
    command: ["sh", "-c", "echo starting; until nslookup crash-now >/dev/null 2>&1; do sleep 1; done; echo 'fatal: no db' >&2; exit 3"]
EOF
want_one=$(printf 'hello\ntwo  words\nn=1\nn=2')
wait_for "one's log" 30 logs_are one "$want_one"
wait_for "crash's first line" 30 has_line crash starting

# -p before any restart: the kubelet's error.
logs_fail crash 'previous terminated container "app" in pod "crash" not found' -p

# --tail, --limit-bytes (exactly that many bytes, the line cut), --timestamps.
logs_are one "$(printf 'n=1\nn=2')" --tail=2 || fail "--tail=2: $(cat "$dir/out.logs")"
logs_are one "" --tail=0 || fail "--tail=0: $(cat "$dir/out.logs")"
k logs one --limit-bytes=9 >"$dir/out.limit" 2>&1 || fail "--limit-bytes"
[ "$(od -An -c "$dir/out.limit" | tr -d ' \n')" = 'hello\ntwo' ] ||
	fail "--limit-bytes=9: $(od -c "$dir/out.limit")"
k logs one --timestamps >"$dir/out.ts" 2>&1 || fail "--timestamps"
[ "$(sed 's/^[0-9]\{4\}-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]\.[0-9]\{9\}Z //' \
	"$dir/out.ts")" = "$want_one" ] || fail "--timestamps: $(cat "$dir/out.ts")"
ts0=$(head -n 1 "$dir/out.ts" | cut -d' ' -f1)

# --since-time: from the second of the first line on, all; a second later,
# none (they were all printed at once). --since: an hour back, all; once
# more than 5 s have passed on the simulated clock, none.
sec0=$(echo "$ts0" | sed 's/\..*$//')
logs_are one "$want_one" --since-time="${sec0}Z" || fail "--since-time $sec0: $(cat "$dir/out.logs")"
sec1=$(date -u -d "${sec0}Z + 1 second" +%Y-%m-%dT%H:%M:%SZ) || fail "date"
logs_are one "" --since-time="$sec1" || fail "--since-time $sec1: $(cat "$dir/out.logs")"
logs_are one "$want_one" --since=1h || fail "--since=1h: $(cat "$dir/out.logs")"
wait_for "--since=5s empty" 30 logs_are one "" --since=5s

# Several containers: -c, kubectl's default container, the server's errors.
logs_are two from-b -c b || fail "-c b: $(cat "$dir/out.logs")"
logs_are two from-a || fail "default container: $(cat "$dir/out.logs") $(cat "$dir/err.logs")"
k get --raw /api/v1/namespaces/default/pods/two/log >"$dir/out.raw" 2>&1 &&
	fail "no container: answered"
grep -qF 'a container name must be specified for pod two, choose one of: [a b]' "$dir/out.raw" ||
	fail "no container"
k get --raw '/api/v1/namespaces/default/pods/two/log?container=c' >"$dir/out.raw" 2>&1 &&
	fail "container c: answered"
grep -qF 'container c is not valid for pod two' "$dir/out.raw" || fail "container c"
k get --raw '/api/v1/namespaces/default/pods/one/log?tailLines=-1' >"$dir/out.raw" 2>&1 &&
	fail "tailLines=-1: answered"
grep -qF 'PodLogOptions "one" is invalid: tailLines: Invalid value: -1: must be greater than or equal to 0' \
	"$dir/out.raw" || fail "tailLines=-1"
k get --raw "/api/v1/namespaces/default/pods/one/log?sinceSeconds=5&sinceTime=$sec1" \
	>"$dir/out.raw" 2>&1 && fail "sinceSeconds and sinceTime: answered"
grep -qF 'at most one of `sinceTime` or `sinceSeconds` may be specified' "$dir/out.raw" ||
	fail "sinceSeconds and sinceTime"

# -p after a crash-loop restart: the previous container's lines. crash
# crashes once the Service crash-now exists.
k create service clusterip crash-now --tcp=80 >"$dir/out.svc" 2>&1 || fail "create service"
wait_for "crash restarted" 60 restarted crash
logs_are crash "$(printf 'starting\nfatal: no db')" -p || fail "-p: $(cat "$dir/out.logs")"
[ "$(k logs crash | head -n 1)" = starting ] || fail "current container of crash"

# -f: the lines as they come, to the container's end (lg ends once the
# Service lg-stop exists).
k run lg --image=busybox --restart=Never -- sh -c \
	"until nslookup lg-stop >/dev/null 2>&1; do echo tick; sleep 1; done; echo bye" \
	>"$dir/out.run" 2>&1 || fail "run lg"
wait_for "lg's first line" 30 has_line lg tick
timeout 60 "$KUBECTL" --kubeconfig "$dir/kubeconfig" logs -f lg >"$dir/out.follow" 2>&1 &
bgpid=$!
ticks_then=$(k logs lg | wc -l)
wait_for "follow streaming" 30 test -s "$dir/out.follow"
phase_is lg Running || fail "lg ended before the follow"
k create service clusterip lg-stop --tcp=80 >"$dir/out.svc" 2>&1 || fail "create lg-stop"
wait "$bgpid"
rc=$?
bgpid=
[ "$rc" -eq 0 ] || fail "logs -f: exit $rc"
[ "$(tail -n 1 "$dir/out.follow")" = bye ] || fail "follow: last line $(tail -n 1 "$dir/out.follow")"
[ "$(grep -vc '^tick$' "$dir/out.follow")" -eq 1 ] || fail "follow: other lines"
[ "$(wc -l <"$dir/out.follow")" -gt "$((ticks_then + 1))" ] ||
	fail "follow: no line after it started ($ticks_then before)"
wait_for "lg Succeeded" 30 phase_is lg Succeeded

# podscope/loggen: its lines, numbered, then its exit.
k run lg2 --image=podscope/loggen --restart=Never -- loggen --rate 1000 --count 3000 \
	>"$dir/out.run" 2>&1 || fail "run lg2"
wait_for "lg2 Succeeded" 60 phase_is lg2 Succeeded
k logs lg2 >"$dir/out.lg2" 2>&1 || fail "logs lg2"
[ "$(wc -l <"$dir/out.lg2")" -eq 3000 ] || fail "lg2: $(wc -l <"$dir/out.lg2") lines"
[ "$(sed -n '1p;3000p' "$dir/out.lg2")" = "$(printf 'loggen line 1\nloggen line 3000')" ] ||
	fail "lg2: $(sed -n '1p;3000p' "$dir/out.lg2")"

# logs deploy/NAME: nginx's start lines and the probe in its access log.
k create -f - >"$dir/out.create" 2>&1 <<'EOF' || fail "create web"
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 1
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
        readinessProbe:
          httpGet: {path: /, port: 80}
          periodSeconds: 5
EOF
web_logged() {
	k logs deploy/web >"$dir/out.web" 2>&1 &&
		grep -q '^10\.244\.[0-9]*\.1 - - \[[0-9]*/[A-Z][a-z][a-z]/20[0-9][0-9]:[0-9:]* +0000\] "GET / HTTP/1.1" 200 615 "-" "kube-probe/1.32" "-"$' \
			"$dir/out.web"
}
wait_for "web's access log" 60 web_logged
[ "$(head -n 1 "$dir/out.web")" = "/docker-entrypoint.sh: Configuration complete; ready for start up" ] ||
	fail "nginx start line"

# A container still creating, a pod nobody schedules.
k create -f - >"$dir/out.create" 2>&1 <<'EOF' || fail "create slow, nowhere"
apiVersion: v1
kind: Pod
metadata:
  name: slow
  annotations:
    sim.podscope.dev/pull-duration: 1h
spec:
  containers:
  - name: app
    image: busybox
    command: ["sleep", "3600"]
---
apiVersion: v1
kind: Pod
metadata:
  name: nowhere
spec:
  nodeSelector: {disk: none}
  containers:
  - name: app
    image: busybox
    command: ["sleep", "3600"]
EOF
slow_creating() {
	[ "$(k get pod slow -o jsonpath='{.status.containerStatuses[0].state.waiting.reason}')" = \
		ContainerCreating ]
}
wait_for "slow ContainerCreating" 30 slow_creating
logs_fail slow 'container "app" in pod "slow" is waiting to start: ContainerCreating'
logs_are nowhere "" || fail "a pod not scheduled: $(cat "$dir/out.logs") $(cat "$dir/err.logs")"

# Discovery and access review know the subresource.
k get --raw /api/v1 >"$dir/out.disc" 2>&1 || fail "discovery"
grep -qF '{"name":"pods/log","singularName":"","namespaced":true,"kind":"Pod","verbs":["get"]}' \
	"$dir/out.disc" || fail "no pods/log in discovery"
[ "$(k auth can-i get pods --subresource=log 2>&1)" = yes ] || fail "can-i get pods/log"

sim_stop || fail "podscope-sim exit status $st: $(cat "$dir/sim.err")"
exit 0
