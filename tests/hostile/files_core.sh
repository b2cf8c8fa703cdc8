#!/bin/sh
# podscope holds tokens and keys: it is not dumpable and has no core limit
# unless PODSCOPE_ALLOW_CORE=1. Checked on a podscope that is running (held
# by an exec credential plugin that does not answer): its core limit in
# /proc/PID/limits, and its dumpable flag through the owner of
# /proc/PID/environ, which the kernel makes root for a process that is not
# dumpable. As root, podscope runs as nobody (setpriv) so that the two
# owners differ.
. "$TOP_SRCDIR/tests/hostile/lib.sh"

pub=$(mktemp -d "${TMPDIR:-/tmp}/podscope-core.XXXXXX")
trap 'rm -rf "$pub"; hs_cleanup' EXIT
mkdir "$pub/w"
chmod 755 "$pub"
chmod 777 "$pub/w"
cat >"$pub/plugin.sh" <<EOS
#!/bin/sh
echo \$\$ >"$pub/w/started.tmp"
mv "$pub/w/started.tmp" "$pub/w/started"
exec sleep 30
EOS
chmod 755 "$pub/plugin.sh"
cat >"$pub/kubeconfig" <<EOS
apiVersion: v1
kind: Config
current-context: c
clusters:
- name: c
  cluster: {server: "https://127.0.0.1:1", insecure-skip-tls-verify: true}
contexts:
- name: c
  context: {cluster: c, user: u}
users:
- name: u
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1
      command: $pub/plugin.sh
      interactiveMode: Never
EOS
chmod 644 "$pub/kubeconfig"

as=""
runner=$(id -u)
if [ "$runner" = 0 ]; then
	if ! command -v setpriv >/dev/null; then
		echo "SKIP: running as root without setpriv, the dumpable flag cannot be seen"
		exit 77
	fi
	as="setpriv --reuid=65534 --regid=65534 --clear-groups"
	runner=65534
fi
# Core files allowed as far as the hard limit goes, so that 0 is podscope's
# (AddressSanitizer would set 0 itself).
ulimit -c "$(ulimit -H -c)" 2>/dev/null || true
export ASAN_OPTIONS="$ASAN_OPTIONS:disable_coredump=0"
shell_core=$(ulimit -c)

# probe NAME [VAR=value]: starts podscope, sets CORE (its soft core limit)
# and OWNER (the owner of /proc/PID/environ), stops it.
probe() {
	rm -f "$pub/w/started"
	# shellcheck disable=SC2086
	env $2 $as "$PODSCOPE" --kubeconfig "$pub/kubeconfig" get >"$hs_dir/$1.out" \
		2>"$hs_dir/$1.err" &
	pid=$!
	i=0
	until [ -f "$pub/w/started" ]; do
		kill -0 "$pid" 2>/dev/null || hs_fail "$1: podscope ended before its plugin ran"
		i=$((i + 1))
		[ $i -lt 300 ] || hs_fail "$1: the plugin did not start in 30 s"
		sleep 0.1
	done
	CORE=$(sed -n 's/^Max core file size *\([^ ]*\).*/\1/p' "/proc/$pid/limits")
	OWNER=$(stat -c %u "/proc/$pid/environ")
	kill "$pid" "$(cat "$pub/w/started")" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	echo "$1: core limit $CORE, /proc/$pid/environ owned by $OWNER"
}

probe default ""
[ "$CORE" = 0 ] || hs_fail "default: core limit $CORE, want 0"
[ "$OWNER" = 0 ] || hs_fail "default: /proc/PID/environ owned by $OWNER: podscope is dumpable"
probe allowed PODSCOPE_ALLOW_CORE=1
[ "$OWNER" = "$runner" ] || hs_fail "allowed: /proc/PID/environ owned by $OWNER, want $runner"
if [ "$shell_core" != 0 ]; then
	[ "$CORE" != 0 ] || hs_fail "allowed: core limit still 0"
fi
echo "PASS"
