#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "podscope/lifecycle.h"

#include "lifecycle_int.h"

static bool str_eq(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "") == 0;
}

bool lc_event_for_pod(const struct pod *p, const struct event *e)
{
	if (!lc_str_empty(e->involved_kind) && strcmp(e->involved_kind, "Pod") != 0)
		return false;
	if (!str_eq(e->involved_name, p->name))
		return false;
	const char *ns = lc_str_empty(e->involved_namespace) ? e->namespace : e->involved_namespace;
	if (!lc_str_empty(ns) && !lc_str_empty(p->namespace) && strcmp(ns, p->namespace) != 0)
		return false;
	/* A pod deleted and made again under the same name has a new uid. */
	return lc_str_empty(e->involved_uid) || lc_str_empty(p->uid) ||
	       strcmp(e->involved_uid, p->uid) == 0;
}

bool lc_event_for_container(const struct event *e, const char *container)
{
	const char *f = e->involved_field;
	if (!container)
		return lc_str_empty(f);
	if (lc_str_empty(f))
		return false;
	const char *open = strchr(f, '{');
	if (!open)
		return false;
	size_t n = strlen(container);
	return strncmp(open + 1, container, n) == 0 && open[1 + n] == '}' && open[2 + n] == '\0';
}

static bool matches(const struct lc_evset *es, const struct event *e, const char *reason,
		    const char *container, const char *prefix)
{
	if (!str_eq(e->reason, reason) || !lc_event_for_container(e, container))
		return false;
	if (prefix && strncmp(e->message ? e->message : "", prefix, strlen(prefix)) != 0)
		return false;
	return lc_event_for_pod(es->pod, e);
}

const struct event *lc_event_find(const struct lc_evset *es, const char *reason,
				  const char *container, const char *prefix)
{
	const struct event *best = NULL;
	for (size_t i = 0; i < es->n; i++) {
		const struct event *e = es->ev[i];
		if (matches(es, e, reason, container, prefix) && (!best || e->last >= best->last))
			best = e;
	}
	return best;
}

const struct event *lc_event_first(const struct lc_evset *es, const char *reason,
				   const char *container, const char *prefix)
{
	const struct event *best = NULL;
	for (size_t i = 0; i < es->n; i++) {
		const struct event *e = es->ev[i];
		if (matches(es, e, reason, container, prefix) && (!best || e->first < best->first))
			best = e;
	}
	return best;
}

static const char *const step_names[] = {
    [LC_STEP_CREATED] = "created",   [LC_STEP_SCHEDULED] = "scheduled",
    [LC_STEP_PULL] = "pull",         [LC_STEP_INIT] = "init",
    [LC_STEP_STARTED] = "started",   [LC_STEP_POST_START] = "post-start",
    [LC_STEP_READY] = "ready",       [LC_STEP_DELETED] = "deleted",
    [LC_STEP_FINISHED] = "finished",
};

const char *lc_step_name(enum lc_step_kind k)
{
	if ((size_t)k < sizeof(step_names) / sizeof(step_names[0]) && step_names[k])
		return step_names[k];
	return "unknown";
}

struct tl {
	struct lc_step *out;
	size_t max;
	size_t n;
};

static void add(struct tl *t, enum lc_step_kind k, const char *container, int64_t start,
		int64_t end, bool done)
{
	if (t->n < t->max) {
		t->out[t->n] = (struct lc_step){
		    .kind = (uint8_t)k,
		    .done = done,
		    .container = container ? container : "",
		    .start_ms = start,
		    .end_ms = end,
		};
	}
	t->n++;
}

static const struct container_status *status_of(const struct container_status *st, uint16_t n,
						const char *name)
{
	for (uint16_t i = 0; i < n; i++)
		if (str_eq(st[i].name, name))
			return &st[i];
	return NULL;
}

static void pull_step(struct tl *t, const struct lc_evset *es, const char *name)
{
	const struct event *pulling = lc_event_first(es, "Pulling", name, NULL);
	const struct event *pulled = lc_event_find(es, "Pulled", name, NULL);
	if (pulling)
		add(t, LC_STEP_PULL, name, pulling->first, pulled ? pulled->last : 0,
		    pulled != NULL);
	else if (pulled)
		add(t, LC_STEP_PULL, name, pulled->first, pulled->first, true);
}

