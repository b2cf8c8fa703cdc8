#include "config.h"

#include <stdio.h>
#include <string.h>

#include <check.h>
#include <cjson/cJSON.h>

#include "podscope/intern.h"
#include "podscope/store.h"
#include "podscope/xalloc.h"
#include "testutil.h"

/* A pod as a Deployment's ReplicaSet and a kubelet leave it. */
static char *pod_json(const char *ns, const char *name, const char *rv, const char *owner_kind,
		      const char *owner, const char *owner_uid, const char *app)
{
	char owners[256] = "";
	if (owner)
		snprintf(owners, sizeof(owners),
			 ",\"ownerReferences\":[{\"apiVersion\":\"apps/v1\",\"kind\":\"%s\","
			 "\"name\":\"%s\",\"uid\":\"%s\",\"controller\":true,"
			 "\"blockOwnerDeletion\":true}]",
			 owner_kind, owner, owner_uid);
	return xasprintf(
	    "{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"%s\","
	    "\"namespace\":\"%s\",\"uid\":\"0c6f3b1e-%08x-4c1f-9a57-7d9e8f6a%04x\","
	    "\"resourceVersion\":\"%s\",\"creationTimestamp\":\"2026-11-27T10:00:00Z\","
	    "\"labels\":{\"app\":\"%s\",\"pod-template-hash\":\"7c5ddbdf54\"}%s},"
	    "\"spec\":{\"nodeName\":\"sim-node-1\",\"restartPolicy\":\"Always\","
	    "\"containers\":[{\"name\":\"web\",\"image\":\"nginx:1.25\",\"ports\":"
	    "[{\"containerPort\":80}],\"readinessProbe\":{\"httpGet\":{\"path\":\"/ready\","
	    "\"port\":80},\"periodSeconds\":5},\"livenessProbe\":{\"tcpSocket\":{\"port\":"
	    "\"http\"}},\"lifecycle\":{\"postStart\":{\"exec\":{\"command\":[\"sh\",\"-c\","
	    "\"echo hi\"]}}}}]},"
	    "\"status\":{\"phase\":\"Running\",\"podIP\":\"10.244.1.7\",\"hostIP\":\"172.18.0.2\","
	    "\"startTime\":\"2026-11-27T10:00:01Z\",\"qosClass\":\"BestEffort\",\"conditions\":["
	    "{\"type\":\"PodReadyToStartContainers\",\"status\":\"True\",\"lastTransitionTime\":"
	    "\"2026-11-27T10:00:02Z\"},"
	    "{\"type\":\"Initialized\",\"status\":\"True\",\"lastTransitionTime\":"
	    "\"2026-11-27T10:00:01Z\"},"
	    "{\"type\":\"Ready\",\"status\":\"True\",\"lastTransitionTime\":\"2026-11-27T10:00:"
	    "09Z\"},"
	    "{\"type\":\"ContainersReady\",\"status\":\"True\",\"lastTransitionTime\":"
	    "\"2026-11-27T10:00:09Z\"},"
	    "{\"type\":\"PodScheduled\",\"status\":\"True\",\"lastTransitionTime\":"
	    "\"2026-11-27T10:00:00Z\"}],"
	    "\"containerStatuses\":[{\"name\":\"web\",\"ready\":true,\"started\":true,"
	    "\"restartCount\":0,\"image\":\"nginx:1.25\",\"imageID\":\"docker.io/library/"
	    "nginx@sha256:"
	    "0d17b565c37bcbd895e9d92315a05c1c3c9a29f762b011a10c54a66cd53c9b31\",\"containerID\":"
	    "\"containerd://"
	    "4f1c\",\"state\":{\"running\":{\"startedAt\":\"2026-11-27T10:00:03Z\"}}}]}}",
	    name, ns, (unsigned)strlen(name) * 2654435761u, (unsigned)name[strlen(name) - 1], rv,
	    app, owners);
}

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

static int upsert_pod(struct store *s, const char *ns, const char *name, const char *rv,
		      const char *okind, const char *owner, const char *ouid, const char *app)
{
	char *j = pod_json(ns, name, rv, okind, owner, ouid, app);
	int rc = upsert(s, STORE_PODS, j);
	free(j);
	return rc;
}

