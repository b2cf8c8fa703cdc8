#!/bin/sh
# A flag of one command given to another is refused (exit 2) with a line
# that names the flag and where it belongs, before anything is loaded; the
# same flag where it belongs passes the check (the command then fails on
# its own account: no kubeconfig, no recording).
. "${TOP_SRCDIR:-.}/tests/integration/get_lib.sh"
export KUBECONFIG="$dir/no-such-kubeconfig"
# (expect_rc sets name and want: these have their own.)
refused() {
	r_name=$1
	r_line=$2
	shift 2
	expect_rc 2 "$r_name" "$PODSCOPE" "$@"
	grep -q -- "$r_line" "$dir/err.$r_name" || fail "$r_name: $(cat "$dir/err.$r_name")"
}
refused speed 'podscope get: --speed is for replay FILE' get --speed 3
refused audit 'podscope watch: --audit is for report' watch --audit "$dir/a"
refused fleet 'podscope: --fleet is for --demo' --fleet
refused record 'podscope wait: --record is for the dashboard' wait deploy/x --record "$dir/r"
refused settle 'podscope get: --settle is for wait' get --settle 5s
refused at 'podscope record: --at is for replay' record --at +5s
refused duration 'podscope get: --duration is for record' get --duration 5s
refused ctxs 'podscope replay: --contexts is for the dashboard, get, wait and watch' \
	replay "$dir/x.rec" --contexts 'prod-.*'
refused allctx 'podscope report: --all-contexts is for the dashboard, get, wait and watch' \
	report "$dir/x.rec" -o "$dir/x.html" --all-contexts
[ ! -e "$dir/r" ] || fail "wait --record made a file"
# Where they belong, the check lets them through.
expect_rc 1 audit_ok "$PODSCOPE" report "$dir/x.rec" -o "$dir/x.html" --audit "$dir/a"
grep -q 'cannot read recording' "$dir/err.audit_ok" || fail "audit_ok: $(cat "$dir/err.audit_ok")"
expect_rc 2 settle_ok "$PODSCOPE" wait deploy/x --settle 5s
grep -q 'no kubeconfig found' "$dir/err.settle_ok" || fail "settle_ok: $(cat "$dir/err.settle_ok")"
expect_rc 2 ctx_ok "$PODSCOPE" get --contexts 'prod-.*'
grep -q 'no kubeconfig found\|no context matches' "$dir/err.ctx_ok" || fail "ctx_ok: $(cat "$dir/err.ctx_ok")"
echo "PASS: flag_scope.sh"
