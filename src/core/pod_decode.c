#include "config.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "podscope/model.h"
#include "podscope/xalloc.h"

#include "model_dec.h"

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
#define ARENA_MAX   65536

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

void model_arena_reset(struct model_arena *a)
{
	struct model_arena_chunk *c = a->chunks;
	if (!c)
		return;
	model_arena_free(&(struct model_arena){c->next});
	c->next = NULL;
	c->used = 0;
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

const struct deploy_condition *model_deploy_condition(const struct deployment *d, const char *type)
{
	for (uint16_t i = 0; i < d->n_conditions; i++) {
		if (d->conditions[i].type && strcmp(d->conditions[i].type, type) == 0)
			return &d->conditions[i];
	}
	return NULL;
}

/* ---- containers ---- */

#define TERM "ContainerStateTerminated"

static void dec_state(const struct dec *d, const cJSON *obj, struct container_state *st)
{
	const cJSON *w = obj_item(obj, "waiting");
	const cJSON *t = obj_item(obj, "terminated");
	const cJSON *r = obj_item(obj, "running");

	st->reason = "";
	st->message = "";
	if (w) {
		st->kind = CSTATE_WAITING;
		st->reason = dec_str(d, w, "reason");
		st->message = dec_ustr(d, w, "message");
	} else if (t) {
		st->kind = CSTATE_TERMINATED;
		st->reason = dec_str(d, t, "reason");
		st->message = dec_ustr(d, t, "message");
		st->exit_code = (int32_t)dec_int(d, t, "exitCode", TERM, DEC_INT32, 0, NULL);
		st->signal = (int32_t)dec_int(d, t, "signal", TERM, DEC_INT32_SIG, 0, NULL);
		st->started_at = dec_time(t, "startedAt");
		st->finished_at = dec_time(t, "finishedAt");
	} else if (r) {
		st->kind = CSTATE_RUNNING;
		st->started_at = dec_time(r, "startedAt");
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
		cs->restart_count =
		    (int32_t)dec_int(d, e, "restartCount", "ContainerStatus", DEC_INT32, 0, NULL);
		dec_state(d, obj_item(e, "state"), &cs->state);
		struct container_state last = {0};
		dec_state(d, obj_item(e, "lastState"), &last);
		if (last.kind != CSTATE_NONE) {
			cs->last = model_arena_alloc(d->arena, sizeof(*cs->last));
			*cs->last = last;
		}
	}
	return out;
}

/* The port of a probe or hook handler (of Go struct st): a number, or a name. */
static void dec_port(const struct dec *d, const cJSON *h, const char *st, int32_t *port,
		     const char **name)
{
	const cJSON *v = dec_key(h, "port");
	*port = 0;
	if (name)
		*name = "";
	if (cJSON_IsNumber(v))
		*port = (int32_t)dec_int(d, h, "port", st, DEC_INT32, 0, NULL);
	else if (name && cJSON_IsString(v))
		*name = dec_str(d, h, "port");
}

static struct probe *dec_probe(const struct dec *d, const cJSON *c, const char *key)
{
	const cJSON *o = obj_item(c, key);
	const cJSON *h;
	if (!o)
		return NULL;
	struct probe *p = model_arena_alloc(d->arena, sizeof(*p));
	p->target = "";
	p->port_name = "";
	if ((h = obj_item(o, "httpGet"))) {
		p->kind = PROBE_HTTP;
		p->target = dec_str(d, h, "path");
		dec_port(d, h, "HTTPGetAction", &p->port, &p->port_name);
	} else if ((h = obj_item(o, "tcpSocket"))) {
		p->kind = PROBE_TCP;
		dec_port(d, h, "TCPSocketAction", &p->port, &p->port_name);
	} else if ((h = obj_item(o, "exec"))) {
		p->kind = PROBE_EXEC;
		p->target = dec_joined(d, dec_key(h, "command"));
	} else if ((h = obj_item(o, "grpc"))) {
		p->kind = PROBE_GRPC;
		p->target = dec_str(d, h, "service");
		dec_port(d, h, "GRPCAction", &p->port, NULL);
	}
	/* The API server's defaults (SetDefaults_Probe). */
	p->initial_delay_s =
	    (int32_t)dec_int(d, o, "initialDelaySeconds", "Probe", DEC_INT32, 0, NULL);
	p->period_s = (int32_t)dec_int(d, o, "periodSeconds", "Probe", DEC_INT32, 10, NULL);
	p->timeout_s = (int32_t)dec_int(d, o, "timeoutSeconds", "Probe", DEC_INT32, 1, NULL);
	p->success_threshold =
	    (int32_t)dec_int(d, o, "successThreshold", "Probe", DEC_INT32, 1, NULL);
	p->failure_threshold =
	    (int32_t)dec_int(d, o, "failureThreshold", "Probe", DEC_INT32, 3, NULL);
	return p;
}

static struct hook *dec_hook(const struct dec *d, const cJSON *c, const char *key)
{
	const cJSON *o = obj_item(obj_item(c, "lifecycle"), key);
	const cJSON *h;
	if (!o)
		return NULL;
	struct hook *k = model_arena_alloc(d->arena, sizeof(*k));
	k->target = "";
	if ((h = obj_item(o, "exec"))) {
		k->kind = HOOK_EXEC;
		k->target = dec_joined(d, dec_key(h, "command"));
	} else if ((h = obj_item(o, "httpGet"))) {
		k->kind = HOOK_HTTP;
		k->target = dec_str(d, h, "path");
		dec_port(d, h, "HTTPGetAction", &k->port, NULL);
	} else if ((h = obj_item(o, "tcpSocket"))) {
		k->kind = HOOK_TCP;
		dec_port(d, h, "TCPSocketAction", &k->port, NULL);
	} else if ((h = obj_item(o, "sleep"))) {
		k->kind = HOOK_SLEEP;
		k->port = (int32_t)dec_int(d, h, "seconds", "SleepAction", DEC_INT64_SAT, 0, NULL);
	}
	return k;
}

/* resources.requests[res] (limits stand in when requests are absent, as the
 * API server defaults them); 0 when absent, bad or past max. */
static int64_t dec_request(const cJSON *c, const char *res, int64_t scale, int64_t max)
{
	const cJSON *r = obj_item(c, "resources");
	const cJSON *v = dec_key(obj_item(r, "requests"), res);
	if (!v)
		v = dec_key(obj_item(r, "limits"), res);
	int64_t q = cJSON_IsString(v) ? model_quantity(v->valuestring, scale) : 0;
	return q > 0 && q <= max ? q : 0;
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
		const cJSON *rp = dec_key(e, "restartPolicy");
		struct container_spec *c = &out[i++];
		c->name = dec_str(d, e, "name");
		c->image = dec_str(d, e, "image");
		c->restartable =
		    cJSON_IsString(rp) && rp->valuestring && strcmp(rp->valuestring, "Always") == 0;
		c->startup = dec_probe(d, e, "startupProbe");
		c->readiness = dec_probe(d, e, "readinessProbe");
		c->liveness = dec_probe(d, e, "livenessProbe");
		c->post_start = dec_hook(d, e, "postStart");
		c->pre_stop = dec_hook(d, e, "preStop");
		c->req_cpu_milli = (int32_t)dec_request(e, "cpu", 1000, INT32_MAX);
		c->req_mem_bytes = dec_request(e, "memory", 1, INT64_MAX);
	}
	return out;
}

