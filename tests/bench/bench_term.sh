#!/bin/sh
# The terminal over a slow link (make bench), in one run:
#  1. bytes written to the terminal over the same BENCH_TERM_S seconds
#     (default 120) of the simulator's demo scenario, each program in its own
#     120x36 tmux pane recorded with pipe-pane: podscope -A, podscope -A
#     --low-bandwidth and `watch -n2 kubectl get pods -A`. Targets (issue 11):
#     podscope at most 1.0 times watch, --low-bandwidth at most 0.1 times.
#  2. CPU of the dashboard (podscope -A in a 120x36 pane) at BENCH_TERM_PODS
#     pods (default 100,000) while the simulator changes BENCH_TERM_RATE pods
#     a second (default 200) for BENCH_TERM_CHURN_S seconds (default 30),
#     against `kubectl get pods -A -w -o name` in a pane beside it on the
#     same stream. Information, no target.
# All three of part 1 watch ONE simulator, started together: they see the
# same pods change at the same moments, which no two simulators guarantee
# (the scenario's timers start when each simulator starts, and the three
# programs would start at different times anyway). Reading the cluster costs
# the simulator, not the terminal, so sharing it does not favour anyone.
#   PODSCOPE, PODSCOPE_SIM  the programs (default ./podscope, ./podscope-sim)
#   KUBECTL                 kubectl (default: from PATH)
#   BENCH_TERM_S            seconds of demo recorded (default 120; shorter for a quick check)
#   BENCH_TERM_FIRST_S      the first screen's seconds, left out of the "after" column (10)
#   BENCH_TERM_PODS, BENCH_TERM_RATE, BENCH_TERM_CHURN_S  part 2 (0 pods: skip it)
set -u
ps=${PODSCOPE:-./podscope}
sim=${PODSCOPE_SIM:-./podscope-sim}
kubectl=${KUBECTL-$(command -v kubectl 2>/dev/null)}
dur=${BENCH_TERM_S:-120}
first=${BENCH_TERM_FIRST_S:-10}
pods=${BENCH_TERM_PODS:-100000}
rate=${BENCH_TERM_RATE:-200}
churn_s=${BENCH_TERM_CHURN_S:-30}
tmux_bin=$(command -v tmux 2>/dev/null)
test -x "$ps" || { echo "SKIP: no podscope at $ps"; exit 77; }
test -x "$sim" || { echo "SKIP: no podscope-sim at $sim"; exit 77; }
test -n "$tmux_bin" || { echo "SKIP: tmux is not installed"; exit 77; }
command -v watch >/dev/null 2>&1 || { echo "SKIP: watch (procps) is not installed"; exit 77; }
command -v curl >/dev/null 2>&1 || { echo "SKIP: curl is not installed"; exit 77; }
test -n "$kubectl" && test -x "$kubectl" || { echo "SKIP: kubectl is not installed"; exit 77; }
ps=$(cd "$(dirname "$ps")" && pwd)/$(basename "$ps")
kubectl=$(cd "$(dirname "$kubectl")" && pwd)/$(basename "$kubectl")

