#include "config.h"

#include <string.h>

#include "model_dec.h"

/* Deployments and ReplicaSets (apps/v1). */

#define DSPEC "DeploymentSpec"

static const char *dec_annotation(const struct dec *d, const cJSON *meta, const char *key)
{
	return dec_str(d, obj_item(meta, "annotations"), key);
}

static void dec_strategy(const struct dec *d, const cJSON *spec, struct deploy_strategy *s)
{
	const cJSON *st = obj_item(spec, "strategy");
	const cJSON *type = dec_key(st, "type");

	s->type = DEPLOY_ROLLING_UPDATE;
	if (cJSON_IsString(type) && type->valuestring) {
		if (strcmp(type->valuestring, "Recreate") == 0)
			s->type = DEPLOY_RECREATE;
		else if (strcmp(type->valuestring, "RollingUpdate") != 0)
			s->type = DEPLOY_STRATEGY_OTHER;
	}
	const cJSON *ru = obj_item(st, "rollingUpdate");
	dec_intstr(d, ru, "maxSurge", "RollingUpdateDeployment", &s->max_surge);
	dec_intstr(d, ru, "maxUnavailable", "RollingUpdateDeployment", &s->max_unavailable);
}

struct label_expr *dec_label_exprs(const struct dec *d, const cJSON *sel, uint16_t *n)
{
	return dec_exprs_key(d, sel, "matchExpressions", n);
}

struct label_expr *dec_exprs_key(const struct dec *d, const cJSON *sel, const char *key,
				 uint16_t *n)
{
	const cJSON *arr = arr_item(sel, key, n);
	if (!arr)
		return NULL;
	struct label_expr *out = model_arena_alloc(d->arena, sizeof(*out) * *n);
	uint16_t i = 0;
	const cJSON *e;
	cJSON_ArrayForEach(e, arr)
	{
		if (i == *n)
			break;
		struct label_expr *x = &out[i++];
		x->key = dec_str(d, e, "key");
		x->op = dec_str(d, e, "operator");
		const cJSON *vals = arr_item(e, "values", &x->n_values);
		if (!vals)
			continue;
		x->values = model_arena_alloc(d->arena, sizeof(*x->values) * x->n_values);
		uint16_t j = 0;
		const cJSON *v;
		cJSON_ArrayForEach(v, vals)
		{
			if (j == x->n_values)
				break;
			x->values[j++] = dec_intern(d, cJSON_IsString(v) ? v->valuestring : "");
		}
	}
	return out;
}

/* A Deployment's or ReplicaSet's status.conditions. */
static struct deploy_condition *dec_conditions(const struct dec *d, const cJSON *status,
					       uint16_t *n)
{
	const cJSON *arr = arr_item(status, "conditions", n);
	if (!arr)
		return NULL;
	struct deploy_condition *out = model_arena_alloc(d->arena, sizeof(*out) * *n);
	uint16_t i = 0;
	const cJSON *e;
	cJSON_ArrayForEach(e, arr)
	{
		if (i == *n)
			break;
		struct deploy_condition *c = &out[i++];
		c->type = dec_str(d, e, "type");
		c->reason = dec_str(d, e, "reason");
		c->message = dec_ustr(d, e, "message");
		c->status = dec_cond_status(e);
		c->last_update = dec_time(e, "lastUpdateTime");
		c->last_transition = dec_time(e, "lastTransitionTime");
	}
	return out;
}

int model_decode_deployment(const struct cJSON *obj, struct deployment *dp,
			    struct model_arena *arena, const struct model_decode_opts *opts,
			    struct perr *err)
{
	struct dec_fail fail = {err, false};
	const struct dec d = {arena, opts, &fail};

	memset(dp, 0, sizeof(*dp));
	if (dec_not_object(obj, "Deployment", err) < 0)
		return -1;
	const cJSON *meta = obj_item(obj, "metadata");
	const cJSON *spec = obj_item(obj, "spec");
	const cJSON *status = obj_item(obj, "status");
	const cJSON *tmpl = obj_item(spec, "template");
	const cJSON *pspec = obj_item(tmpl, "spec");

	dec_meta(&d, obj, &dp->namespace, &dp->name, &dp->uid, &dp->created);
	dp->revision = dec_annotation(&d, meta, "deployment.kubernetes.io/revision");
	dp->change_cause = dec_annotation(&d, meta, "kubernetes.io/change-cause");
	dp->restarted_at =
	    dec_annotation(&d, obj_item(tmpl, "metadata"), "kubectl.kubernetes.io/restartedAt");
	dp->generation = dec_int(&d, meta, "generation", "ObjectMeta", DEC_INT64, 0, NULL);
	dp->labels = dec_kv(&d, obj_item(meta, "labels"), &dp->n_labels);

