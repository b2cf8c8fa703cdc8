#ifndef PODSCOPE_POD_STATUS_H
#define PODSCOPE_POD_STATUS_H

#include <stdbool.h>
#include <stdint.h>

#include "podscope/model.h"

/*
 * `kubectl get pods` columns, exactly as the API server's printPod computes
 * them (pkg/printers/internalversion, v1.34): see
 * shared/reference/pod_status.md for the algorithm, step by step.
 */

#define POD_STATUS_REASON_MAX 256

/* The table row's condition kubectl uses to hide finished pods. */
enum pod_row_cond {
	POD_ROW_NONE = 0,
	POD_ROW_COMPLETED, /* phase Succeeded: "The pod has completed successfully." */
	POD_ROW_FAILED,    /* phase Failed: "The pod failed." */
};

struct pod_row {
	char ready[24];                      /* READY: "1/2" */
	char status[POD_STATUS_REASON_MAX];  /* STATUS: "Running", "Init:0/2", ... */
	char restarts[48];                   /* RESTARTS: "3" or "3 (10s ago)" */
	char age[24];                        /* AGE: "5m", "<unknown>" */
	/* -o wide; the pointers are the pod's strings or the literal "<none>" */
	const char *ip;
	const char *node;
	const char *nominated_node;
	char readiness_gates[24]; /* "1/3" or "<none>" */
	/* the numbers behind the strings */
	int32_t ready_count;
	int32_t total;
	int32_t restart_count;
	int64_t last_restart; /* ms since the epoch; 0 when none */
	uint8_t row_cond;     /* enum pod_row_cond */
};

/* Compute every column of p as kubectl would print it at time now_ms. */
void pod_status_row(const struct pod *p, int64_t now_ms, struct pod_row *out);

/* Every container's restarts, init containers' too, capped at INT32_MAX. */
int32_t pod_restart_total(const struct pod *p);

/*
 * The kubelet's pod phase (getPhase in pkg/kubelet/kubelet_pods.go), for a
 * simulated kubelet: from the spec's containers and the statuses, looked
 * up by name. pod_is_terminal: the pod will not run again (its containers
 * are not restarted whatever the policy). pod_has_initialized: a regular
 * container has been created in the current sandbox (see
 * pod_phase_has_initialized). Static pods and per-container restart
 * policies are not modelled. Returns "Pending", "Running", "Succeeded" or
 * "Failed" (static strings).
 */
const char *pod_phase_compute(const struct pod *p, bool pod_is_terminal,
			      bool pod_has_initialized);

/* Whether any regular container is running, has terminated or has a last termination. */
bool pod_phase_has_initialized(const struct pod *p);

#endif