static void add_rs(struct store *s, const char *ns, const char *name, const char *uid,
		   const char *deploy, const char *duid)
{
	char owners[200] = "";
	if (deploy)
		snprintf(owners, sizeof(owners),
			 ",\"ownerReferences\":[{\"kind\":\"Deployment\",\"name\":\"%s\","
			 "\"uid\":\"%s\",\"controller\":true}]",
			 deploy, duid);
	char *j = xasprintf("{\"metadata\":{\"name\":\"%s\",\"namespace\":\"%s\",\"uid\":\"%s\","
			    "\"resourceVersion\":\"1\",\"labels\":{\"pod-template-hash\":\"h-%s\"},"
			    "\"annotations\":{\"deployment.kubernetes.io/revision\":\"2\"}%s},"
			    "\"spec\":{\"replicas\":2,\"template\":{\"spec\":{\"containers\":["
			    "{\"name\":\"web\",\"image\":\"nginx:1.25\"}]}}}}",
			    name, ns, uid, name, owners);
	ck_assert_int_eq(upsert(s, STORE_REPLICASETS, j), 1);
	free(j);
}

static void add_deploy(struct store *s, const char *ns, const char *name, const char *uid)
{
	char *j = xasprintf(
	    "{\"metadata\":{\"name\":\"%s\",\"namespace\":\"%s\",\"uid\":\"%s\","
	    "\"resourceVersion\":\"1\",\"generation\":3},\"spec\":{\"replicas\":2,"
	    "\"selector\":{\"matchLabels\":{\"app\":\"web\"},\"matchExpressions\":[{\"key\":"
	    "\"tier\",\"operator\":\"In\",\"values\":[\"a\",\"b\"]}]},\"strategy\":{\"type\":"
	    "\"RollingUpdate\",\"rollingUpdate\":{\"maxSurge\":\"25%%\",\"maxUnavailable\":0}},"
	    "\"template\":{\"metadata\":{\"annotations\":{\"kubectl.kubernetes.io/restartedAt\":"
	    "\"2026-11-27T09:00:00Z\"}},\"spec\":{\"initContainers\":[{\"name\":\"init\","
	    "\"image\":\"busybox:1.36\"}],\"containers\":[{\"name\":\"web\",\"image\":"
	    "\"nginx:1.25\"},{\"name\":\"side\",\"image\":\"envoy:1\"}]}}},"
	    "\"status\":{\"replicas\":2,\"conditions\":[{\"type\":\"Available\",\"status\":"
	    "\"True\",\"message\":\"Deployment has minimum availability.\"}]}}",
	    name, ns, uid);
	ck_assert_int_eq(upsert(s, STORE_DEPLOYMENTS, j), 1);
	free(j);
}

