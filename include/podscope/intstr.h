#ifndef PODSCOPE_INTSTR_H
#define PODSCOPE_INTSTR_H

#include <stdbool.h>
#include <stdint.h>

#include "podscope/err.h"

/*
 * IntOrString and the deployment controller's arithmetic built on it
 * (apimachinery intstr, pkg/controller/deployment/util), restated exactly:
 * the simulator's controller and podscope's budget gauges both call these.
 */

enum intstr_type {
	INTSTR_NONE = 0, /* a nil *IntOrString (field absent) */
	INTSTR_INT,
	INTSTR_STRING,
};

struct intstr {
	uint8_t type;     /* enum intstr_type */
	int32_t ival;     /* INTSTR_INT */
	const char *sval; /* INTSTR_STRING, e.g. "25%"; not owned */
};

#define INTSTR_FROM_INT(v) ((struct intstr){.type = INTSTR_INT, .ival = (v)})
#define INTSTR_FROM_STR(s) ((struct intstr){.type = INTSTR_STRING, .sval = (s)})

enum deploy_strategy_type {
	DEPLOY_ROLLING_UPDATE = 0, /* the API server's default */
	DEPLOY_RECREATE,
	DEPLOY_STRATEGY_OTHER, /* anything else the object said */
};

/* spec.strategy of a Deployment. */
struct deploy_strategy {
	uint8_t type; /* enum deploy_strategy_type */
	struct intstr max_surge;
	struct intstr max_unavailable;
};

/*
 * GetScaledValueFromIntOrPercent: an int as-is; "P%" as ceil (round_up) or
 * floor of P*total/100, in float64 like Go (saturated at the int64 bounds,
 * where Go's conversion is undefined). Returns 0 and *out, or -1 with
 * err (PERR_CONFIG) set to Go's exact message:
 *   nil value for IntOrString
 *   invalid value for IntOrString: invalid type: string is not a percentage
 *   invalid value for IntOrString: invalid value "a%": strconv.Atoi: parsing "a": invalid syntax
 */
int intstr_scaled_value(const struct intstr *v, int64_t total, bool round_up, int64_t *out,
			struct perr *err);

/*
 * ResolveFenceposts: surge rounds up, unavailable rounds down, a missing
 * value counts as 0, and when both come out 0 unavailable becomes 1.
 * Returns 0, or -1 with err set (then *surge and *unavailable are 0).
 * Where Go's int32() would wrap (99999999999% of 3 replicas), the value
 * saturates at INT32_MAX (INT32_MIN): the one departure from Go here.
 */
int intstr_resolve_fenceposts(const struct intstr *max_surge, const struct intstr *max_unavailable,
			      int32_t desired, int32_t *surge, int32_t *unavailable,
			      struct perr *err);

/* MaxSurge: 0 unless RollingUpdate (or on a bad value), else the fencepost surge. */
int32_t intstr_max_surge(const struct deploy_strategy *s, int32_t replicas);
/* MaxUnavailable: 0 unless RollingUpdate with replicas != 0; capped at replicas. */
int32_t intstr_max_unavailable(const struct deploy_strategy *s, int32_t replicas);
/* MinAvailable: 0 unless RollingUpdate, else replicas - MaxUnavailable. */
int32_t intstr_min_available(const struct deploy_strategy *s, int32_t replicas);

/*
 * NewRSNewReplicas: how big the new ReplicaSet may be now. all_rs_replicas
 * is the sum of spec.replicas of every ReplicaSet of the deployment (new
 * one included), new_rs_replicas the new one's spec.replicas.
 * RollingUpdate: maxTotal = replicas + ceil-scaled maxSurge (no fencepost
 * step); Recreate: replicas. Returns 0, or -1 with err set
 * ("deployment type ... isn't supported", or a maxSurge error).
 */
int intstr_new_rs_new_replicas(const struct deploy_strategy *s, int32_t replicas,
			       int32_t all_rs_replicas, int32_t new_rs_replicas, int32_t *out,
			       struct perr *err);

/* integer.RoundToInt32: round half away from zero. */
int32_t intstr_round_to_int32(double a);

/*
 * The max-replicas annotation as getNonNegativeInt32FromAnnotation reads it
 * (strconv.ParseUint with 31 bits). Returns 0 and *out, or -1 with err set
 * ("...: invalid syntax" or "...: value out of range").
 */
int intstr_parse_nonneg_int32(const char *s, int32_t *out, struct perr *err);

/*
 * getReplicaSetFraction: how many replicas a ReplicaSet of rs_replicas
 * gains (> 0) or loses (< 0) when a deployment of d_replicas (spec) and
 * d_status_replicas is scaled proportionally. max_replicas_annot is the
 * RS's deployment.kubernetes.io/max-replicas annotation or NULL; missing,
 * invalid or 0 falls back to d_status_replicas, and if that is 0 too the
 * fraction is 0. With d_replicas == 0 the fraction is -rs_replicas.
 */
int32_t intstr_rs_fraction(int32_t rs_replicas, const char *max_replicas_annot,
			   const struct deploy_strategy *s, int32_t d_replicas,
			   int32_t d_status_replicas);

/*
 * GetProportion: the fraction clamped to what is left to add (to_add -
 * added): min() when scaling up, max() when scaling down; 0 when the RS is
 * empty (rs_replicas == 0), to_add is 0, or everything was added already.
 */
int32_t intstr_proportion(int32_t rs_replicas, const char *max_replicas_annot,
			  const struct deploy_strategy *s, int32_t d_replicas,
			  int32_t d_status_replicas, int32_t to_add, int32_t added);

#endif
