#!/bin/sh
# W and :save FILE never write through a symbolic link planted where they
# write: the link is replaced by the saved screen, its target is untouched.
. "$TOP_SRCDIR/tests/hostile/lib.sh"
. "$TOP_SRCDIR/tests/hostile/files_lib.sh"

hs_start empty
echo precious >"$hs_dir/victim1"
echo precious >"$hs_dir/victim2"
ln -s "$hs_dir/victim1" "$hs_dir/podscope-screen.txt"
ln -s "$hs_dir/victim2" "$hs_dir/saved.txt"
# files_tty runs in $hs_dir, so W writes podscope-screen.txt there.
files_tty save "PODSCOPE_KEYS=W:save saved.txt<Enter>q" -- -A
hs_expect_status save 0
for f in victim1 victim2; do
	[ "$(cat "$hs_dir/$f")" = precious ] || hs_fail "$f was written through a link"
done
for f in podscope-screen.txt saved.txt; do
	[ ! -L "$hs_dir/$f" ] || hs_fail "$f is still the planted link"
	grep -q 'no workloads or pods here' "$hs_dir/$f" || hs_fail "$f: not the screen"
done
# No temporary file is left beside them.
ls "$hs_dir" | grep -q '\.txt\.' && hs_fail "a temporary file was left: $(ls "$hs_dir")"
echo "PASS"
