#include "config.h"

#include <stdio.h>
#include <string.h>

#include "podscope/duration.h"
#include "podscope/job.h"

const struct job_condition *job_condition(const struct job *j, const char *type)
{
	for (uint16_t i = 0; i < j->n_conditions; i++)
		if (strcmp(j->conditions[i].type, type) == 0)
			return &j->conditions[i];
	return NULL;
}

/* hasJobCondition: the first condition of the type decides. */
int job_condition_true(const struct job *j, const char *type)
{
	const struct job_condition *c = job_condition(j, type);
	return c && c->status == MODEL_COND_TRUE;
}

const char *job_status_cell(const struct job *j)
{
	if (job_condition_true(j, "Complete"))
		return "Complete";
	if (job_condition_true(j, "Failed"))
		return "Failed";
	if (j->deleted)
		return "Terminating";
	if (job_condition_true(j, "Suspended"))
		return "Suspended";
	if (job_condition_true(j, "FailureTarget"))
		return "FailureTarget";
	if (job_condition_true(j, "SuccessCriteriaMet"))
		return "SuccessCriteriaMet";
	return "Running";
}

void job_completions_cell(const struct job *j, char *buf, size_t n)
{
	if (j->has_completions)
		snprintf(buf, n, "%d/%d", (int)j->succeeded, (int)j->completions);
	else if (j->has_parallelism && j->parallelism > 1)
		snprintf(buf, n, "%d/1 of %d", (int)j->succeeded, (int)j->parallelism);
	else
		snprintf(buf, n, "%d/1", (int)j->succeeded);
}

void job_duration_cell(const struct job *j, int64_t now, char *buf, size_t n)
{
	if (!n)
		return;
	buf[0] = '\0';
	if (!j->start_time)
		return;
	if (!j->completion_time)
		duration_human(now - j->start_time, buf, n);
	else
		duration_human(j->completion_time - j->start_time, buf, n);
}

enum job_outcome job_outcome(const struct job *j, const struct job_condition **cond)
{
	const struct job_condition *c = NULL;
	enum job_outcome o = JOB_RUNNING;

	if (job_condition_true(j, "Complete")) {
		c = job_condition(j, "Complete");
		o = JOB_COMPLETE;
	} else if (job_condition_true(j, "Failed")) {
		c = job_condition(j, "Failed");
		o = JOB_FAILED;
	}
	if (cond)
		*cond = c;
	return o;
}

static const struct container_spec *init_spec(const struct pod *p, const char *name)
{
	for (uint16_t i = 0; i < p->n_init_specs; i++)
		if (strcmp(p->init_specs[i].name, name) == 0)
			return &p->init_specs[i];
	return NULL;
}

/*
 * latestFinishTime over one list: 0 (Go's nil) as soon as a container it
 * looks at has not terminated; init containers count only when they are
 * sidecars, which may stop after the app containers.
 */
static int64_t latest_finish(const struct pod *p, int64_t t, const struct container_status *cs,
			     uint16_t n, int init)
{
	for (uint16_t i = 0; i < n; i++) {
		if (init) {
			const struct container_spec *spec = init_spec(p, cs[i].name);
			if (!spec || !spec->restartable)
				continue;
		}
		if (cs[i].state.kind != CSTATE_TERMINATED || !cs[i].state.finished_at)
			return 0;
		if (!t || cs[i].state.finished_at > t)
			t = cs[i].state.finished_at;
	}
	return t;
}

int64_t job_pod_finished_time(const struct pod *p)
{
	int64_t t = latest_finish(p, 0, p->statuses, p->n_statuses, 0);
	if (t || !p->n_statuses)
		t = latest_finish(p, t, p->init_statuses, p->n_init_statuses, 1);
	if (t)
		return t;
	for (uint16_t i = 0; i < p->n_conditions; i++) {
		const struct pod_condition *c = &p->conditions[i];
		if (strcmp(c->type, "Ready") == 0 && c->status == MODEL_COND_FALSE &&
		    c->last_transition)
			return c->last_transition;
	}
	if (p->deleted)
		return p->deleted - (p->grace_period_s > 0 ? p->grace_period_s : 0) * INT64_C(1000);
	return p->created;
}

int job_pod_exit_code(const struct pod *p, const char **reason)
{
	for (uint16_t i = 0; i < p->n_statuses; i++)
		if (p->statuses[i].state.kind == CSTATE_TERMINATED) {
			*reason = p->statuses[i].state.reason ? p->statuses[i].state.reason : "";
			return (int)p->statuses[i].state.exit_code;
		}
	*reason = p->reason ? p->reason : "";
	return -1;
}

int64_t job_backoff_left(const struct pod *const *pods, size_t n, int64_t now, int32_t *failures)
{
	int64_t last_success = INT64_MIN, last_failure = 0;
	int32_t count = 0;

	for (size_t i = 0; i < n; i++)
		if (strcmp(pods[i]->phase, "Succeeded") == 0) {
			int64_t t = job_pod_finished_time(pods[i]);
			if (t > last_success)
				last_success = t;
		}
	/* A failure at the very time of the last success does not count
	 * (upstream stops at !failedTime.After(lastSuccessTime)). */
	for (size_t i = 0; i < n; i++)
		if (strcmp(pods[i]->phase, "Failed") == 0) {
			int64_t t = job_pod_finished_time(pods[i]);
			if (t <= last_success)
				continue;
			count++;
			if (count == 1 || t > last_failure)
				last_failure = t;
		}
	if (failures)
		*failures = count;
	return job_backoff_for(count, last_failure, now, JOB_BACKOFF_BASE_MS, JOB_BACKOFF_MAX_MS);
}

int64_t job_backoff_for(int32_t failures, int64_t last_failure, int64_t now, int64_t base,
			int64_t max)
{
	if (failures <= 0)
		return 0;
	int64_t d = base;
	for (int32_t i = 1; i < failures; i++) {
		d *= 2;
		if (d >= max) {
			d = max;
			break;
		}
	}
	int64_t elapsed = now - last_failure;
	return d < elapsed ? 0 : d - elapsed;
}

int64_t job_deadline_left(const struct job *j, int64_t now)
{
	if (!j->has_deadline || !j->start_time)
		return -1;
	/* Clamp so that a hostile deadline cannot overflow the sum. */
	int64_t s = j->active_deadline_s;
	if (s > INT64_C(100) * 365 * 24 * 3600)
		s = INT64_C(100) * 365 * 24 * 3600;
	int64_t left = j->start_time + s * 1000 - now;
	return left > 0 ? left : 0;
}

const char *cronjob_suspend_cell(const struct cronjob *cj)
{
	if (cj->suspend == MODEL_UNSET)
		return "<unset>";
	return cj->suspend == MODEL_TRUE ? "True" : "False";
}

const char *cronjob_timezone_cell(const struct cronjob *cj)
{
	return cj->has_time_zone ? cj->time_zone : "<none>";
}

void cronjob_last_schedule_cell(const struct cronjob *cj, int64_t now, char *buf, size_t n)
{
	if (!cj->last_schedule)
		snprintf(buf, n, "%s", "<none>");
	else
		duration_since(cj->last_schedule, now, buf, n);
}
