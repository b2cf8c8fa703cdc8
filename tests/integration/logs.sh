#!/bin/sh
# podscope logs against podscope-sim, compared with the real kubectl logs:
# one pod (all, -c, --tail, --since, --timestamps, -p after a crash-loop
# restart), then deploy/NAME with its pods' lines merged in time order,
# each tagged with the pod's short name, --generation, -f attaching a pod
# and following it past a restart, and the errors.
set -u

. "${TOP_SRCDIR:-.}/tests/integration/lib.sh"
it_init logs.sh kubectl

# same POD [ARGS...]: podscope logs pod/POD ARGS prints what kubectl logs does.
same() {
	pod=$1
	shift
	k logs "$pod" "$@" >"$dir/out.k" 2>"$dir/err.k" || return 1
	ps_ logs "pod/$pod" "$@" >"$dir/out.p" 2>"$dir/err.p" || return 1
	[ -s "$dir/out.k" ] || [ "${EMPTY_OK:-}" ] || return 1
	cmp -s "$dir/out.k" "$dir/out.p"
}

has_line() {
	k logs "$1" 2>/dev/null | grep -qF -- "$2"
}

restarted() {
	[ "$(k get pod "$1" -o jsonpath='{.status.containerStatuses[0].restartCount}')" -ge "$2" ]
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
    command: ["sh", "-c", "echo hello; echo \"two  words\" >&2; printf 'n=%s\\n' 1 2 3; sleep 3600"]
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
wait_for "one's log" 30 has_line one "n=3"
wait_for "two's log" 30 has_line two from-a
wait_for "crash's first line" 30 has_line crash starting

same one || fail "logs pod/one"
same one --tail 2 || fail "--tail 2"
same one --since 1h || fail "--since 1h"
same one --timestamps || fail "--timestamps"
EMPTY_OK=1 same one --tail 0 || fail "--tail 0"
same two -c b || fail "-c b"
same two || fail "two, the default container"
grep -qF 'Defaulted container "a" out of: a, b' "$dir/err.p" || fail "no Defaulted line"
# A bare NAME is a pod, as for kubectl.
ps_ logs one >"$dir/out.bare" 2>&1 || fail "logs one"
k logs one >"$dir/out.k" 2>&1 || fail "kubectl logs one"
cmp -s "$dir/out.k" "$dir/out.bare" || fail "logs NAME"

# Errors: a pod that is not there, -p before any restart, a bad flag.
ps_ logs pod/nope >"$dir/out.nope" 2>&1 && fail "pod/nope succeeded"
grep -qF 'pods "nope" not found' "$dir/out.nope" || fail "pod/nope message"
ps_ logs pod/crash -p >"$dir/out.prev0" 2>&1 && fail "-p before a restart succeeded"
grep -qF 'previous terminated container "app" in pod "crash" not found' "$dir/out.prev0" ||
	fail "-p before a restart: message"
ps_ logs pod/one --since 5x >"$dir/out.bad" 2>&1
[ $? -eq 2 ] || fail "--since 5x: not a usage error"

k create service clusterip crash-now --tcp=80 >"$dir/out.svc" 2>&1 || fail "create service"
wait_for "crash restarted" 60 restarted crash 1
same crash -p || fail "-p after a restart"
[ "$(cat "$dir/out.p")" = "$(printf 'starting\nfatal: no db')" ] || fail "-p lines"

# A Deployment of two pods that print lines in turn.
k create -f - >"$dir/out.create" 2>&1 <<'EOF' || fail "create tick"
apiVersion: apps/v1
kind: Deployment
metadata:
  name: tick
spec:
  replicas: 2
  selector:
    matchLabels: {app: tick}
  template:
    metadata:
      labels: {app: tick}
    spec:
      containers:
      - name: t
        image: busybox
        command: ["sh", "-c", "echo line 0; sleep 1; echo line 1; sleep 1; echo line 2; sleep 1; echo line 3; sleep 1; echo line 4; sleep 1; echo line 5; sleep 3600"]
EOF
deploy_logged() {
	ps_ logs deploy/tick >"$dir/out.dep" 2>"$dir/err.dep" &&
		[ "$(grep -c ' line 5$' "$dir/out.dep")" -eq 2 ]
}
wait_for "deploy/tick's lines" 60 deploy_logged
[ "$(wc -l <"$dir/out.dep")" -eq 12 ] || fail "deploy/tick: not 12 lines"
# Each line is tagged with its pod's short name, the pod's own lines in order.
pods=$(k get pods -l app=tick -o jsonpath='{.items[*].metadata.name}')
for p in $pods; do
	short=${p#tick-}
	[ "$(grep -c "^$short line " "$dir/out.dep")" -eq 6 ] || fail "deploy/tick: $short's lines"
	grep "^$short " "$dir/out.dep" | sed "s/^$short //" >"$dir/out.mine"
	k logs "$p" >"$dir/out.kp" || fail "kubectl logs $p"
	cmp -s "$dir/out.mine" "$dir/out.kp" || fail "deploy/tick: $p's lines differ from kubectl's"
done
# Merged in time order: the timestamps podscope prints never go back.
ps_ logs deploy/tick --timestamps >"$dir/out.dts" 2>&1 || fail "deploy --timestamps"
cut -d' ' -f2 "$dir/out.dts" >"$dir/out.times"
sort -c "$dir/out.times" || fail "deploy/tick: not in time order"
# Both pods within the first seconds: the merge interleaves them.
[ "$(head -n 2 "$dir/out.dep" | sed 's/ .*//' | sort -u | wc -l)" -eq 2 ] ||
	fail "deploy/tick: first two lines not from the two pods"
ps_ logs deploy/tick --generation new >"$dir/out.gnew" 2>&1 || fail "--generation new"
[ "$(wc -l <"$dir/out.gnew")" -eq 12 ] || fail "--generation new: not 12 lines"
ps_ logs deploy/tick --generation old >"$dir/out.gold" 2>&1 || fail "--generation old"
[ ! -s "$dir/out.gold" ] || fail "--generation old: lines of the new pods"
ps_ logs deploy/nope >"$dir/out.dnope" 2>&1 && fail "deploy/nope succeeded"
grep -qF 'deployments.apps "nope" not found' "$dir/out.dnope" || fail "deploy/nope message"

# -f on a Deployment: a pod made later is attached, and a restart followed.
k create -f - >"$dir/out.create" 2>&1 <<'EOF' || fail "create loop"
apiVersion: apps/v1
kind: Deployment
metadata:
  name: loop
spec:
  replicas: 1
  selector:
    matchLabels: {app: loop}
  template:
    metadata:
      labels: {app: loop}
    spec:
      containers:
      - name: l
        image: busybox
        command: ["sh", "-c", "echo run; until nslookup loop-stop >/dev/null 2>&1; do sleep 1; done; echo bye; exit 1"]
EOF
wait_for "loop's pod runs" 60 sh -c "\"$KUBECTL\" --kubeconfig \"$dir/kubeconfig\" logs deploy/loop 2>/dev/null | grep -q run"
NO_COLOR= "$PODSCOPE" --kubeconfig "$dir/kubeconfig" logs deploy/loop -f --timestamps >"$dir/out.follow" 2>"$dir/err.follow" &
bgpid=$!
wait_for "follow: first line" 30 grep -q ' run$' "$dir/out.follow"
k scale deploy/loop --replicas=2 >"$dir/out.scale" 2>&1 || fail "scale loop"
two_tags() {
	[ "$(sed 's/ .*//' "$dir/out.follow" | sort -u | wc -l)" -eq 2 ]
}
wait_for "follow: the new pod attached" 60 two_tags
k create service clusterip loop-stop --tcp=80 >"$dir/out.svc" 2>&1 || fail "create loop-stop"
restarts_seen() {
	[ "$(grep -c ' run$' "$dir/out.follow")" -ge 6 ]
}
wait_for "follow: the restarts" 90 restarts_seen
grep -q ' bye$' "$dir/out.follow" || fail "follow: no bye"
# No line twice: a reconnect asks from the last line's second, and what was
# printed is skipped. Each run prints "run" then "bye", so a pod's lines
# alternate; the same pod, time and text may come twice only from two runs
# (the simulator restarts a container in the millisecond it exited, and a
# run that finds loop-stop says both lines at once).
awk '{ if (last[$1] == $3) { print "repeated: " $0; bad = 1 } last[$1] = $3 } END { exit bad }' \
	"$dir/out.follow" >"$dir/out.repeated" || fail "follow: a line repeated: $(cat "$dir/out.repeated")"
grep -q "$(printf '\033')" "$dir/out.follow" && fail "follow: colour on a pipe"
# Interrupted, it ends as watch does: exit 0.
kill "$bgpid"
wait "$bgpid"
rc=$?
bgpid=
[ "$rc" -eq 0 ] || fail "follow: exit $rc on SIGTERM"

sim_stop || fail "podscope-sim exit status $st: $(cat "$dir/sim.err")"
exit 0
