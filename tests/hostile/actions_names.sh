#!/bin/sh
# issue 10, "Object names are not escaped in action URLs": a hostile server
# lists a pod named victim2/../../../kube-system/pods/coredns and plays
# along with whatever follows. d then y on it in the dashboard must be
# refused with client-go's words, and no request may reach any path but
# the lists and watches of the namespace shown: no GET of a bent path, no
# DELETE at all, nothing in the audit log.
. "$TOP_SRCDIR/tests/tui/lib.sh"
tui_cleanup() { cleanup; }
. "$TOP_SRCDIR/tests/hostile/lib.sh"
trap 'tui_cleanup; hs_cleanup' EXIT

hs_start path_names
cp "$HS_KUBECONFIG" "$work/kc"
export XDG_STATE_HOME="$hs_dir/state"
start_ui 140 30 "PODSCOPE_SCREEN_FILE=$work/screen.txt" --
wait_for 'victim2/\.\./\.\./\.\./kube-system'
keys G
wait_for '^▶ Pod +● victim2/'
keys d
wait_for 'invalid resource name|Confirm delete-pod'
if grep -q 'Confirm delete-pod' "$work/screen"; then
	# The bug: a plan was made; y sends it. Show what the server got.
	keys y
	i=0
	until grep -q '^DELETE' "$hs_dir/requests.log" || [ $i -ge 100 ]; do
		i=$((i + 1))
		sleep 0.1
	done
	hs_fail "a plan was made for the hostile name; the server got: $(grep -v 'watch=1' "$hs_dir/requests.log")"
fi
grep -q 'invalid resource name "victim2/\.\./\.\./\.\./kube-system/pods/coredns": a lowercase RFC 1123 subdomain must' \
	"$work/screen" || hs_fail "the refusal is not kubectl's: $(tail -n 2 "$work/screen")"
# y now must do nothing; W after it proves y was handled before the screen is saved.
keys y W
i=0
until [ -s "$work/screen.txt" ]; do
	i=$((i + 1))
	[ $i -lt 200 ] || hs_fail "W did not save the screen"
	sleep 0.1
done
keys q
wait_for '^EXITED 0$'

# The lists and watches of namespace default (the blockers' policy/v1 and
# autoscaling/v2 kinds too), the nodes (cluster-scoped, for the DaemonSet
# view) and the access review: nothing else, above all no path a hostile
# name walked elsewhere.
if grep -Ev '^GET /api(s/(apps|batch|policy))?/v1/namespaces/default/[a-z]+\?|^GET /apis/autoscaling/v2/namespaces/default/[a-z]+\?|^GET /api/v1/nodes\?|^POST /apis/authorization.k8s.io/v1/selfsubjectaccessreviews$' \
	"$hs_dir/requests.log" >"$hs_dir/other.log"; then
	hs_fail "requests beyond the lists of namespace default: $(cat "$hs_dir/other.log")"
fi
grep -q '^GET /api/v1/namespaces/default/pods?' "$hs_dir/requests.log" ||
	hs_fail "the pods were never listed: the test proves nothing"
[ ! -e "$XDG_STATE_HOME/podscope/audit.log" ] ||
	hs_fail "the audit log has a line for an action never sent: $(cat "$XDG_STATE_HOME/podscope/audit.log")"
echo "PASS: actions_names"
