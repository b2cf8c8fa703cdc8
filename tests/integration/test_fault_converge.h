#ifndef PODSCOPE_TEST_FAULT_CONVERGE_H
#define PODSCOPE_TEST_FAULT_CONVERGE_H

#include <stdbool.h>
#include <stddef.h>

#include "podscope/buf.h"
#include "podscope/simlaunch.h"
#include "podscope/store.h"

/* One plain HTTP request to the simulator (no credentials: it runs with
 * --allow-anonymous). The status (0: no answer); the body, NUL-terminated,
 * in *out (buf_free it). */
long fc_http(struct simlaunch *sim, const char *method, const char *path, const char *body,
	     struct buf *out);

/*
 * Whether st holds what a fresh list of every kind, taken now, holds: the
 * same namespace/name set (no lost objects, no phantoms), each with the
 * same uid and resourceVersion, pods with the same status (READY, STATUS,
 * RESTARTS, phase, node, IP, deletion, conditions, container states). The
 * first difference goes to why.
 */
bool fc_store_equals_fresh(struct simlaunch *sim, const struct store *st, char *why, size_t n);

#endif
