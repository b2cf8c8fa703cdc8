#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "ctrl_deployment_int.h"
#include "ctrl_deployment_logic.h"
#include "ctrl_deployment_util.h"
#include "podscope/xalloc.h"

/* Status, conditions (sync.go, progress.go, deployment_util.go), the pod
 * ranking of controller_utils.go and the pod-template-hash. */

static void copy_str(char *dst, size_t n, const char *src)
{
	snprintf(dst, n, "%s", src ? src : "");
}

static uint8_t cond_status(const char *s)
{
	if (s && strcmp(s, "True") == 0)
		return DL_COND_TRUE;
	if (s && strcmp(s, "False") == 0)
		return DL_COND_FALSE;
	return DL_COND_UNKNOWN;
}

void dl_deployment_decode(const cJSON *dj, struct dl_deployment *d)
{
	const cJSON *spec = cj_path(dj, "spec", NULL);
	const cJSON *status = cj_path(dj, "status", NULL);

	memset(d, 0, sizeof(*d));
	d->generation = cj_int(cj_path(dj, "metadata", NULL), "generation", 0);
	const cJSON *r = cJSON_GetObjectItemCaseSensitive(spec, "replicas");
	d->has_spec_replicas = cJSON_IsNumber(r);
	d->spec_replicas = d->has_spec_replicas ? (int32_t)r->valuedouble : 0;
	d->paused = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(spec, "paused"));
	d->min_ready_seconds = (int32_t)cj_int(spec, "minReadySeconds", 0);
	d->progress_deadline_seconds = (int32_t)cj_int(spec, "progressDeadlineSeconds", -1);
	kstrategy_from_json(cJSON_GetObjectItemCaseSensitive(spec, "strategy"), &d->strategy);
	d->observed_generation = cj_int(status, "observedGeneration", 0);
	d->replicas = (int32_t)cj_int(status, "replicas", 0);
	d->updated_replicas = (int32_t)cj_int(status, "updatedReplicas", 0);
	d->ready_replicas = (int32_t)cj_int(status, "readyReplicas", 0);
	d->available_replicas = (int32_t)cj_int(status, "availableReplicas", 0);
	d->unavailable_replicas = (int32_t)cj_int(status, "unavailableReplicas", 0);
	const cJSON *e;
	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(status, "conditions"))
	{
		if (d->nconds == DL_MAX_CONDS)
			break;
		struct dl_cond *c = &d->conds[d->nconds++];
		copy_str(c->type, sizeof(c->type), cj_str(e, "type"));
		c->status = cond_status(cj_str(e, "status"));
		copy_str(c->reason, sizeof(c->reason), cj_str(e, "reason"));
		copy_str(c->message, sizeof(c->message), cj_str(e, "message"));
		c->last_update = cj_time(e, "lastUpdateTime");
		c->last_transition = cj_time(e, "lastTransitionTime");
	}
}

bool dl_has_progress_deadline(const struct dl_deployment *d)
{
	return dutil_has_progress_deadline(d->progress_deadline_seconds);
}

void dl_status_from(const struct dl_deployment *d, int32_t collision_count, bool has_collision,
		    struct dl_status *st)
{
	memset(st, 0, sizeof(*st));
	st->observed_generation = d->observed_generation;
	st->replicas = d->replicas;
	st->updated = d->updated_replicas;
	st->ready = d->ready_replicas;
	st->available = d->available_replicas;
	st->unavailable = d->unavailable_replicas;
	st->collision_count = collision_count;
	st->has_collision_count = has_collision;
	st->nconds = d->nconds;
	memcpy(st->conds, d->conds, sizeof(st->conds));
}

const struct dl_cond *dl_get_condition(const struct dl_status *st, const char *type)
{
	for (size_t i = 0; i < st->nconds; i++)
		if (strcmp(st->conds[i].type, type) == 0)
			return &st->conds[i];
	return NULL;
}

void dl_remove_condition(struct dl_status *st, const char *type)
{
	size_t k = 0;
	for (size_t i = 0; i < st->nconds; i++)
		if (strcmp(st->conds[i].type, type) != 0)
			st->conds[k++] = st->conds[i];
	st->nconds = k;
}

void dl_new_condition(struct dl_cond *c, const char *type, uint8_t status, const char *reason,
		      const char *message, int64_t now)
{
	memset(c, 0, sizeof(*c));
	copy_str(c->type, sizeof(c->type), type);
	c->status = status;
	copy_str(c->reason, sizeof(c->reason), reason);
	copy_str(c->message, sizeof(c->message), message);
	c->last_update = now;
	c->last_transition = now;
}

