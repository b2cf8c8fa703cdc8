#include "config.h"

#include <stdio.h>
#include <string.h>

#include <check.h>
#include <cjson/cJSON.h>

#include "podscope/buf.h"
#include "podscope/jarena.h"
#include "podscope/jsonscan.h"
#include "podscope/listsplit.h"
#include "podscope/watchframe.h"
#include "testutil.h"

/* Three events; the second has multi-byte UTF-8 in a string, and CRLF. */
static const char stream[] =
    "{\"type\":\"ADDED\",\"object\":{\"kind\":\"Pod\",\"metadata\":{\"name\":\"a\","
    "\"resourceVersion\":\"10\"}}}\n"
    "{\"type\":\"MODIFIED\",\"object\":{\"kind\":\"Pod\",\"metadata\":{\"name\":\"b\","
    "\"resourceVersion\":\"11\",\"annotations\":{\"note\":\"h\xc3\xa9llo \xe2\x9c\x93 "
    "\xf0\x9f\x9a\x80\"}}}}\r\n"
    "\n"
    "{\"type\":\"BOOKMARK\",\"object\":{\"kind\":\"Pod\",\"metadata\":{"
    "\"resourceVersion\":\"12\"}}}\n";

struct collected {
	struct buf all; /* lines joined by | */
	int n;
};

static int collect(void *ud, const char *line, size_t len)
{
	struct collected *c = ud;
	if (c->n++)
		buf_addc(&c->all, '|');
	buf_add(&c->all, line, len);
	return 0;
}

static char *expected(void)
{
	struct collected c = {BUF_INIT, 0};
	struct wframe f;
	wframe_init(&f, 0);
	ck_assert_int_eq(wframe_feed(&f, stream, strlen(stream), collect, &c, NULL), 0);
	ck_assert_int_eq(c.n, 3);
	ck_assert_uint_eq(wframe_pending(&f), 0);
	wframe_free(&f);
	return buf_steal(&c.all);
}

START_TEST(test_split_everywhere)
{
	char *want = expected();
	size_t len = strlen(stream);
	for (size_t cut = 0; cut <= len; cut++) {
		for (size_t cut2 = cut; cut2 <= len; cut2 += 7) {
			struct collected c = {BUF_INIT, 0};
			struct wframe f;
			wframe_init(&f, 0);
			ck_assert_int_eq(wframe_feed(&f, stream, cut, collect, &c, NULL), 0);
			ck_assert_int_eq(
			    wframe_feed(&f, stream + cut, cut2 - cut, collect, &c, NULL), 0);
			ck_assert_int_eq(
			    wframe_feed(&f, stream + cut2, len - cut2, collect, &c, NULL), 0);
			ck_assert_msg(c.all.data && strcmp(c.all.data, want) == 0, "cut at %zu/%zu",
				      cut, cut2);
			buf_free(&c.all);
			wframe_free(&f);
		}
	}
	/* One byte at a time. */
	struct collected c = {BUF_INIT, 0};
	struct wframe f;
	wframe_init(&f, 0);
	for (size_t i = 0; i < len; i++)
		ck_assert_int_eq(wframe_feed(&f, stream + i, 1, collect, &c, NULL), 0);
	ck_assert_str_eq(c.all.data, want);
	ck_assert_uint_eq(f.lines, 3);
	buf_free(&c.all);
	wframe_free(&f);
	free(want);
}
END_TEST

START_TEST(test_pending_and_max)
{
	struct collected c = {BUF_INIT, 0};
	struct wframe f;
	struct perr err = {0};
	wframe_init(&f, 64);
	ck_assert_int_eq(wframe_feed(&f, "{\"type\":", 8, collect, &c, &err), 0);
	ck_assert_uint_eq(wframe_pending(&f), 8);
	char big[100];
	memset(big, 'x', sizeof(big));
	ck_assert_int_eq(wframe_feed(&f, big, sizeof(big), collect, &c, &err), -1);
	ck_assert_ptr_nonnull(strstr(perr_msg(&err), "longer than 64 bytes"));
	ck_assert_uint_eq(wframe_pending(&f), 0);
	/* A whole too-long line inside one chunk. */
	big[99] = '\n';
	ck_assert_int_eq(wframe_feed(&f, big, sizeof(big), collect, &c, &err), -1);
	/* Exactly the limit is fine. */
	memset(big, 'y', 64);
	big[64] = '\n';
	ck_assert_int_eq(wframe_feed(&f, big, 65, collect, &c, &err), 0);
	ck_assert_int_eq(c.n, 1);
	perr_clear(&err);
	buf_free(&c.all);
	wframe_free(&f);
}
END_TEST

