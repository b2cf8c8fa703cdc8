#!/bin/sh
# `podscope config -o json` against the real kubectl, on the kubeconfig
# fixtures, on $KUBECONFIG merges of them, and on randomly generated merges
# (seeded; the seed is printed: KC_SEED=N reproduces a run, KC_ROUNDS=N sets
# how many). Both must agree on context, cluster, server, namespace and user,
# or both must refuse the configuration.
#
# kubectl's side: `kubectl config view --minify` resolves the context the way
# kubectl does (its namespace, when absent, is "default"; a context with no
# cluster or a cluster with no server counts as refused, since kubectl could
# only fall back to http://localhost:8080 there). `config view` ignores
# --cluster, --user and -n, so with those flags the expectation is computed
# from kubectl's merged view (`config view -o jsonpath`): the flag replaces
# the context's choice, as in client-go. kubectl prints the server as
# written; the URL it connects to follows client-go's DefaultServerURL (no
# scheme: http://) without a trailing slash, which is what podscope reports,
# so kubectl's side is put in that form. No python or jq is needed.

set -u

KUBECTL=${KUBECTL:-$(command -v kubectl 2>/dev/null || true)}
if [ -z "$KUBECTL" ] || [ ! -x "$KUBECTL" ]; then
	echo "SKIP: kubectl is not installed, so podscope config cannot be compared with it"
	exit 77
fi
: "${PODSCOPE:?PODSCOPE must name the podscope binary}"
TOP_SRCDIR=${TOP_SRCDIR:-.}
FX=$TOP_SRCDIR/tests/fixtures/kubeconfig

tmp=$(mktemp -d "${TMPDIR:-/tmp}/podscope-kc-XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT HUP INT TERM
mkdir -p "$tmp/home"
HOME=$tmp/home
export HOME
unset KUBERNETES_SERVICE_HOST KUBERNETES_SERVICE_PORT POD_NAMESPACE PODSCOPE_INCLUSTER_DIR

checks=0
failures=0

# The value of a string key in podscope's one-line JSON object.
json_get() {
	printf '%s\n' "$1" | sed -n "s/.*\"$2\":\"\([^\"]*\)\".*/\1/p"
}

# podscope's answer for the flags given: "ctx|cluster|server|user|ns" or ERR.
podscope_says() {
	out=$("$PODSCOPE" "$@" config -o json 2>"$tmp/podscope.err")
	rc=$?
	if [ $rc -eq 2 ]; then
		echo ERR
		return
	fi
	if [ $rc -ne 0 ]; then
		echo "CRASH($rc): $(cat "$tmp/podscope.err")"
		return
	fi
	printf '%s|%s|%s|%s|%s\n' "$(json_get "$out" context)" "$(json_get "$out" cluster)" \
		"$(json_get "$out" server)" "$(json_get "$out" user)" "$(json_get "$out" namespace)"
}

# kubectl's answers as "|"-separated fields, through jsonpath templates.
MINIFY_PATH='{.current-context}|{.contexts[0].context.cluster}|{.clusters[0].cluster.server}'
MINIFY_PATH=$MINIFY_PATH'|{.contexts[0].context.user}|{.contexts[0].context.namespace}'
VIEW_PATH='{"cur|"}{.current-context}{"\n"}'
VIEW_PATH=$VIEW_PATH'{range .contexts[*]}{"ctx|"}{.name}{"|"}{.context.cluster}{"|"}'
VIEW_PATH=$VIEW_PATH'{.context.user}{"|"}{.context.namespace}{"\n"}{end}'
VIEW_PATH=$VIEW_PATH'{range .clusters[*]}{"cl|"}{.name}{"|"}{.cluster.server}{"\n"}{end}'
VIEW_PATH=$VIEW_PATH'{range .users[*]}{"u|"}{.name}{"\n"}{end}'

# client-go's DefaultServerURL, as an awk function.
AWK_NORM='function norm(s) {
	if (s !~ /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^\/]/) s = "http://" s
	while (s ~ /[^\/]\/+$/ || s ~ /:\/\/[^\/]+\/$/) sub(/\/$/, "", s)
	return s
}
'

