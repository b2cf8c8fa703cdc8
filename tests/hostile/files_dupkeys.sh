#!/bin/sh
# A key set twice in config.yaml is an error with FILE:LINE (it used to turn
# read-only off when `readonly: false` came second); in a theme too.
. "$TOP_SRCDIR/tests/hostile/lib.sh"
. "$TOP_SRCDIR/tests/hostile/files_lib.sh"

hs_start empty
mkdir -p "$XDG_CONFIG_HOME/podscope"
cfg="$XDG_CONFIG_HOME/podscope/config.yaml"
printf 'readonly: true\ntheme: dark\nreadonly: false\n' >"$cfg"
files_tty dup
hs_expect_status dup 2
hs_expect_err dup "^podscope: $cfg:3:1: key \"readonly\" is set twice \(first on line 1\)$"
hs_clean dup
printf 'bindings:\n  quit: Q\n  quit: X\n' >"$cfg"
files_tty dup-nested
hs_expect_status dup-nested 2
hs_expect_err dup-nested "config.yaml:3:3: key \"quit\" is set twice \(first on line 2\)"
rm "$cfg"
printf 'name: t\nroles:\n  title: {fg: red}\n  title: {fg: blue}\n' >"$hs_dir/dup-theme.yaml"
files_tty dup-theme PODSCOPE_KEYS=Wq "PODSCOPE_SCREEN_FILE=$hs_dir/theme.screen" -- \
	--theme "$hs_dir/dup-theme.yaml"
hs_expect_status dup-theme 0
grep -q 'dup-theme.yaml:4:3: key "title" is set twice (first on line 3)' \
	"$hs_dir/theme.screen" || hs_fail "dup-theme: the screen does not say it"
echo "PASS"