/* ---- Pod ---- */

_Static_assert(sizeof(struct pod_condition) == 24, "a pod condition is three words");
_Static_assert(sizeof(struct container_state) == 40, "a container state is five words");

/* Is a condition of this type one the model reads (see struct pod)? */
static bool cond_kept(const struct pod *p, const char *type)
{
	static const char *const read[] = {"Ready", "PodScheduled", "Initialized"};
	if (!type)
		return false;
	for (size_t i = 0; i < sizeof(read) / sizeof(read[0]); i++)
		if (strcmp(type, read[i]) == 0)
			return true;
	for (uint16_t i = 0; i < p->n_readiness_gates; i++)
		if (p->readiness_gates[i] && strcmp(type, p->readiness_gates[i]) == 0)
			return true;
	return false;
}

/* Call after dec_readiness_gates. */
static void dec_pod_conditions(const struct dec *d, const cJSON *status, struct pod *p)
{
	uint16_t n;
	const cJSON *arr = arr_item(status, "conditions", &n);
	if (!arr)
		return;
	p->conditions = model_arena_alloc(d->arena, sizeof(*p->conditions) * n);
	uint16_t i = 0;
	const cJSON *e;
	cJSON_ArrayForEach(e, arr)
	{
		const cJSON *type = dec_key(e, "type");
		if (i == n || !cond_kept(p, cJSON_GetStringValue(type)))
			continue;
		struct pod_condition *c = &p->conditions[i++];
		c->type = dec_str(d, e, "type");
		const char *reason = dec_str(d, e, "reason");
		const char *message = dec_ustr(d, e, "message");
		if ((reason && *reason) || (message && *message)) {
			c->text = model_arena_alloc(d->arena, sizeof(*c->text));
			*c->text = (struct cond_text){reason, message};
		}
		c->status = dec_cond_status(e);
		c->last_transition = dec_time(e, "lastTransitionTime");
	}
	p->n_conditions = i;
	if (!i)
		p->conditions = NULL;
}

static void dec_pod_ip(const struct dec *d, const cJSON *status, struct pod *p)
{
	uint16_t n;
	const cJSON *ips = arr_item(status, "podIPs", &n);
	const cJSON *first = ips ? cJSON_GetArrayItem(ips, 0) : NULL;

	p->pod_ip = first ? dec_ustr(d, first, "ip") : "";
	if (!*p->pod_ip)
		p->pod_ip = dec_ustr(d, status, "podIP");
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
	struct dec_fail fail = {err, false};
	const struct dec d = {arena, opts, &fail};

	memset(p, 0, sizeof(*p));
	if (dec_not_object(obj, "Pod", err) < 0)
		return -1;
	const cJSON *meta = obj_item(obj, "metadata");
	const cJSON *spec = obj_item(obj, "spec");
	const cJSON *status = obj_item(obj, "status");

	dec_meta(&d, obj, &p->namespace, &p->name, &p->uid, &p->created);
	p->deleted = dec_time(meta, "deletionTimestamp");
	p->grace_period_s = (int32_t)dec_int(&d, meta, "deletionGracePeriodSeconds", "ObjectMeta",
					     DEC_INT64_SAT, -1, NULL);
	p->labels = dec_kv_but(&d, obj_item(meta, "labels"), &p->n_labels, pod_implied_label, p);
	p->owners = dec_owners(&d, meta, &p->n_owners);

	p->node_name = dec_str(&d, spec, "nodeName");
	const cJSON *rp = dec_key(spec, "restartPolicy");
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
	p->message = dec_ustr(&d, status, "message");
	p->start_time = dec_time(status, "startTime");
	p->nominated_node_name = dec_str(&d, status, "nominatedNodeName");
	dec_pod_ip(&d, status, p);
	dec_pod_conditions(&d, status, p);
	p->init_statuses = dec_statuses(&d, status, "initContainerStatuses", &p->n_init_statuses);
	p->statuses = dec_statuses(&d, status, "containerStatuses", &p->n_statuses);
	return dec_done(&d);
}
