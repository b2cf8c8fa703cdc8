#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "podscope/backoff.h"
#include "podscope/duration.h"
#include "podscope/lifecycle.h"
#include "podscope/xalloc.h"

#include "lifecycle_int.h"

static const char *const stage_names[LC_NSTAGES] = {
    [LC_UNKNOWN] = "unknown",
    [LC_UNSCHEDULED] = "unscheduled",
    [LC_SCHEDULED] = "scheduled",
    [LC_PULLING] = "pulling-image",
    [LC_INIT_RUNNING] = "init-running",
    [LC_INIT_WAITING] = "init-waiting",
    [LC_INIT_FAILED] = "init-failed",
    [LC_POST_START] = "post-start",
    [LC_STARTING] = "starting",
    [LC_WAITING_READY] = "waiting-for-readiness",
    [LC_READY] = "ready",
    [LC_NOT_READY] = "not-ready",
    [LC_TERMINATING] = "terminating",
    [LC_COMPLETED] = "completed",
    [LC_ERROR] = "error",
    [LC_CRASH_LOOP] = "crash-loop-backoff",
    [LC_IMAGE_PULL_BACKOFF] = "image-pull-backoff",
    [LC_EVICTED] = "evicted",
    [LC_RUNNING] = "running",
};

const char *lc_stage_name(enum lc_stage s)
{
	return (unsigned)s < LC_NSTAGES && stage_names[s] ? stage_names[s] : "unknown";
}

bool lc_stage_is_failure(enum lc_stage s)
{
	return s == LC_CRASH_LOOP || s == LC_IMAGE_PULL_BACKOFF || s == LC_ERROR ||
	       s == LC_INIT_FAILED || s == LC_EVICTED;
}

const char *lc_probe_name(enum lc_probe p)
{
	switch (p) {
	case LC_PROBE_STARTUP:
		return "startup";
	case LC_PROBE_READINESS:
		return "readiness";
	case LC_PROBE_LIVENESS:
		return "liveness";
	default:
		return "";
	}
}

static bool eq(const char *a, const char *b)
{
	return strcmp(a ? a : "", b) == 0;
}

int64_t lifecycle_backoff_delay(int32_t restarts, const char *waiting_msg)
{
	static const char pre[] = "back-off ";
	if (waiting_msg && strncmp(waiting_msg, pre, sizeof(pre) - 1) == 0) {
		char d[32];
		const char *s = waiting_msg + sizeof(pre) - 1;
		size_t n = strcspn(s, " ");
		if (n > 0 && n < sizeof(d)) {
			memcpy(d, s, n);
			d[n] = '\0';
			int64_t ns;
			struct perr err = {0};
			if (duration_parse(d, &ns, &err) == 0 && ns > 0)
				return ns / DURATION_NS_PER_MS;
			perr_clear(&err);
		}
	}
	/* Replay the kubelet's back-off entry over the restarts so far: every
	 * restart doubled it (no expiry: the crashes came quickly). */
	const struct backoff_policy pol = BACKOFF_POLICY_KUBELET;
	struct backoff_entry e = {0};
	for (int32_t i = 0; i < restarts && e.delay_ms < pol.max_ms; i++)
		backoff_next(&pol, &e, 0, 0);
	return e.delay_ms ? e.delay_ms : pol.initial_ms;
}

static const struct container_status *status_of(const struct container_status *st, uint16_t n,
						const char *name)
{
	for (uint16_t i = 0; i < n; i++)
		if (strcmp(st[i].name ? st[i].name : "", name ? name : "") == 0)
			return &st[i];
	return NULL;
}

/* A Pulling event for the container that no Pulled or Failed event answered. */
static bool pulling(const struct lc_evset *es, const char *name)
{
	const struct event *p = lc_event_find(es, "Pulling", name, NULL);
	if (!p)
		return false;
	const struct event *done = lc_event_find(es, "Pulled", name, NULL);
	if (done && done->last >= p->last)
		return false;
	done = lc_event_find(es, "Failed", name, NULL);
	return !(done && done->last >= p->last);
}

static bool pull_error(const char *r)
{
	return eq(r, "ImagePullBackOff") || eq(r, "ErrImagePull") || eq(r, "InvalidImageName") ||
	       eq(r, "ErrImageNeverPull") || eq(r, "RegistryUnavailable");
}

/* Unhealthy events of one probe since the container instance started. An
 * aggregated event that began before may count failures of an earlier
 * instance: those are capped at the threshold, which is what one instance
 * can have had before being restarted. */
