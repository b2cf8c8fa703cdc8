#!/bin/sh
# A --demo killed with SIGKILL leaves its private directory, kubeconfig and
# client key included; the next --demo removes it. Only that: not the
# directory of a demo still running, not another user's, not a link, not a
# file a demo does not write.
. "$TOP_SRCDIR/tests/hostile/lib.sh"
: "${PODSCOPE_SIM_BIN:?}"
rt="$XDG_RUNTIME_DIR"

# The start time of a process, as podscope names its directory with it.
start_of() { sed 's/.*) //' "/proc/$1/stat" | cut -d' ' -f20; }
wait_until() { # SECONDS COMMAND...: poll until COMMAND succeeds
	t=$1
	shift
	i=0
	until "$@"; do
		i=$((i + 1))
		[ $i -lt $((t * 10)) ] || return 1
		sleep 0.1
	done
}
has_demo_kubeconfig() { ls "$rt"/podscope-demo.*/kubeconfig >/dev/null 2>&1; }

# A dashboard on a pseudo-terminal, killed once its kubeconfig is there.
mkfifo "$hs_dir/in"
exec 3<>"$hs_dir/in"
script -qec "env TERM=xterm '$PODSCOPE' --demo" /dev/null <"$hs_dir/in" >/dev/null 2>&1 &
script_pid=$!
wait_until 30 has_demo_kubeconfig || hs_fail "the demo wrote no kubeconfig"
killed=$(basename "$(dirname "$(ls "$rt"/podscope-demo.*/kubeconfig)")")
pid=${killed#podscope-demo.}
pid=${pid%%-*}
[ "$(start_of "$pid")" = "$(echo "$killed" | sed 's/^[^-]*-[^-]*-\([0-9]*\)\..*/\1/')" ] ||
	hs_fail "$killed does not name podscope's pid and start time"
kill -KILL "$pid"
wait "$script_pid" 2>/dev/null || true
exec 3>&-
gone() { ! kill -0 "$pid" 2>/dev/null; }
wait_until 10 gone || hs_fail "podscope $pid did not die"
[ -f "$rt/$killed/kubeconfig" ] || hs_fail "nothing was left behind to clean up"

# What must stay: a running process's directory, one of a dead process with
# a file no demo writes, a link to a directory, another user's.
sleep 600 &
alive=$!
keep_alive="podscope-demo.$alive-$(start_of "$alive").AAAAAA"
sh -c 'exit 0' &
dead=$!
wait "$dead" || true
keep_extra="podscope-demo.$dead-1.BBBBBB"
link="podscope-demo.$dead-2.CCCCCC"
mkdir -m 700 "$rt/$keep_alive" "$rt/$keep_extra" "$hs_dir/target"
echo k >"$rt/$keep_alive/kubeconfig"
echo k >"$rt/$keep_extra/kubeconfig"
echo mine >"$rt/$keep_extra/notes.txt"
echo k >"$hs_dir/target/kubeconfig"
ln -s "$hs_dir/target" "$rt/$link"
other=""
if [ "$(id -u)" = 0 ]; then
	other="podscope-demo.$dead-3.DDDDDD"
	mkdir -m 700 "$rt/$other"
	echo k >"$rt/$other/kubeconfig"
	chown -R 65534 "$rt/$other"
fi

# The next demo (no terminal: it checks the simulator and reports).
hs_run_cmd demo "$PODSCOPE" --demo
kill "$alive" 2>/dev/null || true
hs_expect_status demo 0
[ ! -e "$rt/$killed" ] || hs_fail "the killed demo's directory is still there: $(ls -la "$rt/$killed")"
[ -f "$rt/$keep_alive/kubeconfig" ] || hs_fail "a running demo's kubeconfig was removed"
[ ! -e "$rt/$keep_extra/kubeconfig" ] || hs_fail "the dead demo's kubeconfig is still there"
[ -f "$rt/$keep_extra/notes.txt" ] || hs_fail "a file no demo writes was removed"
[ -L "$rt/$link" ] && [ -f "$hs_dir/target/kubeconfig" ] || hs_fail "a link was followed"
[ -z "$other" ] || [ -f "$rt/$other/kubeconfig" ] || hs_fail "another user's directory was cleaned"
# And the demo that ran cleaned up after itself.
left=3
[ -z "$other" ] || left=4
[ "$(ls "$rt" | grep -c '^podscope-demo')" -eq "$left" ] ||
	hs_fail "left in $rt: $(ls "$rt")"
echo "PASS"
