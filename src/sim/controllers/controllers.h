#ifndef PODSCOPE_SIM_CONTROLLERS_H
#define PODSCOPE_SIM_CONTROLLERS_H

/*
 * Everything in podscope-sim that makes objects move on its own: the
 * controllers (deployment, replicaset, endpoints), the scheduler, the
 * kubelets and the scenario runner. Each has a start (after the store is
 * seeded, before the server listens) and a stop (before the store goes),
 * listed once in controllers.c.
 */

struct sim;

/* Start all, in table order; 0, or -1 with a message on stderr. */
int simctrl_start_all(struct sim *sim);
/* Stop all, in reverse order. */
void simctrl_stop_all(struct sim *sim);

#endif
