#include "config.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "podscope/duration.h"
#include "podscope/model.h"
#include "podscope/xalloc.h"

/* ---- the arena ---- */

struct model_arena_chunk {
	struct model_arena_chunk *next;
	size_t used;
	size_t cap;
	unsigned char data[]; /* 24 bytes in: 8-byte aligned */
};

/*
 * Chunks start small (one decoded pod usually fits in the first) and double,
 * so that an arena per object stays cheap for a store of 100,000 pods.
 */
#define ARENA_FIRST 512
#define ARENA_MAX 65536

void *model_arena_alloc(struct model_arena *a, size_t n)
{
	struct model_arena_chunk *c = a->chunks;

	n = (n + 7) & ~(size_t)7;
	if (!c || c->cap - c->used < n) {
		size_t cap = c ? c->cap * 2 : ARENA_FIRST;
		if (cap > ARENA_MAX)
			cap = ARENA_MAX;
		if (cap < n)
			cap = n;
		c = xmalloc(sizeof(*c) + cap);
		c->used = 0;
		c->cap = cap;
		c->next = a->chunks;
		a->chunks = c;
	}
	void *p = c->data + c->used;
	c->used += n;
	memset(p, 0, n);
	return p;
}

const char *model_arena_strdup(struct model_arena *a, const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = model_arena_alloc(a, n);
	memcpy(p, s, n);
	return p;
}

void model_arena_free(struct model_arena *a)
{
	struct model_arena_chunk *c = a->chunks;
	while (c) {
		struct model_arena_chunk *next = c->next;
		free(c);
		c = next;
	}
	a->chunks = NULL;
}

/* ---- lookups ---- */

const struct pod_condition *model_pod_condition(const struct pod *p, const char *type)
{
	for (uint16_t i = 0; i < p->n_conditions; i++) {
		if (p->conditions[i].type && strcmp(p->conditions[i].type, type) == 0)
			return &p->conditions[i];
	}
	return NULL;
}

const struct deploy_condition *model_deploy_condition(const struct deployment *d,
						      const char *type)
{
	for (uint16_t i = 0; i < d->n_conditions; i++) {
		if (d->conditions[i].type && strcmp(d->conditions[i].type, type) == 0)
			return &d->conditions[i];
	}
	return NULL;
}

/* ---- decoding helpers ---- */

struct dec {
	struct model_arena *arena;
	const struct model_decode_opts *opts;
};

static const char *dec_str(const struct dec *d, const cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	const char *s = cJSON_IsString(v) && v->valuestring ? v->valuestring : "";

	if (*s == '\0')
		return "";
	if (d->opts && d->opts->intern)
		return d->opts->intern(d->opts->ctx, s);
	return model_arena_strdup(d->arena, s);
}

static int64_t dec_int(const cJSON *obj, const char *key, int64_t dflt, uint8_t *present)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	if (!cJSON_IsNumber(v))
		return dflt;
	if (present)
		*present = 1;
	double x = v->valuedouble;
	if (x >= 9.2e18 || x <= -9.2e18)
		return dflt;
	return (int64_t)x;
}

static bool dec_bool(const cJSON *obj, const char *key, uint8_t *tri)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	if (tri)
		*tri = cJSON_IsBool(v) ? (cJSON_IsTrue(v) ? MODEL_TRUE : MODEL_FALSE) : MODEL_UNSET;
	return cJSON_IsTrue(v);
}

static int64_t dec_time(const cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	int64_t t = 0;
	if (!cJSON_IsString(v) || !v->valuestring)
		return 0;
	if (duration_parse_rfc3339(v->valuestring, &t, NULL) < 0)
		return 0;
	return t;
}

static const cJSON *obj_item(const cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	return cJSON_IsObject(v) ? v : NULL;
}

/* The array under key and its length, capped to what a uint16_t count holds. */
static const cJSON *arr_item(const cJSON *obj, const char *key, uint16_t *n)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	int len = cJSON_IsArray(v) ? cJSON_GetArraySize(v) : 0;
	*n = (uint16_t)(len > UINT16_MAX ? UINT16_MAX : len);
	return *n ? v : NULL;
}

static uint8_t dec_cond_status(const cJSON *obj)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, "status");
	if (!cJSON_IsString(v) || !v->valuestring)
		return MODEL_COND_UNKNOWN;
	if (strcmp(v->valuestring, "True") == 0)
		return MODEL_COND_TRUE;
	if (strcmp(v->valuestring, "False") == 0)
		return MODEL_COND_FALSE;
	return MODEL_COND_UNKNOWN;
}

