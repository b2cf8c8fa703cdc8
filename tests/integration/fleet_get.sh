#!/bin/sh
# Many clusters in the headless commands: three podscope-sim processes as
# three contexts of one kubeconfig (prod-eu, prod-us, staging), each with a
# Deployment web on its own image; staging's API server clock 5 minutes
# ahead of ours. get prints all three with a CONTEXT column (ages on each
# context's own clock), -o json a FleetSnapshot; wait succeeds across the
# three and fails naming the one whose rollout fails; watch -o jsonl names
# the context of each line; a dead server or a broken kubeconfig entry is
# named on stderr while the others print (exit 1); the exec credential
# plugins of several contexts run concurrently; logs refuses several.
set -u

. "${TOP_SRCDIR:-.}/tests/integration/get_lib.sh"
if [ -z "${KUBECTL:-}" ]; then
	echo "SKIP: kubectl is not installed (\$KUBECTL is empty): fleet_get.sh not run"
	exit 77
fi
sims=

fleet_cleanup() {
	for p in $sims; do
		kill "$p" 2>/dev/null && wait "$p" 2>/dev/null
	done
	it_cleanup
}
trap fleet_cleanup EXIT

# start CTX FLAGS...: a simulator over TLS, its kubeconfig in $dir/CTX.kc.
start() {
	ctx=$1
	shift
	"$SIM" --tls --port 0 --write-kubeconfig "$dir/$ctx.kc" "$@" >"$dir/$ctx.out" 2>"$dir/$ctx.err" &
	eval "pid_$(echo "$ctx" | tr - _)=$!"
	sims="$sims $!"
	i=0
	until grep -q '^podscope-sim: listening on ' "$dir/$ctx.out" 2>/dev/null; do
		i=$((i + 1))
		[ $i -lt 200 ] || fail "podscope-sim for $ctx did not start: $(cat "$dir/$ctx.err")"
		sleep 0.1
	done
}

# fleet_kubeconfig CTX...: one context per simulator, as its sim-admin, and
# a context "broken" whose cluster is missing.
fleet_kubeconfig() {
	{
		echo "apiVersion: v1"
		echo "kind: Config"
		echo "clusters:"
		for c in "$@"; do
			echo "- name: $c"
			echo "  cluster:"
			grep -E '^ *(server|certificate-authority-data):' "$dir/$c.kc"
		done
		echo "users:"
		for c in "$@"; do
			echo "- name: $c"
			echo "  user:"
			grep -E '^ *client-(certificate|key)-data:' "$dir/$c.kc"
			# exec-CTX: sim-readonly's token from a plugin that takes 3 s.
			awk '/- name: sim-readonly/ { f = 1 } f && /token:/ { print $2; exit }' \
				"$dir/$c.kc" >"$dir/$c.tok"
			echo "- name: exec-$c"
			echo "  user:"
			echo "    exec:"
			echo "      apiVersion: client.authentication.k8s.io/v1"
			echo "      command: $SRC/tests/fixtures/exec/token.sh"
			echo "      interactiveMode: Never"
			echo "      env:"
			echo "      - {name: TOKEN_FILE, value: $dir/$c.tok}"
			echo "      - {name: SLEEP, value: \"3\"}"
		done
		echo "contexts:"
		for c in "$@" broken; do
			echo "- name: $c"
			echo "  context:"
			echo "    cluster: $c"
			[ "$c" = broken ] && echo "    user: $1" || echo "    user: $c"
			echo "    namespace: default"
		done
		for c in "$@"; do
			echo "- name: exec-$c"
			echo "  context:"
			echo "    cluster: $c"
			echo "    user: exec-$c"
			echo "    namespace: default"
		done
		echo "current-context: $1"
	} >"$dir/fleet.kc"
}

kf() {
	"$KUBECTL" --kubeconfig "$dir/fleet.kc" "$@"
}

