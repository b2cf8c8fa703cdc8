#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "podscope/buf.h"
#include "podscope/xalloc.h"

#include "ctrl_queue.h"
#include "nsqueue.h"
#include "podreq.h"
#include "resourcequota.h"
#include "resources.h"
#include "sim.h"
#include "simobj.h"
#include "store.h"

#define MAX_QUOTA_KEYS 64

static const cJSON *get(const cJSON *o, const char *k)
{
	return cJSON_GetObjectItemCaseSensitive(o, k);
}

static bool eq(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

static bool pod_terminal(const cJSON *pod)
{
	const char *ph = cJSON_GetStringValue(get(get(pod, "status"), "phase"));
	return eq(ph, "Succeeded") || eq(ph, "Failed");
}

/* resource.PodLimits for one resource: as simpod_request, over the limits. */
static int64_t pod_limit(const cJSON *spec, const char *res)
{
	int64_t sum = 0, init_max = 0;
	const cJSON *c;
	cJSON_ArrayForEach(c, get(spec, "containers"))
	{
		sum += simq_milli_of(get(get(c, "resources"), "limits"), res);
	}
	cJSON_ArrayForEach(c, get(spec, "initContainers"))
	{
		int64_t l = simq_milli_of(get(get(c, "resources"), "limits"), res);
		if (l > init_max)
			init_max = l;
	}
	return (init_max > sum ? init_max : sum) + simq_milli_of(get(spec, "overhead"), res);
}

/* What one pod uses of a quota resource, in thousandths (podEvaluator.Usage):
 * count/pods for every pod, the rest only while it is not terminal
 * (QuotaV1Pod); cpu and memory are requests.cpu and requests.memory. */
static int64_t pod_usage(const cJSON *pod, const char *res)
{
	if (eq(res, "count/pods"))
		return 1000;
	if (pod_terminal(pod))
		return 0;
	const cJSON *spec = get(pod, "spec");
	if (eq(res, "pods"))
		return 1000;
	if (eq(res, "cpu") || eq(res, "requests.cpu"))
		return simpod_request(spec, "cpu");
	if (eq(res, "memory") || eq(res, "requests.memory"))
		return simpod_request(spec, "memory");
	if (eq(res, "limits.cpu"))
		return pod_limit(spec, "cpu");
	if (eq(res, "limits.memory"))
		return pod_limit(spec, "memory");
	return 0;
}

static bool pod_resource(const char *res)
{
	static const char *const names[] = {"count/pods", "pods",          "cpu",
					    "requests.cpu", "memory",      "requests.memory",
					    "limits.cpu",   "limits.memory", NULL};
	for (int i = 0; names[i]; i++)
		if (eq(res, names[i]))
			return true;
	return false;
}

/* The served resource a count/<plural>[.<group>] (or a legacy name such as
 * services) counts, or NULL. */
static const struct simres *counted(const char *res)
{
	static const char *const legacy[] = {"services", "persistentvolumeclaims",
					     "resourcequotas", NULL};
	for (int i = 0; legacy[i]; i++)
		if (eq(res, legacy[i]))
			return simres_find("", "v1", res);
	if (strncmp(res, "count/", 6) != 0 || eq(res, "count/pods"))
		return NULL;
	char plural[128];
	snprintf(plural, sizeof(plural), "%s", res + 6);
	char *dot = strchr(plural, '.');
	const char *group = "";
	if (dot) {
		*dot = '\0';
		group = dot + 1;
	}
	for (size_t i = 0; i < simres_count(); i++) {
		const struct simres *r = simres_at(i);
		if (r->namespaced && eq(r->plural, plural) && eq(r->group, group))
			return r;
	}
	return NULL;
}

static bool binary_of(const cJSON *q)
{
	return cJSON_IsString(q) && strchr(q->valuestring, 'i');
}

static void put_quantity(cJSON *map, const char *key, int64_t milli, bool binary)
{
	char s[32];
	simq_format(milli, binary, s);
	cJSON_DeleteItemFromObjectCaseSensitive(map, key);
	cJSON_AddStringToObject(map, key, s);
}

/* status.used of a quota from what the namespace holds now. */
static cJSON *usage(struct sim *sim, const char *ns, const cJSON *hard)
{
	cJSON *used = cJSON_CreateObject();
	const struct simres *pods = simres_find("", "v1", "pods");
	struct simsnap *ps = simstore_snapshot(sim->store, pods);
	const cJSON *h;
	int n = 0;
	cJSON_ArrayForEach(h, hard)
	{
		if (++n > MAX_QUOTA_KEYS)
			break;
		int64_t sum = 0;
		if (pod_resource(h->string)) {
			for (size_t i = 0; i < ps->n; i++)
				if (eq(ps->items[i]->ns, ns))
					sum += pod_usage(ps->items[i]->json, h->string);
		} else {
			const struct simres *r = counted(h->string);
			if (r) {
				struct simsnap *s = simstore_snapshot(sim->store, r);
				for (size_t i = 0; i < s->n; i++)
					sum += eq(s->items[i]->ns, ns) ? 1000 : 0;
				simsnap_unref(s);
			}
		}
		put_quantity(used, h->string, sum, binary_of(h));
	}
	simsnap_unref(ps);
	return used;
}

/* The canonical form of spec.hard, as status.hard holds it. */
static cJSON *canonical(const cJSON *hard)
{
	cJSON *out = cJSON_CreateObject();
	const cJSON *h;
	cJSON_ArrayForEach(h, hard)
	{
		int64_t m = 0;
		if (cJSON_IsString(h) && simq_milli(h->valuestring, &m))
			put_quantity(out, h->string, m, binary_of(h));
	}
	return out;
}

static int by_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int by_name(const void *a, const void *b)
{
	return strcmp((*(struct simobj *const *)a)->name, (*(struct simobj *const *)b)->name);
}

static void pretty(struct buf *b, const char *what, const char *const *keys, size_t n,
		   const cJSON *map)
{
	buf_printf(b, ", %s: ", what);
	for (size_t i = 0; i < n; i++) {
		const cJSON *v = get(map, keys[i]);
		buf_printf(b, "%s%s=%s", i ? "," : "", keys[i], cJSON_IsString(v) ? v->valuestring : "0");
	}
}

/* Whether a container states a compute resource: requests.cpu (or cpu) by
 * a request or a limit (defaulting copies it), limits.* by a limit. */
static bool container_has(const cJSON *ctr, const char *res)
{
	const cJSON *r = get(ctr, "resources");
	bool limit = strncmp(res, "limits.", 7) == 0;
	const char *name = strchr(res, '.') ? strchr(res, '.') + 1 : res;
	if (get(get(r, "limits"), name))
		return true;
	return !limit && get(get(r, "requests"), name);
}

/*
 * podEvaluator.Constraints: a quota on cpu or memory makes every container
 * state it ("failed quota: q: must specify requests.cpu for: a,b; ..."),
 * or NULL.
 */
static char *constraints(const struct simobj *q, const char *const *keys, size_t nk,
			 const cJSON *pod)
{
	static const char *const validated[] = {"requests.cpu", "requests.memory", "limits.cpu",
						"limits.memory", "cpu", "memory", NULL};
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < nk; i++) {
		bool v = false;
		for (int k = 0; validated[k]; k++)
			v = v || eq(keys[i], validated[k]);
		if (!v)
			continue;
		const char *names[64];
		size_t nn = 0;
		const cJSON *c;
		cJSON_ArrayForEach(c, get(get(pod, "spec"), "containers"))
		{
			const char *cn = cJSON_GetStringValue(get(c, "name"));
			if (!container_has(c, keys[i]) && nn < 64)
				names[nn++] = cn ? cn : "";
		}
		if (!nn)
			continue;
		qsort(names, nn, sizeof(*names), by_str);
		buf_printf(&b, "%s%s for: ", b.len ? "; " : "", keys[i]);
		for (size_t k = 0; k < nn; k++)
			buf_printf(&b, "%s%s", k ? "," : "", names[k]);
	}
	char *err = b.len ? xasprintf("failed quota: %s: must specify %s", q->name, b.data) : NULL;
	buf_free(&b);
	return err;
}

