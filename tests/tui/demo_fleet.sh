#!/bin/sh
# podscope --demo --fleet: three podscope-sims as three contexts (prod-eu,
# prod-us, staging) in one dashboard; staging's web is stuck mid-rollout on
# an image that cannot be pulled, and the fleet view marks it. q stops the
# three simulators and leaves no private directory behind.
. "$TOP_SRCDIR/tests/tui/lib.sh"
export PODSCOPE_SIM_BIN="$PODSCOPE_SIM"
mkdir -p "$work/tmp"
cat >"$work/run.sh" <<EOS
cd '$work'
env TMPDIR='$work/tmp' XDG_RUNTIME_DIR='$work/tmp' LANG=$UTF8_LOCALE LC_ALL=$UTF8_LOCALE '$PODSCOPE' --demo --fleet 2>'$work/ui.err'
echo "EXITED \$?"
exec sleep 3600
EOS
tm has-session -t keep 2>/dev/null || tm -f /dev/null new-session -d -s keep "exec sleep 3600"
tm new-session -d -x 170 -y 50 -s t "sh '$work/run.sh'"
wait_for 'overview .*demo --fleet: prod-eu, prod-us, staging'
wait_for '^ +CONTEXT +NAMESPACE +KIND +NAME '
for c in prod-eu prod-us staging; do
	wait_for "^. $c +default +Deployment +web "
done
pid=$(ui_pid)
[ "$(pgrep -P "$pid" -x podscope-sim | wc -l)" -eq 3 ] ||
	{ echo "FAIL: not three podscope-sims under podscope"; exit 1; }
sims=$(pgrep -P "$pid" -x podscope-sim)

# staging's web on nginx:1.28, which it cannot pull: the fleet view says so.
keys / w e b Enter
wait_for "^. prod-eu +default +Deployment +web "
keys F
wait_for 'deploy/web \(namespace default\) in 3 contexts'
# (the demo scenario later rolls web to nginx:1.27 everywhere: then revision alone)
wait_for '^  staging +(image, )?revision +[0-9]+ '
keys Escape
keys q
wait_for '^EXITED 0$'
deadline=$(($(now) + 10))
for s in $sims; do
	while kill -0 "$s" 2>/dev/null; do
		[ "$(now)" -lt "$deadline" ] || { echo "FAIL: a podscope-sim outlived podscope"; exit 1; }
		sleep 0.1
	done
done
left=$(find "$work/tmp" -mindepth 1 -maxdepth 1 | wc -l)
[ "$left" -eq 0 ] || { echo "FAIL: the fleet demo left files in its temporary directory:"; ls -la "$work/tmp"; exit 1; }
pass demo_fleet
