#ifndef PODSCOPE_SIM_CTRL_GC_H
#define PODSCOPE_SIM_CTRL_GC_H

#include <stdbool.h>

/*
 * The garbage collector and the namespace controller.
 *
 * Garbage collector: when an owner is deleted (Background), its dependents
 * (objects whose metadata.ownerReferences name its uid) are deleted too, pods
 * gracefully; a dependent that still has a live owner only loses the
 * reference. An owner deleted in the Foreground keeps a deletionTimestamp and
 * the "foregroundDeletion" finalizer until its dependents are gone.
 *
 * Namespace controller: a namespace with a deletionTimestamp (status.phase
 * Terminating) has every object in it deleted; once none is left, the
 * namespace itself goes.
 */

struct sim;

/* Both run from one controller row ("garbagecollector"). stop also forgets
 * simpod_delete's safety timers. */
int simgc_start(struct sim *sim);
void simgc_stop(struct sim *sim);

/* Remove ownerReferences to uid from the objects of namespace ns (Orphan). */
void simgc_orphan(struct sim *sim, const char *ns, const char *uid);
/* Whether any object in ns names uid as an owner. */
bool simgc_has_dependents(struct sim *sim, const char *ns, const char *uid);

#endif
