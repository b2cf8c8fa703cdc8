#ifndef PODSCOPE_TEST_SIM_DEPLOY_H
#define PODSCOPE_TEST_SIM_DEPLOY_H

/* Fixtures shared by the deployment controller's decision tests (the
 * helpers of Kubernetes' deployment tests, restated). Header-only. */

#include <stdint.h>

#include "ctrl_deployment_logic.h"

#define T0   INT64_C(1463709600000) /* 2016-05-20T02:00:00Z: "newTimestamp" */
#define HOUR INT64_C(3600000)

/* newDeployment(): RollingUpdate with maxSurge and maxUnavailable 0 unless given. */
static inline struct dl_deployment mkdep(int32_t replicas, int32_t surge, int32_t unavail)
{
	struct dl_deployment d = {0};
	d.spec_replicas = replicas;
	d.has_spec_replicas = 1;
	d.progress_deadline_seconds = -1;
	d.strategy.type = KSTRATEGY_ROLLING_UPDATE;
	d.strategy.max_surge = KINTSTR_INT(surge);
	d.strategy.max_unavailable = KINTSTR_INT(unavail);
	return d;
}

/* rs(): spec replicas, available = replicas unless told. */
static inline struct dl_rs mkrs(const char *name, int32_t spec, int64_t created)
{
	struct dl_rs r = {0};
	r.name = name;
	r.spec = spec;
	r.replicas = spec;
	r.available = spec;
	r.created_ms = created;
	return r;
}

#endif
