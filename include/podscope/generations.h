#ifndef PODSCOPE_GENERATIONS_H
#define PODSCOPE_GENERATIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "podscope/model.h"
#include "podscope/rollout.h"

/*
 * A Deployment's ReplicaSet generations: which one is new (the one the
 * controller scales up to spec.replicas) and which are old, each with its
 * desired/current/ready/available counts, plus the rolling update's budgets
 * resolved to pod counts and kubectl's rollout status. Pure: no I/O.
 *
 * Which ReplicaSet is new, as far as the model knows (it holds the
 * templates' images, not whole templates):
 *  1. once the controller has observed the deployment's generation, the one
 *     whose revision annotation equals the deployment's (the controller
 *     copies the new ReplicaSet's revision to the deployment);
 *  2. otherwise the highest revision among those whose template images
 *     (containers and init containers, in order) equal the deployment's;
 *  3. otherwise none: the controller has not made it yet (Recreate waits
 *     for the old pods to go first).
 */

struct gen_rs {
	const struct replicaset *rs;
	int64_t revision; /* deployment.kubernetes.io/revision; 0 when missing or invalid */
	bool is_new;
	bool images_match; /* its template's images equal the deployment's */
	int32_t desired;   /* spec.replicas (0 when unset) */
	int32_t current;   /* status.replicas */
	int32_t ready;
	int32_t available;
};

struct generations {
	const struct deployment *d;
	struct gen_rs *rs; /* by revision, oldest first; ties by creation, then name */
	size_t n;
	int new_index;      /* into rs[], -1 when there is no new ReplicaSet */
	const char *new_by; /* how it was found: "revision", "images" or "" */
	struct rollout_budget budget;
	int32_t old_current;          /* status.replicas of the old ReplicaSets together */
	int32_t old_available;        /* and their available replicas */
	struct rollout_result status; /* kubectl rollout status's message for d */
};

/*
 * Whether rs belongs to d: its controller ownerReference names d (kind
 * Deployment, d's name, d's namespace) and, when the reference carries a
 * uid, d's uid (objects written by hand may leave the uid out).
 */
bool generations_owned_by(const struct deployment *d, const struct replicaset *rs);

/*
 * Build d's generations from its ReplicaSets rss (the caller selects them,
 * e.g. with generations_owned_by). The arrays refer to d and rss, which
 * must outlive out. Release with generations_free.
 */
void generations_build(const struct deployment *d, const struct replicaset *const *rss, size_t n,
		       struct generations *out);
void generations_free(struct generations *g);

/* The new ReplicaSet's entry, or NULL. */
const struct gen_rs *generations_new(const struct generations *g);

/* The entry of the ReplicaSet named name, or NULL. */
const struct gen_rs *generations_find(const struct generations *g, const char *name);

/* "RollingUpdate", "Recreate" or "Other". */
const char *generations_strategy_name(const struct deployment *d);

/* The ReplicaSets of d in the store (generations_owned_by), in a heap array (free it). */
struct store;
const struct replicaset **generations_collect(const struct store *st, const struct deployment *d,
					      size_t *n);

#endif
