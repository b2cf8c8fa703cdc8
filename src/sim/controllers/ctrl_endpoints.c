#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "podscope/buf.h"
#include "podscope/xalloc.h"

#include "ctrl_endpoints.h"
#include "evloop.h"
#include "sim.h"
#include "simobj.h"

#define SLICE_LABEL   "kubernetes.io/service-name"
#define MANAGED_LABEL "endpointslice.kubernetes.io/managed-by"
#define MANAGED_BY    "endpointslice-controller.k8s.io"

struct epstate {
	struct epstate *next;
	struct sim *sim;
	struct evtimer *timer;
	char **dirty; /* "ns/name" of services */
	size_t ndirty, capdirty;
	const struct simres *pods, *svcs, *eps, *slices;
};

static struct epstate *states;

static const cJSON *get(const cJSON *o, const char *k)
{
	return cJSON_GetObjectItemCaseSensitive(o, k);
}

static void sync(void *ud);

static void mark(struct epstate *st, const char *ns, const char *name)
{
	char *key = xasprintf("%s/%s", ns, name);
	for (size_t i = 0; i < st->ndirty; i++) {
		if (strcmp(st->dirty[i], key) == 0) {
			free(key);
			return;
		}
	}
	if (st->ndirty == st->capdirty) {
		st->capdirty = st->capdirty ? st->capdirty * 2 : 16;
		st->dirty = xrealloc(st->dirty, st->capdirty * sizeof(char *));
	}
	st->dirty[st->ndirty++] = key;
	if (!st->timer)
		st->timer = evloop_timer_in(st->sim->loop, 0, sync, st);
}

/* The services of ns, as a snapshot range. */
static struct simsnap *ns_range(struct sim *sim, const struct simres *res, const char *ns,
				size_t *lo, size_t *hi)
{
	struct simsnap *s = simstore_snapshot(sim->store, res);
	char *prefix = xasprintf("%s/", ns);
	size_t len = strlen(prefix);
	*lo = simsnap_seek(s, prefix, true);
	*hi = *lo;
	while (*hi < s->n && strncmp(s->items[*hi]->key, prefix, len) == 0)
		(*hi)++;
	free(prefix);
	return s;
}

/* A Service's selector selects labels (an empty selector: nothing here). */
static bool selects(const cJSON *svc, const cJSON *labels)
{
	const cJSON *sel = get(get(svc, "spec"), "selector"), *kv;
	if (!sel || !sel->child)
		return false;
	cJSON_ArrayForEach(kv, sel)
	{
		const cJSON *l = get(labels, kv->string);
		if (!cJSON_IsString(kv) || !cJSON_IsString(l) ||
		    strcmp(kv->valuestring, l->valuestring) != 0)
			return false;
	}
	return true;
}

static bool pod_ready(const cJSON *pod)
{
	const cJSON *c;
	cJSON_ArrayForEach(c, get(get(pod, "status"), "conditions"))
	{
		const char *t = simjson_string(c, "type"), *s = simjson_string(c, "status");
		if (t && s && strcmp(t, "Ready") == 0)
			return strcmp(s, "True") == 0;
	}
	return false;
}

/* Did anything the endpoints depend on change between two pod versions? */
static bool pod_relevant_change(const cJSON *a, const cJSON *b)
{
	const cJSON *ma = get(a, "metadata"), *mb = get(b, "metadata");
	const cJSON *sa = get(a, "status"), *sb = get(b, "status");
	if (!cJSON_Compare(get(ma, "labels"), get(mb, "labels"), true) ||
	    (get(ma, "deletionTimestamp") == NULL) != (get(mb, "deletionTimestamp") == NULL) ||
	    !cJSON_Compare(get(sa, "podIP"), get(sb, "podIP"), true) ||
	    !cJSON_Compare(get(sa, "phase"), get(sb, "phase"), true) ||
	    !cJSON_Compare(get(get(a, "spec"), "nodeName"), get(get(b, "spec"), "nodeName"), true))
		return true;
	return pod_ready(a) != pod_ready(b);
}

static void on_pod(struct epstate *st, const struct simevent *ev)
{
	if (ev->type == SIMEV_MODIFIED && !pod_relevant_change(ev->prev->json, ev->obj->json))
		return;
	const cJSON *l1 = simobj_labels(ev->obj), *l2 = ev->prev ? simobj_labels(ev->prev) : NULL;
	size_t lo, hi;
	struct simsnap *s = ns_range(st->sim, st->svcs, ev->obj->ns, &lo, &hi);
	for (size_t i = lo; i < hi; i++) {
		const cJSON *svc = s->items[i]->json;
		if (selects(svc, l1) || (l2 && selects(svc, l2)))
			mark(st, s->items[i]->ns, s->items[i]->name);
	}
	simsnap_unref(s);
}

