#!/bin/sh
# The read-only proof. In read-only mode (--readonly; then the sim-readonly
# context, which makes podscope read-only by itself), every key of the action
# table (read from src/ui/actions.h) is pressed in every view, and
# the actions' commands are typed; podscope-sim's request log must then hold
# nothing but GET (and, for the automatic case, the one access review that
# decided it, made before the client became read-only).
. "$TOP_SRCDIR/tests/tui/lib.sh"
H="$TOP_SRCDIR/src/ui/actions.h"
nx=$(grep -c 'X(ACT_' "$H")
allkeys=$(sed -n 's/.*X(ACT_[A-Z_]*, "[a-z-]*", "\([^"]*\)".*/\1/p' "$H" | tr ' ' '\n' | sort -u)
# The views' changing actions with keys (the dialog's confirm opens in none).
mutating=$(sed -n 's/.*X(ACT_[A-Z_]*, "\([a-z-]*\)", "\([^"]*\)", VIEWMASK_[A-Z_]*, true,.*/\1=\2/p' "$H" |
	grep -v '=$' | grep -v '^confirm=')
[ "$(sed -n 's/.*X(ACT_[A-Z_]*, "[a-z-]*", "\([^"]*\)".*/\1/p' "$H" | wc -l)" -eq "$nx" ] ||
	{ echo "FAIL: could not read every action's keys from actions.h"; exit 1; }
[ "$nx" -ge 25 ] && [ -n "$mutating" ] || { echo "FAIL: could not read the action table"; exit 1; }

# A key name of the table as tmux send-keys spells it.
tkey() {
	case $1 in
	Esc) echo Escape ;;
	Backspace) echo BSpace ;;
	PgUp) echo PPage ;;
	PgDn) echo NPage ;;
	*) echo "$1" ;;
	esac
}
reset() {
	keys Escape Escape Escape Escape Escape Escape
}
# goto VIEW: from the overview (after reset).
goto() {
	case $1 in
	overview) ;;
	rollout) keys / w e b Enter Enter ;;
	pod) keys / w e b Enter Enter Enter ;;
	events) keys e ;;
	help) keys '?' ;;
	esac
}
views="overview rollout pod events help"

prove() {
	label=$1
	shift
	start_ui 120 40 -- "$@"
	wait_for 'overview .*\[read-only\]'
	wait_for ' web +Rolling +2/2 '
	# Every key in every view.
	for v in $views; do
		for k in $allkeys; do
			[ "$k" = q ] && continue
			reset
			goto "$v"
			keys -- "$(tkey "$k")"
		done
	done
	# Each changing action's keys where it applies answer "read-only".
	for m in $mutating; do
		name=${m%%=*}
		for k in ${m#*=}; do
			for v in overview rollout pod; do
				[ "$v" = pod ] && [ "$name" != delete-pod ] && continue
				reset
				wait_for ' overview '
				goto "$v"
				wait_for "^ podscope . $v "
				keys -- "$(tkey "$k")"
				wait_for "read-only: $name would change the cluster"
				keys x
				wait_for 'x does nothing here'
			done
		done
	done
	# And by command.
	reset
	keys : s w i t c h Space s h o p Space g r e e n Enter
	wait_for 'read-only: switch-service would change the cluster'
	keys : r e s t a r t Enter
	keys q
	wait_for '^EXITED 0$'
	tm kill-session -t t
	others=$(grep -v ' GET ' "$work/req.log" |
		grep -v ' POST /apis/authorization.k8s.io/v1/selfsubjectaccessreviews ' || true)
	if [ -n "$others" ]; then
		echo "FAIL ($label): read-only podscope sent requests other than GET:"
		echo "$others"
		exit 1
	fi
	echo "ok: $label: $(grep -c ' GET ' "$work/req.log") GET requests, nothing else"
}

start_sim "$FIXTURES/actions.yaml" --request-log "$work/req.log"
prove --readonly --readonly
reviews=$(grep -c selfsubjectaccessreviews "$work/req.log" || true)
[ "$reviews" -eq 0 ] || { echo "FAIL: --readonly still made an access review"; exit 1; }
: >"$work/req.log"
prove sim-readonly --context sim-readonly
reviews=$(grep -c selfsubjectaccessreviews "$work/req.log" || true)
[ "$reviews" -eq 1 ] || { echo "FAIL: $reviews access reviews for sim-readonly, wanted 1"; exit 1; }
pass readonly
