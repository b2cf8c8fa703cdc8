#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "podscope/generations.h"
#include "podscope/lifecycle.h"
#include "podscope/rollout.h"
#include "podscope/store.h"
#include "podscope/why.h"
#include "podscope/xalloc.h"
#include "report_int.h"

/*
 * A live report: the picture reconstructed from what the API still holds,
 * listed once. Each pod's life comes from its creation time, its
 * conditions' transitions and its containers' start times while it exists,
 * and from the events for the pods that are gone (the ReplicaSet's
 * "Created pod: X" and "Deleted pod: X", the pod's Scheduled, Pulling,
 * Pulled, Started and Killing); each ReplicaSet's desired count from the
 * deployment's ScalingReplicaSet events. Coarser than a recording: a pod
 * that is gone counts as ready from its container's start, and events the
 * API has dropped (an hour by default) are missing.
 */

#define LIVE_MAX_PODS   (2 * REPORT_MAX_PODS)
#define LIVE_MAX_SCALES 1000

struct lpod {
	char name[254];
	int gen;
	const struct pod *p; /* NULL: gone, known from events */
	int64_t start, sched, pull0, pull1, started, ready, killing, end;
};

struct scale {
	int64_t t;
	int gen;
	int32_t to;
};

struct live {
	struct report *r;
	const struct deployment *d;
	int64_t since, now;
	struct lpod *pods;
	size_t npods;
	struct scale *scales;
	size_t nscales;
};

static struct lpod *lpod_find(struct live *lv, const char *name, int gen, bool make)
{
	for (size_t i = 0; i < lv->npods; i++)
		if (strcmp(lv->pods[i].name, name) == 0)
			return &lv->pods[i];
	if (!make || lv->npods == LIVE_MAX_PODS || strlen(name) >= sizeof(lv->pods[0].name))
		return NULL;
	struct lpod *p = &lv->pods[lv->npods++];
	memset(p, 0, sizeof(*p));
	snprintf(p->name, sizeof(p->name), "%s", name);
	p->gen = gen;
	return p;
}

static int gen_named(const struct report *r, const char *name)
{
	for (size_t i = 0; i < r->ngens; i++)
		if (strcmp(r->gens[i].name, name) == 0)
			return (int)i;
	return -1;
}

static void set_min(int64_t *v, int64_t t)
{
	if (t > 0 && (!*v || t < *v))
		*v = t;
}

/* A pod that exists: its own times. */
static void from_pod(struct lpod *lp, const struct pod *p)
{
	lp->p = p;
	lp->start = p->created;
	for (uint16_t i = 0; i < p->n_conditions; i++) {
		const struct pod_condition *c = &p->conditions[i];
		if (c->status != MODEL_COND_TRUE || !c->type)
			continue;
		if (strcmp(c->type, "PodScheduled") == 0)
			lp->sched = c->last_transition;
		else if (strcmp(c->type, "Ready") == 0)
			lp->ready = c->last_transition;
	}
	for (uint16_t i = 0; i < p->n_statuses; i++)
		if (p->statuses[i].state.started_at)
			set_min(&lp->started, p->statuses[i].state.started_at);
	if (p->deleted)
		lp->killing = p->deleted;
}

/* "Scaled up replica set X to N from M", "Scaled up replica set X to N",
 * "Scaled down replica set X from M to N" (older clusters). */
static void scale_event(struct live *lv, const struct event *e)
{
	const char *m = e->message ? e->message : "";
	const char *p = strstr(m, "replica set ");
	if (!p || lv->nscales == LIVE_MAX_SCALES)
		return;
	p += strlen("replica set ");
	char name[254];
	size_t n = strcspn(p, " ");
	if (n == 0 || n >= sizeof(name))
		return;
	memcpy(name, p, n);
	name[n] = '\0';
	int g = gen_named(lv->r, name);
	const char *to = strstr(p + n, " to ");
	if (g < 0 || !to)
		return;
	long v = strtol(to + 4, NULL, 10);
	if (v < 0 || v > 1000000)
		return;
	lv->scales[lv->nscales++] = (struct scale){e->last ? e->last : e->first, g, (int32_t)v};
}