void dl_set_condition(struct dl_status *st, const struct dl_cond *c)
{
	const struct dl_cond *cur = dl_get_condition(st, c->type);
	struct dl_cond nc = *c;
	if (cur && cur->status == c->status && strcmp(cur->reason, c->reason) == 0)
		return;
	if (cur && cur->status == c->status)
		nc.last_transition = cur->last_transition;
	dl_remove_condition(st, c->type);
	if (st->nconds < DL_MAX_CONDS)
		st->conds[st->nconds++] = nc;
}

/* Timestamps are stored with second precision: compare them that way. */
static int64_t sec(int64_t ms)
{
	return ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000);
}

bool dl_status_equal(const struct dl_status *a, const struct dl_status *b)
{
	if (a->observed_generation != b->observed_generation || a->replicas != b->replicas ||
	    a->updated != b->updated || a->ready != b->ready || a->available != b->available ||
	    a->unavailable != b->unavailable || a->nconds != b->nconds ||
	    a->has_collision_count != b->has_collision_count ||
	    (a->has_collision_count && a->collision_count != b->collision_count))
		return false;
	for (size_t i = 0; i < a->nconds; i++) {
		const struct dl_cond *x = &a->conds[i], *y = &b->conds[i];
		if (strcmp(x->type, y->type) || x->status != y->status ||
		    strcmp(x->reason, y->reason) || strcmp(x->message, y->message) ||
		    sec(x->last_update) != sec(y->last_update) ||
		    sec(x->last_transition) != sec(y->last_transition))
			return false;
	}
	return true;
}

void dl_calc_status(const struct dl_deployment *d, const struct dl_status *cur,
		    const struct dl_rs *rs, size_t n, size_t nw, int64_t now, struct dl_status *out)
{
	int32_t available = 0, total = 0, actual = 0, ready = 0;
	for (size_t i = 0; i < n; i++) {
		available += rs[i].available;
		total += rs[i].spec;
		actual += rs[i].replicas;
		ready += rs[i].ready;
	}
	*out = *cur;
	out->observed_generation = d->generation;
	out->replicas = actual;
	out->updated = nw != DL_NONE ? rs[nw].replicas : 0;
	out->ready = ready;
	out->available = available;
	out->unavailable = total - available > 0 ? total - available : 0;

	struct dl_cond c;
	if (available >=
	    d->spec_replicas - kstrategy_max_unavailable(&d->strategy, d->spec_replicas))
		dl_new_condition(&c, "Available", DL_COND_TRUE, "MinimumReplicasAvailable",
				 "Deployment has minimum availability.", now);
	else
		dl_new_condition(&c, "Available", DL_COND_FALSE, "MinimumReplicasUnavailable",
				 "Deployment does not have minimum availability.", now);
	dl_set_condition(out, &c);
}

void dl_rollout_status(const struct dl_deployment *d, const struct dl_status *cur,
		       const struct dl_rs *rs, size_t n, size_t nw, const char *dname, int64_t now,
		       struct dl_status *out)
{
	dl_calc_status(d, cur, rs, n, nw, now, out);
	if (!dl_has_progress_deadline(d))
		dl_remove_condition(out, "Progressing");
	const struct dl_cond *cc = dl_get_condition(cur, "Progressing");
	bool complete_now = out->replicas == out->updated && cc &&
			    strcmp(cc->reason, "NewReplicaSetAvailable") == 0;
	if (dl_has_progress_deadline(d) && !complete_now) {
		const char *what = nw != DL_NONE ? "ReplicaSet" : "Deployment";
		const char *who = nw != DL_NONE ? rs[nw].name : dname;
		char msg[320];
		struct dl_cond c;
		if (dutil_complete(d->spec_replicas, d->generation, out)) {
			snprintf(msg, sizeof(msg), "%s \"%s\" has successfully progressed.", what,
				 who);
			dl_new_condition(&c, "Progressing", DL_COND_TRUE, "NewReplicaSetAvailable",
					 msg, now);
			dl_set_condition(out, &c);
		} else if (dutil_progressing(cur, out)) {
			snprintf(msg, sizeof(msg), "%s \"%s\" is progressing.", what, who);
			dl_new_condition(&c, "Progressing", DL_COND_TRUE, "ReplicaSetUpdated", msg,
					 now);
			/* Progress refreshes lastUpdateTime even with the same reason. */
			const struct dl_cond *pc = dl_get_condition(out, "Progressing");
			if (pc) {
				if (pc->status == DL_COND_TRUE)
					c.last_transition = pc->last_transition;
				dl_remove_condition(out, "Progressing");
			}
			dl_set_condition(out, &c);
		} else if (dutil_timed_out(d->progress_deadline_seconds, out, now)) {
			snprintf(msg, sizeof(msg), "%s \"%s\" has timed out progressing.", what,
				 who);
			dl_new_condition(&c, "Progressing", DL_COND_FALSE,
					 "ProgressDeadlineExceeded", msg, now);
			dl_set_condition(out, &c);
		}
	}
	/* getReplicaFailures: the new ReplicaSet's ReplicaFailure first, then
	 * any other's, as the Deployment's (ReplicaSetToDeploymentCondition). */
	const struct dl_rs *f = nw != DL_NONE && rs[nw].failure_reason ? &rs[nw] : NULL;
	for (size_t i = 0; i < n && !f; i++)
		if (rs[i].failure_reason)
			f = &rs[i];
	if (f) {
		struct dl_cond c;
		dl_new_condition(&c, "ReplicaFailure", f->failure_status, f->failure_reason,
				 f->failure_message, f->failure_ms);
		dl_set_condition(out, &c);
	} else {
		dl_remove_condition(out, "ReplicaFailure");
	}
}

