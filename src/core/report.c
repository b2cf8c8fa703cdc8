#include "config.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "podscope/generations.h"
#include "podscope/lifecycle.h"
#include "podscope/pod_status.h"
#include "podscope/rollout.h"
#include "podscope/store.h"
#include "podscope/why.h"
#include "podscope/xalloc.h"
#include "report_int.h"

/*
 * Collecting the report: the store sampled at every recorded moment. A
 * sample is kept only when a count changed (the chart draws steps), a
 * pod's stage is a new segment only when it changed, a why line a new
 * entry only when its text did.
 */

#define POD_EVENTS 64 /* a pod's events looked at for its stage */

char *report_strdup(const char *s)
{
	if (!s)
		return xstrdup("");
	size_t n = strnlen(s, REPORT_MAX_TEXT);
	return xstrndup(s, n);
}

struct report *report_new(const char *ns, const char *name)
{
	struct report *r = xcalloc(1, sizeof(*r));
	r->ns = report_strdup(ns);
	r->name = report_strdup(name);
	r->uid = xstrdup("");
	r->source = xstrdup("");
	r->strategy = xstrdup("");
	return r;
}

void report_free(struct report *r)
{
	if (!r)
		return;
	free(r->ns), free(r->name), free(r->uid), free(r->source), free(r->strategy);
	for (size_t i = 0; i < r->ngens; i++)
		free(r->gens[i].name), free(r->gens[i].uid), free(r->gens[i].image);
	free(r->samples);
	for (size_t i = 0; i < r->npods; i++)
		free(r->pods[i].name), free(r->pods[i].uid);
	free(r->pods);
	for (size_t i = 0; i < r->nevents; i++) {
		struct revent *e = &r->events[i];
		free(e->key), free(e->object), free(e->reason), free(e->message);
	}
	free(r->events);
	for (size_t i = 0; i < r->nwhy; i++)
		free(r->why[i].line);
	free(r->why);
	for (size_t i = 0; i < r->nactions; i++) {
		struct raction *a = &r->actions[i];
		free(a->what), free(a->object), free(a->outcome);
	}
	free(r->actions);
	for (size_t i = 0; i < r->ngaps; i++)
		free(r->gaps[i].why);
	free(r);
}

void report_set_source(struct report *r, const char *source, bool live)
{
	free(r->source);
	r->source = report_strdup(source);
	r->live = live;
}

static void see_time(struct report *r, int64_t t)
{
	if (t <= 0)
		return;
	if (!r->t0 || t < r->t0)
		r->t0 = t;
	if (t > r->t1)
		r->t1 = t;
}

/* ---- Warning events, as the store changes ---- */

static bool event_ours(struct report *r, const struct store *st, const struct event *e)
{
	const char *k = e->involved_kind ? e->involved_kind : "";
	const char *ns = e->involved_namespace ? e->involved_namespace : e->namespace;
	if (!ns || strcmp(ns, r->ns) != 0 || !e->involved_name)
		return false;
	if (strcmp(k, "Deployment") == 0)
		return strcmp(e->involved_name, r->name) == 0;
	if (strcmp(k, "ReplicaSet") == 0) {
		for (size_t i = 0; i < r->ngens; i++)
			if (strcmp(r->gens[i].name, e->involved_name) == 0)
				return true;
		const struct replicaset *rs = store_get_replicaset(st, ns, e->involved_name);
		const struct deployment *d = rs ? store_rs_deployment(st, rs) : NULL;
		return d && strcmp(d->name, r->name) == 0;
	}
	if (strcmp(k, "Pod") == 0) {
		for (size_t i = 0; i < r->npods; i++)
			if (strcmp(r->pods[i].name, e->involved_name) == 0)
				return true;
		const struct pod *p = store_get_pod(st, ns, e->involved_name);
		const struct deployment *d = p ? store_pod_deployment(st, p) : NULL;
		return d && strcmp(d->name, r->name) == 0;
	}
	return false;
}

