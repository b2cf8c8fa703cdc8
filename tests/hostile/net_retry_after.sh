#!/bin/sh
# A Retry-After of a day: get and wait say so on stderr and wait a few
# seconds at most, never the day.
. "$TOP_SRCDIR/tests/hostile/lib.sh"
HS_TIMEOUT=40

hs_start net_retry_day
hs_run get get
hs_expect_status get 1
hs_expect_err get '^podscope get: the server asks to wait 86400 s before listing pods again \(Retry-After\); waiting 5 s'
hs_expect_err get '^podscope get: .*slow down.*retry after 86400 s'
hs_clean get
awk "BEGIN { exit !($HS_SECONDS <= 30) }" || hs_fail "get took $HS_SECONDS s"

hs_run wait wait deploy/x --timeout 3s
hs_expect_status wait 3
hs_expect_err wait 'Retry-After'
hs_clean wait
echo PASS
