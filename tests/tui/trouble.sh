#!/bin/sh
# A rollout whose new pod cannot pull its image is "stalled", listed before
# the deployments that are fine, and says why in one line (the overview's
# ROLLOUT column, the rollout view's "why:"), with its Warning events next
# to its new generation; past its progress deadline it is "failed", still
# with its cause.
. "$TOP_SRCDIR/tests/tui/lib.sh"
start_sim "$FIXTURES/trouble.yaml"
start_ui 130 30 -- -A
wait_for 'aaa-fine +Rolling +1/1 .* complete'
wait_for 'zzz-broken +Rolling .* stalled +1 new pod (ErrImag|ImagePul)' 40
broken=$(grep -n 'zzz-broken' "$work/screen" | head -1 | cut -d: -f1)
fine=$(grep -n 'aaa-fine' "$work/screen" | head -1 | cut -d: -f1)
[ "$broken" -lt "$fine" ] || { echo "FAIL: trouble is not listed first"; cat "$work/screen"; exit 1; }
keys g Enter
wait_for 'deploy/zzz-broken'
wait_for 'nginx:9.9 \(was :1.26\)'
wait_for '✖ zzz-broken-[a-z0-9]+-[a-z0-9]+ +(ErrImagePull|ImagePullBackOff)'
wait_for '^ (stalled|failed) +.*why: 1 new pod (ErrImagePull|ImagePullBackOff): nginx:9.9: not found'
# The generation's Warning events at the foot of its column, folded by
# reason: the kubelet's Failed pulls (its BackOff for a pull is Normal),
# counted, with the latest message.
wait_for '^ {40,}⚠ Failed x([3-9]|[1-9][0-9]+) [0-9]+s ago: (Failed to pull image "nginx:9.9"|Error: (ErrImagePull|ImagePullBackOff))'
wait_for '^ failed +.*exceeded its progress deadline +why: 1 new pod ImagePullBackOff' 60
wait_for 'Progressing=False ProgressDeadlineExceeded'
keys Escape
wait_for 'zzz-broken +Rolling .* failed +1 new pod ImagePul'
keys q
wait_for '^EXITED 0$'
pass trouble