void report_event(struct report *r, const struct event *e)
{
	char key[600];
	snprintf(key, sizeof(key), "%.250s/%.300s", e->namespace ? e->namespace : "",
		 e->name ? e->name : "");
	struct revent *re = NULL;
	for (size_t i = 0; i < r->nevents && !re; i++)
		if (strcmp(r->events[i].key, key) == 0)
			re = &r->events[i];
	if (!re) {
		if (r->nevents == REPORT_MAX_EVENTS) {
			r->events_left_out++;
			return;
		}
		if (!r->events)
			r->events = xcalloc(REPORT_MAX_EVENTS, sizeof(*r->events));
		re = &r->events[r->nevents++];
		re->key = xstrdup(key);
		char obj[600];
		snprintf(obj, sizeof(obj), "%.40s/%.300s", e->involved_kind ? e->involved_kind : "",
			 e->involved_name);
		re->object = report_strdup(obj);
	} else {
		free(re->reason), free(re->message);
	}
	re->reason = report_strdup(e->reason);
	re->message = report_strdup(e->message);
	re->count = e->count;
	re->first = e->first;
	re->last = e->last > e->first ? e->last : e->first;
}

static void on_change(void *ud, enum store_kind k, const void *old_obj, const void *new_obj)
{
	struct report *r = ud;
	const void *any = new_obj ? new_obj : old_obj;
	/* a change in the deployment's namespace to what the report reads:
	 * the next sample looks (others are skipped, see report_sample) */
	if ((k == STORE_DEPLOYMENTS || k == STORE_REPLICASETS || k == STORE_PODS ||
	     k == STORE_EVENTS) &&
	    any && strcmp(store_obj_namespace(any), r->ns) == 0)
		r->dirty = true;
	const struct event *e = new_obj;
	if (k == STORE_EVENTS && e && e->warning && r->st && event_ours(r, r->st, e))
		report_event(r, e);
}

void report_attach(struct report *r, struct store *st)
{
	r->st = st;
	store_subscribe(st, on_change, r);
}

void report_detach(struct report *r, struct store *st)
{
	store_unsubscribe(st, on_change, r);
	r->st = NULL;
}

/* ---- sampling ---- */

int report_gen_add(struct report *r, const struct replicaset *rs, int64_t t)
{
	for (size_t i = 0; i < r->ngens; i++)
		if (strcmp(r->gens[i].uid, rs->uid ? rs->uid : "") == 0) {
			r->gens[i].last_ms = t;
			return (int)i;
		}
	if (r->ngens == REPORT_MAX_GENS)
		return -1;
	struct rgen *g = &r->gens[r->ngens];
	g->name = report_strdup(rs->name);
	g->uid = report_strdup(rs->uid);
	struct buf img = BUF_INIT;
	for (uint16_t i = 0; i < rs->n_images && img.len < REPORT_MAX_TEXT; i++)
		buf_printf(&img, "%s%s", i ? ", " : "", rs->images[i] ? rs->images[i] : "");
	g->image = report_strdup(img.data);
	buf_free(&img);
	g->revision = rs->revision ? atoll(rs->revision) : 0;
	g->first_ms = g->last_ms = t;
	return (int)r->ngens++;
}

void report_add_sample(struct report *r, const struct rsample *s)
{
	if (r->nsamples) {
		struct rsample *last = &r->samples[r->nsamples - 1];
		if (memcmp(&last->desired, &s->desired,
			   sizeof(*s) - offsetof(struct rsample, desired)) == 0)
			return;
		if (last->t == s->t) {
			*last = *s;
			return;
		}
	}
	if (r->nsamples == REPORT_MAX_SAMPLES) {
		r->samples_capped = true;
		return;
	}
	if (r->nsamples == r->capsamples) {
		r->capsamples = r->capsamples ? r->capsamples * 2 : 256;
		r->samples = xrealloc(r->samples, r->capsamples * sizeof(*r->samples));
	}
	r->samples[r->nsamples++] = *s;
}

static struct rpod *pod_of(struct report *r, const struct pod *p, int gen, int64_t t)
{
	for (size_t i = 0; i < r->npods; i++)
		if (strcmp(r->pods[i].uid, p->uid ? p->uid : "") == 0)
			return &r->pods[i];
	if (r->npods == REPORT_MAX_PODS) {
		r->pods_left_now++;
		return NULL;
	}
	if (!r->pods)
		r->pods = xcalloc(REPORT_MAX_PODS, sizeof(*r->pods));
	struct rpod *rp = &r->pods[r->npods++];
	rp->name = report_strdup(p->name);
	rp->uid = report_strdup(p->uid);
	rp->gen = gen;
	rp->first_ms = t;
	rp->created = p->created;
	return rp;
}

