#!/bin/sh
# A terminal that drains slowly turns low-bandwidth mode on by itself: podscope
# runs on a pty whose other side reads 200 bytes a second (a slow SSH link)
# while the window is resized twice a second (each a full repaint), until the
# pty's buffer is full and podscope's writes block; then the other side reads
# everything, and the screen must say "[low-bandwidth]". With
# `low-bandwidth: false` in the config file the same terminal leaves it off.
. "$TOP_SRCDIR/tests/tui/lib.sh"
command -v python3 >/dev/null 2>&1 || { echo "SKIP: python3 is not installed"; exit 77; }
start_sim "$FIXTURES/overview.yaml"
cat >"$work/slow.py" <<'EOP'
import os, pty, select, signal, struct, sys, termios, fcntl, time
# slow.py SECONDS_SLOW DEADLINE PATTERN PODSCOPE ARGS...: run podscope on a
# pty read at 200 bytes/s for SECONDS_SLOW, resized twice a second meanwhile,
# then at full speed until PATTERN shows up (exit 0) or DEADLINE seconds
# pass (exit 1).
slow, deadline, pattern = float(sys.argv[1]), float(sys.argv[2]), sys.argv[3].encode()
pid, fd = pty.fork()
if pid == 0:
    os.execv(sys.argv[4], sys.argv[4:])
def size(cols):
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 36, cols, 0, 0))
size(120)
t0, seen, rc, resized = time.time(), b"", 1, 0
while time.time() - t0 < deadline:
    fast = time.time() - t0 >= slow
    if not fast and time.time() - t0 >= (resized + 1) / 2:
        resized += 1
        size(120 - resized % 2)
    r, _, _ = select.select([fd], [], [], 0.1)
    if not r:
        continue
    try:
        b = os.read(fd, 65536 if fast else 20)
    except OSError:
        break
    if not b:
        break
    seen += b
    if pattern in seen:
        rc = 0
        break
    if not fast:
        time.sleep(0.1)
os.kill(pid, signal.SIGTERM)
end = time.time() + 10
while time.time() < end:
    r, _, _ = select.select([fd], [], [], 0.1)
    try:
        if r and not os.read(fd, 65536):
            break
    except OSError:
        break
    if os.waitpid(pid, os.WNOHANG)[0] == pid:
        break
open(sys.argv[0] + ".out", "wb").write(seen)
sys.exit(rc)
EOP
export TERM=xterm-256color LANG=$UTF8_LOCALE LC_ALL=$UTF8_LOCALE
if ! python3 "$work/slow.py" 30 90 '[low-bandwidth]' "$PODSCOPE" --kubeconfig "$work/kc" -A; then
	echo "FAIL: a terminal that drains at 200 bytes/s for 30 s did not turn low-bandwidth mode on"
	exit 1
fi
# The rule is off when the config file says low-bandwidth: false.
mkdir -p "$XDG_CONFIG_HOME/podscope"
echo 'low-bandwidth: false' >"$XDG_CONFIG_HOME/podscope/config.yaml"
if python3 "$work/slow.py" 30 40 '[low-bandwidth]' "$PODSCOPE" --kubeconfig "$work/kc" -A; then
	echo "FAIL: low-bandwidth: false did not keep the mode off"
	exit 1
fi
grep -aq 'podscope' "$work/slow.py.out" || { echo "FAIL: podscope drew nothing"; exit 1; }
pass slowtty
