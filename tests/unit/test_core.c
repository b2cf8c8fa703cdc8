#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "podscope/buf.h"
#include "podscope/err.h"
#include "podscope/sort.h"
#include "podscope/xalloc.h"
#include "podscope/yamljson.h"
#include "testutil.h"

START_TEST(buf_grows_and_formats)
{
	struct buf b = BUF_INIT;
	for (int i = 0; i < 1000; i++)
		buf_printf(&b, "%d,", i);
	ck_assert_uint_eq(b.len, strlen(b.data));
	ck_assert(strncmp(b.data, "0,1,2,", 6) == 0);
	buf_consume(&b, 4);
	ck_assert(strncmp(b.data, "2,3,", 4) == 0);
	buf_reset(&b);
	buf_add_json_string(&b, "a\"b\\c\n\x01");
	ck_assert_str_eq(b.data, "\"a\\\"b\\\\c\\n\\u0001\"");
	char *s = buf_steal(&b);
	ck_assert_ptr_null(b.data);
	free(s);
	buf_free(&b);
}
END_TEST

START_TEST(err_prefix_and_status)
{
	struct perr e = {0};
	ck_assert_int_eq(perr_exit_status(&e), 0);
	ck_assert_str_eq(perr_msg(&e), "");
	perr_set(&e, PERR_CONFIG, "bad %s", "thing");
	perr_prefix(&e, "file %d", 3);
	ck_assert_str_eq(perr_msg(&e), "file 3: bad thing");
	ck_assert_int_eq(perr_exit_status(&e), 2);
	perr_set(&e, PERR_API, "nope");
	ck_assert_int_eq(perr_exit_status(&e), 1);
	perr_clear(&e);
	ck_assert_ptr_null(e.msg);
}
END_TEST

static cJSON *parse_ok(const char *yaml)
{
	struct perr e = {0};
	cJSON *j = yamljson_parse("t.yaml", yaml, strlen(yaml), &e);
	ck_assert_msg(j != NULL, "parse failed: %s", perr_msg(&e));
	perr_clear(&e);
	return j;
}

START_TEST(yaml_scalars_resolve_like_kubernetes)
{
	cJSON *j = parse_ok("a: 80\nb: \"80\"\nc: true\nd: 'yes'\ne: off\nf: ~\ng: 1.5\n"
			    "h: 0x1f\ni: 25%\nj: 0o17\nk: 1_000\nl: -3\nm: .5x\nn: null\n");
	ck_assert(cJSON_IsNumber(cJSON_GetObjectItem(j, "a")));
	ck_assert_int_eq(cJSON_GetObjectItem(j, "a")->valueint, 80);
	ck_assert(cJSON_IsString(cJSON_GetObjectItem(j, "b")));
	ck_assert(cJSON_IsTrue(cJSON_GetObjectItem(j, "c")));
	ck_assert(cJSON_IsString(cJSON_GetObjectItem(j, "d")));
	ck_assert(cJSON_IsFalse(cJSON_GetObjectItem(j, "e")));
	ck_assert(cJSON_IsNull(cJSON_GetObjectItem(j, "f")));
	ck_assert(fabs(cJSON_GetObjectItem(j, "g")->valuedouble - 1.5) < 1e-9);
	ck_assert_int_eq(cJSON_GetObjectItem(j, "h")->valueint, 31);
	ck_assert_str_eq(cJSON_GetObjectItem(j, "i")->valuestring, "25%");
	ck_assert_int_eq(cJSON_GetObjectItem(j, "j")->valueint, 15);
	ck_assert_int_eq(cJSON_GetObjectItem(j, "k")->valueint, 1000);
	ck_assert_int_eq(cJSON_GetObjectItem(j, "l")->valueint, -3);
	ck_assert_str_eq(cJSON_GetObjectItem(j, "m")->valuestring, ".5x");
	ck_assert(cJSON_IsNull(cJSON_GetObjectItem(j, "n")));
	cJSON_Delete(j);
}
END_TEST

START_TEST(yaml_structures_anchors_and_merge)
{
	cJSON *j = parse_ok("base: &b {x: 1, y: 2}\n"
			    "list:\n- one\n- {k: v}\n- [1, 2]\n"
			    "derived:\n  <<: *b\n  y: 3\n"
			    "copy: *b\n"
			    "block: |\n  line1\n  line2\n");
	cJSON *d = cJSON_GetObjectItem(j, "derived");
	ck_assert_int_eq(cJSON_GetObjectItem(d, "x")->valueint, 1);
	ck_assert_int_eq(cJSON_GetObjectItem(d, "y")->valueint, 3);
	ck_assert_int_eq(cJSON_GetObjectItem(cJSON_GetObjectItem(j, "copy"), "y")->valueint, 2);
	cJSON *l = cJSON_GetObjectItem(j, "list");
	ck_assert_int_eq(cJSON_GetArraySize(l), 3);
	ck_assert_str_eq(cJSON_GetArrayItem(l, 0)->valuestring, "one");
	ck_assert_str_eq(cJSON_GetObjectItem(j, "block")->valuestring, "line1\nline2\n");
	cJSON_Delete(j);
}
END_TEST

