#!/bin/sh
# Whole-screen golden tests (tig's test suite is the model): each view is
# drawn with no terminal (PODSCOPE_NO_DISPLAY) against podscope-sim on a
# fixed scenario and a fixed clock, saved as text, and compared with
# tests/golden/expected/VIEW.txt; a difference fails and is shown as a
# unified diff. GOLDEN_UPDATE=1 rewrites the expected files instead, for a
# person to read with git diff before committing: never regenerate blindly.
#
# What would differ between runs is pinned or masked: podscope-sim's clock
# starts at $START (PODSCOPE_SIM_START), podscope's clock stands still at
# $NOW (PODSCOPE_NOW), half a day after the scenario's ten days, so every
# age reads 10d; pod names' random five-letter suffixes become "xxxxx"
# (the simulator draws them at random, as Kubernetes does).
set -eu
: "${PODSCOPE:?}" "${PODSCOPE_SIM:?}" "${TOP_SRCDIR:?}"
G="$TOP_SRCDIR/tests/golden"
START=2026-01-01T00:00:00Z
NOW=2026-01-11T12:00:00Z
COLS=100
ROWS=30

work=$(mktemp -d)
sim_pid=
cleanup() {
	[ -n "$sim_pid" ] && kill "$sim_pid" 2>/dev/null || true
	[ -n "$sim_pid" ] && wait "$sim_pid" 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT
# Nothing of the user's or the caller's may change what is drawn.
export XDG_CONFIG_HOME="$work/config" LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm-256color
export PODSCOPE_THEME_PATH="$TOP_SRCDIR/themes"
unset PODSCOPE_THEME PODSCOPE_KEYS PODSCOPE_SCREEN_FILE NO_COLOR
mkdir -p "$XDG_CONFIG_HOME"

# The simulator writes the kubeconfig once it listens: wait for it (20 s).
PODSCOPE_SIM_START=$START "$PODSCOPE_SIM" --port 0 --tls --write-kubeconfig "$work/kc" \
	--scenario "$G/cluster.yaml" >"$work/sim.out" 2>&1 &
sim_pid=$!
polls=0
until [ -s "$work/kc" ]; do
	kill -0 "$sim_pid" 2>/dev/null && [ "$polls" -lt 200 ] ||
		{ echo "FAIL: podscope-sim did not start:"; cat "$work/sim.out"; exit 1; }
	polls=$((polls + 1))
	sleep 0.1
done

# Until the cluster has settled: both deployments complete, the pod ready.
# The waits are regular expressions that no column width changes, so that
# a broken layout shows as a diff, not as a wait that times out.
SETTLED='<wait: api .* complete$><wait: web .* complete$><wait: debug-shell .* 1/1 +ready >'
fail=0

# compare VIEW RC: check podscope's exit status, mask the saved screen and
# compare it with (or, with GOLDEN_UPDATE=1, write it to) expected/VIEW.txt.
compare() {
	view=$1
	raw="$work/$view.raw"
	if [ "$2" -ne 0 ] || [ ! -f "$raw" ]; then
		echo "FAIL: $view: podscope exited with $2:"
		cat "$work/$view.err"
		[ -f "$raw" ] && cat "$raw"
		fail=1
		return 0
	fi
	# One letter at a time, so that a name cut short by an ellipsis is masked too.
	sed -E -e ':a' -e 's/(-[a-z0-9]{8,10}-x{0,4})[bcdfghjklmnpqrstvwz2456789]/\1x/' -e 'ta' \
		"$raw" >"$work/$view.txt"
	expected="$G/expected/$view.txt"
	if [ "${GOLDEN_UPDATE:-}" = 1 ]; then
		cp "$work/$view.txt" "$expected"
		echo "updated $expected: read it (git diff) before committing"
	elif ! diff -u "$expected" "$work/$view.txt"; then
		echo "FAIL: $view differs from $expected (GOLDEN_UPDATE=1 rewrites it)"
		fail=1
	else
		echo "ok $view"
	fi
}

# golden VIEW KEYS [podscope flags...]: the script ends with W (save).
golden() {
	view=$1
	keys=$2
	shift 2
	rc=0
	env PODSCOPE_NO_DISPLAY="${COLS}x$ROWS" PODSCOPE_NOW=$NOW \
		PODSCOPE_SCREEN_FILE="$work/$view.raw" PODSCOPE_KEYS="${keys}W" \
		"$PODSCOPE" --kubeconfig "$work/kc" -A --readonly "$@" \
		</dev/null >"$work/$view.out" 2>"$work/$view.err" || rc=$?
	compare "$view" "$rc"
}

golden overview "$SETTLED"
golden rollout "$SETTLED/web<Enter><Enter><wait:deploy/web .* replicas 3>"
golden pod "$SETTLED/debug<Enter><Down><Enter><wait:pod/debug-shell +Running>"
golden events "${SETTLED}e<wait:Started container web>"
golden help "$SETTLED?<wait:Keys [(]. or Esc closes[)]>"
golden wallboard "<wait:all 2 deployments healthy>" --wallboard

# The scenario menu belongs to --demo, which starts its own simulator and
# wants standard input and output on a terminal: script(1) gives it one
# (nothing is drawn there; the screen is still PODSCOPE_NO_DISPLAY's).
if command -v script >/dev/null 2>&1; then
	rc=0
	PODSCOPE_SIM_BIN=$PODSCOPE_SIM PODSCOPE_SIM_START=$START PODSCOPE_NOW=$NOW \
		PODSCOPE_NO_DISPLAY="${COLS}x$ROWS" PODSCOPE_SCREEN_FILE="$work/menu.raw" \
		PODSCOPE_KEYS='S<wait:Scenarios of podscope-sim>W' \
		script -qec "'$PODSCOPE' --demo --readonly 2>'$work/menu.err'" /dev/null \
		</dev/null >"$work/menu.out" 2>&1 || rc=$?
	compare menu "$rc"
else
	echo "SKIP menu: script(1) is not installed"
fi
exit $fail
