#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <check.h>
#include <cjson/cJSON.h>
#include <curl/curl.h>

#include "podscope/buf.h"
#include "podscope/model.h"
#include "podscope/pod_status.h"
#include "podscope/store.h"
#include "podscope/xalloc.h"

#include "test_fault_converge.h"

/* For test_fault_converge.c: plain HTTP (libcurl easy, not podscope's
 * client) and the comparison of a store with a fresh list. */

static size_t on_body(char *p, size_t size, size_t n, void *ud)
{
	buf_add(ud, p, size * n);
	return size * n;
}

long fc_http(struct simlaunch *sim, const char *method, const char *path, const char *body,
	     struct buf *out)
{
	char *url = xasprintf("%s%s", simlaunch_url(sim), path);
	CURL *c = curl_easy_init();
	struct curl_slist *h = curl_slist_append(NULL, "Content-Type: application/json");
	buf_reset(out);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(c, CURLOPT_NOPROXY, "*");
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 20000L);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, out);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	if (body)
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
	long status = 0;
	if (curl_easy_perform(c) == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	curl_slist_free_all(h);
	curl_easy_cleanup(c);
	free(url);
	buf_add(out, "", 0); /* NUL-terminated even when empty */
	return status;
}

/* ---- the comparison with a fresh list ---- */

static const char *const list_paths[STORE_NKINDS] = {
    [STORE_DEPLOYMENTS] = "/apis/apps/v1/deployments",
    [STORE_REPLICASETS] = "/apis/apps/v1/replicasets",
    [STORE_PODS] = "/api/v1/pods",
    [STORE_SERVICES] = "/api/v1/services",
    [STORE_ENDPOINTS] = "/api/v1/endpoints",
    [STORE_EVENTS] = "/api/v1/events",
    [STORE_NAMESPACES] = "/api/v1/namespaces",
    [STORE_STATEFULSETS] = "/apis/apps/v1/statefulsets",
    [STORE_DAEMONSETS] = "/apis/apps/v1/daemonsets",
    [STORE_CONTROLLERREVISIONS] = "/apis/apps/v1/controllerrevisions",
    [STORE_JOBS] = "/apis/batch/v1/jobs",
    [STORE_CRONJOBS] = "/apis/batch/v1/cronjobs",
    [STORE_NODES] = "/api/v1/nodes",
    [STORE_PDBS] = "/apis/policy/v1/poddisruptionbudgets",
    [STORE_QUOTAS] = "/api/v1/resourcequotas",
    [STORE_HPAS] = "/apis/autoscaling/v2/horizontalpodautoscalers",
};

static const char *str(const cJSON *obj, const char *a, const char *b)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItem(obj, a), b);
	return cJSON_IsString(v) ? v->valuestring : "";
}

/* The status fields the store keeps of a pod; a difference is written to why. */
static bool same_pod_status(const struct pod *a, const struct pod *b, char *why, size_t n)
{
	struct pod_row ra, rb;
	int64_t now = (int64_t)time(NULL) * 1000;
	pod_status_row(a, now, &ra);
	pod_status_row(b, now, &rb);
#define DIFF(cond, what, x, y)                                                                     \
	if (cond) {                                                                                \
		snprintf(why, n, "%s: store %.60s, fresh %.60s", what, x, y);                      \
		return false;                                                                      \
	}
	DIFF(strcmp(ra.ready, rb.ready), "READY", ra.ready, rb.ready);
	DIFF(strcmp(ra.status, rb.status), "STATUS", ra.status, rb.status);
	DIFF(strcmp(ra.restarts, rb.restarts), "RESTARTS", ra.restarts, rb.restarts);
	DIFF(strcmp(a->phase, b->phase), "phase", a->phase, b->phase);
	DIFF(strcmp(a->node_name, b->node_name), "node", a->node_name, b->node_name);
	DIFF(strcmp(a->pod_ip, b->pod_ip), "pod IP", a->pod_ip, b->pod_ip);
	DIFF(!a->deleted != !b->deleted, "deletionTimestamp", a->deleted ? "set" : "unset",
	     b->deleted ? "set" : "unset");
	DIFF(a->n_conditions != b->n_conditions, "conditions", "differ in number", "");
	for (uint16_t i = 0; i < a->n_conditions; i++) {
		const struct pod_condition *ca = &a->conditions[i], *cb = &b->conditions[i];
		DIFF(strcmp(ca->type, cb->type) || ca->status != cb->status, "condition", ca->type,
		     cb->type);
	}
	DIFF(a->n_statuses != b->n_statuses, "containerStatuses", "differ in number", "");
	for (uint16_t i = 0; i < a->n_statuses; i++) {
		const struct container_status *sa = &a->statuses[i], *sb = &b->statuses[i];
		DIFF(sa->ready != sb->ready || sa->state.kind != sb->state.kind ||
			 sa->restart_count != sb->restart_count ||
			 strcmp(sa->state.reason, sb->state.reason),
		     "container", sa->name, sb->name);
	}
#undef DIFF
	return true;
}

