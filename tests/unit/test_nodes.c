#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>
#include <cjson/cJSON.h>

#include "podscope/buf.h"
#include "podscope/dsnodes.h"
#include "podscope/dsplace.h"
#include "podscope/intern.h"
#include "podscope/store.h"
#include "podscope/xalloc.h"
#include "store_testutil.h"
#include "testutil.h"

/* Nodes in the store, resource quantities, and a DaemonSet's placement. */


START_TEST(test_node_decode)
{
	struct store *s = store_new();
	ck_assert_int_eq(
	    test_upsert(s, STORE_NODES,
		   "{\"metadata\":{\"name\":\"node-a\",\"uid\":\"u1\",\"resourceVersion\":\"5\","
		   "\"labels\":{\"kubernetes.io/hostname\":\"node-a\",\"disk\":\"ssd\"}},"
		   "\"spec\":{\"unschedulable\":true,\"taints\":[{\"key\":\"node.kubernetes.io/"
		   "unschedulable\",\"effect\":\"NoSchedule\"},{\"key\":\"gpu\",\"value\":\"yes\","
		   "\"effect\":\"NoExecute\"}]},\"status\":{\"allocatable\":{\"cpu\":\"3500m\","
		   "\"memory\":\"16318540Ki\"},\"conditions\":[{\"type\":\"MemoryPressure\","
		   "\"status\":\"False\"},{\"type\":\"Ready\",\"status\":\"False\"}]}}"),
	    1);
	const struct node *n = store_get_node(s, "node-a");
	ck_assert_ptr_nonnull(n);
	ck_assert_str_eq(n->name, "node-a");
	ck_assert_str_eq(store_obj_namespace(n), "");
	ck_assert_int_eq(n->unschedulable, 1);
	ck_assert_int_eq(n->ready, MODEL_COND_FALSE);
	ck_assert_int_eq(n->n_taints, 2);
	ck_assert_str_eq(n->taints[1].key, "gpu");
	ck_assert_str_eq(n->taints[1].value, "yes");
	ck_assert_str_eq(n->taints[1].effect, "NoExecute");
	ck_assert_int_eq(n->n_labels, 2);
	ck_assert_int_eq(n->alloc_cpu_milli, 3500);
	ck_assert_int_eq(n->alloc_mem_bytes, 16318540LL * 1024);
	ck_assert_int_eq(store_kind_parse("nodes"), STORE_NODES);
	ck_assert_int_eq(store_kind_parse("no"), STORE_NODES);
	ck_assert_str_eq(store_kind_kind(STORE_NODES), "Node");
	/* A bare node: Ready unknown, nothing allocatable. */
	ck_assert_int_eq(test_upsert(s, STORE_NODES, "{\"metadata\":{\"name\":\"b\"}}"), 1);
	n = store_get_node(s, "b");
	ck_assert_int_eq(n->ready, MODEL_COND_UNKNOWN);
	ck_assert_int_eq(n->alloc_cpu_milli, -1);
	ck_assert_int_eq(n->unschedulable, 0);
	test_store_clear_free(s);
}
END_TEST

/* A hostile node: 5000 taints, a 100 kB name, taints of the wrong types. */
START_TEST(test_node_hostile)
{
	struct store *s = store_new();
	struct buf b = BUF_INIT;
	buf_adds(&b, "{\"metadata\":{\"name\":\"");
	for (int i = 0; i < 100000; i++)
		buf_addc(&b, 'n');
	buf_adds(&b, "\"},\"spec\":{\"taints\":[");
	for (int i = 0; i < 5000; i++)
		buf_printf(&b, "%s{\"key\":\"k%d\",\"effect\":\"NoSchedule\"}", i ? "," : "", i);
	buf_adds(&b, ",7,null,{\"key\":[1]}]},\"status\":{\"allocatable\":{\"cpu\":"
		     "\"99999999999999999999999\",\"memory\":{\"x\":1}},\"conditions\":\"Ready\"}}");
	ck_assert_int_eq(test_upsert(s, STORE_NODES, b.data), 1);
	struct store_iter it;
	store_iter_all(&it, s, STORE_NODES, NULL);
	const struct node *n = store_iter_next(&it);
	ck_assert_ptr_nonnull(n);
	ck_assert_int_eq(n->n_taints, MODEL_MAX_TAINTS);
	ck_assert_int_eq(n->taints_capped, 1);
	ck_assert_str_eq(n->taints[MODEL_MAX_TAINTS - 1].key, "k63");
	ck_assert_int_eq(n->alloc_cpu_milli, -1);
	ck_assert_int_eq(n->alloc_mem_bytes, -1);
	ck_assert_int_eq(n->ready, MODEL_COND_UNKNOWN);
	buf_free(&b);
	/* Not an object. */
	ck_assert_int_eq(test_upsert(s, STORE_NODES, "[1,2]"), -1);
	test_store_clear_free(s);
}
END_TEST

