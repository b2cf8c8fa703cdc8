#!/bin/sh
# YAML alias bombs through each YAML input (kubeconfig, --theme FILE,
# config.yaml): refused with the file, line and limit, in bounded memory,
# a non-zero exit for one-shot commands.
. "$TOP_SRCDIR/tests/hostile/lib.sh"
. "$TOP_SRCDIR/tests/hostile/files_lib.sh"

hs_start empty
bomb="$hs_dir/bomb.kubeconfig"
files_bomb_kubeconfig "$bomb"
[ "$(wc -c <"$bomb")" -lt 600 ] || hs_fail "the bomb is not small"
for cmd in config get; do
	hs_run_cmd "kc-$cmd" "$PODSCOPE" --kubeconfig "$bomb" $cmd
	hs_expect_status "kc-$cmd" 2
	hs_expect_err "kc-$cmd" "bomb.kubeconfig:[0-9]+:[0-9]+: excessive aliasing"
	hs_clean "kc-$cmd"
done
# Through $KUBECONFIG as well.
KUBECONFIG="$bomb" hs_run_cmd kc-env "$PODSCOPE" config
unset KUBECONFIG
hs_expect_status kc-env 2
hs_expect_err kc-env "excessive aliasing"

# A theme: the dashboard starts with the dark theme and says why; W saves
# the screen, q quits.
files_bomb_yaml "$hs_dir/bomb-theme.yaml" roles
files_tty theme PODSCOPE_KEYS=Wq "PODSCOPE_SCREEN_FILE=$hs_dir/theme.screen" -- \
	--theme "$hs_dir/bomb-theme.yaml"
hs_expect_status theme 0
grep -q "bomb-theme.yaml:[0-9]*:[0-9]*: excessive aliasing" "$hs_dir/theme.screen" ||
	hs_fail "theme: the screen does not say why the theme was refused"

# The config file: podscope does not start (exit 2) and says why.
mkdir -p "$XDG_CONFIG_HOME/podscope"
files_bomb_yaml "$XDG_CONFIG_HOME/podscope/config.yaml" bindings
files_tty config
hs_expect_status config 2
hs_expect_err config "config.yaml:[0-9]+:[0-9]+: excessive aliasing"
hs_clean config
rm "$XDG_CONFIG_HOME/podscope/config.yaml"
echo "PASS"