/*
 * Whether kind k in the store equals the fresh list items: the same
 * namespace/name set, each with the same uid and resourceVersion, pods with
 * the same status. The first difference goes to why.
 */
static bool kind_equal(const struct store *st, enum store_kind k, const cJSON *items, char *why,
		       size_t n)
{
	const char *kn = store_kind_name(k);
	const cJSON *item;
	size_t count = 0;
	cJSON_ArrayForEach(item, items)
	{
		const char *ns = str(item, "metadata", "namespace"),
			   *name = str(item, "metadata", "name");
		const void *o = store_get(st, k, ns, name);
		count++;
		if (!o) {
			snprintf(why, n, "%s %s/%s lost: in a fresh list, not in the store", kn, ns,
				 name);
			return false;
		}
		if (strcmp(store_obj_uid(o), str(item, "metadata", "uid")) != 0 ||
		    strcmp(store_obj_rv(o), str(item, "metadata", "resourceVersion")) != 0) {
			snprintf(why, n, "%s %s/%s stale: store uid %s rv %s, fresh uid %s rv %s",
				 kn, ns, name, store_obj_uid(o), store_obj_rv(o),
				 str(item, "metadata", "uid"),
				 str(item, "metadata", "resourceVersion"));
			return false;
		}
		if (k != STORE_PODS)
			continue;
		struct model_arena arena = MODEL_ARENA_INIT;
		struct pod fresh;
		struct perr err = {0};
		ck_assert_int_eq(model_decode_pod(item, &fresh, &arena, NULL, &err), 0);
		char d[200];
		bool same = same_pod_status(o, &fresh, d, sizeof(d));
		model_arena_free(&arena);
		if (!same) {
			snprintf(why, n, "pod %s/%s stale status: %s", ns, name, d);
			return false;
		}
	}
	if (store_count(st, k) != count) {
		struct store_iter it;
		store_iter_all(&it, st, k, NULL);
		for (const void *o; (o = store_iter_next(&it));) {
			bool found = false;
			cJSON_ArrayForEach(item, items)
			{
				if (!strcmp(str(item, "metadata", "name"), store_obj_name(o)) &&
				    !strcmp(str(item, "metadata", "namespace"),
					    store_obj_namespace(o)))
					found = true;
			}
			if (!found) {
				snprintf(why, n,
					 "%s %s/%s phantom: in the store, not in a fresh list", kn,
					 store_obj_namespace(o), store_obj_name(o));
				return false;
			}
		}
		snprintf(why, n, "%s: %zu in the store, %zu in a fresh list", kn,
			 store_count(st, k), count);
		return false;
	}
	return true;
}

bool fc_store_equals_fresh(struct simlaunch *sim, const struct store *st, char *why, size_t n)
{
	for (int k = 0; k < STORE_NKINDS; k++) {
		struct buf out = BUF_INIT;
		long status = fc_http(sim, "GET", list_paths[k], NULL, &out);
		/* A kind the server does not serve is empty in the store. */
		if (status == 404 && store_count(st, (enum store_kind)k) == 0) {
			buf_free(&out);
			continue;
		}
		ck_assert_msg(status == 200, "GET %s: %ld", list_paths[k], status);
		cJSON *list = cJSON_Parse(out.data);
		buf_free(&out);
		const cJSON *items = cJSON_GetObjectItem(list, "items");
		ck_assert_msg(cJSON_IsArray(items), "GET %s: no list", list_paths[k]);
		bool same = kind_equal(st, (enum store_kind)k, items, why, n);
		cJSON_Delete(list);
		if (!same)
			return false;
	}
	return true;
}