START_TEST(test_decode_fields)
{
	struct store *s = store_new();
	ck_assert_int_eq(
	    upsert_pod(s, "default", "web-1", "5", "ReplicaSet", "web-7c5", "R1", "web"), 1);
	const struct pod *p = store_get_pod(s, "default", "web-1");
	ck_assert_ptr_nonnull(p);
	ck_assert_str_eq(p->name, "web-1");
	ck_assert_str_eq(p->namespace, "default");
	ck_assert_str_eq(store_obj_rv(p), "5");
	ck_assert_str_eq(store_obj_name(p), "web-1");
	ck_assert_int_eq(store_obj_kind(p), STORE_PODS);
	ck_assert_uint_eq(p->n_labels, 2);
	ck_assert_str_eq(model_label(p->labels, p->n_labels, "app"), "web");
	ck_assert_uint_eq(p->n_owners, 1);
	ck_assert_str_eq(p->owners[0].kind, "ReplicaSet");
	ck_assert_str_eq(p->owners[0].uid, "R1");
	ck_assert_int_eq(p->owners[0].controller, 1);
	ck_assert_uint_eq(p->n_specs, 1);
	ck_assert_str_eq(p->specs[0].image, "nginx:1.25");
	ck_assert_ptr_nonnull(p->specs[0].readiness);
	ck_assert_int_eq(p->specs[0].readiness->kind, PROBE_HTTP);
	ck_assert_str_eq(p->specs[0].readiness->target, "/ready");
	ck_assert_int_eq(p->specs[0].readiness->port, 80);
	ck_assert_int_eq(p->specs[0].readiness->period_s, 5);
	ck_assert_int_eq(p->specs[0].readiness->failure_threshold, 3);
	ck_assert_int_eq(p->specs[0].liveness->kind, PROBE_TCP);
	ck_assert_str_eq(p->specs[0].liveness->port_name, "http");
	ck_assert_ptr_null(p->specs[0].startup);
	ck_assert_int_eq(p->specs[0].post_start->kind, HOOK_EXEC);
	ck_assert_str_eq(p->specs[0].post_start->target, "sh -c echo hi");
	ck_assert_ptr_null(p->specs[0].pre_stop);
	/* Of the five conditions, the three the model reads, in order, with
	 * their times intact in the packed word. */
	ck_assert_uint_eq(p->n_conditions, 3);
	ck_assert_str_eq(p->conditions[0].type, "Initialized");
	ck_assert_str_eq(p->conditions[1].type, "Ready");
	ck_assert_str_eq(p->conditions[2].type, "PodScheduled");
	ck_assert_int_eq(p->conditions[1].status, MODEL_COND_TRUE);
	ck_assert_int_eq(p->conditions[1].last_transition, 1795773609000); /* 10:00:09Z, in ms */
	ck_assert_ptr_null(model_pod_condition(p, "ContainersReady"));
	/* no reason, no message: nothing held for them */
	ck_assert_ptr_null(p->conditions[1].text);
	ck_assert_str_eq(model_cond_reason(&p->conditions[1]), "");
	ck_assert_str_eq(p->pod_ip, "10.244.1.7");
	ck_assert_int_eq(p->statuses[0].state.kind, CSTATE_RUNNING);
	ck_assert_int_eq(p->grace_period_s, -1);
	ck_assert(p->start_time > 0);
	/* Strings shared between objects are one copy. */
	ck_assert_ptr_eq(p->specs[0].image,
			 p->namespace == NULL ? NULL : intern_find(store_strings(s), "nginx:1.25"));

	add_deploy(s, "default", "web", "D1");
	const struct deployment *d = store_get_deployment(s, "default", "web");
	ck_assert_uint_eq(d->n_match_labels, 1);
	ck_assert_uint_eq(d->n_match_exprs, 1);
	ck_assert_uint_eq(d->match_exprs[0].n_values, 2);
	ck_assert_str_eq(d->match_exprs[0].values[1], "b");
	ck_assert_uint_eq(d->n_images, 2);
	ck_assert_str_eq(d->images[1], "envoy:1");
	ck_assert_str_eq(d->init_images[0], "busybox:1.36");
	ck_assert_str_eq(d->restarted_at, "2026-11-27T09:00:00Z");
	ck_assert_str_eq(d->strategy.max_surge.sval, "25%");
	ck_assert_int_eq(d->strategy.max_unavailable.type, INTSTR_INT);
	ck_assert_str_eq(d->conditions[0].message, "Deployment has minimum availability.");
	store_free(s);
}
END_TEST

struct seen {
	int added, updated, deleted;
	const void *last_old, *last_new;
	char last_name[64];
};

static void on_change(void *ud, enum store_kind k, const void *old_obj, const void *new_obj)
{
	struct seen *c = ud;
	(void)k;
	if (!old_obj)
		c->added++;
	else if (!new_obj)
		c->deleted++;
	else
		c->updated++;
	c->last_old = old_obj;
	c->last_new = new_obj;
	snprintf(c->last_name, sizeof(c->last_name), "%s",
		 store_obj_name(new_obj ? new_obj : old_obj));
}

