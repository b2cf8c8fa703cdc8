#!/bin/sh
# A Job in the dashboard (the job-backoff scenario: a pod fails, the Job
# controller waits 10 s, then 20 s after the second failure, then the third
# pod completes): the overview's Job row (KIND Job, READY as kubectl's
# COMPLETIONS, ROLLOUT retrying once a pod failed) with its pods under it;
# Enter opens the Job view, which shows the completions bar, the failed pod
# with its exit code and the back-off counting down to the next pod, then
# Complete; the low-bandwidth table's row.
. "$TOP_SRCDIR/tests/tui/lib.sh"
start_sim job-backoff
start_ui 120 30
wait_for '^  KIND +NAME +STRATEGY +READY +UP-TO-DATE +AVAILABLE +AGE +ROLLOUT'
wait_for '^. Job +job-backoff +0/1 +0 +[01] +[0-9]+s +running' 30
wait_for '^  Pod +. job-backoff-[a-z0-9]+ '
# The Job is the only workload: its row is the first.
keys Home Enter
wait_for '^ Job default/job-backoff +Running +completions 0/1'
wait_for '^ \[[>.]+\]'
# The first pod fails: exit code 1, then the back-off counts down.
wait_for '^ job-backoff-[a-z0-9]+ +Failed +1 +Error' 40
wait_for '^ back-off: next pod in [0-9]+s \(1 failure since the last success\)' 20
first=$(grep -Eo 'next pod in [0-9]+s' "$work/screen" | grep -Eo '[0-9]+')
wait_for "^ back-off: next pod in $((first - 1))s|^ back-off: next pod in $((first - 2))s" 5
wait_for '^ 0 succeeded +1 active +1 failed' 30
# The second failure: 20 s this time.
wait_for '^ back-off: next pod in 1[0-9]s \(2 failures since the last success\)|^ back-off: next pod in 20s' 60
# Back in the overview during the second back-off: retrying.
keys Escape
wait_for '^. Job +job-backoff +0/1 +0 +0 +[0-9]+s +retrying 0/1 done, 2 failed' 15
keys Home Enter
# Then Complete.
wait_for '^ Job default/job-backoff +Complete +completions 1/1' 60
wait_for '^ Complete: CompletionsReached'
wait_for '^ \[#+x+\.*\]|^ \[x+#+\.*\]|^ \[#+x+\]'
keys Escape
wait_for '^. Job +job-backoff +1/1 +1 +0 +[0-9]+s +complete'
keys q
wait_for '^EXITED 0$'
tm kill-session -t t

# Low bandwidth: kubectl's short kind name, COMPLETIONS as READY.
start_ui 100 30 -- --low-bandwidth
wait_for '^. job +job-backoff +1/1 +complete'
keys q
wait_for '^EXITED 0$'
pass jobs
