#!/bin/sh
# podscope get against podscope-sim: deployments with generations and pods,
# pods no Deployment owns grouped by owner, text, wide and JSON, and the
# kubectl columns compared with the real kubectl where it is installed.
set -u
. "${TOP_SRCDIR:-.}/tests/integration/get_lib.sh"

start_sim "$FIX/life-get.yaml" --speed 20

# Settled: the deployment rolled out, the crasher in back-off, the Job's pod done.
settled() {
	ps_ get -n shop >"$dir/out.get" 2>"$dir/err.get" &&
		grep -q 'deployment "web" successfully rolled out' "$dir/out.get" &&
		grep -q 'replicaset web-[a-z0-9]*: revision 1, desired 2, current 2, ready 2, available 2$' \
			"$dir/out.get" &&
		[ "$(grep -c '^    web-.* ready  *every container ready$' "$dir/out.get")" = 2 ] &&
		grep -q '^    waits-for-db .*init-running 1/1' "$dir/out.get" &&
		grep -q '^    crasher .*crash-loop-backoff' "$dir/out.get" &&
		grep -q '^    migrate-x7k2p .*Completed .*completed' "$dir/out.get"
}
until_ok 30 settled || fail "get never showed the settled scenario"

for want in \
	'^deployment shop/web: 2/2 ready, 2 up-to-date, 2 available, age ' \
	'^  RollingUpdate: maxSurge 1 (0 in use), maxUnavailable 0 (0 in use)$' \
	'^  new replicaset web-[a-z0-9]*: revision 1, desired 2, current 2, ready 2, available 2$' \
	'^    NAME  *READY  *STATUS  *RESTARTS  *AGE  *STAGE  *WHY$' \
	'^    web-[a-z0-9]*-[a-z0-9]*  *1/1  *Running  *0  .* ready  *every container ready$' \
	'^standalone pods in shop$' \
	'^    crasher  *0/1  *[A-Za-z]*  *[0-9]' \
	'^    waits-for-db  *0/1  *Init:0/1  *0  .*init-running 1/1  *init container 1/1 wait-db: running$' \
	'^job shop/migrate$'; do
	grep -q -- "$want" "$dir/out.get" || fail "get: no line like: $want"
done
[ "$(grep -c '^    web-' "$dir/out.get")" = 2 ] || fail "get: not 2 web pods"

# wide: IP and NODE.
expect_rc 0 wide ps_ get -n shop -o wide
grep -q '^    NAME  *READY  *STATUS  *RESTARTS  *AGE  *STAGE  *IP  *NODE  *WHY$' "$dir/out.wide" ||
	fail "wide: no IP/NODE header"
grep -q '  images nginx:1.26$' "$dir/out.wide" || fail "wide: no images on the replicaset line"

# deploy/NAME, pod/NAME, -l.
expect_rc 0 one ps_ get -n shop deploy/web
grep -q 'crasher' "$dir/out.one" && fail "deploy/web: printed other pods"
grep -q '^deployment shop/web:' "$dir/out.one" || fail "deploy/web: no deployment"
expect_rc 0 pod ps_ get -n shop pod/waits-for-db
grep -q '^pod shop/waits-for-db: 0/1 Init:0/1' "$dir/out.pod" || fail "pod/NAME: no header"
grep -q '^  init container wait-db: running' "$dir/out.pod" || fail "pod/NAME: no init container"
grep -q '^  timeline:' "$dir/out.pod" || fail "pod/NAME: no timeline"
grep -q ' created$' "$dir/out.pod" || fail "pod/NAME: timeline lacks created"
expect_rc 0 sel ps_ get -n shop -l app=web
grep -q crasher "$dir/out.sel" && fail "-l app=web: printed the crasher"
grep -q '^    web-' "$dir/out.sel" || fail "-l app=web: no web pods"

# JSON: the documented shape.
expect_rc 0 json ps_ get -n shop -o json
for key in '"apiVersion":"podscope/v1"' '"kind":"Snapshot"' '"namespace":"shop"' \
	'"deployments":\[{"namespace":"shop","name":"web"' '"rollout":{"state":"complete"' \
	'"strategy":{"type":"RollingUpdate","maxSurge":1,"maxUnavailable":0' \
	'"role":"new"' '"stage":"ready"' '"groups":\[' '"kind":"Job","name":"migrate"' \
	'"name":"crasher"' '"stage":"crash-loop-backoff"' '"timeline":\[{"step":"created"'; do
	grep -q -- "$key" "$dir/out.json" || fail "json: no $key"
done
if command -v python3 >/dev/null 2>&1; then
	python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$dir/out.json" ||
		fail "json: does not parse"
else
	echo "SKIP (part): python3 is not installed; the JSON was not parsed as a whole"
fi
expect_rc 0 podjson ps_ get -n shop pod/crasher -o json
grep -q '^{"namespace":"shop","name":"crasher"' "$dir/out.podjson" || fail "pod json"
grep -q '"backoffSeconds":[0-9]' "$dir/out.podjson" || fail "pod json: no back-off"

# Errors: usage 2, not found 1.
expect_rc 2 badout ps_ get -o jsonl
expect_rc 2 badarg ps_ get svc/web
expect_rc 2 twoargs ps_ get deploy/a deploy/b
expect_rc 1 missing ps_ get -n shop deploy/nope
grep -q 'not found' "$dir/err.missing" || fail "missing: no 'not found'"
expect_rc 2 nokc "$PODSCOPE" --kubeconfig "$dir/none.yaml" get

# READY/STATUS/RESTARTS as kubectl prints them, for pods that hold still.
if [ -n "${KUBECTL:-}" ]; then
	same() {
		"$KUBECTL" --kubeconfig "$dir/kubeconfig" get pods -n shop --no-headers \
			>"$dir/kubectl" 2>"$dir/err.kubectl" || return 1
		ps_ get -n shop >"$dir/out.cmp" 2>&1 || return 1
		for p in waits-for-db migrate-x7k2p $(awk '/^web-/ {print $1}' "$dir/kubectl"); do
			k=$(awk -v p="$p" '$1 == p {print $2, $3, $4}' "$dir/kubectl")
			m=$(awk -v p="$p" '$1 == p {print $2, $3, $4}' "$dir/out.cmp")
			[ -n "$k" ] && [ "$k" = "$m" ] || return 1
		done
	}
	until_ok 20 same || fail "READY/STATUS/RESTARTS differ from kubectl"
else
	echo "note: kubectl not installed, columns not compared with it"
fi
echo "PASS"
