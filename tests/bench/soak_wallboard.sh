#!/bin/sh
# The wallboard's memory over a long run (make bench): podscope --wallboard
# in a private tmux server against podscope-sim's demo scenario at a high
# --speed (so a few real minutes are a day or more of rollouts, crash loops
# and events), with the watches dropped every 20 s (reconnects and relists).
# Samples podscope's RSS and PSS (/proc/PID/smaps_rollup: shared library
# pages count only for their share) and prints a table, then its floor (the
# same wallboard against an empty simulator, started first: the process with
# no data), the peaks and the peaks above that floor, and whether RSS grew
# after the warm-up: the peak of the last third against the peak of the
# middle third.
#   PODSCOPE, PODSCOPE_SIM  the binaries (default ./podscope, ./podscope-sim)
#   SOAK_SECONDS  real seconds to run (default 300)
#   SOAK_SPEED    the simulator's --speed (default 1000: 300 s are 3.5 days)
#   SOAK_EVERY    seconds between samples (default 15)
set -u
ps_bin=${PODSCOPE:-./podscope}
sim=${PODSCOPE_SIM:-./podscope-sim}
secs=${SOAK_SECONDS:-300}
speed=${SOAK_SPEED:-1000}
every=${SOAK_EVERY:-15}
command -v tmux >/dev/null 2>&1 || { echo "SKIP: tmux is not installed"; exit 77; }
test -x "$ps_bin" && test -x "$sim" || { echo "SKIP: build podscope and podscope-sim first"; exit 77; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/soak.XXXXXX") || exit 1
simpid=
emptypid=
cleanup() {
	tmux -S "$tmp/tmux.sock" kill-server 2>/dev/null
	test -n "$simpid" && kill "$simpid" 2>/dev/null && wait "$simpid" 2>/dev/null
	test -n "$emptypid" && kill "$emptypid" 2>/dev/null && wait "$emptypid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# sim_start FILE ARG...: a simulator writing its kubeconfig to FILE; sets simpid.
sim_start() {
	kcfile=$1
	shift
	"$sim" --port 0 --allow-anonymous --write-kubeconfig "$kcfile" "$@" \
		>"$tmp/sim.out" 2>"$tmp/sim.err" &
	simpid=$!
	i=0
	until test -s "$kcfile"; do
		kill -0 "$simpid" 2>/dev/null || { echo "FAIL: podscope-sim exited"; cat "$tmp/sim.err"; exit 1; }
		i=$((i + 1))
		test $i -lt 200 || { echo "FAIL: podscope-sim did not start"; exit 1; }
		sleep 0.1
	done
}
# wallboard SESSION KUBECONFIG: the wallboard in a new tmux session; sets pid.
wallboard() {
	tmux -S "$tmp/tmux.sock" -f /dev/null new-session -d -s "$1" -x 120 -y 40 \
		"exec $ps_bin --kubeconfig $2 -A --wallboard"
	pid=
	i=0
	while test -z "$pid"; do
		pid=$(tmux -S "$tmp/tmux.sock" list-panes -t "$1" -F '#{pane_pid}' 2>/dev/null)
		i=$((i + 1))
		test $i -lt 100 || { echo "FAIL: the wallboard did not start"; exit 1; }
		test -n "$pid" || sleep 0.1
	done
}
rss() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status" 2>/dev/null; }
hwm() { awk '/^VmHWM:/ { print $2 }' "/proc/$1/status" 2>/dev/null; }
pss() { awk '/^Pss:/ { print $2 }' "/proc/$1/smaps_rollup" 2>/dev/null; }

# The floor: the same wallboard with no data, over the 10 s after it drew
# its first screen; RSS is the kernel's high-water mark, PSS the largest of
# 20 samples. In the soak's summary too, PSS is the largest sample.
sim_start "$tmp/empty.kubeconfig" --scenario empty
emptypid=$simpid
simpid=
wallboard floor "$tmp/empty.kubeconfig"
i=0
until tmux -S "$tmp/tmux.sock" capture-pane -p -t floor 2>/dev/null | grep -q '[a-z]'; do
	i=$((i + 1))
	test $i -lt 300 || { echo "FAIL: the wallboard drew nothing on an empty cluster"; exit 1; }
	sleep 0.1
done
floor_pss=0
i=0
while test $i -lt 20; do
	kb=$(pss "$pid")
	test -n "$kb" || { echo "FAIL: podscope exited on an empty cluster"; exit 1; }
	test "$kb" -gt "$floor_pss" && floor_pss=$kb
	sleep 0.5
	i=$((i + 1))
done
floor_rss=$(hwm "$pid")
tmux -S "$tmp/tmux.sock" kill-session -t floor
kill "$emptypid" 2>/dev/null && wait "$emptypid" 2>/dev/null
emptypid=

sim_start "$tmp/kubeconfig" --scenario demo --speed "$speed" --fault drop-watch:every=20s
wallboard soak "$tmp/kubeconfig"

printf '%8s %14s %10s %10s\n' "real s" "simulated h" "RSS KB" "PSS KB"
start=$(date +%s)
samples=
peak_pss=0
while :; do
	el=$(($(date +%s) - start))
	kb=$(rss "$pid")
	pkb=$(pss "$pid")
	test -n "$kb" && test -n "$pkb" || { echo "FAIL: podscope exited during the soak"; exit 1; }
	printf '%8d %14.1f %10d %10d\n' "$el" "$(echo "$el $speed" | awk '{ print $1 * $2 / 3600 }')" \
		"$kb" "$pkb"
	test "$pkb" -gt "$peak_pss" && peak_pss=$pkb
	samples="$samples $kb"
	test "$el" -ge "$secs" && break
	sleep "$every"
done
peak_rss=$(hwm "$pid")
echo "$floor_rss $floor_pss $peak_rss $peak_pss" | awk '{
	printf "%-28s %10s %10s\n", "", "RSS KB", "PSS KB"
	printf "%-28s %10d %10d\n", "floor (empty cluster)", $1, $2
	printf "%-28s %10d %10d\n", "peak (RSS: high-water mark)", $3, $4
	printf "%-28s %10d %10d\n", "peak above the floor", $3 - $1, $4 - $2
}'
echo "$samples" | awk -v slack_kb=1024 '{
	n = NF; a = int(n / 3); b = int(2 * n / 3)
	for (i = a + 1; i <= b; i++) if ($i > mid) mid = $i
	for (i = b + 1; i <= n; i++) if ($i > last) last = $i
	grow = last - mid
	printf "peak RSS, middle third %d KB, last third %d KB: ", mid, last
	if (grow <= slack_kb || grow <= mid * 0.02) print "no growth"
	else { print "GROWS by " grow " KB"; exit 1 }
}'
