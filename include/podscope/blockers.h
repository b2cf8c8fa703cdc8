#ifndef PODSCOPE_BLOCKERS_H
#define PODSCOPE_BLOCKERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "podscope/policy.h"
#include "podscope/store.h"

/*
 * What a workload's rollout depends on besides its own pods, from the store
 * alone (pure: no I/O):
 *  - the PodDisruptionBudgets whose selector selects its pods (or, with no
 *    pods yet, its selector's matchLabels taken as labels): a budget with no
 *    disruption allowed blocks evictions (a drain);
 *  - every resource of every ResourceQuota of its namespace, used against
 *    hard: at or over hard, the quota admission refuses the next pod that
 *    needs it;
 *  - the nodes: schedulable (Ready, not cordoned), cordoned, NotReady, and
 *    how many schedulable nodes have room for one of its pods (allocatable
 *    cpu/memory less the requests of the pods bound there that have not
 *    ended); none with room blocks scheduling;
 *  - the HorizontalPodAutoscaler whose scaleTargetRef names it: it owns
 *    the replica count.
 * Objects pointed to are the store's: valid until its next change.
 */

#define BLOCKERS_MAX_PDBS   16
#define BLOCKERS_MAX_QUOTAS 32 /* quota resources (rows) */
#define BLOCKERS_MAX_NODES  20000

struct blocker_pdb {
	const struct pdb *pdb;
	bool blocks; /* status.disruptionsAllowed <= 0 */
};

struct blocker_quota {
	const struct resource_quota *quota;
	const struct quota_item *item;
	bool at_hard; /* used >= hard */
};

struct blocker_nodes {
	int total, schedulable, cordoned, not_ready;
	int with_room; /* schedulable nodes where one more pod fits by its requests */
	bool capped;   /* more than BLOCKERS_MAX_NODES nodes: the rest not looked at */
	int64_t pod_cpu_milli, pod_mem_bytes;    /* one pod's requests (its newest pod's) */
	int64_t alloc_cpu_milli, used_cpu_milli; /* summed over schedulable nodes */
	int64_t alloc_mem_bytes, used_mem_bytes;
	int pending; /* the workload's pods not bound to a node */
};

struct blockers {
	struct blocker_pdb pdbs[BLOCKERS_MAX_PDBS];
	struct blocker_quota quotas[BLOCKERS_MAX_QUOTAS];
	size_t n_pdbs, n_quotas;
	bool pdbs_capped, quotas_capped;
	struct blocker_nodes nodes;
	const struct hpa *hpa;
	bool no_room;   /* nodes known, and no schedulable node has room for a pod */
	int n_blocking; /* PDBs blocking, quota resources at hard, no_room, an HPA */
};

/* k: STORE_DEPLOYMENTS, STORE_STATEFULSETS or STORE_DAEMONSETS; set: the object. */
void blockers_of(const struct store *s, enum store_kind k, const void *set, struct blockers *out);

/* The HPA of namespace ns whose scaleTargetRef is kind/name ("Deployment", "web"), or NULL. */
const struct hpa *blockers_hpa_of(const struct store *s, const char *ns, const char *kind,
				  const char *name);

/* Whether a label selector (matchLabels, matchExpressions In/NotIn/Exists/
 * DoesNotExist) selects labels; an empty selector selects everything, an
 * unknown operator nothing. */
bool label_selector_matches(const struct model_kv *ml, uint16_t n_ml, const struct label_expr *me,
			    uint16_t n_me, const struct model_kv *labels, uint16_t n_labels);

/* One pod's requests as the scheduler sums them: the containers and the
 * sidecars, or the largest other init container when that is more. */
void blockers_pod_requests(const struct pod *p, int64_t *cpu_milli, int64_t *mem_bytes);

/* Millicores as Kubernetes writes them ("500m", "2"); bytes in the largest
 * binary unit, one decimal at most ("64Mi", "3.5Gi"); a PDB's rule
 * ("minAvailable 3", "maxUnavailable 25%", "no rule"). */
void blockers_fmt_cpu(int64_t milli, char *buf, size_t n);
void blockers_fmt_mem(int64_t bytes, char *buf, size_t n);
void blockers_pdb_rule(const struct pdb *p, char *buf, size_t n);

#endif
