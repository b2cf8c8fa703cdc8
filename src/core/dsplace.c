#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "podscope/dsplace.h"

/*
 * NodeShouldRunDaemonPod, restated from upstream (v1.33):
 * pkg/controller/daemon/daemon_controller.go (NodeShouldRunDaemonPod,
 * predicates), pkg/controller/daemon/util/daemonset_util.go
 * (AddOrUpdateDaemonPodTolerations), component-helpers/scheduling/corev1/
 * nodeaffinity (GetRequiredNodeAffinity, NodeSelector.Match),
 * core/v1 Toleration.ToleratesTaint and
 * v1helper.FindMatchingUntoleratedTaint.
 */

/* What AddOrUpdateDaemonPodTolerations adds to every daemon pod. */
static const struct toleration added[] = {
    {"node.kubernetes.io/not-ready", "Exists", "", "NoExecute"},
    {"node.kubernetes.io/unreachable", "Exists", "", "NoExecute"},
    {"node.kubernetes.io/disk-pressure", "Exists", "", "NoSchedule"},
    {"node.kubernetes.io/memory-pressure", "Exists", "", "NoSchedule"},
    {"node.kubernetes.io/pid-pressure", "Exists", "", "NoSchedule"},
    {"node.kubernetes.io/unschedulable", "Exists", "", "NoSchedule"},
};
static const struct toleration host_network_added = {"node.kubernetes.io/network-unavailable",
						     "Exists", "", "NoSchedule"};

static const char *s0(const char *s)
{
	return s ? s : "";
}

bool ds_tolerates(const struct toleration *t, const struct node_taint *taint)
{
	if (*s0(t->effect) && strcmp(t->effect, s0(taint->effect)) != 0)
		return false;
	if (*s0(t->key) && strcmp(t->key, s0(taint->key)) != 0)
		return false;
	const char *op = s0(t->op);
	if (!*op || strcmp(op, "Equal") == 0)
		return strcmp(s0(t->value), s0(taint->value)) == 0;
	return strcmp(op, "Exists") == 0;
}

static bool tolerated(const struct daemonset *ds, const struct node_taint *taint)
{
	for (uint16_t i = 0; i < ds->n_tolerations; i++)
		if (ds_tolerates(&ds->tolerations[i], taint))
			return true;
	for (size_t i = 0; i < sizeof(added) / sizeof(added[0]); i++)
		if (ds_tolerates(&added[i], taint))
			return true;
	return ds->host_network && ds_tolerates(&host_network_added, taint);
}

/* The node's label key, or NULL when it has none. */
static const char *label(const struct node *n, const char *key)
{
	for (uint16_t i = 0; i < n->n_labels; i++)
		if (strcmp(s0(n->labels[i].key), key) == 0)
			return s0(n->labels[i].value);
	return NULL;
}

static bool in_values(const struct label_expr *e, const char *v)
{
	for (uint16_t i = 0; i < e->n_values; i++)
		if (strcmp(s0(e->values[i]), v) == 0)
			return true;
	return false;
}

/* A whole int64 as Go's strconv.ParseInt(s, 10, 64) takes it. */
static bool parse_int(const char *s, long long *out)
{
	if (!s || !*s)
		return false;
	char *end;
	errno = 0;
	*out = strtoll(s, &end, 10);
	return !*end && errno == 0 && (s[0] == '-' || s[0] == '+' || (s[0] >= '0' && s[0] <= '9'));
}