pf() {
	"$PODSCOPE" --kubeconfig "$dir/fleet.kc" "$@"
}

start prod-eu
start prod-us
start staging --clock-skew 5m
fleet_kubeconfig prod-eu prod-us staging
kf --context prod-eu create deploy web --image=nginx:1.25 >"$dir/out.create" 2>&1 || fail "create prod-eu"
kf --context prod-us create deploy web --image=nginx:1.26 >"$dir/out.create" 2>&1 || fail "create prod-us"
kf --context staging create deploy web --image=nginx:1.27 >"$dir/out.create" 2>&1 || fail "create staging"

# wait: done in all three.
expect_rc 0 wait pf wait deploy/web --context prod-eu,prod-us,staging --timeout 60s
for c in prod-eu prod-us staging; do
	grep -q "^$c: deployment \"web\" successfully rolled out$" "$dir/out.wait" ||
		fail "wait: $c not rolled out"
done

# get: one block per context in the order given, every line after CONTEXT.
expect_rc 0 get pf get -o wide --context staging,prod-eu,prod-us
[ "$(awk '{print $1}' "$dir/out.get" | grep -v '^CONTEXT$' | uniq | tr '\n' ' ')" = "staging prod-eu prod-us " ] ||
	fail "get: blocks not in the order given"
for c in prod-eu:1.25 prod-us:1.26 staging:1.27; do
	grep -Eq "^${c%%:*} +new replicaset web-.*images nginx:${c#*:}$" "$dir/out.get" ||
		fail "get: ${c%%:*} does not show image nginx:${c#*:}"
done
grep -Eq '^CONTEXT +NAME +READY' "$dir/out.get" || fail "get: no CONTEXT header"

# Each context's ages on its own server's clock: staging's 5 minutes
# ahead would give "<invalid>" on another's, the others 5m on staging's.
grep -Eq '^staging: .*server clock \+5m' "$dir/err.get" 2>/dev/null ||
	grep -q 'podscope get: staging: server clock +5m' "$dir/err.get" ||
	fail "get: staging's skew not said"
grep -q 'prod-eu: server clock' "$dir/err.get" && fail "get: prod-eu said to be skewed"
# staging printed last too: the clock followed for it must not stay for
# the others, nor theirs be used for it.
expect_rc 0 get2 pf get --context prod-eu,staging,prod-us
expect_rc 0 get3 pf get --context prod-us,prod-eu,staging
for out in get get2 get3; do
	for c in prod-eu prod-us staging; do
		age=$(grep -E "^$c +web-" "$dir/out.$out" | awk '{print $6}')
		case $age in
		[0-9]s | [0-9][0-9]s) ;;
		*) fail "$out: $c's pod age \"$age\", not seconds on its own clock" ;;
		esac
	done
done

# -o json: a FleetSnapshot, a Snapshot per context with its name.
expect_rc 0 json pf get -o json --contexts 'prod-.*'
grep -q '^{"apiVersion":"podscope/v1","kind":"FleetSnapshot","snapshots":\[{"context":"prod-eu","apiVersion":"podscope/v1","kind":"Snapshot"' "$dir/out.json" ||
	fail "json: no FleetSnapshot with prod-eu first"
grep -q '{"context":"prod-us","apiVersion":"podscope/v1","kind":"Snapshot"' "$dir/out.json" ||
	fail "json: no prod-us snapshot"
grep -q '"staging"' "$dir/out.json" && fail "json: staging is not asked for"
if command -v python3 >/dev/null 2>&1; then
	python3 -c 'import json,sys; d = json.load(open(sys.argv[1])); assert [s["context"] for s in d["snapshots"]] == ["prod-eu", "prod-us"] and d["failed"] == []' "$dir/out.json" ||
		fail "json: not the FleetSnapshot doc/json.md says"
fi