static void from_events(struct live *lv, const struct store *st)
{
	struct store_iter it;
	const struct event *e;
	const struct report *r = lv->r;
	/* first the ReplicaSets' and the deployment's (they name the pods) */
	for (int round = 0; round < 2; round++) {
		store_iter_all(&it, st, STORE_EVENTS, r->ns);
		while ((e = store_iter_next(&it))) {
			const char *k = e->involved_kind ? e->involved_kind : "";
			const char *on = e->involved_name ? e->involved_name : "";
			const char *m = e->message ? e->message : "";
			const char *why = e->reason ? e->reason : "";
			int64_t t = e->last ? e->last : e->first;
			if (round == 0 && strcmp(k, "Deployment") == 0 &&
			    strcmp(on, r->name) == 0 && strcmp(why, "ScalingReplicaSet") == 0) {
				scale_event(lv, e);
			} else if (round == 0 && strcmp(k, "ReplicaSet") == 0 &&
				   gen_named(r, on) >= 0) {
				struct lpod *lp = NULL;
				if (strncmp(m, "Created pod: ", 13) == 0 &&
				    (lp = lpod_find(lv, m + 13, gen_named(r, on), true)) && !lp->p)
					set_min(&lp->start, e->first);
				else if (strncmp(m, "Deleted pod: ", 13) == 0 &&
					 (lp = lpod_find(lv, m + 13, gen_named(r, on), true)))
					set_min(&lp->end, t);
			} else if (round == 1 && strcmp(k, "Pod") == 0) {
				struct lpod *lp = lpod_find(lv, on, -1, false);
				if (!lp)
					;
				else if (strcmp(why, "Scheduled") == 0 && !lp->sched)
					lp->sched = e->first;
				else if (strcmp(why, "Pulling") == 0)
					set_min(&lp->pull0, e->first);
				else if (strcmp(why, "Pulled") == 0)
					set_min(&lp->pull1, e->first);
				else if (strcmp(why, "Started") == 0)
					set_min(&lp->started, e->first);
				else if (strcmp(why, "Killing") == 0)
					set_min(&lp->killing, e->first);
			}
			if (e->warning && round == 1 && t >= lv->since &&
			    ((strcmp(k, "Pod") == 0 && lpod_find(lv, on, -1, false)) ||
			     (strcmp(k, "ReplicaSet") == 0 && gen_named(r, on) >= 0) ||
			     (strcmp(k, "Deployment") == 0 && strcmp(on, r->name) == 0)))
				report_event(lv->r, e);
		}
	}
}

/* What a pod was at t: 0 absent, 1 there, 2 ready, 3 available. */
static int pod_at(const struct live *lv, const struct lpod *p, int64_t t)
{
	int64_t end = p->end ? p->end : p->killing;
	if (!p->start || t < p->start || (end && t >= end))
		return 0;
	int64_t ready = p->ready ? p->ready : (!p->p ? p->started : 0);
	if (!ready || t < ready)
		return 1;
	int64_t avail = ready + (int64_t)lv->d->min_ready_seconds * 1000;
	return t >= avail ? 3 : 2;
}

