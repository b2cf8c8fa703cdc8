#!/bin/sh
# issue 10, "Hostile numbers": an exitCode of 1e300 showed as "exited with
# code 0" and a maxSurge of 99999999999% as a negative number. A number no
# Go type of its field holds fails its object, as client-go's decoding
# does; a percentage past int32 saturates; nothing wraps, and the largest
# honest value still shows as itself.
. "$TOP_SRCDIR/tests/hostile/lib.sh"

hs_start numbers
# No wrapped or defaulted number: no large negative, no exit code 0.
no_wrapped() {
	if grep -En -- '-[0-9]{7,}|code 0\b|ExitCode:0|"exitCode":0\b' "$hs_dir/$1.out"; then
		hs_fail "$1 shows a wrapped or defaulted number"
	fi
}

hs_run get get
hs_expect_status get 0
hs_clean get
no_wrapped get
grep -q 'RollingUpdate: maxSurge 2147483647 ' "$hs_dir/get.out" ||
	hs_fail "maxSurge 99999999999% of 3 is not shown saturated"
grep -q 'exited with code 2147483647' "$hs_dir/get.out" ||
	hs_fail "the largest int32 exit code is not shown as itself"
# x, y and w carry numbers no int32 holds: refused, never shown with another.
if grep -Eq '^ +[xyw] ' "$hs_dir/get.out"; then
	hs_fail "a pod whose exitCode no int32 holds is shown"
fi
grep -q 'deployment default/big' "$hs_dir/get.out" &&
	hs_fail "a deployment of 2147483648 replicas is shown"
# ...and said to be missing, with the reason.
hs_expect_err get '^podscope get: warning: 3 pods refused, not shown: pods .*cannot unmarshal number'
hs_expect_err get '^podscope get: warning: 1 deployments refused, not shown: deployments .*'

hs_run json get -o json
hs_expect_status json 0
hs_clean json
no_wrapped json
grep -q '"maxSurge":2147483647' "$hs_dir/json.out" || hs_fail "-o json: maxSurge not saturated"

for p in x y w; do
	hs_run "pod_$p" get "pod/$p"
	hs_clean "pod_$p"
	no_wrapped "pod_$p"
	[ "$HS_STATUS" != 0 ] || hs_fail "get pod/$p succeeded with an exit code no int32 holds"
	hs_expect_err "pod_$p" 'refused, not shown'
done
hs_run pod_z get pod/z
hs_expect_status pod_z 0
grep -q 'exited with code 2147483647' "$hs_dir/pod_z.out" || hs_fail "get pod/z: not its exit code"
echo "PASS: actions_numbers"
