#include "config.h"

#include <stdio.h>
#include <string.h>

#include <check.h>
#include <cjson/cJSON.h>

#include "podscope/intern.h"
#include "podscope/store.h"
#include "podscope/xalloc.h"
#include "testutil.h"

/* StatefulSets, DaemonSets and ControllerRevisions in the store. */

static int upsert(struct store *s, enum store_kind k, const char *json)
{
	cJSON *o = cJSON_Parse(json);
	ck_assert_ptr_nonnull(o);
	struct perr err = {0};
	int rc = store_upsert_json(s, k, o, &err);
	perr_clear(&err);
	cJSON_Delete(o);
	return rc;
}

/* Every object deleted leaves no string behind. */
static void clear_and_free(struct store *s)
{
	for (int k = 0; k < STORE_NKINDS; k++)
		store_clear(s, (enum store_kind)k);
	ck_assert_uint_eq(intern_count(store_strings(s)), 0);
	store_free(s);
}

static void add_sts(struct store *s, const char *name, const char *uid, const char *rv)
{
	char *j = xasprintf(
	    "{\"metadata\":{\"name\":\"%s\",\"namespace\":\"db\",\"uid\":\"%s\","
	    "\"resourceVersion\":\"%s\",\"generation\":2,\"labels\":{\"app\":\"%s\"}},"
	    "\"spec\":{\"replicas\":3,\"serviceName\":\"%s\",\"podManagementPolicy\":"
	    "\"OrderedReady\",\"selector\":{\"matchLabels\":{\"app\":\"%s\"},"
	    "\"matchExpressions\":[{\"key\":\"tier\",\"operator\":\"In\",\"values\":[\"a\"]}]},"
	    "\"updateStrategy\":{\"type\":\"RollingUpdate\",\"rollingUpdate\":{\"partition\":2,"
	    "\"maxUnavailable\":\"50%%\"}},\"template\":{\"spec\":{\"initContainers\":[{\"name\":"
	    "\"i\",\"image\":\"busybox:1\"}],\"containers\":[{\"name\":\"db\",\"image\":"
	    "\"postgres:16\"}]}}},\"status\":{\"observedGeneration\":2,\"replicas\":3,"
	    "\"readyReplicas\":3,\"currentReplicas\":2,\"updatedReplicas\":1,"
	    "\"currentRevision\":\"%s-aaa\",\"updateRevision\":\"%s-bbb\"}}",
	    name, uid, rv, name, name, name, name, name);
	ck_assert_int_eq(upsert(s, STORE_STATEFULSETS, j), 1);
	free(j);
}

static void add_ds(struct store *s, const char *name, const char *uid)
{
	char *j = xasprintf(
	    "{\"metadata\":{\"name\":\"%s\",\"namespace\":\"kube-system\",\"uid\":\"%s\","
	    "\"resourceVersion\":\"1\",\"generation\":1},\"spec\":{\"selector\":{\"matchLabels\":"
	    "{\"app\":\"%s\"}},\"updateStrategy\":{\"type\":\"RollingUpdate\",\"rollingUpdate\":"
	    "{\"maxUnavailable\":1,\"maxSurge\":0}},\"template\":{\"spec\":{\"containers\":["
	    "{\"name\":\"a\",\"image\":\"agent:2\"}]}}},\"status\":{\"desiredNumberScheduled\":2,"
	    "\"currentNumberScheduled\":2,\"numberReady\":1,\"updatedNumberScheduled\":1}}",
	    name, uid, name);
	ck_assert_int_eq(upsert(s, STORE_DAEMONSETS, j), 1);
	free(j);
}

