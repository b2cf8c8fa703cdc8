#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "podscope/podruns.h"
#include "podscope/xalloc.h"

/* Names longer than the API allows are not kept (a hostile server). */
#define NS_MAX 63
#define NAME_MAX_LEN 253
#define UID_MAX 64
#define CT_NAME_MAX 63

struct ct {
	char name[CT_NAME_MAX + 1];
	struct podruns_container h;
};

struct entry {
	uint64_t touched;
	char ns[NS_MAX + 1];
	char name[NAME_MAX_LEN + 1];
	char uid[UID_MAX + 1];
	size_t n_ct;
	struct ct *ct[PODRUNS_MAX_CONTAINERS];
};

/* The hashes sit apart from the entries, so a lookup reads 8 KB, and an
 * entry and each container's history are allocated when first kept. */
struct podruns {
	uint64_t hash[PODRUNS_MAX_PODS]; /* of namespace and name; 0: a free slot */
	struct entry *e[PODRUNS_MAX_PODS];
	size_t n, n_ct;
	uint64_t clock;
};

struct podruns *podruns_new(void)
{
	return xcalloc(1, sizeof(struct podruns));
}

static void drop(struct podruns *r, size_t i)
{
	struct entry *e = r->e[i];
	for (size_t c = 0; c < e->n_ct; c++)
		free(e->ct[c]);
	r->n_ct -= e->n_ct;
	free(e);
	r->e[i] = NULL;
	r->hash[i] = 0;
	r->n--;
}

void podruns_free(struct podruns *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < PODRUNS_MAX_PODS; i++)
		if (r->e[i])
			drop(r, i);
	free(r);
}

size_t podruns_count(const struct podruns *r)
{
	return r ? r->n : 0;
}

static const char *nz(const char *s)
{
	return s ? s : "";
}

