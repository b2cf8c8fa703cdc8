#!/bin/sh
# podscope --demo on a terminal opens the dashboard on the embedded
# simulator's default scenario, and stops the simulator on the way out
# (q and SIGTERM), leaving no private directory behind.
. "$TOP_SRCDIR/tests/tui/lib.sh"
export PODSCOPE_SIM_BIN="$PODSCOPE_SIM"
mkdir -p "$work/tmp"
for how in q TERM; do
	cat >"$work/run.sh" <<EOS
cd '$work'
env TMPDIR='$work/tmp' LANG=$UTF8_LOCALE LC_ALL=$UTF8_LOCALE '$PODSCOPE' --demo 2>'$work/ui.err'
echo "EXITED \$?"
exec sleep 3600
EOS
	tm has-session -t keep 2>/dev/null ||
		tm -f /dev/null new-session -d -s keep "exec sleep 3600"
	tm new-session -d -x 110 -y 35 -s t "sh '$work/run.sh'"
	wait_for 'overview .*demo: demo'
	wait_for 'shop +deploy +frontend +Rolling'
	wait_for 'default +deploy +web +Rolling'
	wait_for 'standalone pods'
	pid=$(ui_pid)
	sims=$(pgrep -P "$pid" -x podscope-sim || true)
	[ -n "$sims" ] || { echo "FAIL: no podscope-sim under podscope"; exit 1; }
	if [ "$how" = q ]; then
		keys q
		wait_for '^EXITED 0$'
	else
		kill -TERM "$pid"
		wait_for '^EXITED 143$'
	fi
	deadline=$(($(now) + 10))
	while kill -0 "$sims" 2>/dev/null; do
		[ "$(now)" -lt "$deadline" ] || { echo "FAIL: podscope-sim outlived podscope ($how)"; exit 1; }
		sleep 0.1
	done
	left=$(find "$work/tmp" -name 'podscope-demo.*' | wc -l)
	[ "$left" -eq 0 ] || { echo "FAIL: the demo left its private directory ($how)"; exit 1; }
	tm kill-session -t t
done

# S offers the simulator's scenarios; choosing one starts it again with that.
start_ui_demo() {
	cat >"$work/run.sh" <<EOS
cd '$work'
env TMPDIR='$work/tmp' LANG=$UTF8_LOCALE LC_ALL=$UTF8_LOCALE '$PODSCOPE' --demo empty 2>'$work/ui.err'
echo "EXITED \$?"
exec sleep 3600
EOS
	tm new-session -d -x 110 -y 35 -s t "sh '$work/run.sh'"
}
start_ui_demo
wait_for 'overview .*demo: empty'
keys S
wait_for 'Scenarios of podscope-sim'
wait_for 'crashloop +restartPolicy Always'
# Move to "crashloop" and start it.
n=$(grep -n '^. *crashloop ' "$work/screen" | cut -d: -f1)
first=$(grep -n 'Scenarios of podscope-sim' "$work/screen" | cut -d: -f1)
i=$((n - first - 1))
while [ "$i" -gt 0 ]; do keys Down; i=$((i - 1)); done
wait_for '^▶ crashloop '
keys Enter
wait_for 'overview .*demo: crashloop'
wait_for 'completed-pod-rest'
keys q
wait_for '^EXITED 0$'
pass demo