/* label: "controller-revision-hash" (DaemonSets) or "controller.kubernetes.io/hash". */
static void add_cr(struct store *s, const char *ns, const char *name, const char *owner_kind,
		   const char *owner, const char *owner_uid, const char *label, const char *hash,
		   int rev)
{
	char owners[256] = "";
	if (owner)
		snprintf(owners, sizeof(owners),
			 ",\"ownerReferences\":[{\"apiVersion\":\"apps/v1\",\"kind\":\"%s\","
			 "\"name\":\"%s\",\"uid\":\"%s\",\"controller\":true}]",
			 owner_kind, owner, owner_uid);
	char *j = xasprintf("{\"metadata\":{\"name\":\"%s\",\"namespace\":\"%s\",\"uid\":\"u-%s\","
			    "\"resourceVersion\":\"1\",\"labels\":{\"app\":\"x\",\"%s\":\"%s\"}%s},"
			    "\"data\":{\"spec\":{\"template\":{\"$patch\":\"replace\"}}},"
			    "\"revision\":%d}",
			    name, ns, name, label, hash, owners, rev);
	ck_assert_int_eq(upsert(s, STORE_CONTROLLERREVISIONS, j), 1);
	free(j);
}

static void add_pod(struct store *s, const char *ns, const char *name, const char *owner_kind,
		    const char *owner, const char *owner_uid, const char *hash)
{
	char *j = xasprintf(
	    "{\"metadata\":{\"name\":\"%s\",\"namespace\":\"%s\",\"uid\":\"p-%s\","
	    "\"resourceVersion\":\"1\",\"labels\":{\"controller-revision-hash\":\"%s\"},"
	    "\"ownerReferences\":[{\"kind\":\"%s\",\"name\":\"%s\",\"uid\":\"%s\","
	    "\"controller\":true}]},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"i\"}]},"
	    "\"status\":{\"phase\":\"Running\"}}",
	    name, ns, name, hash, owner_kind, owner, owner_uid);
	ck_assert_int_eq(upsert(s, STORE_PODS, j), 1);
	free(j);
}

static void groups_of(void *ud, const struct store_group *g)
{
	char *out = ud;
	char line[128];
	snprintf(line, sizeof(line), "[%s/%s %s n=%zu]", g->kind, g->name, g->namespace, g->n_pods);
	strcat(out, line);
}

START_TEST(test_statefulset_fields)
{
	struct store *s = store_new();
	add_sts(s, "web", "S1", "5");
	const struct statefulset *ss = store_get_statefulset(s, "db", "web");
	ck_assert_ptr_nonnull(ss);
	ck_assert_str_eq(ss->w.name, "web");
	ck_assert_str_eq(ss->w.uid, "S1");
	ck_assert_str_eq(store_obj_namespace(ss), "db");
	ck_assert_str_eq(store_obj_name(ss), "web");
	ck_assert_str_eq(store_obj_uid(ss), "S1");
	ck_assert_str_eq(store_obj_rv(ss), "5");
	ck_assert_str_eq(ss->w.images[0], "postgres:16");
	ck_assert_str_eq(ss->w.init_images[0], "busybox:1");
	ck_assert_str_eq(ss->w.match_labels[0].value, "web");
	ck_assert_str_eq(ss->w.match_exprs[0].values[0], "a");
	ck_assert_str_eq(ss->max_unavailable.sval, "50%");
	ck_assert_int_eq(ss->partition, 2);
	ck_assert_str_eq(ss->service_name, "web");
	ck_assert_str_eq(ss->pod_management_policy, "OrderedReady");
	ck_assert_str_eq(ss->current_revision, "web-aaa");
	ck_assert_str_eq(ss->update_revision, "web-bbb");
	/* The same resourceVersion is no change. */
	char *j = xasprintf("{\"metadata\":{\"name\":\"web\",\"namespace\":\"db\",\"uid\":\"S1\","
			    "\"resourceVersion\":\"5\"}}");
	ck_assert_int_eq(upsert(s, STORE_STATEFULSETS, j), 0);
	free(j);
	add_sts(s, "web", "S1", "6");
	ck_assert_str_eq(store_get_statefulset(s, "db", "web")->update_revision, "web-bbb");

	add_ds(s, "agent", "DS1");
	const struct daemonset *ds = store_get_daemonset(s, "kube-system", "agent");
	ck_assert_ptr_nonnull(ds);
	ck_assert_int_eq(ds->desired_number_scheduled, 2);
	ck_assert_int_eq(ds->max_unavailable.ival, 1);
	ck_assert_str_eq(ds->w.images[0], "agent:2");
	ck_assert_str_eq(store_obj_uid(ds), "DS1");

	clear_and_free(s);
}
END_TEST

