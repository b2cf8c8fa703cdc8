#!/bin/sh
# Redirects are errors that name where they pointed (in printable ASCII
# only), never followed, never an empty success.
. "$TOP_SRCDIR/tests/hostile/lib.sh"
HS_TIMEOUT=30

hs_start net_redirect
hs_run version version
hs_expect_status version 1
hs_expect_err version 'GET /version: http://127\.0\.0\.1:[0-9]+ answered HTTP 301, a redirect to evil\.example, not followed'
hs_clean version
grep -q unknown "$hs_dir/version.out" && hs_fail "version printed a server it never heard of"

hs_run get get
hs_expect_status get 1
hs_expect_err get 'answered HTTP 302, a redirect'
hs_clean get
grep -q '/pods' "$hs_dir/requests.log" || hs_fail "no pods list asked"
grep -q 'evil' "$hs_dir/requests.log" && hs_fail "the redirect was followed"
echo PASS
