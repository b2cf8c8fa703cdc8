#!/bin/sh
# --low-bandwidth: the look (ASCII only, the terminal's own colours with
# reverse and bold alone, no colour set-up), no animation (no restart flash,
# no countdown or age on a row that is not selected), yet the screen still
# follows the cluster: each deployment's rollout state and each pod's
# status, a crash-looping pod's restarts counting up, and the selected pod's
# countdown. Everything podscope writes, from its first byte, is recorded
# with pipe-pane and searched for what the mode must never send. The config
# file's low-bandwidth: true does the same.
. "$TOP_SRCDIR/tests/tui/lib.sh"
start_sim "$FIXTURES/overview.yaml"
# podscope starts once pipe-pane records, so that the first screen is seen.
real=$PODSCOPE
PODSCOPE=$work/podscope-go
cat >"$PODSCOPE" <<EOS
#!/bin/sh
while [ ! -e '$work/go' ]; do sleep 0.05; done
exec '$real' "\$@"
EOS
chmod +x "$PODSCOPE"
start_ui 100 30 -- -A --low-bandwidth
tm pipe-pane -t t "cat >>'$work/bytes'"
: >"$work/go"
wait_for 'overview .*\[low-bandwidth\]'
# Each deployment's rollout state, each pod's status, and the crash loop
# with its restarts but without a countdown.
# Time-driven text is the selected row's alone: no age on the others.
wait_for '^> default +deploy +api +[0-9]+/[0-9]+ +(complete|progressing)'
wait_for '^ +deploy +web +[0-9]+/[0-9]+ +(complete|progressing) *$'
wait_for ' debug-shell +[0-9]+/1 +[a-z]+ *$'
wait_for ' crasher +[0-9]+ +0/1 +CrashLoop *$' 40
n=$(sed -n 's/.* crasher  *\([0-9][0-9]*\) .*/\1/p' "$work/screen")
# A change still reaches the screen: the next restart.
wait_for " crasher +$((n + 1)) +[01]/1 " 90
tm pipe-pane -t t
esc=$(printf '\033')
si=$(printf '\017')
# One byte a symbol: nothing but ASCII went out (the names here are ASCII).
high=$(LC_ALL=C tr -d '\000-\177' <"$work/bytes" | wc -c)
if [ "$high" -ne 0 ]; then
	echo "FAIL: $high bytes >= 0x80 were sent (a UTF-8 glyph?)"
	exit 1
fi
# No colour: every attribute sent is a reset, bold or reverse. And few of
# them: the initial reset, the selection, and each time the crash loop
# turns bold (at most 3 restarts seen here, each a bold on and off).
sgr=$(LC_ALL=C grep -ao "$esc\\[[0-9;]*m" "$work/bytes" || true)
bad=$(printf '%s\n' "$sgr" | grep -Ev "^$esc\\[(0?(;[17])*|[17](;[17])*)m\$" | grep -c . || true)
if [ "$bad" -ne 0 ]; then
	echo "FAIL: $bad colour sequences were sent:"
	printf '%s\n' "$sgr" | sort | uniq -c | cat -v
	exit 1
fi
count=$(printf '%s\n' "$sgr" | grep -c . || true)
if [ "$count" -gt 16 ]; then
	echo "FAIL: $count attribute changes were sent (at most 16)"
	exit 1
fi
# Nothing animated or counted down was sent for a row that is not selected.
# (A countdown may follow its word after a change of attributes.)
if grep -aqE "CrashLoop($esc\\[[0-9;]*m|$si)* [0-9]" "$work/bytes"; then
	echo "FAIL: a countdown was sent for a row that is not selected"
	exit 1
fi
if grep -aq 'ago' "$work/bytes"; then
	echo "FAIL: a restart's age was sent for a row that is not selected"
	exit 1
fi
# The selected object keeps its countdown, its age and its last restart's.
keys / c r a s h Enter
wait_gone 'debug-shell'
keys j
wait_for '^> +default +pod +crasher +[0-9]+ +0/1 +CrashLoop [0-9]+s  age <5m, last restart [0-9a-z]+ ago' 40
keys q
wait_for '^EXITED 0$'
tm kill-session -t t
# The config file's key does the same as the flag.
mkdir -p "$XDG_CONFIG_HOME/podscope"
echo 'low-bandwidth: true' >"$XDG_CONFIG_HOME/podscope/config.yaml"
: >"$work/go"
start_ui 100 30 -- -A
wait_for 'overview .*\[low-bandwidth\]'
wait_for ' crasher +[0-9]* +[01]/1 +[A-Za-z]'
keys q
wait_for '^EXITED 0$'
pass lowbw
