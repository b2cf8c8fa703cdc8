#!/bin/sh
# A user who may not list nodes (podscope-sim --fault forbid-nodes: 403 on
# /api/v1/nodes): no "forbidden" in the title bar, no error line; the
# DaemonSet view says "nodes: not allowed to list" once in its title line and
# shows the nodes the daemon pods name, as before nodes were watched.
. "$TOP_SRCDIR/tests/tui/lib.sh"
start_sim daemonset-rolling --speed 2 --fault forbid-nodes
start_ui 130 30 -- -A
wait_for 'DaemonSet +node-agent '
wait_for ' live *$'
keys / n o d e - a g e n t Enter
wait_for 'DaemonSet +node-agent '
keys Enter
wait_for '^ ds/node-agent +RollingUpdate .* nodes: not allowed to list'
for n in edge-1 edge-2 sim-node-1 sim-node-2 sim-node-3; do
	wait_for "^ . $n +node-agent-[a-z0-9]+ +. [12] +(old|new) " 30
done
grep -q 'fault forbid-nodes: 403 for GET /api/v1/nodes' "$work/sim.out" ||
	{ echo "FAIL: the node list was not refused:"; cat "$work/sim.out"; exit 1; }
if screen | grep -Eq 'forbidden|reconnecting|STALE'; then
	echo "FAIL: a refused node list shows as trouble:"
	screen
	exit 1
fi
keys q
wait_for '^EXITED 0$'
pass ds_nodes_forbidden
