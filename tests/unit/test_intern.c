#include "config.h"

#include <stdio.h>
#include <string.h>

#include <check.h>

#include "podscope/intern.h"
#include "testutil.h"

START_TEST(test_shared_and_counted)
{
	struct intern *in = intern_new();
	char a[] = "nginx:1.25", b[] = "nginx:1.25";
	const char *x = intern_get(in, a);
	const char *y = intern_get(in, b);
	ck_assert_ptr_eq(x, y);
	ck_assert_ptr_ne(x, a);
	ck_assert_str_eq(x, "nginx:1.25");
	ck_assert_uint_eq(intern_count(in), 1);
	ck_assert_uint_eq(intern_refs(in, x), 2);
	ck_assert_ptr_eq(intern_getn(in, "nginx:1.25xyz", 10), x);
	ck_assert_uint_eq(intern_refs(in, x), 3);
	intern_release(in, x);
	intern_release(in, x);
	ck_assert_ptr_eq(intern_find(in, "nginx:1.25"), x);
	intern_release(in, x);
	ck_assert_ptr_null(intern_find(in, "nginx:1.25"));
	ck_assert_uint_eq(intern_count(in), 0);
	intern_free(in);
}
END_TEST

START_TEST(test_empty_and_foreign)
{
	struct intern *in = intern_new();
	const char *e = intern_get(in, "");
	ck_assert_str_eq(e, "");
	ck_assert_str_eq(intern_get(in, NULL), "");
	ck_assert_uint_eq(intern_count(in), 0);
	intern_release(in, e);
	const char *x = intern_get(in, "default");
	/* A string with the same text elsewhere in memory is not the table's. */
	char copy[] = "default";
	intern_release(in, copy);
	ck_assert_uint_eq(intern_refs(in, x), 1);
	intern_release(in, "never-interned");
	intern_release(in, x);
	ck_assert_uint_eq(intern_count(in), 0);
	intern_free(in);
}
END_TEST

/* Growth and backward-shift deletion under churn: every string stays findable. */
START_TEST(test_churn)
{
	struct intern *in = intern_new();
	enum { N = 20000 };
	static const char *ptrs[N];
	char buf[32];
	for (int i = 0; i < N; i++) {
		snprintf(buf, sizeof(buf), "pod-%d", i);
		ptrs[i] = intern_get(in, buf);
	}
	ck_assert_uint_eq(intern_count(in), N);
	size_t big = intern_bytes(in);
	for (int round = 0; round < 3; round++) {
		for (int i = round; i < N; i += 3) {
			intern_release(in, ptrs[i]);
			ptrs[i] = NULL;
		}
		for (int i = 0; i < N; i++) {
			snprintf(buf, sizeof(buf), "pod-%d", i);
			if (ptrs[i])
				ck_assert_ptr_eq(intern_find(in, buf), ptrs[i]);
			else
				ck_assert_ptr_null(intern_find(in, buf));
		}
	}
	ck_assert_uint_eq(intern_count(in), 0);
	ck_assert_uint_lt(intern_bytes(in), big);
	/* Re-adding after everything left works and reuses the table. */
	for (int i = 0; i < 100; i++) {
		snprintf(buf, sizeof(buf), "img-%d", i);
		ck_assert_str_eq(intern_get(in, buf), buf);
	}
	ck_assert_uint_eq(intern_count(in), 100);
	intern_free(in);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("intern");
	TCase *tc = tcase_create("intern");
	tcase_add_test(tc, test_shared_and_counted);
	tcase_add_test(tc, test_empty_and_foreign);
	tcase_add_test(tc, test_churn);
	suite_add_tcase(s, tc);
	return test_run_suite(s);
}
