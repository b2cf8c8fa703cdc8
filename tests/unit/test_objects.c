#include "config.h"

#include <string.h>

#include "objdefaults.h"
#include "testutil.h"

static cJSON *J(const char *s)
{
	cJSON *j = cJSON_Parse(s);
	ck_assert_msg(j != NULL, "bad test JSON: %s", s);
	return j;
}

static const cJSON *at(const cJSON *o, const char *path)
{
	char buf[256];
	snprintf(buf, sizeof(buf), "%s", path);
	char *save = NULL;
	for (char *k = strtok_r(buf, ".", &save); k && o; k = strtok_r(NULL, ".", &save)) {
		if (cJSON_IsArray(o))
			o = cJSON_GetArrayItem(o, atoi(k));
		else
			o = cJSON_GetObjectItemCaseSensitive(o, k);
	}
	return o;
}

/* What `kubectl create deployment web --image=nginx:1.25` sends. */
static const char *created =
	"{\"kind\":\"Deployment\",\"apiVersion\":\"apps/v1\",\"metadata\":{\"name\":\"web\","
	"\"labels\":{\"app\":\"web\"}},\"spec\":{\"replicas\":1,\"selector\":{\"matchLabels\":"
	"{\"app\":\"web\"}},\"template\":{\"metadata\":{\"labels\":{\"app\":\"web\"}},\"spec\":"
	"{\"containers\":[{\"name\":\"nginx\",\"image\":\"nginx:1.25\",\"resources\":{},"
	"\"readinessProbe\":{\"httpGet\":{\"port\":80}}}]}},\"strategy\":{}},\"status\":{}}";

START_TEST(deployment_defaults)
{
	cJSON *d = J(created);
	objdefaults_apply("Deployment", d);
	ck_assert_str_eq(at(d, "spec.strategy.type")->valuestring, "RollingUpdate");
	ck_assert_str_eq(at(d, "spec.strategy.rollingUpdate.maxSurge")->valuestring, "25%");
	ck_assert_str_eq(at(d, "spec.strategy.rollingUpdate.maxUnavailable")->valuestring, "25%");
	ck_assert_int_eq(at(d, "spec.revisionHistoryLimit")->valueint, 10);
	ck_assert_int_eq(at(d, "spec.progressDeadlineSeconds")->valueint, 600);
	ck_assert_str_eq(at(d, "spec.template.spec.restartPolicy")->valuestring, "Always");
	ck_assert_int_eq(at(d, "spec.template.spec.terminationGracePeriodSeconds")->valueint, 30);
	const cJSON *c = at(d, "spec.template.spec.containers.0");
	ck_assert_str_eq(at(c, "imagePullPolicy")->valuestring, "IfNotPresent");
	ck_assert_int_eq(at(c, "readinessProbe.periodSeconds")->valueint, 10);
	ck_assert_int_eq(at(c, "readinessProbe.failureThreshold")->valueint, 3);
	ck_assert_int_eq(at(c, "readinessProbe.timeoutSeconds")->valueint, 1);
	ck_assert_str_eq(at(c, "readinessProbe.httpGet.path")->valuestring, "/");
	ck_assert_ptr_null(objvalidate("Deployment", "apps", d));
	cJSON_Delete(d);

	/* Recreate gets no rollingUpdate; an untagged image pulls Always. */
	d = J("{\"spec\":{\"strategy\":{\"type\":\"Recreate\"},\"template\":{\"spec\":"
	      "{\"containers\":[{\"name\":\"a\",\"image\":\"busybox\"}]}}}}");
	objdefaults_apply("Deployment", d);
	ck_assert_ptr_null(at(d, "spec.strategy.rollingUpdate"));
	ck_assert_str_eq(at(d, "spec.template.spec.containers.0.imagePullPolicy")->valuestring,
			 "Always");
	cJSON_Delete(d);
}
END_TEST

START_TEST(service_and_pod_defaults)
{
	cJSON *s = J("{\"metadata\":{\"name\":\"svc\"},\"spec\":{\"ports\":[{\"port\":80}]}}");
	objdefaults_apply("Service", s);
	ck_assert_str_eq(at(s, "spec.type")->valuestring, "ClusterIP");
	ck_assert_int_eq(at(s, "spec.ports.0.targetPort")->valueint, 80);
	ck_assert_str_eq(at(s, "spec.ports.0.protocol")->valuestring, "TCP");
	ck_assert_ptr_null(objvalidate("Service", "", s));
	cJSON_Delete(s);
	cJSON *p = J("{\"metadata\":{\"name\":\"p\"},\"spec\":{\"restartPolicy\":\"Never\","
		     "\"containers\":[{\"name\":\"c\",\"image\":\"busybox:1.36\"}]}}");
	objdefaults_apply("Pod", p);
	ck_assert_str_eq(at(p, "spec.restartPolicy")->valuestring, "Never");
	ck_assert_str_eq(at(p, "spec.dnsPolicy")->valuestring, "ClusterFirst");
	ck_assert_ptr_null(objvalidate("Pod", "", p));
	cJSON_Delete(p);
}
END_TEST

/* Validate after defaulting; return the Status message ("" when valid). */
static char *message_for(const char *kind, const char *group, const char *json)
{
	cJSON *o = J(json);
	objdefaults_apply(kind, o);
	cJSON *st = objvalidate(kind, group, o);
	char *msg = strdup("");
	if (st) {
		ck_assert_int_eq(at(st, "code")->valueint, 422);
		ck_assert_str_eq(at(st, "reason")->valuestring, "Invalid");
		ck_assert(cJSON_GetArraySize(at(st, "details.causes")) >= 1);
		free(msg);
		msg = strdup(at(st, "message")->valuestring);
	}
	cJSON_Delete(st);
	cJSON_Delete(o);
	return msg;
}