/* When the container's current instance started: running or terminated
 * startedAt, else the first Started event. */
static int64_t started_at(const struct lc_evset *es, const struct container_status *st,
			  const char *name)
{
	if (st && (st->state.kind == CSTATE_RUNNING || st->state.kind == CSTATE_TERMINATED) &&
	    st->state.started_at)
		return st->state.started_at;
	const struct event *e = lc_event_first(es, "Started", name, NULL);
	return e ? e->first : 0;
}

static void container_steps(struct tl *t, const struct lc_evset *es, const struct pod *p,
			    const struct container_spec *spec, const struct container_status *st,
			    bool regular_init)
{
	pull_step(t, es, spec->name);
	int64_t start = started_at(es, st, spec->name);
	if (regular_init) {
		bool done = st && st->state.kind == CSTATE_TERMINATED && st->state.exit_code == 0;
		if (start)
			add(t, LC_STEP_INIT, spec->name, start,
			    st && st->state.kind == CSTATE_TERMINATED ? st->state.finished_at : 0,
			    done);
		return;
	}
	if (start)
		add(t, LC_STEP_STARTED, spec->name, start, 0, true);
	if (spec->post_start && start) {
		/* The kubelet reports Running only once the hook has returned. */
		bool ran = st && (st->state.kind == CSTATE_RUNNING ||
				  st->state.kind == CSTATE_TERMINATED || st->restart_count > 0);
		add(t, LC_STEP_POST_START, spec->name, start, 0, ran);
	}
	(void)p;
}

static int cmp_step(const void *a, const void *b)
{
	const struct lc_step *x = a, *y = b;
	int64_t xs = x->start_ms ? x->start_ms : INT64_MAX;
	int64_t ys = y->start_ms ? y->start_ms : INT64_MAX;
	if (xs != ys)
		return xs < ys ? -1 : 1;
	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	return strcmp(x->container, y->container);
}

size_t lifecycle_timeline(const struct pod *p, const struct event *const *events, size_t n_events,
			  struct lc_step *out, size_t max)
{
	struct lc_evset es = {p, events, n_events};
	struct tl t = {out, max, 0};
	if (p->created)
		add(&t, LC_STEP_CREATED, NULL, p->created, 0, true);
	const struct pod_condition *c = model_pod_condition(p, "PodScheduled");
	if (c && c->status == MODEL_COND_TRUE && c->last_transition) {
		add(&t, LC_STEP_SCHEDULED, NULL, c->last_transition, 0, true);
	} else {
		const struct event *e = lc_event_find(&es, "Scheduled", NULL, NULL);
		if (e)
			add(&t, LC_STEP_SCHEDULED, NULL, e->last, 0, true);
	}
	for (uint16_t i = 0; i < p->n_init_specs; i++) {
		const struct container_spec *s = &p->init_specs[i];
		container_steps(&t, &es, p, s,
				status_of(p->init_statuses, p->n_init_statuses, s->name),
				!s->restartable);
	}
	for (uint16_t i = 0; i < p->n_specs; i++) {
		const struct container_spec *s = &p->specs[i];
		container_steps(&t, &es, p, s, status_of(p->statuses, p->n_statuses, s->name),
				false);
	}
	c = model_pod_condition(p, "Ready");
	if (c && c->status == MODEL_COND_TRUE && c->last_transition)
		add(&t, LC_STEP_READY, NULL, c->last_transition, 0, true);
	if (str_eq(p->phase, "Succeeded") || str_eq(p->phase, "Failed")) {
		int64_t fin = 0;
		for (uint16_t i = 0; i < p->n_statuses; i++)
			if (p->statuses[i].state.kind == CSTATE_TERMINATED &&
			    p->statuses[i].state.finished_at > fin)
				fin = p->statuses[i].state.finished_at;
		if (fin)
			add(&t, LC_STEP_FINISHED, NULL, fin, 0, true);
	}
	if (p->deleted)
		add(&t, LC_STEP_DELETED, NULL, p->deleted, 0, false);
	size_t n = t.n < max ? t.n : max;
	if (n > 1)
		qsort(out, n, sizeof(*out), cmp_step);
	return t.n;
}
