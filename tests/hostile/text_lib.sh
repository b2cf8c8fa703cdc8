# Shared by the text_*.sh tests (sourced after lib.sh): runs checked for
# clean bytes, a watch in the background, JSON that must parse.

text_bg=
text_stop_bg() {
	if [ -n "$text_bg" ]; then
		kill "$text_bg" 2>/dev/null || true
		wait "$text_bg" 2>/dev/null || true
		text_bg=
	fi
}
trap 'text_stop_bg; hs_cleanup' EXIT

# text_runs WANT "NAME ARGS..."...: hs_run each, which must exit WANT and
# print clean bytes.
text_runs() {
	want=$1
	shift
	for run in "$@"; do
		set -- $run
		name=$1
		shift
		hs_run "$name" "$@"
		hs_expect_status "$name" "$want"
		hs_clean "$name"
	done
}

# text_shows NAME TEXT...: NAME's stdout or stderr holds each TEXT (fixed).
text_shows() {
	name=$1
	shift
	for t in "$@"; do
		grep -Fq -e "$t" "$hs_dir/$name.out" "$hs_dir/$name.err" ||
			hs_fail "$name does not show $t"
	done
}

# text_watch NAME COUNT REGEX ARGS...: `podscope watch ARGS` until COUNT
# lines of its stdout match REGEX (60 s), then stop it; its bytes are clean.
text_watch() {
	name=$1 count=$2 re=$3
	shift 3
	"$PODSCOPE" --kubeconfig "$HS_KUBECONFIG" watch "$@" >"$hs_dir/$name.out" \
		2>"$hs_dir/$name.err" &
	text_bg=$!
	i=0
	until [ "$(grep -c -e "$re" "$hs_dir/$name.out")" -ge "$count" ]; do
		kill -0 "$text_bg" 2>/dev/null || hs_fail "$name: watch exited"
		i=$((i + 1))
		[ $i -lt 600 ] || hs_fail "$name: fewer than $count lines /$re/ in 60 s"
		sleep 0.1
	done
	text_stop_bg
	hs_clean "$name"
}

# text_json NAME [lines]: NAME's stdout is one JSON document (or one a line).
text_json() {
	command -v python3 >/dev/null 2>&1 || { echo "SKIP (part): python3 is not installed; $1 was not parsed as JSON"; return 0; }
	python3 - "$hs_dir/$1.out" "${2:-}" <<'PY' || hs_fail "$1 is not JSON"
import json, sys
text = open(sys.argv[1], encoding="utf-8").read()
for doc in text.splitlines() if sys.argv[2] else [text]:
    json.loads(doc)
PY
}
