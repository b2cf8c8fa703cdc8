#!/bin/sh
# Issue 10, High: a hostile API server's names, messages, reasons, images,
# nodes, errors and gitVersion, and a kubeconfig's hostile names, reach no
# terminal as control bytes through any headless command; the text is still
# there, escaped. Also: `version` fails on an answer that is no version,
# and no password of a server URL is shown (Low, "Passwords in URLs").
. "$TOP_SRCDIR/tests/hostile/lib.sh"
. "$TOP_SRCDIR/tests/hostile/text_lib.sh"

hs_start text_objects
text_runs 0 "get get" "wide get -o wide" "pod get pod/victim" "dep get deploy/web" \
	"wait wait deploy/web --timeout 30s" "version version"
text_shows get '\x1b]0;pwned-title\x07' '\u009b31m' '\u009b32m' '\x9b33m' 'B\x08S' 'R F' \
	'I\u202eexe.txt\u2066' 'Z\u200d\u200b\ufeff' 'bad\xff\xfe' 'web-\x1b[21t\u009b5d8f\u200b' \
	'evil\x1b]0;pwned-title\x07\r\n2026-01-01T00:00:00Z Pod default/forged' \
	'job\x1b]0;t\x07\r\n2026-01-01T00:00:00Z' 'revision 7\x1b[2J'
text_shows wide 'busybox\x1b]0;img\x07\u202e' 'node\x1b[6n\r\n' '10.0.0.1\x1b[6n'
text_shows pod 'node node\x1b[6n\r\n' 'ip 10.0.0.1\x1b[6n' 'container app\x1b[2J'
text_shows wait 'web-\x1b[21t\u009b5d8f\u200b'
text_shows version 'v1.30.0\x1b]0;pwned-title\x07\x1b[2J\u009b\u009b\r\nforged\u202e\xff'
# No name starts a line of its own.
for name in get wide pod dep wait; do
	if grep -q '^2026-01-01T00:00:00Z' "$hs_dir/$name.out"; then
		hs_fail "$name: a name forged a line"
	fi
done

text_runs 0 "json get -o json" "podjson get pod/victim -o json" "versionj version -o json"
for name in json podjson versionj; do
	text_json $name
done
text_shows json '\u001b]0;pwned-title\u0007' '\u009b31m' '\u009b32m' '\ufffd33m' \
	'I\u202eexe.txt\u2066' 'Z\u200d\u200b\ufeff' 'bad\ufffd\ufffd'
text_shows versionj 'v1.30.0\u001b]0;pwned-title'

# watch: each new pod is a line, however its name tries to make two.
text_watch watch 3 'new[0-9]' -o text
if grep -v '^[0-9-]*T[0-9:.]*Z Pod default/new' "$hs_dir/watch.out" | grep -q .; then
	hs_fail "watch -o text printed a line that is not an event"
fi
text_shows watch '\r\n2026-01-01T00:00:00Z Pod default/forged Running -> deleted (new) -> '
text_watch jsonl 3 'new[0-9]' -o jsonl
text_json jsonl lines

# Errors: the server's message is shown, escaped.
hs_start text_errors
text_runs 1 "err get"
# (The Status reader already turns C0 controls into spaces.)
text_shows err 'etcd is down: ' 'pwned-title' '\u009b31m' 'I\u202eexe.txt'

# An answer to /version that is no version (HTML, no gitVersion, a redirect)
# is a failure, not "unknown".
for sc in text_version_html text_version_empty text_version_redirect; do
	hs_start $sc
	text_runs 1 "$sc version"
	hs_expect_err $sc 'gitVersion|redirect'
	! grep -q unknown "$hs_dir/$sc.out" || hs_fail "$sc: version printed unknown"
done

# A kubeconfig's hostile names (YAML escapes: \e ESC, \a BEL, \x9b U+009B,
# \u202e RLO) and a password in the server's URL.
hs_start text_objects
kc="$hs_dir/hostile-kubeconfig"
cat >"$kc" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: "clu\e]0;pwned-title\a\x9b2J\u202e"
  cluster:
    server: http://admin:s3cr3t-pw@127.0.0.1:$HS_PORT
contexts:
- name: "ctx\e]52;c;ZWNobw==\a\r\nforged\u200d"
  context:
    cluster: "clu\e]0;pwned-title\a\x9b2J\u202e"
    user: "usr\e[6n"
    namespace: default
- name: dangling
  context:
    cluster: "gone\e[21t\u2066"
    user: "usr\e[6n"
users:
- name: "usr\e[6n"
  user: {}
current-context: "ctx\e]52;c;ZWNobw==\a\r\nforged\u200d"
EOF
HS_KUBECONFIG=$kc
text_runs 0 "config config" "configj config -o json" "kcversion version"
for name in config configj kcversion; do
	! grep -q s3cr3t "$hs_dir/$name.out" "$hs_dir/$name.err" ||
		hs_fail "$name shows the server's password"
done
text_shows config 'ctx\x1b]52;c;ZWNobw==\x07\r\nforged\u200d' 'clu\x1b]0;pwned-title\x07\u009b2J\u202e' \
	'usr\x1b[6n' "http://127.0.0.1:$HS_PORT"
text_shows configj 'ctx\u001b]52;c;ZWNobw==\u0007\r\nforged\u200d' "\"http://127.0.0.1:$HS_PORT\""
text_json configj
text_shows kcversion "(http://127.0.0.1:$HS_PORT)"
# The names in errors: a context to a missing cluster, a missing context.
text_runs 2 "dangling --context dangling get"
text_shows dangling 'gone\x1b[21t\u2066'
hs_run nocontext --context "$(printf 'nope\033]0;pwned-title\007\342\200\256')" config
hs_expect_status nocontext 2
hs_clean nocontext
text_shows nocontext 'nope\x1b]0;pwned-title\x07\u202e'
echo PASS