static void on_event(void *ud, const struct simevent *ev)
{
	struct epstate *st = ud;
	const struct simobj *o = ev->obj;
	if (o->res == st->pods) {
		on_pod(st, ev);
	} else if (o->res == st->svcs || o->res == st->eps) {
		mark(st, o->ns, o->name);
	} else if (o->res == st->slices) {
		const char *svc = simjson_string(simobj_labels(o), SLICE_LABEL);
		if (svc)
			mark(st, o->ns, svc);
	}
}

/* --- what the endpoints should be ------------------------------------------- */

struct member {
	const struct simobj *pod;
	bool ready, terminating;
	cJSON *ports; /* resolved [{name, port, protocol}] */
};

/* The service's ports for one pod, targetPorts resolved. */
static cJSON *resolve_ports(const cJSON *svc, const cJSON *pod)
{
	cJSON *out = cJSON_CreateArray();
	const cJSON *sp;
	cJSON_ArrayForEach(sp, get(get(svc, "spec"), "ports"))
	{
		const char *proto = simjson_string(sp, "protocol");
		proto = proto ? proto : "TCP";
		const cJSON *tp = get(sp, "targetPort");
		int port = -1;
		if (cJSON_IsNumber(tp)) {
			port = tp->valueint;
		} else if (cJSON_IsString(tp)) {
			const cJSON *c, *cp;
			cJSON_ArrayForEach(c, get(get(pod, "spec"), "containers"))
			{
				cJSON_ArrayForEach(cp, get(c, "ports"))
				{
					const char *n = simjson_string(cp, "name");
					const char *pr = simjson_string(cp, "protocol");
					const cJSON *num = get(cp, "containerPort");
					if (port < 0 && n && strcmp(n, tp->valuestring) == 0 &&
					    strcmp(pr ? pr : "TCP", proto) == 0 &&
					    cJSON_IsNumber(num))
						port = num->valueint;
				}
			}
		} else if (cJSON_IsNumber(get(sp, "port"))) {
			port = get(sp, "port")->valueint;
		}
		if (port < 0)
			continue;
		cJSON *p = cJSON_CreateObject();
		const char *name = simjson_string(sp, "name");
		cJSON_AddStringToObject(p, "name", name ? name : "");
		cJSON_AddNumberToObject(p, "port", port);
		cJSON_AddStringToObject(p, "protocol", proto);
		cJSON_AddItemToArray(out, p);
	}
	return out;
}

static int cmp_member_ip(const void *a, const void *b)
{
	const struct member *x = a, *y = b;
	const char *ix = simjson_string(get(x->pod->json, "status"), "podIP");
	const char *iy = simjson_string(get(y->pod->json, "status"), "podIP");
	int c = strcmp(ix, iy);
	return c ? c : strcmp(x->pod->name, y->pod->name);
}

static size_t members_of(struct epstate *st, const struct simobj *svc, struct member **out)
{
	const cJSON *spec = get(svc->json, "spec");
	bool publish = cJSON_IsTrue(get(spec, "publishNotReadyAddresses"));
	size_t lo, hi, n = 0;
	struct simsnap *s = ns_range(st->sim, st->pods, svc->ns, &lo, &hi);
	struct member *m = xcalloc(hi - lo + 1, sizeof(*m));
	for (size_t i = lo; i < hi; i++) {
		const struct simobj *p = s->items[i];
		const cJSON *status = get(p->json, "status");
		const char *ip = simjson_string(status, "podIP");
		const char *phase = simjson_string(status, "phase");
		if (!ip || !*ip || !selects(svc->json, simobj_labels(p)))
			continue;
		if (phase && (strcmp(phase, "Succeeded") == 0 || strcmp(phase, "Failed") == 0))
			continue;
		m[n].pod = simobj_ref((struct simobj *)p);
		m[n].terminating = get(get(p->json, "metadata"), "deletionTimestamp") != NULL;
		m[n].ready = publish || pod_ready(p->json);
		m[n].ports = resolve_ports(svc->json, p->json);
		n++;
	}
	simsnap_unref(s);
	qsort(m, n, sizeof(*m), cmp_member_ip);
	*out = m;
	return n;
}

static void members_free(struct member *m, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		simobj_unref((struct simobj *)m[i].pod);
		cJSON_Delete(m[i].ports);
	}
	free(m);
}

