#!/bin/sh
# podscope-sim --clock-skew: the Date header of every response and the
# creationTimestamp of a new object are on the simulated cluster's clock,
# D off the real one (5m ahead, 5m behind); a bad or too large D is a usage
# error.
set -u

. "${TOP_SRCDIR:-.}/tests/integration/lib.sh"
it_init sim_clock.sh kubectl
command -v curl >/dev/null 2>&1 || { echo "SKIP: curl is not installed: sim_clock.sh not run"; exit 77; }

# off_by WHAT T WANT: T (seconds since the epoch) is WANT seconds off the
# real clock now, give or take 3 s.
off_by() {
	now=$(date -u +%s)
	d=$(($2 - now - $3))
	[ "$d" -ge -3 ] && [ "$d" -le 3 ] || fail "$1: $(($2 - now))s off the real clock, not $3s"
}

for skew in 5m -5m; do
	case $skew in 5m) want=300 ;; *) want=-300 ;; esac
	sim_start --allow-anonymous --clock-skew "$skew"
	url=$(sed -n 's/^podscope-sim: listening on //p' "$dir/sim.out")
	curl -sSi "$url/api/v1/namespaces/default/pods" >"$dir/out.curl" 2>&1 || fail "curl $url"
	date=$(sed -n 's/^[Dd]ate: *\(.*[^[:space:]]\)[[:space:]]*$/\1/p' "$dir/out.curl")
	[ "$(grep -ci '^date:' "$dir/out.curl")" = 1 ] || fail "skew $skew: not one Date header"
	echo "$date" | grep -Eq '^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), [0-9]{2} [A-Z][a-z]{2} [0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2} GMT$' ||
		fail "skew $skew: Date '$date' is not an RFC 7231 IMF-fixdate"
	off_by "skew $skew: Date header" "$(date -u -d "$date" +%s)" $want
	# An error answer carries the cluster's Date too.
	curl -sSi "$url/api/v1/namespaces/default/pods/nothere" >"$dir/out.curl404" 2>&1
	date=$(sed -n 's/^[Dd]ate: *\(.*[^[:space:]]\)[[:space:]]*$/\1/p' "$dir/out.curl404")
	off_by "skew $skew: Date of a 404" "$(date -u -d "$date" +%s)" $want

	k run fresh --image=busybox --restart=Never >"$dir/out.run" 2>&1 || fail "kubectl run"
	ts=$(k get pod fresh -o jsonpath='{.metadata.creationTimestamp}')
	off_by "skew $skew: creationTimestamp $ts" "$(date -u -d "$ts" +%s)" $want
	sim_stop
done

for bad in 30 721h -721h 5x; do
	if "$SIM" --port 0 --clock-skew "$bad" >"$dir/out.bad" 2>"$dir/err.bad"; then
		fail "--clock-skew $bad: accepted"
	else
		st=$?
		[ $st = 2 ] || fail "--clock-skew $bad: exit $st, not 2"
	fi
	grep -q -- '--clock-skew' "$dir/err.bad" || fail "--clock-skew $bad: no clear error"
done
exit 0
