# Shared by the hostile-server tests (sourced): start hserver on a scenario,
# a kubeconfig for it, podscope run under a peak-RSS and time cap, and the
# check that what podscope printed carries nothing a terminal acts on.
# Every wait polls with a deadline; nothing sleeps a fixed time.
set -eu

: "${PODSCOPE:?}" "${TOP_BUILDDIR:?}"
HSERVER="$TOP_BUILDDIR/tests/hostile/hserver"
HCHECK="$TOP_BUILDDIR/tests/hostile/hcheck"

hs_dir=$(mktemp -d "${TMPDIR:-/tmp}/podscope-hostile.XXXXXX")
hs_pid=
hs_cleanup() {
	if [ -n "$hs_pid" ]; then
		kill "$hs_pid" 2>/dev/null || true
		wait "$hs_pid" 2>/dev/null || true
	fi
	rm -rf "$hs_dir"
}
trap hs_cleanup EXIT
# Nothing of the user's: a private home and configuration.
export HOME="$hs_dir/home" XDG_CONFIG_HOME="$hs_dir/config" XDG_RUNTIME_DIR="$hs_dir/run"
mkdir -p "$HOME" "$XDG_CONFIG_HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"
unset KUBECONFIG
# Under AddressSanitizer, freed memory sits in a quarantine (256 MB by
# default) and counts in RSS; a small one keeps the cap about podscope.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=16"
export LC_ALL=C.UTF-8

# The caps every run gets unless a test says otherwise.
HS_RSS_MAX_MB=${HS_RSS_MAX_MB:-100}
HS_TIMEOUT=${HS_TIMEOUT:-60}

hs_fail() {
	echo "FAIL: $*"
	for f in "$hs_dir"/*.out "$hs_dir"/*.err "$hs_dir"/hserver.log; do
		[ -s "$f" ] || continue
		echo "--- $f (first 40 lines, control bytes shown as <xx>)"
		head -c 4000 "$f" | LC_ALL=C sed 's/[^[:print:]\t]/?/g' | head -n 40
	done
	exit 1
}

# hs_start SCENARIO: a fresh hserver on it; sets HS_PORT and HS_KUBECONFIG.
# Every request it gets is logged, one line each, in $hs_dir/requests.log.
hs_start() {
	hs_stop
	rm -f "$hs_dir/port"
	: >"$hs_dir/requests.log"
	"$HSERVER" "$1" --log "$hs_dir/requests.log" --lifetime 600 >"$hs_dir/port" \
		2>"$hs_dir/hserver.log" &
	hs_pid=$!
	i=0
	until [ -s "$hs_dir/port" ]; do
		kill -0 "$hs_pid" 2>/dev/null || hs_fail "hserver $1 did not start"
		i=$((i + 1))
		[ $i -lt 200 ] || hs_fail "hserver $1 did not start in 20 s"
		sleep 0.1
	done
	HS_PORT=$(head -n 1 "$hs_dir/port")
	HS_KUBECONFIG="$hs_dir/kubeconfig"
	cat >"$HS_KUBECONFIG" <<KC
apiVersion: v1
kind: Config
clusters:
- name: hostile
  cluster:
    server: http://127.0.0.1:$HS_PORT
contexts:
- name: hostile
  context:
    cluster: hostile
    user: nobody
    namespace: default
users:
- name: nobody
  user: {}
current-context: hostile
KC
}

hs_stop() {
	if [ -n "$hs_pid" ]; then
		kill "$hs_pid" 2>/dev/null || true
		wait "$hs_pid" 2>/dev/null || true
		hs_pid=
	fi
}

# hs_run NAME [podscope args...]: podscope against the scenario's kubeconfig,
# stdout in $hs_dir/NAME.out, stderr in $hs_dir/NAME.err. Sets HS_STATUS,
# HS_RSS_KB and HS_SECONDS; fails the test when podscope went past
# HS_RSS_MAX_MB or HS_TIMEOUT.
hs_run() {
	name=$1
	shift
	hs_run_cmd "$name" "$PODSCOPE" --kubeconfig "$HS_KUBECONFIG" "$@"
}

# hs_run_cmd NAME CMD...: the same caps for any command.
hs_run_cmd() {
	name=$1
	shift
	if ! "$HCHECK" run --rss-max "$HS_RSS_MAX_MB" --timeout "$HS_TIMEOUT" \
		--status-file "$hs_dir/$name.status" -- "$@" \
		>"$hs_dir/$name.out" 2>"$hs_dir/$name.err"; then
		hs_fail "$name: $(tail -n 2 "$hs_dir/$name.err")"
	fi
	HS_STATUS=$(sed -n 's/^status //p' "$hs_dir/$name.status")
	HS_RSS_KB=$(sed -n 's/^rss_kb //p' "$hs_dir/$name.status")
	HS_SECONDS=$(sed -n 's/^seconds //p' "$hs_dir/$name.status")
	echo "$name: exit $HS_STATUS, peak RSS $((HS_RSS_KB / 1024)) MB, ${HS_SECONDS} s"
}

# hs_clean NAME...: NAME.out and NAME.err hold no control byte but \t and \n,
# no C1, no invalid UTF-8, no bidi control, no zero-width character.
hs_clean() {
	for name in "$@"; do
		"$HCHECK" clean "$hs_dir/$name.out" "$hs_dir/$name.err" ||
			hs_fail "$name printed bytes a terminal would act on"
	done
}

# hs_expect_status NAME WANT: the last run's exit status.
hs_expect_status() {
	[ "$HS_STATUS" = "$2" ] || hs_fail "$1: exit status $HS_STATUS, want $2"
}

# hs_expect_err NAME PATTERN: stderr says it (grep -E).
hs_expect_err() {
	grep -Eq "$2" "$hs_dir/$1.err" || hs_fail "$1: stderr does not say /$2/"
}
