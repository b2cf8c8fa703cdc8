#!/bin/sh
# Issue 10, High: a container's termination message on podscope-sim carries
# every sequence a workload can write to /dev/termination-log (OSC 0, 52
# and 8, CSI 2J, 6n and 21t, C1 CSI, BS, CR, LF, bidi and zero-width
# characters). get (text, wide, pod/NAME, json), wait and watch (text,
# jsonl) must show it escaped: no control byte but \t and \n in what they
# print, and the escapes there to be seen.
. "$TOP_SRCDIR/tests/integration/get_lib.sh" # start_sim
. "$TOP_SRCDIR/tests/hostile/lib.sh"
. "$TOP_SRCDIR/tests/hostile/text_lib.sh"
trap 'text_stop_bg; it_cleanup; hs_cleanup' EXIT

# YAML escapes: \e ESC, \a BEL, \b BS, \r, \n, \x9b U+009B, \u202e RLO,
# \u2066 LRI, \u200d ZWJ, \u200b ZWSP, \ufeff BOM.
msg='"T\e]0;pwned-title\a C\e]52;c;ZWNobyBoaQ==\a L\e]8;;http://evil.example/\e\\link\e]8;;\e\\ X\e[2J Q\e[6n W\e[21t K\x9b31m B\bS R\rF N\nfake-line I\u202eexe.txt\u2066 Z\u200d\u200b\ufeff"'
anns="annotations:
    sim.podscope.dev/crash-after: \"0.2s\"
    sim.podscope.dev/exit-code: \"3\"
    sim.podscope.dev/termination-message: $msg"
tmpl_anns=$(printf '%s\n' "$anns" | sed '2,$s/^/    /')
cat >"$hs_dir/scenario.yaml" <<EOF
apiVersion: apps/v1
kind: Deployment
metadata:
  name: hostile
  namespace: default
spec:
  replicas: 1
  progressDeadlineSeconds: 3600
  selector:
    matchLabels: {app: hostile}
  template:
    metadata:
      labels: {app: hostile}
      $tmpl_anns
    spec:
      containers:
      - name: app
        image: busybox
---
apiVersion: v1
kind: Pod
metadata:
  name: victim
  namespace: default
  $anns
spec:
  containers:
  - name: app
    image: busybox
EOF

start_sim "$hs_dir/scenario.yaml" --speed 40
HS_KUBECONFIG="$dir/kubeconfig"

# shown NAME ESCAPED ARGS...: run podscope until the message is in what it
# printed (30 s; it comes with the first crash), then check that the bytes
# are clean and that the message is there escaped.
shown() {
	name=$1 pat=$2
	shift 2
	i=0
	while :; do
		hs_run "$name" "$@"
		grep -q 'pwned-title' "$hs_dir/$name.out" && break
		i=$((i + 1))
		[ $i -lt 60 ] || hs_fail "$name: no termination message after 30 s"
		sleep 0.5
	done
	hs_expect_status "$name" 0
	hs_clean "$name"
	text_shows "$name" "$pat"
}
shown pod '\x1b]0;pwned-title\x07' get pod/victim
# (The lifecycle's one-line reason turns CR, LF and tab into spaces.)
text_shows pod '\x1b]52;c;' '\x1b]8;;http://evil.example/\x1b\link' '\x1b[2J' '\x1b[6n' \
	'\x1b[21t' '\u009b31m' 'B\x08S' 'R F' 'N fake-line' 'I\u202eexe.txt\u2066' \
	'Z\u200d\u200b\ufeff'

shown get '\x1b]52;c;' get
shown wide '\x1b]52;c;' get -o wide
shown dep '\x1b]52;c;' get deploy/hostile
# JSON keeps the text (as \u escapes, so the bytes are clean) and stays JSON.
shown json '\u001b]52;c;' get -o json
text_shows json '\u009b31m' '\u202eexe.txt\u2066'
text_json json
shown podjson '\u001b]0;pwned-title\u0007' get pod/victim -o json

# wait: the new pod crash-loops, wait says why, with the message, and fails.
text_runs 1 "wait wait deploy/hostile --timeout 60s"
text_shows wait '\x1b]52;c;'

# watch: each crash is a line; run until one carries the message.
text_watch watch 1 pwned-title -o text
text_shows watch '\x1b]52;c;'
# A name or message cannot start a line of its own: every line is an event.
if grep -v '^[0-9-]*T[0-9:.]*Z ' "$hs_dir/watch.out" | grep -q .; then
	hs_fail "watch -o text printed a line that is not an event"
fi
text_watch jsonl 1 pwned-title -o jsonl
text_shows jsonl '\u001b]52;c;' '\u009b31m'
text_json jsonl lines
echo PASS
