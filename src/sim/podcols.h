#ifndef PODSCOPE_SIM_PODCOLS_H
#define PODSCOPE_SIM_PODCOLS_H

#include <time.h>

#include <cjson/cJSON.h>

/*
 * READY, STATUS and RESTARTS of a pod exactly as `kubectl get pods` prints
 * them (kube-apiserver's printPod), computed by core/pod_status.c.
 */
struct podcols {
	char ready[24];
	char status[256];
	char restarts[64];
	long long restart_count;
};

void simpod_columns(const cJSON *pod, time_t now, struct podcols *out);

#endif