START_TEST(test_changes)
{
	struct store *s = store_new();
	struct seen c = {0};
	store_subscribe(s, on_change, &c);
	ck_assert_uint_eq(store_generation(s), 0);
	upsert_pod(s, "default", "a", "1", NULL, NULL, NULL, "web");
	ck_assert_int_eq(c.added, 1);
	ck_assert_uint_eq(store_generation(s), 1);
	const struct pod *a = store_get_pod(s, "default", "a");
	ck_assert_uint_eq(store_obj_changed(a), 1);
	/* Same resourceVersion: nothing happens. */
	ck_assert_int_eq(upsert_pod(s, "default", "a", "1", NULL, NULL, NULL, "web"), 0);
	ck_assert_int_eq(c.updated, 0);
	ck_assert_ptr_eq(store_get_pod(s, "default", "a"), a);
	ck_assert_uint_eq(store_generation(s), 1);
	/* A new one: old and new both given. */
	ck_assert_int_eq(upsert_pod(s, "default", "a", "2", NULL, NULL, NULL, "api"), 1);
	ck_assert_int_eq(c.updated, 1);
	const struct pod *a2 = store_get_pod(s, "default", "a");
	ck_assert_ptr_eq(c.last_new, a2);
	ck_assert_uint_eq(store_obj_changed(a2), 2);
	ck_assert_uint_eq(store_kind_generation(s, STORE_PODS), 2);
	ck_assert_uint_eq(store_kind_generation(s, STORE_DEPLOYMENTS), 0);
	ck_assert_str_eq(model_label(a2->labels, a2->n_labels, "app"), "api");
	/* Same resourceVersion, another uid (a server that lost its history):
	 * a new object. */
	const char *u1 = "{\"metadata\":{\"name\":\"u\",\"namespace\":\"default\",\"uid\":\"A\","
			 "\"resourceVersion\":\"7\"}}";
	const char *u2 = "{\"metadata\":{\"name\":\"u\",\"namespace\":\"default\",\"uid\":\"B\","
			 "\"resourceVersion\":\"7\"}}";
	ck_assert_int_eq(upsert(s, STORE_PODS, u1), 1);
	ck_assert_int_eq(upsert(s, STORE_PODS, u1), 0);
	ck_assert_int_eq(upsert(s, STORE_PODS, u2), 1);
	ck_assert_str_eq(store_obj_uid(store_get_pod(s, "default", "u")), "B");
	ck_assert_int_eq(store_delete(s, STORE_PODS, "default", "u"), 1);
	c.added = 1;
	c.updated = 1;
	c.deleted = 0;
	/* Same name in another namespace is another object. */
	upsert_pod(s, "other", "a", "3", NULL, NULL, NULL, "web");
	ck_assert_uint_eq(store_count(s, STORE_PODS), 2);
	ck_assert_int_eq(store_delete(s, STORE_PODS, "default", "a"), 1);
	ck_assert_int_eq(store_delete(s, STORE_PODS, "default", "a"), 0);
	ck_assert_int_eq(c.deleted, 1);
	ck_assert_str_eq(c.last_name, "a");
	ck_assert_ptr_null(store_get_pod(s, "default", "a"));
	ck_assert_ptr_nonnull(store_get_pod(s, "other", "a"));
	/* Bad objects are refused. */
	struct perr err = {0};
	cJSON *arr = cJSON_Parse("[1]");
	ck_assert_int_eq(store_upsert_json(s, STORE_PODS, arr, &err), -1);
	cJSON_Delete(arr);
	ck_assert_int_eq(upsert(s, STORE_PODS, "{\"metadata\":{\"namespace\":\"x\"}}"), -1);
	perr_clear(&err);
	store_unsubscribe(s, on_change, &c);
	store_clear(s, STORE_PODS);
	ck_assert_int_eq(c.deleted, 1);
	ck_assert_uint_eq(intern_count(store_strings(s)), 0);
	store_free(s);
}
END_TEST

