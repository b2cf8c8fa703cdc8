#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "events.h"
#include "podscope/xalloc.h"
#include "resources.h"
#include "sim.h"
#include "simobj.h"
#include "store.h"

#define EVENT_TTL_MS (60 * 60 * 1000)

/* What makes two events the same one (the recorder's aggregation key),
 * mapped to the stored event's namespace and name. */
struct evkey {
	char *key;
	char *ns;
	char *name;
	int64_t last_ms;
	struct evkey *next;
};

#define NBUCKETS 1024

struct simevents {
	struct evkey *buckets[NBUCKETS];
	unsigned long serial;
};

struct simevents *simevents_new(void)
{
	return xcalloc(1, sizeof(struct simevents));
}

static void evkey_free(struct evkey *k)
{
	free(k->key);
	free(k->ns);
	free(k->name);
	free(k);
}

void simevents_free(struct simevents *ev)
{
	if (!ev)
		return;
	for (size_t i = 0; i < NBUCKETS; i++) {
		struct evkey *k = ev->buckets[i];
		while (k) {
			struct evkey *next = k->next;
			evkey_free(k);
			k = next;
		}
	}
	free(ev);
}

static unsigned hash(const char *s)
{
	unsigned h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h % NBUCKETS;
}

static const char *str_or(const cJSON *o, const char *key, const char *dflt)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	return cJSON_IsString(v) ? v->valuestring : dflt;
}

static cJSON *involved_object(const cJSON *obj, const char *field_path)
{
	const cJSON *meta = cJSON_GetObjectItemCaseSensitive(obj, "metadata");
	cJSON *io = cJSON_CreateObject();
	cJSON_AddStringToObject(io, "kind", str_or(obj, "kind", ""));
	const char *ns = str_or(meta, "namespace", NULL);
	if (ns)
		cJSON_AddStringToObject(io, "namespace", ns);
	cJSON_AddStringToObject(io, "name", str_or(meta, "name", ""));
	cJSON_AddStringToObject(io, "uid", str_or(meta, "uid", ""));
	cJSON_AddStringToObject(io, "apiVersion", str_or(obj, "apiVersion", "v1"));
	cJSON_AddStringToObject(io, "resourceVersion", str_or(meta, "resourceVersion", ""));
	if (field_path)
		cJSON_AddStringToObject(io, "fieldPath", field_path);
	return io;
}

static void bump(struct sim *sim, const struct simres *res, struct evkey *k, const char *when)
{
	struct simobj *cur = simstore_get(sim->store, res, k->ns, k->name);
	if (!cur)
		return;
	cJSON *ev = simobj_copy(cur);
	const cJSON *count = cJSON_GetObjectItemCaseSensitive(ev, "count");
	double n = cJSON_IsNumber(count) ? count->valuedouble + 1 : 2;
	simjson_set_number(ev, "count", n);
	simjson_set_string(ev, "lastTimestamp", when);
	simstore_update(sim->store, res, ev, 0, NULL);
}

static void evict_oldest(struct sim *sim, const struct simres *res);

