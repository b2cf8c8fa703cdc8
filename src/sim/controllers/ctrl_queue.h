#ifndef PODSCOPE_SIM_CTRL_QUEUE_H
#define PODSCOPE_SIM_CTRL_QUEUE_H

#include <stdint.h>

#include "ctrl_deployment_int.h"

/*
 * A controller's work queue: "ns/name" keys without duplicates, synced from
 * one 0 ms timer (a bounded batch per turn of the loop), and wake-ups on the
 * simulated clock (AddAfter), the earliest per key winning.
 */

struct sim;
struct ctrlq_wake;

struct ctrlq {
	struct sim *sim;
	void (*sync)(void *ud, const char *key);
	void *ud;
	struct keyq dirty;
	struct evtimer *kick;
	struct ctrlq_wake *wakes;
};

void ctrlq_init(struct ctrlq *q, struct sim *sim, void (*sync)(void *ud, const char *key),
		void *ud);
/* Cancel the timers and free the keys. */
void ctrlq_clear(struct ctrlq *q);

/* Sync key soon. */
void ctrlq_add(struct ctrlq *q, const char *key);
/* Sync "ns/name" soon. */
void ctrlq_add2(struct ctrlq *q, const char *ns, const char *name);
/* Sync key at simulated time t. */
void ctrlq_add_at(struct ctrlq *q, const char *key, int64_t t);

/*
 * struct sim has no slot for a controller's state: this maps (tag, sim) to
 * it, tag being the address of a static of the controller's own. put
 * registers (a state already there for the pair is replaced), get finds,
 * take finds and forgets; both NULL when there is none.
 */
void ctrlreg_put(const void *tag, const struct sim *sim, void *state);
void *ctrlreg_get(const void *tag, const struct sim *sim);
void *ctrlreg_take(const void *tag, const struct sim *sim);

#endif
