#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "podscope/lifecycle.h"
#include "podscope/podruns.h"

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
    [LC_STEP_FINISHED] = "finished", [LC_STEP_RUN] = "run",
    [LC_STEP_BACKOFF] = "back-off",
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
	const struct podruns *runs;
};

/* The step just added, or NULL when it did not fit. */
static struct lc_step *add(struct tl *t, enum lc_step_kind k, const char *container,
			   int64_t start, int64_t end, bool done)
{
	struct lc_step *s = NULL;
	if (t->n < t->max) {
		s = &t->out[t->n];
		*s = (struct lc_step){
		    .kind = (uint8_t)k,
		    .done = done,
		    .container = container ? container : "",
		    .start_ms = start,
		    .end_ms = end,
		    .reason = "",
		};
	}
	t->n++;
	return s;
}

static const struct container_status *status_of(const struct container_status *st, uint16_t n,
						const char *name)
{
	for (uint16_t i = 0; i < n; i++)
		if (str_eq(st[i].name, name))
			return &st[i];
	return NULL;
}

/* A pull: when the Pulling was, and the Pulled that ended it (0: none yet). */
struct pullv {
	int64_t start, end;
};

static size_t add_pullv(struct pullv *v, size_t n, size_t max, int64_t start, int64_t end)
{
	if (!start)
		return n;
	for (size_t i = 0; i < n; i++)
		if (v[i].start == start) {
			if (!v[i].end)
				v[i].end = end;
			return n;
		}
	if (n < max)
		v[n++] = (struct pullv){start, end};
	return n;
}

static int cmp_pullv(const void *a, const void *b)
{
	const struct pullv *x = a, *y = b;
	return x->start < y->start ? -1 : x->start > y->start;
}

/*
 * Each pull of the container's image as its own step. The kubelet's events
 * fold repeats into one with a count: from them alone the first pull
 * (firstTimestamp of Pulling and of Pulled) and the latest (their
 * lastTimestamp) are known; what a dashboard saw in between comes from h.
 */
static void pull_steps(struct tl *t, const struct lc_evset *es, const char *name,
		       const struct podruns_container *h)
{
	const struct event *pulling = lc_event_first(es, "Pulling", name, NULL);
	const struct event *latest = lc_event_find(es, "Pulling", name, NULL);
	const struct event *pulled1 = lc_event_first(es, "Pulled", name, NULL);
	const struct event *pulled = lc_event_find(es, "Pulled", name, NULL);
	struct pullv v[PODRUNS_MAX_PULLS + 2];
	size_t n = 0, max = sizeof(v) / sizeof(v[0]);
	if (pulling && latest && (latest->last > pulling->first || latest->count > 1)) {
		int64_t end1 = pulled1 && pulled1->first >= pulling->first ? pulled1->first : 0;
		n = add_pullv(v, n, max, pulling->first, end1);
		int64_t end2 = pulled && pulled->last >= latest->last ? pulled->last : 0;
		n = add_pullv(v, n, max, latest->last, end2);
	} else if (pulling) {
		n = add_pullv(v, n, max, pulling->first, pulled ? pulled->last : 0);
	}
	for (size_t i = 0; h && i < h->n_pulls; i++)
		n = add_pullv(v, n, max, h->pulls[i].start_ms, h->pulls[i].end_ms);
	if (n == 0 && pulled) {
		add(t, LC_STEP_PULL, name, pulled->first, pulled->first, true);
		return;
	}
	if (n > 1)
		qsort(v, n, sizeof(v[0]), cmp_pullv);
	for (size_t i = 0; i < n; i++)
		add(t, LC_STEP_PULL, name, v[i].start, v[i].end, v[i].end != 0);
}

/* An earlier instance of a container. */
struct runv {
	int64_t start, end;
	int32_t code, sig;
	const char *reason;
};

