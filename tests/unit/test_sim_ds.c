#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>
#include <cjson/cJSON.h>

#include "ctrl_daemonset_int.h"
#include "nodefit.h"
#include "objdefaults.h"
#include "printer.h"
#include "simobj.h"
#include "test_sim_ds.h"
#include "testutil.h"

/*
 * The DaemonSet controller: its predicates and util against upstream's own
 * tables (daemon_controller_test.go's TestNodeShouldRunDaemonPod,
 * daemonset_util_test.go, update_test.go's TestGetUnavailableNumbers,
 * v1helper's taint tests); its rollouts are test_sim_ds_run.c's.
 */

cJSON *tds_js(const char *s)
{
	cJSON *j = cJSON_Parse(s);
	ck_assert_msg(j != NULL, "bad JSON: %s", s);
	return j;
}

static cJSON *js(const char *s)
{
	return tds_js(s);
}

/* --- predicates and util ------------------------------------------------------- */

START_TEST(test_should_run)
{
	static const struct {
		const char *what, *ds_spec, *node;
		bool run, cont;
	} rows[] = {
	    {"a plain node", "{}", "{\"metadata\":{\"name\":\"n\"}}", true, true},
	    {"nodeSelector matches", "{\"nodeSelector\":{\"disk\":\"ssd\"}}",
	     "{\"metadata\":{\"name\":\"n\",\"labels\":{\"disk\":\"ssd\"}}}", true, true},
	    {"nodeSelector does not match", "{\"nodeSelector\":{\"disk\":\"ssd\"}}",
	     "{\"metadata\":{\"name\":\"n\",\"labels\":{\"disk\":\"hdd\"}}}", false, false},
	    {"template nodeName elsewhere", "{\"nodeName\":\"other\"}",
	     "{\"metadata\":{\"name\":\"n\"}}", false, false},
	    {"template nodeName here", "{\"nodeName\":\"n\"}", "{\"metadata\":{\"name\":\"n\"}}",
	     true, true},
	    {"required affinity matches",
	     "{\"affinity\":{\"nodeAffinity\":{\"requiredDuringSchedulingIgnoredDuringExecution\":"
	     "{\"nodeSelectorTerms\":[{\"matchExpressions\":[{\"key\":\"type\",\"operator\":"
	     "\"In\",\"values\":[\"a\",\"b\"]}]}]}}}}",
	     "{\"metadata\":{\"name\":\"n\",\"labels\":{\"type\":\"b\"}}}", true, true},
	    {"required affinity does not match",
	     "{\"affinity\":{\"nodeAffinity\":{\"requiredDuringSchedulingIgnoredDuringExecution\":"
	     "{\"nodeSelectorTerms\":[{\"matchExpressions\":[{\"key\":\"type\",\"operator\":"
	     "\"In\",\"values\":[\"a\"]}]}]}}}}",
	     "{\"metadata\":{\"name\":\"n\",\"labels\":{\"type\":\"b\"}}}", false, false},
	    {"untolerated NoSchedule taint: keeps running", "{}",
	     "{\"metadata\":{\"name\":\"n\"},\"spec\":{\"taints\":[{\"key\":\"k\",\"value\":"
	     "\"v\",\"effect\":\"NoSchedule\"}]}}",
	     false, true},
	    {"untolerated NoExecute taint", "{}",
	     "{\"metadata\":{\"name\":\"n\"},\"spec\":{\"taints\":[{\"key\":\"k\",\"value\":"
	     "\"v\",\"effect\":\"NoExecute\"}]}}",
	     false, false},
	    {"tolerated NoExecute taint",
	     "{\"tolerations\":[{\"key\":\"k\",\"operator\":\"Equal\",\"value\":\"v\","
	     "\"effect\":\"NoExecute\"}]}",
	     "{\"metadata\":{\"name\":\"n\"},\"spec\":{\"taints\":[{\"key\":\"k\",\"value\":"
	     "\"v\",\"effect\":\"NoExecute\"}]}}",
	     true, true},
	    {"PreferNoSchedule is no obstacle", "{}",
	     "{\"metadata\":{\"name\":\"n\"},\"spec\":{\"taints\":[{\"key\":\"k\",\"effect\":"
	     "\"PreferNoSchedule\"}]}}",
	     true, true},
	    {"cordoned: the controller's toleration", "{}",
	     "{\"metadata\":{\"name\":\"n\"},\"spec\":{\"unschedulable\":true}}", true, true},
	    {"memory pressure: the controller's toleration", "{}",
	     "{\"metadata\":{\"name\":\"n\"},\"spec\":{\"taints\":[{\"key\":"
	     "\"node.kubernetes.io/memory-pressure\",\"effect\":\"NoSchedule\"}]}}",
	     true, true},
	    {"network unavailable, host network", "{\"hostNetwork\":true}",
	     "{\"metadata\":{\"name\":\"n\"},\"spec\":{\"taints\":[{\"key\":"
	     "\"node.kubernetes.io/network-unavailable\",\"effect\":\"NoSchedule\"}]}}",
	     true, true},
	    {"network unavailable, pod network", "{}",
	     "{\"metadata\":{\"name\":\"n\"},\"spec\":{\"taints\":[{\"key\":"
	     "\"node.kubernetes.io/network-unavailable\",\"effect\":\"NoSchedule\"}]}}",
	     false, true},
	};
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		char buf[1024];
		snprintf(buf, sizeof(buf), "{\"spec\":{\"template\":{\"spec\":%s}}}",
			 rows[i].ds_spec);
		cJSON *ds = js(buf), *node = js(rows[i].node);
		/* A node that says nothing of readiness is Ready here. */
		if (!cJSON_GetObjectItem(node, "status"))
			cJSON_AddItemToObject(node, "status",
					      js("{\"conditions\":[{\"type\":\"Ready\","
						 "\"status\":\"True\"}]}"));
		bool run, cont;
		dsutil_should_run(ds, node, &run, &cont);
		ck_assert_msg(run == rows[i].run && cont == rows[i].cont, "%s: %d %d", rows[i].what,
			      run, cont);
		cJSON_Delete(ds);
		cJSON_Delete(node);
	}
}
END_TEST

