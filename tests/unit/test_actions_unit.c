#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "podscope/actions_kube.h"
#include "podscope/buf.h"
#include "podscope/store.h"
#include "podscope/urlpath.h"

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

START_TEST(test_urlpath_escape)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
	    {"web-1", "web-1"},
	    {"a.b_c~d-E9", "a.b_c~d-E9"},
	    {"victim2/../../../kube-system/pods/coredns",
	     "victim2%2F..%2F..%2F..%2Fkube-system%2Fpods%2Fcoredns"},
	    {"a b?c=d&e#f%g", "a%20b%3Fc%3Dd%26e%23f%25g"},
	    {"\x1b]0;t\x07\r\n", "%1B%5D0%3Bt%07%0D%0A"},
	    {"caf\xc3\xa9", "caf%C3%A9"},
	    {"", ""},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct buf b = BUF_INIT;
		buf_adds(&b, "");
		urlpath_escape(&b, cases[i].in);
		ck_assert_str_eq(b.data, cases[i].out);
		buf_free(&b);
	}
}
END_TEST

/* The good and bad values of TestIsDNS1123Label, TestIsDNS1123Subdomain and
 * TestIsDNS1035Label in kubernetes/kubernetes
 * staging/src/k8s.io/apimachinery/pkg/util/validation/validation_test.go. */
/* clang-format off */
static const char *const label_good[] = {"a",  "ab", "abc", "a1", "a-1", "a--1--2--b",
					 "0",  "01", "012", "1a", "1-a", "1--a--b--2"};
static const char *const label_bad[] = {
    "",  "A",  "ABC", "aBc", "A1", "A-1", "1-A", "-",  "a-",  "-a",  "1-",  "-1",
    "_", "a_", "_a",  "a_b", "1_", "_1",  "1_2", ".",  "a.",  ".a",  "a.b", "1.",
    ".1", "1.2", " ", "a ", " a", "a b",  "1 ",  " 1", "1 2"};
static const char *const subdomain_good[] = {
    "a",     "ab",    "abc",    "a1",    "a-1",    "a--1--2--b",   "0",         "01",
    "012",   "1a",    "1-a",    "1--a--b--2",      "a.a",          "ab.a",      "abc.a",
    "a1.a",  "a-1.a", "a--1--2--b.a",   "a.1",     "ab.1",         "abc.1",     "a1.1",
    "a-1.1", "a--1--2--b.1",    "0.a",  "01.a",    "012.a",        "1a.a",      "1-a.a",
    "0.1",   "01.1",  "012.1",  "1a.1",  "1-a.1",  "1--a--b--2.1", "a.b.c.d.e", "aa.bb.cc.dd.ee",
    "1.2.3.4.5",      "11.22.33.44.55"};
static const char *const subdomain_bad[] = {
    "",          "A",     "ABC",   "aBc",   "A1",    "A-1",   "1-A",   "-",
    "a-",        "-a",    "1-",    "-1",    "_",     "a_",    "_a",    "a_b",
    "1_",        "_1",    "1_2",   ".",     "a.",    ".a",    "a..b",  "1.",
    ".1",        "1..2",  " ",     "a ",    " a",    "a b",   "1 ",    " 1",
    "1 2",       "A.a",   "aB.a",  "ab.A",  "A1.a",  "a1.A",  "A.1",   "aB.1",
    "A1.1",      "1A.1",  "0.A",   "01.A",  "012.A", "1A.a",  "1a.A",  "A.B.C.D.E",
    "AA.BB.CC.DD.EE",     "a.B.c.d.e",      "aa.bB.cc.dd.ee", "a@b", "a,b",   "a;b",
    "a:b",       "a%b",   "a?b",   "a$b"};
static const char *const dns1035_good[] = {"a", "ab", "abc", "a1", "a-1", "a--1--2--b"};
static const char *const dns1035_bad[] = {
    "0",  "01", "012", "1a", "1-a", "1--a--b--2", "",  "A",  "ABC", "aBc", "A1", "A-1", "1-A",
    "-",  "a-", "-a",  "1-", "-1",  "_",          "a_", "_a", "a_b", "1_",  "_1", "1_2", ".",
    "a.", ".a", "a.b", "1.", ".1",  "1.2",        " ",  "a ", " a",  "a b", "1 ", " 1", "1 2"};
/* clang-format on */