START_TEST(test_replace_all)
{
	struct store *s = store_new();
	struct seen c = {0};
	upsert_pod(s, "ns", "a", "1", NULL, NULL, NULL, "web");
	upsert_pod(s, "ns", "b", "2", NULL, NULL, NULL, "web");
	upsert_pod(s, "ns", "c", "3", NULL, NULL, NULL, "web");
	const struct pod *a = store_get_pod(s, "ns", "a");
	uint64_t a_changed = store_obj_changed(a);
	store_subscribe(s, on_change, &c);
	store_replace_begin(s, STORE_PODS);
	upsert_pod(s, "ns", "a", "1", NULL, NULL, NULL, "web");
	upsert_pod(s, "ns", "b", "5", NULL, NULL, NULL, "web");
	upsert_pod(s, "ns", "d", "6", NULL, NULL, NULL, "web");
	ck_assert_uint_eq(store_count(s, STORE_PODS), 4); /* c still there until the end */
	ck_assert_uint_eq(store_replace_end(s, STORE_PODS), 1);
	ck_assert_int_eq(c.added, 1);
	ck_assert_int_eq(c.updated, 1);
	ck_assert_int_eq(c.deleted, 1);
	ck_assert_ptr_null(store_get_pod(s, "ns", "c"));
	ck_assert_ptr_eq(store_get_pod(s, "ns", "a"), a);
	ck_assert_uint_eq(store_obj_changed(a), a_changed);
	/* An empty relist deletes everything; an abandoned one nothing. */
	store_replace_begin(s, STORE_PODS);
	store_replace_begin(s, STORE_PODS);
	upsert_pod(s, "ns", "a", "1", NULL, NULL, NULL, "web");
	ck_assert_uint_eq(store_replace_end(s, STORE_PODS), 2);
	store_replace_begin(s, STORE_PODS);
	ck_assert_uint_eq(store_replace_end(s, STORE_PODS), 1);
	ck_assert_uint_eq(store_count(s, STORE_PODS), 0);
	ck_assert_uint_eq(intern_count(store_strings(s)), 0);
	store_free(s);
}
END_TEST

static void count_group(void *ud, const struct store_group *g)
{
	char *out = ud;
	char line[128];
	snprintf(line, sizeof(line), "[%s/%s %s n=%zu]", g->kind, g->name, g->namespace, g->n_pods);
	strcat(out, line);
}

START_TEST(test_owner_index)
{
	struct store *s = store_new();
	add_deploy(s, "default", "web", "D1");
	add_rs(s, "default", "web-old", "R1", "web", "D1");
	add_rs(s, "default", "web-new", "R2", "web", "D1");
	add_rs(s, "default", "orphan-rs", "R3", NULL, NULL);
	upsert_pod(s, "default", "web-old-1", "1", "ReplicaSet", "web-old", "R1", "web");
	upsert_pod(s, "default", "web-new-1", "1", "ReplicaSet", "web-new", "R2", "web");
	upsert_pod(s, "default", "web-new-2", "1", "ReplicaSet", "web-new", "R2", "web");
	upsert_pod(s, "default", "orphan-1", "1", "ReplicaSet", "orphan-rs", "R3", "x");
	upsert_pod(s, "default", "job-1", "1", "Job", "migrate", "J1", "job");
	upsert_pod(s, "default", "bare", "1", NULL, NULL, NULL, "bare");
	upsert_pod(s, "kube-system", "bare2", "1", NULL, NULL, NULL, "bare");

	ck_assert_uint_eq(store_children_count(s, STORE_REPLICASETS, "D1"), 2);
	ck_assert_uint_eq(store_children_count(s, STORE_PODS, "R2"), 2);
	ck_assert_uint_eq(store_children_count(s, STORE_PODS, ""), 2);
	ck_assert_uint_eq(store_children_count(s, STORE_DEPLOYMENTS, "x"), 0);
	struct store_iter it;
	int n = 0;
	store_iter_children(&it, s, STORE_REPLICASETS, "D1");
	for (const struct replicaset *rs; (rs = store_iter_next(&it));) {
		ck_assert_str_eq(rs->owner_uid, "D1");
		ck_assert_str_eq(store_rs_deployment(s, rs)->name, "web");
		n++;
	}
	ck_assert_int_eq(n, 2);
	const struct pod *p = store_get_pod(s, "default", "web-new-2");
	ck_assert_str_eq(store_pod_replicaset(s, p)->name, "web-new");
	ck_assert_str_eq(store_pod_deployment(s, p)->name, "web");
	ck_assert_str_eq(store_get_replicaset(s, "default", "web-new")->pod_template_hash,
			 "h-web-new");
	ck_assert_ptr_null(store_pod_deployment(s, store_get_pod(s, "default", "orphan-1")));

	char groups[1024] = "";
	store_foreach_unowned_group(s, count_group, groups);
	ck_assert_ptr_nonnull(strstr(groups, "[ReplicaSet/orphan-rs default n=1]"));
	ck_assert_ptr_nonnull(strstr(groups, "[Job/migrate default n=1]"));
	ck_assert_ptr_nonnull(strstr(groups, "[/  n=2]")); /* standalone, two namespaces */
	ck_assert_ptr_null(strstr(groups, "web"));

	/* A pod that changes owner moves between buckets; empty buckets go. */
	upsert_pod(s, "default", "web-old-1", "2", "ReplicaSet", "web-new", "R2", "web");
	ck_assert_uint_eq(store_children_count(s, STORE_PODS, "R1"), 0);
	ck_assert_uint_eq(store_children_count(s, STORE_PODS, "R2"), 3);
	/* Children come in the order they last changed. */
	store_iter_children(&it, s, STORE_PODS, "R2");
	const struct pod *last = NULL;
	for (const struct pod *q; (q = store_iter_next(&it));)
		last = q;
	ck_assert_str_eq(last->name, "web-old-1");

	/* Deleting the Deployment puts its pods among the unowned. */
	store_delete(s, STORE_DEPLOYMENTS, "default", "web");
	groups[0] = '\0';
	store_foreach_unowned_group(s, count_group, groups);
	ck_assert_ptr_nonnull(strstr(groups, "[ReplicaSet/web-new default n=3]"));
	for (int k = 0; k < STORE_NKINDS; k++)
		store_clear(s, (enum store_kind)k);
	ck_assert_uint_eq(intern_count(store_strings(s)), 0);
	store_free(s);
}
END_TEST

