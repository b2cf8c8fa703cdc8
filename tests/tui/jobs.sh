#!/bin/sh
# A Job in the dashboard (the job-backoff scenario: a pod fails, the Job
# controller waits 10 s, then 20 s after the second failure, then the third
# pod completes): Enter on the Job's group opens the Job view, which shows
# the completions bar, the failed pod with its exit code and the back-off
# counting down to the next pod, then Complete.
. "$TOP_SRCDIR/tests/tui/lib.sh"
start_sim job-backoff
start_ui 120 30
wait_for 'Job job-backoff' 30
# The Job's group is the only one: its header is the first row.
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
# Then Complete.
wait_for '^ Job default/job-backoff +Complete +completions 1/1' 60
wait_for '^ Complete: CompletionsReached'
wait_for '^ \[#+x+\.*\]|^ \[x+#+\.*\]|^ \[#+x+\]'
keys Escape
wait_for 'Job job-backoff'
keys q
wait_for '^EXITED 0$'
pass jobs
