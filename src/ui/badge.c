#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "podscope/generations.h"
#include "podscope/rollout.h"
#include "podscope/store.h"
#include "badge.h"
#include "stage.h"

long uigens_revision(const struct replicaset *rs)
{
	return rs->revision ? strtol(rs->revision, NULL, 10) : 0;
}

static int by_revision(const void *a, const void *b)
{
	const struct replicaset *x = *(const struct replicaset *const *)a;
	const struct replicaset *y = *(const struct replicaset *const *)b;
	long rx = uigens_revision(x), ry = uigens_revision(y);
	if (rx != ry)
		return rx < ry ? -1 : 1;
	if (x->created != y->created)
		return x->created < y->created ? -1 : 1;
	return strcmp(x->name, y->name);
}

size_t uigens_collect(const struct store *s, const struct deployment *d,
		      const struct replicaset **out, size_t max)
{
	struct store_iter it;
	size_t n = 0;
	store_iter_children(&it, s, STORE_REPLICASETS, d->uid);
	const struct replicaset *rs;
	while ((rs = store_iter_next(&it)) && n < max)
		out[n++] = rs;
	if (n > 1)
		qsort(out, n, sizeof(*out), by_revision);
	return n;
}

static const char *const texts[] = {
    [BADGE_FAILED] = "failed", [BADGE_STALLED] = "stalled",   [BADGE_PROGRESSING] = "progressing",
    [BADGE_PAUSED] = "paused", [BADGE_COMPLETE] = "complete",
};
static const enum theme_role roles[] = {
    [BADGE_FAILED] = ROLE_BADGE_FAILED,           [BADGE_STALLED] = ROLE_BADGE_STALLED,
    [BADGE_PROGRESSING] = ROLE_BADGE_PROGRESSING, [BADGE_PAUSED] = ROLE_BADGE_PAUSED,
    [BADGE_COMPLETE] = ROLE_BADGE_COMPLETE,
};

/* A pod of the newest generation that will not get better by itself. */
static bool stuck_pod(const struct store *s, const struct deployment *d, int64_t now, char *why,
		      size_t n)
{
	const struct replicaset *gens[64];
	size_t ng = uigens_collect(s, d, gens, 64);
	if (!ng)
		return false;
	struct generations g;
	generations_build(d, gens, ng, &g);
	const struct gen_rs *nw = generations_new(&g);
	const char *uid = nw ? nw->rs->uid : gens[ng - 1]->uid;
	generations_free(&g);
	struct store_iter it;
	store_iter_children(&it, s, STORE_PODS, uid);
	const struct pod *p;
	while ((p = store_iter_next(&it))) {
		struct uistage st;
		uistage_pod(s, p, now, &st);
		if (st.trouble) {
			snprintf(why, n, "pod %s: %s", p->name, st.label);
			return true;
		}
	}
	return false;
}

/* Every replica updated and available: no pod of it can be stuck, and the
 * pods need not be looked at (thousands of settled deployments stay cheap). */
static bool settled(const struct deployment *d)
{
	int32_t want = d->has_spec_replicas ? d->spec_replicas : 1;
	return d->observed_generation >= d->generation && d->updated_replicas == want &&
	       d->available_replicas == want && d->replicas == want;
}

static why_log_fn log_fn;
static void *log_ud;

void badge_set_log(why_log_fn fn, void *ud)
{
	log_fn = fn;
	log_ud = ud;
}

void badge_of(const struct store *s, const struct deployment *d, int64_t now_ms,
	      struct badge_info *out)
{
	struct rollout_result r;
	rollout_status(d, 0, &r);
	size_t len = strcspn(r.msg, "\n");
	snprintf(out->detail, sizeof(out->detail), "%.*s", (int)len, r.msg);
	enum badge b;
	struct why why = {0};
	if (!settled(d))
		why_deployment(s, d, now_ms, log_fn, log_ud, &why);
	snprintf(out->why, sizeof(out->why), "%s", why.line);
	if (r.state == ROLLOUT_ERROR || rollout_deployment_timed_out(d, d, now_ms))
		b = BADGE_FAILED;
	else if (!settled(d) && stuck_pod(s, d, now_ms, out->detail, sizeof(out->detail)))
		b = BADGE_STALLED;
	else if (d->paused)
		b = BADGE_PAUSED;
	else if (r.state == ROLLOUT_DONE)
		b = BADGE_COMPLETE;
	else
		b = BADGE_PROGRESSING;
	int32_t want = d->has_spec_replicas ? d->spec_replicas : 1;
	switch (b) {
	case BADGE_FAILED:
		/* The cause, when one is known, says more than the deadline. */
		if (why.cause != WHY_NONE && why.cause != WHY_DEADLINE)
			snprintf(out->brief, sizeof(out->brief), "%.79s", why.line);
		else
			snprintf(out->brief, sizeof(out->brief), "progress deadline exceeded");
		break;
	case BADGE_STALLED:
		snprintf(out->brief, sizeof(out->brief), "%.79s",
			 why.line[0] ? why.line : out->detail);
		if (why.line[0])
			snprintf(out->detail, sizeof(out->detail), "%.159s", why.line);
		break;
	case BADGE_COMPLETE:
		out->brief[0] = '\0';
		break;
	default:
		/* Not stuck, yet something holds it (unschedulable, a quota): say what. */
		if (b == BADGE_PROGRESSING && why.cause != WHY_NONE &&
		    why.cause != WHY_INIT_WAITING)
			snprintf(out->brief, sizeof(out->brief), "%.79s", why.line);
		else
			snprintf(out->brief, sizeof(out->brief), "%d/%d new, %d available",
				 d->updated_replicas, want, d->available_replicas);
		break;
	}
	out->badge = b;
	out->text = texts[b];
	out->role = roles[b];
}