static void pod_sample(struct report *r, const struct store *st, const struct pod *p, int gen,
		       int64_t t)
{
	struct rpod *rp = pod_of(r, p, gen, t);
	if (!rp)
		return;
	rp->stamp = r->stamp;
	rp->last_ms = t;
	rp->gone = false;
	if (p->deleted)
		rp->deleted = p->deleted;
	const struct event *evs[POD_EVENTS];
	size_t ne = 0;
	struct store_iter it;
	const struct event *e;
	store_iter_children(&it, st, STORE_EVENTS, p->uid ? p->uid : "");
	while (ne < POD_EVENTS && (e = store_iter_next(&it)))
		evs[ne++] = e;
	struct lc_pod lc;
	lifecycle_pod(p, evs, ne, t, &lc);
	uint8_t stage = lc.stage;
	lifecycle_pod_free(&lc);
	struct rseg *last = rp->nseg ? &rp->seg[rp->nseg - 1] : NULL;
	if (last && last->stage == stage) {
		last->to = t;
	} else if (rp->nseg < REPORT_MAX_SEGS) {
		if (last)
			last->to = t;
		rp->seg[rp->nseg++] = (struct rseg){.stage = stage, .from = t, .to = t};
	} else {
		last->to = t;
	}
	int32_t n = pod_restart_total(p);
	if (n > rp->restarts && rp->nseg && rp->nmarks < REPORT_MAX_MARKS &&
	    !(rp->restarts == 0 && rp->first_ms == t && n > 0))
		rp->marks[rp->nmarks++] = t;
	rp->restarts = n;
}

static void why_sample(struct report *r, const struct store *st, const struct deployment *d,
		       int64_t t)
{
	struct why w;
	why_deployment(st, d, t, NULL, NULL, &w);
	struct rwhy *cur = r->nwhy ? &r->why[r->nwhy - 1] : NULL;
	if (cur && cur->to == 0 && strcmp(cur->line, w.line) == 0)
		return;
	if (cur && cur->to == 0)
		cur->to = t;
	if (!w.line[0])
		return;
	if (r->nwhy == REPORT_MAX_WHY) {
		r->why_left_out++;
		return;
	}
	if (!r->why)
		r->why = xcalloc(REPORT_MAX_WHY, sizeof(*r->why));
	r->why[r->nwhy++] = (struct rwhy){.line = report_strdup(w.line), .from = t, .to = 0};
}

void report_sample(struct report *r, const struct store *st, int64_t t)
{
	/* attached: nothing the report reads changed since the last sample */
	if (r->st == st && !r->dirty && r->nsamples)
		return;
	r->dirty = false;
	const struct deployment *d = store_get_deployment(st, r->ns, r->name);
	if (!d)
		return;
	see_time(r, t);
	if (d->uid && strcmp(r->uid, d->uid) != 0) {
		free(r->uid);
		r->uid = report_strdup(d->uid);
	}
	free(r->strategy);
	r->strategy = report_strdup(generations_strategy_name(d));
	struct rsample s;
	memset(&s, 0, sizeof(s));
	memset(s.v, 0xff, sizeof(s.v)); /* -1 */
	s.t = t;
	s.desired = d->has_spec_replicas ? d->spec_replicas : 1;
	struct rollout_budget b;
	rollout_budget(d, &b);
	s.surge_top = s.desired + b.max_surge;
	s.floor = s.desired - b.max_unavailable;
	if (s.floor < 0)
		s.floor = 0;
	r->stamp++;
	r->pods_left_now = 0;
	size_t n = 0;
	const struct replicaset **rss = generations_collect(st, d, &n);
	for (size_t i = 0; i < n; i++) {
		int g = report_gen_add(r, rss[i], t);
		if (g < 0)
			continue;
		s.v[g][0] = rss[i]->has_spec_replicas ? rss[i]->spec_replicas : 0;
		s.v[g][1] = rss[i]->ready_replicas;
		s.v[g][2] = rss[i]->available_replicas;
		struct store_iter it;
		const struct pod *p;
		store_iter_children(&it, st, STORE_PODS, rss[i]->uid ? rss[i]->uid : "");
		while ((p = store_iter_next(&it)))
			if (p->namespace && strcmp(p->namespace, r->ns) == 0)
				pod_sample(r, st, p, g, t);
	}
	free(rss);
	for (size_t i = 0; i < r->npods; i++) {
		struct rpod *rp = &r->pods[i];
		if (rp->stamp != r->stamp && !rp->gone) {
			rp->gone = true;
			if (rp->nseg)
				rp->seg[rp->nseg - 1].to = t;
			rp->last_ms = t;
		}
	}
	/* pods not drawn: the most at any one moment */
	if (r->pods_left_now > r->pods_left_out)
		r->pods_left_out = r->pods_left_now;
	report_add_sample(r, &s);
	why_sample(r, st, d, t);
}

