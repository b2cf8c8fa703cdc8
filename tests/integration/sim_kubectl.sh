#!/bin/sh
# The real kubectl against podscope-sim: discovery, tables, watch, users,
# over plain HTTP and over TLS with the client certificate.
set -u

. "${TOP_SRCDIR:-.}/tests/integration/lib.sh"
it_init sim_kubectl.sh kubectl

# start_sim FLAGS...: the fixture, without controllers, with a request log.
start_sim() {
	rm -f "$dir/requests.log"
	sim_start --request-log "$dir/requests.log" --no-controllers --scenario "$FIX/shop.yaml" "$@"
}

# Every fixture object, as kubectl prints it.
check_get() {
	mode=$1
	k get pods,deploy,rs,svc,ep,events,ns -A >"$dir/get" 2>"$dir/get.err" ||
		fail "$mode: kubectl get failed: $(cat "$dir/get.err")"
	for want in \
		'shop *pod/web-7d9c8b6f5d-abcde *1/1 *Running *0 ' \
		'shop *pod/web-7d9c8b6f5d-klmno *0/1 *CrashLoopBackOff *4 (' \
		'shop *pod/setup *0/1 *Init:0/1 *0 ' \
		'default *pod/hello *0/1 *Completed *0 ' \
		'shop *deployment.apps/web *2/3 *3 *2 ' \
		'shop *replicaset.apps/web-7d9c8b6f5d *3 *3 *2 ' \
		'shop *service/web *ClusterIP *10.96.0.10 *<none> *80/TCP ' \
		'shop *endpoints/web *10.244.1.5:80,10.244.2.7:80 ' \
		'shop .*Warning *BackOff *pod/web-7d9c8b6f5d-klmno *Back-off restarting' \
		'namespace/shop *Active '; do
		grep -q -- "$want" "$dir/get" || { cat "$dir/get"; fail "$mode: no line like: $want"; }
	done
	k get pod -n shop setup -o jsonpath='{.metadata.uid} {.metadata.resourceVersion}' \
		>"$dir/one" || fail "$mode: get -o jsonpath"
	grep -Eq '^[0-9a-f-]{36} [0-9]+$' "$dir/one" || fail "$mode: uid/resourceVersion: $(cat "$dir/one")"
	k get pods -n shop -l 'tier in (front)' -o name >"$dir/sel" || fail "$mode: selector"
	[ "$(wc -l <"$dir/sel")" -eq 2 ] || fail "$mode: label selector gave $(cat "$dir/sel")"
	k get pods -A --field-selector metadata.name=hello -o name >"$dir/sel" || fail "$mode: fields"
	[ "$(cat "$dir/sel")" = "pod/hello" ] || fail "$mode: field selector gave $(cat "$dir/sel")"
	k get pods -A --chunk-size=2 -o name >"$dir/chunks" || fail "$mode: chunked list"
	[ "$(wc -l <"$dir/chunks")" -eq 5 ] || fail "$mode: chunked list gave $(cat "$dir/chunks")"
	grep -q 'GET /api/v1/pods?continue=[A-Za-z0-9_-]*&limit=2 200' "$dir/requests.log" ||
		fail "$mode: kubectl did not page with continue"

	# get -w: the table first, then the open watch from the list's resourceVersion.
	k get pods -n shop -w >"$dir/watch" 2>&1 &
	wpid=$!
	i=0
	until grep -q 'watch=true' "$dir/requests.log" 2>/dev/null; do
		i=$((i + 1))
		[ $i -lt 200 ] || fail "$mode: kubectl get -w never started its watch"
		sleep 0.1
	done
	kill "$wpid" 2>/dev/null
	wait "$wpid" 2>/dev/null
	grep -q '^NAME *READY *STATUS *RESTARTS *AGE' "$dir/watch" || fail "$mode: get -w: $(cat "$dir/watch")"
	grep -q 'pods?resourceVersion=[0-9]*&watch=true 200' "$dir/requests.log" ||
		fail "$mode: no watch from the list's resourceVersion"
}

# Plain HTTP. kubectl never sends credentials over http, so it is unauthorized...
start_sim
if k get pods >"$dir/noauth" 2>&1; then
	fail "http: kubectl was let in without credentials"
fi
grep -q 'Unauthorized\|must be logged in' "$dir/noauth" || fail "http: $(cat "$dir/noauth")"
# ...unless the simulator lets anonymous requests in as sim-admin.
start_sim --allow-anonymous
check_get http

# TLS: sim-admin by client certificate, sim-readonly by token.
start_sim --tls
check_get https
grep -q ' sim-admin GET /api/v1/pods?limit=500 200$' "$dir/requests.log" ||
	fail "https: requests are not logged as sim-admin"
k --context sim-readonly get pods -n shop >/dev/null 2>&1 || fail "https: readonly cannot list"
k --context sim-readonly delete pod -n shop setup >"$dir/del" 2>&1 && fail "readonly could delete"
grep -q 'Error from server (Forbidden): pods "setup" is forbidden: User "sim-readonly" cannot delete resource "pods" in API group "" in the namespace "shop"' "$dir/del" ||
	fail "https: readonly delete: $(cat "$dir/del")"
[ "$(k auth can-i patch deployments 2>&1)" = yes ] || fail "can-i: admin may patch"
[ "$(k --context sim-readonly auth can-i patch deployments 2>&1)" = no ] ||
	fail "can-i: readonly may not patch"
[ "$(k --context sim-readonly auth can-i list pods 2>&1)" = yes ] || fail "can-i: readonly may list"
echo "PASS: kubectl against podscope-sim over http and https"
exit 0