/* A pod of the set's update revision that will not get better by itself. */
static bool stuck_set_pod(const struct store *s, enum store_kind k, const void *set, int64_t now,
			  char *why, size_t n)
{
	int64_t update = store_update_revision(s, k, set);
	struct store_iter it;
	const struct pod *p;
	store_iter_children(&it, s, STORE_PODS, store_obj_uid(set));
	while (update && (p = store_iter_next(&it))) {
		struct uistage st;
		if (store_pod_revision(s, p) != update)
			continue;
		uistage_pod(s, p, now, &st);
		if (st.trouble) {
			snprintf(why, n, "pod %s: %s", p->name, st.label);
			return true;
		}
	}
	return false;
}

void badge_of_set(const struct store *s, enum store_kind k, const void *set, int64_t now_ms,
		  struct badge_info *out)
{
	struct rollout_result r;
	const char *text = NULL;
	enum badge b;
	out->why[0] = '\0';
	if (k == STORE_STATEFULSETS) {
		const struct statefulset *ss = set;
		rollout_statefulset_status(ss, &r);
		int32_t want = ss->has_spec_replicas ? ss->spec_replicas : 1;
		if (ss->has_partition && ss->partition > 0)
			snprintf(out->brief, sizeof(out->brief),
				 "partition %d: %d/%d new, %d ready", (int)ss->partition,
				 (int)ss->updated_replicas,
				 want > ss->partition ? (int)(want - ss->partition) : 0,
				 (int)ss->ready_replicas);
		else
			snprintf(out->brief, sizeof(out->brief), "%d/%d new, %d ready",
				 (int)ss->updated_replicas, (int)want, (int)ss->ready_replicas);
	} else {
		const struct daemonset *ds = set;
		rollout_daemonset_status(ds, &r);
		snprintf(out->brief, sizeof(out->brief), "%d/%d new, %d available",
			 (int)ds->updated_number_scheduled, (int)ds->desired_number_scheduled,
			 (int)ds->number_available);
	}
	size_t len = strcspn(r.msg, "\n");
	snprintf(out->detail, sizeof(out->detail), "%.*s", (int)len, r.msg);
	if (r.state == ROLLOUT_ERROR) {
		b = BADGE_PAUSED;
		text = "on-delete";
		snprintf(out->brief, sizeof(out->brief), "pods change when deleted");
	} else if (r.state == ROLLOUT_DONE) {
		b = BADGE_COMPLETE;
		out->brief[0] = '\0';
		/* A canary at its partition is done as kubectl sees it: say where
		 * the partition stands (UP-TO-DATE counts the pods above it). */
		const struct statefulset *ss = set;
		if (k == STORE_STATEFULSETS && ss->has_partition && ss->partition > 0)
			snprintf(out->brief, sizeof(out->brief), "partition %d",
				 (int)ss->partition);
	} else if (stuck_set_pod(s, k, set, now_ms, out->detail, sizeof(out->detail))) {
		b = BADGE_STALLED;
		struct why why;
		why_set(s, k, set, now_ms, log_fn, log_ud, &why);
		snprintf(out->why, sizeof(out->why), "%s", why.line);
		if (why.line[0])
			snprintf(out->detail, sizeof(out->detail), "%.159s", why.line);
		snprintf(out->brief, sizeof(out->brief), "%.79s", out->detail);
	} else {
		b = BADGE_PROGRESSING;
	}
	out->badge = b;
	out->text = text ? text : texts[b];
	out->role = roles[b];
}
