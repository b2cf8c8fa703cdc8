#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "podscope/buf.h"
#include "podscope/logstore.h"
#include "podscope/xalloc.h"
#include "testutil.h"

static const char *line_at(const struct logstream *s, size_t i)
{
	const struct logline *l = logstream_line(s, i);
	return l ? l->raw : NULL;
}

/* The same text cut at every possible place gives the same lines. */
START_TEST(test_chunks_anywhere)
{
	const char *text = "first line\nsecond\n\nfourth has more words\nno newline";
	size_t n = strlen(text);
	for (size_t cut1 = 0; cut1 <= n; cut1++) {
		for (size_t cut2 = cut1; cut2 <= n; cut2++) {
			struct logstore *ls = logstore_new(NULL);
			struct logstream *s = logstore_open(ls, "ns/p/c");
			logstream_feed(ls, s, text, cut1);
			logstream_feed(ls, s, text + cut1, cut2 - cut1);
			logstream_feed(ls, s, text + cut2, n - cut2);
			ck_assert_uint_eq(logstream_count(s), 4);
			logstream_close(ls, s);
			ck_assert_uint_eq(logstream_count(s), 5);
			ck_assert_str_eq(line_at(s, 0), "first line");
			ck_assert_str_eq(line_at(s, 1), "second");
			ck_assert_str_eq(line_at(s, 2), "");
			ck_assert_str_eq(line_at(s, 3), "fourth has more words");
			ck_assert_str_eq(line_at(s, 4), "no newline");
			logstore_free(ls);
		}
	}
}
END_TEST

START_TEST(test_timestamps)
{
	int64_t ns = 0;
	const char *a = "2026-12-07T12:00:01.123456789Z hello";
	ck_assert_uint_eq(logline_parse_ts(a, strlen(a), &ns), 31);
	ck_assert_int_eq(ns, INT64_C(1796644801123456789));
	const char *b = "2026-12-07T12:00:01Z x";
	ck_assert_uint_eq(logline_parse_ts(b, strlen(b), &ns), 21);
	ck_assert_int_eq(ns, INT64_C(1796644801000000000));
	const char *c = "2026-12-07T12:00:01.5Z x";
	ck_assert_uint_eq(logline_parse_ts(c, strlen(c), &ns), 23);
	ck_assert_int_eq(ns, INT64_C(1796644801500000000));
	/* Not a time: kept as text. */
	ck_assert_uint_eq(logline_parse_ts("hello world", 11, &ns), 0);
	ck_assert_uint_eq(logline_parse_ts("2026-13-07T12:00:01Z x", 22, &ns), 0);
	ck_assert_uint_eq(logline_parse_ts("2026-12-07T12:00:01Z", 20, &ns), 0);

	struct logstore *ls = logstore_new(NULL);
	struct logstream *s = logstore_open(ls, "k");
	const char *in = "2026-12-07T12:00:02.000000001Z b\n2026-12-07T12:00:01Z a\nplain\n";
	logstream_feed(ls, s, in, strlen(in));
	const struct logline *l0 = logstream_line(s, 0), *l1 = logstream_line(s, 1);
	const struct logline *l2 = logstream_line(s, 2);
	ck_assert_int_gt(logline_cmp(l0, l1), 0);
	ck_assert_int_lt(logline_cmp(l1, l0), 0);
	ck_assert_int_eq(l2->ts_ns, 0);
	struct buf b1 = BUF_INIT;
	logline_sanitize(&b1, l0, false);
	ck_assert_str_eq(b1.data, "b");
	buf_reset(&b1);
	logline_sanitize(&b1, l0, true);
	ck_assert_str_eq(b1.data, "2026-12-07T12:00:02.000000001Z b");
	buf_free(&b1);
	logstore_free(ls);
}
END_TEST

/* Megabytes with no newline: one cut line of line_max bytes, the rest
 * dropped up to the next newline, memory bounded all along. */
START_TEST(test_no_newline)
{
	struct logstore_caps caps = {.line_max = 1000};
	struct logstore *ls = logstore_new(&caps);
	struct logstream *s = logstore_open(ls, "k");
	char chunk[4096];
	memset(chunk, 'x', sizeof(chunk));
	for (int i = 0; i < 1024; i++) {
		logstream_feed(ls, s, chunk, sizeof(chunk));
		ck_assert_uint_le(logstore_bytes(ls), 2000);
	}
	logstream_feed(ls, s, "tail\nnext\n", 10);
	ck_assert_uint_eq(logstream_count(s), 2);
	const struct logline *l = logstream_line(s, 0);
	ck_assert(l->cut);
	ck_assert_uint_eq(l->len, 1000);
	ck_assert_str_eq(line_at(s, 1), "next");
	struct buf b = BUF_INIT;
	logline_sanitize(&b, l, false);
	ck_assert_uint_eq(b.len, 1000 + strlen(LOGSTORE_CUT_MARK));
	buf_free(&b);
	logstore_free(ls);
}
END_TEST