static int stop_at_second(void *ud, const char *line, size_t len)
{
	(void)line;
	(void)len;
	return ++*(int *)ud == 2 ? 7 : 0;
}

START_TEST(test_stop)
{
	struct wframe f;
	int n = 0;
	wframe_init(&f, 0);
	ck_assert_int_eq(wframe_feed(&f, "a\nb\nc\n", 6, stop_at_second, &n, NULL), 7);
	ck_assert_int_eq(n, 2);
	wframe_free(&f);
}
END_TEST

START_TEST(test_parse_events)
{
	struct wevent ev;
	struct perr err = {0};
	const char *l1 = "{\"type\":\"ADDED\",\"object\":{\"metadata\":{\"name\":\"a\","
			 "\"resourceVersion\":\"10\"}}}";
	ck_assert_int_eq(wevent_parse(l1, strlen(l1), &ev, &err), 0);
	ck_assert_int_eq(ev.type, WEV_ADDED);
	ck_assert_str_eq(ev.rv, "10");
	ck_assert_ptr_nonnull(ev.object);
	wevent_free(&ev);

	const char *bm =
	    "{\"type\":\"BOOKMARK\",\"object\":{\"kind\":\"Pod\",\"apiVersion\":\"v1\","
	    "\"metadata\":{\"resourceVersion\":\"12746\",\"annotations\":"
	    "{\"k8s.io/initial-events-end\":\"true\"}}}}";
	ck_assert_int_eq(wevent_parse(bm, strlen(bm), &ev, &err), 0);
	ck_assert_int_eq(ev.type, WEV_BOOKMARK);
	ck_assert_str_eq(ev.rv, "12746");
	ck_assert_int_eq(ev.initial_events_end, 1);
	wevent_free(&ev);

	const char *gone =
	    "{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"apiVersion\":\"v1\","
	    "\"metadata\":{},\"status\":\"Failure\",\"message\":\"too old resource "
	    "version: 5 (20)\",\"reason\":\"Expired\",\"code\":410}}";
	ck_assert_int_eq(wevent_parse(gone, strlen(gone), &ev, &err), 0);
	ck_assert_int_eq(ev.type, WEV_ERROR);
	ck_assert_int_eq(ev.code, 410);
	ck_assert_str_eq(ev.reason, "Expired");
	ck_assert_str_eq(ev.message, "too old resource version: 5 (20)");
	wevent_free(&ev);

	const char *gone2 = "{\"type\":\"ERROR\",\"object\":{\"reason\":\"Gone\"}}";
	ck_assert_int_eq(wevent_parse(gone2, strlen(gone2), &ev, &err), 0);
	ck_assert_int_eq(ev.code, 410);
	wevent_free(&ev);

	static const char *const bad[] = {
	    "not json",
	    "[1,2]",
	    "{\"type\":\"WHAT\",\"object\":{}}",
	    "{\"type\":\"ADDED\"}",
	    "{\"type\":\"ADDED\",\"object\":\"x\"}",
	    "{\"object\":{}}",
	    "{\"type\":\"ADDED\",\"object\":{\"metadata\":{}}", /* cut short */
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_int_eq(wevent_parse(bad[i], strlen(bad[i]), &ev, &err), -1);
		ck_assert_ptr_nonnull(strstr(perr_msg(&err), "watch stream"));
		ck_assert_ptr_null(ev.root);
	}
	perr_clear(&err);
}
END_TEST

/* ---- jarena: one event's tree in one reused block ---- */

static const char pod_json[] =
    "{\"metadata\":{\"name\":\"web-1\",\"namespace\":\"shop\",\"labels\":{\"app\":\"web\"}},"
    "\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"nginx:1.25\"}]},"
    "\"status\":{\"phase\":\"Running\",\"restarts\":[1,2.5,-3e2,true,false,null]}}";

