#!/bin/sh
# The config file: bindings, readonly and theme apply; a broken file stops
# podscope before it takes the terminal, naming file:line.
. "$TOP_SRCDIR/tests/tui/lib.sh"
start_sim "$FIXTURES/overview.yaml"
mkdir -p "$XDG_CONFIG_HOME/podscope"
cat >"$XDG_CONFIG_HOME/podscope/config.yaml" <<'EOC'
theme: light
readonly: true
refresh: 50ms
bindings:
  quit: [Q, C-x]
  down: "n"
EOC
start_ui 100 30 -- -A
wait_for 'overview .*\[read-only\]'
wait_for '^. default +deploy +api '
keys n
wait_for '^. default +deploy +web '
keys '?'
wait_for '^ C-x, Q, q +quit '
keys Escape C-x
wait_for '^EXITED 0$'
tm kill-session -t t

printf 'theme: dark\nbindings:\n  teleport: J\n' >"$XDG_CONFIG_HOME/podscope/config.yaml"
start_ui 100 30 -- -A
wait_for '^EXITED 2$'
grep -q "config.yaml:3: bindings: unknown action \"teleport\"" "$work/ui.err" ||
	{ echo "FAIL: no file:line for a broken config:"; cat "$work/ui.err"; exit 1; }
pass config
