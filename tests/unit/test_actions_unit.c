#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "podscope/actions_kube.h"
#include "podscope/store.h"

#include "testutil.h"

static const struct {
	const char *in;
	int32_t current;
	int32_t want; /* -1: refused */
	const char *why;
} scale_cases[] = {
    {"3", 5, 3, NULL},
    {"0", 5, 0, NULL},
    {" 12 ", 1, 12, NULL},
    {"+2", 3, 5, NULL},
    {"-1", 3, 2, NULL},
    {"-3", 3, 0, NULL},
    {"+0", 3, 3, NULL},
    {"007", 0, 7, NULL},
    {"2147483647", 0, 2147483647, NULL},
    {"", 3, -1, "type a number of replicas"},
    {"   ", 3, -1, "type a number of replicas"},
    {"-4", 3, -1, "the number of replicas cannot go below 0"},
    {"+", 3, -1, "a number must follow + or -"},
    {"-", 3, -1, "a number must follow + or -"},
    {"1.5", 3, -1, "not a whole number"},
    {"2,0", 3, -1, "not a whole number"},
    {"abc", 3, -1, "not a number (a whole number from 0, or +N / -N)"},
    {"3x", 3, -1, "not a number (a whole number from 0, or +N / -N)"},
    {"1e3", 3, -1, "not a number (a whole number from 0, or +N / -N)"},
    {"0x10", 3, -1, "not a number (a whole number from 0, or +N / -N)"},
    {"++1", 3, -1, "not a number (a whole number from 0, or +N / -N)"},
    {"1 2", 3, -1, "not a number (a whole number from 0, or +N / -N)"},
    {"2147483648", 3, -1, "too large (at most 2147483647)"},
    {"+2147483647", 3, -1, "too large (at most 2147483647)"},
    {"99999999999999999999", 3, -1, "too large (at most 2147483647)"},
};

START_TEST(test_scale_parse)
{
	for (size_t i = 0; i < sizeof(scale_cases) / sizeof(scale_cases[0]); i++) {
		int32_t out = -99;
		const char *why = NULL;
		int rc = kact_scale_parse(scale_cases[i].in, scale_cases[i].current, &out, &why);
		if (scale_cases[i].want >= 0) {
			ck_assert_msg(rc == 0 && out == scale_cases[i].want, "\"%s\": got %d (%s)",
				      scale_cases[i].in, out, why ? why : "");
		} else {
			ck_assert_msg(rc == -1, "\"%s\" should be refused", scale_cases[i].in);
			ck_assert_str_eq(why, scale_cases[i].why);
		}
	}
	const char *why;
	int32_t out;
	ck_assert_int_eq(kact_scale_parse(NULL, 1, &out, &why), -1);
}
END_TEST

START_TEST(test_rfc3339)
{
	char ts[32];
	setenv("TZ", "UTC", 1);
	tzset();
	kact_rfc3339(1714566896, ts);
	ck_assert_str_eq(ts, "2024-05-01T12:34:56Z");
	setenv("TZ", "CET-1CEST,M3.5.0,M10.5.0/3", 1);
	tzset();
	kact_rfc3339(1714566896, ts);
	ck_assert_str_eq(ts, "2024-05-01T14:34:56+02:00");
	setenv("TZ", "<-0330>3:30", 1);
	tzset();
	kact_rfc3339(1714566896, ts);
	ck_assert_str_eq(ts, "2024-05-01T09:04:56-03:30");
	unsetenv("TZ");
	tzset();
}
END_TEST

