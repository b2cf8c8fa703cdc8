#ifndef PODSCOPE_SIM_CTRL_DEPLOYMENT_UTIL_H
#define PODSCOPE_SIM_CTRL_DEPLOYMENT_UTIL_H

#include <stdbool.h>
#include <stdint.h>

#include "ctrl_deployment_logic.h"

/*
 * The deployment controller's verdicts on a rollout, restated from
 * kubernetes pkg/controller/deployment/util/deployment_util.go
 * (DeploymentComplete, DeploymentProgressing, DeploymentTimedOut,
 * HasProgressDeadline) and checked against that file's test tables in
 * tests/unit/test_sim_printer.c. The simulator decides the Progressing and
 * Available conditions with these, never with podscope's rollout code, so
 * that `podscope wait` and the dashboard are compared with an oracle of
 * their own.
 */

/* spec.progressDeadlineSeconds is set (pds >= 0; < 0 stands for nil) and
 * is not MaxInt32. */
bool dutil_has_progress_deadline(int32_t pds);

/* Every desired replica updated and available, no old one left, and the
 * status written for the current generation. */
bool dutil_complete(int32_t spec_replicas, int64_t generation, const struct dl_status *st);

/* Anything moved forward from old to now: more updated, fewer old, more
 * ready or more available replicas. */
bool dutil_progressing(const struct dl_status *old, const struct dl_status *now);

/* The Progressing condition of st reports no progress for longer than the
 * deadline (or has timed out already); never once it reads
 * NewReplicaSetAvailable. */
bool dutil_timed_out(int32_t pds, const struct dl_status *st, int64_t now_ms);

#endif
