#ifndef PODSCOPE_SIM_RESOURCEQUOTA_H
#define PODSCOPE_SIM_RESOURCEQUOTA_H

#include <stdbool.h>

#include <cjson/cJSON.h>

struct sim;

/*
 * ResourceQuota, restated from upstream: the quota controller
 * (pkg/controller/resourcequota) keeps status.hard (spec.hard) and
 * status.used (pkg/quota/v1/evaluator/core/pods.go for pods, count/<resource>
 * for the objects the sim serves), and the admission plugin
 * (plugin/pkg/admission/resourcequota) refuses a pod that would take a
 * namespace over a quota.
 */
int simquota_start(struct sim *sim);
void simquota_stop(struct sim *sim);

/*
 * The admission of a new pod (namespace in its metadata) against every
 * quota of its namespace, in name order: NULL when admitted (and, when
 * commit, each quota's status.used raised by the pod, as the plugin does
 * before the pod is stored), else the reason, which the caller frees:
 * "exceeded quota: q, requested: pods=1, used: pods=2, limited: pods=2" or
 * "status unknown for quota: q, resource: pods" (a quota the controller has
 * not counted yet). The caller words it as pods "NAME" is forbidden: ...
 */
char *simquota_admit_pod(struct sim *sim, const cJSON *pod, bool commit);

#endif
