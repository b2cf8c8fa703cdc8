# Shared by get.sh, wait.sh and watch.sh (sourced), on lib.sh: start
# podscope-sim on a scenario over TLS, run podscope against it, wait for
# conditions with deadlines.
. "${TOP_SRCDIR:-.}/tests/integration/lib.sh"
it_init "$(basename "$0")"

# start_sim SCENARIO [FLAGS...]: a fresh simulator over TLS.
start_sim() {
	sc=$1
	shift
	sim_start --tls --scenario "$sc" "$@"
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