static size_t add_runv(struct runv *v, size_t n, size_t max, const struct runv *r)
{
	if (!r->start && !r->end)
		return n;
	for (size_t i = 0; i < n; i++)
		if (r->start ? v[i].start == r->start : (!v[i].start && v[i].end == r->end))
			return n;
	if (n < max)
		v[n++] = *r;
	return n;
}

static int cmp_runv(const void *a, const void *b)
{
	const struct runv *x = a, *y = b;
	int64_t xs = x->start ? x->start : x->end, ys = y->start ? y->start : y->end;
	return xs < ys ? -1 : xs > ys;
}

/*
 * The container's earlier instances, each a run step, with the back-off
 * wait after it: until the next instance started, or, for the latest, until
 * the current one started (cur_start), or still under way while the
 * container waits in CrashLoopBackOff. Returns how many there were.
 */
static size_t run_steps(struct tl *t, const char *name, const struct container_status *st,
			const struct podruns_container *h, int64_t cur_start)
{
	if (!st)
		return 0;
	struct runv v[PODRUNS_MAX_RUNS + 1];
	size_t n = 0, max = sizeof(v) / sizeof(v[0]);
	const struct container_state *last = model_last_terminated(st);
	if (last)
		n = add_runv(v, n, max,
			     &(struct runv){last->started_at, last->finished_at, last->exit_code,
					    last->signal, last->reason});
	for (size_t i = 0; h && i < h->n_runs; i++) {
		const struct podrun *r = &h->runs[i];
		n = add_runv(v, n, max,
			     &(struct runv){r->start_ms, r->end_ms, r->exit_code, r->signal,
					    r->reason});
	}
	/* The current instance is not an earlier one. */
	for (size_t i = 0; i < n; i++)
		if (cur_start && v[i].start == cur_start)
			v[i--] = v[--n];
	if (n > 1)
		qsort(v, n, sizeof(v[0]), cmp_runv);
	/* The latest earlier instance is number restartCount when it and the
	 * ones before it add up. */
	bool numbered = st->restart_count > 0 && (size_t)st->restart_count >= n;
	for (size_t i = 0; i < n; i++) {
		struct lc_step *s = add(t, LC_STEP_RUN, name, v[i].start, v[i].end, true);
		if (s) {
			s->exit_code = v[i].code;
			s->signal = v[i].sig;
			s->reason = v[i].reason ? v[i].reason : "";
			s->run = numbered ? (uint32_t)((size_t)st->restart_count - (n - 1 - i)) : 0;
		}
		int64_t next = i + 1 < n ? v[i + 1].start : cur_start;
		if (v[i].end && next > v[i].end)
			add(t, LC_STEP_BACKOFF, name, v[i].end, next, true);
		else if (v[i].end && i + 1 == n && !cur_start && st->state.kind == CSTATE_WAITING &&
			 str_eq(st->state.reason, "CrashLoopBackOff"))
			add(t, LC_STEP_BACKOFF, name, v[i].end, 0, false);
	}
	return n;
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
	const struct podruns_container *h = podruns_get(t->runs, p, spec->name);
	pull_steps(t, es, spec->name, h);
	bool current = st && (st->state.kind == CSTATE_RUNNING ||
			      st->state.kind == CSTATE_TERMINATED);
	int64_t cur_start = current ? st->state.started_at : 0;
	size_t earlier = run_steps(t, spec->name, st, h, cur_start);
	/* After a restart, the first Started event is an earlier instance's,
	 * drawn above: only a current instance gets a start of its own. */
	int64_t start = earlier || (st && st->restart_count > 0) ? cur_start
								: started_at(es, st, spec->name);
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
	return lifecycle_timeline_runs(p, events, n_events, NULL, out, max);
}

size_t lifecycle_timeline_runs(const struct pod *p, const struct event *const *events,
			       size_t n_events, const struct podruns *runs, struct lc_step *out,
			       size_t max)
{
	struct lc_evset es = {p, events, n_events};
	struct tl t = {out, max, 0, runs};
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