START_TEST(test_not_ready_node)
{
	/* TaintNodesByCondition's not-ready:NoSchedule: no new pod, the
	 * controller's NoExecute toleration keeps the one there. */
	cJSON *ds = js("{\"spec\":{\"template\":{\"spec\":{}}}}");
	cJSON *node = js("{\"metadata\":{\"name\":\"n\"},\"status\":{\"conditions\":[{\"type\":"
			 "\"Ready\",\"status\":\"False\"}]}}");
	bool run, cont;
	dsutil_should_run(ds, node, &run, &cont);
	ck_assert(!run && cont);
	cJSON_Delete(ds);
	cJSON_Delete(node);
}
END_TEST

START_TEST(test_tolerations)
{
	/* Toleration.ToleratesTaint (core/v1 toleration_test.go). */
	static const struct {
		const char *tol, *taint;
		bool want;
	} rows[] = {
	    {"{\"key\":\"foo\",\"operator\":\"Exists\",\"effect\":\"NoSchedule\"}",
	     "{\"key\":\"foo\",\"value\":\"bar\",\"effect\":\"NoSchedule\"}", true},
	    {"{\"key\":\"foo\",\"operator\":\"Equal\",\"value\":\"bar\",\"effect\":\"NoSchedule\"}",
	     "{\"key\":\"foo\",\"value\":\"bar\",\"effect\":\"NoSchedule\"}", true},
	    {"{\"key\":\"foo\",\"value\":\"bar\",\"effect\":\"NoSchedule\"}",
	     "{\"key\":\"foo\",\"value\":\"bar\",\"effect\":\"NoSchedule\"}", true},
	    {"{\"key\":\"foo\",\"operator\":\"Equal\",\"value\":\"bar\",\"effect\":\"NoSchedule\"}",
	     "{\"key\":\"foo\",\"value\":\"baz\",\"effect\":\"NoSchedule\"}", false},
	    {"{\"key\":\"foo\",\"operator\":\"Exists\",\"effect\":\"NoExecute\"}",
	     "{\"key\":\"foo\",\"value\":\"bar\",\"effect\":\"NoSchedule\"}", false},
	    {"{\"key\":\"foo\",\"operator\":\"Exists\"}",
	     "{\"key\":\"foo\",\"value\":\"bar\",\"effect\":\"NoExecute\"}", true},
	    {"{\"operator\":\"Exists\"}", "{\"key\":\"any\",\"effect\":\"NoExecute\"}", true},
	    {"{\"key\":\"foo\",\"operator\":\"Bogus\"}",
	     "{\"key\":\"foo\",\"effect\":\"NoSchedule\"}", false},
	    {"{\"key\":\"other\",\"operator\":\"Exists\"}",
	     "{\"key\":\"foo\",\"effect\":\"NoSchedule\"}", false},
	};
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		cJSON *tol = js(rows[i].tol), *taint = js(rows[i].taint);
		ck_assert_msg(simnode_tolerates(tol, taint) == rows[i].want, "row %zu", i);
		cJSON_Delete(tol);
		cJSON_Delete(taint);
	}
	/* The effects a caller filters on. */
	cJSON *taints = js("[{\"key\":\"a\",\"effect\":\"PreferNoSchedule\"},{\"key\":\"b\","
			   "\"effect\":\"NoSchedule\"}]");
	ck_assert_ptr_null(simnode_untolerated(taints, NULL, SIMNODE_NO_EXECUTE));
	const cJSON *t = simnode_untolerated(taints, NULL, SIMNODE_NO_SCHEDULE);
	ck_assert_str_eq(cJSON_GetObjectItem(t, "key")->valuestring, "b");
	cJSON_Delete(taints);
}
END_TEST

