#ifndef PODSCOPE_SIM_KUBELET_PHASE_H
#define PODSCOPE_SIM_KUBELET_PHASE_H

#include <stdbool.h>

struct cJSON;

/*
 * getPhase (pkg/kubelet/kubelet_pods.go, v1.28 as restated in
 * shared/reference/kubelet_lifecycle.md part 6), for the simulator: the
 * phase of a pod from its spec (containers, init containers and sidecars,
 * restartPolicy) and the container statuses in its status. terminal: the
 * pod will not run again. has_initialized: a regular container has started
 * in the current sandbox (kphase_has_initialized). Returns "Pending",
 * "Running", "Succeeded" or "Failed".
 */
const char *kphase_compute(const struct cJSON *pod, bool terminal, bool has_initialized);

/* Whether a regular container of pod is running, has terminated or has a last termination. */
bool kphase_has_initialized(const struct cJSON *pod);

#endif
