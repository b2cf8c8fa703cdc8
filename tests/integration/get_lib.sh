# Shared by get.sh, wait.sh and watch.sh (sourced): start podscope-sim on a
# scenario, run podscope against it, wait for conditions with deadlines.
PODSCOPE=${PODSCOPE:-./podscope}
SIM=${PODSCOPE_SIM:-./podscope-sim}
SRC=${TOP_SRCDIR:-.}
FIX="$SRC/tests/fixtures/sim"
dir=$(mktemp -d "${TMPDIR:-/tmp}/podscope-life.XXXXXX") || exit 1
pid=
bgpid=
cleanup() {
	[ -n "$bgpid" ] && kill "$bgpid" 2>/dev/null && wait "$bgpid" 2>/dev/null
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	rm -rf "$dir"
}
trap cleanup EXIT
fail() {
	echo "FAIL: $*"
	for f in "$dir"/out.* "$dir"/err.*; do
		[ -s "$f" ] && { echo "--- $f"; cat "$f"; }
	done
	exit 1
}

# start_sim SCENARIO [FLAGS...]: a fresh simulator over TLS (20 s to start).
start_sim() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	rm -f "$dir/kubeconfig" "$dir/sim.out"
	sc=$1
	shift
	"$SIM" --port 0 --tls --write-kubeconfig "$dir/kubeconfig" --scenario "$sc" "$@" \
		>"$dir/sim.out" 2>"$dir/sim.err" &
	pid=$!
	i=0
	until grep -q '^podscope-sim: listening on ' "$dir/sim.out" 2>/dev/null; do
		kill -0 "$pid" 2>/dev/null || fail "podscope-sim exited: $(cat "$dir/sim.err")"
		i=$((i + 1))
		[ $i -lt 200 ] || fail "podscope-sim did not start"
		sleep 0.1
	done
}

ps_() {
	"$PODSCOPE" --kubeconfig "$dir/kubeconfig" "$@"
}

# until_ok SECONDS CMD...: run CMD every 0.2 s until it succeeds.
until_ok() {
	limit=$(($1 * 5))
	shift
	i=0
	until "$@"; do
		i=$((i + 1))
		[ $i -lt $limit ] || return 1
		sleep 0.2
	done
}

# expect_rc WANT NAME CMD...: run CMD (stdout to out.NAME, stderr to err.NAME).
expect_rc() {
	want=$1
	name=$2
	shift 2
	"$@" >"$dir/out.$name" 2>"$dir/err.$name"
	rc=$?
	# Under --enable-sanitizers a report may come with the very exit code
	# a failure test expects.
	! grep -Eq 'Sanitizer|runtime error:' "$dir/err.$name" || fail "$name: sanitizer report"
	[ "$rc" = "$want" ] || fail "$name: exit $rc, want $want"
}