static cJSON *target_ref(const struct simobj *pod)
{
	cJSON *t = cJSON_CreateObject();
	cJSON_AddStringToObject(t, "kind", "Pod");
	cJSON_AddStringToObject(t, "namespace", pod->ns);
	cJSON_AddStringToObject(t, "name", pod->name);
	const char *uid = simjson_string(get(pod->json, "metadata"), "uid");
	if (uid)
		cJSON_AddStringToObject(t, "uid", uid);
	return t;
}

/* Distinct port sets, in order of first appearance: indexes into m. */
static size_t port_groups(const struct member *m, size_t n, bool skip_terminating, size_t *first)
{
	size_t g = 0;
	for (size_t i = 0; i < n; i++) {
		if (skip_terminating && m[i].terminating)
			continue;
		bool seen = false;
		for (size_t j = 0; j < g && !seen; j++)
			seen = cJSON_Compare(m[first[j]].ports, m[i].ports, true);
		if (!seen)
			first[g++] = i;
	}
	return g;
}

static cJSON *endpoint_ports(const cJSON *ports)
{
	cJSON *out = cJSON_Duplicate(ports, 1);
	cJSON *p;
	cJSON_ArrayForEach(p, out)
	{
		const char *name = simjson_string(p, "name");
		if (name && !*name)
			cJSON_DeleteItemFromObjectCaseSensitive(p, "name");
	}
	return out;
}

static cJSON *want_subsets(const struct member *m, size_t n)
{
	size_t *first = xcalloc(n + 1, sizeof(*first));
	size_t g = port_groups(m, n, true, first);
	cJSON *subsets = cJSON_CreateArray();
	for (size_t k = 0; k < g; k++) {
		cJSON *ss = cJSON_CreateObject(), *ready = cJSON_CreateArray(),
		      *notready = cJSON_CreateArray();
		for (size_t i = 0; i < n; i++) {
			if (m[i].terminating || !cJSON_Compare(m[i].ports, m[first[k]].ports, true))
				continue;
			cJSON *a = cJSON_CreateObject();
			cJSON_AddStringToObject(
			    a, "ip", simjson_string(get(m[i].pod->json, "status"), "podIP"));
			const char *node = simjson_string(get(m[i].pod->json, "spec"), "nodeName");
			if (node)
				cJSON_AddStringToObject(a, "nodeName", node);
			cJSON_AddItemToObject(a, "targetRef", target_ref(m[i].pod));
			cJSON_AddItemToArray(m[i].ready ? ready : notready, a);
		}
		if (cJSON_GetArraySize(ready))
			cJSON_AddItemToObject(ss, "addresses", ready);
		else
			cJSON_Delete(ready);
		if (cJSON_GetArraySize(notready))
			cJSON_AddItemToObject(ss, "notReadyAddresses", notready);
		else
			cJSON_Delete(notready);
		if (cJSON_GetArraySize(m[first[k]].ports))
			cJSON_AddItemToObject(ss, "ports", endpoint_ports(m[first[k]].ports));
		cJSON_AddItemToArray(subsets, ss);
	}
	free(first);
	return subsets;
}

static cJSON *service_labels(const struct simobj *svc, bool slice)
{
	const cJSON *l = simobj_labels(svc);
	cJSON *out = l ? cJSON_Duplicate(l, 1) : cJSON_CreateObject();
	const char *ip = simjson_string(get(svc->json, "spec"), "clusterIP");
	if (ip && strcmp(ip, "None") == 0)
		simjson_set_string(out, "service.kubernetes.io/headless", "");
	if (slice) {
		simjson_set_string(out, SLICE_LABEL, svc->name);
		simjson_set_string(out, MANAGED_LABEL, MANAGED_BY);
	}
	return out;
}

static void set_item(cJSON *o, const char *k, cJSON *v)
{
	cJSON_DeleteItemFromObjectCaseSensitive(o, k);
	cJSON_AddItemToObject(o, k, v);
}

static void sync_endpoints(struct epstate *st, const struct simobj *svc, const struct member *m,
			   size_t n)
{
	struct simstore *store = st->sim->store;
	struct simobj *cur = simstore_get(store, st->eps, svc->ns, svc->name);
	cJSON *obj;
	if (cur) {
		obj = simobj_copy(cur);
	} else {
		obj = cJSON_CreateObject();
		cJSON *md = cJSON_AddObjectToObject(obj, "metadata");
		cJSON_AddStringToObject(md, "name", svc->name);
		cJSON_AddStringToObject(md, "namespace", svc->ns);
	}
	set_item(simjson_object(obj, "metadata"), "labels", service_labels(svc, false));
	cJSON *subsets = want_subsets(m, n);
	if (cJSON_GetArraySize(subsets))
		set_item(obj, "subsets", subsets);
	else {
		cJSON_Delete(subsets);
		cJSON_DeleteItemFromObjectCaseSensitive(obj, "subsets");
	}
	if (cur)
		simstore_update(store, st->eps, obj, 0, NULL);
	else
		simstore_create(store, st->eps, obj, NULL);
}

