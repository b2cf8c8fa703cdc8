#include "config.h"

#include <stdio.h>
#include <string.h>

#include "podscope/duration.h"
#include "podscope/why.h"

#include "lifecycle_int.h"

/*
 * The one thing that blocks a rollout. Every new pod is classed by what
 * holds it (lifecycle.c's stages), the classes are counted, and the first
 * class present in this order wins (enum why_cause):
 *
 *  1. paused: a person stopped the rollout; nothing else moves until they
 *     resume it, whatever the pods do.
 *  2. creation failed (ReplicaFailure, FailedCreate: a quota, an admission
 *     webhook): the controller cannot make the pods at all, so what the
 *     pods that do exist are doing is secondary.
 *  3. eviction refused by a PodDisruptionBudget: an outside blocker that no
 *     pod can fix.
 *  4. image pull, 5. container config, 6. crash loop, 7. init container
 *     failing: the new template itself is wrong; these never get better by
 *     themselves, and the spec must change. Ordered by how early in a pod's
 *     life they strike (an image that cannot be pulled hides every later
 *     problem).
 *  8. unschedulable: the cluster is full or the pod asks for a node that
 *     does not exist; this can clear on its own (autoscaler, other pods
 *     leaving), so it comes after the template's own faults.
 *  9. readiness failing beyond its threshold, 10. pods evicted or failed:
 *     the pods run; they may be slow rather than broken.
 * 11. the progress deadline exceeded with none of the above: the symptom,
 *     said last because it names no cause.
 * 12. init containers still running or waiting (a dependency that is not
 *     there yet): informative, not a failure.
 */

static const char *const names[WHY_NCAUSES] = {
    [WHY_NONE] = "",
    [WHY_PAUSED] = "paused",
    [WHY_CREATE_FAILED] = "create-failed",
    [WHY_EVICTION] = "eviction-blocked",
    [WHY_IMAGE] = "image",
    [WHY_CONFIG] = "config",
    [WHY_CRASH] = "crash-loop",
    [WHY_INIT_FAILED] = "init-failed",
    [WHY_UNSCHEDULABLE] = "unschedulable",
    [WHY_PROBE] = "not-ready",
    [WHY_POD_FAILED] = "pod-failed",
    [WHY_DEADLINE] = "progress-deadline",
    [WHY_INIT_WAITING] = "init-waiting",
};

const char *why_cause_name(enum why_cause c)
{
	return c < WHY_NCAUSES ? names[c] : "";
}

