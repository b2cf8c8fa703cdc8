#ifndef PODSCOPE_SIM_CTRL_STATEFULSET_INT_H
#define PODSCOPE_SIM_CTRL_STATEFULSET_INT_H

#include <stdbool.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "ctrl_deployment_int.h"

/* Inside the StatefulSet controller: its state (ctrl_statefulset.c) and
 * its sync (ctrl_statefulset_sync.c). */

struct stswake;

struct stsctl {
	struct sim *sim;
	const struct simres *pods, *sets, *crs, *pvcs;
	struct keyq dirty;
	struct evtimer *kick;
	struct stswake *wakes;
	struct stsctl *next;
};

/* Sync the StatefulSet "ns/name" again at simulated time t. */
void stsctl_wake_at(struct stsctl *c, const char *key, int64_t t);

/* One sync of "ns/name" (StatefulSetControl.UpdateStatefulSet and the
 * status write). */
void stsctl_sync(struct stsctl *c, const char *key);

/* getParentNameAndOrdinal: the ordinal of a pod named PARENT-N, or -1 when
 * the name does not end in "-N" or N does not fit an int32. */
int32_t stsctl_ordinal(const char *pod_name);

#endif