static void dec_state(const struct dec *d, const cJSON *obj, struct container_state *st)
{
	const cJSON *w = obj_item(obj, "waiting");
	const cJSON *t = obj_item(obj, "terminated");
	const cJSON *r = obj_item(obj, "running");

	if (w) {
		st->kind = CSTATE_WAITING;
		st->reason = dec_str(d, w, "reason");
		st->message = dec_str(d, w, "message");
	} else if (t) {
		st->kind = CSTATE_TERMINATED;
		st->reason = dec_str(d, t, "reason");
		st->message = dec_str(d, t, "message");
		st->exit_code = (int32_t)dec_int(t, "exitCode", 0, NULL);
		st->signal = (int32_t)dec_int(t, "signal", 0, NULL);
		st->started_at = dec_time(t, "startedAt");
		st->finished_at = dec_time(t, "finishedAt");
	} else if (r) {
		st->kind = CSTATE_RUNNING;
		st->reason = "";
		st->message = "";
		st->started_at = dec_time(r, "startedAt");
	} else {
		st->reason = "";
		st->message = "";
	}
}

static struct container_status *dec_statuses(const struct dec *d, const cJSON *status,
					     const char *key, uint16_t *n)
{
	const cJSON *arr = arr_item(status, key, n);
	if (!arr)
		return NULL;
	struct container_status *out = model_arena_alloc(d->arena, sizeof(*out) * *n);
	uint16_t i = 0;
	const cJSON *e;
	cJSON_ArrayForEach(e, arr)
	{
		if (i == *n)
			break;
		struct container_status *cs = &out[i++];
		cs->name = dec_str(d, e, "name");
		cs->ready = dec_bool(e, "ready", NULL);
		dec_bool(e, "started", &cs->started);
		cs->restart_count = (int32_t)dec_int(e, "restartCount", 0, NULL);
		dec_state(d, obj_item(e, "state"), &cs->state);
		dec_state(d, obj_item(e, "lastState"), &cs->last);
	}
	return out;
}

static struct container_spec *dec_specs(const struct dec *d, const cJSON *spec, const char *key,
					uint16_t *n)
{
	const cJSON *arr = arr_item(spec, key, n);
	if (!arr)
		return NULL;
	struct container_spec *out = model_arena_alloc(d->arena, sizeof(*out) * *n);
	uint16_t i = 0;
	const cJSON *e;
	cJSON_ArrayForEach(e, arr)
	{
		if (i == *n)
			break;
		const cJSON *rp = cJSON_GetObjectItemCaseSensitive(e, "restartPolicy");
		out[i].name = dec_str(d, e, "name");
		out[i].restartable = cJSON_IsString(rp) && rp->valuestring &&
				     strcmp(rp->valuestring, "Always") == 0;
		i++;
	}
	return out;
}

static int not_object(const cJSON *obj, const char *kind, struct perr *err)
{
	if (cJSON_IsObject(obj))
		return 0;
	perr_set(err, PERR_API, "cannot decode %s: not a JSON object", kind);
	return -1;
}

static void dec_meta(const struct dec *d, const cJSON *obj, const char **ns, const char **name,
		     const char **uid, int64_t *created)
{
	const cJSON *meta = obj_item(obj, "metadata");
	*ns = dec_str(d, meta, "namespace");
	*name = dec_str(d, meta, "name");
	*uid = dec_str(d, meta, "uid");
	*created = dec_time(meta, "creationTimestamp");
}

/* ---- Pod ---- */

static void dec_pod_conditions(const struct dec *d, const cJSON *status, struct pod *p)
{
	const cJSON *arr = arr_item(status, "conditions", &p->n_conditions);
	if (!arr)
		return;
	p->conditions = model_arena_alloc(d->arena, sizeof(*p->conditions) * p->n_conditions);
	uint16_t i = 0;
	const cJSON *e;
	cJSON_ArrayForEach(e, arr)
	{
		if (i == p->n_conditions)
			break;
		struct pod_condition *c = &p->conditions[i++];
		c->type = dec_str(d, e, "type");
		c->reason = dec_str(d, e, "reason");
		c->message = dec_str(d, e, "message");
		c->status = dec_cond_status(e);
		c->last_transition = dec_time(e, "lastTransitionTime");
	}
}