void report_gap(struct report *r, int64_t begin_ms, int64_t end_ms, const char *why)
{
	if (end_ms < begin_ms)
		return;
	/* the informers of several kinds go down together: one gap */
	struct rgap *last = r->ngaps ? &r->gaps[r->ngaps - 1] : NULL;
	if (last && begin_ms <= last->to && end_ms >= last->from) {
		last->from = begin_ms < last->from ? begin_ms : last->from;
		last->to = end_ms > last->to ? end_ms : last->to;
		return;
	}
	if (r->ngaps == REPORT_MAX_GAPS)
		return;
	r->gaps[r->ngaps++] = (struct rgap){begin_ms, end_ms, report_strdup(why)};
}

void report_action(struct report *r, int64_t t, const char *what, const char *object,
		   const char *outcome)
{
	if (r->nactions == REPORT_MAX_ACTIONS) {
		r->actions_left_out++;
		return;
	}
	if (!r->actions)
		r->actions = xcalloc(REPORT_MAX_ACTIONS, sizeof(*r->actions));
	r->actions[r->nactions++] =
	    (struct raction){t, report_strdup(what), report_strdup(object), report_strdup(outcome)};
}

void report_finish(struct report *r, int64_t end_ms)
{
	see_time(r, end_ms);
	for (size_t i = 0; i < r->npods; i++) {
		struct rpod *rp = &r->pods[i];
		if (!rp->gone && rp->nseg)
			rp->seg[rp->nseg - 1].to = end_ms;
	}
	if (r->nwhy && r->why[r->nwhy - 1].to == 0)
		r->why[r->nwhy - 1].to = end_ms;
	r->finished = true;
}

void report_counts(const struct report *r, struct report_counts *c)
{
	*c = (struct report_counts){.gens = r->ngens,
				    .samples = r->nsamples,
				    .pods = r->npods,
				    .events = r->nevents,
				    .why = r->nwhy,
				    .actions = r->nactions,
				    .gaps = r->ngaps,
				    .pods_left_out = r->pods_left_out,
				    .events_left_out = r->events_left_out,
				    .why_left_out = r->why_left_out,
				    .actions_left_out = r->actions_left_out,
				    .samples_capped = r->samples_capped};
}

int32_t report_series(const struct report *r, size_t g, size_t i, char which)
{
	if (g >= r->ngens || i >= r->nsamples)
		return -1;
	int k = which == 'd' ? 0 : which == 'r' ? 1 : which == 'a' ? 2 : -1;
	return k < 0 ? -1 : r->samples[i].v[g][k];
}

long report_sample_at(const struct report *r, int64_t t)
{
	long at = -1;
	for (size_t i = 0; i < r->nsamples && r->samples[i].t <= t; i++)
		at = (long)i;
	return at;
}

const char *report_gen_name(const struct report *r, size_t g, int64_t *revision)
{
	if (g >= r->ngens)
		return NULL;
	if (revision)
		*revision = r->gens[g].revision;
	return r->gens[g].name;
}

const char *report_why(const struct report *r, size_t i, int64_t *from, int64_t *to)
{
	if (i >= r->nwhy)
		return NULL;
	if (from)
		*from = r->why[i].from;
	if (to)
		*to = r->why[i].to;
	return r->why[i].line;
}
