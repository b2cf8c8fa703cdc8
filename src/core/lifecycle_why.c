#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "podscope/duration.h"
#include "podscope/lifecycle.h"

#include "lifecycle_int.h"

/* The lines of `podscope get`, `wait` and `watch`: what a stage means for
 * this pod, in words. */

void lc_addf(struct lc_out *o, const char *fmt, ...)
{
	if (o->len + 1 >= o->n)
		return;
	va_list ap;
	va_start(ap, fmt);
	int k = vsnprintf(o->buf + o->len, o->n - o->len, fmt, ap);
	va_end(ap);
	if (k > 0)
		o->len += (size_t)k < o->n - o->len ? (size_t)k : o->n - o->len - 1;
}

/* A message on one line, without the kubelet's trailing newline. */
static void add_msg(struct lc_out *o, const char *sep, const char *msg)
{
	if (lc_str_empty(msg))
		return;
	lc_addf(o, "%s", sep);
	for (const char *s = msg; *s && o->len + 1 < o->n; s++) {
		char ch = *s == '\n' || *s == '\r' || *s == '\t' ? ' ' : *s;
		if (ch == ' ' && (s[1] == '\0' || o->buf[o->len - 1] == ' '))
			continue;
		o->buf[o->len++] = ch;
	}
	o->buf[o->len] = '\0';
}

static void add_exit(struct lc_out *o, const struct lc_container *c)
{
	if (c->signal)
		lc_addf(o, "killed by signal %d", (int)c->signal);
	else
		lc_addf(o, "exited with code %d", (int)c->exit_code);
	if (!lc_str_empty(c->reason))
		lc_addf(o, " (%s)", c->reason);
}

static void add_probe(struct lc_out *o, const struct lc_container *c)
{
	if (c->probe == LC_PROBE_NONE)
		return;
	if (c->probe_failures > c->probe_threshold)
		lc_addf(o, "%s probe failed %d times, failureThreshold %d", lc_probe_name(c->probe),
			(int)c->probe_failures, (int)c->probe_threshold);
	else
		lc_addf(o, "%s probe %d/%d failures", lc_probe_name(c->probe),
			(int)c->probe_failures, (int)c->probe_threshold);
}

static const char *image_of(const struct pod *p, const struct lc_container *c)
{
	const struct container_spec *specs = c->init ? p->init_specs : p->specs;
	uint16_t n = c->init ? p->n_init_specs : p->n_specs;
	return c->index < n && specs[c->index].image ? specs[c->index].image : "";
}

void lifecycle_container_why(const struct pod *p, const struct lc_container *c, int64_t now_ms,
			     char *buf, size_t n)
{
	struct lc_out o = {buf, n, 0};
	if (n == 0)
		return;
	buf[0] = '\0';
	char d1[DURATION_BUF], d2[DURATION_BUF];
	switch (c->stage) {
	case LC_SCHEDULED:
		lc_addf(&o, c->image_pulled ? "image pulled, being created" : "being created");
		if (!lc_str_empty(c->reason))
			lc_addf(&o, " (%s)", c->reason);
		break;
	case LC_PULLING:
		lc_addf(&o, "pulling image %s", image_of(p, c));
		break;
	case LC_IMAGE_PULL_BACKOFF:
		lc_addf(&o, "cannot pull image %s: %s", image_of(p, c), c->reason);
		add_msg(&o, ": ", c->message);
		break;
	case LC_POST_START:
		lc_addf(&o, "started, postStart hook running");
		break;
	case LC_STARTING:
		lc_addf(&o, "running, startup probe not passed yet");
		if (c->probe_failures) {
			lc_addf(&o, " (");
			add_probe(&o, c);
			lc_addf(&o, ")");
			add_msg(&o, ": ", c->message);
		}
		break;
	case LC_WAITING_READY:
	case LC_NOT_READY:
		lc_addf(&o,
			c->stage == LC_NOT_READY ? "running, not ready" : "running, not ready yet");
		if (c->probe == LC_PROBE_READINESS && c->probe_failures) {
			lc_addf(&o, " (");
			add_probe(&o, c);
			lc_addf(&o, ")");
			add_msg(&o, ": ", c->message);
		}
		break;
	case LC_READY:
		lc_addf(&o, "ready");
		if (c->probe == LC_PROBE_LIVENESS && c->probe_failures) {
			lc_addf(&o, ", ");
			add_probe(&o, c);
		}
		break;
	case LC_RUNNING:
		lc_addf(&o, "running");
		break;
	case LC_COMPLETED:
		add_exit(&o, c);
		break;
	case LC_ERROR:
		if (c->waiting && !lc_str_empty(c->reason)) {
			lc_addf(&o, "cannot start: %s", c->reason);
			add_msg(&o, ": ", c->message);
			if (c->has_exit)
				lc_addf(&o, " (last exit code %d)", (int)c->exit_code);
			break;
		}
		add_exit(&o, c);
		add_msg(&o, ": ", c->message);
		break;
	case LC_CRASH_LOOP:
		if (c->has_exit)
			add_exit(&o, c);
		else
			lc_addf(&o, "crashed");
		if (c->probe != LC_PROBE_NONE)
			lc_addf(&o, " after failing its %s probe", lc_probe_name(c->probe));
		else if (c->post_start_failed)
			lc_addf(&o, " after its postStart hook failed");
		duration_go_string(c->backoff_ms * DURATION_NS_PER_MS, d1, sizeof(d1));
		lc_addf(&o, ", %d restarts, back-off %s", (int)c->restarts, d1);
		if (c->next_restart_ms > now_ms) {
			duration_human(c->next_restart_ms - now_ms, d2, sizeof(d2));
			lc_addf(&o, ", next restart in %s", d2);
		} else if (c->next_restart_ms) {
			lc_addf(&o, ", restart due now");
		}
		if (c->probe != LC_PROBE_NONE)
			add_msg(&o, ": ", c->message);
		else if (c->has_exit)
			add_msg(&o, ": ", c->message);
		break;
	default:
		lc_addf(&o, "%s", lc_stage_name(c->stage));
		break;
	}
}

