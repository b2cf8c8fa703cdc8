#include "config.h"

#include <string.h>

#include "podscope/pod_status.h"

/*
 * The kubelet's getPhase (pkg/kubelet/kubelet_pods.go, v1.29+ with sidecar
 * containers), restated; see shared/reference/kubelet_lifecycle.md part 6.
 */

static const struct container_status *find_status(const struct container_status *list,
						  uint16_t n, const char *name)
{
	for (uint16_t i = 0; i < n; i++) {
		if (strcmp(list[i].name ? list[i].name : "", name ? name : "") == 0)
			return &list[i];
	}
	return NULL;
}

/*
 * The kubelet looks a name up in init and regular statuses together; names
 * are unique across both in a valid pod, so the init list is searched first.
 */
static const struct container_status *lookup(const struct pod *p, const char *name)
{
	const struct container_status *cs = find_status(p->init_statuses, p->n_init_statuses, name);
	return cs ? cs : find_status(p->statuses, p->n_statuses, name);
}

struct counts {
	int pending_regular_init;
	int pending_restartable_init;
	int failed_init;
	int unknown;
	int running;
	int waiting;
	int stopped;
	int succeeded;
};

static void count_init(const struct pod *p, struct counts *c)
{
	for (uint16_t i = 0; i < p->n_init_specs; i++) {
		const struct container_spec *spec = &p->init_specs[i];
		const struct container_status *cs = lookup(p, spec->name);

		if (spec->restartable)
			continue;
		if (!cs) {
			c->pending_regular_init++;
			continue;
		}
		switch (cs->state.kind) {
		case CSTATE_RUNNING:
			c->pending_regular_init++;
			break;
		case CSTATE_TERMINATED:
			if (cs->state.exit_code != 0)
				c->failed_init++;
			break;
		case CSTATE_WAITING:
			if (model_last_terminated(cs)) {
				if (cs->last->exit_code != 0)
					c->failed_init++;
			} else {
				c->pending_regular_init++;
			}
			break;
		default:
			c->pending_regular_init++;
			break;
		}
	}

	for (uint16_t i = 0; i < p->n_init_specs; i++) {
		const struct container_spec *spec = &p->init_specs[i];
		const struct container_status *cs = lookup(p, spec->name);

		if (!spec->restartable)
			continue;
		if (!cs) {
			c->unknown++;
			continue;
		}
		switch (cs->state.kind) {
		case CSTATE_RUNNING:
			if (cs->started != MODEL_TRUE)
				c->pending_restartable_init++;
			c->running++;
			break;
		case CSTATE_TERMINATED:
			/* A stopped sidecar does not count either way. */
			break;
		case CSTATE_WAITING:
			if (!model_last_terminated(cs)) {
				c->pending_restartable_init++;
				c->waiting++;
			}
			break;
		default:
			c->unknown++;
			break;
		}
	}
}

static void count_regular(const struct pod *p, struct counts *c)
{
	for (uint16_t i = 0; i < p->n_specs; i++) {
		const struct container_status *cs = lookup(p, p->specs[i].name);

		if (!cs) {
			c->unknown++;
			continue;
		}
		switch (cs->state.kind) {
		case CSTATE_RUNNING:
			c->running++;
			break;
		case CSTATE_TERMINATED:
			c->stopped++;
			if (cs->state.exit_code == 0)
				c->succeeded++;
			break;
		case CSTATE_WAITING:
			if (model_last_terminated(cs))
				c->stopped++;
			else
				c->waiting++;
			break;
		default:
			c->unknown++;
			break;
		}
	}
}

const char *pod_phase_compute(const struct pod *p, bool pod_is_terminal, bool pod_has_initialized)
{
	struct counts c = {0};

	count_init(p, &c);
	count_regular(p, &c);

	if (c.failed_init > 0 && p->restart_policy == POD_RESTART_NEVER)
		return "Failed";
	if (c.pending_regular_init > 0 || (c.pending_restartable_init > 0 && !pod_has_initialized))
		return "Pending";
	if (c.waiting > 0)
		return "Pending";
	if (c.running > 0 && c.unknown == 0)
		return "Running";
	if (c.running == 0 && c.stopped > 0 && c.unknown == 0) {
		if (pod_is_terminal)
			return c.stopped == c.succeeded ? "Succeeded" : "Failed";
		if (p->restart_policy == POD_RESTART_ALWAYS)
			return "Running";
		if (c.stopped == c.succeeded)
			return "Succeeded";
		if (p->restart_policy == POD_RESTART_NEVER)
			return "Failed";
		return "Running";
	}
	return "Pending";
}

bool pod_phase_has_initialized(const struct pod *p)
{
	for (uint16_t i = 0; i < p->n_statuses; i++) {
		const struct container_status *cs = &p->statuses[i];
		if (cs->state.kind == CSTATE_RUNNING || cs->state.kind == CSTATE_TERMINATED ||
		    model_last_terminated(cs))
			return true;
	}
	return false;
}
