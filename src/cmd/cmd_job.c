#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "podscope/cron.h"
#include "podscope/duration.h"
#include "podscope/job.h"
#include "podscope/why.h"
#include "podscope/buf.h"
#include "podscope/xalloc.h"

#include "cmd_job.h"
#include "cmd_print.h"

static const char *nz(const char *s)
{
	return s ? s : "";
}

static int cmp_created(int64_t a, int64_t b, const char *na, const char *nb)
{
	if (a != b)
		return a < b ? -1 : 1;
	return strcmp(nz(na), nz(nb));
}

static int cmp_pod(const void *a, const void *b)
{
	const struct pod *x = *(const struct pod *const *)a, *y = *(const struct pod *const *)b;
	return cmp_created(x->created, y->created, x->name, y->name);
}

static int cmp_job(const void *a, const void *b)
{
	const struct job *x = *(const struct job *const *)a, *y = *(const struct job *const *)b;
	return cmp_created(x->w.created, y->w.created, x->w.name, y->w.name);
}

const struct pod **cmd_job_pods(const struct store *st, const struct job *j, size_t *n)
{
	struct store_iter it;
	const struct pod *p;
	size_t cap = store_children_count(st, STORE_PODS, j->w.uid) + 1;
	const struct pod **out = xcalloc(cap, sizeof(*out));
	*n = 0;
	store_iter_children(&it, st, STORE_PODS, j->w.uid);
	while ((p = store_iter_next(&it)) && *n < cap)
		if (store_pod_job(st, p) == j)
			out[(*n)++] = p;
	qsort(out, *n, sizeof(*out), cmp_pod);
	return out;
}

const struct job **cmd_cronjob_jobs(const struct store *st, const struct cronjob *cj, size_t *n)
{
	struct store_iter it;
	const struct job *j;
	size_t cap = store_children_count(st, STORE_JOBS, cj->uid) + 1;
	const struct job **out = xcalloc(cap, sizeof(*out));
	*n = 0;
	store_iter_children(&it, st, STORE_JOBS, cj->uid);
	while ((j = store_iter_next(&it)) && *n < cap)
		if (store_job_cronjob(st, j) == cj)
			out[(*n)++] = j;
	qsort(out, *n, sizeof(*out), cmp_job);
	return out;
}

/* "Running, 1/3 completions, 2 failed, 1 active" (what changes as it runs). */
static void progress(const struct job *j, char *buf, size_t n)
{
	char comp[64];
	job_completions_cell(j, comp, sizeof(comp));
	snprintf(buf, n, "%s, %s completions, %d failed, %d active", job_status_cell(j), comp,
		 (int)j->failed, (int)j->active);
	if (j->has_ready)
		snprintf(buf + strlen(buf), n - strlen(buf), ", %d ready", (int)j->ready);
	if (j->has_terminating && j->terminating)
		snprintf(buf + strlen(buf), n - strlen(buf), ", %d terminating",
			 (int)j->terminating);
	if (j->completed_indexes && *j->completed_indexes)
		snprintf(buf + strlen(buf), n - strlen(buf), ", indexes %s done",
			 j->completed_indexes);
}

enum pod_mark { MARK_NONE = 0, MARK_PENDING, MARK_RUNNING, MARK_SUCCEEDED, MARK_FAILED };

static uint8_t pod_mark(const struct pod *p)
{
	const char *ph = nz(p->phase);
	if (strcmp(ph, "Running") == 0)
		return MARK_RUNNING;
	if (strcmp(ph, "Succeeded") == 0)
		return MARK_SUCCEEDED;
	if (strcmp(ph, "Failed") == 0)
		return MARK_FAILED;
	return MARK_PENDING;
}

static void pod_text(const struct pod *p, char *buf, size_t n)
{
	const char *reason;
	int code = job_pod_exit_code(p, &reason);
	if (code >= 0)
		snprintf(buf, n, "%s (exit code %d%s%s)", nz(p->phase), code, *reason ? ", " : "",
			 reason);
	else
		snprintf(buf, n, "%s%s%s", *nz(p->phase) ? p->phase : "Pending",
			 *reason ? ": " : "", reason);
}

