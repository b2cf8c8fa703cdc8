#include "config.h"

#include <stdio.h>
#include <string.h>

#include "podscope/duration.h"
#include "podscope/pod_status.h"
#include "podscope/strfmt.h"

/* NULL and "" both mean absent. */
static const char *str(const char *s)
{
	return s ? s : "";
}

/* snprintf(dst, n, "%s", s) at a fraction of its cost, for every pod. */
static void set_text(char *dst, size_t n, const char *s)
{
	struct strfmt f;
	strfmt_init(&f, dst, n);
	strfmt_str(&f, str(s));
}

static bool str_eq(const char *a, const char *b)
{
	return strcmp(str(a), str(b)) == 0;
}

static bool is_restartable(const struct pod *p, const char *name)
{
	/* printPod builds a map by name, so the last spec of that name wins. */
	bool found = false;
	for (uint16_t i = 0; i < p->n_init_specs; i++) {
		if (str_eq(p->init_specs[i].name, name))
			found = p->init_specs[i].restartable;
	}
	return found;
}

static void note_restart(const struct container_status *cs, int64_t *last)
{
	const struct container_state *prev = model_last_terminated(cs);
	if (prev && prev->finished_at > *last)
		*last = prev->finished_at;
}

static bool has_condition_true(const struct pod *p, const char *type)
{
	const struct pod_condition *c = model_pod_condition(p, type);
	return c && c->status == MODEL_COND_TRUE;
}

/* Step 5 of the reference: returns true when the pod is still initializing. */
static bool init_containers(const struct pod *p, char *reason, size_t n, int32_t *restarts,
			    int32_t *sidecar_restarts, int64_t *last, int64_t *last_sidecar,
			    int32_t *ready)
{
	for (uint16_t i = 0; i < p->n_init_statuses; i++) {
		const struct container_status *cs = &p->init_statuses[i];
		const struct container_state *st = &cs->state;
		bool restartable = is_restartable(p, cs->name);

		*restarts += cs->restart_count;
		note_restart(cs, last);
		if (restartable) {
			*sidecar_restarts += cs->restart_count;
			note_restart(cs, last_sidecar);
		}

		if (st->kind == CSTATE_TERMINATED && st->exit_code == 0)
			continue;
		if (restartable && cs->started == MODEL_TRUE) {
			if (cs->ready)
				(*ready)++;
			continue;
		}
		if (st->kind == CSTATE_TERMINATED) {
			if (*str(st->reason) == '\0') {
				if (st->signal != 0)
					snprintf(reason, n, "Init:Signal:%d", (int)st->signal);
				else
					snprintf(reason, n, "Init:ExitCode:%d", (int)st->exit_code);
			} else {
				snprintf(reason, n, "Init:%s", st->reason);
			}
		} else if (st->kind == CSTATE_WAITING && *str(st->reason) != '\0' &&
			   strcmp(st->reason, "PodInitializing") != 0) {
			snprintf(reason, n, "Init:%s", st->reason);
		} else {
			snprintf(reason, n, "Init:%u/%u", (unsigned)i, (unsigned)p->n_init_specs);
		}
		return true;
	}
	return false;
}

/* hasPodReadyCondition: any Ready condition that is True, not just the first. */
static bool any_ready_true(const struct pod *p)
{
	for (uint16_t i = 0; i < p->n_conditions; i++) {
		if (str_eq(p->conditions[i].type, "Ready") &&
		    p->conditions[i].status == MODEL_COND_TRUE)
			return true;
	}
	return false;
}

static void regular_containers(const struct pod *p, char *reason, size_t n, int32_t *restarts,
			       int64_t *last, int32_t *ready)
{
	bool has_running = false;

	/* From last to first, so that the first container's state wins. */
	for (int i = (int)p->n_statuses - 1; i >= 0; i--) {
		const struct container_status *cs = &p->statuses[i];
		const struct container_state *st = &cs->state;

		*restarts += cs->restart_count;
		note_restart(cs, last);
		if (st->kind == CSTATE_WAITING && *str(st->reason) != '\0') {
			set_text(reason, n, st->reason);
		} else if (st->kind == CSTATE_TERMINATED && *str(st->reason) != '\0') {
			set_text(reason, n, st->reason);
		} else if (st->kind == CSTATE_TERMINATED) {
			if (st->signal != 0)
				snprintf(reason, n, "Signal:%d", (int)st->signal);
			else
				snprintf(reason, n, "ExitCode:%d", (int)st->exit_code);
		} else if (cs->ready && st->kind == CSTATE_RUNNING) {
			has_running = true;
			(*ready)++;
		}
	}
	if (strcmp(reason, "Completed") == 0 && has_running)
		set_text(reason, n, any_ready_true(p) ? "Running" : "NotReady");
}