static bool eq(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

static bool empty(const char *s)
{
	return !s || !*s;
}

/* A message on one line: whitespace runs folded to one space, at most
 * max bytes of it, without the trailing "." the API likes. */
static void add_msg(struct lc_out *o, const char *sep, const char *msg, size_t max)
{
	if (empty(msg))
		return;
	while (*msg == ' ' || *msg == '\n' || *msg == '\t' || *msg == '\r')
		msg++;
	size_t len = strlen(msg);
	while (len && (msg[len - 1] == '.' || msg[len - 1] == ' ' || msg[len - 1] == '\n'))
		len--;
	if (!len)
		return;
	lc_addf(o, "%s", sep);
	size_t start = o->len;
	for (size_t i = 0; i < len && o->len + 1 < o->n && o->len - start < max; i++) {
		char ch = msg[i] == '\n' || msg[i] == '\r' || msg[i] == '\t' ? ' ' : msg[i];
		if (ch == ' ' && o->len > start && o->buf[o->len - 1] == ' ')
			continue;
		o->buf[o->len++] = ch;
	}
	if (len > max && o->len + 4 < o->n)
		lc_addf(o, "...");
	o->buf[o->len] = '\0';
}

/* The part of an error after its last ": " (the registry's "not found"). */
static const char *tail(const char *msg)
{
	const char *t = NULL;
	for (const char *s = msg; s && (s = strstr(s, ": ")); s += 2)
		t = s + 2;
	return t && *t ? t : msg;
}

/* "Error creating: pods "x" is forbidden: exceeded quota: ..." -> "exceeded quota: ..." */
static const char *create_msg(const char *msg)
{
	if (!msg)
		return "";
	const char *f = strstr(msg, "is forbidden: ");
	if (f)
		return f + strlen("is forbidden: ");
	if (strncmp(msg, "Error creating: ", 16) == 0)
		return msg + 16;
	return msg;
}

/* The scheduler's FitError without its preemption part. */
static void add_sched(struct lc_out *o, const char *msg)
{
	if (empty(msg))
		return;
	const char *p = strstr(msg, ". preemption:");
	char cut[WHY_MSG + 1];
	if (p) {
		size_t n = (size_t)(p - msg) < WHY_MSG ? (size_t)(p - msg) : WHY_MSG;
		memcpy(cut, msg, n);
		cut[n] = '\0';
		msg = cut;
	}
	add_msg(o, ": ", msg, WHY_MSG);
}

/* The newest Warning event of a pod with reason (and message prefix). */
static const struct event *pod_event(const struct why_pod *wp, const char *reason,
				     const char *prefix)
{
	const struct event *best = NULL;
	for (size_t i = 0; i < wp->n_events; i++) {
		const struct event *e = wp->events[i];
		if (!e->warning || !eq(e->reason, reason))
			continue;
		if (prefix && (!e->message || strncmp(e->message, prefix, strlen(prefix)) != 0))
			continue;
		if (!best || e->last >= best->last)
			best = e;
	}
	return best;
}

static bool unschedulable(const struct pod *p, const struct lc_pod *lc)
{
	if (lc->stage != LC_UNSCHEDULED)
		return false;
	const struct pod_condition *sc = model_pod_condition(p, "PodScheduled");
	return (sc && eq(model_cond_reason(sc), "Unschedulable")) ||
	       eq(lc->reason, "Unschedulable");
}

/* Still in an init container (running, or waiting to start it), not failing. */
static bool in_init(const struct lc_pod *lc)
{
	return lc->stage == LC_INIT_RUNNING || lc->stage == LC_INIT_WAITING;
}

/* The readiness probe has failed its failureThreshold times: the kubelet
 * holds the pod unready. lifecycle_pod_stuck waits for twice that before it
 * calls the pod stuck (the overview's badge); --fail-fast counts it now, as
 * its settle time is the confirmation, so that a rollout with a short
 * progress deadline (the seed's 60 s, readiness every 10 s) fails before it. */
static const struct lc_container *readiness_failed(const struct lc_pod *lc)
{
	const struct lc_container *c = lifecycle_decider(lc);
	return c && c->stage == LC_NOT_READY && c->probe == LC_PROBE_READINESS ? c : NULL;
}

bool why_pod_settles(const struct pod *p, const struct lc_pod *lc)
{
	return lifecycle_pod_stuck(lc, NULL) || unschedulable(p, lc) || in_init(lc) ||
	       readiness_failed(lc);
}

bool why_blocked(const struct why *w)
{
	return (w->cause == WHY_CREATE_FAILED || w->cause == WHY_EVICTION) &&
	       (int64_t)w->settling + w->ready >= w->new_pods;
}

bool why_pod_retrying(const struct lc_pod *lc)
{
	const struct lc_container *c = lifecycle_decider(lc);
	if (!c || lc->stage == LC_READY || lc->stage == LC_TERMINATING)
		return false;
	if (c->stage == LC_IMAGE_PULL_BACKOFF || c->stage == LC_PULLING)
		return true;
	return c->restarts > 0 && c->has_exit && (c->exit_code != 0 || c->signal != 0);
}

/* What holds one pod, and the container it is about (NULL: the pod). */
static enum why_cause classify(const struct why_pod *wp, const struct lc_container **which)
{
	const struct lc_pod *lc = wp->lc;
	const struct lc_container *c = NULL;
	*which = NULL;
	if (unschedulable(wp->pod, lc) ||
	    (lc->stage == LC_UNSCHEDULED && pod_event(wp, "FailedScheduling", NULL)))
		return WHY_UNSCHEDULABLE;
	if (lifecycle_pod_stuck(lc, &c)) {
		*which = c;
		if (!c)
			return WHY_POD_FAILED;
		bool init = c->init && !c->sidecar;
		switch (c->stage) {
		case LC_IMAGE_PULL_BACKOFF:
			return WHY_IMAGE;
		case LC_ERROR:
			return c->waiting ? WHY_CONFIG : init ? WHY_INIT_FAILED : WHY_CRASH;
		case LC_CRASH_LOOP:
			return init ? WHY_INIT_FAILED : WHY_CRASH;
		case LC_NOT_READY:
			return WHY_PROBE;
		default:
			return WHY_POD_FAILED;
		}
	}
	if ((c = readiness_failed(lc))) {
		*which = c;
		return WHY_PROBE;
	}
	/* ErrImagePull before its back-off: not stuck yet, but the cause. */
	c = lifecycle_decider(lc);
	if (c && c->stage == LC_IMAGE_PULL_BACKOFF) {
		*which = c;
		return WHY_IMAGE;
	}
	if (in_init(lc)) {
		*which = c;
		return WHY_INIT_WAITING;
	}
	return WHY_NONE;
}

static const char *image_of(const struct pod *p, const struct lc_container *c)
{
	const struct container_spec *specs = c->init ? p->init_specs : p->specs;
	uint16_t n = c->init ? p->n_init_specs : p->n_specs;
	return c->index < n && specs[c->index].image ? specs[c->index].image : "";
}

static void add_exit(struct lc_out *o, const struct lc_container *c)
{
	if (!c->has_exit)
		return;
	if (c->signal)
		lc_addf(o, " (signal %d)", (int)c->signal);
	else
		lc_addf(o, " (exit %d)", (int)c->exit_code);
}

/* The container's last log line, when the hook knows it. */
static void add_log(struct lc_out *o, const struct why_in *in, const struct pod *p,
		    const struct lc_container *c)
{
	char last[WHY_MSG];
	if (in->last_log && c->name && in->last_log(in->log_ud, p, c->name, last, sizeof(last)))
		add_msg(o, ", last log line: ", last, WHY_LOG);
}

/* "waiting in init container wait-db (running 1m), last log line: ..." */
static void init_line(struct lc_out *o, const struct why_pod *wp, const struct lc_container *c,
		      const struct why_in *in, int64_t now_ms)
{
	const struct pod *p = wp->pod;
	lc_addf(o, "waiting in init container %s", c->name ? c->name : "");
	const struct container_status *cs = NULL;
	for (uint16_t i = 0; c->name && i < p->n_init_statuses; i++)
		if (eq(p->init_statuses[i].name, c->name))
			cs = &p->init_statuses[i];
	if (cs && cs->state.kind == CSTATE_RUNNING && cs->state.started_at > 0 &&
	    now_ms >= cs->state.started_at) {
		char d[32];
		duration_human(now_ms - cs->state.started_at, d, sizeof(d));
		lc_addf(o, " (running %s)", d);
	} else if (c->stage == LC_INIT_WAITING || c->waiting) {
		lc_addf(o, " (waiting%s%s)", !empty(c->reason) ? ": " : "",
			!empty(c->reason) ? c->reason : "");
	} else {
		lc_addf(o, " (running)");
	}
	add_log(o, in, p, c);
}

/* The pod-level line: "3 new pods ImagePullBackOff: nginx:1.99: not found". */
static void pod_line(struct lc_out *o, enum why_cause cause, int count, const struct why_pod *wp,
		     const struct lc_container *c, const struct why_in *in, int64_t now_ms)
{
	const struct pod *p = wp->pod;
	lc_addf(o, "%d %s%s ", count, in->pod_word ? in->pod_word : "new pod",
		count == 1 ? "" : "s");
	switch (cause) {
	case WHY_UNSCHEDULABLE: {
		lc_addf(o, "Pending");
		const struct pod_condition *sc = model_pod_condition(p, "PodScheduled");
		const char *msg = sc ? model_cond_message(sc) : NULL;
		const struct event *e = pod_event(wp, "FailedScheduling", NULL);
		add_sched(o, !empty(msg) ? msg : e ? e->message : NULL);
		break;
	}
	case WHY_IMAGE: {
		lc_addf(o, "%s", !empty(c->reason) ? c->reason : "ImagePullBackOff");
		add_msg(o, ": ", image_of(p, c), WHY_MSG);
		const char *err = c->message;
		if (empty(err) || strncmp(err, "Back-off pulling image", 22) == 0) {
			const struct event *e = pod_event(wp, "Failed", "Failed to pull image");
			err = e ? e->message : NULL;
		}
		if (!empty(err))
			add_msg(o, ": ", tail(err), WHY_MSG);
		break;
	}
	case WHY_CONFIG:
		lc_addf(o, "%s", !empty(c->reason) ? c->reason : "CreateContainerError");
		add_msg(o, ": ", c->message, WHY_MSG);
		break;
	case WHY_CRASH:
	case WHY_INIT_FAILED: {
		if (cause == WHY_INIT_FAILED)
			lc_addf(o, "init container %s ", c->name ? c->name : "");
		lc_addf(o, "%s",
			c->stage == LC_CRASH_LOOP ? "CrashLoopBackOff"
			: !empty(c->reason)       ? c->reason
						  : "Error");
		add_exit(o, c);
		add_log(o, in, p, c);
		break;
	}
	case WHY_PROBE:
		lc_addf(o, "not ready");
		add_msg(o, ": ", c->message, WHY_MSG);
		break;
	case WHY_INIT_WAITING:
		if (!c) {
			lc_addf(o, "Init:%u/%u", (unsigned)wp->lc->init_index - 1,
				(unsigned)wp->lc->init_total);
			break;
		}
		init_line(o, wp, c, in, now_ms);
		break;
	default:
		add_msg(o, "", wp->lc->why, WHY_MSG);
		break;
	}
}

/* The newest Warning event among the workload's with reason, or whose
 * message mentions a disruption budget when reason is NULL: then only one
 * from the last WHY_EVICT_FRESH_MS before now_ms (0: any), since a drain
 * that is refused tries again and again, and one refused long ago is over. */
static const struct event *obj_event(const struct why_in *in, const char *reason,
				     int64_t now_ms)
{
	const struct event *best = NULL;
	for (size_t i = 0; i < in->n_events; i++) {
		const struct event *e = in->events[i];
		if (!e->warning)
			continue;
		if (reason ? !eq(e->reason, reason)
			   : !(e->message && (strstr(e->message, "disruption budget") ||
					      strstr(e->message, "DisruptionBudget"))))
			continue;
		if (!reason && now_ms > 0 && e->last > 0 && e->last + WHY_EVICT_FRESH_MS < now_ms)
			continue;
		if (!best || e->last >= best->last)
			best = e;
	}
	return best;
}

/*
 * "eviction blocked by PodDisruptionBudget web-pdb (0 disruptions allowed)"
 * from the eviction API's 429 (upstream's eviction.go): "... The disruption
 * budget NAME needs N healthy pods and has M currently" is said only when
 * the budget allows 0 disruptions. Any other wording is quoted as it is.
 */
static void pdb_line(struct lc_out *o, const char *msg)
{
	static const char the[] = "The disruption budget ";
	const char *b = msg ? strstr(msg, the) : NULL;
	size_t n = 0;
	if (b) {
		b += strlen(the);
		while (b[n] && b[n] != ' ' && n < 253)
			n++;
	}
	if (!n) {
		lc_addf(o, "eviction blocked");
		add_msg(o, ": ", msg, WHY_MSG);
		return;
	}
	lc_addf(o, "eviction blocked by PodDisruptionBudget %.*s", (int)n, b);
	if (strncmp(b + n, " needs ", 7) == 0)
		lc_addf(o, " (0 disruptions allowed)");
	else if (strncmp(b + n, " is still being processed", 25) == 0)
		lc_addf(o, " (still being processed by the server)");
}

void why_compute(const struct why_in *in, int64_t now_ms, struct why *out)
{
	struct lc_out o = {out->line, sizeof(out->line), 0};
	memset(out, 0, sizeof(*out));
	int count[WHY_NCAUSES] = {0};
	const struct why_pod *first[WHY_NCAUSES] = {0};
	const struct lc_container *which[WHY_NCAUSES] = {0};
	out->new_pods = (int32_t)(in->n_pods < INT32_MAX ? in->n_pods : INT32_MAX);
	for (size_t i = 0; i < in->n_pods; i++) {
		const struct why_pod *wp = &in->pods[i];
		const struct lc_container *c;
		enum why_cause k = classify(wp, &c);
		if (why_pod_settles(wp->pod, wp->lc))
			out->settling++;
		else if (wp->lc->stage == LC_READY)
			out->ready++;
		if (k == WHY_NONE)
			continue;
		if (!count[k]++) {
			first[k] = wp;
			which[k] = c;
		}
	}
	const struct deploy_condition *rf = NULL;
	for (size_t i = 0; i < in->n_conds; i++)
		if (eq(in->conds[i].type, "ReplicaFailure") &&
		    in->conds[i].status == MODEL_COND_TRUE)
			rf = &in->conds[i];
	const struct event *fc = rf ? NULL : obj_event(in, "FailedCreate", now_ms);
	const struct event *pdb = obj_event(in, NULL, now_ms);
	/* An eviction refused is also reported on the pod it was for. */
	for (size_t i = 0; !pdb && i < in->n_pods; i++) {
		struct why_in one = {.events = in->pods[i].events,
				     .n_events = in->pods[i].n_events};
		pdb = obj_event(&one, NULL, now_ms);
	}

	if (in->paused) {
		out->cause = WHY_PAUSED;
		lc_addf(&o, "%s", in->paused_word ? in->paused_word : "paused");
	} else if (rf || fc) {
		out->cause = WHY_CREATE_FAILED;
		lc_addf(&o, "%s %s %s", in->owner_word ? in->owner_word : "",
			in->owner_name ? in->owner_name : "",
			rf ? (!empty(rf->reason) ? rf->reason : "ReplicaFailure") : "FailedCreate");
		add_msg(&o, ": ", create_msg(rf ? rf->message : fc->message), WHY_MSG);
	} else if (pdb) {
		out->cause = WHY_EVICTION;
		pdb_line(&o, pdb->message);
	} else {
		for (int k = WHY_IMAGE; k <= WHY_POD_FAILED; k++) {
			if (!count[k])
				continue;
			out->cause = (uint8_t)k;
			out->pods = count[k];
			pod_line(&o, (enum why_cause)k, count[k], first[k], which[k], in, now_ms);
			return;
		}
		if (in->deadline) {
			out->cause = WHY_DEADLINE;
			lc_addf(&o, "progress deadline exceeded");
		} else if (count[WHY_INIT_WAITING]) {
			out->cause = WHY_INIT_WAITING;
			out->pods = count[WHY_INIT_WAITING];
			pod_line(&o, WHY_INIT_WAITING, count[WHY_INIT_WAITING],
				 first[WHY_INIT_WAITING], which[WHY_INIT_WAITING], in, now_ms);
		}
	}
}