# kubectl's answer through --minify (only --context and --kubeconfig apply).
kubectl_minify() {
	out=$("$KUBECTL" "$@" config view --minify -o "jsonpath=$MINIFY_PATH" 2>/dev/null) || {
		echo ERR
		return
	}
	printf '%s\n' "$out" | awk -F'|' "$AWK_NORM"'{
		if ($2 == "" || $3 == "") { print "ERR"; exit }
		$3 = norm($3)
		if ($5 == "") $5 = "default"
		print $1 "|" $2 "|" $3 "|" $4 "|" $5 }'
}

# kubectl's merged view, one line per entry, for the flag cases.
kubectl_view() {
	"$KUBECTL" "$@" config view -o "jsonpath=$VIEW_PATH" >"$tmp/view" 2>/dev/null ||
		: >"$tmp/view"
}

# Resolve --context/--cluster/--user/-n over kubectl's merged view.
kubectl_expect() {
	awk -F'|' -v fctx="$1" -v fcl="$2" -v fu="$3" -v fns="$4" "$AWK_NORM"'
	$1 == "cur" { cur = $2 }
	$1 == "ctx" { hasctx[$2] = 1; ccl[$2] = $3; cu[$2] = $4; cns[$2] = $5 }
	$1 == "cl" { hascl[$2] = 1; srv[$2] = $3 }
	$1 == "u" { hasu[$2] = 1 }
	END {
		ctx = fctx != "" ? fctx : cur
		if (ctx == "" && fcl == "") { print "ERR"; exit }
		if (ctx != "" && !(ctx in hasctx)) { print "ERR"; exit }
		cl = fcl != "" ? fcl : ccl[ctx]
		if (cl == "" || !(cl in hascl) || srv[cl] == "") { print "ERR"; exit }
		u = fu != "" ? fu : cu[ctx]
		if (u != "" && !(u in hasu)) { print "ERR"; exit }
		ns = fns != "" ? fns : cns[ctx]
		if (ns == "") ns = "default"
		print ctx "|" cl "|" norm(srv[cl]) "|" u "|" ns
	}' "$tmp/view"
}

# compare WHAT KUBECTL_ANSWER PODSCOPE_ANSWER
compare() {
	checks=$((checks + 1))
	if [ "$2" != "$3" ]; then
		failures=$((failures + 1))
		echo "FAIL: $1"
		echo "  kubectl:  $2"
		echo "  podscope: $3"
	fi
}

# Every context of the config selected by the environment and "$@", with no
# flags, and with each context named by --context.
check_config() {
	label=$1
	shift
	compare "$label (current-context)" "$(kubectl_minify "$@")" "$(podscope_says "$@")"
	for ctx in $("$KUBECTL" "$@" config get-contexts -o name 2>/dev/null) no-such-context; do
		compare "$label --context $ctx" "$(kubectl_minify "$@" --context "$ctx")" \
			"$(podscope_says "$@" --context "$ctx")"
	done
}

# check_flags LABEL CTX CLUSTER USER NS [--kubeconfig FILE]
check_flags() {
	label=$1 c=$2 cl=$3 u=$4 ns=$5
	shift 5
	kubectl_view "$@"
	[ -n "$c" ] && set -- "$@" --context "$c"
	[ -n "$cl" ] && set -- "$@" --cluster "$cl"
	[ -n "$u" ] && set -- "$@" --user "$u"
	[ -n "$ns" ] && set -- "$@" -n "$ns"
	compare "$label $*" "$(kubectl_expect "$c" "$cl" "$u" "$ns")" "$(podscope_says "$@")"
}

# 1. The fixtures, one file at a time.
unset KUBECONFIG
for f in full.yaml kubeconfig.json a/config b/config c.yaml errors/no-current.yaml; do
	check_config "$f" --kubeconfig "$FX/$f"
done
check_flags "full.yaml" files insecure basic team-z --kubeconfig "$FX/full.yaml"
check_flags "full.yaml" "" data "" "" --kubeconfig "$FX/full.yaml"
check_flags "full.yaml" token "" nouser "" --kubeconfig "$FX/full.yaml"

# 2. $KUBECONFIG merges of the fixtures, in several orders.
A=$FX/a/config B=$FX/b/config C=$FX/c.yaml F=$FX/full.yaml
for list in "$A:$B:$C" "$C:$A:$B" "$B:$A" "$A:$C" "$C:$B:$A" "$F:$A:$B" \
	":$tmp/missing:$B::$A:$B"; do
	KUBECONFIG=$list
	export KUBECONFIG
	check_config "KUBECONFIG=$list"
	check_flags "KUBECONFIG=$list" shared only-b "" ""
	check_flags "KUBECONFIG=$list" ctx-a "" shared x