/* NULs, invalid UTF-8 and terminal controls reach the output escaped. */
START_TEST(test_hostile_bytes)
{
	struct logstore *ls = logstore_new(NULL);
	struct logstream *s = logstore_open(ls, "k");
	static const char in[] = "a\0b\xff\xc3(\x1b]0;t\x07\x1b[2J\xc2\x9b\xe2\x80\xae"
				 "c\r\n";
	logstream_feed(ls, s, in, sizeof(in) - 1);
	ck_assert_uint_eq(logstream_count(s), 1);
	const struct logline *l = logstream_line(s, 0);
	ck_assert_uint_eq(l->len, sizeof(in) - 2);
	struct buf b = BUF_INIT;
	logline_sanitize(&b, l, true);
	ck_assert_str_eq(b.data, "a\\x00b\\xff\\xc3(\\x1b]0;t\\x07\\x1b[2J\\u009b\\u202ec\\r");
	for (size_t i = 0; i < b.len; i++)
		ck_assert((unsigned char)b.data[i] >= 0x20 && (unsigned char)b.data[i] < 0x7f);
	buf_free(&b);
	logstore_free(ls);
}
END_TEST

static void feed_lines(struct logstore *ls, struct logstream *s, int n, const char *tag)
{
	char line[64];
	for (int i = 0; i < n; i++) {
		int k = snprintf(line, sizeof(line), "%s line %06d\n", tag, i);
		logstream_feed(ls, s, line, (size_t)k);
	}
}

START_TEST(test_stream_caps)
{
	struct logstore_caps caps = {.stream_lines = 100, .stream_bytes = 1u << 20};
	struct logstore *ls = logstore_new(&caps);
	struct logstream *s = logstore_open(ls, "k");
	feed_lines(ls, s, 1000, "a");
	ck_assert_uint_eq(logstream_count(s), 100);
	ck_assert_uint_eq(logstream_dropped(s), 900);
	ck_assert_str_eq(line_at(s, 0), "a line 000900");
	ck_assert_str_eq(line_at(s, 99), "a line 000999");
	logstore_free(ls);

	caps = (struct logstore_caps){.stream_bytes = 10000};
	ls = logstore_new(&caps);
	s = logstore_open(ls, "k");
	feed_lines(ls, s, 100000, "b");
	ck_assert_uint_le(logstore_bytes(ls), 10000);
	ck_assert_uint_gt(logstream_count(s), 50);
	ck_assert_str_eq(line_at(s, logstream_count(s) - 1), "b line 099999");
	logstore_free(ls);
}
END_TEST

/* The total cap: closed streams go first, whole; then the oldest lines. */
START_TEST(test_total_cap)
{
	struct logstore_caps caps = {.total_bytes = 50000, .streams = 3};
	struct logstore *ls = logstore_new(&caps);
	struct logstream *a = logstore_open(ls, "a");
	feed_lines(ls, a, 200, "a");
	logstream_close(ls, a);
	struct logstream *b = logstore_open(ls, "b");
	feed_lines(ls, b, 200, "b");
	struct logstream *c = logstore_open(ls, "c");
	/* A fourth stream takes the closed one's place. */
	struct logstream *d = logstore_open(ls, "d");
	ck_assert_ptr_nonnull(d);
	ck_assert_ptr_null(logstore_find(ls, "a"));
	ck_assert_uint_eq(logstore_nstreams(ls), 3);
	/* No room and nothing closed: refused. */
	ck_assert_ptr_null(logstore_open(ls, "e"));
	feed_lines(ls, c, 5000, "c");
	ck_assert_uint_le(logstore_bytes(ls), 50000);
	/* b's lines were older than c's: they went first. */
	ck_assert_uint_eq(logstream_count(b), 0);
	ck_assert_str_eq(line_at(c, logstream_count(c) - 1), "c line 004999");
	feed_lines(ls, d, 10, "d");
	ck_assert_uint_eq(logstream_count(d), 10);
	ck_assert_uint_le(logstore_bytes(ls), 50000);
	logstore_remove(ls, c);
	ck_assert_uint_eq(logstore_nstreams(ls), 2);
	logstore_free(ls);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("logstore");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_chunks_anywhere);
	tcase_add_test(tc, test_timestamps);
	tcase_add_test(tc, test_no_newline);
	tcase_add_test(tc, test_hostile_bytes);
	tcase_add_test(tc, test_stream_caps);
	tcase_add_test(tc, test_total_cap);
	suite_add_tcase(s, tc);
	return test_run_suite(s);
}