	dp->spec_replicas =
	    (int32_t)dec_int(&d, spec, "replicas", DSPEC, DEC_INT32, 0, &dp->has_spec_replicas);
	dp->min_ready_seconds =
	    (int32_t)dec_int(&d, spec, "minReadySeconds", DSPEC, DEC_INT32, 0, NULL);
	dp->progress_deadline_seconds =
	    (int32_t)dec_int(&d, spec, "progressDeadlineSeconds", DSPEC, DEC_INT32, -1, NULL);
	dp->paused = dec_bool(spec, "paused", NULL);
	dec_strategy(&d, spec, &dp->strategy);
	const cJSON *sel = obj_item(spec, "selector");
	dp->match_labels = dec_kv(&d, obj_item(sel, "matchLabels"), &dp->n_match_labels);
	dp->match_exprs = dec_label_exprs(&d, sel, &dp->n_match_exprs);
	dp->images = dec_images(&d, pspec, "containers", &dp->n_images);
	dp->init_images = dec_images(&d, pspec, "initContainers", &dp->n_init_images);

	dp->observed_generation =
	    dec_int(&d, status, "observedGeneration", "DeploymentStatus", DEC_INT64, 0, NULL);
	const struct dec_field counts[] = {
	    {"replicas", &dp->replicas},
	    {"updatedReplicas", &dp->updated_replicas},
	    {"readyReplicas", &dp->ready_replicas},
	    {"availableReplicas", &dp->available_replicas},
	    {"unavailableReplicas", &dp->unavailable_replicas},
	};
	dec_int32s(&d, status, "DeploymentStatus", counts, sizeof(counts) / sizeof(counts[0]));
	dp->conditions = dec_conditions(&d, status, &dp->n_conditions);
	return dec_done(&d);
}

int model_decode_replicaset(const struct cJSON *obj, struct replicaset *rs,
			    struct model_arena *arena, const struct model_decode_opts *opts,
			    struct perr *err)
{
	struct dec_fail fail = {err, false};
	const struct dec d = {arena, opts, &fail};

	memset(rs, 0, sizeof(*rs));
	if (dec_not_object(obj, "ReplicaSet", err) < 0)
		return -1;
	const cJSON *meta = obj_item(obj, "metadata");
	const cJSON *spec = obj_item(obj, "spec");
	const cJSON *status = obj_item(obj, "status");
	const cJSON *pspec = obj_item(obj_item(spec, "template"), "spec");

	dec_meta(&d, obj, &rs->namespace, &rs->name, &rs->uid, &rs->created);
	rs->revision = dec_annotation(&d, meta, "deployment.kubernetes.io/revision");
	rs->labels = dec_kv(&d, obj_item(meta, "labels"), &rs->n_labels);
	rs->pod_template_hash = model_label(rs->labels, rs->n_labels, "pod-template-hash");
	if (!rs->pod_template_hash)
		rs->pod_template_hash = "";
	rs->generation = dec_int(&d, meta, "generation", "ObjectMeta", DEC_INT64, 0, NULL);
	rs->owners = dec_owners(&d, meta, &rs->n_owners);
	const struct owner_ref *ctl = model_controller_of(rs->owners, rs->n_owners);
	rs->owner_uid = ctl ? ctl->uid : "";
	rs->images = dec_images(&d, pspec, "containers", &rs->n_images);
	rs->init_images = dec_images(&d, pspec, "initContainers", &rs->n_init_images);
	rs->spec_replicas = (int32_t)dec_int(&d, spec, "replicas", "ReplicaSetSpec", DEC_INT32, 0,
					     &rs->has_spec_replicas);
	rs->observed_generation =
	    dec_int(&d, status, "observedGeneration", "ReplicaSetStatus", DEC_INT64, 0, NULL);
	const struct dec_field counts[] = {
	    {"replicas", &rs->replicas},
	    {"fullyLabeledReplicas", &rs->fully_labeled_replicas},
	    {"readyReplicas", &rs->ready_replicas},
	    {"availableReplicas", &rs->available_replicas},
	};
	dec_int32s(&d, status, "ReplicaSetStatus", counts, sizeof(counts) / sizeof(counts[0]));
	rs->conditions = dec_conditions(&d, status, &rs->n_conditions);
	return dec_done(&d);
}
