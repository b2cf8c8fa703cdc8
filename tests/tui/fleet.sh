#!/bin/sh
# Many contexts: three podscope-sims as three contexts of one kubeconfig
# (prod-eu, prod-us, staging). The overview shows every cluster's rows with
# a CONTEXT column; staging is read-only by the config file's
# readonly-contexts and nothing that changes anything reaches it, while the
# same action on prod-eu goes through after a dialog naming prod-eu; the
# fleet view shows web in the three and marks the one on another image;
# killing prod-us shows it STALE while prod-eu goes on live.
. "$TOP_SRCDIR/tests/tui/lib.sh"
. "$TOP_SRCDIR/tests/tui/fleet_lib.sh"
# A name that cannot be a kubeconfig entry is refused (exit 2, before
# --list-scenarios would exit 0).
rc=0
"$PODSCOPE_SIM" --kubeconfig-context 'prod eu' --list-scenarios >/dev/null 2>&1 || rc=$?
[ "$rc" -eq 2 ] || { echo "FAIL: podscope-sim --kubeconfig-context 'prod eu' exits $rc, not 2"; exit 1; }

fleet_sims "$FIXTURES/actions.yaml" prod-eu prod-us staging
# staging runs another image of web: the fleet view marks it.
k --context staging set image deploy/web web=nginx:1.27 >/dev/null
# What podscope sends to staging comes after this line of its request log.
staging_before=$(wc -l <"$work/req.staging.log")

mkdir -p "$XDG_CONFIG_HOME/podscope"
printf 'readonly-contexts: [staging, "qa-*"]\n' >"$XDG_CONFIG_HOME/podscope/config.yaml"
export XDG_STATE_HOME="$work/state"
start_ui 170 50 -- --context prod-eu,prod-us,staging
wait_for '^ +CONTEXT +KIND +NAME '
for c in prod-eu prod-us staging; do
	wait_for "^. $c +Deployment +web +Rolling "
done
keys / w e b Enter
wait_gone ' blue +Rolling'

# The last rows are staging's: read-only there, refused before any request.
keys G
wait_for 'ctx staging .*\[read-only\]'
wait_for "^. staging +Deployment +web "
keys p
wait_for 'read-only: pause would change the cluster'
# Enter opens staging's own web (its new image), in staging's view.
keys Enter
wait_for 'rollout +ctx staging '
wait_for 'nginx:1.27'
# F there: the fleet view; Enter on prod-eu opens prod-eu's, and back in
# the fleet view the rollout view under it is staging's again.
keys F
wait_for 'deploy/web \(namespace default\) in 3 contexts'
keys g Enter
wait_for 'rollout +ctx prod-eu '
keys Escape
wait_for 'fleet +ctx staging '
keys Escape
wait_for 'rollout +ctx staging '
wait_for 'nginx:1.27'
keys Escape
wait_for '^ +CONTEXT +KIND +NAME '
staging_sent() { tail -n +"$((staging_before + 1))" "$work/req.staging.log"; }
if staging_sent | grep -E ' (PATCH|PUT|POST|DELETE) '; then
	echo "FAIL: a change reached the read-only context staging"
	exit 1
fi

# The first rows are prod-eu's: writable, and the dialog names the cluster.
keys g
wait_for 'ctx prod-eu '
wait_gone '\[read-only\]'
wait_for "^. prod-eu +Deployment +web "
keys p
wait_for 'Confirm pause on deploy/web \(namespace default\) in context prod-eu'
keys y
wait_for 'deployment.apps/web paused'
grep -Eq 'PATCH /apis/apps/v1/namespaces/default/deployments/web.* 200$' "$work/req.prod-eu.log" ||
	{ echo "FAIL: no PATCH in prod-eu's request log"; exit 1; }
if grep -E ' (PATCH|PUT|DELETE) ' "$work/req.prod-us.log" || staging_sent | grep -E ' (PATCH|PUT|POST|DELETE) '; then
	echo "FAIL: the pause reached another cluster"
	exit 1
fi

# The fleet view: web in the three, staging on another image and revision.
keys F
wait_for 'deploy/web \(namespace default\) in 3 contexts'
wait_for 'CONTEXT +DIFFERS +REVISION +READY '
wait_for '^. prod-eu +1 +2/2 +2 +2 +nginx:1.26 '
wait_for '^  prod-us +1 +2/2 +2 +2 +nginx:1.26 '
wait_for '^  staging +image, revision +2 +2/2 +2 +2 +nginx:1.27 '
# An action key there acts on no cluster.
keys r
wait_for 'fleet: restart acts on one cluster: Enter opens the selected one'
keys Escape
wait_for '^ +CONTEXT +KIND +NAME '

# prod-us dies: its rows say STALE, prod-eu goes on live (a scale shows).
kill "$pid_prod_us"
wait_for 'context prod-us: STALE' 40
k --context prod-eu scale deploy/web --replicas=3 >/dev/null
wait_for "^. prod-eu +Deployment +web +Rolling +[0-9]/3 "
wait_for 'context prod-us: STALE'
keys q
wait_for '^EXITED 0$'
pass fleet