START_TEST(test_arena_tree)
{
	/* The same tree as a parse with malloc, taken from the block. */
	cJSON *plain = cJSON_Parse(pod_json);
	cJSON *a = jarena_parse(pod_json, strlen(pod_json));
	ck_assert_ptr_nonnull(a);
	ck_assert(cJSON_Compare(a, plain, 1));
	size_t used = jarena_used();
	ck_assert_uint_gt(used, sizeof(cJSON) * 10);
	ck_assert_int_eq(jarena_spilled(), 0);

	/* A second parse while the first lives comes from malloc (valgrind
	 * and ASan see it freed) and leaves the first whole. */
	cJSON *b = jarena_parse(pod_json, strlen(pod_json));
	ck_assert_ptr_nonnull(b);
	ck_assert_uint_eq(jarena_used(), used);
	ck_assert(cJSON_Compare(b, plain, 1));
	jarena_delete(b);
	ck_assert(cJSON_Compare(a, plain, 1));
	jarena_delete(a);
	ck_assert_uint_eq(jarena_used(), 0);

	/* The block is reused from its start: the same tree takes as much. */
	for (int i = 0; i < 3; i++) {
		a = jarena_parse(pod_json, strlen(pod_json));
		ck_assert_uint_eq(jarena_used(), used);
		ck_assert(cJSON_Compare(a, plain, 1));
		jarena_delete(a);
	}

	/* Not JSON: NULL, and the block is free for the next. */
	ck_assert_ptr_null(jarena_parse("{\"a\":[1,2", 9));
	a = jarena_parse(pod_json, strlen(pod_json));
	ck_assert_uint_eq(jarena_used(), used);
	jarena_delete(a);
	jarena_delete(NULL);

	/* Trees made and printed outside the block still use malloc. */
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "k", "v");
	char *txt = cJSON_PrintUnformatted(o);
	ck_assert_str_eq(txt, "{\"k\":\"v\"}");
	cJSON_free(txt);
	cJSON_Delete(o);
	cJSON_Delete(plain);
}
END_TEST

START_TEST(test_arena_spill)
{
	/* Larger than the block: the rest comes from malloc and is freed
	 * (valgrind's leak check sees any that is not). */
	struct buf big = {0};
	buf_add(&big, "[", 1);
	size_t n = 0;
	while (big.len < JARENA_BYTES + JARENA_BYTES / 2) {
		char item[64];
		int k = snprintf(item, sizeof(item), "%s{\"n\":%zu,\"s\":\"item-%zu\"}",
				 n ? "," : "", n, n);
		buf_add(&big, item, (size_t)k);
		n++;
	}
	buf_add(&big, "]", 1);
	cJSON *a = jarena_parse(big.data, big.len);
	ck_assert_ptr_nonnull(a);
	ck_assert_int_eq(jarena_spilled(), 1);
	ck_assert_int_eq(cJSON_GetArraySize(a), (int)n);
	char want[32];
	snprintf(want, sizeof(want), "item-%zu", n - 1);
	const cJSON *last = cJSON_GetArrayItem(a, (int)n - 1);
	ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(last, "s")->valuestring, want);
	jarena_delete(a);
	/* The next tree is in the block again. */
	a = jarena_parse(pod_json, strlen(pod_json));
	ck_assert_int_eq(jarena_spilled(), 0);
	jarena_delete(a);
	buf_free(&big);
}
END_TEST

/* ---- jsonscan: list pages taken apart without a tree ---- */

static const char *skip_all(const char *text)
{
	return jscan_skip(text, text + strlen(text));
}

START_TEST(test_scan_valid)
{
	static const char *const ok[] = {
	    "0", "-0", "-0.5e+10", "12E3", "1.25", "true", "false", "null", "\"\"",
	    "\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\\u00e9\"", "\"\\ud83d\\ude80\"", "\"h\xc3\xa9\"",
	    "[]", "{}", " [ 1 , [ ] , { } ] ", "{\"a\":[1,{\"b\":null}],\"c\":\"}]\"}",
	};
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		const char *end = skip_all(ok[i]);
		ck_assert_msg(end != NULL, "rejected %s", ok[i]);
		/* Only trailing blanks may be left, and cJSON agrees. */
		ck_assert_uint_eq(strspn(end, " "), strlen(end));
		cJSON *j = cJSON_Parse(ok[i]);
		ck_assert_msg(j != NULL, "cJSON rejects %s", ok[i]);
		cJSON_Delete(j);
	}
}
END_TEST