static void backoff_text(const struct pod *const *pods, size_t np, int64_t now, char *buf, size_t n,
			 int32_t *failures)
{
	char d[DURATION_BUF];
	int64_t left = job_backoff_left(pods, np, now, failures);
	buf[0] = '\0';
	if (left <= 0)
		return;
	duration_human(left + 999, d, sizeof(d));
	snprintf(buf, n, "back-off: the next pod in %s (%d failure%s since the last success)", d,
		 (int)*failures, *failures == 1 ? "" : "s");
}

static void deadline_text(const struct job *j, int64_t now, char *buf, size_t n)
{
	char d[DURATION_BUF], of[DURATION_BUF];
	int64_t left = job_deadline_left(j, now);
	buf[0] = '\0';
	if (left < 0)
		return;
	duration_human(left + 999, d, sizeof(d));
	duration_human(j->active_deadline_s * 1000, of, sizeof(of));
	snprintf(buf, n, "deadline: %s left of %s (activeDeadlineSeconds)", left ? d : "none", of);
}

int cmd_job_wait_eval(struct cmd_job_wait *jw, const struct store *st, const struct job *j,
		      int64_t now)
{
	char line[512], text[256];
	size_t np;
	const struct pod **pods = cmd_job_pods(st, j, &np);

	progress(j, line, sizeof(line));
	if (strcmp(line, jw->last) != 0) {
		snprintf(jw->last, sizeof(jw->last), "%s", line);
		cmd_printf(stdout, "job \"%s\": %s\n", nz(j->w.name), line);
	}
	for (size_t i = 0; i < np; i++) {
		bool fresh;
		struct cmd_pstate *sp = cmd_stab_insert(
		    &jw->pods, cmd_pod_key(pods[i]->namespace, pods[i]->name), &fresh);
		uint8_t mark = pod_mark(pods[i]);
		sp->live = 1;
		if (fresh || sp->stage != mark) {
			pod_text(pods[i], text, sizeof(text));
			cmd_printf(stdout, "  pod %s: %s\n", nz(pods[i]->name), text);
			sp->stage = mark;
		}
	}
	cmd_stab_sweep(&jw->pods);
	int32_t failures = 0;
	backoff_text(pods, np, now, text, sizeof(text), &failures);
	/* Said once per failure, when the Job has counted it (no pod active:
	 * the controller waits out the back-off). */
	if (*text && failures != jw->failures && !j->active) {
		cmd_printf(stdout, "  %s\n", text);
		jw->failures = failures;
	} else if (!failures) {
		jw->failures = 0;
	}
	free(pods);
	if (!jw->deadline_said && j->has_deadline && j->start_time) {
		deadline_text(j, now, text, sizeof(text));
		cmd_printf(stdout, "  %s\n", text);
		jw->deadline_said = 1;
	}

	const struct job_condition *c;
	switch (job_outcome(j, &c)) {
	case JOB_COMPLETE:
		cmd_printf(stdout, "job.batch/%s condition met\n", nz(j->w.name));
		return 0;
	case JOB_FAILED:
		cmd_printf(stdout, "error: job \"%s\" failed: %s%s%s\n", nz(j->w.name),
			   *c->reason ? c->reason : "Failed", *c->message ? ": " : "", c->message);
		return 1;
	case JOB_RUNNING:
		break;
	}
	return -1;
}

void cmd_job_wait_free(struct cmd_job_wait *jw)
{
	cmd_stab_free(&jw->pods);
}

