#ifndef PODSCOPE_POLICY_H
#define PODSCOPE_POLICY_H

#include <stdint.h>

#include "podscope/intstr.h"
#include "podscope/model.h"

/*
 * What may block a rollout besides its own pods, as the store holds them:
 * PodDisruptionBudgets (policy/v1), ResourceQuotas (v1) and
 * HorizontalPodAutoscalers (autoscaling/v2), lean. Same rules as model.h:
 * strings never NULL, missing or mistyped fields at their zero value,
 * numbers Go would refuse fail the object.
 */

/* policy/v1 PodDisruptionBudget. */
struct pdb {
	const char *namespace;
	const char *name;
	const char *uid;
	int64_t created;
	int64_t generation;
	int64_t observed_generation;
	struct model_kv *match_labels;  /* spec.selector.matchLabels */
	struct label_expr *match_exprs; /* spec.selector.matchExpressions */
	struct intstr min_available;    /* spec.minAvailable, INTSTR_NONE when absent */
	struct intstr max_unavailable;  /* spec.maxUnavailable */
	int32_t current_healthy;        /* status.currentHealthy */
	int32_t desired_healthy;        /* status.desiredHealthy */
	int32_t disruptions_allowed;    /* status.disruptionsAllowed */
	int32_t expected_pods;          /* status.expectedPods */
	uint16_t n_match_labels;
	uint16_t n_match_exprs;
	uint8_t has_selector; /* spec.selector is an object (policy/v1: {} selects every pod) */
};

/* One resource of a ResourceQuota: "pods", "requests.cpu", "count/deployments.apps". */
struct quota_item {
	const char *resource;
	const char *hard; /* the quantity as written ("" when none) */
	const char *used;
	int64_t hard_v; /* in thousandths (model_quantity scale 1000), -1 when bad or absent */
	int64_t used_v;
};

/* At most this many resources of one quota are kept (beyond: dropped, capped set). */
#define MODEL_MAX_QUOTA_ITEMS 64

/* v1 ResourceQuota: status.hard (spec.hard until the controller has run) and status.used. */
struct resource_quota {
	const char *namespace;
	const char *name;
	const char *uid;
	int64_t created;
	struct quota_item *items;
	uint16_t n_items;
	uint8_t capped;
};

/* autoscaling/v2 HorizontalPodAutoscaler, as data. */
struct hpa {
	const char *namespace;
	const char *name;
	const char *uid;
	int64_t created;
	const char *target_kind; /* spec.scaleTargetRef.kind: "Deployment", "StatefulSet" */
	const char *target_name;
	int32_t min_replicas; /* spec.minReplicas, 1 when absent (the API's default) */
	int32_t max_replicas;
	int32_t current_replicas; /* status.currentReplicas */
	int32_t desired_replicas; /* status.desiredReplicas */
};

int model_decode_pdb(const struct cJSON *obj, struct pdb *out, struct model_arena *arena,
		     const struct model_decode_opts *opts, struct perr *err);
int model_decode_resource_quota(const struct cJSON *obj, struct resource_quota *out,
				struct model_arena *arena, const struct model_decode_opts *opts,
				struct perr *err);
int model_decode_hpa(const struct cJSON *obj, struct hpa *out, struct model_arena *arena,
		     const struct model_decode_opts *opts, struct perr *err);

void model_walk_pdb(struct pdb *p, struct model_walk *w);
void model_walk_resource_quota(struct resource_quota *q, struct model_walk *w);
void model_walk_hpa(struct hpa *h, struct model_walk *w);

#endif
