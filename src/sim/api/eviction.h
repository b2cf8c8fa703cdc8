#ifndef PODSCOPE_SIM_EVICTION_H
#define PODSCOPE_SIM_EVICTION_H

struct simreq;

/* POST /api/v1/namespaces/NS/pods/NAME/eviction. */
void simeviction_handle(struct simreq *r, const char *ns, const char *name);

#endif