bool dl_complete(const struct dl_deployment *d, const struct dl_status *st)
{
	return dutil_complete(d->spec_replicas, d->generation, st);
}

int64_t dl_requeue_stuck_after(const struct dl_deployment *d, const struct dl_status *st,
			       int64_t now)
{
	const struct dl_cond *c = dl_get_condition(st, "Progressing");
	if (!dl_has_progress_deadline(d) || !c)
		return -1;
	if (dl_complete(d, st) || strcmp(c->reason, "ProgressDeadlineExceeded") == 0)
		return -1;
	int64_t after = c->last_update + (int64_t)d->progress_deadline_seconds * 1000 - now;
	return after < 1000 ? 0 : after;
}

bool dl_paused_conditions(const struct dl_deployment *d, struct dl_status *st, int64_t now)
{
	if (!dl_has_progress_deadline(d))
		return false;
	const struct dl_cond *c = dl_get_condition(st, "Progressing");
	if (c && strcmp(c->reason, "ProgressDeadlineExceeded") == 0)
		return false;
	bool paused_cond = c && strcmp(c->reason, "DeploymentPaused") == 0;
	struct dl_cond nc;
	if (d->paused && !paused_cond)
		dl_new_condition(&nc, "Progressing", DL_COND_UNKNOWN, "DeploymentPaused",
				 "Deployment is paused", now);
	else if (!d->paused && paused_cond)
		dl_new_condition(&nc, "Progressing", DL_COND_UNKNOWN, "DeploymentResumed",
				 "Deployment is resumed", now);
	else
		return false;
	dl_set_condition(st, &nc);
	return true;
}

/* --- pods ------------------------------------------------------------------ */

static int phase_ordinal(const char *phase)
{
	if (!phase)
		return 0;
	if (strcmp(phase, "Unknown") == 0)
		return 1;
	if (strcmp(phase, "Running") == 0)
		return 2;
	return 0; /* Pending, and whatever the map does not hold */
}

static bool empty(const char *s)
{
	return !s || !*s;
}

/* afterOrZero: t1 after t2, a zero time counting as after everything. */
static bool after_or_zero(int64_t t1, int64_t t2)
{
	if (t1 == 0 || t2 == 0)
		return t1 == 0;
	return t1 > t2;
}

static int64_t log_rank(int64_t t, int64_t now)
{
	int64_t d_ns = (now - t) * 1000000;
	return d_ns > 0 ? (int64_t)log2((double)d_ns) : -1;
}

/* Rules 6 and 8: timestamps in logarithmic buckets, UIDs within a bucket. */
static bool time_less(const struct dl_pod *a, const struct dl_pod *b, int64_t ta, int64_t tb,
		      int64_t now)
{
	if (now == 0 || ta == 0 || tb == 0)
		return after_or_zero(ta, tb);
	int64_t diff = log_rank(ta, now) - log_rank(tb, now);
	if (diff == 0)
		return strcmp(a->uid ? a->uid : "", b->uid ? b->uid : "") < 0;
	return diff < 0;
}

/* ActivePodsWithRanks.Less */
static bool pod_less(const struct dl_pod *a, const struct dl_pod *b, int64_t now)
{
	if (empty(a->node) != empty(b->node))
		return empty(a->node);
	if (phase_ordinal(a->phase) != phase_ordinal(b->phase))
		return phase_ordinal(a->phase) < phase_ordinal(b->phase);
	if (a->ready != b->ready)
		return !a->ready;
	if (a->deletion_cost != b->deletion_cost)
		return a->deletion_cost < b->deletion_cost;
	if (a->rank != b->rank)
		return a->rank > b->rank;
	if (a->ready && b->ready && a->ready_time != b->ready_time)
		return time_less(a, b, a->ready_time, b->ready_time, now);
	if (a->restarts != b->restarts)
		return a->restarts > b->restarts;
	if (a->created_ms != b->created_ms)
		return time_less(a, b, a->created_ms, b->created_ms, now);
	return false;
}

