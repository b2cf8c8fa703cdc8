#!/bin/sh
# Reading kubeconfig, config and theme files: a FIFO is refused without
# blocking, a device or an oversize file without filling memory, each with
# what, which file and why.
. "$TOP_SRCDIR/tests/hostile/lib.sh"
. "$TOP_SRCDIR/tests/hostile/files_lib.sh"

hs_start empty
HS_TIMEOUT=20 # a FIFO used to block forever
mkfifo "$hs_dir/fifo.yaml"
hs_run_cmd fifo "$PODSCOPE" --kubeconfig "$hs_dir/fifo.yaml" config
hs_expect_status fifo 2
hs_expect_err fifo "cannot read kubeconfig $hs_dir/fifo.yaml: not a regular file \(a FIFO\)"
hs_clean fifo
hs_run_cmd zero "$PODSCOPE" --kubeconfig /dev/zero get
hs_expect_status zero 2
hs_expect_err zero "cannot read kubeconfig /dev/zero: not a regular file \(a character device\)"
[ "$HS_RSS_KB" -lt 51200 ] || hs_fail "zero: $HS_RSS_KB KB"
# 40 MB of nothing (a sparse file): refused from its size.
: >"$hs_dir/big.yaml"
truncate -s 40M "$hs_dir/big.yaml" 2>/dev/null ||
	dd if=/dev/zero of="$hs_dir/big.yaml" bs=1 count=0 seek=41943040 2>/dev/null
hs_run_cmd big "$PODSCOPE" --kubeconfig "$hs_dir/big.yaml" config
hs_expect_status big 2
hs_expect_err big "big.yaml: larger than 32 MiB"
[ "$HS_RSS_KB" -lt 51200 ] || hs_fail "big: $HS_RSS_KB KB"

# The dashboard's files: the config file stops it, a theme is reported.
mkdir -p "$XDG_CONFIG_HOME/podscope"
mkfifo "$XDG_CONFIG_HOME/podscope/config.yaml"
files_tty config-fifo
hs_expect_status config-fifo 2
hs_expect_err config-fifo "cannot read the config file .*config.yaml: not a regular file \(a FIFO\)"
rm "$XDG_CONFIG_HOME/podscope/config.yaml"
files_tty theme-fifo PODSCOPE_KEYS=Wq "PODSCOPE_SCREEN_FILE=$hs_dir/theme.screen" -- \
	--theme "$hs_dir/fifo.yaml"
hs_expect_status theme-fifo 0
grep -q "cannot read theme $hs_dir/fifo.yaml: not a regular file (a FIFO)" \
	"$hs_dir/theme.screen" || hs_fail "theme-fifo: the screen does not say why"
echo "PASS"
