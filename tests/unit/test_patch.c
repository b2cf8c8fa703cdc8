#include "config.h"

#include <string.h>

#include "patch.h"
#include "testutil.h"

static cJSON *J(const char *s)
{
	cJSON *j = cJSON_Parse(s);
	ck_assert_msg(j != NULL, "bad test JSON: %s", s);
	return j;
}

/* Apply and compare with the expected document. */
static void check(cJSON *(*fn)(const cJSON *, const cJSON *, struct perr *), const char *obj,
		  const char *patch, const char *want)
{
	cJSON *o = J(obj), *p = J(patch), *w = J(want);
	struct perr err = {0};
	cJSON *got = fn(o, p, &err);
	ck_assert_msg(got != NULL, "patch failed: %s", perr_msg(&err));
	char *gs = cJSON_PrintUnformatted(got);
	ck_assert_msg(cJSON_Compare(got, w, 1), "got %s\nwant %s", gs, want);
	/* The input is left alone. */
	cJSON *o2 = J(obj);
	ck_assert(cJSON_Compare(o, o2, 1));
	free(gs);
	cJSON_Delete(o2);
	cJSON_Delete(got);
	cJSON_Delete(o);
	cJSON_Delete(p);
	cJSON_Delete(w);
	perr_clear(&err);
}

static void check_fails(cJSON *(*fn)(const cJSON *, const cJSON *, struct perr *),
			const char *obj, const char *patch, enum perr_kind kind, long status)
{
	cJSON *o = J(obj), *p = J(patch);
	struct perr err = {0};
	cJSON *got = fn(o, p, &err);
	ck_assert_msg(got == NULL, "patch %s should fail", patch);
	ck_assert_int_eq(err.kind, kind);
	ck_assert_int_eq(err.http_status, status);
	ck_assert_str_ne(perr_msg(&err), "");
	cJSON_Delete(o);
	cJSON_Delete(p);
	perr_clear(&err);
}

/* RFC 7386, appendix A, a selection. */
START_TEST(merge_patch_rfc7386)
{
	check(patch_merge, "{\"a\":\"b\"}", "{\"a\":\"c\"}", "{\"a\":\"c\"}");
	check(patch_merge, "{\"a\":\"b\"}", "{\"b\":\"c\"}", "{\"a\":\"b\",\"b\":\"c\"}");
	check(patch_merge, "{\"a\":\"b\"}", "{\"a\":null}", "{}");
	check(patch_merge, "{\"a\":{\"b\":\"c\"}}", "{\"a\":{\"b\":\"d\",\"c\":null}}",
	      "{\"a\":{\"b\":\"d\"}}");
	check(patch_merge, "{\"a\":[{\"b\":\"c\"}]}", "{\"a\":[1]}", "{\"a\":[1]}");
	check(patch_merge, "{\"e\":null}", "{\"a\":1}", "{\"e\":null,\"a\":1}");
	check(patch_merge, "{}", "{\"a\":{\"bb\":{\"ccc\":null}}}", "{\"a\":{\"bb\":{}}}");
	check_fails(patch_merge, "{}", "[1]", PERR_USAGE, 0);
}
END_TEST