START_TEST(yaml_multi_documents)
{
	const char *y = "a: 1\n---\n---\nb: 2\n...\n---\n- x\n";
	struct perr e = {0};
	cJSON *docs = yamljson_parse_all("m.yaml", y, strlen(y), &e);
	ck_assert_ptr_nonnull(docs);
	ck_assert_int_eq(cJSON_GetArraySize(docs), 3);
	cJSON_Delete(docs);
	cJSON *empty = yamljson_parse("e.yaml", "", 0, &e);
	ck_assert(cJSON_IsObject(empty) && empty->child == NULL);
	cJSON_Delete(empty);
	/* JSON is YAML too. */
	cJSON *js = parse_ok("{\"kind\": \"Config\", \"n\": [1, 2]}");
	ck_assert_str_eq(cJSON_GetObjectItem(js, "kind")->valuestring, "Config");
	cJSON_Delete(js);
}
END_TEST

START_TEST(yaml_errors_name_line_and_column)
{
	struct perr e = {0};
	const char *y = "a: 1\nb:\n  - x\n  y: 2\n";
	ck_assert_ptr_null(yamljson_parse("/tmp/k.yaml", y, strlen(y), &e));
	ck_assert_int_eq(e.kind, PERR_CONFIG);
	ck_assert_msg(strncmp(perr_msg(&e), "/tmp/k.yaml:4:3: ", 17) == 0, "got %s",
		      perr_msg(&e));
	const char *tab = "a:\n\tb: 1\n";
	ck_assert_ptr_null(yamljson_parse("t.yaml", tab, strlen(tab), &e));
	ck_assert_msg(strncmp(perr_msg(&e), "t.yaml:2:", 9) == 0, "got %s", perr_msg(&e));
	const char *alias = "a: *nope\n";
	ck_assert_ptr_null(yamljson_parse("al.yaml", alias, strlen(alias), &e));
	ck_assert_msg(strstr(perr_msg(&e), "al.yaml:1:4: unknown anchor 'nope'"), "got %s",
		      perr_msg(&e));
	perr_clear(&e);
}
END_TEST

START_TEST(yaml_deep_nesting_is_refused)
{
	struct buf b = BUF_INIT;
	for (int i = 0; i < 400; i++)
		buf_addc(&b, '[');
	struct perr e = {0};
	ck_assert_ptr_null(yamljson_parse("deep.yaml", b.data, b.len, &e));
	ck_assert_ptr_nonnull(strstr(perr_msg(&e), "deep.yaml:1:"));
	perr_clear(&e);
	buf_free(&b);
}
END_TEST

struct rec {
	int key;
	char pad[37]; /* an odd size, bigger than a word */
};

static int cmp_rec(const void *a, const void *b)
{
	const struct rec *x = a, *y = b;
	return (x->key > y->key) - (x->key < y->key);
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

START_TEST(sort_inplace_orders_like_qsort)
{
	unsigned seed = 12345;
	for (size_t n = 0; n < 300; n += n < 20 ? 1 : 37) {
		struct rec *r = calloc(n + 1, sizeof(*r));
		int *keys = calloc(n + 1, sizeof(int));
		for (size_t i = 0; i < n; i++) {
			seed = seed * 1103515245u + 12345u;
			/* few distinct keys: duplicates on purpose */
			r[i].key = keys[i] = (int)(seed >> 16) % (int)(n / 3 + 1);
			memset(r[i].pad, r[i].key & 0x7f, sizeof(r[i].pad));
		}
		sort_inplace(r, n, sizeof(*r), cmp_rec);
		qsort(keys, n, sizeof(int), cmp_int);
		for (size_t i = 0; i < n; i++) {
			ck_assert_int_eq(r[i].key, keys[i]);
			/* records moved whole */
			ck_assert_int_eq(r[i].pad[36], r[i].key & 0x7f);
		}
		free(r);
		free(keys);
	}
}
END_TEST

START_TEST(sort_name_cmp_orders_ordinals)
{
	ck_assert_int_lt(sort_name_cmp("web-2", "web-10"), 0);
	ck_assert_int_gt(sort_name_cmp("web-10", "web-9"), 0);
	ck_assert_int_eq(sort_name_cmp("web-3", "web-3"), 0);
	ck_assert_int_lt(sort_name_cmp("api-10", "web-2"), 0); /* stems first */
	ck_assert_int_lt(sort_name_cmp("web", "web-1"), 0);
	ck_assert_int_lt(sort_name_cmp("web-a2", "web-a10"), 0);
	ck_assert_int_lt(sort_name_cmp("web-b1", "web-c"), 0);
	ck_assert_int_lt(sort_name_cmp(NULL, "a"), 0);
	ck_assert_int_eq(sort_name_cmp(NULL, ""), 0);
}
END_TEST

static Suite *core_suite(void)
{
	Suite *s = suite_create("core");
	TCase *tc = tcase_create("basics");
	tcase_add_test(tc, buf_grows_and_formats);
	tcase_add_test(tc, err_prefix_and_status);
	suite_add_tcase(s, tc);
	tc = tcase_create("yamljson");
	tcase_add_test(tc, yaml_scalars_resolve_like_kubernetes);
	tcase_add_test(tc, yaml_structures_anchors_and_merge);
	tcase_add_test(tc, yaml_multi_documents);
	tcase_add_test(tc, yaml_errors_name_line_and_column);
	tcase_add_test(tc, yaml_deep_nesting_is_refused);
	tcase_add_test(tc, sort_inplace_orders_like_qsort);
	tcase_add_test(tc, sort_name_cmp_orders_ordinals);
	suite_add_tcase(s, tc);
	return s;
}


int main(void)
{
	return test_run_suite(core_suite());
}
