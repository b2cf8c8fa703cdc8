#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "podscope/pod_status.h"
#include "podscope/store.h"
#include "stage.h"

enum glyph uistage_glyph(enum lc_stage st)
{
	switch (st) {
	case LC_PULLING:
		return GLYPH_PULLING;
	case LC_INIT_RUNNING:
	case LC_INIT_WAITING:
		return GLYPH_INIT;
	case LC_POST_START:
		return GLYPH_STARTING;
	case LC_STARTING:
	case LC_WAITING_READY:
	case LC_NOT_READY:
		return GLYPH_PROBING;
	case LC_READY:
	case LC_RUNNING:
		return GLYPH_READY;
	case LC_TERMINATING:
		return GLYPH_TERMINATING;
	case LC_COMPLETED:
		return GLYPH_DONE;
	case LC_ERROR:
	case LC_EVICTED:
		return GLYPH_FAILED;
	case LC_INIT_FAILED:
	case LC_CRASH_LOOP:
	case LC_IMAGE_PULL_BACKOFF:
		return GLYPH_CRASH;
	default:
		return GLYPH_PENDING;
	}
}

enum theme_role uistage_role(enum lc_stage st)
{
	switch (st) {
	case LC_PULLING:
		return ROLE_POD_PULLING;
	case LC_INIT_RUNNING:
	case LC_INIT_WAITING:
		return ROLE_POD_INIT;
	case LC_POST_START:
		return ROLE_POD_STARTING;
	case LC_STARTING:
	case LC_WAITING_READY:
	case LC_NOT_READY:
		return ROLE_POD_PROBING;
	case LC_READY:
	case LC_RUNNING:
		return ROLE_POD_READY;
	case LC_TERMINATING:
		return ROLE_POD_TERMINATING;
	case LC_COMPLETED:
		return ROLE_POD_DONE;
	case LC_ERROR:
	case LC_EVICTED:
		return ROLE_POD_FAILED;
	case LC_INIT_FAILED:
	case LC_CRASH_LOOP:
	case LC_IMAGE_PULL_BACKOFF:
		return ROLE_POD_CRASH;
	default:
		return ROLE_POD_PENDING;
	}
}

static bool moving(enum lc_stage st)
{
	switch (st) {
	case LC_SCHEDULED:
	case LC_PULLING:
	case LC_INIT_RUNNING:
	case LC_INIT_WAITING:
	case LC_POST_START:
	case LC_STARTING:
	case LC_WAITING_READY:
	case LC_TERMINATING:
	case LC_CRASH_LOOP:
		return true;
	default:
		return false;
	}
}

/* When lifecycle cannot tell: the stage from kubectl's STATUS column. */
static enum lc_stage stage_from_row(const struct pod *p, const struct pod_row *row)
{
	const char *st = row->status;
	if (p->deleted)
		return LC_TERMINATING;
	if (strcmp(st, "Completed") == 0)
		return LC_COMPLETED;
	if (strstr(st, "CrashLoopBackOff"))
		return strncmp(st, "Init:", 5) == 0 ? LC_INIT_FAILED : LC_CRASH_LOOP;
	if (strstr(st, "ImagePull") || strstr(st, "ErrImage"))
		return LC_IMAGE_PULL_BACKOFF;
	if (strcmp(st, "Running") == 0)
		return row->total > 0 && row->ready_count == row->total ? LC_READY
									: LC_WAITING_READY;
	if (strcmp(st, "Pending") == 0)
		return p->node_name && *p->node_name ? LC_SCHEDULED : LC_UNSCHEDULED;
	return LC_UNKNOWN;
}

/* The pod's events from the store (lifecycle reads Pulling, Unhealthy, ...). */
static size_t pod_events(const struct store *s, const struct pod *p, const struct event **out,
			 size_t max)
{
	struct store_iter it;
	store_iter_children(&it, s, STORE_EVENTS, p->uid);
	size_t n = 0;
	const struct event *e;
	while ((e = store_iter_next(&it)) && n < max)
		out[n++] = e;
	return n;
}