static const struct dl_pod *sort_pods;
static int64_t sort_now;

static int pod_cmp(const void *x, const void *y)
{
	const struct dl_pod *a = &sort_pods[*(const size_t *)x];
	const struct dl_pod *b = &sort_pods[*(const size_t *)y];
	if (pod_less(a, b, sort_now))
		return -1;
	if (pod_less(b, a, sort_now))
		return 1;
	/* Go's sort is not stable either; names keep the simulator repeatable. */
	return strcmp(a->name ? a->name : "", b->name ? b->name : "");
}

void dl_rank_pods(const struct dl_pod *pods, size_t *idx, size_t n, int64_t now)
{
	sort_pods = pods;
	sort_now = now;
	qsort(idx, n, sizeof(*idx), pod_cmp);
	sort_pods = NULL;
}

bool dl_pod_available(bool ready, int64_t ready_since, int32_t min_ready_s, int64_t now)
{
	if (!ready)
		return false;
	if (min_ready_s <= 0)
		return true;
	return ready_since != 0 && ready_since + (int64_t)min_ready_s * 1000 < now;
}

/* --- pod-template-hash ------------------------------------------------------ */

static void fnv(uint32_t *h, const void *p, size_t n)
{
	const unsigned char *s = p;
	for (size_t i = 0; i < n; i++)
		*h = (*h ^ s[i]) * 16777619u;
}

static int key_cmp(const void *a, const void *b)
{
	return strcmp((*(const cJSON *const *)a)->string, (*(const cJSON *const *)b)->string);
}

/* Hash the value with object keys in sorted order, so that two templates
 * that are equal as JSON hash alike whatever order their keys came in;
 * null, {} and [] members count as absent (see cj_template_equal_ignore_hash). */
static bool absent(const cJSON *v)
{
	if (cJSON_IsNull(v))
		return true;
	if (!cJSON_IsObject(v) && !cJSON_IsArray(v))
		return false;
	for (const cJSON *c = v->child; c; c = c->next)
		if (!absent(c))
			return false;
	return true;
}

static void hash_json(uint32_t *h, const cJSON *v)
{
	char num[64];
	if (cJSON_IsObject(v)) {
		size_t n = (size_t)cJSON_GetArraySize(v), k = 0;
		const cJSON **kids = xcalloc(n ? n : 1, sizeof(*kids));
		for (const cJSON *c = v->child; c; c = c->next)
			if (!absent(c))
				kids[k++] = c;
		qsort(kids, k, sizeof(*kids), key_cmp);
		fnv(h, "{", 1);
		for (size_t i = 0; i < k; i++) {
			fnv(h, kids[i]->string, strlen(kids[i]->string) + 1);
			hash_json(h, kids[i]);
		}
		fnv(h, "}", 1);
		free(kids);
	} else if (cJSON_IsArray(v)) {
		fnv(h, "[", 1);
		for (const cJSON *c = v->child; c; c = c->next)
			if (!absent(c))
				hash_json(h, c);
		fnv(h, "]", 1);
	} else if (cJSON_IsString(v)) {
		fnv(h, "s", 1);
		fnv(h, v->valuestring, strlen(v->valuestring) + 1);
	} else if (cJSON_IsNumber(v)) {
		snprintf(num, sizeof(num), "n%.17g", v->valuedouble);
		fnv(h, num, strlen(num) + 1);
	} else if (cJSON_IsTrue(v)) {
		fnv(h, "t", 1);
	} else if (cJSON_IsFalse(v)) {
		fnv(h, "f", 1);
	} else {
		fnv(h, "0", 1);
	}
}

void dl_template_hash(const cJSON *template, int64_t collision_count, char out[11])
{
	static const char alphanums[] = "bcdfghjklmnpqrstvwxz2456789";
	uint32_t h = 2166136261u;
	hash_json(&h, template);
	if (collision_count >= 0) {
		/* ComputeHash: PutUint32 into an 8-byte buffer. */
		unsigned char b[8] = {0};
		uint32_t c = (uint32_t)collision_count;
		for (int i = 0; i < 4; i++)
			b[i] = (unsigned char)(c >> (8 * i));
		fnv(&h, b, sizeof(b));
	}
	char dec[11];
	snprintf(dec, sizeof(dec), "%u", (unsigned)h);
	size_t i = 0;
	for (; dec[i]; i++)
		out[i] = alphanums[(unsigned char)dec[i] % (sizeof(alphanums) - 1)];
	out[i] = '\0';
}
