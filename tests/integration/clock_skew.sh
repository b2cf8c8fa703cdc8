#!/bin/sh
# The API server's clock 5 minutes ahead of ours, then 5 minutes behind
# (podscope-sim --clock-skew): the real kubectl, computing ages on the
# client (--server-print=false), prints "<invalid>" for a fresh pod ahead
# and "5m" behind, which proves the skew; podscope get prints the age the
# server's own clock gives (the server-side AGE column), seconds, and never
# "<invalid>", with a note of the skew on stderr.
set -u

. "${TOP_SRCDIR:-.}/tests/integration/lib.sh"
it_init clock_skew.sh kubectl

# secs AGE: "7s" -> 7; anything else -> 99999.
secs() {
	case $1 in
	*[!0-9s]* | "" | s) echo 99999 ;;
	*s) echo "${1%s}" ;;
	*) echo 99999 ;;
	esac
}

server_age() {
	k get pod "$pod" --no-headers 2>/dev/null | awk '{print $5}'
}

old_enough() {
	[ "$(secs "$(server_age)")" -ge 3 ] && [ "$(secs "$(server_age)")" -lt 99999 ]
}

running() {
	k get pods -l app=web --no-headers 2>/dev/null | grep -q ' Running '
}

for skew in 5m -5m; do
	sim_start --tls --clock-skew "$skew"
	k create deploy web --image=nginx >"$dir/out.create" 2>&1 || fail "create deploy"
	wait_for "skew $skew: a pod running" 30 running
	pod=$(k get pods -l app=web -o name | head -1)
	pod=${pod#pod/}
	wait_for "skew $skew: the pod 3 s old on the server" 30 old_enough

	# kubectl on the client's clock: proof that the clocks differ.
	k get pod "$pod" --server-print=false --no-headers >"$dir/out.kc" 2>&1 || fail "kubectl"
	case $skew in
	5m) grep -q '<invalid>' "$dir/out.kc" || fail "skew $skew: kubectl shows no <invalid>: $(cat "$dir/out.kc")" ;;
	*) grep -Eq ' (4m[0-9]*s|5m[0-9]*s?)$' "$dir/out.kc" || fail "skew $skew: kubectl not 5m: $(cat "$dir/out.kc")" ;;
	esac

	srv=$(secs "$(server_age)")
	ps_ get "pod/$pod" >"$dir/out.pod" 2>"$dir/err.pod" || fail "skew $skew: podscope get pod/$pod"
	ps_ get >"$dir/out.get" 2>"$dir/err.get" || fail "skew $skew: podscope get"
	srv2=$(secs "$(server_age)")
	age=$(sed -n '1s/.*, age \([^,]*\),.*/\1/p' "$dir/out.pod")
	a=$(secs "$age")
	[ "$a" -ge $((srv - 2)) ] && [ "$a" -le $((srv2 + 2)) ] ||
		fail "skew $skew: podscope says age $age, the server ${srv}s..${srv2}s"
	row=$(grep -F "$pod" "$dir/out.get" | awk '{print $5}')
	a=$(secs "$row")
	[ "$a" -ge $((srv - 2)) ] && [ "$a" -le $((srv2 + 2)) ] ||
		fail "skew $skew: podscope get's AGE $row, the server ${srv}s..${srv2}s"
	case $skew in
	5m) note='server clock \+(4m59s|5m0s|5m1s) from this machine' ;;
	*) note='server clock -(4m59s|5m0s|5m1s) from this machine' ;;
	esac
	grep -Eq "^podscope get: $note" "$dir/err.get" || fail "skew $skew: no note on stderr"
	if grep -q 'invalid>' "$dir/out.pod" "$dir/out.get"; then
		fail "skew $skew: podscope printed <invalid>"
	fi
	sim_stop
done
exit 0