START_TEST(test_node_affinity_ops)
{
	/* nodeaffinity's operators, and matchFields on metadata.name. */
	static const struct {
		const char *req;
		bool want;
	} rows[] = {
	    {"\"matchExpressions\":[{\"key\":\"zone\",\"operator\":\"In\",\"values\":[\"a\"]}]",
	     true},
	    {"\"matchExpressions\":[{\"key\":\"zone\",\"operator\":\"NotIn\",\"values\":[\"a\"]}]",
	     false},
	    {"\"matchExpressions\":[{\"key\":\"gpu\",\"operator\":\"NotIn\",\"values\":[\"x\"]}]",
	     true},
	    {"\"matchExpressions\":[{\"key\":\"zone\",\"operator\":\"Exists\"}]", true},
	    {"\"matchExpressions\":[{\"key\":\"zone\",\"operator\":\"DoesNotExist\"}]", false},
	    {"\"matchExpressions\":[{\"key\":\"cores\",\"operator\":\"Gt\",\"values\":[\"3\"]}]",
	     true},
	    {"\"matchExpressions\":[{\"key\":\"cores\",\"operator\":\"Lt\",\"values\":[\"3\"]}]",
	     false},
	    {"\"matchExpressions\":[{\"key\":\"zone\",\"operator\":\"Gt\",\"values\":[\"3\"]}]",
	     false},
	    {"\"matchFields\":[{\"key\":\"metadata.name\",\"operator\":\"In\",\"values\":[\"n1\"]}"
	     "]",
	     true},
	    {"\"matchFields\":[{\"key\":\"metadata.name\",\"operator\":\"In\",\"values\":[\"n2\"]}"
	     "]",
	     false},
	    {"\"matchFields\":[{\"key\":\"metadata.uid\",\"operator\":\"In\",\"values\":[\"n1\"]}]",
	     false},
	};
	cJSON *node =
	    js("{\"metadata\":{\"name\":\"n1\",\"labels\":{\"zone\":\"a\",\"cores\":\"8\"}}}");
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		char buf[512];
		snprintf(buf, sizeof(buf),
			 "{\"affinity\":{\"nodeAffinity\":{\"requiredDuringScheduling"
			 "IgnoredDuringExecution\":{\"nodeSelectorTerms\":[{%s}]}}}}",
			 rows[i].req);
		cJSON *spec = js(buf);
		ck_assert_msg(simnode_affinity_matches(spec, node) == rows[i].want, "row %zu", i);
		cJSON_Delete(spec);
	}
	/* Terms are ORed; an empty term matches nothing. */
	cJSON *spec = js("{\"affinity\":{\"nodeAffinity\":{\"requiredDuringSchedulingIgnoredDuring"
			 "Execution\":{\"nodeSelectorTerms\":[{},{\"matchExpressions\":[{\"key\":"
			 "\"zone\",\"operator\":\"Exists\"}]}]}}}}");
	ck_assert(simnode_affinity_matches(spec, node));
	cJSON_Delete(spec);
	spec = js("{\"affinity\":{\"nodeAffinity\":{\"requiredDuringSchedulingIgnoredDuring"
		  "Execution\":{\"nodeSelectorTerms\":[{}]}}}}");
	ck_assert(!simnode_affinity_matches(spec, node));
	cJSON_Delete(spec);
	cJSON_Delete(node);
}
END_TEST