/* 1: matches, 0: does not, -1: an invalid requirement (its term fails). */
static int match_expr(const struct node *n, const struct label_expr *e)
{
	const char *op = s0(e->op), *v = label(n, s0(e->key));
	if (strcmp(op, "In") == 0 || strcmp(op, "NotIn") == 0) {
		if (!e->n_values)
			return -1;
		bool in = v && in_values(e, v);
		return strcmp(op, "In") == 0 ? in : !in;
	}
	if (strcmp(op, "Exists") == 0 || strcmp(op, "DoesNotExist") == 0) {
		if (e->n_values)
			return -1;
		return (v != NULL) == (strcmp(op, "Exists") == 0);
	}
	if (strcmp(op, "Gt") == 0 || strcmp(op, "Lt") == 0) {
		long long want, have;
		if (e->n_values != 1 || !parse_int(e->values[0], &want))
			return -1;
		if (!v || !parse_int(v, &have))
			return 0;
		return strcmp(op, "Gt") == 0 ? have > want : have < want;
	}
	return -1;
}

/* matchFields: metadata.name In/NotIn with exactly one value. */
static int match_field(const struct node *n, const struct label_expr *e)
{
	const char *op = s0(e->op);
	if (strcmp(s0(e->key), "metadata.name") != 0 || e->n_values != 1)
		return -1;
	bool eq = strcmp(s0(e->values[0]), s0(n->name)) == 0;
	if (strcmp(op, "In") == 0)
		return eq;
	if (strcmp(op, "NotIn") == 0)
		return !eq;
	return -1;
}

/* A term with neither expressions nor fields matches no node. */
static bool match_term(const struct node *n, const struct node_term *t)
{
	if (!t->n_exprs && !t->n_fields)
		return false;
	for (uint16_t i = 0; i < t->n_exprs; i++)
		if (match_expr(n, &t->exprs[i]) != 1)
			return false;
	for (uint16_t i = 0; i < t->n_fields; i++)
		if (match_field(n, &t->fields[i]) != 1)
			return false;
	return true;
}

static bool match_affinity(const struct daemonset *ds, const struct node *n)
{
	if (!ds->has_node_affinity)
		return true;
	for (uint16_t i = 0; i < ds->n_node_terms; i++)
		if (match_term(n, &ds->node_terms[i]))
			return true;
	return false;
}

static bool match_selector(const struct daemonset *ds, const struct node *n)
{
	for (uint16_t i = 0; i < ds->n_node_selector; i++) {
		const char *v = label(n, s0(ds->node_selector[i].key));
		if (!v || strcmp(v, s0(ds->node_selector[i].value)) != 0)
			return false;
	}
	return true;
}

void ds_node_fit(const struct daemonset *ds, const struct node *n, struct ds_fit *out)
{
	memset(out, 0, sizeof(*out));
	if (*s0(ds->tmpl_node_name) && strcmp(ds->tmpl_node_name, s0(n->name)) != 0) {
		out->why = DS_FIT_NODE_NAME;
		return;
	}
	if (!match_selector(ds, n)) {
		out->why = DS_FIT_SELECTOR;
		return;
	}
	if (!match_affinity(ds, n)) {
		out->why = DS_FIT_AFFINITY;
		return;
	}
	/* FindMatchingUntoleratedTaint over NoSchedule and NoExecute taints;
	 * a pod stays unless a NoExecute one is untolerated. */
	out->should_run = out->should_continue = true;
	for (uint16_t i = 0; i < n->n_taints; i++) {
		const struct node_taint *t = &n->taints[i];
		bool exec = strcmp(s0(t->effect), "NoExecute") == 0;
		if (!exec && strcmp(s0(t->effect), "NoSchedule") != 0)
			continue;
		if (tolerated(ds, t))
			continue;
		if (out->should_run) {
			out->should_run = false;
			out->why = DS_FIT_TAINT;
			out->taint = t;
		}
		if (exec)
			out->should_continue = false;
	}
}

const char *ds_fit_why_name(enum ds_fit_why why)
{
	switch (why) {
	case DS_FIT_NODE_NAME:
		return "nodeName";
	case DS_FIT_SELECTOR:
		return "nodeSelector";
	case DS_FIT_AFFINITY:
		return "affinity";
	case DS_FIT_TAINT:
		return "taint";
	default:
		return "";
	}
}