START_TEST(test_scan_invalid)
{
	static const char *const bad[] = {
	    "", " ", "[", "]", "[1,]", "[,1]", "[1 2]", "{\"a\":}", "{\"a\" 1}", "{a:1}",
	    "{\"a\":1,}", "{\"a\":1", "01", "1.", ".5", "-", "1e", "1e+", "+1", "1a", "tru",
	    "nul", "\"abc", "\"\\x\"", "\"\\u12\"", "\"\\ud800\"", "\"\\udc00\"",
	    "\"\\ud800\\u0041\"", "\"tab\there\"", "'a'",
	    /* 64 digits: more than cJSON reads of a number */
	    "1234567890123456789012345678901234567890123456789012345678901234",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(skip_all(bad[i]) == NULL, "accepted [%s]", bad[i]);
}
END_TEST

START_TEST(test_scan_depth)
{
	/* cJSON's nesting limit is 1000: 1000 arrays deep pass, 1001 fail. */
	for (int depth = 1000; depth <= 1001; depth++) {
		struct buf b = BUF_INIT;
		for (int i = 0; i < depth; i++)
			buf_adds(&b, "[");
		for (int i = 0; i < depth; i++)
			buf_adds(&b, "]");
		const char *end = jscan_skip(b.data, b.data + b.len);
		cJSON *j = cJSON_ParseWithLength(b.data, b.len);
		ck_assert_int_eq(end != NULL, depth == 1000);
		ck_assert_int_eq(j != NULL, end != NULL);
		cJSON_Delete(j);
		buf_free(&b);
	}
}
END_TEST

static const char page[] =
    "{\"kind\":\"PodList\",\"apiVersion\":\"v1\",\"metadata\":{\"resourceVersion\":\"42\","
    "\"continue\":\"abc\"},\"items\":[{\"metadata\":{\"name\":\"a\",\"labels\":{\"x\":\"]\"}}},"
    " {\"metadata\":{\"name\":\"b\"}} ,{\"metadata\":{\"name\":\"c\\\"}\"}}]}";

START_TEST(test_scan_page)
{
	/* The whole page is one value; every proper prefix is incomplete. */
	const char *end = page + strlen(page);
	ck_assert_ptr_eq(jscan_skip(page, end), end);
	for (size_t len = 0; len < strlen(page); len++)
		ck_assert_msg(jscan_skip(page, page + len) == NULL, "prefix %zu accepted", len);
	ck_assert(jspan_eq((struct jspan){"items", 5}, "items"));
	ck_assert(!jspan_eq((struct jspan){"item", 4}, "items"));
	ck_assert(!jspan_eq((struct jspan){NULL, 0}, ""));
}
END_TEST

/* ---- listsplit: a list page taken apart as it arrives ---- */

struct got {
	struct buf items; /* each item, then '\n' */
	int n;
};

static int collect_item(void *ud, const char *item, size_t len)
{
	struct got *g = ud;
	buf_add(&g->items, item, len);
	buf_addc(&g->items, '\n');
	g->n++;
	return 0;
}

/* Feed text in chunks of step bytes; 0 or -1 as lsplit_end (or a feed) says. */
static int split_in(const char *text, size_t step, struct got *g, struct lsplit *s,
		    struct perr *err)
{
	size_t len = strlen(text);
	lsplit_init(s, 4096);
	*g = (struct got){BUF_INIT, 0};
	for (size_t off = 0; off < len; off += step) {
		size_t n = len - off < step ? len - off : step;
		if (lsplit_feed(s, text + off, n, collect_item, g, err) < 0)
			return -1;
	}
	return lsplit_end(s, err);
}

static const char list_page[] =
    "{\"kind\":\"PodList\",\"apiVersion\":\"v1\",\"metadata\":{\"resourceVersion\":\"42\","
    "\"continue\":\"abc\",\"remainingItemCount\":1234},\"items\":[{\"metadata\":{\"name\":"
    "\"a\",\"labels\":{\"x\":\"]}\"}}},\n {\"metadata\":{\"name\":\"b\"},\"n\":-12.5e3} , "
    "{\"metadata\":{\"name\":\"c\\\"}\"}}],\"items\":[{\"not\":\"this\"}],\"tail\":1234}  ";

START_TEST(test_split_any_chunks)
{
	const char want[] = "{\"metadata\":{\"name\":\"a\",\"labels\":{\"x\":\"]}\"}}}\n"
			    "{\"metadata\":{\"name\":\"b\"},\"n\":-12.5e3}\n"
			    "{\"metadata\":{\"name\":\"c\\\"}\"}}\n";
	for (size_t step = 1; step <= sizeof(list_page); step++) {
		struct got g;
		struct lsplit s;
		struct perr err = {0};
		ck_assert_msg(split_in(list_page, step, &g, &s, &err) == 0, "step %zu: %s", step,
			      perr_msg(&err));
		ck_assert_int_eq(g.n, 3);
		ck_assert_str_eq(g.items.data, want);
		size_t n;
		const char *meta = lsplit_meta(&s, &n);
		ck_assert_uint_eq(n, strlen("{\"resourceVersion\":\"42\",\"continue\":\"abc\","
					    "\"remainingItemCount\":1234}"));
		ck_assert(strncmp(meta, "{\"resourceVersion\":\"42\"", 23) == 0);
		/* never more than an unfinished value and a chunk held */
		ck_assert_uint_le(s.pending.len, step + 64);
		lsplit_free(&s);
		buf_free(&g.items);
	}
}
END_TEST

START_TEST(test_split_errors)
{
	static const struct {
		const char *text;
		const char *why;
	} bad[] = {
	    {"", "empty"},
	    {"  \n", "empty"},
	    {"[1,2]", "not a JSON object"},
	    {"{\"items\":[{}]", "ends early"},
	    {"{\"items\":[{},]}", "not JSON"},
	    {"{\"items\":[{} {}]}", "without a comma"},
	    {"{\"items\":7}", "neither an array nor null"},
	    {"{\"kind\":\"Status\",\"code\":500}", "no items"},
	    {"{\"a\" 1}", "without a colon"},
	    {"{7:1}", "without a name"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		for (size_t step = 1; step <= 64; step *= 4) {
			struct got g;
			struct lsplit s;
			struct perr err = {0};
			ck_assert_msg(split_in(bad[i].text, step, &g, &s, &err) == -1,
				      "accepted [%s]", bad[i].text);
			ck_assert_msg(strstr(perr_msg(&err), bad[i].why), "[%s]: %s", bad[i].text,
				      perr_msg(&err));
			ck_assert_ptr_nonnull(strstr(perr_msg(&err), "not a list"));
			perr_clear(&err);
			lsplit_free(&s);
			buf_free(&g.items);
		}
	}
	/* items: null is an empty list; a value longer than the limit is refused */
	struct got g;
	struct lsplit s;
	struct perr err = {0};
	ck_assert_int_eq(split_in("{\"metadata\":{},\"items\":null}", 3, &g, &s, &err), 0);
	ck_assert_int_eq(g.n, 0);
	lsplit_free(&s);
	buf_free(&g.items);
	struct buf big = BUF_INIT;
	buf_adds(&big, "{\"items\":[\"");
	for (int i = 0; i < 5000; i++)
		buf_addc(&big, 'x');
	buf_adds(&big, "\"]}");
	ck_assert_int_eq(split_in(big.data, 100, &g, &s, &err), -1);
	ck_assert_ptr_nonnull(strstr(perr_msg(&err), "larger than the limit"));
	perr_clear(&err);
	lsplit_free(&s);
	buf_free(&g.items);
	buf_free(&big);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("watchframe");
	TCase *tc = tcase_create("watchframe");
	tcase_add_test(tc, test_split_everywhere);
	tcase_add_test(tc, test_pending_and_max);
	tcase_add_test(tc, test_stop);
	tcase_add_test(tc, test_parse_events);
	tcase_add_test(tc, test_arena_tree);
	tcase_add_test(tc, test_arena_spill);
	tcase_add_test(tc, test_scan_valid);
	tcase_add_test(tc, test_scan_invalid);
	tcase_add_test(tc, test_scan_depth);
	tcase_add_test(tc, test_scan_page);
	tcase_add_test(tc, test_split_any_chunks);
	tcase_add_test(tc, test_split_errors);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	return test_run_suite(s);
}
