#ifndef PODSCOPE_DSNODES_H
#define PODSCOPE_DSNODES_H

#include <stdbool.h>
#include <stddef.h>

#include "podscope/dsplace.h"
#include "podscope/store.h"

/*
 * A DaemonSet's rollout as node rows, from the store (no I/O): one row per
 * node that runs a daemon pod or should run one (the pod NULL: "no pod"),
 * two rows for a node in a surge (the older pod first), rows for pods on
 * nodes the store does not hold (when nodes may not be listed: every pod's
 * node), and unscheduled pods last. Nodes that should not run the pod and
 * have none are not rows: they are counted in excluded.
 */
struct ds_row {
	const char *node;      /* "" for an unscheduled pod */
	const struct node *n;  /* NULL when the store does not hold the node */
	const struct pod *pod; /* NULL: the node should run a pod and has none */
	struct ds_fit fit;     /* should_run true when n is NULL */
	bool first;            /* the first row of its node */
	bool surge;            /* its node holds two live daemon pods */
};

/* Caps: rows beyond these are not gathered. */
#define DS_ROWS_MAX_PODS  100000
#define DS_ROWS_MAX_NODES 100000

struct ds_rows {
	struct ds_row *rows;
	size_t n, cap;
	size_t excluded;       /* nodes that should not run it and have no pod */
	size_t nodes;          /* nodes the store holds */
	size_t misscheduled;   /* nodes with a daemon pod that should not run it */
	int surge_used;        /* nodes holding more than one live pod */
	/* scratch, kept between gathers so a frame allocates nothing */
	const struct pod **pods;
	size_t n_pods, cap_pods;
	const struct node **nodev;
	size_t cap_nodes;
};

/* Gather ds's rows (the arrays are grown, never shrunk). */
void ds_rows_gather(struct ds_rows *r, const struct store *s, const struct daemonset *ds);
void ds_rows_free(struct ds_rows *r);

/*
 * The row's marks, space-separated, into buf: "cordoned", "NotReady",
 * "misscheduled", "surge", "replacing" (a daemon pod being deleted).
 */
void ds_row_marks(const struct ds_row *row, char *buf, size_t n);

/*
 * Whether two versions of a node look the same to the rows: cordon, Ready,
 * labels and taints (a kubelet's heartbeat changes none of them, so the
 * screen need not be redrawn for it).
 */
bool ds_node_same(const struct node *a, const struct node *b);

#endif