/* One quota against the pod: NULL, or the refusal; *next gets status.used
 * with the pod counted (NULL when the quota is not concerned). */
static char *check(const struct simobj *q, const cJSON *pod, cJSON **next)
{
	const cJSON *hard = get(get(q->json, "status"), "hard");
	const cJSON *used = get(get(q->json, "status"), "used");
	*next = NULL;
	const char *keys[MAX_QUOTA_KEYS];
	size_t nk = 0, nfail = 0;
	const char *fail[MAX_QUOTA_KEYS];
	cJSON *delta = cJSON_CreateObject(), *after = cJSON_Duplicate(used, 1);
	if (!cJSON_IsObject(after)) {
		cJSON_Delete(after);
		after = cJSON_CreateObject();
	}
	const cJSON *spec_hard = get(get(q->json, "spec"), "hard");
	const cJSON *h;
	cJSON_ArrayForEach(h, spec_hard)
	{
		if (nk < MAX_QUOTA_KEYS && pod_resource(h->string))
			keys[nk++] = h->string;
	}
	qsort(keys, nk, sizeof(*keys), by_str);
	char *err = pod_terminal(pod) ? NULL : constraints(q, keys, nk, pod);
	for (size_t i = 0; i < nk && !err; i++) {
		int64_t d = pod_usage(pod, keys[i]);
		if (d == 0)
			continue;
		const cJSON *u = get(used, keys[i]), *lim = get(hard, keys[i]);
		int64_t um = 0, hm = 0;
		if (!cJSON_IsString(u) || !cJSON_IsString(lim) || !simq_milli(u->valuestring, &um) ||
		    !simq_milli(lim->valuestring, &hm)) {
			err = xasprintf("status unknown for quota: %s, resource: %s", q->name, keys[i]);
			break;
		}
		put_quantity(delta, keys[i], d, binary_of(lim));
		put_quantity(after, keys[i], um + d, binary_of(lim));
		if (um + d > hm)
			fail[nfail++] = keys[i];
	}
	if (!err && nfail) {
		struct buf b = BUF_INIT;
		buf_printf(&b, "exceeded quota: %s", q->name);
		pretty(&b, "requested", fail, nfail, delta);
		pretty(&b, "used", fail, nfail, used);
		pretty(&b, "limited", fail, nfail, hard);
		err = xstrdup(b.data);
		buf_free(&b);
	}
	cJSON_Delete(delta);
	if (err || cJSON_GetArraySize(after) == 0) {
		cJSON_Delete(after);
		return err;
	}
	*next = after;
	return NULL;
}

