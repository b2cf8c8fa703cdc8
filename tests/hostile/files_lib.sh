# Shared by tests/hostile/files_*.sh (sourced after lib.sh): hostile files
# written on the fly, and podscope's dashboard on a pseudo-terminal.

# The 536-byte kubeconfig of issue 10: nested anchors, 10^6 strings of 8
# bytes once expanded, hung under a field kubectl ignores.
files_bomb_kubeconfig() {
	cat >"$1" <<'KC'
apiVersion: v1
kind: Config
x: &a ["xxxxxxxx","xxxxxxxx","xxxxxxxx","xxxxxxxx","xxxxxxxx","xxxxxxxx"]
y: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]
z: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]
w: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]
v: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]
u: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]
clusters:
- name: c
  cluster:
    server: https://127.0.0.1:1
    extensions: [*f,*f,*f,*f,*f,*f,*f,*f,*f,*f]
KC
}

# The same shape for a theme or the config file: aliases under a key.
files_bomb_yaml() {
	{
		echo 'l0: &l0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]'
		i=1
		while [ $i -le 8 ]; do
			p=$((i - 1))
			echo "l$i: &l$i [*l$p,*l$p,*l$p,*l$p,*l$p,*l$p,*l$p,*l$p,*l$p,*l$p]"
			i=$((i + 1))
		done
		echo "$2: *l8"
	} >"$1"
}

# files_tty NAME [VAR=value...] -- [podscope args...]: podscope on a
# pseudo-terminal (script(1)), with the scenario's kubeconfig; stderr in
# NAME.err, exit status in HS_STATUS and peak RSS in HS_RSS_KB (from
# /usr/bin/time: hcheck's process group would be a background job there).
# A hung dashboard is stopped after HS_TIMEOUT seconds and fails the test.
files_tty() {
	name=$1
	shift
	envs=""
	while [ $# -gt 0 ] && [ "$1" != "--" ]; do
		envs="$envs '$1'"
		shift
	done
	[ $# -gt 0 ] && shift
	args=""
	for a in "$@"; do args="$args '$a'"; done
	timer=""
	[ -x /usr/bin/time ] && timer="/usr/bin/time -o '$hs_dir/$name.time' -f '%x %M'"
	cat >"$hs_dir/$name.sh" <<EOS
cd '$hs_dir'
stty cols 250 rows 40 2>/dev/null || true
env TERM=xterm-256color LC_ALL=C.UTF-8 $envs $timer '$PODSCOPE' --kubeconfig '$HS_KUBECONFIG' $args 2>'$hs_dir/$name.err'
echo \$? >'$hs_dir/$name.rc'
EOS
	rm -f "$hs_dir/$name.rc" "$hs_dir/$name.time" "$hs_dir/$name.in"
	: >"$hs_dir/$name.out" # the screen is in $name.tty
	# An input that never ends and types nothing: at the end of its input
	# script(1) would type an end-of-file into the dashboard.
	mkfifo "$hs_dir/$name.in"
	exec 3<>"$hs_dir/$name.in"
	to=""
	command -v timeout >/dev/null && to="timeout $HS_TIMEOUT"
	$to script -qec "sh '$hs_dir/$name.sh'" /dev/null <"$hs_dir/$name.in" \
		>"$hs_dir/$name.tty" 2>&1 || true
	exec 3>&-
	[ -s "$hs_dir/$name.rc" ] || hs_fail "$name: the dashboard did not end in ${HS_TIMEOUT} s"
	HS_STATUS=$(cat "$hs_dir/$name.rc")
	HS_RSS_KB=0
	[ -s "$hs_dir/$name.time" ] && HS_RSS_KB=$(tail -n 1 "$hs_dir/$name.time" | cut -d' ' -f2)
	echo "$name: exit $HS_STATUS, peak RSS $((HS_RSS_KB / 1024)) MB"
	[ "$HS_RSS_KB" -le $((HS_RSS_MAX_MB * 1024)) ] ||
		hs_fail "$name: peak RSS $((HS_RSS_KB / 1024)) MB, over $HS_RSS_MAX_MB MB"
}