START_TEST(json_patch_ops)
{
	const char *doc = "{\"metadata\":{\"annotations\":{\"a/b\":\"x\"}},\"l\":[1,2]}";
	check(patch_json, doc, "[{\"op\":\"replace\",\"path\":\"/metadata/annotations/a~1b\",\"value\":\"y\"}]",
	      "{\"metadata\":{\"annotations\":{\"a/b\":\"y\"}},\"l\":[1,2]}");
	check(patch_json, doc, "[{\"op\":\"add\",\"path\":\"/l/-\",\"value\":3},"
			       "{\"op\":\"add\",\"path\":\"/l/0\",\"value\":0}]",
	      "{\"metadata\":{\"annotations\":{\"a/b\":\"x\"}},\"l\":[0,1,2,3]}");
	check(patch_json, doc, "[{\"op\":\"remove\",\"path\":\"/l/1\"},"
			       "{\"op\":\"move\",\"from\":\"/l\",\"path\":\"/m\"},"
			       "{\"op\":\"copy\",\"from\":\"/m\",\"path\":\"/n\"},"
			       "{\"op\":\"test\",\"path\":\"/n\",\"value\":[1]}]",
	      "{\"metadata\":{\"annotations\":{\"a/b\":\"x\"}},\"m\":[1],\"n\":[1]}");
	/* kubectl rollout undo's patch shape. */
	check(patch_json, "{\"metadata\":{\"annotations\":{\"r\":\"2\"}},\"spec\":{\"template\":{\"a\":1}}}",
	      "[{\"op\":\"replace\",\"path\":\"/spec/template\",\"value\":{\"b\":2}},"
	      "{\"op\":\"replace\",\"path\":\"/metadata/annotations\",\"value\":{\"r\":\"1\"}}]",
	      "{\"metadata\":{\"annotations\":{\"r\":\"1\"}},\"spec\":{\"template\":{\"b\":2}}}");
	check_fails(patch_json, doc, "[{\"op\":\"test\",\"path\":\"/l/0\",\"value\":9}]", PERR_API, 422);
	check_fails(patch_json, doc, "[{\"op\":\"remove\",\"path\":\"/nope\"}]", PERR_API, 422);
	check_fails(patch_json, doc, "[{\"op\":\"replace\",\"path\":\"/nope\",\"value\":1}]", PERR_API, 422);
	check_fails(patch_json, doc, "[{\"op\":\"add\",\"path\":\"/l/7\",\"value\":1}]", PERR_API, 422);
	check_fails(patch_json, doc, "[{\"op\":\"frob\",\"path\":\"/l\"}]", PERR_USAGE, 0);
	check_fails(patch_json, doc, "[{\"op\":\"add\",\"path\":\"l\",\"value\":1}]", PERR_USAGE, 0);
	check_fails(patch_json, doc, "{\"op\":\"add\"}", PERR_USAGE, 0);
}
END_TEST

static const char *deploy =
	"{\"metadata\":{\"name\":\"web\",\"finalizers\":[\"a\"]},"
	"\"spec\":{\"paused\":true,"
	"\"strategy\":{\"type\":\"RollingUpdate\",\"rollingUpdate\":{\"maxSurge\":1}},"
	"\"template\":{\"metadata\":{\"labels\":{\"app\":\"web\"}},\"spec\":{\"containers\":["
	"{\"name\":\"nginx\",\"image\":\"nginx:1.25\",\"env\":[{\"name\":\"A\",\"value\":\"1\"},"
	"{\"name\":\"B\",\"value\":\"2\"}],\"ports\":[{\"containerPort\":80}]},"
	"{\"name\":\"side\",\"image\":\"busybox\"}]}}}}";

START_TEST(strategic_what_kubectl_sends)
{
	/* kubectl set image. */
	cJSON *o = J(deploy);
	cJSON *p = J("{\"spec\":{\"template\":{\"spec\":{\"$setElementOrder/containers\":"
		     "[{\"name\":\"nginx\"},{\"name\":\"side\"}],\"containers\":"
		     "[{\"image\":\"nginx:1.27\",\"name\":\"nginx\"}]}}}}");
	struct perr err = {0};
	cJSON *got = patch_strategic(o, p, &err);
	ck_assert_ptr_nonnull(got);
	cJSON *cs = cJSON_GetObjectItem(
		cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetObjectItem(got, "spec"), "template"),
				    "spec"),
		"containers");
	ck_assert_int_eq(cJSON_GetArraySize(cs), 2);
	ck_assert_str_eq(cJSON_GetObjectItem(cJSON_GetArrayItem(cs, 0), "image")->valuestring,
			 "nginx:1.27");
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(cJSON_GetArrayItem(cs, 0), "env")), 2);
	ck_assert_str_eq(cJSON_GetObjectItem(cJSON_GetArrayItem(cs, 1), "name")->valuestring, "side");
	cJSON_Delete(got);
	cJSON_Delete(p);

	/* kubectl rollout resume: paused removed. Restart: an annotation added. */
	p = J("{\"spec\":{\"paused\":null,\"template\":{\"metadata\":{\"annotations\":"
	      "{\"kubectl.kubernetes.io/restartedAt\":\"2026-11-27T12:00:00Z\"}}}}}");
	got = patch_strategic(o, p, &err);
	cJSON *spec = cJSON_GetObjectItem(got, "spec");
	ck_assert_ptr_null(cJSON_GetObjectItem(spec, "paused"));
	cJSON *tm = cJSON_GetObjectItem(cJSON_GetObjectItem(spec, "template"), "metadata");
	ck_assert_ptr_nonnull(cJSON_GetObjectItem(tm, "labels"));
	ck_assert_ptr_nonnull(cJSON_GetObjectItem(cJSON_GetObjectItem(tm, "annotations"),
						  "kubectl.kubernetes.io/restartedAt"));
	cJSON_Delete(got);
	cJSON_Delete(p);
	cJSON_Delete(o);
	perr_clear(&err);
}
END_TEST

