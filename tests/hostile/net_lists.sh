#!/bin/sh
# Lists that never end: a new continue token on every page, the same token
# again and again, a page whose items never end, a page cut after an item
# that changes on every request.
# get and wait give up with a message and a non-zero exit, in bounded
# memory and time.
. "$TOP_SRCDIR/tests/hostile/lib.sh"

HS_TIMEOUT=40

# get and wait deploy/x both end with status 1 and say WHY (grep -E).
get_and_wait() {
	for cmd in get wait; do
		if [ $cmd = get ]; then hs_run $cmd get; else hs_run $cmd wait deploy/x; fi
		hs_expect_status $cmd 1
		hs_expect_err $cmd "^podscope $cmd: $1"
		hs_clean $cmd
	done
}

hs_start net_endless_pages
get_and_wait "list pods: more than 1000 pages: the server keeps sending continue tokens"
n=$(grep -c 'pods' "$hs_dir/requests.log")
[ "$n" -le 2100 ] || hs_fail "$n requests for pods: the page cap did not hold"

hs_start net_same_token
hs_run get get
hs_expect_status get 1
hs_expect_err get '^podscope get: list pods: page 2 names the continue token of an earlier page again'
hs_clean get
n=$(grep -c 'pods' "$hs_dir/requests.log")
[ "$n" -le 5 ] || hs_fail "$n requests for pods: a repeated token was followed"

hs_start net_endless_page
get_and_wait "list pods: more than 5000 items in one page \(asked for 500\)"

hs_start net_broken_page
get_and_wait "list pods: gave up after 8 failed attempts: "
echo PASS
