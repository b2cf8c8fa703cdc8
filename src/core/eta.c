#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "podscope/eta.h"
#include "podscope/intstr.h"
#include "podscope/rollout.h"

/*
 * Margins around the observed times. The low end is the quicker quarter of
 * the observations less 15%; the high end the slowest plus 20% and two
 * seconds, which is about what a controller's watch, its sync and the
 * status write add to each step of a rollout.
 */
#define ETA_LOW_FACTOR 0.85
#define ETA_HIGH_FACTOR 1.20
#define ETA_HIGH_PAD_MS 2000
/* Stalled: nothing moved for twice the slowest observation, and at least this long. */
#define ETA_STALL_MIN_MS 60000
/* A rollout left with more than this many waves is still estimated, but
 * the sums saturate here (about 11 days). */
#define ETA_MAX_MS ((int64_t)1000 * 1000 * 1000)

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

static int64_t clamp_ms(int64_t v)
{
	return v < 0 ? 0 : v > ETA_MAX_MS ? ETA_MAX_MS : v;
}

/* At most this many slots are laid out one by one; wider rollouts are
 * treated as this wide, which only matters past a thousand pods at once. */
#define ETA_MAX_SLOTS 1024

/*
 * When the last pod is done, with `width` pods at a time each taking
 * `cycle` ms: the pods in flight hold their slots until they finish (the
 * one furthest from done decides; one already slower than anything seen
 * gets another half of the cycle at the high end, none at the low end),
 * and each pod still to create takes the slot that frees first.
 */
static int64_t schedule(const struct eta_input *in, int64_t cycle, bool high)
{
	size_t k = in->width > 0 ? (size_t)in->width : 1;
	if (k > ETA_MAX_SLOTS)
		k = ETA_MAX_SLOTS;
	int64_t slot[ETA_MAX_SLOTS];
	memset(slot, 0, k * sizeof(slot[0]));
	int64_t longest = 0;
	for (size_t i = 0; i < in->n_inflight; i++) {
		int64_t age = in->inflight_age[i] > 0 ? in->inflight_age[i] : 0;
		int64_t rem = age < cycle ? cycle - age : high ? cycle / 2 : 0;
		if (rem > longest)
			longest = rem;
		/* More pods in flight than slots (a scale-up, a changed
		 * budget): the extra ones share the slots. */
		slot[i % k] = rem > slot[i % k] ? rem : slot[i % k];
	}
	int64_t pending = in->to_create > 0 ? in->to_create : 0;
	if (pending) {
		qsort(slot, k, sizeof(slot[0]), cmp_i64);
		int64_t rounds = pending / (int64_t)k, rest = pending % (int64_t)k;
		int64_t per = rounds > ETA_MAX_MS / (cycle > 0 ? cycle : 1)
				  ? ETA_MAX_MS
				  : rounds * cycle;
		for (size_t j = 0; j < k; j++) {
			slot[j] = clamp_ms(slot[j] + per + ((int64_t)j < rest ? cycle : 0));
			if (slot[j] > longest)
				longest = slot[j];
		}
	}
	return clamp_ms(longest);
}

void eta_estimate(const struct eta_input *in, struct eta *out)
{
	memset(out, 0, sizeof(*out));
	int64_t left = (int64_t)in->n_inflight + (in->to_create > 0 ? in->to_create : 0);
	out->pods_left = left > INT32_MAX ? INT32_MAX : (int32_t)left;
	if (left == 0) {
		/* Every new pod is available: only the old ones' scale-down and
		 * the status write are left. */
		out->state = ETA_RANGE;
		out->high_ms = ETA_HIGH_PAD_MS;
		return;
	}
	/* This rollout's own times first; earlier generations' only while it
	 * has fewer than three of its own. */
	int64_t s[ETA_MAX_SAMPLES];
	size_t n = 0;
	for (size_t i = in->n_new; i-- > 0 && n < ETA_MAX_SAMPLES;)
		if (in->new_avail[i] >= 0)
			s[n++] = clamp_ms(in->new_avail[i]);
	out->samples_new = (int32_t)n;
	if (n < 3)
		for (size_t i = in->n_old; i-- > 0 && n < ETA_MAX_SAMPLES;)
			if (in->old_avail[i] >= 0)
				s[n++] = clamp_ms(in->old_avail[i]);
	out->samples = (int32_t)n;
	if (in->last_move_ms > 0 && in->now_ms > in->last_move_ms)
		out->idle_ms = in->now_ms - in->last_move_ms;
	if (n == 0) {
		out->state = ETA_UNKNOWN;
		return;
	}
	qsort(s, n, sizeof(s[0]), cmp_i64);
	int64_t quick = s[(n - 1) / 4], slow = s[n - 1];
	if (in->last_move_ms > 0) {
		int64_t stall = 2 * slow > ETA_STALL_MIN_MS ? 2 * slow : ETA_STALL_MIN_MS;
		if (out->idle_ms > stall) {
			out->state = ETA_STALLED;
			return;
		}
	}
	int64_t lo_c = (int64_t)((double)quick * ETA_LOW_FACTOR);
	int64_t hi_c = (int64_t)((double)slow * ETA_HIGH_FACTOR) + ETA_HIGH_PAD_MS;
	out->low_ms = schedule(in, lo_c, false);
	out->high_ms = schedule(in, hi_c, true);
	if (out->high_ms < out->low_ms)
		out->high_ms = out->low_ms;
	out->state = ETA_RANGE;
}

