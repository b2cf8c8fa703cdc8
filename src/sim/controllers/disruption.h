#ifndef PODSCOPE_SIM_DISRUPTION_H
#define PODSCOPE_SIM_DISRUPTION_H

#include <stdint.h>

struct sim;

/*
 * PodDisruptionBudget, restated from upstream: the disruption controller
 * (pkg/controller/disruption/disruption.go) keeps a PDB's status
 * (currentHealthy, desiredHealthy, disruptionsAllowed, expectedPods,
 * observedGeneration, the DisruptionAllowed condition), and the eviction
 * subresource (pkg/registry/core/pod/storage/eviction.go) deletes a pod only
 * when its budget allows it.
 */
int simpdb_start(struct sim *sim);
void simpdb_stop(struct sim *sim);

/* What an eviction answered: code 201 (evicted: the pod is being deleted),
 * 404, 429 (the budget forbids it), 500 (more than one budget) or 403; the
 * message, and for 429 the DisruptionBudget cause's message. */
struct simevict {
	unsigned code;
	char *message;
	char *cause;
};

/* POST pods/NAME/eviction; grace_s -1: the pod's own grace period. */
void simpdb_evict(struct sim *sim, const char *ns, const char *name, int64_t grace_s,
		  struct simevict *out);
void simevict_clear(struct simevict *e);

#endif
