#!/bin/sh
# The log pane against a pod printing 2000 lines a second: the pane holds
# at most its cap (5000 lines), keys still answer at once, and podscope's
# memory stays bounded while it follows.
. "$TOP_SRCDIR/tests/tui/lib.sh"
# Under AddressSanitizer freed memory waits in a quarantine (256 MB by
# default) and counts in RSS, so a pane that frees as much as it takes
# would seem to grow; without it RSS is about podscope's own memory again.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=0"
start_sim "$FIXTURES/logs_chatty.yaml"
start_ui 120 30 -- -A
wait_for 'Pod +[^ ]+ chatty +1/1 +ready' 40
keys j Enter
wait_for 'pod/chatty'
keys L
wait_for '^ loggen line [0-9]+ ' 20
wait_for 'LOGS gen +5000 lines' 60
rss() { awk '/^VmRSS/ {print $2}' "/proc/$(ui_pid)/status"; }
before=$(rss)
keys f
wait_for 'follow off' 5
keys f
wait_for 'follow on' 5
# Another 20000 lines through the pane: its memory does not grow with them.
lastno() { screen | sed -nE 's/^ loggen line ([0-9]+) .*/\1/p' | tail -n 1; }
target=$(($(lastno) + 20000))
deadline=$(($(now) + 60))
until [ "$(lastno)" -ge "$target" ]; do
	if [ "$(now)" -ge "$deadline" ]; then
		echo "FAIL: the pane did not reach line $target; the screen:"
		screen
		exit 1
	fi
	sleep 0.2
done
after=$(rss)
if [ "$after" -gt $((before + 1500)) ]; then
	echo "FAIL: podscope grew from ${before} kB to ${after} kB while following"
	exit 1
fi
echo "podscope: ${before} kB, then ${after} kB after 20000 more lines"
wait_for 'LOGS gen +5000 lines' 5
keys L q
wait_for '^EXITED 0$'
pass logs_chatty
