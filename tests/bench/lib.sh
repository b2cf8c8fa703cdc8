# Shell functions of make bench's tables, sourced by bench_get.sh and
# bench_sets.sh. They read $tmp (a scratch directory), $mem_runs, $memsample
# and $size (the load, first column of each row).

# bench_need: SKIP (77) without the programs and tools of a first-view
# table ($ps, $sim, $memsample); kubectl is emptied when it is missing.
bench_need() {
	test -x "$ps" || { echo "SKIP: no podscope at $ps"; exit 77; }
	test -x "$sim" || { echo "SKIP: no podscope-sim at $sim"; exit 77; }
	test -x "$memsample" || { echo "SKIP: no memsample at $memsample (make tests/bench/memsample)"; exit 77; }
	test -r /proc/self/smaps_rollup || { echo "SKIP: no /proc/PID/smaps_rollup (Linux 4.14)"; exit 77; }
	test -x /usr/bin/time || { echo "SKIP: /usr/bin/time (GNU time) is not installed"; exit 77; }
	test -n "$kubectl" && test -x "$kubectl" || kubectl=
}

# bench_init NAME: a scratch directory $tmp, removed at exit with the
# simulator ($pid) and any watcher ($wpids) still running.
bench_init() {
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/$1.XXXXXX") || exit 1
	pid=
	wpids=
	trap bench_cleanup EXIT
	trap 'exit 1' INT TERM
}
bench_cleanup() {
	for p in $wpids $pid; do kill "$p" 2>/dev/null && wait "$p" 2>/dev/null; done
	rm -rf "$tmp"
}

