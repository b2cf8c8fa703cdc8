#!/bin/sh
# The wallboard's memory over a long run (make bench): podscope --wallboard
# in a private tmux server against podscope-sim's demo scenario at a high
# --speed (so a few real minutes are a day or more of rollouts, crash loops
# and events), with the watches dropped every 20 s (reconnects and relists).
# Samples podscope's RSS and prints a table, then whether it grew after the
# warm-up: the peak of the last third against the peak of the middle third.
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
cleanup() {
	tmux -S "$tmp/tmux.sock" kill-server 2>/dev/null
	test -n "$simpid" && kill "$simpid" 2>/dev/null && wait "$simpid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

"$sim" --port 0 --allow-anonymous --scenario demo --speed "$speed" \
	--fault drop-watch:every=20s --write-kubeconfig "$tmp/kubeconfig" \
	>"$tmp/sim.out" 2>"$tmp/sim.err" &
simpid=$!
i=0
until test -s "$tmp/kubeconfig"; do
	kill -0 "$simpid" 2>/dev/null || { echo "FAIL: podscope-sim exited"; cat "$tmp/sim.err"; exit 1; }
	i=$((i + 1))
	test $i -lt 200 || { echo "FAIL: podscope-sim did not start"; exit 1; }
	sleep 0.1
done

tmux -S "$tmp/tmux.sock" -f /dev/null new-session -d -x 120 -y 40 \
	"exec $ps_bin --kubeconfig $tmp/kubeconfig -A --wallboard"
pid=
i=0
while test -z "$pid"; do
	pid=$(tmux -S "$tmp/tmux.sock" list-panes -F '#{pane_pid}' 2>/dev/null)
	i=$((i + 1))
	test $i -lt 100 || { echo "FAIL: the wallboard did not start"; exit 1; }
	test -n "$pid" || sleep 0.1
done

rss() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status" 2>/dev/null; }
printf '%8s %14s %10s\n' "real s" "simulated h" "RSS KB"
start=$(date +%s)
samples=
while :; do
	el=$(($(date +%s) - start))
	kb=$(rss "$pid")
	test -n "$kb" || { echo "FAIL: podscope exited during the soak"; exit 1; }
	printf '%8d %14.1f %10d\n' "$el" "$(echo "$el $speed" | awk '{ print $1 * $2 / 3600 }')" "$kb"
	samples="$samples $kb"
	test "$el" -ge "$secs" && break
	sleep "$every"
done
echo "$samples" | awk -v slack_kb=1024 '{
	n = NF; a = int(n / 3); b = int(2 * n / 3)
	for (i = a + 1; i <= b; i++) if ($i > mid) mid = $i
	for (i = b + 1; i <= n; i++) if ($i > last) last = $i
	grow = last - mid
	printf "peak RSS, middle third %d KB, last third %d KB: ", mid, last
	if (grow <= slack_kb || grow <= mid * 0.02) print "no growth"
	else { print "GROWS by " grow " KB"; exit 1 }
}'
