# Several podscope-sims as contexts of one kubeconfig ($work/kc), for the
# tests of many clusters. Source after lib.sh.
#   fleet_sims SCENARIO NAME...   one sim per NAME (TLS, request log
#                                 $work/req.NAME.log), pid in pid_NAME
#                                 (dashes as underscores); kubectl merges
#                                 their kubeconfigs into $work/kc
#   k ARGS...                     kubectl on that kubeconfig
KUBECTL=${KUBECTL:-/usr/bin/kubectl}
if [ ! -x "$KUBECTL" ]; then
	echo "SKIP: $KUBECTL is missing; the fleet tests merge the sims' kubeconfigs with it"
	exit 77
fi
pids=
fleet_cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null || true; done
	for p in $pids; do wait "$p" 2>/dev/null || true; done
	cleanup
}
trap fleet_cleanup EXIT

fleet_sims() {
	scenario=$1
	shift
	for c in "$@"; do
		"$PODSCOPE_SIM" --port 0 --tls --write-kubeconfig "$work/kc.$c" --kubeconfig-context "$c" \
			--request-log "$work/req.$c.log" --scenario "$scenario" \
			>"$work/sim.$c.out" 2>&1 &
		eval "pid_$(echo "$c" | tr - _)=$!"
		pids="$pids $!"
	done
	deadline=$(($(now) + 20))
	list=
	for c in "$@"; do
		while [ ! -s "$work/kc.$c" ]; do
			[ "$(now)" -lt "$deadline" ] || { echo "FAIL: sim $c did not start"; cat "$work/sim.$c.out"; exit 1; }
			sleep 0.1
		done
		list="${list:+$list:}$work/kc.$c"
	done
	KUBECONFIG="$list" "$KUBECTL" config view --flatten >"$work/kc"
}
k() { "$KUBECTL" --kubeconfig "$work/kc" "$@"; }
