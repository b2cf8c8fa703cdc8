#ifndef PODSCOPE_SIM_KUBELET_H
#define PODSCOPE_SIM_KUBELET_H

#include <stdbool.h>
#include <stdint.h>

#include "podscope/err.h"

/*
 * The kubelets of podscope-sim: one per Node in the store, each running the
 * pods bound to it (spec.nodeName) on the simulated clock, and writing their
 * status, conditions and events the way the real kubelet does (see
 * shared/reference/kubelet_lifecycle.md): image pulls, init containers in
 * order, sidecars, postStart and preStop hooks, probes, restart policies and
 * CrashLoopBackOff, graceful termination and the pod's removal once its
 * containers have stopped. How containers behave: procsim.h and the
 * sim.podscope.dev/... annotations (podscope-sim(1), ANNOTATIONS).
 */

struct sim;

/* A row of controllers.c. */
int kubelet_start(struct sim *sim);
/* Safe when never started; frees the image registry too. */
void kubelet_stop(struct sim *sim);

/*
 * Run a command in a running container, as `kubectl exec POD -c CONTAINER --
 * ARGV...` would (argv NULL-terminated; container NULL: the first one).
 * Returns its exit status, or -1 with err set (PERR_USAGE: no such pod or
 * container, PERR_API: the container is not running).
 */
int kubelet_exec(struct sim *sim, const char *ns, const char *pod, const char *container,
		 const char *const *argv, struct perr *err);

/*
 * Break (broken = true) or heal a probe of a container: kind is "liveness",
 * "readiness" or "startup". A broken probe fails whatever the container does.
 * 0, or -1 with err set (no such pod, container or probe).
 */
int kubelet_set_probe(struct sim *sim, const char *ns, const char *pod, const char *container,
		      const char *kind, bool broken, struct perr *err);

/*
 * Make the main process of a running container exit now with exit_code, as
 * if it crashed (or finished). 0, or -1 with err set.
 */
int kubelet_kill_container(struct sim *sim, const char *ns, const char *pod, const char *container,
			   int exit_code, struct perr *err);

/*
 * Write a condition of a pod through its status, as an external controller
 * does for a readiness gate (`kubectl patch pod --subresource=status`): the
 * condition of that type is replaced (its lastTransitionTime kept while the
 * status stays the same) or appended; status is "True", "False" or
 * "Unknown"; reason and message may be NULL. The kubelet then works out
 * Ready again. The kubelet's own condition types are refused. 0, or -1 with
 * err set (PERR_USAGE: no such pod or a bad value).
 */
int kubelet_set_condition(struct sim *sim, const char *ns, const char *pod, const char *type,
			  const char *status, const char *reason, const char *message,
			  struct perr *err);

/*
 * Images that cannot be pulled. By default an image is missing when its tag
 * is "missing" or its name contains "does-not-exist"; set_missing overrides
 * that for one image reference (as written in the pod spec). Pulls after the
 * change see it.
 */
void simregistry_set_missing(struct sim *sim, const char *image, bool missing);
bool simregistry_is_missing(const struct sim *sim, const char *image);

/*
 * For tests and the scenario runner after simclock_advance: the earliest
 * simulated time a kubelet has something to do (INT64_MAX: nothing), and a
 * re-arm of every kubelet timer so that those now due run on the next loop
 * iteration.
 */
int64_t kubelet_next_wakeup(const struct sim *sim);
void kubelet_poke(struct sim *sim);

#endif