void lifecycle_why(const struct pod *p, struct lc_pod *lp, int64_t now_ms)
{
	struct lc_out o = {lp->why, sizeof(lp->why), 0};
	lp->why[0] = '\0';
	const struct lc_container *c = lifecycle_decider(lp);
	char cw[256], d[DURATION_BUF];
	switch (lp->stage) {
	case LC_UNSCHEDULED: {
		const struct pod_condition *sc = model_pod_condition(p, "PodScheduled");
		if (sc && !lc_str_empty(model_cond_reason(sc))) {
			lc_addf(&o, "%s", model_cond_reason(sc));
			add_msg(&o, ": ", model_cond_message(sc));
		} else {
			lc_addf(&o, "waiting for the scheduler");
		}
		return;
	}
	case LC_TERMINATING:
		/* deletionTimestamp is when the grace period ends, not when it began. */
		if (p->deleted > now_ms) {
			duration_human(p->deleted - now_ms, d, sizeof(d));
			lc_addf(&o, "being deleted, grace period ends in %s", d);
		} else {
			duration_human(now_ms - p->deleted, d, sizeof(d));
			lc_addf(&o, "being deleted, grace period ended %s ago", d);
		}
		if (p->grace_period_s >= 0)
			lc_addf(&o, " (%ds)", (int)p->grace_period_s);
		if (!lc_str_empty(lp->reason))
			lc_addf(&o, " (%s)", lp->reason);
		return;
	case LC_EVICTED:
		lc_addf(&o, "Evicted");
		add_msg(&o, ": ", p->message);
		return;
	case LC_COMPLETED:
		if (!c) {
			lc_addf(&o, "every container exited 0");
			return;
		}
		break;
	case LC_ERROR:
		if (!c) {
			lc_addf(&o, "pod failed");
			if (!lc_str_empty(p->reason))
				lc_addf(&o, " (%s)", p->reason);
			add_msg(&o, ": ", p->message);
			return;
		}
		break;
	case LC_NOT_READY:
		if (!c) {
			const struct pod_condition *r = model_pod_condition(p, "Ready");
			lc_addf(&o, "not ready");
			if (r && !lc_str_empty(model_cond_reason(r)))
				lc_addf(&o, " (%s)", model_cond_reason(r));
			add_msg(&o, ": ", r ? model_cond_message(r) : NULL);
			return;
		}
		break;
	case LC_READY:
		lc_addf(&o, "every container ready");
		return;
	default:
		break;
	}
	if (!c) {
		lc_addf(&o, "%s", lc_stage_name(lp->stage));
		if (lp->stage == LC_SCHEDULED && !lc_str_empty(p->node_name))
			lc_addf(&o, " on %s", p->node_name);
		return;
	}
	lifecycle_container_why(p, c, now_ms, cw, sizeof(cw));
	if (c->init && !c->sidecar)
		lc_addf(&o, "init container %u/%u %s: %s", (unsigned)c->index + 1,
			(unsigned)lp->init_total, c->name, cw);
	else
		lc_addf(&o, "%s %s: %s", c->sidecar ? "sidecar" : "container", c->name, cw);
}
