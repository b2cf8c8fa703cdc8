#!/bin/sh
# Themes: every shipped theme loads; a broken one is reported with file:line
# and podscope starts with the default instead.
. "$TOP_SRCDIR/tests/tui/lib.sh"
start_sim "$FIXTURES/overview.yaml"
for t in dark light high-contrast solarized mono; do
	start_ui 100 30 -- -A --theme "$t"
	wait_for 'debug-shell .*ready'
	if grep -q 'using the dark theme' "$work/screen"; then
		echo "FAIL: theme $t did not load:"; cat "$work/screen"; exit 1
	fi
	keys q
	wait_for '^EXITED 0$'
	tm kill-session -t t
done
printf 'name: broken\nroles:\n  title: {fg: blurple}\n' >"$work/broken.yaml"
start_ui 100 30 -- -A --theme "$work/broken.yaml"
wait_for 'broken.yaml:3: role "title": a colour is'
wait_for 'debug-shell .*ready'
keys q
wait_for '^EXITED 0$'
tm kill-session -t t
# The same through PODSCOPE_THEME and a user's theme directory.
mkdir -p "$XDG_CONFIG_HOME/podscope/themes"
printf 'roles:\n  nosuchrole: {fg: red}\n' >"$XDG_CONFIG_HOME/podscope/themes/mine.yaml"
start_ui 100 30 PODSCOPE_THEME=mine -- -A
wait_for 'mine.yaml:2: unknown role "nosuchrole"'
keys q
wait_for '^EXITED 0$'
pass theme
