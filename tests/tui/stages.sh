#!/bin/sh
# The seed's stages appear on screen as they happen: init containers one by
# one, the postStart hook, then ready; the pod view lists the containers in
# order with their hooks and a timeline.
. "$TOP_SRCDIR/tests/tui/lib.sh"
start_sim "$FIXTURES/stages.yaml"
start_ui 100 30 -- -A
wait_for 'pod +◔ init-pod +0/1 +init 1/2' 30
wait_for 'pod +◑ hook-pod +0/1 +postStart' 30
wait_for 'pod +◔ init-pod +0/1 +init 2/2' 30
wait_for 'pod +● hook-pod +1/1 +ready' 30
wait_for 'pod +● init-pod +1/1 +ready' 30
keys / h o o k Enter j Enter
wait_for 'pod/hook-pod'
wait_for 'postStart hook: exec sh -c sleep 8'
wait_for 'post-start app +\+[0-9]+s'
keys Escape Escape / i n i t Enter j Enter
wait_for 'init 1/2 first +busybox'
wait_for 'init 2/2 second +busybox'
wait_for 'Terminated: Completed, exit code 0'
wait_for 'init first +\+[0-9]+s'
keys q
wait_for '^EXITED 0$'
pass stages