static void probe_failures(const struct lc_evset *es, struct lc_container *c,
			   const struct probe *pr, enum lc_probe kind, int64_t since)
{
	static const char *const prefix[] = {
	    [LC_PROBE_STARTUP] = "Startup probe failed",
	    [LC_PROBE_READINESS] = "Readiness probe failed",
	    [LC_PROBE_LIVENESS] = "Liveness probe failed",
	};
	c->probe = (uint8_t)kind;
	c->probe_threshold = pr && pr->failure_threshold > 0 ? pr->failure_threshold : 3;
	c->probe_failures = 0;
	const struct event *e = lc_event_find(es, "Unhealthy", c->name, prefix[kind]);
	if (!e || (since && e->last < since))
		return;
	int32_t n = e->count > 0 ? e->count : 1;
	if (since && e->first < since && n > c->probe_threshold)
		n = c->probe_threshold;
	c->probe_failures = n;
	c->message = e->message;
}

/* A Killing event "... failed liveness probe, will be restarted" for the
 * instance that ended last: the probe is the root cause of the restart. */
static void probe_kill(const struct lc_evset *es, const struct container_spec *spec,
		       const struct container_status *st, struct lc_container *c)
{
	const struct event *k = lc_event_find(es, "Killing", c->name, NULL);
	if (!k || !k->message || !st || !model_last_terminated(st))
		return;
	if (st->last->started_at && k->last < st->last->started_at)
		return;
	enum lc_probe kind;
	const struct probe *pr;
	if (strstr(k->message, "failed liveness probe")) {
		kind = LC_PROBE_LIVENESS;
		pr = spec->liveness;
	} else if (strstr(k->message, "failed startup probe")) {
		kind = LC_PROBE_STARTUP;
		pr = spec->startup;
	} else {
		return;
	}
	const char *saved = c->message;
	probe_failures(es, c, pr, kind, 0);
	if (c->probe_failures > c->probe_threshold || c->probe_failures == 0)
		c->probe_failures = c->probe_threshold;
	if (!c->message)
		c->message = saved;
}

static void waiting_stage(const struct lc_evset *es, const struct container_spec *spec,
			  const struct container_status *st, int64_t now_ms, struct lc_container *c)
{
	const char *r = st->state.reason;
	(void)now_ms;
	if (spec->post_start) {
		const struct event *h = lc_event_find(es, "FailedPostStartHook", c->name, NULL);
		c->post_start_failed = h && !(model_last_terminated(st) &&
					      st->last->started_at && h->last < st->last->started_at);
	}
	if (eq(r, "CrashLoopBackOff")) {
		c->stage = LC_CRASH_LOOP;
		c->backoff_ms = lifecycle_backoff_delay(st->restart_count, st->state.message);
		if (model_last_terminated(st) && st->last->finished_at)
			c->next_restart_ms = st->last->finished_at + c->backoff_ms;
		if (!c->has_exit) {
			c->reason = r;
			c->message = st->state.message;
		}
		probe_kill(es, spec, st, c);
	} else if (pull_error(r)) {
		c->stage = LC_IMAGE_PULL_BACKOFF;
		c->reason = r;
		c->message = st->state.message;
	} else if (lc_str_empty(r) || eq(r, "ContainerCreating") || eq(r, "PodInitializing")) {
		c->image_pulled = lc_event_find(es, "Pulled", c->name, NULL) != NULL;
		if (pulling(es, c->name))
			c->stage = LC_PULLING;
		else if (spec->post_start && lc_event_find(es, "Started", c->name, NULL))
			c->stage = LC_POST_START;
		else
			c->stage = LC_SCHEDULED;
		if (!c->has_exit)
			c->reason = r;
	} else {
		/* CreateContainerConfigError, PostStartHookError, RunContainerError, ... */
		c->stage = LC_ERROR;
		c->reason = r;
		c->message = st->state.message;
		probe_kill(es, spec, st, c);
	}
}

static void running_stage(const struct lc_evset *es, const struct container_spec *spec,
			  const struct container_status *st, struct lc_container *c)
{
	int64_t since = st->state.started_at;
	if (c->init && !c->sidecar) {
		c->stage = LC_RUNNING;
	} else if (st->started == MODEL_FALSE && spec->startup) {
		c->stage = LC_STARTING;
		probe_failures(es, c, spec->startup, LC_PROBE_STARTUP, since);
	} else if (st->ready) {
		c->stage = LC_READY;
	} else if (spec->readiness) {
		probe_failures(es, c, spec->readiness, LC_PROBE_READINESS, since);
		c->stage =
		    c->probe_failures >= c->probe_threshold ? LC_NOT_READY : LC_WAITING_READY;
	} else {
		c->stage = LC_WAITING_READY;
	}
	if (c->probe == LC_PROBE_NONE && spec->liveness) {
		probe_failures(es, c, spec->liveness, LC_PROBE_LIVENESS, since);
		if (c->probe_failures == 0)
			c->probe = LC_PROBE_NONE;
	}
}

