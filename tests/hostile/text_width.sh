#!/bin/sh
# Issue 10, Low "Terminal text width": get's text columns are padded by
# display width (CJK and emoji take two columns, a combining mark none),
# and a column is capped: a 1 MiB name is cut, not padded into every row.
. "$TOP_SRCDIR/tests/hostile/lib.sh"
. "$TOP_SRCDIR/tests/hostile/text_lib.sh"

hs_start text_wide
text_runs 0 "get get" "wide get -o wide"
for name in get wide; do
	size=$(wc -c <"$hs_dir/$name.out")
	[ "$size" -lt 20000 ] || hs_fail "$name printed $size bytes for 5 pods"
	# Every row's READY column starts at the same display column.
	grep -F '0/1' "$hs_dir/$name.out" | sed 's|0/1.*||' | while IFS= read -r pre; do
		printf '%s\n' "$pre" | wc -L
	done | sort -u >"$hs_dir/$name.cols"
	[ "$(wc -l <"$hs_dir/$name.cols")" -eq 1 ] ||
		hs_fail "$name: READY starts at columns $(tr '\n' ' ' <"$hs_dir/$name.cols")"
	# The huge name is cut to the cap, with ~ at its end.
	grep -Eq 'x{200,}~  ' "$hs_dir/$name.out" || hs_fail "$name: the 1 MiB name is not cut"
done
text_shows get 'cjk-中文名' 'emoji-😀🚀' "$(printf 'e\314\201t\303\251')"
echo PASS
