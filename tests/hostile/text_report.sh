#!/bin/sh
# Issue 14: the post-mortem page of a hostile API server's deployment
# (podscope report deploy/NAME, the live report). Every name, image, reason
# and message from the server is on the page escaped: no control byte, C1,
# bidi or zero-width character, no invalid UTF-8 (hcheck clean), and the
# page stays valid HTML (tidy, when installed). The text is still there.
. "$TOP_SRCDIR/tests/hostile/lib.sh"
. "$TOP_SRCDIR/tests/hostile/text_lib.sh"

hs_start text_objects
hs_run page report deploy/web --since 1h -o "$hs_dir/page.html"
hs_expect_status page 0
hs_clean page
"$HCHECK" clean "$hs_dir/page.html" || hs_fail "the page holds bytes a reader could be fooled by"
# The ReplicaSet's hostile name, escaped, in the legend.
grep -Fq 'web-\x1b[21t\u009b5d8f\u200b' "$hs_dir/page.html" ||
	hs_fail "the page does not show the ReplicaSet's name escaped"
if command -v tidy >/dev/null 2>&1; then
	tidy -q -e "$hs_dir/page.html" >"$hs_dir/tidy.out" 2>&1 ||
		hs_fail "tidy: $(head -c 2000 "$hs_dir/tidy.out")"
else
	echo "SKIP (part): tidy is not installed; the page was not validated"
fi
hs_run svg report deploy/web -o "$hs_dir/chart.svg"
hs_expect_status svg 0
"$HCHECK" clean "$hs_dir/chart.svg" || hs_fail "the chart holds bytes a reader could be fooled by"
if command -v xmllint >/dev/null 2>&1; then
	xmllint --noout "$hs_dir/chart.svg" 2>"$hs_dir/xmllint.out" ||
		hs_fail "xmllint: $(head -c 2000 "$hs_dir/xmllint.out")"
fi
echo "text_report.sh: ok"