static void container_stage(const struct lc_evset *es, const struct container_spec *spec,
			    const struct container_status *st, int64_t now_ms,
			    struct lc_container *c)
{
	c->name = spec->name;
	c->sidecar = c->init && spec->restartable;
	if (st) {
		c->restarts = st->restart_count;
		if (model_last_terminated(st)) {
			c->has_exit = true;
			c->exit_code = st->last->exit_code;
			c->signal = st->last->signal;
			c->reason = st->last->reason;
			c->message = st->last->message;
		}
	}
	if (!st || st->state.kind == CSTATE_NONE) {
		c->stage = pulling(es, c->name) ? LC_PULLING : LC_SCHEDULED;
		return;
	}
	switch (st->state.kind) {
	case CSTATE_WAITING:
		c->waiting = true;
		waiting_stage(es, spec, st, now_ms, c);
		break;
	case CSTATE_RUNNING:
		running_stage(es, spec, st, c);
		break;
	default:
		c->has_exit = true;
		c->exit_code = st->state.exit_code;
		c->signal = st->state.signal;
		c->reason = st->state.reason;
		c->message = st->state.message;
		c->stage = c->exit_code == 0 && c->signal == 0 ? LC_COMPLETED : LC_ERROR;
		probe_kill(es, spec, st, c);
		break;
	}
}

/* Which container decides the pod's stage: the one furthest from serving. */
static int rank(enum lc_stage s)
{
	switch (s) {
	case LC_CRASH_LOOP:
		return 12;
	case LC_IMAGE_PULL_BACKOFF:
		return 11;
	case LC_ERROR:
		return 10;
	case LC_PULLING:
		return 9;
	case LC_SCHEDULED:
		return 8;
	case LC_POST_START:
		return 7;
	case LC_STARTING:
		return 6;
	case LC_NOT_READY:
		return 5;
	case LC_WAITING_READY:
		return 4;
	case LC_COMPLETED:
		return 2;
	default:
		return 0;
	}
}

static bool sidecar_started(const struct pod *p, const struct lc_container *c)
{
	const struct container_status *st =
	    status_of(p->init_statuses, p->n_init_statuses, c->name);
	if (!st || st->state.kind != CSTATE_RUNNING)
		return false;
	return st->started == MODEL_TRUE ||
	       (st->started == MODEL_UNSET && !p->init_specs[c->index].startup);
}

static void pod_stage(const struct pod *p, struct lc_pod *out)
{
	bool succeeded = eq(p->phase, "Succeeded"), failed = eq(p->phase, "Failed");
	if (p->deleted && !succeeded && !failed) {
		out->stage = LC_TERMINATING;
		out->reason = eq(p->reason, "NodeLost") ? p->reason : "";
		return;
	}
	if (eq(p->reason, "Evicted")) {
		out->stage = LC_EVICTED;
		out->reason = p->reason;
		return;
	}
	if (succeeded || failed) {
		out->stage = succeeded ? LC_COMPLETED : LC_ERROR;
		out->reason = p->reason;
		for (size_t i = 0; failed && i < out->n_containers; i++) {
			const struct lc_container *c = &out->containers[i];
			if (c->has_exit && (c->exit_code != 0 || c->signal != 0) &&
			    (out->decider < 0 || out->containers[out->decider].init)) {
				out->decider = (int)i;
				if (lc_str_empty(out->reason))
					out->reason = c->reason;
			}
		}
		return;
	}
	if (lc_str_empty(p->node_name)) {
		const struct pod_condition *c = model_pod_condition(p, "PodScheduled");
		if (!c || c->status != MODEL_COND_TRUE) {
			out->stage = LC_UNSCHEDULED;
			out->reason = c ? model_cond_reason(c) : "";
			return;
		}
	}
	const struct pod_condition *ini = model_pod_condition(p, "Initialized");
	if (!(ini && ini->status == MODEL_COND_TRUE)) {
		for (uint16_t i = 0; i < p->n_init_specs; i++) {
			const struct lc_container *c = &out->containers[i];
			if (c->sidecar ? sidecar_started(p, c) : c->stage == LC_COMPLETED)
				continue;
			out->init_index = (uint16_t)(i + 1);
			out->decider = i;
			out->reason = c->reason;
			switch (c->stage) {
			case LC_RUNNING:
			case LC_READY:
			case LC_STARTING:
			case LC_WAITING_READY:
			case LC_NOT_READY:
				out->stage = LC_INIT_RUNNING;
				break;
			case LC_CRASH_LOOP:
			case LC_ERROR:
				out->stage = LC_INIT_FAILED;
				break;
			default:
				out->stage = LC_INIT_WAITING;
				break;
			}
			return;
		}
	}
	/* Regular containers and sidecars: the one furthest from serving decides. */
	int best = -1;
	bool any_ready = false;
	for (size_t i = 0; i < out->n_containers; i++) {
		const struct lc_container *c = &out->containers[i];
		if (c->init && !c->sidecar)
			continue;
		any_ready |= c->stage == LC_READY;
		if (best < 0 || rank(c->stage) > rank(out->containers[best].stage))
			best = (int)i;
	}
	if (best < 0) {
		out->stage = LC_SCHEDULED;
		return;
	}
	const struct lc_container *b = &out->containers[best];
	out->decider = best;
	out->reason = b->reason;
	out->stage = b->stage;
	if (b->stage == LC_READY || (b->stage == LC_COMPLETED && any_ready)) {
		const struct pod_condition *r = model_pod_condition(p, "Ready");
		if (r && r->status != MODEL_COND_TRUE) {
			out->stage = LC_NOT_READY;
			out->reason = model_cond_reason(r);
			out->decider = -1;
		} else {
			out->stage = LC_READY;
			out->reason = "";
		}
	}
}

