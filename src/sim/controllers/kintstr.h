#ifndef PODSCOPE_SIM_KINTSTR_H
#define PODSCOPE_SIM_KINTSTR_H

#include <stdbool.h>
#include <stdint.h>

struct cJSON;

/*
 * IntOrString and the deployment controller's arithmetic on it, restated
 * for the simulator from upstream: k8s.io/apimachinery/pkg/util/intstr
 * (GetScaledValueFromIntOrPercent) and
 * pkg/controller/deployment/util/deployment_util.go (ResolveFenceposts,
 * MaxSurge, MaxUnavailable, NewRSNewReplicas, GetProportion). The sim keeps
 * its own copy so that it never shares podscope's rollout arithmetic.
 */

enum kintstr_type {
	KINTSTR_NONE = 0, /* a nil *IntOrString (field absent) */
	KINTSTR_INT,
	KINTSTR_STRING,
};

#define KINTSTR_MAX 64

struct kintstr {
	uint8_t type;  /* enum kintstr_type */
	bool too_long; /* the string did not fit sval: treated as invalid */
	int32_t ival;
	char sval[KINTSTR_MAX];
};

#define KINTSTR_INT(v) ((struct kintstr){.type = KINTSTR_INT, .ival = (v)})
#define KINTSTR_STR(s) ((struct kintstr){.type = KINTSTR_STRING, .sval = s})

/* A JSON number or string as IntOrString; anything else is KINTSTR_NONE. */
void kintstr_from_json(const struct cJSON *v, struct kintstr *out);

/*
 * GetScaledValueFromIntOrPercent: an int as is, "P%" scaled by total
 * (ceil when round_up, floor otherwise, in float64 as Go does). Returns
 * false on a nil value, a string that is not a percentage or whose number
 * strconv.Atoi rejects.
 */
bool kintstr_scaled(const struct kintstr *v, int64_t total, bool round_up, int64_t *out);

/*
 * ResolveFenceposts: a nil value counts as 0; surge rounds up, unavailable
 * down; when both are 0 unavailable becomes 1. False (both 0) on a bad value.
 */
bool kintstr_fenceposts(const struct kintstr *max_surge, const struct kintstr *max_unavailable,
			int32_t desired, int32_t *surge, int32_t *unavailable);

enum kstrategy_type {
	KSTRATEGY_ROLLING_UPDATE = 0, /* the API server's default */
	KSTRATEGY_RECREATE,
	KSTRATEGY_OTHER,
};

/* spec.strategy of a Deployment. */
struct kstrategy {
	uint8_t type; /* enum kstrategy_type */
	struct kintstr max_surge;
	struct kintstr max_unavailable;
};

/* spec.strategy as JSON (NULL: the default, RollingUpdate with nil values). */
void kstrategy_from_json(const struct cJSON *strategy, struct kstrategy *out);

/* MaxSurge(deployment) for spec.replicas == replicas. */
int32_t kstrategy_max_surge(const struct kstrategy *s, int32_t replicas);
/* MaxUnavailable(deployment): capped at replicas, 0 when replicas is 0. */
int32_t kstrategy_max_unavailable(const struct kstrategy *s, int32_t replicas);

/*
 * NewRSNewReplicas: the size the new ReplicaSet may grow to. all_rs is the
 * sum of spec.replicas over allRSs, new_rs the new one's spec.replicas.
 * False for a strategy type other than RollingUpdate or Recreate, or a bad
 * maxSurge.
 */
bool kstrategy_new_rs_replicas(const struct kstrategy *s, int32_t replicas, int32_t all_rs,
			       int32_t new_rs, int32_t *out);

/* integer.RoundToInt32: half away from zero. */
int32_t kint_round_to_int32(double a);

/*
 * getNonNegativeInt32FromAnnotation's parse: strconv.ParseUint(s, 10, 32)
 * and at most MaxInt32. False when s is NULL or rejected.
 */
bool kint_parse_nonneg_int32(const char *s, int32_t *out);

/*
 * GetProportion(rs, d, toAdd, added) with getReplicaSetFraction:
 * rs_replicas and max_annot (the RS's max-replicas annotation or NULL),
 * d_replicas (spec) and d_status_replicas.
 */
int32_t kstrategy_proportion(const struct kstrategy *s, int32_t rs_replicas, const char *max_annot,
			     int32_t d_replicas, int32_t d_status_replicas, int32_t to_add,
			     int32_t added);

#endif
