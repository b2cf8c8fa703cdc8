#!/bin/sh
# --low-bandwidth: no animation (no restart flash, no pulsing glyph, no
# countdown on a row that is not selected), yet the screen still follows
# the cluster: a crash-looping pod's restarts count up, and the selected
# pod shows its countdown. Everything podscope writes is recorded with
# pipe-pane and searched for what the mode must never send. The config
# file's low-bandwidth: true does the same.
. "$TOP_SRCDIR/tests/tui/lib.sh"
start_sim "$FIXTURES/overview.yaml"
start_ui 100 30 -- -A --low-bandwidth
tm pipe-pane -t t "cat >>'$work/bytes'"
wait_for 'overview .*\[low-bandwidth\]'
# The crash loop without its countdown, and its restarts without "(Xs ago)".
wait_for 'crasher +pod +0/1 +CrashLoop +<5m' 40
wait_for 'crasher .* restarts [0-9]+ *$' 40
n=$(grep -E 'crasher ' "$work/screen" | sed -n 's/.* restarts \([0-9][0-9]*\) *$/\1/p')
# A change still reaches the screen: the next restart.
wait_for "crasher .* restarts $((n + 1)) *\$" 90
tm pipe-pane -t t
# Nothing animated or counted down was ever sent for the unselected pod.
# (A countdown may follow its word after a change of colour.)
esc=$(printf '\033')
si=$(printf '\017')
if grep -aqE "CrashLoop($esc\\[[0-9;]*m|$si)* [0-9]" "$work/bytes"; then
	echo "FAIL: a countdown was sent for a row that is not selected"
	exit 1
fi
if grep -aq '✹' "$work/bytes"; then
	echo "FAIL: the restart flash was sent"
	exit 1
fi
if grep -aq 'ago)' "$work/bytes"; then
	echo "FAIL: a restart age was sent for a row that is not selected"
	exit 1
fi
# The selected object keeps its countdown.
keys / c r a s h Enter
wait_gone 'debug-shell'
keys j
wait_for '▶ .*crasher +pod +0/1 +CrashLoop [0-9]+s' 40
keys q
wait_for '^EXITED 0$'
tm kill-session -t t
# The config file's key does the same as the flag.
mkdir -p "$XDG_CONFIG_HOME/podscope"
echo 'low-bandwidth: true' >"$XDG_CONFIG_HOME/podscope/config.yaml"
start_ui 100 30 -- -A
wait_for 'overview .*\[low-bandwidth\]'
wait_for 'crasher +pod +0/1 +CrashLoop +<5m' 40
keys q
wait_for '^EXITED 0$'
pass lowbw