START_TEST(test_pin_to_node)
{
	/* daemonset_util_test.go TestReplaceDaemonSetPodNodeNameNodeAffinity:
	 * the terms are replaced whole, preferred terms stay. */
	cJSON *spec = js("{}");
	dsutil_pin_to_node(spec, "host-1");
	char *s = cJSON_PrintUnformatted(spec);
	ck_assert_str_eq(s, "{\"affinity\":{\"nodeAffinity\":{\"requiredDuringScheduling"
			    "IgnoredDuringExecution\":{\"nodeSelectorTerms\":[{\"matchFields\":"
			    "[{\"key\":\"metadata.name\",\"operator\":\"In\",\"values\":"
			    "[\"host-1\"]}]}]}}}}");
	free(s);
	cJSON_Delete(spec);
	spec =
	    js("{\"affinity\":{\"nodeAffinity\":{\"requiredDuringSchedulingIgnoredDuring"
	       "Execution\":{\"nodeSelectorTerms\":[{\"matchExpressions\":[{\"key\":\"a\","
	       "\"operator\":\"Exists\"}]}]},\"preferredDuringSchedulingIgnoredDuringExecution\":"
	       "[{\"weight\":1}]}}}");
	dsutil_pin_to_node(spec, "host-2");
	cJSON *pod = cJSON_CreateObject();
	cJSON_AddItemToObject(pod, "spec", spec);
	ck_assert_str_eq(dsutil_target_node(pod), "host-2");
	const cJSON *na = cj_path(pod, "spec", "affinity", "nodeAffinity", NULL);
	ck_assert_int_eq(cJSON_GetArraySize(cj_path(na,
						    "requiredDuringSchedulingIgnoredDuring"
						    "Execution",
						    "nodeSelectorTerms", NULL)),
			 1);
	ck_assert_ptr_nonnull(cJSON_GetObjectItem(na, "preferredDuringSchedulingIgnoredDuring"
						      "Execution"));
	/* TestGetTargetNodeName: spec.nodeName first; two values is no target. */
	simjson_set_string(cJSON_GetObjectItem(pod, "spec"), "nodeName", "bound");
	ck_assert_str_eq(dsutil_target_node(pod), "bound");
	cJSON_Delete(pod);
	pod = js("{\"spec\":{\"affinity\":{\"nodeAffinity\":{\"requiredDuringScheduling"
		 "IgnoredDuringExecution\":{\"nodeSelectorTerms\":[{\"matchFields\":[{\"key\":"
		 "\"metadata.name\",\"operator\":\"In\",\"values\":[\"a\",\"b\"]}]}]}}}}}");
	ck_assert_ptr_null(dsutil_target_node(pod));
	cJSON_Delete(pod);
	pod = js("{\"spec\":{}}");
	ck_assert_ptr_null(dsutil_target_node(pod));
	cJSON_Delete(pod);
}
END_TEST

START_TEST(test_add_tolerations)
{
	/* TestAddOrUpdateDaemonPodTolerations: six, seven with host network; an
	 * equal one is not added twice, a different one stays. */
	cJSON *spec = js("{\"tolerations\":[{\"key\":\"node.kubernetes.io/unschedulable\","
			 "\"operator\":\"Exists\",\"effect\":\"NoSchedule\"},{\"key\":\"mine\","
			 "\"operator\":\"Exists\"}]}");
	dsutil_add_tolerations(spec);
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(spec, "tolerations")), 7);
	dsutil_add_tolerations(spec);
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(spec, "tolerations")), 7);
	cJSON_Delete(spec);
	spec = js("{\"hostNetwork\":true}");
	dsutil_add_tolerations(spec);
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(spec, "tolerations")), 7);
	cJSON_Delete(spec);
}
END_TEST

