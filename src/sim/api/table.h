#ifndef PODSCOPE_SIM_TABLE_H
#define PODSCOPE_SIM_TABLE_H

#include <time.h>

#include "podscope/buf.h"

#include "resources.h"
#include "store.h"

/*
 * The server-side printing kubectl asks for with
 * "Accept: application/json;as=Table;v=v1;g=meta.k8s.io": the columns
 * kube-apiserver prints for each resource (priority 1 = only with -o wide).
 */

/* The columnDefinitions JSON array of res. */
void simtable_columns(struct buf *b, const struct simres *res);

/* One row object {"cells":[...],"object":...}; include is enum simfmt's include. */
void simtable_row(struct buf *b, const struct simobj *o, int include, time_t now);

/* A watch event's object: a Table of one row (with the column definitions). */
void simtable_single(struct buf *b, const struct simobj *o, int include, time_t now);

#endif
