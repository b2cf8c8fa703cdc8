#!/bin/sh
# podscope report: the seed's rolling update recorded against podscope-sim,
# then `report` makes the page and the chart. The page must be valid HTML
# (tidy), the chart valid XML (xmllint), and a screenshot of the page in
# headless Chromium must show both generations' colours inside the chart.
# Without chromium, tidy or xmllint: SKIP (77).
set -u
. "${TOP_SRCDIR:-.}/tests/integration/get_lib.sh"

for t in tidy xmllint python3; do
	command -v $t >/dev/null 2>&1 || {
		echo "SKIP: report.sh needs $t (Debian: tidy, libxml2-utils, python3)" >&2
		it_cleanup
		exit 77
	}
done
CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
[ -n "$CHROMIUM" ] || {
	echo "SKIP: report.sh needs chromium (Debian: chromium) for the screenshot" >&2
	it_cleanup
	exit 77
}

rec=$dir/rollout.rec
expect_rc 2 noargs "$PODSCOPE" report
expect_rc 2 noout "$PODSCOPE" report "$rec"
expect_rc 2 badext "$PODSCOPE" report "$rec" -o "$dir/x.pdf"
grep -q '.html (or .htm) for the page, .svg for the chart' "$dir/err.badext" ||
	fail "badext: $(cat "$dir/err.badext")"
expect_rc 1 missing "$PODSCOPE" report "$dir/nothing.rec" -o "$dir/x.html"

start_sim rolling-update --speed 3
"$PODSCOPE" --kubeconfig "$dir/kubeconfig" -A record -o "$rec" >"$dir/out.rec" 2>"$dir/err.rec" &
bgpid=$!
done_() {
	ps_ get deploy/deployment-rolling-update >"$dir/out.live" 2>&1 &&
		grep -q 'successfully rolled out' "$dir/out.live" &&
		grep -q 'revision 2' "$dir/out.live" &&
		grep -q 'old replicaset .* desired 0, current 0,' "$dir/out.live"
}
until_ok 120 done_ || fail "the rollout did not finish: $(cat "$dir/out.live")"
# Then a third revision that cannot pull its image: Warning events and a why
# line to report, and an action in an audit log (this machine's time).
k set image deploy/deployment-rolling-update '*=nginx:does-not-exist' >"$dir/out.set" 2>&1 ||
	fail "set image: $(cat "$dir/out.set")"
stuck() {
	ps_ get deploy/deployment-rolling-update >"$dir/out.stuck" 2>&1 &&
		grep -Eq 'ImagePullBackOff|ErrImagePull' "$dir/out.stuck"
}
until_ok 60 stuck || fail "the new pods are not stuck pulling: $(cat "$dir/out.stuck")"
# (2 s back: the log keeps whole seconds, and the recording must reach past it)
now=$(date -u -d "-2 sec" +%Y-%m-%dT%H:%M:%SZ)
printf '%s\tsim-admin\tme\tset-image\tdefault/deploy/deployment-rolling-update\tok <b>\n' \
	"$now" >"$dir/audit.log"
printf '%s\tsim-admin\tme\tdelete\tdefault/pod/someone-else\tok\n' "$now" >>"$dir/audit.log"
sleep_until_flushed() { test -s "$rec"; }
until_ok 10 sleep_until_flushed
kill -TERM $bgpid
wait $bgpid || fail "record failed: $(cat "$dir/err.rec")"

# The one deployment that rolled out is found without being named.
# An audit log that cannot be read is said, and the page made without actions.
expect_rc 0 noaudit "$PODSCOPE" report "$rec" -o "$dir/report.html" --audit "$dir/noaudit"
grep -q 'noaudit: No such file or directory (no actions shown)' "$dir/err.noaudit" ||
	fail "noaudit: $(cat "$dir/err.noaudit")"
expect_rc 0 page "$PODSCOPE" report "$rec" -o "$dir/report.html" --audit "$dir/audit.log"
grep -q 'wrote .*report.html: 3 generations, [0-9]* pods, [1-9][0-9]* Warning events, [1-9][0-9]* why lines, 1 actions' \
	"$dir/err.page" || fail "page: $(cat "$dir/err.page")"
[ "$(stat -c %a "$dir/report.html")" = 644 ] || fail "the page is not mode 0644"
tidy -q -e "$dir/report.html" >"$dir/tidy.out" 2>&1 || fail "tidy: $(head -c 2000 "$dir/tidy.out")"
for w in 'Rolling update' 'Why-line history' 'Warning events' 'Actions taken' \
	'revision 1' 'revision 2' 'revision 3' '<td>set-image</td>' 'ok &lt;b&gt;' \
	'nginx:does-not-exist'; do
	grep -q "$w" "$dir/report.html" || fail "the page has no '$w'"