done
# --kubeconfig wins over $KUBECONFIG: no merge.
KUBECONFIG=$A:$B
export KUBECONFIG
check_config "KUBECONFIG=a:b and" --kubeconfig "$F"
unset KUBECONFIG

# 3. Random merges: files with overlapping names, each entry's server
# telling which file it came from, so a wrong winner shows.
seed=${KC_SEED:-$(date +%s)}
rounds=${KC_ROUNDS:-30}
echo "random merges: KC_SEED=$seed KC_ROUNDS=$rounds"
gen() {
	# gen SEED DIR: writes DIR/f*/config and prints the KUBECONFIG list.
	awk -v seed="$1" -v dir="$2" 'function pick(n) { return int(rand() * n) }
	function maybe(p) { return rand() < p }
	BEGIN {
		srand(seed)
		nf = 1 + pick(4)
		list = ""
		for (f = 0; f < nf; f++) {
			d = dir "/f" f
			system("mkdir -p \"" d "\"")
			path = d "/config"
			if (maybe(0.08)) {
				printf "" > path
			} else {
				print "apiVersion: v1\nkind: Config" > path
				if (maybe(0.5))
					print "current-context: " (maybe(0.15) ? "\"\"" : "x" pick(6)) > path
				print "clusters:" > path
				for (i = 0; i < 4; i++) if (maybe(0.5)) {
					print "- name: c" i "\n  cluster:" > path
					if (!maybe(0.05))
						print "    server: https://f" f "-c" i ".example:" 6443 + i > path
					if (maybe(0.3))
						print "    insecure-skip-tls-verify: true" > path
				}
				print "contexts:" > path
				for (i = 0; i < 5; i++) if (maybe(0.5)) {
					print "- name: x" i "\n  context:" > path
					if (!maybe(0.08))
						print "    cluster: c" pick(5) > path
					if (maybe(0.8))
						print "    user: u" pick(4) > path
					if (maybe(0.5))
						print "    namespace: ns-f" f "-x" i > path
				}
				print "users:" > path
				for (i = 0; i < 3; i++) if (maybe(0.5))
					print "- name: u" i "\n  user:\n    token: t-f" f "-u" i > path
			}
			close(path)
			e = path
			if (maybe(0.1)) e = dir "/missing" f ":" path
			if (maybe(0.1)) e = e ":" path
			list = list (f ? ":" : "") e
		}
		if (maybe(0.1)) list = list "::"
		print list
	}'
}
round=0
while [ "$round" -lt "$rounds" ]; do
	rdir=$tmp/r$round
	mkdir -p "$rdir"
	rseed=$((seed + round))
	KUBECONFIG=$(gen "$rseed" "$rdir")
	export KUBECONFIG
	before=$failures
	check_config "random[$rseed]"
	set -- $(awk -v s="$rseed" 'BEGIN { srand(s * 7 + 3)
		c = rand() < 0.7 ? "x" int(rand() * 6) : "-"
		l = rand() < 0.6 ? "c" int(rand() * 5) : "-"
		u = rand() < 0.6 ? "u" int(rand() * 4) : "-"
		n = rand() < 0.4 ? "ns-flag" : "-"
		print c, l, u, n }')
	fc=$1 fl=$2 fu=$3 fn=$4
	[ "$fc" = - ] && fc=
	[ "$fl" = - ] && fl=
	[ "$fu" = - ] && fu=
	[ "$fn" = - ] && fn=
	check_flags "random[$rseed]" "$fc" "$fl" "$fu" "$fn"
	if [ "$failures" -ne "$before" ]; then
		echo "  (KUBECONFIG=$KUBECONFIG)"
		for f in "$rdir"/f*/config; do
			echo "  --- $f"
			sed 's/^/  | /' "$f"
		done
	fi
	round=$((round + 1))
done
unset KUBECONFIG

echo "config_vs_kubectl: $checks checks, $failures failures (KC_SEED=$seed)"
[ "$failures" -eq 0 ]
