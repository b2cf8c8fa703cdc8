#ifndef PODSCOPE_SIM_NSQUEUE_H
#define PODSCOPE_SIM_NSQUEUE_H

#include <stdbool.h>
#include <stddef.h>

struct sim;
struct simres;
struct simobj;
struct evtimer;

/*
 * A queue of namespaces for the controllers that recount every object of
 * one resource in a namespace when anything there changes (ResourceQuota,
 * PodDisruptionBudget): nsq_mark queues a namespace, and a 0 ms timer calls
 * sync for each object of res in the queued namespaces.
 */
struct nsqueue {
	struct sim *sim;
	const struct simres *res;
	void (*sync)(void *ud, const struct simobj *obj);
	void *ud;
	struct evtimer *timer;
	char **dirty;
	size_t n, cap;
};

void nsq_init(struct nsqueue *q, struct sim *sim, const struct simres *res,
	      void (*sync)(void *ud, const struct simobj *obj), void *ud);
void nsq_mark(struct nsqueue *q, const char *ns);
/* Queue every namespace that has an object of res. */
void nsq_mark_all(struct nsqueue *q);
/* Whether namespace ns has an object of res. */
bool nsq_has(const struct nsqueue *q, const char *ns);
void nsq_clear(struct nsqueue *q);

#endif