static cJSON *slice_endpoint(const struct member *mm)
{
	cJSON *e = cJSON_CreateObject();
	cJSON *addrs = cJSON_AddArrayToObject(e, "addresses");
	cJSON_AddItemToArray(
	    addrs, cJSON_CreateString(simjson_string(get(mm->pod->json, "status"), "podIP")));
	cJSON *c = cJSON_AddObjectToObject(e, "conditions");
	cJSON_AddBoolToObject(c, "ready", mm->ready && !mm->terminating);
	cJSON_AddBoolToObject(c, "serving", mm->ready);
	cJSON_AddBoolToObject(c, "terminating", mm->terminating);
	const char *node = simjson_string(get(mm->pod->json, "spec"), "nodeName");
	if (node)
		cJSON_AddStringToObject(e, "nodeName", node);
	cJSON_AddItemToObject(e, "targetRef", target_ref(mm->pod));
	return e;
}

/* The slice for port group k (k == SIZE_MAX: the empty placeholder). */
static cJSON *want_slice(const struct simobj *svc, const struct member *m, size_t n,
			 const size_t *first, size_t k, struct simobj *cur)
{
	cJSON *obj;
	if (cur) {
		obj = simobj_copy(cur);
	} else {
		obj = cJSON_CreateObject();
		cJSON *md = cJSON_AddObjectToObject(obj, "metadata");
		char *gen = xasprintf("%s-", svc->name);
		cJSON_AddStringToObject(md, "generateName", gen);
		free(gen);
		cJSON_AddStringToObject(md, "namespace", svc->ns);
	}
	cJSON *md = simjson_object(obj, "metadata");
	set_item(md, "labels", service_labels(svc, true));
	cJSON *ref = cJSON_CreateObject();
	cJSON_AddStringToObject(ref, "apiVersion", "v1");
	cJSON_AddStringToObject(ref, "kind", "Service");
	cJSON_AddStringToObject(ref, "name", svc->name);
	const char *uid = simjson_string(get(svc->json, "metadata"), "uid");
	cJSON_AddStringToObject(ref, "uid", uid ? uid : "");
	cJSON_AddBoolToObject(ref, "controller", true);
	cJSON_AddBoolToObject(ref, "blockOwnerDeletion", true);
	cJSON *refs = cJSON_CreateArray();
	cJSON_AddItemToArray(refs, ref);
	set_item(md, "ownerReferences", refs);
	set_item(obj, "addressType", cJSON_CreateString("IPv4"));
	if (k == SIZE_MAX) {
		set_item(obj, "endpoints", cJSON_CreateNull());
		cJSON_DeleteItemFromObjectCaseSensitive(obj, "ports");
		return obj;
	}
	cJSON *eps = cJSON_CreateArray();
	for (size_t i = 0; i < n; i++)
		if (cJSON_Compare(m[i].ports, m[first[k]].ports, true))
			cJSON_AddItemToArray(eps, slice_endpoint(&m[i]));
	set_item(obj, "endpoints", eps);
	if (cJSON_GetArraySize(m[first[k]].ports))
		set_item(obj, "ports", cJSON_Duplicate(m[first[k]].ports, 1));
	else
		cJSON_DeleteItemFromObjectCaseSensitive(obj, "ports");
	return obj;
}

/* Existing slices of svc (by label), sorted by name; references. */
static size_t slices_of(struct epstate *st, const char *ns, const char *svc, struct simobj ***out)
{
	size_t lo, hi, n = 0;
	struct simsnap *s = ns_range(st->sim, st->slices, ns, &lo, &hi);
	struct simobj **v = xcalloc(hi - lo + 1, sizeof(*v));
	for (size_t i = lo; i < hi; i++) {
		const char *l = simjson_string(simobj_labels(s->items[i]), SLICE_LABEL);
		const char *by = simjson_string(simobj_labels(s->items[i]), MANAGED_LABEL);
		if (l && strcmp(l, svc) == 0 && by && strcmp(by, MANAGED_BY) == 0)
			v[n++] = simobj_ref(s->items[i]);
	}
	simsnap_unref(s);
	*out = v;
	return n;
}

