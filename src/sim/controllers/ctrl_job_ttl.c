#include "config.h"

#include <stdio.h>

#include "api_write.h"
#include "clock.h"
#include "ctrl_job_int.h"
#include "sim.h"

/*
 * The TTL-after-finished controller (pkg/controller/ttlafterfinished,
 * v1.33): a Job with ttlSecondsAfterFinished is deleted, Foreground with
 * its uid as precondition, that many seconds after its Complete or Failed
 * condition turned True.
 */

int64_t simjob_ttl_process(struct jobctl *c, const char *ns, const char *name)
{
	const struct simobj *o = simstore_get(c->sim->store, c->jobs, ns, name);
	if (!o || cj_path(o->json, "metadata", "deletionTimestamp", NULL))
		return -1;
	const cJSON *ttl = cj_path(o->json, "spec", "ttlSecondsAfterFinished", NULL);
	const cJSON *fin = simjob_finished_condition(o->json);
	if (!cJSON_IsNumber(ttl) || !fin)
		return -1;
	int64_t finished = cj_time(fin, "lastTransitionTime");
	if (!finished)
		return -1;
	int64_t expire = finished + (int64_t)ttl->valuedouble * 1000;
	if (expire > simclock_now(&c->sim->clock))
		return expire;
	char uid[64];
	snprintf(uid, sizeof(uid), "%s", cj_str(cj_path(o->json, "metadata", NULL), "uid") ?: "");
	simwrite_delete_object(c->sim, c->jobs, ns, name, -1, "Foreground", uid, NULL);
	return -1;
}