/* A pod's start-to-available time, or -1 while it is not available at now. */
static int64_t pod_avail_ms(const struct pod *p, int32_t min_ready_s, int64_t now_ms,
			    int64_t *ready_at)
{
	const struct pod_condition *c = model_pod_condition(p, "Ready");
	*ready_at = 0;
	if (!c || c->status != MODEL_COND_TRUE || !p->created || c->last_transition < p->created)
		return -1;
	*ready_at = c->last_transition;
	int64_t avail = c->last_transition + (int64_t)(min_ready_s > 0 ? min_ready_s : 0) * 1000;
	/* Ready with no minReadySeconds is available whatever the clocks say
	 * (a server clock ahead of ours puts the transition in our future). */
	if (min_ready_s > 0 && avail > now_ms)
		return -1;
	return avail - p->created;
}

/* The arrays one estimate fills; sized by the caller's pod count, capped. */
struct eta_acc {
	int64_t new_avail[ETA_MAX_SAMPLES], old_avail[ETA_MAX_SAMPLES];
	int64_t inflight[ETA_MAX_SAMPLES];
	int64_t new_ready_at[ETA_MAX_SAMPLES]; /* when each of new_avail[] became ready */
	size_t n_new, n_old, n_inflight;
	int32_t new_pods; /* new pods that exist (not terminating) */
	int32_t new_avail_count;
	int64_t last_move;
};

static void acc_add(struct eta_acc *a, const struct pod *p, bool is_new, int32_t min_ready_s,
		    int64_t now_ms)
{
	int64_t ready_at;
	int64_t t = pod_avail_ms(p, min_ready_s, now_ms, &ready_at);
	/* An old pod on its way out still tells how long it took to start;
	 * a new one that goes is replaced, so it is not one of the pods. */
	if (p->deleted && is_new)
		return;
	if (!is_new) {
		if (t >= 0 && a->n_old < ETA_MAX_SAMPLES)
			a->old_avail[a->n_old++] = t;
		return;
	}
	a->new_pods++;
	if (p->created > a->last_move)
		a->last_move = p->created;
	if (ready_at > a->last_move)
		a->last_move = ready_at;
	if (t >= 0) {
		a->new_avail_count++;
		if (a->n_new < ETA_MAX_SAMPLES) {
			a->new_ready_at[a->n_new] = ready_at;
			a->new_avail[a->n_new++] = t;
		}
	} else if (a->n_inflight < ETA_MAX_SAMPLES) {
		a->inflight[a->n_inflight++] = p->created ? now_ms - p->created : 0;
	}
}

static void acc_estimate(const struct eta_acc *a, int32_t to_update, int32_t width,
			 int64_t now_ms, struct eta *out)
{
	int32_t to_create = to_update - a->new_pods;
	struct eta_input in = {
	    .new_avail = a->new_avail,
	    .n_new = a->n_new,
	    .old_avail = a->old_avail,
	    .n_old = a->n_old,
	    .inflight_age = a->inflight,
	    .n_inflight = a->n_inflight,
	    .to_create = to_create > 0 ? to_create : 0,
	    .width = width,
	    .last_move_ms = a->last_move,
	    .now_ms = now_ms,
	};
	eta_estimate(&in, out);
}

void eta_deployment(const struct generations *g, const struct pod *const *pods, size_t n,
		    int64_t now_ms, struct eta *out)
{
	memset(out, 0, sizeof(*out));
	const struct deployment *d = g->d;
	if (g->status.state != ROLLOUT_WAITING)
		return;
	const struct gen_rs *nr = generations_new(g);
	struct eta_acc *a = calloc(1, sizeof(*a));
	if (!a)
		return;
	if (nr && nr->rs->created > a->last_move)
		a->last_move = nr->rs->created;
	for (size_t i = 0; i < n; i++) {
		const struct owner_ref *o = model_controller_of(pods[i]->owners, pods[i]->n_owners);
		if (!o || !o->uid)
			continue;
		bool is_new = nr && nr->rs->uid && strcmp(o->uid, nr->rs->uid) == 0;
		bool mine = is_new;
		for (size_t k = 0; !mine && k < g->n; k++)
			mine = g->rs[k].rs->uid && strcmp(o->uid, g->rs[k].rs->uid) == 0;
		if (mine)
			acc_add(a, pods[i], is_new, d->min_ready_seconds, now_ms);
	}
	int32_t desired = d->has_spec_replicas ? d->spec_replicas : 1;
	int32_t width = d->strategy.type == DEPLOY_ROLLING_UPDATE
			    ? g->budget.max_surge + g->budget.max_unavailable
			    : desired;
	acc_estimate(a, desired, width, now_ms, out);
	free(a);
}