START_TEST(test_pods_and_revisions)
{
	struct store *s = store_new();
	add_sts(s, "web", "S1", "1");
	add_cr(s, "db", "web-aaa", "StatefulSet", "web", "S1", "controller.kubernetes.io/hash",
	       "aaa", 1);
	add_cr(s, "db", "web-bbb", "StatefulSet", "web", "S1", "controller.kubernetes.io/hash",
	       "bbb", 2);
	add_cr(s, "db", "loose-1", NULL, NULL, NULL, "controller.kubernetes.io/hash", "zzz", 7);
	add_pod(s, "db", "web-0", "StatefulSet", "web", "S1", "web-aaa");
	add_pod(s, "db", "web-1", "StatefulSet", "web", "S1", "web-aaa");
	add_pod(s, "db", "web-2", "StatefulSet", "web", "S1", "web-bbb");
	add_pod(s, "db", "web-3", "StatefulSet", "web", "S1", "web-ccc");
	add_ds(s, "agent", "DS1");
	add_cr(s, "kube-system", "agent-6d5b9c7f8", "DaemonSet", "agent", "DS1",
	       "controller-revision-hash", "6d5b9c7f8", 3);
	add_pod(s, "kube-system", "agent-x1", "DaemonSet", "agent", "DS1", "6d5b9c7f8");
	add_pod(s, "kube-system", "other-x1", "DaemonSet", "other", "DS2", "6d5b9c7f8");
	add_pod(s, "db", "job-1", "Job", "migrate", "J1", "");

	ck_assert_uint_eq(store_count(s, STORE_CONTROLLERREVISIONS), 4);
	ck_assert_uint_eq(store_children_count(s, STORE_CONTROLLERREVISIONS, "S1"), 2);
	ck_assert_uint_eq(store_children_count(s, STORE_CONTROLLERREVISIONS, ""), 1);
	ck_assert_uint_eq(store_children_count(s, STORE_PODS, "S1"), 4);
	ck_assert_int_eq(store_revision_number(s, "S1", "web-bbb"), 2);
	ck_assert_int_eq(store_revision_number(s, "S1", "aaa"), 1);
	ck_assert_int_eq(store_revision_number(s, "S1", "web-zzz"), 0);
	ck_assert_int_eq(store_revision_number(s, "S1", ""), 0);
	ck_assert_int_eq(store_revision_number(s, NULL, "web-aaa"), 0);
	/* Another set's revision does not count. */
	ck_assert_int_eq(store_revision_number(s, "DS1", "web-aaa"), 0);

	const struct pod *p = store_get_pod(s, "db", "web-2");
	ck_assert_str_eq(store_pod_statefulset(s, p)->w.name, "web");
	ck_assert_ptr_null(store_pod_daemonset(s, p));
	ck_assert_int_eq(store_pod_revision(s, p), 2);
	ck_assert_int_eq(store_pod_revision(s, store_get_pod(s, "db", "web-0")), 1);
	ck_assert_int_eq(store_pod_revision(s, store_get_pod(s, "db", "web-3")), 0);
	p = store_get_pod(s, "kube-system", "agent-x1");
	ck_assert_str_eq(store_pod_daemonset(s, p)->w.name, "agent");
	ck_assert_int_eq(store_pod_revision(s, p), 3);
	ck_assert_int_eq(store_pod_revision(s, store_get_pod(s, "db", "job-1")), 0);
	/* What each set rolls out: the StatefulSet's updateRevision, the
	 * DaemonSet's newest revision. */
	ck_assert_int_eq(
	    store_update_revision(s, STORE_STATEFULSETS, store_get_statefulset(s, "db", "web")), 2);
	add_cr(s, "kube-system", "agent-old", "DaemonSet", "agent", "DS1",
	       "controller-revision-hash", "old", 1);
	ck_assert_int_eq(store_update_revision(s, STORE_DAEMONSETS,
					       store_get_daemonset(s, "kube-system", "agent")),
			 3);

	/* Pods of a set in the store are shown under it, not as a group. */
	char groups[1024] = "";
	store_foreach_unowned_group(s, groups_of, groups);
	ck_assert_ptr_null(strstr(groups, "StatefulSet/web"));
	ck_assert_ptr_null(strstr(groups, "DaemonSet/agent"));
	ck_assert_ptr_nonnull(strstr(groups, "[DaemonSet/other kube-system n=1]"));
	ck_assert_ptr_nonnull(strstr(groups, "[Job/migrate db n=1]"));
	store_delete(s, STORE_STATEFULSETS, "db", "web");
	groups[0] = '\0';
	store_foreach_unowned_group(s, groups_of, groups);
	ck_assert_ptr_nonnull(strstr(groups, "[StatefulSet/web db n=4]"));

	clear_and_free(s);
}
END_TEST

