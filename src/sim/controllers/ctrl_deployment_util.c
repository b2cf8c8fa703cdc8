#include "config.h"

#include <string.h>

#include "ctrl_deployment_util.h"

bool dutil_has_progress_deadline(int32_t pds)
{
	return pds >= 0 && pds != INT32_MAX;
}

bool dutil_complete(int32_t spec_replicas, int64_t generation, const struct dl_status *st)
{
	return st->updated == spec_replicas && st->replicas == spec_replicas &&
	       st->available == spec_replicas && st->observed_generation >= generation;
}

bool dutil_progressing(const struct dl_status *old, const struct dl_status *now)
{
	int32_t old_before = old->replicas - old->updated;
	int32_t old_after = now->replicas - now->updated;
	return now->updated > old->updated || old_after < old_before || now->ready > old->ready ||
	       now->available > old->available;
}

bool dutil_timed_out(int32_t pds, const struct dl_status *st, int64_t now_ms)
{
	if (!dutil_has_progress_deadline(pds))
		return false;
	const struct dl_cond *c = dl_get_condition(st, "Progressing");
	if (!c)
		return false;
	/* A complete rollout stays complete until a new one starts. */
	if (strcmp(c->reason, "NewReplicaSetAvailable") == 0)
		return false;
	if (strcmp(c->reason, "ProgressDeadlineExceeded") == 0)
		return true;
	return c->last_update + (int64_t)pds * 1000 < now_ms;
}