START_TEST(test_audit_path)
{
	setenv("XDG_STATE_HOME", "/x/state", 1);
	setenv("HOME", "/home/u", 1);
	char *p = kact_audit_path();
	ck_assert_str_eq(p, "/x/state/podscope/audit.log");
	free(p);
	/* A relative XDG_STATE_HOME is invalid (XDG spec): the default applies. */
	setenv("XDG_STATE_HOME", "rel", 1);
	p = kact_audit_path();
	ck_assert_str_eq(p, "/home/u/.local/state/podscope/audit.log");
	free(p);
	unsetenv("XDG_STATE_HOME");
	p = kact_audit_path();
	ck_assert_str_eq(p, "/home/u/.local/state/podscope/audit.log");
	free(p);
	unsetenv("HOME");
	ck_assert_ptr_null(kact_audit_path());
}
END_TEST

static void add(struct store *s, enum store_kind k, const char *json)
{
	cJSON *o = cJSON_Parse(json);
	struct perr err = {0};
	ck_assert_int_ge(store_upsert_json(s, k, o, &err), 0);
	cJSON_Delete(o);
}

START_TEST(test_image_tags)
{
	struct store *s = store_new();
	add(s, STORE_REPLICASETS,
	    "{\"metadata\":{\"name\":\"a\",\"namespace\":\"default\",\"uid\":\"1\"},\"spec\":"
	    "{\"template\":{\"spec\":{\"containers\":[{\"name\":\"n\",\"image\":\"nginx:1.25\"},"
	    "{\"name\":\"s\",\"image\":\"busybox:1.36\"}]}}}}");
	add(s, STORE_REPLICASETS,
	    "{\"metadata\":{\"name\":\"b\",\"namespace\":\"default\",\"uid\":\"2\"},\"spec\":"
	    "{\"template\":{\"spec\":{\"containers\":[{\"name\":\"n\",\"image\":\"nginx:1.27\"}]}}}"
	    "}");
	add(s, STORE_REPLICASETS,
	    "{\"metadata\":{\"name\":\"c\",\"namespace\":\"other\",\"uid\":\"3\"},\"spec\":"
	    "{\"template\":{\"spec\":{\"containers\":[{\"name\":\"n\",\"image\":\"nginx:1.20\"}]}}}"
	    "}");
	add(s, STORE_PODS,
	    "{\"metadata\":{\"name\":\"p\",\"namespace\":\"default\",\"uid\":\"4\"},\"spec\":"
	    "{\"containers\":[{\"name\":\"n\",\"image\":\"nginx@sha256:abc\"},"
	    "{\"name\":\"m\",\"image\":\"nginx:1.27\"},{\"name\":\"o\",\"image\":\"nginxx:1\"},"
	    "{\"name\":\"r\",\"image\":\"reg:5000/nginx:1.25\"}]}}");
	char **tags;
	size_t n = kact_image_tags(s, "default", "nginx:1.27", &tags);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(tags[0], "nginx:1.25");
	ck_assert_str_eq(tags[1], "nginx@sha256:abc");
	kact_strv_free(tags, n);
	n = kact_image_tags(s, NULL, "nginx", &tags);
	ck_assert_uint_eq(n, 4);
	ck_assert_str_eq(tags[0], "nginx:1.20");
	kact_strv_free(tags, n);
	n = kact_image_tags(s, NULL, "reg:5000/nginx", &tags);
	ck_assert_uint_eq(n, 1);
	ck_assert_str_eq(tags[0], "reg:5000/nginx:1.25");
	kact_strv_free(tags, n);
	store_free(s);
}
END_TEST

START_TEST(test_kind_names)
{
	ck_assert_str_eq(kact_kind_name(KACT_SET_IMAGE), "set-image");
	ck_assert_str_eq(kact_kind_name(KACT_SWITCH_SERVICE), "switch-service");
	ck_assert_str_eq(kact_kind_name(KACT_DELETE_POD), "delete-pod");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("actions-unit");
	TCase *tc = tcase_create("pure");
	tcase_add_test(tc, test_scale_parse);
	tcase_add_test(tc, test_rfc3339);
	tcase_add_test(tc, test_audit_path);
	tcase_add_test(tc, test_image_tags);
	tcase_add_test(tc, test_kind_names);
	suite_add_tcase(s, tc);
	return test_run_suite(s);
}