static void wide_columns(const struct pod *p, struct pod_row *out)
{
	out->ip = *str(p->pod_ip) ? p->pod_ip : "<none>";
	out->node = *str(p->node_name) ? p->node_name : "<none>";
	out->nominated_node = *str(p->nominated_node_name) ? p->nominated_node_name : "<none>";
	if (p->n_readiness_gates == 0) {
		set_text(out->readiness_gates, sizeof(out->readiness_gates), "<none>");
		return;
	}
	unsigned true_gates = 0;
	for (uint16_t i = 0; i < p->n_readiness_gates; i++) {
		if (has_condition_true(p, str(p->readiness_gates[i])))
			true_gates++;
	}
	struct strfmt f;
	strfmt_init(&f, out->readiness_gates, sizeof(out->readiness_gates));
	strfmt_int(&f, true_gates);
	strfmt_char(&f, '/');
	strfmt_int(&f, p->n_readiness_gates);
}

void pod_status_row(const struct pod *p, int64_t now_ms, struct pod_row *out)
{
	char *reason = out->status;
	const size_t rn = sizeof(out->status);
	int32_t restarts = 0, sidecar_restarts = 0, ready = 0;
	int32_t total = p->n_specs;
	int64_t last = 0, last_sidecar = 0;

	memset(out, 0, sizeof(*out));
	set_text(reason, rn, str(p->phase));
	if (*str(p->reason))
		set_text(reason, rn, p->reason);

	for (uint16_t i = 0; i < p->n_conditions; i++) {
		if (str_eq(p->conditions[i].type, "PodScheduled") &&
		    str_eq(model_cond_reason(&p->conditions[i]), "SchedulingGated"))
			set_text(reason, rn, "SchedulingGated");
	}

	if (str_eq(p->phase, "Succeeded"))
		out->row_cond = POD_ROW_COMPLETED;
	else if (str_eq(p->phase, "Failed"))
		out->row_cond = POD_ROW_FAILED;

	for (uint16_t i = 0; i < p->n_init_specs; i++) {
		if (p->init_specs[i].restartable)
			total++;
	}

	bool initializing = init_containers(p, reason, rn, &restarts, &sidecar_restarts, &last,
					    &last_sidecar, &ready);
	if (!initializing || has_condition_true(p, "Initialized")) {
		restarts = sidecar_restarts;
		last = last_sidecar;
		regular_containers(p, reason, rn, &restarts, &last, &ready);
	}

	if (p->deleted != 0 && str_eq(p->reason, "NodeLost"))
		set_text(reason, rn, "Unknown");
	else if (p->deleted != 0 && !str_eq(p->phase, "Failed") && !str_eq(p->phase, "Succeeded"))
		set_text(reason, rn, "Terminating");

	out->ready_count = ready;
	out->total = total;
	out->restart_count = restarts;
	out->last_restart = last;
	if (restarts != 0 && last != 0) {
		char ago[DURATION_BUF];
		duration_since(last, now_ms, ago, sizeof(ago));
		struct strfmt f;
		strfmt_init(&f, out->restarts, sizeof(out->restarts));
		strfmt_int(&f, restarts);
		strfmt_str(&f, " (");
		strfmt_str(&f, ago);
		strfmt_str(&f, " ago)");
	} else {
		struct strfmt f;
		strfmt_init(&f, out->restarts, sizeof(out->restarts));
		strfmt_int(&f, restarts);
	}
	struct strfmt f;
	strfmt_init(&f, out->ready, sizeof(out->ready));
	strfmt_int(&f, ready);
	strfmt_char(&f, '/');
	strfmt_int(&f, total);
	duration_since(p->created, now_ms, out->age, sizeof(out->age));
	wide_columns(p, out);
}

int32_t pod_restart_total(const struct pod *p)
{
	int64_t n = 0;
	for (uint16_t i = 0; i < p->n_statuses; i++)
		n += p->statuses[i].restart_count;
	for (uint16_t i = 0; i < p->n_init_statuses; i++)
		n += p->init_statuses[i].restart_count;
	return n > INT32_MAX ? INT32_MAX : (int32_t)n;
}