/* A short label for a tile: what the pod does now, with its numbers. */
static void label(const struct lc_pod *lp, const struct lc_container *c, const char *status,
		  int64_t now_ms, struct uistage *out)
{
	char *l = out->label;
	size_t n = sizeof(out->label);
	switch ((enum lc_stage)lp->stage) {
	case LC_UNSCHEDULED:
		snprintf(l, n, "pending");
		break;
	case LC_SCHEDULED:
		snprintf(l, n, "creating");
		break;
	case LC_PULLING:
		snprintf(l, n, "pulling");
		break;
	case LC_INIT_RUNNING:
	case LC_INIT_WAITING:
		snprintf(l, n, "init %u/%u", lp->init_index, lp->init_total);
		break;
	case LC_INIT_FAILED:
		snprintf(l, n, "init %u/%u failed", lp->init_index, lp->init_total);
		break;
	case LC_POST_START:
		snprintf(l, n, "postStart");
		break;
	case LC_STARTING:
		if (c && c->probe_failures > 0)
			snprintf(l, n, "startup %d/%d", c->probe_failures, c->probe_threshold);
		else
			snprintf(l, n, "starting");
		break;
	case LC_WAITING_READY:
	case LC_NOT_READY:
		if (c && c->probe_failures > 0)
			snprintf(l, n, "probe fail %d/%d", c->probe_failures, c->probe_threshold);
		else
			snprintf(l, n, "probing");
		break;
	case LC_READY:
		snprintf(l, n, "ready");
		break;
	case LC_RUNNING:
		snprintf(l, n, "running");
		break;
	case LC_TERMINATING:
		snprintf(l, n, "terminating");
		break;
	case LC_COMPLETED:
		snprintf(l, n, "completed");
		break;
	case LC_EVICTED:
		snprintf(l, n, "evicted");
		break;
	case LC_ERROR:
		snprintf(l, n, "%.40s", lp->reason && *lp->reason ? lp->reason : "error");
		break;
	case LC_IMAGE_PULL_BACKOFF:
		snprintf(l, n, "%.40s",
			 c && c->reason && *c->reason ? c->reason : "ImagePullBackOff");
		break;
	case LC_CRASH_LOOP:
		if (c && c->next_restart_ms > now_ms) {
			int64_t left = c->next_restart_ms - now_ms;
			snprintf(l, n, "CrashLoop %llds", (long long)(left / 1000));
			/* The label changes when the shown second does. */
			out->next_ms = now_ms + (left % 1000 ? left % 1000 : 1000);
		} else {
			snprintf(l, n, "CrashLoop");
		}
		break;
	default:
		snprintf(l, n, "%.47s", status);
		break;
	}
}

/*
 * A terminating pod fades out over its grace period: deletionTimestamp is
 * when the grace period ends, so the time left against the period says how
 * far it has gone.
 */
static void fade(const struct pod *p, int64_t now_ms, struct uistage *out)
{
	int64_t left = p->deleted - now_ms;
	int64_t grace = p->grace_period_s > 0 ? (int64_t)p->grace_period_s * 1000 : 30000;
	if (left <= 0) {
		snprintf(out->label, sizeof(out->label), "terminating");
		return;
	}
	int64_t part = left * 4 / grace;
	out->glyph = part >= 3   ? GLYPH_FADE1
		     : part == 2 ? GLYPH_FADE2
		     : part == 1 ? GLYPH_FADE3
				 : GLYPH_TERMINATING;
	snprintf(out->label, sizeof(out->label), "terminating %llds", (long long)(left / 1000));
	int64_t rem = left % 1000;
	out->next_ms = now_ms + (rem ? rem : 1000);
}

void uistage_pod(const struct store *s, const struct pod *p, int64_t now_ms, struct uistage *out)
{
	memset(out, 0, sizeof(*out));
	const struct event *events[256];
	size_t ne = pod_events(s, p, events, 256);
	struct lc_pod lp;
	lifecycle_pod(p, events, ne, now_ms, &lp);
	struct pod_row row;
	pod_status_row(p, now_ms, &row);
	enum lc_stage st = (enum lc_stage)lp.stage;
	if (st == LC_UNKNOWN)
		st = stage_from_row(p, &row);
	lp.stage = (uint8_t)st;
	out->stage = st;
	out->glyph = uistage_glyph(st);
	out->role = uistage_role(st);
	out->moving = moving(st);
	out->trouble = lc_stage_is_failure(st);
	label(&lp, lifecycle_decider(&lp), row.status, now_ms, out);
	if (st == LC_TERMINATING)
		fade(p, now_ms, out);
	snprintf(out->why, sizeof(out->why), "%.159s", lp.why[0] ? lp.why : row.status);
	/* A countdown is the label's last word. */
	const char *sp = out->next_ms ? strrchr(out->label, ' ') : NULL;
	out->base = (uint8_t)(sp ? (size_t)(sp - out->label) : strlen(out->label));
	lifecycle_pod_free(&lp);
}