static void check_names(const char *const *v, size_t n, enum urlpath_rule r, bool want)
{
	for (size_t i = 0; i < n; i++) {
		char why[512] = "";
		ck_assert_msg(urlpath_name_valid(v[i], r, why, sizeof(why)) == want,
			      "rule %d, \"%s\": expected %s (%s)", (int)r, v[i],
			      want ? "valid" : "invalid", why);
		if (!want)
			ck_assert_msg(*why, "\"%s\": no reason given", v[i]);
	}
}

#define CHECK_NAMES(v, r, want) check_names(v, sizeof(v) / sizeof(v[0]), r, want)

START_TEST(test_names_upstream)
{
	CHECK_NAMES(label_good, URLPATH_DNS1123_LABEL, true);
	CHECK_NAMES(label_bad, URLPATH_DNS1123_LABEL, false);
	CHECK_NAMES(subdomain_good, URLPATH_DNS1123_SUBDOMAIN, true);
	CHECK_NAMES(subdomain_bad, URLPATH_DNS1123_SUBDOMAIN, false);
	CHECK_NAMES(dns1035_good, URLPATH_DNS1035_LABEL, true);
	CHECK_NAMES(dns1035_bad, URLPATH_DNS1035_LABEL, false);
	/* The length bounds: strings.Repeat("a", 63|64|253|254) upstream. */
	char s[300];
	char why[512];
	memset(s, 'a', sizeof(s));
	s[63] = '\0';
	ck_assert(urlpath_name_valid(s, URLPATH_DNS1123_LABEL, why, sizeof(why)));
	ck_assert(urlpath_name_valid(s, URLPATH_DNS1035_LABEL, why, sizeof(why)));
	s[63] = 'a';
	s[64] = '\0';
	ck_assert(!urlpath_name_valid(s, URLPATH_DNS1123_LABEL, why, sizeof(why)));
	ck_assert_str_eq(why, "must be no more than 63 characters");
	ck_assert(!urlpath_name_valid(s, URLPATH_DNS1035_LABEL, why, sizeof(why)));
	s[64] = 'a';
	s[253] = '\0';
	ck_assert(urlpath_name_valid(s, URLPATH_DNS1123_SUBDOMAIN, why, sizeof(why)));
	s[253] = 'a';
	s[254] = '\0';
	ck_assert(!urlpath_name_valid(s, URLPATH_DNS1123_SUBDOMAIN, why, sizeof(why)));
	ck_assert_str_eq(why, "must be no more than 253 characters");
}
END_TEST

#define SUBDOMAIN_WHY                                                                              \
	"a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' "  \
	"or '.', and must start and end with an alphanumeric character (e.g. 'example.com', "      \
	"regex used for validation is "                                                            \
	"'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
#define LABEL_WHY                                                                                  \
	"a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', "   \
	"and must start and end with an alphanumeric character (e.g. 'my-name' or '123-abc', "     \
	"regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"

START_TEST(test_names_messages)
{
	char why[1024];
	ck_assert(!urlpath_name_valid("a/b", URLPATH_DNS1123_SUBDOMAIN, why, sizeof(why)));
	ck_assert_str_eq(why, SUBDOMAIN_WHY);
	ck_assert(!urlpath_name_valid("A", URLPATH_DNS1123_LABEL, why, sizeof(why)));
	ck_assert_str_eq(why, LABEL_WHY);
	/* A subdomain that is no label: apimachinery says why in three words. */
	ck_assert(!urlpath_name_valid("a.b", URLPATH_DNS1123_LABEL, why, sizeof(why)));
	ck_assert_str_eq(why, "must not contain dots");
	ck_assert(!urlpath_name_valid("1abc", URLPATH_DNS1035_LABEL, why, sizeof(why)));
	ck_assert_str_eq(why, "a DNS-1035 label must consist of lower case alphanumeric characters "
			      "or '-', start with an alphabetic character, and end with an "
			      "alphanumeric character (e.g. 'my-name' or 'abc-123', regex used for "
			      "validation is '[a-z]([-a-z0-9]*[a-z0-9])?')");
	/* Both reasons, as the API lists both. */
	char s[300];
	memset(s, 'A', sizeof(s));
	s[299] = '\0';
	ck_assert(!urlpath_name_valid(s, URLPATH_DNS1123_SUBDOMAIN, why, sizeof(why)));
	ck_assert_str_eq(why, "must be no more than 253 characters, " SUBDOMAIN_WHY);
	/* The buffer is never overrun. */
	char small[8];
	ck_assert(!urlpath_name_valid("a/b", URLPATH_DNS1123_SUBDOMAIN, small, sizeof(small)));
	ck_assert_str_eq(small, "a lower");
}
END_TEST

