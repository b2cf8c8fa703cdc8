#ifndef PODSCOPE_SIM_LIST_H
#define PODSCOPE_SIM_LIST_H

#include <stdbool.h>
#include <stdint.h>

#include "http.h"
#include "resources.h"

/*
 * GET of a collection: resourceVersion semantics, labelSelector,
 * fieldSelector, limit/continue over a consistent snapshot, as JSON
 * (FooList) or, for kubectl, as a meta.k8s.io/v1 Table.
 */

/* How a GET wants its answer, from Accept and includeObject. */
struct simfmt {
	bool table;
	enum { SIMFMT_OBJ_NONE, SIMFMT_OBJ_METADATA, SIMFMT_OBJ_OBJECT } include;
};
void simfmt_from_request(const struct simreq *r, struct simfmt *fmt);

/* ns == NULL: all namespaces (or a cluster-scoped resource). */
void simlist_handle(struct simreq *r, const struct simres *res, const char *ns,
                    const struct simfmt *fmt);

/* The continue token (base64url of {"v","rv","start"}), exported for tests. */
char *simlist_encode_continue(int64_t rv, const char *start);
/* 0 and the parts (start a heap string without its trailing NUL marker), or -1. */
int simlist_decode_continue(const char *token, int64_t *rv, char **start, bool *exclusive);

/* Parse a Kubernetes boolean query value ("true", "1", ...). */
bool simlist_bool(const char *v);

#endif