tmp=$(mktemp -d "${TMPDIR:-/tmp}/podscope-term.XXXXXX") || exit 1
pid=
unset TMUX TMUX_PANE
tm() { "$tmux_bin" -S "$tmp/tmux.sock" -f /dev/null "$@"; }
cleanup() {
	tm kill-server 2>/dev/null
	test -n "$pid" && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
export XDG_CONFIG_HOME="$tmp/config"
mkdir -p "$XDG_CONFIG_HOME"

. "$(dirname "$0")/lib.sh"

# start_sim FLAGS...: a simulator; sets pid and url.
start_sim() {
	sim_up "$@"
}
stop_sim() {
	kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	pid=
}
# pane NAME COMMAND: a detached 120x36 session running COMMAND (in a UTF-8
# locale, TERM as tmux sets it), its output recorded to $tmp/NAME.bytes.
pane() {
	cat >"$tmp/$1.sh" <<EOS
export LANG=C.UTF-8 LC_ALL=C.UTF-8 KUBECONFIG='$tmp/kubeconfig'
exec $2
EOS
	# The command starts once pipe-pane records, so no byte goes unseen.
	tm new-session -d -x 120 -y 36 -s "$1" \
		"while [ ! -e '$tmp/$1.go' ]; do sleep 0.05; done; exec sh '$tmp/$1.sh'"
	tm pipe-pane -t "$1" "cat >'$tmp/$1.bytes'"
	: >"$tmp/$1.go"
}
size() { wc -c <"$1" | tr -d ' '; }
hz=$(getconf CLK_TCK)
# child NAME PROG: the pid of PROG running in session NAME.
child() {
	pp=$(tm display -p -t "$1" '#{pane_pid}')
	i=0
	while test $i -lt 100; do
		c=$(pgrep -P "$pp" -x "$2" || true)
		test -z "$c" && test "$(cat "/proc/$pp/comm" 2>/dev/null)" = "$2" && c=$pp
		test -n "$c" && { echo "$c"; return; }
		i=$((i + 1))
		sleep 0.1
	done
}

# ---- 1. bytes over the demo scenario ----
start_sim --scenario demo
tm new-session -d -s keep "exec sleep 100000"
pane default "'$ps' -A"
pane lowbw "'$ps' -A --low-bandwidth"
pane watch "watch -n2 '$kubectl' get pods -A"
# The first screen is a one-time cost that a session left open amortizes:
# the bytes after the first $first s are shown too (information).
sleep "$first"
f_def=$(size "$tmp/default.bytes")
f_low=$(size "$tmp/lowbw.bytes")
f_watch=$(size "$tmp/watch.bytes")
sleep $((dur - first))
for s in default lowbw watch; do tm pipe-pane -t "$s"; done
b_def=$(size "$tmp/default.bytes")
b_low=$(size "$tmp/lowbw.bytes")
b_watch=$(size "$tmp/watch.bytes")
# What each showed at the end, for a reader who doubts the numbers.
for s in default lowbw watch; do
	tm capture-pane -p -t "$s" >"$tmp/$s.screen"
	tm kill-session -t "$s"
done
stop_sim
grep -q 'live' "$tmp/default.screen" || { echo "podscope did not run:" >&2; cat "$tmp/default.screen" >&2; }
grep -q 'NAMESPACE' "$tmp/watch.screen" || { echo "watch did not run:" >&2; cat "$tmp/watch.screen" >&2; }

printf '%-34s %9s %7s %-10s %15s %7s\n' "terminal bytes, 120x36, demo" \
	"${dur} s" "ratio" "target" "after ${first} s" "ratio"
# line NAME BYTES FIRST TARGET
line() {
	echo "$2 $b_watch $4 $3 $f_watch" | awk -v m="$1" '{
		r = $2 > 0 ? $1 / $2 : 0
		t = ($3 == "-") ? "-" : sprintf("<= %s %s", $3, r <= $3 ? "yes" : "NO")
		a = $1 - $4
		w = $2 - $5
		printf "%-34s %9d %7.3f %-10s %15d %7.3f\n", m, $1, r, t, a, (w > 0) ? a / w : 0
	}'
}
line "watch -n2 kubectl get pods -A" "$b_watch" "$f_watch" -
line "podscope -A" "$b_def" "$f_def" 1.0
line "podscope -A --low-bandwidth" "$b_low" "$f_low" 0.1

# ---- 2. CPU at $pods pods under $rate events/s ----
test "$pods" -gt 0 || exit 0
d=$((pods / 100))
start_sim --scenario load --load-deployments "$d" --load-pods "$pods" \
	--event-window $((rate * churn_s * 2))
pane tui "'$ps' -A"
pane kw "'$kubectl' get pods -A -w -o name"
tui=$(child tui podscope)
kw=$(child kw kubectl)
# Both have the whole list: podscope says "live", kubectl printed every pod.
i=0
until tm capture-pane -p -t tui | grep -q ' live' &&
	test "$(grep -c 'pod/' "$tmp/kw.bytes" 2>/dev/null)" -ge "$pods" 2>/dev/null; do
	i=$((i + 1))
	test $i -gt 3000 && { echo "warning: the watchers did not sync" >&2; break; }
	sleep 0.1
done
sleep 2
p0=$(cpu "$tui")
k0=$(cpu "$kw")
t0=$(date +%s.%N)
# $rate changes a second, in two halves per second, each half at its own
# time on the clock (a request's own time does not slow the rate down).
half=$((rate / 2))
n=0
while test $n -lt $((churn_s * 2)); do
	curl -s -o /dev/null -X POST -H 'Content-Type: application/json' \
		-d "{\"action\":\"churn\",\"resource\":\"pods\",\"count\":$half}" \
		"$url/podscope-sim/v1/actions"
	n=$((n + 1))
	sleep "$(echo "$t0 $n $(date +%s.%N)" | awk '{ d = $1 + $2 * 0.5 - $3; print (d > 0) ? d : 0 }')"
done
p1=$(cpu "$tui")
k1=$(cpu "$kw")
el=$(echo "$t0 $(date +%s.%N)" | awk '{ print $2 - $1 }')
sent=$(echo "$half $n $el" | awk '{ printf "%.0f", $1 * $2 / $3 }')
stop_sim
echo
printf '%-44s %10s %10s\n' "CPU, $pods pods, $sent changes/s, ${churn_s} s" "CPU s" "% of a core"
echo "$p0 $p1 $hz $el" | awk '{ printf "%-44s %10.2f %10.1f\n", "podscope -A (dashboard)", ($2 - $1) / $3, ($2 - $1) / $3 / $4 * 100 }'
echo "$k0 $k1 $hz $el" | awk '{ printf "%-44s %10.2f %10.1f\n", "kubectl get pods -A -w -o name", ($2 - $1) / $3, ($2 - $1) / $3 / $4 * 100 }'
