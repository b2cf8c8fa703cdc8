#include "config.h"

#include <stdio.h>

#include "podscope/blockers.h"
#include "podscope/buf.h"
#include "podscope/sanitize.h"

#include "cmd_common.h"
#include "cmd_print.h"

/* `podscope get deploy|sts|ds/NAME`: the workload's blockers (blockers.h). */

void cmd_print_blockers(const struct store *st, enum store_kind k, const void *obj)
{
	struct blockers b;
	blockers_of(st, k, obj, &b);
	cmd_printf(stdout, "  blockers: %d blocking\n", b.n_blocking);
	char rule[64], c1[32], m1[32];
	for (size_t i = 0; i < b.n_pdbs; i++) {
		const struct pdb *p = b.pdbs[i].pdb;
		blockers_pdb_rule(p, rule, sizeof(rule));
		cmd_printf(stdout, "    pdb %s: %s, healthy %d/%d, %d disruptions allowed%s\n",
			   p->name, rule, (int)p->current_healthy, (int)p->desired_healthy,
			   (int)p->disruptions_allowed,
			   b.pdbs[i].blocks ? " (blocks evictions)" : "");
	}
	for (size_t i = 0; i < b.n_quotas; i++) {
		const struct blocker_quota *q = &b.quotas[i];
		cmd_printf(stdout, "    quota %s: %s %s/%s%s\n", q->quota->name, q->item->resource,
			   *q->item->used ? q->item->used : "?", q->item->hard,
			   q->at_hard ? " (at hard: new pods refused)" : "");
	}
	const struct blocker_nodes *n = &b.nodes;
	if (n->total) {
		blockers_fmt_cpu(n->pod_cpu_milli, c1, sizeof(c1));
		blockers_fmt_mem(n->pod_mem_bytes, m1, sizeof(m1));
		cmd_printf(stdout,
			   "    nodes: %d, %d schedulable, %d cordoned, %d NotReady; %d with room "
			   "for a pod (cpu %s, memory %s)%s\n",
			   n->total, n->schedulable, n->cordoned, n->not_ready, n->with_room, c1,
			   m1, b.no_room ? " (no room: new pods stay Pending)" : "");
	}
	if (b.hpa)
		cmd_printf(stdout,
			   "    hpa %s: min %d, max %d, current %d, desired %d (owns the replica "
			   "count)\n",
			   b.hpa->name, (int)b.hpa->min_replicas, (int)b.hpa->max_replicas,
			   (int)b.hpa->current_replicas, (int)b.hpa->desired_replicas);
}

static void num(struct buf *b, const char *k, long long v)
{
	buf_addc(b, ',');
	sanitize_json_string(b, k);
	buf_printf(b, ":%lld", v);
}

static void boolean(struct buf *b, const char *k, bool v)
{
	buf_addc(b, ',');
	sanitize_json_string(b, k);
	buf_adds(b, v ? ":true" : ":false");
}

void cmd_json_blockers(struct buf *b, const struct store *st, enum store_kind k, const void *obj)
{
	struct blockers bl;
	blockers_of(st, k, obj, &bl);
	buf_adds(b, ",\"blockers\":{\"blocking\":");
	buf_printf(b, "%d,\"pdbs\":[", bl.n_blocking);
	char rule[64];
	for (size_t i = 0; i < bl.n_pdbs; i++) {
		const struct pdb *p = bl.pdbs[i].pdb;
		blockers_pdb_rule(p, rule, sizeof(rule));
		buf_adds(b, i ? ",{" : "{");
		cmd_json_str(b, "name", p->name, false);
		cmd_json_str(b, "rule", rule, true);
		num(b, "currentHealthy", p->current_healthy);
		num(b, "desiredHealthy", p->desired_healthy);
		num(b, "disruptionsAllowed", p->disruptions_allowed);
		boolean(b, "blocks", bl.pdbs[i].blocks);
		buf_addc(b, '}');
	}
	buf_adds(b, "],\"quotas\":[");
	for (size_t i = 0; i < bl.n_quotas; i++) {
		const struct blocker_quota *q = &bl.quotas[i];
		buf_adds(b, i ? ",{" : "{");
		cmd_json_str(b, "name", q->quota->name, false);
		cmd_json_str(b, "resource", q->item->resource, true);
		cmd_json_str(b, "used", q->item->used, true);
		cmd_json_str(b, "hard", q->item->hard, true);
		boolean(b, "atHard", q->at_hard);
		buf_addc(b, '}');
	}
	const struct blocker_nodes *n = &bl.nodes;
	buf_printf(b, "],\"nodes\":{\"total\":%d", n->total);
	num(b, "schedulable", n->schedulable);
	num(b, "cordoned", n->cordoned);
	num(b, "notReady", n->not_ready);
	num(b, "withRoom", n->with_room);
	num(b, "podCpuMilli", n->pod_cpu_milli);
	num(b, "podMemoryBytes", n->pod_mem_bytes);
	boolean(b, "noRoom", bl.no_room);
	buf_adds(b, "},\"hpa\":");
	if (!bl.hpa) {
		buf_adds(b, "null}");
		return;
	}
	buf_addc(b, '{');
	cmd_json_str(b, "name", bl.hpa->name, false);
	num(b, "minReplicas", bl.hpa->min_replicas);
	num(b, "maxReplicas", bl.hpa->max_replicas);
	num(b, "currentReplicas", bl.hpa->current_replicas);
	num(b, "desiredReplicas", bl.hpa->desired_replicas);
	buf_adds(b, "}}");
}
