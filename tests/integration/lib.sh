# Sourced by the integration scripts: a temporary directory that goes away,
# fail, podscope-sim started and stopped, kubectl and podscope on its
# kubeconfig.
#   it_init NAME [kubectl]  set up; with "kubectl", SKIP (77) when it is missing
#   sim_start FLAGS...      a fresh simulator (20 s to say it listens); its
#                           output in $dir/sim.out and $dir/sim.err
#   sim_stop                stop it; returns its exit status
#   k ARGS...               kubectl on the simulator's kubeconfig
#   ps_ ARGS...             podscope on the simulator's kubeconfig
#   wait_for WHAT SECS CMD...  until CMD succeeds, or fail after SECS seconds
PODSCOPE=${PODSCOPE:-./podscope}
SIM=${PODSCOPE_SIM:-./podscope-sim}
SRC=${TOP_SRCDIR:-.}
FIX="$SRC/tests/fixtures/sim"
pid=
bgpid=

it_init() {
	it_name=$1
	if [ "${2:-}" = kubectl ] && [ -z "${KUBECTL:-}" ]; then
		echo "SKIP: kubectl is not installed (\$KUBECTL is empty): $it_name not run"
		exit 77
	fi
	dir=$(mktemp -d "${TMPDIR:-/tmp}/podscope-it.XXXXXX") || exit 1
	trap it_cleanup EXIT
}

it_cleanup() {
	[ -n "$bgpid" ] && kill "$bgpid" 2>/dev/null && wait "$bgpid" 2>/dev/null
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	rm -rf "$dir"
}

# fail MESSAGE: say it, with what the commands run by expect_rc printed.
fail() {
	echo "FAIL: $it_name: $*"
	for f in "$dir"/out.* "$dir"/err.*; do
		[ -s "$f" ] && { echo "--- $f"; cat "$f"; }
	done
	exit 1
}

sim_start() {
	sim_stop
	rm -f "$dir/kubeconfig" "$dir/sim.out"
	"$SIM" --port 0 --write-kubeconfig "$dir/kubeconfig" "$@" >"$dir/sim.out" 2>"$dir/sim.err" &
	pid=$!
	i=0
	until grep -q '^podscope-sim: listening on ' "$dir/sim.out" 2>/dev/null; do
		kill -0 "$pid" 2>/dev/null || fail "podscope-sim exited: $(cat "$dir/sim.err")"
		i=$((i + 1))
		[ $i -lt 200 ] || fail "podscope-sim did not start"
		sleep 0.1
	done
}

sim_stop() {
	[ -n "$pid" ] || return 0
	kill "$pid" 2>/dev/null
	wait "$pid"
	st=$?
	pid=
	return $st
}

k() {
	"$KUBECTL" --kubeconfig "$dir/kubeconfig" "$@"
}

ps_() {
	"$PODSCOPE" --kubeconfig "$dir/kubeconfig" "$@"
}

wait_for() {
	what=$1 secs=$2
	shift 2
	i=0
	until "$@" >/dev/null 2>&1; do
		i=$((i + 1))
		[ $i -lt $((secs * 10)) ] || fail "$what: not after ${secs}s"
		sleep 0.1
	done
}
