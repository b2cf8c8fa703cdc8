#!/bin/sh
# The fleet view (F) for a StatefulSet and a DaemonSet: three podscope-sims
# as three contexts, the same sts/web and ds/agent in each, staging on
# another image of both. F on either shows it in the three contexts and
# marks staging's image, as it does for a Deployment (fleet.sh); Enter on a
# row opens that cluster's StatefulSet or DaemonSet view.
. "$TOP_SRCDIR/tests/tui/lib.sh"
. "$TOP_SRCDIR/tests/tui/fleet_lib.sh"
# on_staging_set KIND: from the last row (staging's last pod) up to
# staging's KIND row, past as many pod rows as staging shows.
on_staging_set() {
	keys G
	wait_for '^. staging +Pod '
	n=$(screen | grep -Ec '^. staging +Pod ')
	while [ "$n" -gt 0 ]; do
		keys k
		n=$((n - 1))
	done
	wait_for "^▶ staging +$1 "
}
fleet_sims empty prod-eu prod-us staging
for c in prod-eu prod-us staging; do
	k --context "$c" apply -f "$TOP_SRCDIR/tests/fixtures/sim/sts-web.yaml" \
		-f "$TOP_SRCDIR/tests/fixtures/sim/ds-agent.yaml" >>"$work/kubectl.out" 2>&1 ||
		{ cat "$work/kubectl.out"; exit 1; }
done
k --context staging set image sts/web nginx=nginx:1.27 >>"$work/kubectl.out" 2>&1 &&
	k --context staging set image ds/agent agent=nginx:1.27 >>"$work/kubectl.out" 2>&1 ||
	{ cat "$work/kubectl.out"; exit 1; }

start_ui 170 50 -- --context prod-eu,prod-us,staging
wait_for '^ +CONTEXT +KIND +NAME '
for c in prod-eu prod-us staging; do
	wait_for "^. $c +StatefulSet +web .*complete" 60
	wait_for "^. $c +DaemonSet +agent .*complete" 60
done

# The StatefulSet: staging's rows are the last.
keys / w e b Enter
wait_gone 'DaemonSet +agent'
on_staging_set StatefulSet
keys F
wait_for 'sts/web \(namespace default\) in 3 contexts'
wait_for 'CONTEXT +DIFFERS +REVISION +READY '
wait_for '^. prod-eu +1 +3/3 +3 +3 +nginx:1.26 '
wait_for '^  prod-us +1 +3/3 +3 +3 +nginx:1.26 '
wait_for '^  staging +image, revision +2 +3/3 +3 +3 +nginx:1.27 '
# Enter opens prod-eu's StatefulSet, its pods by ordinal.
keys g Enter
wait_for '^ +ORD +POD +REVISION'
wait_for 'ctx prod-eu '
keys Escape
wait_for 'sts/web \(namespace default\) in 3 contexts'
keys Escape
wait_for '^ +CONTEXT +KIND +NAME '

# The DaemonSet, the same way.
keys / Escape / a g e n t Enter
wait_gone 'StatefulSet +web'
on_staging_set DaemonSet
keys F
wait_for 'ds/agent \(namespace default\) in 3 contexts'
wait_for '^. prod-eu +1 +[0-9]+/[0-9]+ .* nginx:1.26 '
wait_for '^  staging +image, revision +2 +[0-9]+/[0-9]+ .* nginx:1.27 '
keys g Enter
wait_for 'NODE +POD +REVISION'
wait_for 'ctx prod-eu '
keys q
wait_for '^EXITED 0$'
pass fleet_sets
