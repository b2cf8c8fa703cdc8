#ifndef PODSCOPE_SIM_PODREQ_H
#define PODSCOPE_SIM_PODREQ_H

#include <stdbool.h>
#include <stdint.h>

#include <cjson/cJSON.h>

/*
 * Resource quantities and a pod's requests, as the scheduler's
 * NodeResourcesFit plugin and the quota evaluator count them
 * (apimachinery resource.Quantity, component-helpers resource.PodRequests).
 */

/* What a sim node has allocatable unless told otherwise (--node-allocatable). */
#define SIMNODE_DEFAULT_CPU    "8"
#define SIMNODE_DEFAULT_MEMORY "32Gi"
#define SIMNODE_DEFAULT_PODS   "110"

/* A quantity ("500m", "2", "128Mi", "1.5Gi", "1e3") in thousandths, rounded
 * up as Quantity.MilliValue does; false when s is not a quantity. */
bool simq_milli(const char *s, int64_t *out);

/* Quantity.String() of milli thousandths: "1500m", "2", "64Mi" (binary:
 * the largest of Ki..Ei that divides it), "1k" (decimal: k..E). */
void simq_format(int64_t milli, bool binary, char out[32]);

/* A quantity member of o (a string, or a number) in thousandths; 0 when absent
 * or unreadable. */
int64_t simq_milli_of(const cJSON *o, const char *key);

/*
 * resource.PodRequests for one resource ("cpu", "memory"), in thousandths:
 * the sum over the containers (and the restartable init containers, the
 * sidecars), or the largest init container with the sidecars started before
 * it when that is more, plus spec.overhead. A container without a request but
 * with a limit counts its limit (the API server's defaulting copies it).
 */
int64_t simpod_request(const cJSON *pod_spec, const char *resource);

#endif
