#!/bin/sh
# The hostile suite's own ground: hserver's benign cluster answers podscope,
# and hcheck catches every kind of byte it promises to catch (a checker that
# cannot fail would make every test built on it worthless).
. "$TOP_SRCDIR/tests/hostile/lib.sh"

hs_start empty
hs_run get get
hs_expect_status get 0
hs_clean get
hs_run version version
hs_expect_status version 0
grep -q 'v1.30.0-hostile' "$hs_dir/version.out" || hs_fail "version: no server version"
hs_clean version

# Each of these must be caught, and a clean file with tabs, CJK and emoji
# must not be.
printf 'ok\tline\n' >"$hs_dir/clean.out"
printf 'wide \344\270\255\346\226\207 \360\237\230\200\n' >>"$hs_dir/clean.out"
: >"$hs_dir/clean.err"
"$HCHECK" clean "$hs_dir/clean.out" "$hs_dir/clean.err" || hs_fail "hcheck refused clean text"
n=0
for bad in '\033]0;title\007' '\033[2J' '\302\233' 'cr\rlf' 'bs\b' '\177' '\377\376' \
	'\342\200\256' '\342\200\213' '\300\257'; do
	n=$((n + 1))
	printf "x $bad y\n" >"$hs_dir/bad$n.out"
	if "$HCHECK" clean "$hs_dir/bad$n.out" 2>/dev/null; then
		hs_fail "hcheck let through sample $n ($bad)"
	fi
done
echo "hcheck caught all $n hostile samples"

# And the caps: a command past its memory or its time is caught.
HS_RSS_MAX_MB=5
if "$HCHECK" run --rss-max 5 --timeout 20 --status-file "$hs_dir/big.status" -- \
	sh -c 'x=$(head -c 30000000 /dev/zero | tr "\0" a); echo ${#x}' >/dev/null 2>&1; then
	hs_fail "hcheck did not catch 30 MB over a 5 MB cap"
fi
if "$HCHECK" run --rss-max 100 --timeout 1 --status-file "$hs_dir/slow.status" -- \
	sh -c 'while :; do :; done' 2>/dev/null; then
	hs_fail "hcheck did not stop a command past its time"
fi
echo "PASS"