static uint64_t key_hash(const char *ns, const char *name)
{
	uint64_t h = 1469598103934665603ull;
	for (const char *s = ns; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	h = (h ^ '/') * 1099511628211ull;
	for (const char *s = name; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h ? h : 1;
}

static bool fits(const char *ns, const char *name, const char *uid)
{
	return strlen(ns) <= NS_MAX && *name && strlen(name) <= NAME_MAX_LEN &&
	       strlen(uid) <= UID_MAX;
}

/* The slot of the pod, -1 when it is not kept. */
static long find(const struct podruns *r, const char *ns, const char *name)
{
	if (!r->n || !fits(ns, name, ""))
		return -1;
	uint64_t h = key_hash(ns, name);
	for (size_t i = 0; i < PODRUNS_MAX_PODS; i++)
		if (r->hash[i] == h && !strcmp(r->e[i]->ns, ns) && !strcmp(r->e[i]->name, name))
			return (long)i;
	return -1;
}

/* The pod's entry, made when absent (taking the least recently changed
 * pod's slot when all are used). A uid that changed is a new pod under the
 * same name: its history starts again. */
static struct entry *get(struct podruns *r, const char *ns, const char *name, const char *uid)
{
	if (!fits(ns, name, uid))
		return NULL;
	long i = find(r, ns, name);
	if (i >= 0 && *uid && *r->e[i]->uid && strcmp(r->e[i]->uid, uid) != 0) {
		drop(r, (size_t)i);
		i = -1;
	}
	if (i < 0) {
		long oldest = -1;
		for (size_t j = 0; j < PODRUNS_MAX_PODS && i < 0; j++) {
			if (!r->hash[j])
				i = (long)j;
			else if (oldest < 0 || r->e[j]->touched < r->e[oldest]->touched)
				oldest = (long)j;
		}
		if (i < 0) {
			drop(r, (size_t)oldest);
			i = oldest;
		}
		struct entry *e = xcalloc(1, sizeof(*e));
		snprintf(e->ns, sizeof(e->ns), "%s", ns);
		snprintf(e->name, sizeof(e->name), "%s", name);
		r->e[i] = e;
		r->hash[i] = key_hash(ns, name);
		r->n++;
	}
	struct entry *e = r->e[i];
	if (*uid && !*e->uid)
		snprintf(e->uid, sizeof(e->uid), "%s", uid);
	e->touched = ++r->clock;
	return e;
}

static struct podruns_container *container(struct podruns *r, struct entry *e, const char *name)
{
	if (!*name || strlen(name) > CT_NAME_MAX)
		return NULL;
	for (size_t i = 0; i < e->n_ct; i++)
		if (!strcmp(e->ct[i]->name, name))
			return &e->ct[i]->h;
	if (e->n_ct == PODRUNS_MAX_CONTAINERS || r->n_ct >= PODRUNS_MAX_TOTAL_CONTAINERS)
		return NULL;
	struct ct *c = xcalloc(1, sizeof(*c));
	snprintf(c->name, sizeof(c->name), "%s", name);
	e->ct[e->n_ct++] = c;
	r->n_ct++;
	return &c->h;
}

/* ---- runs ---- */

static void add_run(struct podruns_container *h, const struct container_state *s)
{
	if (s->kind != CSTATE_TERMINATED || (!s->started_at && !s->finished_at))
		return;
	/* An instance is known by its start (its finish when the start is lost). */
	size_t at = h->n_runs;
	for (size_t i = 0; i < h->n_runs; i++) {
		struct podrun *x = &h->runs[i];
		bool same = s->started_at ? x->start_ms == s->started_at
					  : !x->start_ms && x->end_ms == s->finished_at;
		if (same) {
			at = i;
			goto fill;
		}
	}
	int64_t key = s->started_at ? s->started_at : s->finished_at;
	for (at = h->n_runs; at > 0; at--) {
		const struct podrun *x = &h->runs[at - 1];
		if ((x->start_ms ? x->start_ms : x->end_ms) <= key)
			break;
	}
	if (h->n_runs == PODRUNS_MAX_RUNS) {
		if (at == 0) { /* older than all that is kept */
			h->dropped_runs++;
			return;
		}
		memmove(&h->runs[0], &h->runs[1], (at - 1) * sizeof(h->runs[0]));
		at--;
		h->n_runs--;
		h->dropped_runs++;
	} else {
		memmove(&h->runs[at + 1], &h->runs[at], (h->n_runs - at) * sizeof(h->runs[0]));
	}
	h->n_runs++;
	memset(&h->runs[at], 0, sizeof(h->runs[at]));
fill:
	h->runs[at].start_ms = s->started_at;
	h->runs[at].end_ms = s->finished_at;
	h->runs[at].exit_code = s->exit_code;
	h->runs[at].signal = s->signal;
	snprintf(h->runs[at].reason, sizeof(h->runs[at].reason), "%s", nz(s->reason));
}

static bool has_history(const struct container_status *st, uint16_t n)
{
	for (uint16_t i = 0; i < n; i++)
		if (st[i].restart_count > 0 || model_last_terminated(&st[i]))
			return true;
	return false;
}

static void record_statuses(struct podruns *r, struct entry *e, const struct container_status *st,
			    uint16_t n)
{
	for (uint16_t i = 0; i < n; i++) {
		if (st[i].restart_count <= 0 && !model_last_terminated(&st[i]))
			continue;
		struct podruns_container *h = container(r, e, nz(st[i].name));
		if (!h)
			continue;
		const struct container_state *last = model_last_terminated(&st[i]);
		if (last)
			add_run(h, last);
		add_run(h, &st[i].state);
	}
}

static void observe_pod(struct podruns *r, const struct pod *old, const struct pod *p)
{
	if (!p) {
		long i = old ? find(r, nz(old->namespace), nz(old->name)) : -1;
		if (i >= 0 && (!*r->e[i]->uid || !old->uid || !strcmp(r->e[i]->uid, old->uid)))
			drop(r, (size_t)i);
		return;
	}
	bool any = has_history(p->statuses, p->n_statuses) ||
		   has_history(p->init_statuses, p->n_init_statuses);
	if (!any && find(r, nz(p->namespace), nz(p->name)) < 0)
		return;
	struct entry *e = get(r, nz(p->namespace), nz(p->name), nz(p->uid));
	if (!e)
		return;
	record_statuses(r, e, p->init_statuses, p->n_init_statuses);
	record_statuses(r, e, p->statuses, p->n_statuses);
}

/* ---- pulls ---- */

/* "spec.containers{web}" or "spec.initContainers{init}": web, init. */
static bool field_container(const char *f, char *out, size_t n)
{
	const char *open = f ? strchr(f, '{') : NULL;
	const char *close = open ? strchr(open, '}') : NULL;
	if (!open || !close || close[1] || close - open - 1 <= 0 ||
	    (size_t)(close - open - 1) >= n)
		return false;
	memcpy(out, open + 1, (size_t)(close - open - 1));
	out[close - open - 1] = '\0';
	return true;
}

static void add_pull_start(struct podruns_container *h, int64_t t)
{
	if (!t)
		return;
	size_t at;
	for (at = 0; at < h->n_pulls; at++)
		if (h->pulls[at].start_ms == t)
			return;
	for (at = h->n_pulls; at > 0 && h->pulls[at - 1].start_ms > t; at--)
		;
	if (h->n_pulls == PODRUNS_MAX_PULLS) {
		h->dropped_pulls++;
		if (at == 0)
			return;
		memmove(&h->pulls[0], &h->pulls[1], (at - 1) * sizeof(h->pulls[0]));
		at--;
		h->n_pulls--;
	} else {
		memmove(&h->pulls[at + 1], &h->pulls[at], (h->n_pulls - at) * sizeof(h->pulls[0]));
	}
	h->pulls[at] = (struct podpull){.start_ms = t};
	h->n_pulls++;
}

/* A Pulled at t ends the latest pull that started by then and has no end. */
static void add_pull_end(struct podruns_container *h, int64_t t)
{
	for (size_t i = h->n_pulls; i > 0; i--) {
		struct podpull *x = &h->pulls[i - 1];
		if (x->start_ms > t)
			continue;
		if (!x->end_ms)
			x->end_ms = t;
		return;
	}
}

static void observe_event(struct podruns *r, const struct event *old, const struct event *ev)
{
	if (!ev || strcmp(nz(ev->involved_kind), "Pod") != 0)
		return;
	bool pulling = !strcmp(nz(ev->reason), "Pulling");
	if (!pulling && strcmp(nz(ev->reason), "Pulled") != 0)
		return;
	char cname[CT_NAME_MAX + 1];
	if (!field_container(ev->involved_field, cname, sizeof(cname)))
		return;
	const char *ns = *nz(ev->involved_namespace) ? ev->involved_namespace : nz(ev->namespace);
	long i = find(r, ns, nz(ev->involved_name));
	/* A pod is worth keeping once it pulled twice. */
	if (i < 0 && ev->count <= 1)
		return;
	if (i >= 0 && *r->e[i]->uid && *nz(ev->involved_uid) &&
	    strcmp(r->e[i]->uid, ev->involved_uid) != 0)
		return; /* an event of an earlier pod of that name */
	struct entry *e = get(r, ns, nz(ev->involved_name), nz(ev->involved_uid));
	struct podruns_container *h = e ? container(r, e, cname) : NULL;
	if (!h)
		return;
	/* Seen for the first time, or the pod was not kept until now: the
	 * event's first occurrence is news too. */
	bool first_sight = !old || i < 0;
	if (pulling) {
		if (first_sight && ev->count > 1)
			add_pull_start(h, ev->first);
		if (first_sight || ev->last != old->last || ev->count != old->count)
			add_pull_start(h, ev->last);
	} else {
		if (first_sight && ev->count > 1)
			add_pull_end(h, ev->first);
		if (first_sight || ev->last != old->last || ev->count != old->count)
			add_pull_end(h, ev->last);
	}
}

void podruns_observe(void *ud, enum store_kind k, const void *old_obj, const void *new_obj)
{
	struct podruns *r = ud;
	if (k == STORE_PODS)
		observe_pod(r, old_obj, new_obj);
	else if (k == STORE_EVENTS)
		observe_event(r, old_obj, new_obj);
}

const struct podruns_container *podruns_get(const struct podruns *r, const struct pod *p,
					    const char *name)
{
	if (!r || !p)
		return NULL;
	long i = find(r, nz(p->namespace), nz(p->name));
	if (i < 0)
		return NULL;
	const struct entry *e = r->e[i];
	if (*e->uid && p->uid && *p->uid && strcmp(e->uid, p->uid) != 0)
		return NULL;
	for (size_t c = 0; c < e->n_ct; c++)
		if (!strcmp(e->ct[c]->name, nz(name)))
			return &e->ct[c]->h;
	return NULL;
}