static void expect_message(const char *kind, const char *group, const char *json,
			   const char *want)
{
	char *got = message_for(kind, group, json);
	ck_assert_msg(strstr(got, want) != NULL, "got \"%s\", want it to contain \"%s\"", got,
		      want);
	free(got);
}

START_TEST(validation_messages)
{
	expect_message("Deployment", "apps",
		       "{\"metadata\":{\"name\":\"Bad_Name\"},\"spec\":{\"selector\":{\"matchLabels\":"
		       "{\"a\":\"b\"}},\"template\":{\"metadata\":{\"labels\":{\"a\":\"b\"}},\"spec\":"
		       "{\"containers\":[{\"name\":\"c\",\"image\":\"i\"}]}}}}",
		       "Deployment.apps \"Bad_Name\" is invalid: metadata.name: Invalid value: "
		       "\"Bad_Name\": a lowercase RFC 1123 subdomain");
	expect_message("Deployment", "apps",
		       "{\"metadata\":{\"name\":\"web\"},\"spec\":{\"replicas\":-1,\"selector\":"
		       "{\"matchLabels\":{\"a\":\"b\"}},\"template\":{\"metadata\":{\"labels\":"
		       "{\"a\":\"b\"}},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"i\"}]}}}}",
		       "Deployment.apps \"web\" is invalid: spec.replicas: Invalid value: -1: must "
		       "be greater than or equal to 0");
	expect_message("Deployment", "apps",
		       "{\"metadata\":{\"name\":\"web\"},\"spec\":{\"selector\":{\"matchLabels\":"
		       "{\"app\":\"x\"}},\"template\":{\"metadata\":{\"labels\":{\"app\":\"y\"}},"
		       "\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"i\"}]}}}}",
		       "spec.template.metadata.labels: Invalid value: {\"app\":\"y\"}: `selector` "
		       "does not match template `labels`");
	expect_message("Deployment", "apps",
		       "{\"metadata\":{\"name\":\"web\"},\"spec\":{\"strategy\":{\"rollingUpdate\":"
		       "{\"maxSurge\":0,\"maxUnavailable\":0}},\"selector\":{\"matchLabels\":{\"a\":"
		       "\"b\"}},\"template\":{\"metadata\":{\"labels\":{\"a\":\"b\"}},\"spec\":"
		       "{\"containers\":[{\"name\":\"c\",\"image\":\"i\"}]}}}}",
		       "may not be 0 when `maxSurge` is 0");
	expect_message("Deployment", "apps",
		       "{\"metadata\":{\"name\":\"web\"},\"spec\":{\"selector\":{\"matchLabels\":"
		       "{\"a\":\"b\"}},\"template\":{\"metadata\":{\"labels\":{\"a\":\"b\"}},\"spec\":"
		       "{\"restartPolicy\":\"Never\",\"containers\":[{\"name\":\"c\"}]}}}}",
		       "[spec.template.spec.containers[0].image: Required value, "
		       "spec.template.spec.restartPolicy: Unsupported value: \"Never\": supported "
		       "values: \"Always\"]");
	expect_message("Service", "", "{\"metadata\":{\"name\":\"1svc\"},\"spec\":{\"ports\":[]}}",
		       "Service \"1svc\" is invalid: [metadata.name: Invalid value: \"1svc\": a "
		       "DNS-1035 label");
	expect_message("Pod", "", "{\"metadata\":{},\"spec\":{\"containers\":[]}}",
		       "metadata.name: Required value: name or generateName is required");
	expect_message("Pod", "",
		       "{\"metadata\":{\"name\":\"p\"},\"spec\":{\"containers\":[{\"name\":\"c\","
		       "\"image\":\"i\",\"livenessProbe\":{\"exec\":{},\"successThreshold\":2}}]}}",
		       "spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1");
}
END_TEST

START_TEST(name_rules)
{
	ck_assert_ptr_null(objvalidate_dns1123_label("web-1"));
	ck_assert_ptr_nonnull(objvalidate_dns1123_label("-web"));
	ck_assert_ptr_nonnull(objvalidate_dns1123_label("a.b"));
	ck_assert_ptr_null(objvalidate_dns1123_subdomain("a.b-c.d"));
	ck_assert_ptr_nonnull(objvalidate_dns1123_subdomain("a..b"));
	ck_assert_ptr_nonnull(objvalidate_dns1035_label("9abc"));
	ck_assert_ptr_null(objvalidate_dns1035_label("abc-9"));
	char longname[80];
	memset(longname, 'a', 70);
	longname[70] = '\0';
	ck_assert_str_eq(objvalidate_dns1123_label(longname), "must be no more than 63 characters");
}
END_TEST

static Suite *objects_suite(void)
{
	Suite *s = suite_create("objects");
	TCase *tc = tcase_create("defaults");
	tcase_add_test(tc, deployment_defaults);
	tcase_add_test(tc, service_and_pod_defaults);
	suite_add_tcase(s, tc);
	tc = tcase_create("validation");
	tcase_add_test(tc, validation_messages);
	tcase_add_test(tc, name_rules);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return test_run_suite(objects_suite());
}