static void job_text(const struct store *st, const struct job *j, const char *indent, int64_t now)
{
	char line[512], dur[DURATION_BUF], age[DURATION_BUF], text[256];
	size_t np;
	const struct pod **pods = cmd_job_pods(st, j, &np);

	progress(j, line, sizeof(line));
	job_duration_cell(j, now, dur, sizeof(dur));
	duration_since(j->w.created, now, age, sizeof(age));
	cmd_printf(stdout, "%sjob %s/%s: %s, duration %s, age %s\n", indent, nz(j->w.namespace),
		   nz(j->w.name), line, *dur ? dur : "-", age);
	for (uint16_t i = 0; i < j->n_conditions; i++) {
		const struct job_condition *c = &j->conditions[i];
		if (c->status != MODEL_COND_TRUE)
			continue;
		cmd_printf(stdout, "%s  %s%s%s%s%s\n", indent, nz(c->type), *c->reason ? ": " : "",
			   c->reason, *c->message ? ": " : "", c->message);
	}
	if (job_outcome(j, NULL) == JOB_RUNNING) {
		int32_t failures;
		backoff_text(pods, np, now, text, sizeof(text), &failures);
		if (*text && !j->active)
			cmd_printf(stdout, "%s  %s\n", indent, text);
		deadline_text(j, now, text, sizeof(text));
		if (*text)
			cmd_printf(stdout, "%s  %s\n", indent, text);
		struct why why;
		why_job(st, j, now, NULL, NULL, &why);
		if (why.line[0])
			cmd_printf(stdout, "%s  why: %s\n", indent, why.line);
	}
	for (size_t i = 0; i < np; i++) {
		pod_text(pods[i], text, sizeof(text));
		duration_since(pods[i]->created, now, age, sizeof(age));
		cmd_printf(stdout, "%s  pod %s: %s, age %s\n", indent, nz(pods[i]->name), text,
			   age);
	}
	free(pods);
}

static void cronjob_text(const struct store *st, const struct cronjob *cj, int64_t now)
{
	char last[DURATION_BUF], age[DURATION_BUF], next[128] = "unknown";
	size_t nj;
	int64_t t = cj->suspend == MODEL_TRUE
			? 0
			: cron_next_of(cj->schedule, cj->has_time_zone ? cj->time_zone : NULL, now);
	if (cj->suspend == MODEL_TRUE)
		snprintf(next, sizeof(next), "none (suspended)");
	else if (t) {
		char in[DURATION_BUF], at[40];
		duration_human(t - now, in, sizeof(in));
		duration_format_rfc3339(t, 0, at, sizeof(at));
		snprintf(next, sizeof(next), "in %s (%s)", in, at);
	}
	cronjob_last_schedule_cell(cj, now, last, sizeof(last));
	duration_since(cj->created, now, age, sizeof(age));
	cmd_printf(stdout,
		   "cronjob %s/%s: schedule \"%s\", timezone %s, suspend %s, %d active, last "
		   "schedule %s, next %s, age %s\n",
		   nz(cj->namespace), nz(cj->name), nz(cj->schedule), cronjob_timezone_cell(cj),
		   cronjob_suspend_cell(cj), (int)cj->n_active, last, next, age);
	const struct job **jobs = cmd_cronjob_jobs(st, cj, &nj);
	for (size_t i = 0; i < nj; i++)
		job_text(st, jobs[i], "  ", now);
	free(jobs);
}

static bool wanted(const void *obj, const char *ns, const char *name)
{
	return (!ns || !*ns || strcmp(store_obj_namespace(obj), ns) == 0) &&
	       (!name || strcmp(store_obj_name(obj), name) == 0);
}

static int cmp_obj(const void *a, const void *b)
{
	const void *x = *(const void *const *)a, *y = *(const void *const *)b;
	int c = strcmp(store_obj_namespace(x), store_obj_namespace(y));
	return c ? c : strcmp(store_obj_name(x), store_obj_name(y));
}

size_t cmd_job_count(const struct store *st, const char *ns, const char *kind, const char *name)
{
	struct store_iter it;
	const void *obj;
	size_t n = 0;
	store_iter_all(&it, st, strcmp(kind, "cronjob") == 0 ? STORE_CRONJOBS : STORE_JOBS, ns);
	while ((obj = store_iter_next(&it)))
		n += wanted(obj, ns, name);
	return n;
}

size_t cmd_job_get_text(const struct store *st, const char *ns, const char *kind, const char *name,
			int64_t now)
{
	bool cron = strcmp(kind, "cronjob") == 0;
	enum store_kind k = cron ? STORE_CRONJOBS : STORE_JOBS;
	size_t cap = store_count(st, k) + 1, n = 0;
	const void **objs = xcalloc(cap, sizeof(*objs));
	struct store_iter it;
	const void *obj;

	store_iter_all(&it, st, k, ns);
	while ((obj = store_iter_next(&it)) && n < cap)
		if (wanted(obj, ns, name))
			objs[n++] = obj;
	qsort(objs, n, sizeof(*objs), cmp_obj);
	for (size_t i = 0; i < n; i++) {
		if (cron)
			cronjob_text(st, objs[i], now);
		else
			job_text(st, objs[i], "", now);
	}
	free(objs);
	return n;
}