START_TEST(test_kind_names)
{
	ck_assert_int_eq(store_kind_parse("sts"), STORE_STATEFULSETS);
	ck_assert_int_eq(store_kind_parse("statefulsets"), STORE_STATEFULSETS);
	ck_assert_int_eq(store_kind_parse("StatefulSet"), STORE_STATEFULSETS);
	ck_assert_int_eq(store_kind_parse("ds"), STORE_DAEMONSETS);
	ck_assert_int_eq(store_kind_parse("daemonset"), STORE_DAEMONSETS);
	ck_assert_int_eq(store_kind_parse("controllerrevisions"), STORE_CONTROLLERREVISIONS);
	ck_assert_int_eq(store_kind_parse("ControllerRevision"), STORE_CONTROLLERREVISIONS);
	ck_assert_int_eq(store_kind_parse(""), -1);
	ck_assert_int_eq(store_kind_parse("replicationcontroller"), -1);
	ck_assert_str_eq(store_kind_name(STORE_DAEMONSETS), "daemonsets");
	ck_assert_str_eq(store_kind_kind(STORE_CONTROLLERREVISIONS), "ControllerRevision");
}
END_TEST

/* A decoder's refusal stores nothing and leaks nothing. */
START_TEST(test_refused)
{
	struct store *s = store_new();
	ck_assert_int_eq(upsert(s, STORE_CONTROLLERREVISIONS,
				"{\"metadata\":{\"name\":\"r\",\"namespace\":\"n\",\"labels\":"
				"{\"controller-revision-hash\":\"h\"}},\"revision\":1.5}"),
			 -1);
	ck_assert_int_eq(upsert(s, STORE_STATEFULSETS,
				"{\"metadata\":{\"name\":\"w\",\"namespace\":\"n\"},\"spec\":"
				"{\"replicas\":3000000000}}"),
			 -1);
	/* The same for the kinds that were there before. */
	ck_assert_int_eq(upsert(s, STORE_DEPLOYMENTS,
				"{\"metadata\":{\"name\":\"d\",\"namespace\":\"n\",\"labels\":"
				"{\"a\":\"b\"}},\"spec\":{\"replicas\":1e300}}"),
			 -1);
	ck_assert_uint_eq(store_count(s, STORE_CONTROLLERREVISIONS), 0);
	ck_assert_uint_eq(store_count(s, STORE_STATEFULSETS), 0);
	ck_assert_uint_eq(intern_count(store_strings(s)), 0);
	store_free(s);
}
END_TEST

/* The bench's shape: 200 StatefulSets with 10 revisions each. */
START_TEST(test_bytes_per_workload)
{
	struct store *s = store_new();
	enum { N = 200, R = 10 };
	char name[64], uid[64], cr[160], hash[32];
	for (int i = 0; i < N; i++) {
		snprintf(name, sizeof(name), "db-%03d", i);
		snprintf(uid, sizeof(uid), "0c6f3b1e-%08x-4c1f-9a57-7d9e8f6a0000", i);
		add_sts(s, name, uid, "1");
		for (int r = 0; r < R; r++) {
			snprintf(hash, sizeof(hash), "%08x%02d", (unsigned)i * 2654435761u, r);
			snprintf(cr, sizeof(cr), "%s-%s", name, hash);
			add_cr(s, "db", cr, "StatefulSet", name, uid,
			       "controller.kubernetes.io/hash", hash, r + 1);
		}
	}
	size_t sts = store_bytes(s, STORE_STATEFULSETS) / N;
	size_t crs = store_bytes(s, STORE_CONTROLLERREVISIONS) / (N * R);
	printf("store: %zu bytes per StatefulSet, %zu per ControllerRevision (blocks), %zu "
	       "strings in all\n",
	       sts, crs, intern_bytes(store_strings(s)));
	ck_assert_uint_lt(sts, 600);
	ck_assert_uint_lt(crs, 220);
	clear_and_free(s);
}
END_TEST