/* Start a plan with a NULL client: any request would crash, so a handle
 * back means a request was sent. */
static struct kact_plan_req *start_plan(enum kact_kind kind, const char *ns, const char *obj,
					const char *deploy, struct perr *err)
{
	struct kact_args a = {.kind = kind,
			      .ns = ns,
			      .object = obj,
			      .deploy = deploy,
			      .container = "c",
			      .image = "i:2"};
	return kact_plan_start(NULL, &a, NULL, NULL, err);
}

/* No plan is made, and nothing is sent (the client is NULL: any request would crash). */
START_TEST(test_plan_hostile_names)
{
	const char *hostile = "victim2/../../../kube-system/pods/coredns";
	struct perr err = {0};
	ck_assert_ptr_null(start_plan(KACT_DELETE_POD, "prod", hostile, NULL, &err));
	ck_assert_int_eq(err.kind, PERR_USAGE);
	ck_assert_str_eq(perr_msg(&err),
			 "invalid resource name "
			 "\"victim2/../../../kube-system/pods/coredns\": " SUBDOMAIN_WHY);

	ck_assert_ptr_null(start_plan(KACT_PAUSE, "../kube-system", "web", NULL, &err));
	ck_assert_str_eq(perr_msg(&err), "invalid namespace \"../kube-system\": " LABEL_WHY);
	ck_assert_ptr_null(start_plan(KACT_RESUME, "prod", "web/../../x", NULL, &err));
	ck_assert_ptr_null(start_plan(KACT_RESTART, "prod", "Web", NULL, &err));
	ck_assert_ptr_null(start_plan(KACT_SET_IMAGE, "prod", "web?x", NULL, &err));
	ck_assert_ptr_null(start_plan(KACT_UNDO, "prod", "..", NULL, &err));
	ck_assert_ptr_null(start_plan(KACT_SCALE, "prod", "web%2F..", NULL, &err));
	ck_assert_ptr_null(start_plan(KACT_SWITCH_SERVICE, "prod", "1svc", "web", &err));
	ck_assert_ptr_null(start_plan(KACT_SWITCH_SERVICE, "prod", "svc", "web/x", &err));
	ck_assert_ptr_null(start_plan(KACT_DELETE_POD, "", "web-1", NULL, &err));
	ck_assert_str_eq(perr_msg(&err), "namespace may not be empty");
	ck_assert_ptr_null(start_plan(KACT_DELETE_POD, "prod", "", NULL, &err));
	ck_assert_str_eq(perr_msg(&err), "resource name may not be empty");
	ck_assert_ptr_null(kact_history_start(NULL, "prod", "a b", NULL, NULL, &err));

	/* The name in the message is escaped and cut: the message goes to a terminal. */
	char big[400];
	memset(big, 'x', sizeof(big));
	memcpy(big, "\x1b]0;owned\x07\"\\\n\xc2\x9b", 15);
	big[sizeof(big) - 1] = '\0';
	ck_assert_ptr_null(start_plan(KACT_DELETE_POD, "prod", big, NULL, &err));
	const char *m = perr_msg(&err);
	for (const char *c = m; *c; c++)
		ck_assert_msg((unsigned char)*c >= 0x20 && (unsigned char)*c < 0x7f,
			      "byte 0x%02x in: %s", (unsigned char)*c, m);
	const char *want = "invalid resource name \"\\x1b]0;owned\\x07\"\\\\n\\u009bxxx";
	ck_assert_msg(strncmp(m, want, strlen(want)) == 0, "%s", m);
	ck_assert_ptr_nonnull(strstr(m, "xxx~\": must be no more than 253 characters, "));
	perr_clear(&err);
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
	tcase_add_test(tc, test_urlpath_escape);
	tcase_add_test(tc, test_names_upstream);
	tcase_add_test(tc, test_names_messages);
	tcase_add_test(tc, test_plan_hostile_names);
	suite_add_tcase(s, tc);
	return test_run_suite(s);
}