static void json_int(struct buf *b, const char *key, long long v)
{
	buf_printf(b, ",\"%s\":%lld", key, v);
}

static void job_json(struct buf *b, const struct store *st, const struct job *j, int64_t now)
{
	char cell[64];
	size_t np;
	const struct pod **pods = cmd_job_pods(st, j, &np);
	int32_t failures = 0;
	int64_t backoff = job_backoff_left(pods, np, now, &failures);
	const struct cronjob *cj = store_job_cronjob(st, j);

	buf_addc(b, '{');
	cmd_json_str(b, "namespace", j->w.namespace, false);
	cmd_json_str(b, "name", j->w.name, true);
	cmd_json_str(b, "uid", j->w.uid, true);
	cmd_json_str(b, "cronjob", cj ? cj->name : NULL, true);
	cmd_json_str(b, "status", job_status_cell(j), true);
	struct why why;
	why_job(st, j, now, NULL, NULL, &why);
	cmd_json_str(b, "why", why.line, true);
	cmd_json_str(b, "whyCause", why_cause_name(why.cause), true);
	job_completions_cell(j, cell, sizeof(cell));
	cmd_json_str(b, "completions", cell, true);
	job_duration_cell(j, now, cell, sizeof(cell));
	cmd_json_str(b, "duration", cell, true);
	duration_since(j->w.created, now, cell, sizeof(cell));
	cmd_json_str(b, "age", cell, true);
	cmd_json_time(b, "created", j->w.created, true);
	cmd_json_time(b, "startTime", j->start_time, true);
	cmd_json_time(b, "completionTime", j->completion_time, true);
	buf_adds(b, ",\"spec\":{");
	buf_printf(b, "\"completions\":");
	j->has_completions ? buf_printf(b, "%d", (int)j->completions) : buf_adds(b, "null");
	buf_printf(b, ",\"parallelism\":");
	j->has_parallelism ? buf_printf(b, "%d", (int)j->parallelism) : buf_adds(b, "null");
	buf_printf(b, ",\"backoffLimit\":");
	j->has_backoff_limit ? buf_printf(b, "%d", (int)j->backoff_limit) : buf_adds(b, "null");
	buf_printf(b, ",\"activeDeadlineSeconds\":");
	j->has_deadline ? buf_printf(b, "%lld", (long long)j->active_deadline_s)
			: buf_adds(b, "null");
	buf_printf(b, ",\"suspend\":%s",
		   j->suspend == MODEL_UNSET  ? "null"
		   : j->suspend == MODEL_TRUE ? "true"
					      : "false");
	cmd_json_str(b, "completionMode",
		     j->completion_mode == JOB_MODE_INDEXED       ? "Indexed"
		     : j->completion_mode == JOB_MODE_NON_INDEXED ? "NonIndexed"
		     : j->completion_mode == JOB_MODE_OTHER       ? "Other"
								  : "",
		     true);
	buf_adds(b, "}");
	json_int(b, "succeeded", j->succeeded);
	json_int(b, "failed", j->failed);
	json_int(b, "active", j->active);
	json_int(b, "ready", j->ready);
	json_int(b, "terminating", j->terminating);
	cmd_json_str(b, "completedIndexes", j->completed_indexes, true);
	cmd_json_str(b, "failedIndexes", j->failed_indexes, true);
	buf_adds(b, ",\"conditions\":[");
	for (uint16_t i = 0; i < j->n_conditions; i++) {
		const struct job_condition *c = &j->conditions[i];
		buf_adds(b, i ? ",{" : "{");
		cmd_json_cond(b, c->type, c->status, c->reason, c->message);
		cmd_json_time(b, "lastTransitionTime", c->last_transition, true);
		buf_addc(b, '}');
	}
	buf_addc(b, ']');
	json_int(b, "failuresSinceSuccess", failures);
	json_int(b, "backoffMs", job_outcome(j, NULL) == JOB_RUNNING ? backoff : 0);
	json_int(b, "deadlineLeftMs", job_deadline_left(j, now));
	buf_adds(b, ",\"pods\":[");
	for (size_t i = 0; i < np; i++) {
		const char *reason;
		int code = job_pod_exit_code(pods[i], &reason);
		buf_adds(b, i ? ",{" : "{");
		cmd_json_str(b, "name", pods[i]->name, false);
		cmd_json_str(b, "phase", pods[i]->phase, true);
		buf_adds(b, ",\"exitCode\":");
		code >= 0 ? buf_printf(b, "%d", code) : buf_adds(b, "null");
		cmd_json_str(b, "reason", reason, true);
		cmd_json_time(
		    b, "finished",
		    pod_mark(pods[i]) >= MARK_SUCCEEDED ? job_pod_finished_time(pods[i]) : 0, true);
		buf_addc(b, '}');
	}
	buf_adds(b, "]}");
	free(pods);
}

