#ifndef PODSCOPE_SIM_PODCOLS_H
#define PODSCOPE_SIM_PODCOLS_H

#include <time.h>

#include <cjson/cJSON.h>

/*
 * READY, STATUS and RESTARTS of a pod exactly as `kubectl get pods` prints
 * them (kube-apiserver's printPod; see doc reference pod_status.md). Kept
 * apart so that it can move into src/core when the dashboard needs the same
 * algorithm.
 */
struct podcols {
	char ready[24];
	char status[128];
	char restarts[64];
	long long restart_count;
};

void simpod_columns(const cJSON *pod, time_t now, struct podcols *out);

#endif