done
! grep -Eqi '<script|src="http|href="http' "$dir/report.html" || fail "the page is not self-contained"
# The Warning events (the failed pulls), and only those: no Normal Scheduled.
grep -q '<td>Failed</td><td>Failed to pull image' "$dir/report.html" || fail "no failed pull in the events"
! grep -q '<td>Scheduled</td>' "$dir/report.html" || fail "a Normal event among the Warning events"

expect_rc 0 svg "$PODSCOPE" report "$rec" deploy/deployment-rolling-update -o "$dir/chart.svg"
xmllint --noout "$dir/chart.svg" 2>"$dir/xmllint.out" || fail "xmllint: $(cat "$dir/xmllint.out")"
grep -q '<svg' "$dir/chart.svg" && ! grep -q '<html' "$dir/chart.svg" || fail "chart.svg is not the chart alone"

# A deployment the recording does not hold.
expect_rc 1 nodeploy "$PODSCOPE" report "$rec" deploy/nope -o "$dir/nope.html"
grep -q 'holds no deployment default/nope' "$dir/err.nodeploy" || fail "nodeploy: $(cat "$dir/err.nodeploy")"

# The screenshot: both generations' colours (revision 1 then 2, in the
# palette's order, src/core/report_html.c) inside the chart's plot.
mkdir -p "$dir/chromium"
timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --hide-scrollbars \
	--user-data-dir="$dir/chromium" --screenshot="$dir/shot.png" --window-size=1400,2000 \
	"file://$dir/report.html" >"$dir/chromium.out" 2>&1
[ -s "$dir/shot.png" ] || fail "chromium made no screenshot: $(tail -5 "$dir/chromium.out")"
"$TOP_SRCDIR/tests/integration/report_png.py" "$dir/shot.png" '#fbfbf3' '#1f77b4' '#ff7f0e' \
	>"$dir/png.out" 2>&1 || fail "screenshot: $(cat "$dir/png.out")"
cat "$dir/png.out"

# The live report, from the same cluster while its events are still there:
# both generations, reconstructed (the page says so), valid HTML.
expect_rc 2 livebad ps_ report deploy/deployment-rolling-update --since soon -o "$dir/l.html"
expect_rc 2 liveall ps_ -A report deploy/deployment-rolling-update -o "$dir/l.html"
expect_rc 1 livenone ps_ report deploy/nope --since 1h -o "$dir/l.html"
grep -q 'deployment default/nope not found' "$dir/err.livenone" || fail "livenone: $(cat "$dir/err.livenone")"
expect_rc 0 live ps_ report deploy/deployment-rolling-update --since 1h -o "$dir/live.html"
grep -q 'wrote .*live.html: 3 generations, [0-9]* pods, [1-9][0-9]* Warning events' "$dir/err.live" || fail "live: $(cat "$dir/err.live")"
tidy -q -e "$dir/live.html" >"$dir/tidy.live" 2>&1 || fail "tidy live: $(head -c 2000 "$dir/tidy.live")"
grep -q 'A live report is reconstructed' "$dir/live.html" || fail "the live page does not say it is reconstructed"
for rev in 1 2; do
	grep -q "revision $rev: deployment-rolling-update-" "$dir/live.html" || fail "live: no revision $rev"
done
# Both generations' available lines are drawn (class gen0, gen1), not empty.
grep -Eq 'class="gen1"[^>]*d="M[0-9]' "$dir/live.html" || fail "live: the new generation is not drawn"
grep -Eq 'class="gen0"[^>]*d="M[0-9]' "$dir/live.html" || fail "live: the old generation is not drawn"

# An outage: the API server goes away while a second recording runs; the
# informers' back-off is a gap on the page, with their error.
"$PODSCOPE" --kubeconfig "$dir/kubeconfig" -A record -o "$dir/gap.rec" >/dev/null 2>"$dir/err.rec2" &
bgpid=$!
recorded() { test -s "$dir/gap.rec"; }
until_ok 30 recorded || fail "the second recording wrote nothing: $(cat "$dir/err.rec2")"
sim_stop
gapped() {
	"$PODSCOPE" report "$dir/gap.rec" deploy/deployment-rolling-update -o "$dir/gap.html" \
		>/dev/null 2>"$dir/err.gap" && grep -q 'informer: ' "$dir/gap.html"
}
until_ok 30 gapped || fail "no gap after the API server went: $(cat "$dir/err.gap")"
kill -TERM $bgpid
wait $bgpid
tidy -q -e "$dir/gap.html" >"$dir/tidy.gap" 2>&1 || fail "tidy gap: $(head -c 2000 "$dir/tidy.gap")"
grep -q 'nothing recorded [0-9:]* to [0-9:]*: [a-z]* informer: ' "$dir/gap.html" ||
	fail "the gap does not say why"
# Two runs in one file: the time between them is a gap too.
cat "$rec" "$dir/gap.rec" >"$dir/two.rec"
expect_rc 0 two "$PODSCOPE" report "$dir/two.rec" -o "$dir/two.html"
grep -q '<td>between two runs of the recorder</td>' "$dir/two.html" || fail "no gap between the runs"
it_cleanup