void simevents_record(struct sim *sim, const cJSON *obj, const char *field_path,
		      const struct simevent_source *src, const char *type, const char *reason,
		      const char *fmt, ...)
{
	const struct simres *res = simres_find("", "v1", "events");
	if (!res || !sim->events)
		return;
	va_list ap;
	va_start(ap, fmt);
	char msg[512];
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);

	const cJSON *meta = cJSON_GetObjectItemCaseSensitive(obj, "metadata");
	const char *ns = str_or(meta, "namespace", "default");
	const char *name = str_or(meta, "name", "");
	int64_t now = simclock_now(&sim->clock);
	char when[40];
	simclock_format(now, when, sizeof(when));

	char *key = xasprintf("%s|%s|%s|%s|%s|%s|%s", str_or(meta, "uid", name),
			      field_path ? field_path : "", type, reason, msg, src->component,
			      src->host ? src->host : "");
	unsigned h = hash(key);
	for (struct evkey *k = sim->events->buckets[h]; k; k = k->next) {
		if (strcmp(k->key, key) == 0 && simstore_get(sim->store, res, k->ns, k->name)) {
			k->last_ms = now;
			bump(sim, res, k, when);
			free(key);
			return;
		}
	}

	/* Names as the recorder makes them: the object's name and a unique hex. */
	char *evname = xasprintf("%s.%lx%04lx", name, (unsigned long)(now / 1000),
				 ++sim->events->serial & 0xffff);
	cJSON *ev = cJSON_CreateObject();
	cJSON_AddStringToObject(ev, "kind", "Event");
	cJSON_AddStringToObject(ev, "apiVersion", "v1");
	cJSON *m = cJSON_AddObjectToObject(ev, "metadata");
	cJSON_AddStringToObject(m, "name", evname);
	cJSON_AddStringToObject(m, "namespace", ns);
	cJSON_AddItemToObject(ev, "involvedObject", involved_object(obj, field_path));
	cJSON_AddStringToObject(ev, "reason", reason);
	cJSON_AddStringToObject(ev, "message", msg);
	cJSON *s = cJSON_AddObjectToObject(ev, "source");
	cJSON_AddStringToObject(s, "component", src->component);
	if (src->host)
		cJSON_AddStringToObject(s, "host", src->host);
	cJSON_AddStringToObject(ev, "firstTimestamp", when);
	cJSON_AddStringToObject(ev, "lastTimestamp", when);
	cJSON_AddNumberToObject(ev, "count", 1);
	cJSON_AddStringToObject(ev, "type", type);
	cJSON_AddNullToObject(ev, "eventTime");
	cJSON_AddStringToObject(ev, "reportingComponent", src->component);
	cJSON_AddStringToObject(ev, "reportingInstance", src->host ? src->host : "");
	size_t max = simstore_max_objects(sim->store);
	if (max && simstore_count(sim->store, res) >= max)
		evict_oldest(sim, res);
	if (simstore_create(sim->store, res, ev, NULL) == SIMSTORE_OK) {
		struct evkey *k = xcalloc(1, sizeof(*k));
		k->key = key;
		k->ns = xstrdup(ns);
		k->name = evname;
		k->last_ms = now;
		k->next = sim->events->buckets[h];
		sim->events->buckets[h] = k;
	} else {
		free(key);
		free(evname);
	}
}

/* Delete the recorded events last seen before cutoff. */
static void expire_before(struct sim *sim, const struct simres *res, int64_t cutoff)
{
	for (size_t i = 0; i < NBUCKETS; i++) {
		struct evkey **pp = &sim->events->buckets[i];
		while (*pp) {
			struct evkey *k = *pp;
			if (k->last_ms < cutoff) {
				simstore_delete(sim->store, res, k->ns, k->name, 0, NULL);
				*pp = k->next;
				evkey_free(k);
			} else {
				pp = &k->next;
			}
		}
	}
}

void simevents_expire(struct sim *sim)
{
	const struct simres *res = simres_find("", "v1", "events");
	if (!res || !sim->events)
		return;
	expire_before(sim, res, simclock_now(&sim->clock) - EVENT_TTL_MS);
}

static int cmp_ms(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

/*
 * The events resource is at --max-objects: make room as the TTL would,
 * earlier. The oldest hundredth goes at once, so that a flood of events
 * pays for one sort per hundredth, not one scan per event.
 */
static void evict_oldest(struct sim *sim, const struct simres *res)
{
	size_t n = 0, cap = 1024;
	int64_t *ms = xcalloc(cap, sizeof(*ms));
	for (size_t i = 0; i < NBUCKETS; i++) {
		for (struct evkey *k = sim->events->buckets[i]; k; k = k->next) {
			if (n == cap) {
				cap *= 2;
				ms = xrealloc(ms, cap * sizeof(*ms));
			}
			ms[n++] = k->last_ms;
		}
	}
	if (n) {
		qsort(ms, n, sizeof(*ms), cmp_ms);
		expire_before(sim, res, ms[n / 100] + 1);
	}
	free(ms);
}