START_TEST(test_service_selector)
{
	struct store *s = store_new();
	upsert_pod(s, "default", "w1", "1", NULL, NULL, NULL, "web");
	upsert_pod(s, "default", "w2", "1", NULL, NULL, NULL, "web");
	upsert_pod(s, "default", "a1", "1", NULL, NULL, NULL, "api");
	upsert_pod(s, "other", "w3", "1", NULL, NULL, NULL, "web");
	ck_assert_int_eq(
	    upsert(s, STORE_SERVICES,
		   "{\"metadata\":{\"name\":\"web\",\"namespace\":\"default\",\"uid\":\"S1\","
		   "\"resourceVersion\":\"1\"},\"spec\":{\"clusterIP\":\"10.96.0.10\","
		   "\"selector\":{\"app\":\"web\"},\"ports\":[{\"port\":80,\"targetPort\":"
		   "\"http\"}]}}"),
	    1);
	ck_assert_int_eq(upsert(s, STORE_SERVICES,
				"{\"metadata\":{\"name\":\"ext\",\"namespace\":\"default\","
				"\"resourceVersion\":\"1\"},\"spec\":{\"type\":\"ExternalName\"}}"),
			 1);
	const struct service *svc = store_get(s, STORE_SERVICES, "default", "web");
	ck_assert_str_eq(svc->type, "ClusterIP");
	ck_assert_str_eq(svc->ports[0].protocol, "TCP");
	ck_assert_str_eq(svc->ports[0].target_port.sval, "http");
	struct store_iter it;
	int n = 0;
	store_iter_service_pods(&it, s, svc);
	for (const struct pod *p; (p = store_iter_next(&it));) {
		ck_assert_str_eq(p->namespace, "default");
		ck_assert_str_eq(model_label(p->labels, p->n_labels, "app"), "web");
		n++;
	}
	ck_assert_int_eq(n, 2);
	store_iter_service_pods(&it, s, store_get(s, STORE_SERVICES, "default", "ext"));
	ck_assert_ptr_null(store_iter_next(&it));
	/* Iteration by namespace. */
	n = 0;
	store_iter_all(&it, s, STORE_PODS, "other");
	while (store_iter_next(&it))
		n++;
	ck_assert_int_eq(n, 1);
	store_free(s);
}
END_TEST

static void add_event(struct store *s, int i, bool warning)
{
	char *j = xasprintf("{\"metadata\":{\"name\":\"ev-%d\",\"namespace\":\"default\","
			    "\"resourceVersion\":\"%d\"},\"involvedObject\":{\"kind\":\"Pod\","
			    "\"name\":\"web-1\",\"uid\":\"P1\"},\"reason\":\"%s\",\"message\":"
			    "\"m%d\",\"type\":\"%s\",\"count\":%d,\"lastTimestamp\":"
			    "\"2026-11-27T10:00:%02dZ\"}",
			    i, i, warning ? "Unhealthy" : "Pulled", i,
			    warning ? "Warning" : "Normal", i, i % 60);
	ck_assert_int_eq(upsert(s, STORE_EVENTS, j), 1);
	free(j);
}

