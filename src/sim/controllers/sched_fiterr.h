#ifndef PODSCOPE_SIM_SCHED_FITERR_H
#define PODSCOPE_SIM_SCHED_FITERR_H

#include <stddef.h>

/* The scheduler's FitError message (sched.c's refusals). */

/* A FitError reason and how many nodes gave it. */
struct sched_why {
	char text[160];
	size_t n;
};

/* Count text once more in why (at most cap reasons). */
void sched_why_add(struct sched_why *why, size_t *nwhy, size_t cap, const char *text);

/* strcmp over char * elements, for qsort and bsearch. */
int sched_by_string(const void *a, const void *b);

/* "0/nn nodes are available: ..." with the preemption part; resolvable: the
 * nodes that failed only on resources. */
void sched_fit_error(char *msg, size_t size, struct sched_why *why, size_t nwhy,
		     size_t resolvable, size_t nn);

#endif