START_TEST(test_quantity)
{
	static const struct {
		const char *s;
		int64_t scale, want;
	} cases[] = {
	    {"2", 1000, 2000},
	    {"500m", 1000, 500},
	    {"1.5", 1000, 1500},
	    {"0.0001", 1000, 1}, /* rounded up, as Quantity.MilliValue does */
	    {"8Gi", 1, 8589934592LL},
	    {"16318540Ki", 1, 16710184960LL},
	    {"1G", 1, 1000000000},
	    {"1e3", 1, 1000},
	    {"1E", 1, 1000000000000000000LL},
	    {"+4", 1, 4},
	    {"100M", 1, 100000000},
	    {"", 1, -1},
	    {"abc", 1, -1},
	    {"-1", 1, -1},
	    {"1Zi", 1, -1},
	    {"9Ei", 1000, -1},
	    {"99999999999999999999", 1, -1},
	    {".", 1, -1},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		ck_assert_msg(model_quantity(cases[i].s, cases[i].scale) == cases[i].want,
			      "%s: got %lld want %lld", cases[i].s,
			      (long long)model_quantity(cases[i].s, cases[i].scale),
			      (long long)cases[i].want);
}
END_TEST

START_TEST(test_ds_placement_decode)
{
	struct store *s = store_new();
	ck_assert_int_eq(
	    test_upsert(s, STORE_DAEMONSETS,
		   "{\"metadata\":{\"name\":\"agent\",\"namespace\":\"kube-system\",\"uid\":\"d1\"},"
		   "\"spec\":{\"template\":{\"spec\":{\"hostNetwork\":true,\"nodeSelector\":"
		   "{\"disk\":\"ssd\"},\"tolerations\":[{\"key\":\"gpu\",\"operator\":\"Exists\","
		   "\"effect\":\"NoExecute\"}],\"affinity\":{\"nodeAffinity\":{"
		   "\"requiredDuringSchedulingIgnoredDuringExecution\":{\"nodeSelectorTerms\":[{"
		   "\"matchExpressions\":[{\"key\":\"zone\",\"operator\":\"In\",\"values\":[\"a\","
		   "\"b\"]}],\"matchFields\":[{\"key\":\"metadata.name\",\"operator\":\"NotIn\","
		   "\"values\":[\"n9\"]}]}]}}},\"containers\":[{\"name\":\"a\",\"image\":\"x\"}]}}}}"),
	    1);
	const struct daemonset *ds = store_get_daemonset(s, "kube-system", "agent");
	ck_assert_ptr_nonnull(ds);
	ck_assert_int_eq(ds->host_network, 1);
	ck_assert_int_eq(ds->n_node_selector, 1);
	ck_assert_int_eq(ds->n_tolerations, 1);
	ck_assert_str_eq(ds->tolerations[0].op, "Exists");
	ck_assert_int_eq(ds->has_node_affinity, 1);
	ck_assert_int_eq(ds->n_node_terms, 1);
	ck_assert_int_eq(ds->node_terms[0].n_exprs, 1);
	ck_assert_int_eq(ds->node_terms[0].exprs[0].n_values, 2);
	ck_assert_int_eq(ds->node_terms[0].n_fields, 1);
	ck_assert_str_eq(ds->node_terms[0].fields[0].values[0], "n9");
	test_store_clear_free(s);
}
END_TEST

/*
 * NodeShouldRunDaemonPod's table, after upstream's
 * TestNodeShouldRunDaemonPod and TestTaintedNode* cases
 * (pkg/controller/daemon/daemon_controller_test.go): node is the Node's
 * "metadata" labels and "spec"; tmpl the template's pod spec.
 */
static const struct fit_case {
	const char *what;
	const char *labels; /* the node's labels object */
	const char *spec;   /* the node's spec object */
	const char *tmpl;   /* extra fields of the template's pod spec */
	bool run, cont;
	enum ds_fit_why why;
} fit_cases[] = {
    {"simple", "{}", "{}", "", true, true, DS_FIT_OK},
    {"nodeSelector matches", "{\"disk\":\"ssd\"}", "{}", ",\"nodeSelector\":{\"disk\":\"ssd\"}",
     true, true, DS_FIT_OK},
    {"nodeSelector does not", "{\"disk\":\"hdd\"}", "{}", ",\"nodeSelector\":{\"disk\":\"ssd\"}",
     false, false, DS_FIT_SELECTOR},
    {"nodeName matches", "{}", "{}", ",\"nodeName\":\"n1\"", true, true, DS_FIT_OK},
    {"nodeName another node", "{}", "{}", ",\"nodeName\":\"n2\"", false, false,
     DS_FIT_NODE_NAME},
    {"cordoned: unschedulable taint tolerated", "{}",
     "{\"unschedulable\":true,\"taints\":[{\"key\":\"node.kubernetes.io/unschedulable\","
     "\"effect\":\"NoSchedule\"}]}",
     "", true, true, DS_FIT_OK},
    {"not-ready NoExecute tolerated", "{}",
     "{\"taints\":[{\"key\":\"node.kubernetes.io/not-ready\",\"effect\":\"NoExecute\"}]}", "",
     true, true, DS_FIT_OK},
    {"NoSchedule taint untolerated: stays", "{}",
     "{\"taints\":[{\"key\":\"dedicated\",\"value\":\"db\",\"effect\":\"NoSchedule\"}]}", "",
     false, true, DS_FIT_TAINT},
    {"NoExecute taint untolerated: evicted", "{}",
     "{\"taints\":[{\"key\":\"dedicated\",\"value\":\"db\",\"effect\":\"NoExecute\"}]}", "",
     false, false, DS_FIT_TAINT},
    {"PreferNoSchedule ignored", "{}",
     "{\"taints\":[{\"key\":\"dedicated\",\"effect\":\"PreferNoSchedule\"}]}", "", true, true,
     DS_FIT_OK},
    {"Equal toleration", "{}",
     "{\"taints\":[{\"key\":\"dedicated\",\"value\":\"db\",\"effect\":\"NoSchedule\"}]}",
     ",\"tolerations\":[{\"key\":\"dedicated\",\"operator\":\"Equal\",\"value\":\"db\","
     "\"effect\":\"NoSchedule\"}]",
     true, true, DS_FIT_OK},
    {"Equal toleration, other value", "{}",
     "{\"taints\":[{\"key\":\"dedicated\",\"value\":\"db\",\"effect\":\"NoSchedule\"}]}",
     ",\"tolerations\":[{\"key\":\"dedicated\",\"value\":\"web\"}]", false, true, DS_FIT_TAINT},
    {"Exists toleration with no key tolerates all", "{}",
     "{\"taints\":[{\"key\":\"a\",\"effect\":\"NoExecute\"},{\"key\":\"b\",\"value\":\"c\","
     "\"effect\":\"NoSchedule\"}]}",
     ",\"tolerations\":[{\"operator\":\"Exists\"}]", true, true, DS_FIT_OK},
    {"toleration for another effect", "{}",
     "{\"taints\":[{\"key\":\"a\",\"effect\":\"NoExecute\"}]}",
     ",\"tolerations\":[{\"key\":\"a\",\"operator\":\"Exists\",\"effect\":\"NoSchedule\"}]",
     false, false, DS_FIT_TAINT},
    {"network-unavailable: only with hostNetwork", "{}",
     "{\"taints\":[{\"key\":\"node.kubernetes.io/network-unavailable\",\"effect\":"
     "\"NoSchedule\"}]}",
     "", false, true, DS_FIT_TAINT},
    {"network-unavailable with hostNetwork", "{}",
     "{\"taints\":[{\"key\":\"node.kubernetes.io/network-unavailable\",\"effect\":"
     "\"NoSchedule\"}]}",
     ",\"hostNetwork\":true", true, true, DS_FIT_OK},
    {"affinity In", "{\"zone\":\"a\"}", "{}",
     ",\"affinity\":{\"nodeAffinity\":{\"requiredDuringSchedulingIgnoredDuringExecution\":{"
     "\"nodeSelectorTerms\":[{\"matchExpressions\":[{\"key\":\"zone\",\"operator\":\"In\","
     "\"values\":[\"a\",\"b\"]}]}]}}}",
     true, true, DS_FIT_OK},
    {"affinity NotIn", "{\"zone\":\"a\"}", "{}",
     ",\"affinity\":{\"nodeAffinity\":{\"requiredDuringSchedulingIgnoredDuringExecution\":{"
     "\"nodeSelectorTerms\":[{\"matchExpressions\":[{\"key\":\"zone\",\"operator\":\"NotIn\","
     "\"values\":[\"a\"]}]}]}}}",
     false, false, DS_FIT_AFFINITY},
    {"affinity: terms are ORed", "{\"zone\":\"c\"}", "{}",
     ",\"affinity\":{\"nodeAffinity\":{\"requiredDuringSchedulingIgnoredDuringExecution\":{"
     "\"nodeSelectorTerms\":[{\"matchExpressions\":[{\"key\":\"zone\",\"operator\":\"In\","
     "\"values\":[\"a\"]}]},{\"matchExpressions\":[{\"key\":\"zone\",\"operator\":"
     "\"Exists\"}]}]}}}",
     true, true, DS_FIT_OK},
    {"affinity: an empty term matches nothing", "{\"zone\":\"c\"}", "{}",
     ",\"affinity\":{\"nodeAffinity\":{\"requiredDuringSchedulingIgnoredDuringExecution\":{"
     "\"nodeSelectorTerms\":[{}]}}}",
     false, false, DS_FIT_AFFINITY},
    {"affinity: no terms match nothing", "{}", "{}",
     ",\"affinity\":{\"nodeAffinity\":{\"requiredDuringSchedulingIgnoredDuringExecution\":{"
     "\"nodeSelectorTerms\":[]}}}",
     false, false, DS_FIT_AFFINITY},
    {"affinity Gt", "{\"cores\":\"16\"}", "{}",
     ",\"affinity\":{\"nodeAffinity\":{\"requiredDuringSchedulingIgnoredDuringExecution\":{"
     "\"nodeSelectorTerms\":[{\"matchExpressions\":[{\"key\":\"cores\",\"operator\":\"Gt\","
     "\"values\":[\"8\"]}]}]}}}",
     true, true, DS_FIT_OK},
    {"affinity Lt, not a number", "{\"cores\":\"many\"}", "{}",
     ",\"affinity\":{\"nodeAffinity\":{\"requiredDuringSchedulingIgnoredDuringExecution\":{"
     "\"nodeSelectorTerms\":[{\"matchExpressions\":[{\"key\":\"cores\",\"operator\":\"Lt\","
     "\"values\":[\"8\"]}]}]}}}",
     false, false, DS_FIT_AFFINITY},
    {"affinity DoesNotExist", "{}", "{}",
     ",\"affinity\":{\"nodeAffinity\":{\"requiredDuringSchedulingIgnoredDuringExecution\":{"
     "\"nodeSelectorTerms\":[{\"matchExpressions\":[{\"key\":\"gpu\",\"operator\":"
     "\"DoesNotExist\"}]}]}}}",
     true, true, DS_FIT_OK},
    {"matchFields metadata.name In", "{}", "{}",
     ",\"affinity\":{\"nodeAffinity\":{\"requiredDuringSchedulingIgnoredDuringExecution\":{"
     "\"nodeSelectorTerms\":[{\"matchFields\":[{\"key\":\"metadata.name\",\"operator\":\"In\","
     "\"values\":[\"n1\"]}]}]}}}",
     true, true, DS_FIT_OK},
    {"matchFields other node", "{}", "{}",
     ",\"affinity\":{\"nodeAffinity\":{\"requiredDuringSchedulingIgnoredDuringExecution\":{"
     "\"nodeSelectorTerms\":[{\"matchFields\":[{\"key\":\"metadata.name\",\"operator\":\"In\","
     "\"values\":[\"n2\"]}]}]}}}",
     false, false, DS_FIT_AFFINITY},
};

START_TEST(test_should_run)
{
	const struct fit_case *c = &fit_cases[_i];
	struct store *s = store_new();
	char *node = xasprintf("{\"metadata\":{\"name\":\"n1\",\"labels\":%s},\"spec\":%s}",
			       c->labels, c->spec);
	char *ds = xasprintf("{\"metadata\":{\"name\":\"d\",\"namespace\":\"x\"},\"spec\":{"
			     "\"template\":{\"spec\":{\"containers\":[{\"name\":\"a\"}]%s}}}}",
			     c->tmpl);
	ck_assert_int_eq(test_upsert(s, STORE_NODES, node), 1);
	ck_assert_int_eq(test_upsert(s, STORE_DAEMONSETS, ds), 1);
	struct ds_fit fit;
	ds_node_fit(store_get_daemonset(s, "x", "d"), store_get_node(s, "n1"), &fit);
	ck_assert_msg(fit.should_run == c->run && fit.should_continue == c->cont &&
			  fit.why == c->why,
		      "%s: run %d continue %d why %s", c->what, fit.should_run,
		      fit.should_continue, ds_fit_why_name(fit.why));
	ck_assert(fit.why != DS_FIT_TAINT || fit.taint);
	free(node);
	free(ds);
	test_store_clear_free(s);
}
END_TEST

static void add_node(struct store *s, const char *name, const char *labels, const char *spec,
		     const char *ready)
{
	char *j = xasprintf("{\"metadata\":{\"name\":\"%s\",\"uid\":\"u-%s\",\"labels\":%s},"
			    "\"spec\":%s,\"status\":{\"conditions\":[{\"type\":\"Ready\","
			    "\"status\":\"%s\"}]}}",
			    name, name, labels, spec, ready);
	ck_assert_int_eq(test_upsert(s, STORE_NODES, j), 1);
	free(j);
}

static void add_pod(struct store *s, const char *name, const char *node, int created_s,
		    bool deleting)
{
	char *j = xasprintf(
	    "{\"metadata\":{\"name\":\"%s\",\"namespace\":\"x\",\"uid\":\"u-%s\","
	    "\"creationTimestamp\":\"2026-01-01T00:00:%02dZ\"%s,\"ownerReferences\":[{"
	    "\"apiVersion\":\"apps/v1\",\"kind\":\"DaemonSet\",\"name\":\"d\",\"uid\":\"ds1\","
	    "\"controller\":true}]},\"spec\":{\"nodeName\":\"%s\"},\"status\":{\"phase\":"
	    "\"Running\"}}",
	    name, name, created_s, deleting ? ",\"deletionTimestamp\":\"2026-01-01T00:01:00Z\"" : "",
	    node);
	ck_assert_int_eq(test_upsert(s, STORE_PODS, j), 1);
	free(j);
}

/* The view's rows: nodes merged with the pods, the excluded counted. */
START_TEST(test_ds_rows)
{
	struct store *s = store_new();
	ck_assert_int_eq(
	    test_upsert(s, STORE_DAEMONSETS,
		   "{\"metadata\":{\"name\":\"d\",\"namespace\":\"x\",\"uid\":\"ds1\"},\"spec\":{"
		   "\"template\":{\"spec\":{\"nodeSelector\":{\"os\":\"linux\"}}}}}"),
	    1);
	add_node(s, "a", "{\"os\":\"linux\"}", "{}", "True");
	add_node(s, "b", "{\"os\":\"windows\"}", "{}", "True"); /* excluded, no pod */
	add_node(s, "c", "{\"os\":\"linux\"}", "{}", "False");  /* should run, no pod */
	add_node(s, "d", "{\"os\":\"linux\"}", "{\"unschedulable\":true}", "True");
	add_node(s, "e", "{\"os\":\"windows\"}", "{}", "True"); /* a misscheduled pod */
	add_pod(s, "p-a", "a", 1, false);
	add_pod(s, "p-d-new", "d", 5, false);
	add_pod(s, "p-d-old", "d", 2, false); /* a surge: two live pods */
	add_pod(s, "p-e", "e", 3, false);
	add_pod(s, "p-ghost", "ghost", 4, true); /* a node the store does not hold */
	add_pod(s, "p-none", "", 6, false);

	struct ds_rows r = {0};
	ds_rows_gather(&r, s, store_get_daemonset(s, "x", "d"));
	static const struct {
		const char *node, *pod, *marks;
		bool first;
	} want[] = {
	    {"a", "p-a", "", true},
	    {"c", NULL, "NotReady", true},
	    {"d", "p-d-old", "cordoned surge", true},
	    {"d", "p-d-new", "cordoned surge", false},
	    {"e", "p-e", "misscheduled", true},
	    {"ghost", "p-ghost", "replacing", true},
	    {"", "p-none", "", true},
	};
	ck_assert_uint_eq(r.n, sizeof(want) / sizeof(want[0]));
	for (size_t i = 0; i < r.n; i++) {
		char marks[64];
		ds_row_marks(&r.rows[i], marks, sizeof(marks));
		ck_assert_str_eq(r.rows[i].node, want[i].node);
		if (want[i].pod)
			ck_assert_str_eq(r.rows[i].pod->name, want[i].pod);
		else
			ck_assert_ptr_null(r.rows[i].pod);
		ck_assert_msg(strcmp(marks, want[i].marks) == 0, "row %zu: marks '%s'", i, marks);
		ck_assert_int_eq(r.rows[i].first, want[i].first);
	}
	ck_assert_uint_eq(r.excluded, 1);
	ck_assert_uint_eq(r.misscheduled, 1);
	ck_assert_int_eq(r.surge_used, 1);
	ck_assert_uint_eq(r.nodes, 5);
	/* A heartbeat (a new resourceVersion, the same node) is the same; a label is not. */
	const struct node *before = store_get_node(s, "a");
	struct node copy = *before;
	ck_assert(ds_node_same(before, &copy));
	copy.ready = MODEL_COND_FALSE;
	ck_assert(!ds_node_same(before, &copy));
	copy = *before;
	struct model_kv kv = {"os", "windows"};
	copy.labels = &kv;
	ck_assert(!ds_node_same(before, &copy));
	/* Gathered again: the same rows, no growth needed. */
	ds_rows_gather(&r, s, store_get_daemonset(s, "x", "d"));
	ck_assert_uint_eq(r.n, sizeof(want) / sizeof(want[0]));
	ds_rows_free(&r);
	test_store_clear_free(s);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("nodes");
	TCase *tc = tcase_create("nodes");
	tcase_add_test(tc, test_node_decode);
	tcase_add_test(tc, test_node_hostile);
	tcase_add_test(tc, test_quantity);
	tcase_add_test(tc, test_ds_placement_decode);
	tcase_add_test(tc, test_ds_rows);
	tcase_add_loop_test(tc, test_should_run, 0, (int)(sizeof(fit_cases) / sizeof(fit_cases[0])));
	tcase_set_timeout(tc, 120);
	suite_add_tcase(s, tc);
	return test_run_suite(s);
}
