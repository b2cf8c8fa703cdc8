#!/bin/sh
# Bodies with no end: a gzip bomb on /version (200) and on every answer
# (500), and a plain 512 MiB error body. podscope reads a bounded amount,
# says how large it may be, exits non-zero, in bounded memory and time.
. "$TOP_SRCDIR/tests/hostile/lib.sh"

HS_TIMEOUT=30

hs_start net_gzip_version
hs_run version version
hs_expect_status version 1
hs_expect_err version 'answer from http://127\.0\.0\.1:[0-9]+ larger than 16 MiB \(GET /version, HTTP 200\)'
hs_clean version

for sc in net_gzip_500 net_big_error; do
	hs_start $sc
	hs_run version version
	hs_expect_status version 1
	hs_expect_err version 'larger than 64 KiB \(GET /version, HTTP 500\)'
	hs_clean version
	hs_run get get
	hs_expect_status get 1
	hs_expect_err get '^podscope get: answer from .* larger than 64 KiB \(GET /api.*, HTTP 500\)'
	hs_clean get
	hs_run wait wait deploy/x
	hs_expect_status wait 1
	hs_expect_err wait 'larger than 64 KiB'
	hs_clean wait
done
echo PASS