static int32_t desired_at(const struct live *lv, int g, int64_t t, const struct replicaset *rs)
{
	int32_t v = -2;
	for (size_t i = 0; i < lv->nscales; i++)
		if (lv->scales[i].gen == g && lv->scales[i].t <= t && lv->scales[i].t >= 0)
			v = lv->scales[i].to; /* sorted by time */
	if (v != -2)
		return v;
	if (t < lv->r->gens[g].first_ms)
		return -1;
	/* no scaling seen before t: what it has now, if nothing changed it later */
	for (size_t i = 0; i < lv->nscales; i++)
		if (lv->scales[i].gen == g)
			return -1;
	return rs && rs->has_spec_replicas ? rs->spec_replicas : 0;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

static int cmp_scale(const void *a, const void *b)
{
	return cmp_i64(&((const struct scale *)a)->t, &((const struct scale *)b)->t);
}

static void seg(struct rpod *rp, uint8_t stage, int64_t from, int64_t to)
{
	if (!from || !to || to < from || rp->nseg == REPORT_MAX_SEGS)
		return;
	rp->seg[rp->nseg++] = (struct rseg){stage, from, to};
}

/* A pod's bar: each stage until the next known time. */
static void bar(struct live *lv, const struct lpod *p)
{
	struct report *r = lv->r;
	if (r->npods == REPORT_MAX_PODS) {
		r->pods_left_out++;
		return;
	}
	if (!r->pods)
		r->pods = xcalloc(REPORT_MAX_PODS, sizeof(*r->pods));
	struct rpod *rp = &r->pods[r->npods++];
	rp->name = report_strdup(p->name);
	rp->uid = xstrdup("");
	rp->gen = p->gen;
	rp->created = p->start;
	rp->deleted = p->killing;
	int64_t end = p->end ? p->end : lv->now;
	/* a pod that is gone counts as ready from its start (the series too) */
	uint8_t started = !p->p && !p->ready ? LC_READY : LC_STARTING;
	struct {
		int64_t t;
		uint8_t stage;
	} pts[] = {{p->start, LC_UNSCHEDULED},  {p->sched, LC_SCHEDULED}, {p->pull0, LC_PULLING},
		   {p->pull1, LC_SCHEDULED},    {p->started, started},    {p->ready, LC_READY},
		   {p->killing, LC_TERMINATING}};
	size_t n = sizeof(pts) / sizeof(pts[0]);
	for (size_t i = 0; i < n; i++) {
		if (!pts[i].t || pts[i].t >= end)
			continue;
		int64_t next = end;
		for (size_t j = 0; j < n; j++)
			if (pts[j].t > pts[i].t && pts[j].t < next)
				next = pts[j].t;
		seg(rp, pts[i].stage, pts[i].t < lv->since ? lv->since : pts[i].t, next);
	}
	/* stages in time order */
	for (int i = 1; i < rp->nseg; i++)
		for (int j = i; j > 0 && rp->seg[j - 1].from > rp->seg[j].from; j--) {
			struct rseg t = rp->seg[j];
			rp->seg[j] = rp->seg[j - 1];
			rp->seg[j - 1] = t;
		}
	rp->gone = p->end != 0;
	rp->first_ms = p->start;
	rp->last_ms = end;
	if (p->p)
		for (uint16_t i = 0; i < p->p->n_statuses; i++)
			rp->restarts += p->p->statuses[i].restart_count;
}

int report_live_build(struct report *r, const struct store *st, int64_t since_ms, int64_t now_ms)
{
	const struct deployment *d = store_get_deployment(st, r->ns, r->name);
	if (!d)
		return -1;
	struct live lv = {.r = r, .d = d, .since = since_ms, .now = now_ms};
	free(r->uid);
	r->uid = report_strdup(d->uid);
	free(r->strategy);
	r->strategy = report_strdup(generations_strategy_name(d));
	size_t nrs = 0;
	const struct replicaset **rss = generations_collect(st, d, &nrs);
	const struct replicaset *by_gen[REPORT_MAX_GENS] = {0};
	for (size_t i = 0; i < nrs; i++) {
		int64_t t = rss[i]->created;
		int g = report_gen_add(r, rss[i], t > 0 ? t : since_ms);
		if (g >= 0) {
			by_gen[g] = rss[i];
			r->gens[g].last_ms = now_ms;
		}
	}
	lv.pods = xcalloc(LIVE_MAX_PODS, sizeof(*lv.pods));
	lv.scales = xcalloc(LIVE_MAX_SCALES, sizeof(*lv.scales));
	for (size_t g = 0; g < r->ngens; g++) {
		if (!by_gen[g])
			continue;
		struct store_iter it;
		const struct pod *p;
		store_iter_children(&it, st, STORE_PODS, by_gen[g]->uid ? by_gen[g]->uid : "");
		while ((p = store_iter_next(&it))) {
			struct lpod *lp = p->name ? lpod_find(&lv, p->name, (int)g, true) : NULL;
			if (lp)
				from_pod(lp, p);
		}
	}
	from_events(&lv, st);
	qsort(lv.scales, lv.nscales, sizeof(*lv.scales), cmp_scale);
	/* the moments: every time something changed, within the window */
	size_t cap = 8 * lv.npods + lv.nscales + 2, nt = 0;
	int64_t *ts = xcalloc(cap, sizeof(*ts));
	/* the axis starts at the first thing the API still knows (in the window),
	 * a little before it */
	int64_t first = now_ms;
	for (size_t g = 0; g < r->ngens; g++)
		if (r->gens[g].first_ms < first)
			first = r->gens[g].first_ms;
	for (size_t i = 0; i < lv.npods; i++)
		if (lv.pods[i].start && lv.pods[i].start < first)
			first = lv.pods[i].start;
	for (size_t i = 0; i < lv.nscales; i++)
		if (lv.scales[i].t < first)
			first = lv.scales[i].t;
	first -= (now_ms - first) / 20;
	if (first > since_ms)
		since_ms = lv.since = first;
	ts[nt++] = since_ms;
	ts[nt++] = now_ms;
	for (size_t i = 0; i < lv.nscales; i++)
		ts[nt++] = lv.scales[i].t;
	for (size_t i = 0; i < lv.npods; i++) {
		const struct lpod *p = &lv.pods[i];
		int64_t rd = p->ready ? p->ready : (!p->p ? p->started : 0);
		int64_t v[] = {p->start, rd, rd ? rd + (int64_t)d->min_ready_seconds * 1000 : 0,
			       p->end, p->killing};
		for (size_t k = 0; k < 5; k++)
			if (v[k])
				ts[nt++] = v[k];
	}
	qsort(ts, nt, sizeof(*ts), cmp_i64);
	struct rollout_budget b;
	rollout_budget(d, &b);
	for (size_t i = 0; i < nt; i++) {
		int64_t t = ts[i];
		if (t < since_ms || t > now_ms || (i && t == ts[i - 1]))
			continue;
		struct rsample s;
		memset(&s, 0, sizeof(s));
		memset(s.v, 0xff, sizeof(s.v));
		s.t = t;
		s.desired = d->has_spec_replicas ? d->spec_replicas : 1;
		s.surge_top = s.desired + b.max_surge;
		s.floor = s.desired - b.max_unavailable > 0 ? s.desired - b.max_unavailable : 0;
		for (size_t g = 0; g < r->ngens; g++) {
			int32_t want = desired_at(&lv, (int)g, t, by_gen[g]), rdy = 0, av = 0,
				there = 0;
			for (size_t k = 0; k < lv.npods; k++) {
				if (lv.pods[k].gen != (int)g)
					continue;
				int w = pod_at(&lv, &lv.pods[k], t);
				there += w > 0;
				rdy += w >= 2;
				av += w >= 3;
			}
			if (want < 0 && !there)
				continue;
			s.v[g][0] = want < 0 ? 0 : want;
			s.v[g][1] = rdy;
			s.v[g][2] = av;
		}
		report_add_sample(r, &s);
		if (!r->t0 || t < r->t0)
			r->t0 = t;
		if (t > r->t1)
			r->t1 = t;
	}
	free(ts);
	for (size_t i = 0; i < lv.npods; i++) {
		const struct lpod *p = &lv.pods[i];
		int64_t end = p->end ? p->end : p->killing;
		if (p->start && (!end || end >= since_ms))
			bar(&lv, p);
	}
	struct why w;
	why_deployment(st, d, now_ms, NULL, NULL, &w);
	if (w.line[0]) {
		r->why = xcalloc(REPORT_MAX_WHY, sizeof(*r->why));
		r->why[r->nwhy++] = (struct rwhy){report_strdup(w.line), now_ms, now_ms};
	}
	free(lv.pods);
	free(lv.scales);
	free(rss);
	r->finished = true;
	return 0;
}
