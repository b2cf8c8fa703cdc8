#!/bin/sh
# --wallboard: the trouble in block letters with its cause, read-only (a
# changing key answers "read-only", podscope-sim sees nothing but GET), and
# an outage: podscope-sim stopped shows "STALE since", started again on the
# same port the banner goes by itself.
. "$TOP_SRCDIR/tests/tui/lib.sh"

# Plain http with anonymous access: the kubeconfig stays valid when the
# simulator comes back (with --tls it would make a new CA).
run_sim() {
	"$PODSCOPE_SIM" --port "$1" --allow-anonymous --write-kubeconfig "$work/kc" \
		--scenario "$FIXTURES/wallboard.yaml" --request-log "$work/req.log" \
		>"$work/sim.out" 2>&1 &
	sim_pid=$!
	deadline=$(($(now) + 20))
	while ! grep -q 'listening on' "$work/sim.out"; do
		if ! kill -0 "$sim_pid" 2>/dev/null || [ "$(now)" -ge "$deadline" ]; then
			echo "FAIL: podscope-sim did not start:"
			cat "$work/sim.out"
			exit 1
		fi
		sleep 0.1
	done
}
stop_sim() {
	kill -TERM "$sim_pid"
	wait "$sim_pid" 2>/dev/null || true
	sim_pid=
}

run_sim 0
port=$(sed -n 's/.*listening on http:\/\/127\.0\.0\.1:\([0-9][0-9]*\).*/\1/p' "$work/sim.out")
[ -n "$port" ] || { echo "FAIL: no port in:"; cat "$work/sim.out"; exit 1; }
start_ui 120 40 -- --wallboard
# The trouble comes first: its caption, the cause, the block letters.
wait_for 'TROUBLE 1/[0-9]+ +default/crasher +CRASHLOOPBACKOFF' 40
wait_for '2 new pods CrashLoopBackOff \(exit 1\)' 40
grep -q '█' "$work/screen" || { echo "FAIL: no block letters:"; cat "$work/screen"; exit 1; }
grep -q 'namespace default' "$work/screen" || { echo "FAIL: no namespace:"; cat "$work/screen"; exit 1; }
# Changing keys answer read-only and send nothing.
keys r
wait_for 'read-only: restart would change the cluster'
keys s
wait_for 'read-only: scale would change the cluster'
# j shows the next one: the rollout in progress.
keys j
# roller may first be short of replicas (trouble); the cycle comes back to it.
wait_for 'ROLLOUT [0-9]+/[0-9]+ +default/roller +ROLLING OUT [0-9]+/3' 60
others=$(grep -v ' GET ' "$work/req.log" | grep -c . || true)
if [ "$others" != 0 ]; then
	echo "FAIL: the wallboard sent requests other than GET:"
	grep -v ' GET ' "$work/req.log"
	exit 1
fi
grep -q ' GET ' "$work/req.log" || { echo "FAIL: empty request log"; exit 1; }

# An outage: stale, then back by itself on the same port.
stop_sim
wait_for 'STALE since [0-9][0-9]:[0-9][0-9]:[0-9][0-9]' 30
run_sim "$port"
wait_gone 'STALE since' 60
wait_for 'TROUBLE [0-9]+/[0-9]+ +default/crasher' 40
keys q
wait_for '^EXITED 0$'
pass wallboard