/* A StatefulSet's pod as the controller labels it: its name and ordinal in
 * labels of its own (statefulset.kubernetes.io/pod-name,
 * apps.kubernetes.io/pod-index), so its labels are shared with no other pod. */
static void add_sts_pod(struct store *s, const char *set, const char *uid, int ord)
{
	char *j = xasprintf(
	    "{\"metadata\":{\"name\":\"%s-%d\",\"namespace\":\"db\",\"uid\":"
	    "\"0c6f3b1e-%08x-4c1f-9a57-7d9e8f6a%04x\",\"resourceVersion\":\"1\","
	    "\"creationTimestamp\":\"2026-11-27T10:00:00Z\",\"labels\":{\"app\":\"%s\","
	    "\"controller-revision-hash\":\"%s-7c5ddbdf54\",\"statefulset.kubernetes.io/"
	    "pod-name\":\"%s-%d\",\"apps.kubernetes.io/pod-index\":\"%d\"},"
	    "\"ownerReferences\":[{\"apiVersion\":\"apps/v1\",\"kind\":\"StatefulSet\","
	    "\"name\":\"%s\",\"uid\":\"%s\",\"controller\":true,\"blockOwnerDeletion\":true}]},"
	    "\"spec\":{\"nodeName\":\"sim-node-1\",\"hostname\":\"%s-%d\",\"subdomain\":"
	    "\"%s\",\"containers\":[{\"name\":\"db\",\"image\":\"postgres:16\","
	    "\"readinessProbe\":{\"tcpSocket\":{\"port\":5432},\"periodSeconds\":5}}]},"
	    "\"status\":{\"phase\":\"Running\",\"podIP\":\"10.244.1.7\",\"startTime\":"
	    "\"2026-11-27T10:00:01Z\",\"conditions\":[{\"type\":\"Initialized\",\"status\":"
	    "\"True\",\"lastTransitionTime\":\"2026-11-27T10:00:01Z\"},{\"type\":\"Ready\","
	    "\"status\":\"True\",\"lastTransitionTime\":\"2026-11-27T10:00:09Z\"},{\"type\":"
	    "\"PodScheduled\",\"status\":\"True\",\"lastTransitionTime\":"
	    "\"2026-11-27T10:00:00Z\"}],\"containerStatuses\":[{\"name\":\"db\",\"ready\":"
	    "true,\"started\":true,\"restartCount\":0,\"state\":{\"running\":{\"startedAt\":"
	    "\"2026-11-27T10:00:03Z\"}}}]}}",
	    set, ord, (unsigned)ord * 2654435761u, (unsigned)ord & 0xffff, set, set, set, ord, ord,
	    set, uid, set, ord, set);
	ck_assert_int_eq(upsert(s, STORE_PODS, j), 1);
	free(j);
}

/* Memory per StatefulSet pod, its unshared labels included: the bench's
 * 100,000 pods of 200 sets must stay near a Deployment's pods (test_store's
 * test_bytes_per_pod: under 480 bytes). */