START_TEST(test_events_bounded)
{
	struct store *s = store_new();
	store_set_event_limit(s, 5);
	add_event(s, 1, true);
	add_event(s, 2, true);
	for (int i = 3; i < 20; i++)
		add_event(s, i, false);
	add_event(s, 20, true);
	ck_assert_uint_eq(store_count(s, STORE_EVENTS), 5);
	ck_assert_ptr_nonnull(store_get(s, STORE_EVENTS, "default", "ev-1"));
	ck_assert_ptr_nonnull(store_get(s, STORE_EVENTS, "default", "ev-2"));
	ck_assert_ptr_nonnull(store_get(s, STORE_EVENTS, "default", "ev-20"));
	ck_assert_ptr_nonnull(store_get(s, STORE_EVENTS, "default", "ev-19"));
	ck_assert_ptr_null(store_get(s, STORE_EVENTS, "default", "ev-17"));
	const struct event *e = store_get(s, STORE_EVENTS, "default", "ev-20");
	ck_assert_int_eq(e->warning, 1);
	ck_assert_int_eq(e->count, 20);
	ck_assert_str_eq(e->involved_name, "web-1");
	ck_assert_uint_eq(store_children_count(s, STORE_EVENTS, "P1"), 5);
	/* Only warnings left: the oldest warning goes. */
	store_set_event_limit(s, 2);
	ck_assert_ptr_null(store_get(s, STORE_EVENTS, "default", "ev-1"));
	ck_assert_ptr_nonnull(store_get(s, STORE_EVENTS, "default", "ev-20"));
	store_free(s);
}
END_TEST

START_TEST(test_endpoints_and_namespaces)
{
	struct store *s = store_new();
	ck_assert_int_eq(
	    upsert(s, STORE_ENDPOINTS,
		   "{\"metadata\":{\"name\":\"web\",\"namespace\":\"default\",\"resourceVersion\":"
		   "\"4\"},\"subsets\":[{\"addresses\":[{\"ip\":\"10.0.0.1\",\"nodeName\":\"n1\","
		   "\"targetRef\":{\"kind\":\"Pod\",\"name\":\"web-1\"}},{\"ip\":\"10.0.0.3\"}],"
		   "\"notReadyAddresses\":[{\"ip\":\"10.0.0.2\",\"targetRef\":{\"kind\":\"Pod\","
		   "\"name\":\"web-2\"}}],\"ports\":[{\"name\":\"http\",\"port\":8080,"
		   "\"protocol\":\"TCP\"}]}]}"),
	    1);
	const struct endpoints *ep = store_get(s, STORE_ENDPOINTS, "default", "web");
	ck_assert_uint_eq(ep->n_addresses, 3);
	ck_assert_uint_eq(ep->n_ready, 2);
	ck_assert_str_eq(ep->addresses[2].target_name, "web-2");
	ck_assert_int_eq(ep->addresses[2].ready, 0);
	ck_assert_str_eq(ep->addresses[1].ip, "10.0.0.3");
	ck_assert_int_eq(ep->ports[0].port, 8080);
	ck_assert_int_eq(
	    upsert(s, STORE_NAMESPACES,
		   "{\"metadata\":{\"name\":\"team-a\",\"uid\":\"n1\",\"resourceVersion\":"
		   "\"2\",\"deletionTimestamp\":\"2026-11-27T10:00:00Z\"},\"status\":{"
		   "\"phase\":\"Terminating\"}}"),
	    1);
	/* Cluster-scoped: the namespace argument is ignored. */
	const struct namespace_obj *ns = store_get(s, STORE_NAMESPACES, "whatever", "team-a");
	ck_assert_ptr_nonnull(ns);
	ck_assert_str_eq(ns->phase, "Terminating");
	ck_assert(ns->deleted > 0);
	ck_assert_str_eq(store_obj_namespace(ns), "");
	ck_assert_int_eq(store_kind_parse("deploy"), STORE_DEPLOYMENTS);
	ck_assert_int_eq(store_kind_parse("Pod"), STORE_PODS);
	ck_assert_int_eq(store_kind_parse("endpoints"), STORE_ENDPOINTS);
	ck_assert_int_eq(store_kind_parse("widgets"), -1);
	store_clear(s, STORE_ENDPOINTS);
	store_clear(s, STORE_NAMESPACES);
	ck_assert_uint_eq(intern_count(store_strings(s)), 0);
	store_free(s);
}
END_TEST