static void cronjob_json(struct buf *b, const struct store *st, const struct cronjob *cj,
			 int64_t now)
{
	char cell[64];
	size_t nj;
	const struct job **jobs = cmd_cronjob_jobs(st, cj, &nj);

	buf_addc(b, '{');
	cmd_json_str(b, "namespace", cj->namespace, false);
	cmd_json_str(b, "name", cj->name, true);
	cmd_json_str(b, "uid", cj->uid, true);
	cmd_json_str(b, "schedule", cj->schedule, true);
	cmd_json_str(b, "timeZone", cj->has_time_zone ? cj->time_zone : NULL, true);
	cmd_json_str(b, "suspend", cronjob_suspend_cell(cj), true);
	cmd_json_str(b, "concurrencyPolicy", cj->concurrency_policy, true);
	json_int(b, "active", cj->n_active);
	cronjob_last_schedule_cell(cj, now, cell, sizeof(cell));
	cmd_json_str(b, "lastSchedule", cell, true);
	cmd_json_time(b, "lastScheduleTime", cj->last_schedule, true);
	cmd_json_time(b, "lastSuccessfulTime", cj->last_successful, true);
	cmd_json_time(
	    b, "nextScheduleTime",
	    cj->suspend == MODEL_TRUE
		? 0
		: cron_next_of(cj->schedule, cj->has_time_zone ? cj->time_zone : NULL, now),
	    true);
	duration_since(cj->created, now, cell, sizeof(cell));
	cmd_json_str(b, "age", cell, true);
	buf_adds(b, ",\"jobs\":[");
	for (size_t i = 0; i < nj; i++) {
		if (i)
			buf_addc(b, ',');
		job_json(b, st, jobs[i], now);
	}
	buf_adds(b, "]}");
	free(jobs);
}

void cmd_job_json(struct buf *b, const struct store *st, const char *ns, const char *kind,
		  const char *name, int64_t now)
{
	static const char *const words[] = {"job", "cronjob"};
	for (int w = 0; w < 2; w++) {
		enum store_kind k = w ? STORE_CRONJOBS : STORE_JOBS;
		bool mine = kind && strcmp(kind, words[w]) == 0;
		size_t cap = store_count(st, k) + 1, n = 0;
		const void **objs = xcalloc(cap, sizeof(*objs));
		struct store_iter it;
		const void *obj;
		buf_printf(b, ",\"%s\":[", w ? "cronjobs" : "jobs");
		store_iter_all(&it, st, k, ns);
		while ((!kind || mine) && (obj = store_iter_next(&it)) && n < cap)
			if (wanted(obj, ns, mine ? name : NULL))
				objs[n++] = obj;
		qsort(objs, n, sizeof(*objs), cmp_obj);
		for (size_t i = 0; i < n; i++) {
			if (i)
				buf_addc(b, ',');
			if (w)
				cronjob_json(b, st, objs[i], now);
			else
				job_json(b, st, objs[i], now);
		}
		buf_addc(b, ']');
		free(objs);
	}
}