# The exec credential plugins of three contexts run at once: 3 s each,
# not 9 s one after the other.
t0=$(date +%s)
expect_rc 0 exec pf get --contexts 'exec-.*'
t1=$(date +%s)
[ "$(grep -c '^exec-[a-z-]* *deployment default/web' "$dir/out.exec")" = 3 ] ||
	fail "exec: not three contexts printed"
[ $((t1 - t0)) -lt 7 ] || fail "exec: the plugins took $((t1 - t0)) s: one after the other"

# watch -o jsonl: each line names its context.
"$PODSCOPE" --kubeconfig "$dir/fleet.kc" watch -o jsonl --context prod-eu,prod-us >"$dir/out.watch" 2>"$dir/err.watch" &
bgpid=$!
watching() {
	[ "$(grep -c 'watching' "$dir/err.watch")" = 2 ]
}
wait_for "watch: both contexts listed" 30 watching
kf --context prod-us scale deploy/web --replicas=2 >/dev/null 2>&1 || fail "scale prod-us"
scaled() {
	grep -q '"context":"prod-us","kind":"Deployment","namespace":"default","name":"web"' "$dir/out.watch"
}
wait_for "watch: a prod-us line with its context" 30 scaled
grep -q '"context":"prod-eu"' "$dir/out.watch" && fail "watch: a prod-eu line though nothing changed there"
grep -v '"context":"prod-us"' "$dir/out.watch" | grep -q . && fail "watch: a line without its context"
kill "$bgpid"
wait "$bgpid" 2>/dev/null
bgpid=

# wait fails naming the cluster whose rollout fails.
kf --context prod-us set image deploy/web nginx=nginx:missing >/dev/null 2>&1 || fail "set image"
expect_rc 1 fails pf wait deploy/web --context prod-eu,prod-us,staging --settle 2s --timeout 60s
grep -q '^prod-us: error: deployment "web" rollout failed: .*ImagePullBackOff' "$dir/out.fails" ||
	fail "fails: no prod-us failure line"
grep -q '^podscope wait: prod-us: deployment "web" failed there first$' "$dir/err.fails" ||
	fail "fails: prod-us not named"
# A broken kubeconfig entry is named; the others print.
expect_rc 1 broken pf get --context prod-eu,broken
grep -Eq '^prod-eu +deployment default/web' "$dir/out.broken" || fail "broken: prod-eu not printed"
grep -q '^podscope get: broken: ' "$dir/err.broken" || fail "broken: not named"

# A dead server: the others print, it is named with why, exit 1.
kill "$pid_prod_us"
wait "$pid_prod_us" 2>/dev/null
expect_rc 1 dead pf get --context prod-eu,prod-us,staging
grep -Eq '^prod-eu +deployment default/web' "$dir/out.dead" || fail "dead: prod-eu not printed"
grep -q '^staging ' "$dir/out.dead" || fail "dead: staging not printed"
grep -q '^prod-us' "$dir/out.dead" && fail "dead: prod-us printed"
grep -q '^podscope get: prod-us: cannot connect to .*connection refused' "$dir/err.dead" ||
	fail "dead: prod-us not named with why"
expect_rc 1 deadjson pf get -o json --context prod-eu,prod-us
grep -q '"failed":\[{"context":"prod-us","error":"cannot connect to ' "$dir/out.deadjson" ||
	fail "deadjson: prod-us not in failed"

# A cluster without the object: NotFound, named.
kf --context staging delete deploy web >/dev/null 2>&1 || fail "delete staging's web"
expect_rc 1 gone pf wait deploy/web --context prod-eu,staging --timeout 30s
grep -q '^staging: error: deployments.apps "web" not found in namespace default$' "$dir/err.gone" ||
	fail "gone: staging's NotFound not named"

# Commands that work on one context refuse several.
expect_rc 2 logs pf logs deploy/web --all-contexts
grep -q 'podscope logs: works on one context' "$dir/err.logs" || fail "logs: no refusal"
echo "PASS"
