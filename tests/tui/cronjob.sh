#!/bin/sh
# A CronJob in the dashboard (the cronjob scenario, every minute of the
# simulated clock; not faster, as podscope's ages are on the wall clock):
# the overview's CronJob row (KIND CronJob, kubectl's SCHEDULE, SUSPEND and
# ACTIVE cells), its first Job appearing indented under it after the first
# minute rather than as a row of its own; suspend on its row names the
# CronJob; Enter on it opens its view with the last and next schedule; the
# low-bandwidth table's row, with the Job indented under it.
. "$TOP_SRCDIR/tests/tui/lib.sh"
start_sim cronjob
start_ui 120 30
wait_for '^  KIND +NAME +STRATEGY +READY +UP-TO-DATE +AVAILABLE +AGE +ROLLOUT'
wait_for '^. CronJob +report +\*/1 \* \* \* \* +(False|<unset>) +[01] +[0-9a-z]+ +'
# The first run: a Job report-N under the CronJob, none at the top level.
# Indented by two: the name's column is 9 spaces after "Job".
wait_for '^  Job {11}report-[0-9]+ +[01]/1 ' 90
row=$(grep -En '^. CronJob +report ' "$work/screen" | cut -d: -f1)
job=$(grep -En '^  Job {11}report-[0-9]+ ' "$work/screen" | head -n1 | cut -d: -f1)
if [ "$job" -ne $((row + 1)) ] || grep -Eq '^  Job {9}report-' "$work/screen"; then
	echo "FAIL: the Job is not under its CronJob's row ($row, $job):"
	cat "$work/screen"
	exit 1
fi
wait_for '^. CronJob +report +.* (active 1, last run [0-9]+s ago|complete last run [0-9]+s ago)' 30
# The CronJob is the only top-level row: Home selects it. Suspend acts on
# the CronJob (cancelled here; jobactions.sh sends it).
keys Home z
wait_for 'Confirm suspend on cronjob/report \(namespace default\)'
keys Escape
wait_for 'cancelled: nothing was sent'
keys Enter
wait_for '^ CronJob default/report +schedule "\*/1 \* \* \* \*"'
wait_for '^ last schedule [0-9]+s +next in [0-9]+s'
wait_for '^ report-[0-9]+ '
keys Escape
wait_for '^. CronJob +report '
keys q
wait_for '^EXITED 0$'
tm kill-session -t t

# Low bandwidth: kubectl's short kind name, SCHEDULE as READY.
start_ui 100 30 -- --low-bandwidth
wait_for '^. cj +report +\*/1 \* \* \* \* +'
wait_for '^  job {5}report-[0-9]+ +[01]/1 '
keys q
wait_for '^EXITED 0$'
pass cronjob