void lifecycle_pod(const struct pod *p, const struct event *const *events, size_t n_events,
		   int64_t now_ms, struct lc_pod *out)
{
	memset(out, 0, sizeof(*out));
	out->decider = -1;
	out->reason = "";
	out->init_total = p->n_init_specs;
	struct lc_evset es = {p, events, n_events};
	size_t n = (size_t)p->n_init_specs + p->n_specs;
	out->containers = xcalloc(n ? n : 1, sizeof(*out->containers));
	out->n_containers = n;
	for (uint16_t i = 0; i < p->n_init_specs; i++) {
		struct lc_container *c = &out->containers[i];
		c->init = true;
		c->index = i;
		const struct container_spec *s = &p->init_specs[i];
		container_stage(&es, s, status_of(p->init_statuses, p->n_init_statuses, s->name),
				now_ms, c);
	}
	for (uint16_t i = 0; i < p->n_specs; i++) {
		struct lc_container *c = &out->containers[p->n_init_specs + i];
		c->index = i;
		const struct container_spec *s = &p->specs[i];
		container_stage(&es, s, status_of(p->statuses, p->n_statuses, s->name), now_ms, c);
	}
	pod_stage(p, out);
	if (!out->reason)
		out->reason = "";
	lifecycle_why(p, out, now_ms);
}

void lifecycle_pod_free(struct lc_pod *lp)
{
	free(lp->containers);
	lp->containers = NULL;
	lp->n_containers = 0;
}

const struct lc_container *lifecycle_decider(const struct lc_pod *lp)
{
	if (lp->decider < 0 || (size_t)lp->decider >= lp->n_containers)
		return NULL;
	return &lp->containers[lp->decider];
}

static bool container_stuck(const struct lc_container *c)
{
	switch (c->stage) {
	case LC_CRASH_LOOP:
		return true;
	case LC_IMAGE_PULL_BACKOFF:
		return !eq(c->reason, "ErrImagePull");
	case LC_ERROR:
		return c->waiting;
	case LC_NOT_READY:
		return c->probe == LC_PROBE_READINESS &&
		       c->probe_failures >= 2 * (c->probe_threshold > 0 ? c->probe_threshold : 3);
	default:
		return false;
	}
}

bool lifecycle_pod_stuck(const struct lc_pod *lp, const struct lc_container **which)
{
	const struct lc_container *w = NULL;
	bool stuck = false;
	if (lp->stage == LC_EVICTED || (lp->stage == LC_ERROR && !lifecycle_decider(lp))) {
		stuck = true;
	} else if (lp->stage != LC_TERMINATING && lp->stage != LC_COMPLETED) {
		const struct lc_container *d = lifecycle_decider(lp);
		if (d && container_stuck(d)) {
			w = d;
		} else {
			for (size_t i = 0; !w && i < lp->n_containers; i++)
				if (container_stuck(&lp->containers[i]))
					w = &lp->containers[i];
		}
		stuck = w != NULL;
	}
	if (which)
		*which = w;
	return stuck;
}