START_TEST(test_pod_updated)
{
	/* TestIsPodUpdated: the hash, or the template generation. */
	cJSON *pod = js("{\"metadata\":{\"labels\":{\"controller-revision-hash\":\"h1\","
			"\"pod-template-generation\":\"3\"}}}");
	ck_assert(dsutil_pod_updated(pod, "h1", NULL));
	ck_assert(dsutil_pod_updated(pod, "h2", "3"));
	ck_assert(!dsutil_pod_updated(pod, "h2", "4"));
	ck_assert(!dsutil_pod_updated(pod, "", NULL));
	cJSON_Delete(pod);
}
END_TEST

START_TEST(test_budgets)
{
	/* update_test.go TestGetUnavailableNumbers: maxSurge and maxUnavailable
	 * for the nodes that should run a pod. */
	static const struct {
		const char *what, *strategy;
		int64_t desired, surge, unavailable;
		bool ok;
	} rows[] = {
	    {"no nodes", "{\"maxUnavailable\":0,\"maxSurge\":0}", 0, 0, 0, true},
	    {"two nodes with ready pods", "{\"maxUnavailable\":1,\"maxSurge\":0}", 2, 0, 1, true},
	    {"both 0: unavailable 1", "{\"maxUnavailable\":0,\"maxSurge\":0}", 2, 0, 1, true},
	    {"surge", "{\"maxUnavailable\":0,\"maxSurge\":1}", 2, 1, 0, true},
	    {"percent", "{\"maxUnavailable\":\"50%\",\"maxSurge\":0}", 2, 0, 1, true},
	    {"percent, surge", "{\"maxUnavailable\":0,\"maxSurge\":\"50%\"}", 2, 1, 0, true},
	    {"100% surge", "{\"maxUnavailable\":0,\"maxSurge\":\"100%\"}", 2, 2, 0, true},
	    {"percent rounds up", "{\"maxUnavailable\":\"50%\",\"maxSurge\":0}", 3, 0, 2, true},
	    {"not a percentage", "{\"maxUnavailable\":\"half\"}", 3, 0, 0, false},
	};
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		char buf[256];
		snprintf(buf, sizeof(buf),
			 "{\"updateStrategy\":{\"type\":\"RollingUpdate\",\"rollingUpdate\":%s}}",
			 rows[i].strategy);
		cJSON *spec = js(buf);
		int64_t surge = -1, unavailable = -1;
		bool ok = dsupd_budgets(spec, rows[i].desired, &surge, &unavailable);
		ck_assert_msg(ok == rows[i].ok, "%s: ok %d", rows[i].what, ok);
		if (ok)
			ck_assert_msg(surge == rows[i].surge && unavailable == rows[i].unavailable,
				      "%s: surge %lld unavailable %lld", rows[i].what,
				      (long long)surge, (long long)unavailable);
		cJSON_Delete(spec);
	}
	/* OnDelete has no budget. */
	cJSON *spec = js("{\"updateStrategy\":{\"type\":\"OnDelete\"}}");
	int64_t surge, unavailable;
	ck_assert(dsupd_budgets(spec, 0, &surge, &unavailable));
	ck_assert(surge == 0 && unavailable == 0);
	cJSON_Delete(spec);
}
END_TEST

