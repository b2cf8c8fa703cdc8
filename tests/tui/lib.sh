# Shared by the screen tests: a private tmux server, podscope-sim with a
# scenario, podscope in a pane, and waiting for what the screen shows.
# Every wait polls with a deadline; nothing sleeps a fixed time.
set -eu

TMUX_BIN=${TMUX_BIN:-$(command -v tmux || true)}
if [ -z "$TMUX_BIN" ] || [ ! -x "$TMUX_BIN" ]; then
	echo "SKIP: tmux is not installed; the screen tests need it"
	exit 77
fi
unset TMUX TMUX_PANE
: "${PODSCOPE:?}" "${PODSCOPE_SIM:?}" "${TOP_SRCDIR:?}"
FIXTURES="$TOP_SRCDIR/tests/tui/fixtures"
export PODSCOPE_THEME_PATH="$TOP_SRCDIR/themes"

work=$(mktemp -d)
sim_pid=
cleanup() {
	"$TMUX_BIN" -S "$work/tmux.sock" kill-server 2>/dev/null || true
	[ -n "$sim_pid" ] && kill "$sim_pid" 2>/dev/null || true
	[ -n "$sim_pid" ] && wait "$sim_pid" 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT
# A private configuration: the user's own must not change what the tests see.
export XDG_CONFIG_HOME="$work/config"
mkdir -p "$XDG_CONFIG_HOME"

# A UTF-8 locale for the tests that want one (C.UTF-8 is in every glibc).
UTF8_LOCALE=C.UTF-8

tm() { "$TMUX_BIN" -S "$work/tmux.sock" "$@"; }

now() { date +%s; }

# start_sim SCENARIO_FILE_OR_NAME [more podscope-sim flags]
start_sim() {
	scen=$1
	shift
	"$PODSCOPE_SIM" --port 0 --tls --write-kubeconfig "$work/kc" --scenario "$scen" "$@" \
		>"$work/sim.out" 2>&1 &
	sim_pid=$!
	deadline=$(($(now) + 20))
	while [ ! -s "$work/kc" ]; do
		if ! kill -0 "$sim_pid" 2>/dev/null || [ "$(now)" -ge "$deadline" ]; then
			echo "FAIL: podscope-sim did not start:"
			cat "$work/sim.out"
			exit 1
		fi
		sleep 0.1
	done
}

# start_ui WIDTH HEIGHT [env assignments...] -- [podscope flags...]
# Runs podscope in a new tmux session; when it exits the pane prints
# "EXITED <status>" and stays.
start_ui() {
	w=$1
	h=$2
	shift 2
	envs=""
	while [ $# -gt 0 ] && [ "$1" != "--" ]; do
		envs="$envs '$1'"
		shift
	done
	[ $# -gt 0 ] && shift
	args=""
	for a in "$@"; do args="$args '$a'"; done
	cat >"$work/run.sh" <<EOS
cd '$work'
env LANG=$UTF8_LOCALE LC_ALL=$UTF8_LOCALE $envs '$PODSCOPE' --kubeconfig '$work/kc' $args 2>'$work/ui.err'
echo "EXITED \$?"
exec sleep 3600
EOS
	# A session that stays, so that killing the test's session never ends
	# the server while the next one is being made.
	tm has-session -t keep 2>/dev/null ||
		tm -f /dev/null new-session -d -s keep "exec sleep 3600"
	tm new-session -d -x "$w" -y "$h" -s t "sh '$work/run.sh'"
}

screen() { tm capture-pane -p -t t; }

# wait_for REGEX [SECONDS]: until a line of the screen matches.
wait_for() {
	deadline=$(($(now) + ${2:-20}))
	while :; do
		screen >"$work/screen" 2>/dev/null || true
		grep -Eq -- "$1" "$work/screen" && return 0
		if [ "$(now)" -ge "$deadline" ]; then
			echo "FAIL: timed out waiting for /$1/; the screen:"
			cat "$work/screen"
			[ -s "$work/ui.err" ] && { echo "stderr:"; cat "$work/ui.err"; }
			exit 1
		fi
		sleep 0.1
	done
}

# wait_gone REGEX [SECONDS]: until no line matches.
wait_gone() {
	deadline=$(($(now) + ${2:-20}))
	while :; do
		screen >"$work/screen" 2>/dev/null || true
		grep -Eq -- "$1" "$work/screen" || return 0
		if [ "$(now)" -ge "$deadline" ]; then
			echo "FAIL: timed out waiting for /$1/ to go; the screen:"
			cat "$work/screen"
			exit 1
		fi
		sleep 0.1
	done
}

keys() { tm send-keys -t t "$@"; }

# The pid of podscope in the pane.
ui_pid() { pgrep -P "$(tm display -p -t t '#{pane_pid}')" -x podscope || true; }

pass() {
	echo "PASS: $1"
	exit 0
}