START_TEST(test_bytes_per_sts_pod)
{
	struct store *s = store_new();
	enum { SETS = 20, PODS = 250 };
	char set[32], uid[64];
	for (int i = 0; i < SETS; i++) {
		snprintf(set, sizeof(set), "db-%02d", i);
		snprintf(uid, sizeof(uid), "5e7b0509-%08x-41aa-b596-7c90bf538f83", i);
		for (int k = 0; k < PODS; k++)
			add_sts_pod(s, set, uid, k);
	}
	size_t n = SETS * PODS;
	size_t bytes =
	    store_bytes(s, STORE_PODS) + intern_bytes(store_strings(s)) + store_shared_bytes(s);
	printf("store: %zu bytes per StatefulSet pod (%zu block, %zu strings, %zu shared)\n",
	       bytes / n, store_bytes(s, STORE_PODS) / n, intern_bytes(store_strings(s)) / n,
	       store_shared_bytes(s) / n);
	/* 570 while the name and ordinal labels were kept as pairs: one
	 * labels array and one interned name per pod. */
	ck_assert_uint_lt(bytes / n, 480);
	clear_and_free(s);
}
END_TEST

/* The labels that restate a StatefulSet pod's name are folded into bits
 * and read back as if they were there; any other value stays a pair. */
START_TEST(test_sts_pod_labels)
{
	struct store *s = store_new();
	add_sts_pod(s, "web", "S1", 12);
	const struct pod *p = store_get_pod(s, "db", "web-12");
	ck_assert_uint_eq(p->n_labels, 2);
	ck_assert_str_eq(pod_label(p, "statefulset.kubernetes.io/pod-name"), "web-12");
	ck_assert_str_eq(pod_label(p, "apps.kubernetes.io/pod-index"), "12");
	ck_assert_str_eq(pod_label(p, "app"), "web");
	ck_assert_ptr_null(pod_label(p, "tier"));
	/* A per-pod Service, as StatefulSet users write them. */
	ck_assert_int_eq(
	    upsert(s, STORE_SERVICES,
		   "{\"metadata\":{\"name\":\"web-12\",\"namespace\":\"db\",\"resourceVersion\":"
		   "\"1\"},\"spec\":{\"selector\":{\"statefulset.kubernetes.io/pod-name\":"
		   "\"web-12\",\"app\":\"web\"}}}"),
	    1);
	ck_assert(store_service_selects(store_get(s, STORE_SERVICES, "db", "web-12"), p));
	add_sts_pod(s, "web", "S1", 3);
	ck_assert(!store_service_selects(store_get(s, STORE_SERVICES, "db", "web-12"),
					 store_get_pod(s, "db", "web-3")));

	/* Values the name does not imply are kept as they came. */
	ck_assert_int_eq(
	    upsert(s, STORE_PODS,
		   "{\"metadata\":{\"name\":\"odd-7\",\"namespace\":\"db\",\"resourceVersion\":"
		   "\"1\",\"labels\":{\"statefulset.kubernetes.io/pod-name\":\"other-7\","
		   "\"apps.kubernetes.io/pod-index\":\"07\"}}}"),
	    1);
	p = store_get_pod(s, "db", "odd-7");
	ck_assert_uint_eq(p->n_labels, 2);
	ck_assert_uint_eq(p->implied_labels, 0);
	ck_assert_str_eq(pod_label(p, "statefulset.kubernetes.io/pod-name"), "other-7");
	ck_assert_str_eq(pod_label(p, "apps.kubernetes.io/pod-index"), "07");
	ck_assert_int_eq(
	    upsert(s, STORE_PODS,
		   "{\"metadata\":{\"name\":\"noord\",\"namespace\":\"db\",\"resourceVersion\":"
		   "\"1\",\"labels\":{\"apps.kubernetes.io/pod-index\":\"\"}}}"),
	    1);
	p = store_get_pod(s, "db", "noord");
	ck_assert_str_eq(pod_label(p, "apps.kubernetes.io/pod-index"), "");
	clear_and_free(s);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("store_kinds");
	TCase *tc = tcase_create("store_kinds");
	tcase_add_test(tc, test_statefulset_fields);
	tcase_add_test(tc, test_pods_and_revisions);
	tcase_add_test(tc, test_kind_names);
	tcase_add_test(tc, test_refused);
	tcase_add_test(tc, test_bytes_per_workload);
	tcase_add_test(tc, test_bytes_per_sts_pod);
	tcase_add_test(tc, test_sts_pod_labels);
	tcase_set_timeout(tc, 120);
	suite_add_tcase(s, tc);
	return test_run_suite(s);
}