char *simquota_admit_pod(struct sim *sim, const cJSON *pod, bool commit)
{
	const char *ns = cJSON_GetStringValue(get(get(pod, "metadata"), "namespace"));
	const struct simres *qres = simres_find("", "v1", "resourcequotas");
	if (!ns || !qres)
		return NULL;
	struct simsnap *s = simstore_snapshot(sim->store, qres);
	struct simobj **qs = xcalloc(s->n + 1, sizeof(*qs));
	size_t nq = 0;
	for (size_t i = 0; i < s->n; i++)
		if (eq(s->items[i]->ns, ns))
			qs[nq++] = s->items[i];
	qsort(qs, nq, sizeof(*qs), by_name);
	cJSON **next = xcalloc(nq + 1, sizeof(*next));
	char *err = NULL;
	for (size_t i = 0; i < nq && !err; i++)
		err = check(qs[i], pod, &next[i]);
	for (size_t i = 0; i < nq; i++) {
		if (!next[i])
			continue;
		if (err || !commit) {
			cJSON_Delete(next[i]);
			continue;
		}
		cJSON *obj = simobj_copy(qs[i]);
		cJSON *st = simjson_object(obj, "status");
		cJSON_DeleteItemFromObjectCaseSensitive(st, "used");
		cJSON_AddItemToObject(st, "used", next[i]);
		simstore_update(sim->store, qres, obj, 0, NULL);
	}
	free(next);
	free(qs);
	simsnap_unref(s);
	return err;
}

/* --- the controller ------------------------------------------------------ */

struct simquota {
	struct sim *sim;
	const struct simres *quotas, *pods, *events;
	struct nsqueue q;
};

static const char tag = 'q';

static void sync_one(void *ud, const struct simobj *q)
{
	struct simquota *c = ud;
	cJSON *obj = simobj_copy(q);
	cJSON *st = simjson_object(obj, "status");
	cJSON *hard = canonical(get(get(obj, "spec"), "hard"));
	cJSON *used = usage(c->sim, q->ns, hard);
	cJSON_DeleteItemFromObjectCaseSensitive(st, "hard");
	cJSON_DeleteItemFromObjectCaseSensitive(st, "used");
	cJSON_AddItemToObject(st, "hard", hard);
	cJSON_AddItemToObject(st, "used", used);
	simstore_update(c->sim->store, c->quotas, obj, 0, NULL);
}

static void on_event(void *ud, const struct simevent *ev)
{
	struct simquota *c = ud;
	if (ev->obj->res == c->quotas) {
		/* Its own status writes change nothing it reads. */
		if (ev->type == SIMEV_DELETED)
			return;
		if (ev->type == SIMEV_MODIFIED && ev->prev) {
			char *a = cJSON_PrintUnformatted(get(ev->prev->json, "spec"));
			char *b = cJSON_PrintUnformatted(get(ev->obj->json, "spec"));
			bool same = a && b && strcmp(a, b) == 0 &&
				    get(get(ev->obj->json, "status"), "hard");
			cJSON_free(a);
			cJSON_free(b);
			if (same)
				return;
		}
	}
	/* Any other object of a namespace with a quota: count it again. */
	nsq_mark(&c->q, ev->obj->ns);
}

static void on_other(void *ud, const struct simevent *ev)
{
	struct simquota *c = ud;
	if (ev->obj->res == c->quotas || ev->obj->res == c->events || !ev->obj->ns ||
	    !*ev->obj->ns)
		return;
	if (ev->obj->res == c->pods || nsq_has(&c->q, ev->obj->ns))
		on_event(ud, ev);
}

int simquota_start(struct sim *sim)
{
	struct simquota *c = xcalloc(1, sizeof(*c));
	c->sim = sim;
	c->quotas = simres_find("", "v1", "resourcequotas");
	c->pods = simres_find("", "v1", "pods");
	c->events = simres_find("", "v1", "events");
	nsq_init(&c->q, sim, c->quotas, sync_one, c);
	ctrlreg_put(&tag, sim, c);
	simstore_listen(sim->store, c->quotas, on_event, c);
	simstore_listen(sim->store, NULL, on_other, c);
	nsq_mark_all(&c->q);
	return 0;
}

void simquota_stop(struct sim *sim)
{
	struct simquota *c = ctrlreg_take(&tag, sim);
	if (!c)
		return;
	simstore_unlisten(sim->store, on_event, c);
	simstore_unlisten(sim->store, on_other, c);
	nsq_clear(&c->q);
	free(c);
}