static void dec_pod_ip(const struct dec *d, const cJSON *status, struct pod *p)
{
	uint16_t n;
	const cJSON *ips = arr_item(status, "podIPs", &n);
	const cJSON *first = ips ? cJSON_GetArrayItem(ips, 0) : NULL;

	p->pod_ip = first ? dec_str(d, first, "ip") : "";
	if (!*p->pod_ip)
		p->pod_ip = dec_str(d, status, "podIP");
}

static void dec_readiness_gates(const struct dec *d, const cJSON *spec, struct pod *p)
{
	const cJSON *arr = arr_item(spec, "readinessGates", &p->n_readiness_gates);
	if (!arr)
		return;
	p->readiness_gates =
		model_arena_alloc(d->arena, sizeof(*p->readiness_gates) * p->n_readiness_gates);
	uint16_t i = 0;
	const cJSON *e;
	cJSON_ArrayForEach(e, arr)
	{
		if (i == p->n_readiness_gates)
			break;
		p->readiness_gates[i++] = dec_str(d, e, "conditionType");
	}
}

int model_decode_pod(const struct cJSON *obj, struct pod *p, struct model_arena *arena,
		     const struct model_decode_opts *opts, struct perr *err)
{
	const struct dec d = {arena, opts};

	memset(p, 0, sizeof(*p));
	if (not_object(obj, "Pod", err) < 0)
		return -1;
	const cJSON *meta = obj_item(obj, "metadata");
	const cJSON *spec = obj_item(obj, "spec");
	const cJSON *status = obj_item(obj, "status");

	dec_meta(&d, obj, &p->namespace, &p->name, &p->uid, &p->created);
	p->deleted = dec_time(meta, "deletionTimestamp");

	p->node_name = dec_str(&d, spec, "nodeName");
	const cJSON *rp = cJSON_GetObjectItemCaseSensitive(spec, "restartPolicy");
	if (cJSON_IsString(rp) && rp->valuestring) {
		if (strcmp(rp->valuestring, "Never") == 0)
			p->restart_policy = POD_RESTART_NEVER;
		else if (strcmp(rp->valuestring, "OnFailure") == 0)
			p->restart_policy = POD_RESTART_ON_FAILURE;
	}
	p->init_specs = dec_specs(&d, spec, "initContainers", &p->n_init_specs);
	p->specs = dec_specs(&d, spec, "containers", &p->n_specs);
	dec_readiness_gates(&d, spec, p);

	p->phase = dec_str(&d, status, "phase");
	p->reason = dec_str(&d, status, "reason");
	p->message = dec_str(&d, status, "message");
	p->nominated_node_name = dec_str(&d, status, "nominatedNodeName");
	dec_pod_ip(&d, status, p);
	dec_pod_conditions(&d, status, p);
	p->init_statuses = dec_statuses(&d, status, "initContainerStatuses", &p->n_init_statuses);
	p->statuses = dec_statuses(&d, status, "containerStatuses", &p->n_statuses);
	return 0;
}

/* ---- Deployment and ReplicaSet ---- */

static const char *dec_annotation(const struct dec *d, const cJSON *obj, const char *key)
{
	return dec_str(d, obj_item(obj_item(obj, "metadata"), "annotations"), key);
}

static void dec_intstr(const struct dec *d, const cJSON *obj, const char *key, struct intstr *v)
{
	const cJSON *x = cJSON_GetObjectItemCaseSensitive(obj, key);
	if (cJSON_IsNumber(x)) {
		*v = INTSTR_FROM_INT((int32_t)x->valuedouble);
	} else if (cJSON_IsString(x) && x->valuestring) {
		*v = INTSTR_FROM_STR(dec_str(d, obj, key));
	}
}

static void dec_strategy(const struct dec *d, const cJSON *spec, struct deploy_strategy *s)
{
	const cJSON *st = obj_item(spec, "strategy");
	const cJSON *type = cJSON_GetObjectItemCaseSensitive(st, "type");

	s->type = DEPLOY_ROLLING_UPDATE;
	if (cJSON_IsString(type) && type->valuestring) {
		if (strcmp(type->valuestring, "Recreate") == 0)
			s->type = DEPLOY_RECREATE;
		else if (strcmp(type->valuestring, "RollingUpdate") != 0)
			s->type = DEPLOY_STRATEGY_OTHER;
	}
	const cJSON *ru = obj_item(st, "rollingUpdate");
	dec_intstr(d, ru, "maxSurge", &s->max_surge);
	dec_intstr(d, ru, "maxUnavailable", &s->max_unavailable);
}

