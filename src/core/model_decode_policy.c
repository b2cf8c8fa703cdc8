#include "config.h"

#include <string.h>

#include "model_dec.h"
#include "podscope/policy.h"

/* PodDisruptionBudgets, ResourceQuotas and HorizontalPodAutoscalers. */

int model_decode_pdb(const struct cJSON *obj, struct pdb *p, struct model_arena *arena,
		     const struct model_decode_opts *opts, struct perr *err)
{
	struct dec_fail fail = {err, false};
	const struct dec d = {arena, opts, &fail};
	memset(p, 0, sizeof(*p));
	if (dec_not_object(obj, "PodDisruptionBudget", err) < 0)
		return -1;
	const cJSON *meta = obj_item(obj, "metadata");
	const cJSON *spec = obj_item(obj, "spec");
	const cJSON *status = obj_item(obj, "status");
	dec_meta(&d, obj, &p->namespace, &p->name, &p->uid, &p->created);
	p->generation = dec_int(&d, meta, "generation", "ObjectMeta", DEC_INT64, 0, NULL);
	const cJSON *sel = obj_item(spec, "selector");
	p->has_selector = cJSON_IsObject(sel);
	p->match_labels = dec_kv(&d, obj_item(sel, "matchLabels"), &p->n_match_labels);
	p->match_exprs = dec_label_exprs(&d, sel, &p->n_match_exprs);
	dec_intstr(&d, spec, "minAvailable", "PodDisruptionBudgetSpec", &p->min_available);
	dec_intstr(&d, spec, "maxUnavailable", "PodDisruptionBudgetSpec", &p->max_unavailable);
	p->observed_generation = dec_int(&d, status, "observedGeneration",
					 "PodDisruptionBudgetStatus", DEC_INT64, 0, NULL);
	const struct dec_field counts[] = {
	    {"currentHealthy", &p->current_healthy},
	    {"desiredHealthy", &p->desired_healthy},
	    {"disruptionsAllowed", &p->disruptions_allowed},
	    {"expectedPods", &p->expected_pods},
	};
	dec_int32s(&d, status, "PodDisruptionBudgetStatus", counts,
		   sizeof(counts) / sizeof(counts[0]));
	return dec_done(&d);
}

static int64_t quantity_of(const char *s)
{
	return s && *s ? model_quantity(s, 1000) : -1;
}

int model_decode_resource_quota(const struct cJSON *obj, struct resource_quota *q,
				struct model_arena *arena, const struct model_decode_opts *opts,
				struct perr *err)
{
	struct dec_fail fail = {err, false};
	const struct dec d = {arena, opts, &fail};
	memset(q, 0, sizeof(*q));
	if (dec_not_object(obj, "ResourceQuota", err) < 0)
		return -1;
	const cJSON *status = obj_item(obj, "status");
	dec_meta(&d, obj, &q->namespace, &q->name, &q->uid, &q->created);
	/* What the quota controller enforces is status.hard; until it has run,
	 * spec.hard is all there is. */
	const cJSON *hard = obj_item(status, "hard");
	if (!cJSON_IsObject(hard) || !hard->child)
		hard = obj_item(obj_item(obj, "spec"), "hard");
	const cJSON *used = obj_item(status, "used");
	uint16_t n = 0;
	const cJSON *e;
	cJSON_ArrayForEach(e, hard)
	{
		if (!cJSON_IsString(e) || !e->string)
			continue;
		if (n == MODEL_MAX_QUOTA_ITEMS) {
			q->capped = 1;
			break;
		}
		n++;
	}
	if (!n)
		return dec_done(&d);
	q->items = model_arena_alloc(arena, sizeof(*q->items) * n);
	cJSON_ArrayForEach(e, hard)
	{
		if (q->n_items == n)
			break;
		if (!cJSON_IsString(e) || !e->string)
			continue;
		struct quota_item *it = &q->items[q->n_items++];
		it->resource = dec_intern(&d, e->string);
		it->hard = dec_intern(&d, e->valuestring);
		it->used = dec_str(&d, used, e->string);
		it->hard_v = quantity_of(it->hard);
		it->used_v = quantity_of(it->used);
	}
	return dec_done(&d);
}

int model_decode_hpa(const struct cJSON *obj, struct hpa *h, struct model_arena *arena,
		     const struct model_decode_opts *opts, struct perr *err)
{
	struct dec_fail fail = {err, false};
	const struct dec d = {arena, opts, &fail};
	memset(h, 0, sizeof(*h));
	if (dec_not_object(obj, "HorizontalPodAutoscaler", err) < 0)
		return -1;
	const cJSON *spec = obj_item(obj, "spec");
	const cJSON *status = obj_item(obj, "status");
	const cJSON *ref = obj_item(spec, "scaleTargetRef");
	dec_meta(&d, obj, &h->namespace, &h->name, &h->uid, &h->created);
	h->target_kind = dec_str(&d, ref, "kind");
	h->target_name = dec_str(&d, ref, "name");
	h->min_replicas = (int32_t)dec_int(&d, spec, "minReplicas", "HorizontalPodAutoscalerSpec",
					   DEC_INT32, 1, NULL);
	h->max_replicas = (int32_t)dec_int(&d, spec, "maxReplicas", "HorizontalPodAutoscalerSpec",
					   DEC_INT32, 0, NULL);
	const struct dec_field counts[] = {
	    {"currentReplicas", &h->current_replicas},
	    {"desiredReplicas", &h->desired_replicas},
	};
	dec_int32s(&d, status, "HorizontalPodAutoscalerStatus", counts,
		   sizeof(counts) / sizeof(counts[0]));
	return dec_done(&d);
}