START_TEST(test_defaults_validation_printer)
{
	cJSON *ds = js("{\"metadata\":{\"name\":\"agent\"},\"spec\":{\"selector\":{\"matchLabels\":"
		       "{\"app\":\"a\"}},\"template\":{\"metadata\":{\"labels\":{\"app\":\"a\"}},"
		       "\"spec\":{\"nodeSelector\":{\"z\":\"1\",\"a\":\"2\"},\"containers\":"
		       "[{\"name\":\"c\",\"image\":\"x:1\"}]}}}}");
	objdefaults_apply("DaemonSet", ds);
	const cJSON *spec = cJSON_GetObjectItem(ds, "spec");
	char *s = cJSON_PrintUnformatted(cJSON_GetObjectItem(spec, "updateStrategy"));
	ck_assert_str_eq(s, "{\"type\":\"RollingUpdate\",\"rollingUpdate\":{\"maxUnavailable\":1,"
			    "\"maxSurge\":0}}");
	free(s);
	ck_assert_int_eq(cJSON_GetObjectItem(spec, "revisionHistoryLimit")->valueint, 10);
	ck_assert_str_eq(cj_str(cj_path(spec, "template", "spec", NULL), "restartPolicy"),
			 "Always");
	ck_assert_ptr_null(objvalidate("DaemonSet", "apps", ds));
	cJSON *st = js("{\"desiredNumberScheduled\":3,\"currentNumberScheduled\":3,"
		       "\"numberReady\":2,\"updatedNumberScheduled\":1,\"numberAvailable\":2}");
	cJSON_AddItemToObject(ds, "status", st);
	struct buf b = BUF_INIT;
	simprint_daemonset_cells(&b, ds, 0);
	ck_assert_str_eq(b.data, ",3,3,2,1,2,\"a=2,z=1\",\"<unknown>\",\"c\",\"x:1\",\"app=a\"");
	buf_free(&b);
	/* ValidateDaemonSetSpec: both budgets 0, a bad percent, OnDelete, never. */
	static const struct {
		const char *strategy, *msg;
	} bad[] = {
	    {"{\"type\":\"RollingUpdate\",\"rollingUpdate\":{\"maxUnavailable\":0,\"maxSurge\":0}}",
	     "spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 "
	     "when `maxSurge` is 0"},
	    {"{\"type\":\"RollingUpdate\",\"rollingUpdate\":{\"maxUnavailable\":\"150%\","
	     "\"maxSurge\":0}}",
	     "must not be greater than 100%"},
	    {"{\"type\":\"RollingUpdate\",\"rollingUpdate\":{\"maxUnavailable\":\"x\"}}",
	     "a valid percent string must be"},
	    {"{\"type\":\"Sometimes\"}",
	     "spec.updateStrategy: Unsupported value: \"Sometimes\": supported values: "
	     "\"RollingUpdate\", \"OnDelete\""},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cJSON *d = cJSON_Duplicate(ds, 1);
		cJSON *sp = cJSON_GetObjectItem(d, "spec");
		cJSON_ReplaceItemInObject(sp, "updateStrategy", js(bad[i].strategy));
		cJSON *err = objvalidate("DaemonSet", "apps", d);
		ck_assert_ptr_nonnull(err);
		ck_assert_msg(strstr(cj_str(err, "message"), bad[i].msg), "%s",
			      cj_str(err, "message"));
		cJSON_Delete(err);
		cJSON_Delete(d);
	}
	cJSON *d = cJSON_Duplicate(ds, 1);
	cJSON_ReplaceItemInObject(cJSON_GetObjectItem(d, "spec"), "updateStrategy",
				  js("{\"type\":\"OnDelete\"}"));
	ck_assert_ptr_null(objvalidate("DaemonSet", "apps", d));
	simjson_set_string((cJSON *)cj_path(d, "spec", "template", "spec", NULL), "restartPolicy",
			   "Never");
	cJSON *err = objvalidate("DaemonSet", "apps", d);
	ck_assert_ptr_nonnull(err);
	ck_assert_ptr_nonnull(strstr(cj_str(err, "message"), "spec.template.spec.restartPolicy: "
							     "Unsupported value: \"Never\""));
	cJSON_Delete(err);
	cJSON_Delete(d);
	cJSON_Delete(ds);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("sim_ds");
	TCase *t = tcase_create("util");
	tcase_add_test(t, test_should_run);
	tcase_add_test(t, test_not_ready_node);
	tcase_add_test(t, test_tolerations);
	tcase_add_test(t, test_node_affinity_ops);
	tcase_add_test(t, test_pin_to_node);
	tcase_add_test(t, test_add_tolerations);
	tcase_add_test(t, test_pod_updated);
	tcase_add_test(t, test_budgets);
	tcase_add_test(t, test_defaults_validation_printer);
	suite_add_tcase(s, t);
	suite_add_tcase(s, tds_rollouts());
	return s;
}

int main(void)
{
	return test_run_suite(suite());
}