# cpu PID: user+system clock ticks so far.
cpu() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
# ctxt PID: context switches of all its threads (Go runs several).
ctxt() {
	cat /proc/"$1"/task/*/status 2>/dev/null |
		awk '/^voluntary_ctxt_switches|^nonvoluntary_ctxt_switches/ { n += $2 } END { print n + 0 }'
}
hz=$(getconf CLK_TCK)
# settle PID...: wait until none of them used CPU for 1 s (60 s at most).
settle() {
	prev=
	i=0
	while test $i -lt 60; do
		cur=
		for sp in "$@"; do cur="$cur $(cpu "$sp")"; done
		test "$cur" = "$prev" && return 0
		prev=$cur
		sleep 1
		i=$((i + 1))
	done
}
# row METRIC PODSCOPE KUBECTL OP TARGET: one line of the table with the ratio.
row() {
	if test "$3" = SKIP || test "$3" = "?" || test "$2" = "?"; then
		printf '%-14s %-26s %12s %12s %8s %10s %s\n' "$size" "$1" "$2" "$3" "-" "$4 $5" "SKIP"
		return
	fi
	echo "$2 $3 $4 $5" | awk -v size="$size" -v m="$1" '{
		r = ($2 > 0) ? $1 / $2 : 0
		ok = ($3 == "<=") ? (r <= $4) : (r < $4)
		printf "%-14s %-26s %12s %12s %8.3f %10s %s\n", size, m, $1, $2, r, $3 " " $4,
			ok ? "yes" : "NO"
	}'
}

# mem NAME PROGRAM ARG...: runs the program $mem_runs times under memsample
# and sets NAME_rss, NAME_pss (MB, the largest of the runs) and NAME_cov (the
# RSS its PSS samples reached, over its RSS peak, in the run of that PSS).
mem() {
	mname=$1
	shift
	: >"$tmp/m.all"
	j=0
	while test $j -lt "$mem_runs"; do
		"$memsample" -o "$tmp/m.one" "$@" >/dev/null 2>"$tmp/m.err" ||
			echo "warning: $1 failed: $(head -n 3 "$tmp/m.err")" >&2
		cat "$tmp/m.one" >>"$tmp/m.all"
		j=$((j + 1))
	done
	eval "$(awk -v n="$mname" '
		$1 > rss { rss = $1 }
		$2 > pss { pss = $2; cov = ($1 > 0) ? $3 / $1 : 0 }
		END { printf "%s_rss=%.1f %s_pss=%.1f %s_cov=%.3f\n", n, rss / 1024, n, pss / 1024, n, cov }
	' "$tmp/m.all")"
}
# minus A B: A - B, one decimal.
minus() { echo "$1 $2" | awk '{ printf "%.1f", $1 - $2 }'; }
# info METRIC PODSCOPE KUBECTL: a line with the ratio and no target.
info() {
	if test "$3" = SKIP; then
		printf '%-14s %-26s %12s %12s %8s %10s %s\n' "$size" "$1" "$2" "$3" "-" "info" "-"
		return
	fi
	echo "$2 $3" | awk -v size="$size" -v m="$1" '{
		printf "%-14s %-26s %12s %12s %8.3f %10s %s\n", size, m, $1, $2,
			($2 > 0) ? $1 / $2 : 0, "info", "-"
	}'
}
# plain METRIC PODSCOPE KUBECTL: a line with neither ratio nor target.
plain() { printf '%-14s %-26s %12s %12s %8s %10s %s\n' "$size" "$1" "$2" "$3" "-" "info" "-"; }

table_header() {
	printf '%-14s %-26s %12s %12s %8s %10s %s\n' "load" "metric" "podscope" "kubectl" "ratio" \
		"target" "holds"
}

# sim_up ARG...: start podscope-sim with those arguments on a free port,
# writing $tmp/kubeconfig; sets pid, url and kc (podscope's and kubectl's
# --kubeconfig argument). Exits when it does not start in two minutes.
sim_up() {
	rm -f "$tmp/kubeconfig"
	"$sim" --port 0 --allow-anonymous "$@" --write-kubeconfig "$tmp/kubeconfig" \
		>"$tmp/out" 2>"$tmp/err" &
	pid=$!
	i=0
	while ! test -s "$tmp/kubeconfig"; do
		i=$((i + 1))
		if test $i -gt 1200 || ! kill -0 "$pid" 2>/dev/null; then
			echo "podscope-sim did not start:" >&2
			cat "$tmp/err" >&2
			exit 1
		fi
		sleep 0.1
	done
	url=$(sed -n 's/^podscope-sim: listening on //p' "$tmp/out")
	kc="--kubeconfig $tmp/kubeconfig"
}

# mem_rows RESOURCES: the memory rows of the first view, `podscope get -A`
# against `kubectl get RESOURCES -A`, and of each listing an empty namespace
# (the floor); reads ps, kc, kubectl and p (the pods, for the absolute target).
mem_rows() {
	mem ps "$ps" $kc get -A
	mem ps0 "$ps" $kc get -n no-such-namespace
	k_rss=SKIP k_pss=SKIP k_cov=SKIP k0_rss=SKIP k0_pss=SKIP k0_cov=SKIP
	k_rss_data=SKIP k_pss_data=SKIP
	if test -n "$kubectl"; then
		mem k "$kubectl" $kc get "$1" -A
		mem k0 "$kubectl" $kc get "$1" -n no-such-namespace
		k_rss_data=$(minus "$k_rss" "$k0_rss")
		k_pss_data=$(minus "$k_pss" "$k0_pss")
	fi
	info "first view peak RSS MB" "$ps_rss" "$k_rss"
	row "first view peak PSS MB" "$ps_pss" "$k_pss" "<=" 0.10
	info "  RSS MB with no pods" "$ps0_rss" "$k0_rss"
	info "  PSS MB with no pods" "$ps0_pss" "$k0_pss"
	row "  peak RSS MB above that" "$(minus "$ps_rss" "$ps0_rss")" "$k_rss_data" "<=" 0.10
	row "  peak PSS MB above that" "$(minus "$ps_pss" "$ps0_pss")" "$k_pss_data" "<=" 0.10
	plain "  RSS reached by samples" "$ps_cov" "$k_cov"
	plain "    with no pods" "$ps0_cov" "$k0_cov"
	if test "$p" -ge 100000; then
		printf '%-14s %-26s %12s %12s %8s %10s %s\n' "$size" "peak RSS MB (absolute)" \
			"$ps_rss" "-" "-" "< 100" "$(awk -v r="$ps_rss" 'BEGIN { print (r < 100) ? "yes" : "NO" }')"
	fi
}
