#!/bin/sh
# podscope --demo: starts podscope-sim with TLS, connects through its private
# kubeconfig with a client certificate, and cleans up after itself.
set -eu
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export TMPDIR="$work"
unset XDG_RUNTIME_DIR
export PODSCOPE_SIM_BIN="$PODSCOPE_SIM"

out=$("$PODSCOPE" --demo 2>"$work/err") || {
  echo "FAIL: podscope --demo exited $?"; cat "$work/err"; exit 1; }
echo "$out"
echo "$out" | grep -q '^podscope-sim answers at https://127\.0\.0\.1:[0-9]*/* (context sim-admin, user sim-admin, client-certificate)$' ||
  { echo "FAIL: unexpected demo output"; exit 1; }
echo "$out" | grep -Eq '^[0-9]+ namespaces, [0-9]+ deployments, [0-9]+ pods$' ||
  { echo "FAIL: no summary line"; exit 1; }

# The private directory (kubeconfig with the client key) is gone.
left=$(find "$work" -name 'podscope-demo.*' | wc -l)
[ "$left" -eq 0 ] || { echo "FAIL: the demo left its private directory behind"; exit 1; }

# A missing simulator is a clear error, not a hang.
if PODSCOPE_SIM_BIN=/nonexistent/podscope-sim "$PODSCOPE" --demo 2>"$work/err2"; then
  echo "FAIL: --demo with a missing podscope-sim succeeded"; exit 1
fi
grep -q 'podscope-sim' "$work/err2" || { echo "FAIL: no useful message:"; cat "$work/err2"; exit 1; }
echo "PASS: demo"
