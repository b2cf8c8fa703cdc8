#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "cmd_common.h"
#include "testutil.h"

/* The commands' helpers that need no server: the per-pod stage table of
 * watch and wait, TYPE/NAME arguments, --timeout. */

#define N 5000

/* Random inserts and removes against a plain array; keys chosen so that
 * many share a home slot and chains wrap around the end of the table. */
START_TEST(test_stab_against_array)
{
	static uint64_t keys[N];
	static bool in[N];
	struct cmd_stab t = {0};
	srand(7);
	for (size_t i = 0; i < N; i++)
		keys[i] = (i % 7 == 0) ? (uint64_t)(255 + 256 * i) : (uint64_t)rand() * 65537u + 1;
	for (int round = 0; round < 40000; round++) {
		size_t k = (size_t)rand() % N;
		if (rand() % 3 == 0 && in[k]) {
			struct cmd_pstate *e = cmd_stab_find(&t, keys[k]);
			ck_assert_ptr_nonnull(e);
			cmd_stab_remove(&t, e);
			in[k] = false;
		} else {
			bool fresh;
			struct cmd_pstate *e = cmd_stab_insert(&t, keys[k], &fresh);
			ck_assert(fresh == !in[k]);
			if (fresh)
				ck_assert_int_eq(e->restarts, 0);
			e->restarts = (int32_t)k;
			in[k] = true;
		}
	}
	size_t count = 0;
	for (size_t k = 0; k < N; k++) {
		struct cmd_pstate *e = cmd_stab_find(&t, keys[k]);
		ck_assert_msg((e != NULL) == in[k], "key %zu", k);
		if (e) {
			ck_assert_int_eq(e->restarts, (int32_t)k);
			count++;
		}
	}
	ck_assert_uint_eq(t.count, count);
	/* sweep keeps exactly the entries marked live */
	for (size_t k = 0; k < N; k += 2)
		if (in[k])
			cmd_stab_find(&t, keys[k])->live = 1;
	cmd_stab_sweep(&t);
	for (size_t k = 0; k < N; k++) {
		struct cmd_pstate *e = cmd_stab_find(&t, keys[k]);
		ck_assert_msg((e != NULL) == (in[k] && k % 2 == 0), "after sweep, key %zu", k);
		if (e)
			ck_assert_int_eq(e->live, 0);
	}
	cmd_stab_free(&t);
	ck_assert_ptr_null(cmd_stab_find(&t, 42));
}
END_TEST

START_TEST(test_pod_key)
{
	ck_assert(cmd_pod_key("shop", "web-1") != 0);
	ck_assert(cmd_pod_key("shop", "web-1") == cmd_pod_key("shop", "web-1"));
	ck_assert(cmd_pod_key("shop", "web-1") != cmd_pod_key("shop", "web-2"));
	ck_assert(cmd_pod_key(NULL, NULL) == cmd_pod_key("", ""));
}
END_TEST

START_TEST(test_targets)
{
	const char *kind, *name;
	ck_assert(cmd_parse_target("get", "deploy/web", &kind, &name));
	ck_assert_str_eq(kind, "deployment");
	ck_assert_str_eq(name, "web");
	ck_assert(cmd_parse_target("get", "deployments.apps/web", &kind, &name));
	ck_assert_str_eq(kind, "deployment");
	ck_assert(cmd_parse_target("get", "po/x", &kind, &name));
	ck_assert_str_eq(kind, "pod");
	ck_assert(!cmd_parse_target("get", "svc/x", &kind, &name));
	ck_assert(!cmd_parse_target("get", "deploy/", &kind, &name));
	ck_assert(!cmd_parse_target("get", "web", &kind, &name));
	ck_assert(!cmd_parse_target("get", "deploy/a/b", &kind, &name));
}
END_TEST

START_TEST(test_timeout)
{
	ck_assert_int_eq(cmd_parse_timeout("wait", NULL), 0);
	ck_assert_int_eq(cmd_parse_timeout("wait", "90s"), 90000);
	ck_assert_int_eq(cmd_parse_timeout("wait", "1m30s"), 90000);
	ck_assert_int_eq(cmd_parse_timeout("wait", "0"), 0);
	ck_assert_int_eq(cmd_parse_timeout("wait", "1us"), 1);
	ck_assert_int_eq(cmd_parse_timeout("wait", "30"), -1);
	ck_assert_int_eq(cmd_parse_timeout("wait", "-5s"), -1);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("lifecycle_cmd");
	TCase *tc = tcase_create("cmd");
	tcase_add_test(tc, test_stab_against_array);
	tcase_add_test(tc, test_pod_key);
	tcase_add_test(tc, test_targets);
	tcase_add_test(tc, test_timeout);
	suite_add_tcase(s, tc);
	return test_run_suite(s);
}