int model_decode_deployment(const struct cJSON *obj, struct deployment *dp,
			    struct model_arena *arena, const struct model_decode_opts *opts,
			    struct perr *err)
{
	const struct dec d = {arena, opts};

	memset(dp, 0, sizeof(*dp));
	if (not_object(obj, "Deployment", err) < 0)
		return -1;
	const cJSON *meta = obj_item(obj, "metadata");
	const cJSON *spec = obj_item(obj, "spec");
	const cJSON *status = obj_item(obj, "status");

	dec_meta(&d, obj, &dp->namespace, &dp->name, &dp->uid, &dp->created);
	dp->revision = dec_annotation(&d, obj, "deployment.kubernetes.io/revision");
	dp->generation = dec_int(meta, "generation", 0, NULL);

	dp->spec_replicas = (int32_t)dec_int(spec, "replicas", 0, &dp->has_spec_replicas);
	dp->min_ready_seconds = (int32_t)dec_int(spec, "minReadySeconds", 0, NULL);
	dp->progress_deadline_seconds = (int32_t)dec_int(spec, "progressDeadlineSeconds", -1, NULL);
	dp->paused = dec_bool(spec, "paused", NULL);
	dec_strategy(&d, spec, &dp->strategy);

	dp->observed_generation = dec_int(status, "observedGeneration", 0, NULL);
	dp->replicas = (int32_t)dec_int(status, "replicas", 0, NULL);
	dp->updated_replicas = (int32_t)dec_int(status, "updatedReplicas", 0, NULL);
	dp->ready_replicas = (int32_t)dec_int(status, "readyReplicas", 0, NULL);
	dp->available_replicas = (int32_t)dec_int(status, "availableReplicas", 0, NULL);
	dp->unavailable_replicas = (int32_t)dec_int(status, "unavailableReplicas", 0, NULL);

	const cJSON *arr = arr_item(status, "conditions", &dp->n_conditions);
	if (arr) {
		size_t size = sizeof(*dp->conditions) * dp->n_conditions;
		dp->conditions = model_arena_alloc(arena, size);
		uint16_t i = 0;
		const cJSON *e;
		cJSON_ArrayForEach(e, arr)
		{
			if (i == dp->n_conditions)
				break;
			struct deploy_condition *c = &dp->conditions[i++];
			c->type = dec_str(&d, e, "type");
			c->reason = dec_str(&d, e, "reason");
			c->message = dec_str(&d, e, "message");
			c->status = dec_cond_status(e);
			c->last_update = dec_time(e, "lastUpdateTime");
			c->last_transition = dec_time(e, "lastTransitionTime");
		}
	}
	return 0;
}

int model_decode_replicaset(const struct cJSON *obj, struct replicaset *rs,
			    struct model_arena *arena, const struct model_decode_opts *opts,
			    struct perr *err)
{
	const struct dec d = {arena, opts};

	memset(rs, 0, sizeof(*rs));
	if (not_object(obj, "ReplicaSet", err) < 0)
		return -1;
	const cJSON *meta = obj_item(obj, "metadata");
	const cJSON *spec = obj_item(obj, "spec");
	const cJSON *status = obj_item(obj, "status");

	dec_meta(&d, obj, &rs->namespace, &rs->name, &rs->uid, &rs->created);
	rs->revision = dec_annotation(&d, obj, "deployment.kubernetes.io/revision");
	rs->pod_template_hash = dec_str(&d, obj_item(meta, "labels"), "pod-template-hash");
	rs->generation = dec_int(meta, "generation", 0, NULL);
	rs->owner_uid = "";
	const cJSON *owners = cJSON_GetObjectItemCaseSensitive(meta, "ownerReferences");
	const cJSON *o;
	if (!cJSON_IsArray(owners))
		owners = NULL;
	cJSON_ArrayForEach(o, owners)
	{
		if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "controller"))) {
			rs->owner_uid = dec_str(&d, o, "uid");
			break;
		}
	}
	rs->spec_replicas = (int32_t)dec_int(spec, "replicas", 0, &rs->has_spec_replicas);
	rs->observed_generation = dec_int(status, "observedGeneration", 0, NULL);
	rs->replicas = (int32_t)dec_int(status, "replicas", 0, NULL);
	rs->ready_replicas = (int32_t)dec_int(status, "readyReplicas", 0, NULL);
	rs->available_replicas = (int32_t)dec_int(status, "availableReplicas", 0, NULL);
	return 0;
}