static void sync_slices(struct epstate *st, const struct simobj *svc, const struct member *m,
			size_t n)
{
	struct simstore *store = st->sim->store;
	struct simobj **have;
	size_t nhave = slices_of(st, svc->ns, svc->name, &have);
	size_t *first = xcalloc(n + 1, sizeof(*first));
	size_t g = port_groups(m, n, false, first);
	size_t want = g ? g : 1;
	for (size_t k = 0; k < want; k++) {
		struct simobj *cur = k < nhave ? have[k] : NULL;
		cJSON *obj = want_slice(svc, m, n, first, g ? k : SIZE_MAX, cur);
		if (cur)
			simstore_update(store, st->slices, obj, 0, NULL);
		else
			simstore_create(store, st->slices, obj, NULL);
	}
	for (size_t k = want; k < nhave; k++)
		simstore_delete(store, st->slices, have[k]->ns, have[k]->name, 0, NULL);
	for (size_t k = 0; k < nhave; k++)
		simobj_unref(have[k]);
	free(have);
	free(first);
}

static void remove_all(struct epstate *st, const char *ns, const char *name)
{
	struct simstore *store = st->sim->store;
	if (simstore_get(store, st->eps, ns, name))
		simstore_delete(store, st->eps, ns, name, 0, NULL);
	struct simobj **have;
	size_t nhave = slices_of(st, ns, name, &have);
	for (size_t k = 0; k < nhave; k++) {
		simstore_delete(store, st->slices, have[k]->ns, have[k]->name, 0, NULL);
		simobj_unref(have[k]);
	}
	free(have);
}

static void sync_service(struct epstate *st, const char *key)
{
	const char *slash = strchr(key, '/');
	char *ns = xstrndup(key, (size_t)(slash - key));
	const char *name = slash + 1;
	struct simobj *svc = simstore_get(st->sim->store, st->svcs, ns, name);
	const cJSON *spec = svc ? get(svc->json, "spec") : NULL;
	const char *type = simjson_string(spec, "type");
	const cJSON *sel = get(spec, "selector");
	if (!svc) {
		remove_all(st, ns, name);
	} else if ((!sel || !sel->child) || (type && strcmp(type, "ExternalName") == 0)) {
		/* Endpoints of a Service without a selector are the user's. */
	} else if (!get(get(svc->json, "metadata"), "deletionTimestamp")) {
		svc = simobj_ref(svc);
		struct member *m;
		size_t n = members_of(st, svc, &m);
		sync_endpoints(st, svc, m, n);
		sync_slices(st, svc, m, n);
		members_free(m, n);
		simobj_unref(svc);
	}
	free(ns);
}

static void sync(void *ud)
{
	struct epstate *st = ud;
	st->timer = NULL;
	char **dirty = st->dirty;
	size_t n = st->ndirty;
	st->dirty = NULL;
	st->ndirty = st->capdirty = 0;
	for (size_t i = 0; i < n; i++) {
		sync_service(st, dirty[i]);
		free(dirty[i]);
	}
	free(dirty);
}

int simep_start(struct sim *sim)
{
	struct epstate *st = xcalloc(1, sizeof(*st));
	st->sim = sim;
	st->pods = simres_find("", "v1", "pods");
	st->svcs = simres_find("", "v1", "services");
	st->eps = simres_find("", "v1", "endpoints");
	st->slices = simres_find("discovery.k8s.io", "v1", "endpointslices");
	if (!st->pods || !st->svcs || !st->eps || !st->slices) {
		free(st);
		return -1;
	}
	st->next = states;
	states = st;
	simstore_listen(sim->store, st->pods, on_event, st);
	simstore_listen(sim->store, st->svcs, on_event, st);
	simstore_listen(sim->store, st->eps, on_event, st);
	simstore_listen(sim->store, st->slices, on_event, st);
	struct simsnap *s = simstore_snapshot(sim->store, st->svcs);
	for (size_t i = 0; i < s->n; i++)
		mark(st, s->items[i]->ns, s->items[i]->name);
	simsnap_unref(s);
	return 0;
}

void simep_stop(struct sim *sim)
{
	for (struct epstate **pp = &states; *pp; pp = &(*pp)->next) {
		struct epstate *st = *pp;
		if (st->sim != sim)
			continue;
		*pp = st->next;
		simstore_unlisten(sim->store, on_event, st);
		if (st->timer)
			evloop_timer_cancel(sim->loop, st->timer);
		for (size_t i = 0; i < st->ndirty; i++)
			free(st->dirty[i]);
		free(st->dirty);
		free(st);
		return;
	}
}