START_TEST(strategic_directives)
{
	/* Changing the strategy type: $retainKeys drops rollingUpdate. */
	check(patch_strategic, "{\"strategy\":{\"type\":\"RollingUpdate\",\"rollingUpdate\":{\"maxSurge\":1}}}",
	      "{\"strategy\":{\"$retainKeys\":[\"type\"],\"type\":\"Recreate\",\"rollingUpdate\":null}}",
	      "{\"strategy\":{\"type\":\"Recreate\"}}");
	/* An env entry deleted by key, one merged, one added. */
	check(patch_strategic, "{\"env\":[{\"name\":\"A\",\"value\":\"1\"},{\"name\":\"B\",\"value\":\"2\"}]}",
	      "{\"env\":[{\"name\":\"A\",\"$patch\":\"delete\"},{\"name\":\"B\",\"value\":\"3\"},"
	      "{\"name\":\"C\",\"value\":\"4\"}]}",
	      "{\"env\":[{\"name\":\"B\",\"value\":\"3\"},{\"name\":\"C\",\"value\":\"4\"}]}");
	/* A list without a merge key is replaced; $patch replace on a map. */
	check(patch_strategic, "{\"args\":[\"a\",\"b\"],\"m\":{\"x\":1,\"y\":2}}",
	      "{\"args\":[\"c\"],\"m\":{\"$patch\":\"replace\",\"z\":3}}",
	      "{\"args\":[\"c\"],\"m\":{\"z\":3}}");
	/* Finalizers merge as a set; $deleteFromPrimitiveList removes. */
	check(patch_strategic, "{\"finalizers\":[\"a\",\"b\"]}",
	      "{\"finalizers\":[\"b\",\"c\"],\"$deleteFromPrimitiveList/finalizers\":[\"a\"]}",
	      "{\"finalizers\":[\"b\",\"c\"]}");
	/* Service ports merge on port, container ports on containerPort. */
	check(patch_strategic, "{\"ports\":[{\"port\":80,\"name\":\"http\"}]}",
	      "{\"ports\":[{\"port\":80,\"targetPort\":8080}]}",
	      "{\"ports\":[{\"port\":80,\"name\":\"http\",\"targetPort\":8080}]}");
	/* $patch delete on a nested map removes it. */
	check(patch_strategic, "{\"a\":{\"b\":{\"c\":1}}}", "{\"a\":{\"b\":{\"$patch\":\"delete\"}}}",
	      "{\"a\":{}}");
	check_fails(patch_strategic, "{}", "{\"env\":[{\"value\":\"x\"}]}", PERR_USAGE, 0);
	check_fails(patch_strategic, "{\"env\":[]}", "{\"env\":[{\"value\":\"x\"}]}", PERR_USAGE, 0);
	check_fails(patch_strategic, "{}", "{\"$patch\":\"frob\"}", PERR_USAGE, 0);
}
END_TEST

static Suite *patch_suite(void)
{
	Suite *s = suite_create("patch");
	TCase *tc = tcase_create("patch");
	tcase_add_test(tc, merge_patch_rfc7386);
	tcase_add_test(tc, json_patch_ops);
	tcase_add_test(tc, strategic_what_kubectl_sends);
	tcase_add_test(tc, strategic_directives);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return test_run_suite(patch_suite());
}