/* Readiness gates' conditions are kept, other custom ones dropped. */
START_TEST(test_decode_gate_conditions)
{
	cJSON *obj = cJSON_Parse(
	    "{\"kind\":\"Pod\",\"metadata\":{\"name\":\"g\",\"namespace\":\"default\"},"
	    "\"spec\":{\"readinessGates\":[{\"conditionType\":\"example.com/lb\"}]},"
	    "\"status\":{\"conditions\":[{\"type\":\"other.io/x\",\"status\":\"True\"},"
	    "{\"type\":\"example.com/lb\",\"status\":\"False\",\"reason\":\"NotYet\","
	    "\"message\":\"target not healthy\"},{\"type\":\"ContainersReady\",\"status\":"
	    "\"True\"}]}}");
	struct model_arena arena = MODEL_ARENA_INIT;
	struct pod p;
	ck_assert_int_eq(model_decode_pod(obj, &p, &arena, NULL, NULL), 0);
	ck_assert_uint_eq(p.n_conditions, 1);
	ck_assert_str_eq(p.conditions[0].type, "example.com/lb");
	ck_assert_int_eq(p.conditions[0].status, MODEL_COND_FALSE);
	ck_assert_str_eq(model_cond_message(&p.conditions[0]), "target not healthy");
	ck_assert_str_eq(model_cond_reason(&p.conditions[0]), "NotYet");
	model_arena_free(&arena);
	cJSON_Delete(obj);
}
END_TEST

/* Memory per pod: the block plus its share of the strings. */
START_TEST(test_bytes_per_pod)
{
	struct store *s = store_new();
	enum { N = 5000 };
	char name[160], rs[64];
	for (int i = 0; i < N; i++) {
		snprintf(rs, sizeof(rs), "web-%d-7c5ddbdf54", i / 100);
		snprintf(name, sizeof(name), "%s-%05x", rs, i * 7919);
		upsert_pod(s, "default", name, "1", "ReplicaSet", rs, rs, "web");
	}
	size_t bytes =
	    store_bytes(s, STORE_PODS) + intern_bytes(store_strings(s)) + store_shared_bytes(s);
	printf("store: %zu bytes per pod (%zu block, %zu strings, %zu shared)\n", bytes / N,
	       store_bytes(s, STORE_PODS) / N, intern_bytes(store_strings(s)) / N,
	       store_shared_bytes(s) / N);
	/* One owners array per ReplicaSet (50); the labels and the specs are
	 * the same for all of them here. */
	ck_assert_uint_eq(store_shared_count(s), 50 + 2);
	/* A rich pod (5 conditions, two probes, a hook) in under 480 bytes. */
	ck_assert_uint_lt(bytes / N, 480);
	for (int i = 0; i < N; i++) {
		snprintf(rs, sizeof(rs), "web-%d-7c5ddbdf54", i / 100);
		snprintf(name, sizeof(name), "%s-%05x", rs, i * 7919);
		store_delete(s, STORE_PODS, "default", name);
	}
	ck_assert_uint_eq(store_shared_count(s), 0);
	ck_assert_uint_eq(intern_count(store_strings(s)), 0);
	store_free(s);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("store");
	TCase *tc = tcase_create("store");
	tcase_add_test(tc, test_decode_fields);
	tcase_add_test(tc, test_changes);
	tcase_add_test(tc, test_replace_all);
	tcase_add_test(tc, test_owner_index);
	tcase_add_test(tc, test_service_selector);
	tcase_add_test(tc, test_events_bounded);
	tcase_add_test(tc, test_endpoints_and_namespaces);
	tcase_add_test(tc, test_decode_gate_conditions);
	tcase_add_test(tc, test_bytes_per_pod);
	tcase_set_timeout(tc, 120);
	suite_add_tcase(s, tc);
	return test_run_suite(s);
}