static bool pod_has_hash(const struct pod *p, const char *hash)
{
	const char *h = pod_label(p, "controller-revision-hash");
	return hash && *hash && h && strcmp(h, hash) == 0;
}

void eta_statefulset(const struct statefulset *s, const struct pod *const *pods, size_t n,
		     int64_t now_ms, struct eta *out)
{
	memset(out, 0, sizeof(*out));
	struct rollout_result r;
	if (rollout_statefulset_status(s, &r) != ROLLOUT_WAITING)
		return;
	struct eta_acc *a = calloc(1, sizeof(*a));
	if (!a)
		return;
	for (size_t i = 0; i < n; i++)
		acc_add(a, pods[i], pod_has_hash(pods[i], s->update_revision), s->min_ready_seconds,
			now_ms);
	int32_t replicas = s->has_spec_replicas ? s->spec_replicas : 1;
	int32_t part = s->has_partition && s->partition > 0 ? s->partition : 0;
	int32_t to_update = replicas > part ? replicas - part : 0;
	/* OrderedReady replaces one pod at a time; Parallel as many as
	 * maxUnavailable lets it (1 by default). */
	int32_t width = 1;
	if (s->pod_management_policy && strcmp(s->pod_management_policy, "Parallel") == 0 &&
	    s->max_unavailable.type != 0) {
		int64_t v;
		if (intstr_scaled_value(&s->max_unavailable, replicas, false, &v, NULL) == 0 &&
		    v > 1)
			width = v > INT32_MAX ? INT32_MAX : (int32_t)v;
	}
	/* One at a time, each step is a deletion, a creation and a start, so
	 * the time between two new pods becoming ready is the better
	 * observation once there are two of them. */
	if (width == 1 && a->n_new >= 2) {
		qsort(a->new_ready_at, a->n_new, sizeof(a->new_ready_at[0]), cmp_i64);
		for (size_t i = 1; i < a->n_new; i++)
			a->new_avail[i - 1] = a->new_ready_at[i] - a->new_ready_at[i - 1];
		a->n_new--;
	}
	acc_estimate(a, to_update, width, now_ms, out);
	free(a);
}

void eta_daemonset(const struct daemonset *ds, const char *update_hash,
		   const struct pod *const *pods, size_t n, int64_t now_ms, struct eta *out)
{
	memset(out, 0, sizeof(*out));
	struct rollout_result r;
	if (rollout_daemonset_status(ds, &r) != ROLLOUT_WAITING)
		return;
	struct eta_acc *a = calloc(1, sizeof(*a));
	if (!a)
		return;
	for (size_t i = 0; i < n; i++)
		acc_add(a, pods[i], pod_has_hash(pods[i], update_hash), ds->min_ready_seconds,
			now_ms);
	int32_t desired = ds->desired_number_scheduled;
	int64_t surge = 0, unavail = 1;
	if (ds->max_surge.type != 0)
		(void)intstr_scaled_value(&ds->max_surge, desired, true, &surge, NULL);
	if (ds->max_unavailable.type != 0)
		(void)intstr_scaled_value(&ds->max_unavailable, desired, true, &unavail, NULL);
	int64_t width = surge + unavail;
	acc_estimate(a, desired, width > INT32_MAX ? INT32_MAX : width < 1 ? 1 : (int32_t)width,
		     now_ms, out);
	free(a);
}

static void range_text(int64_t lo, int64_t hi, const char *unit, char *buf, size_t n)
{
	if (lo >= hi)
		snprintf(buf, n, "about %lld %s", (long long)hi, unit);
	else if (lo <= 0)
		snprintf(buf, n, "under %lld %s", (long long)hi, unit);
	else
		snprintf(buf, n, "about %lld-%lld %s", (long long)lo, (long long)hi, unit);
}

void eta_format(const struct eta *e, char *buf, size_t n)
{
	if (!n)
		return;
	switch (e->state) {
	case ETA_UNKNOWN:
		snprintf(buf, n, "unknown");
		return;
	case ETA_STALLED:
		snprintf(buf, n, "stalled");
		return;
	case ETA_RANGE:
		break;
	default:
		buf[0] = '\0';
		return;
	}
	/* Seconds, rounded outwards, so the words never claim a narrower
	 * range than the numbers. */
	int64_t lo = e->low_ms / 1000, hi = (e->high_ms + 999) / 1000;
	if (hi < 10)
		snprintf(buf, n, "under 10 s");
	else if (hi < 90)
		range_text(lo / 5 * 5, (hi + 4) / 5 * 5, "s", buf, n);
	else if (hi < 90 * 60)
		range_text(lo / 60, (hi + 59) / 60, "min", buf, n);
	else
		range_text(lo / 3600, (hi + 3599) / 3600, "h", buf, n);
}

const char *eta_state_name(const struct eta *e)
{
	switch (e->state) {
	case ETA_UNKNOWN:
		return "unknown";
	case ETA_STALLED:
		return "stalled";
	case ETA_RANGE:
		return "range";
	default:
		return "none";
	}
}
