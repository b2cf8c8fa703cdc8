#!/bin/sh
# Container logs carry whatever a process prints: OSC 0, 52 and 8, CSI 2J,
# 6n and 21t, C1 CSI, BS, CR, bidi and zero-width characters, printed by a
# pod's echo on podscope-sim. podscope logs (pod/NAME, deploy/NAME, -f,
# --timestamps) must show every one escaped: no control byte but \t and \n
# in what it prints, and the escapes there to be seen.
. "$TOP_SRCDIR/tests/integration/get_lib.sh" # start_sim
. "$TOP_SRCDIR/tests/hostile/lib.sh"
. "$TOP_SRCDIR/tests/hostile/text_lib.sh"
trap 'text_stop_bg; it_cleanup; hs_cleanup' EXIT

# YAML escapes: \e ESC, \a BEL, \b BS, \r, \x9b U+009B, \u202e RLO,
# \u2066 LRI, \u200d ZWJ, \u200b ZWSP, \ufeff BOM.
line='T\e]0;pwned-title\a C\e]52;c;ZWNobyBoaQ==\a L\e]8;;http://evil.example/\e\\link\e]8;;\e\\ X\e[2J Q\e[6n W\e[21t K\x9b31m B\bS R\rF I\u202eexe.txt\u2066 Z\u200d\u200b\ufeff'
cat >"$hs_dir/scenario.yaml" <<EOF
apiVersion: apps/v1
kind: Deployment
metadata:
  name: noisy
  namespace: default
spec:
  replicas: 2
  selector:
    matchLabels: {app: noisy}
  template:
    metadata:
      labels: {app: noisy}
    spec:
      containers:
      - name: app
        image: busybox
        command: ["sh", "-c", "echo '$line'; echo plain; sleep 3600"]
---
apiVersion: v1
kind: Pod
metadata:
  name: victim
  namespace: default
spec:
  containers:
  - name: app
    image: busybox
    command: ["sh", "-c", "echo '$line'; echo plain; sleep 3600"]
EOF

start_sim "$hs_dir/scenario.yaml" --speed 40
HS_KUBECONFIG="$dir/kubeconfig"

# shown NAME ARGS...: run podscope logs until the line is in what it printed
# (30 s), then check that the bytes are clean and every escape is there.
shown() {
	name=$1
	shift
	i=0
	while :; do
		hs_run "$name" logs "$@"
		grep -q 'pwned-title' "$hs_dir/$name.out" && break
		i=$((i + 1))
		[ $i -lt 60 ] || hs_fail "$name: no log line after 30 s"
		sleep 0.5
	done
	hs_expect_status "$name" 0
	hs_clean "$name"
	text_shows "$name" '\x1b]0;pwned-title\x07' '\x1b]52;c;' \
		'\x1b]8;;http://evil.example/\x1b\link' '\x1b[2J' '\x1b[6n' '\x1b[21t' \
		'\u009b31m' 'B\x08S' 'R\rF' 'I\u202eexe.txt\u2066' 'Z\u200d\u200b\ufeff'
}
shown pod pod/victim
shown podts pod/victim --timestamps
shown dep deploy/noisy
[ "$(grep -c 'pwned-title' "$hs_dir/dep.out")" -eq 2 ] || hs_fail "deploy/noisy: not both pods"

# -f: the same, from a stream that stays open.
"$PODSCOPE" --kubeconfig "$HS_KUBECONFIG" logs -f deploy/noisy >"$hs_dir/follow.out" \
	2>"$hs_dir/follow.err" &
text_bg=$!
until_ok 30 grep -q 'plain' "$hs_dir/follow.out" || hs_fail "follow: no line"
until_ok 30 test "$(grep -c plain "$hs_dir/follow.out")" -eq 2 || hs_fail "follow: not both pods"
text_stop_bg
hs_clean follow
text_shows follow '\x1b]0;pwned-title\x07' '\u009b31m' 'I\u202eexe.txt\u2066'
echo PASS
