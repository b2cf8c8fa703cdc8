#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "podscope/cron.h"
#include "podscope/duration.h"
#include "podscope/job.h"
#include "podscope/store.h"
#include "podscope/xalloc.h"
#include "pager.h"
#include "ui_int.h"

/*
 * A Job: completions as a bar (succeeded, active, failed), the back-off
 * before its next pod counting down, the deadline left, its conditions and
 * its pods with their exit codes. A CronJob: its schedule, the last and
 * next run, and its recent Jobs with their outcome.
 */

#define JOBVIEW_MAX_PODS 512
#define JOBVIEW_MAX_JOBS 128

struct jobview {
	struct pager pg;
	char ns[254];
	char name[254];
	bool cron;
};

static void *open_any(const char *ns, const char *name, bool cron)
{
	struct jobview *v = xcalloc(1, sizeof(*v));
	snprintf(v->ns, sizeof(v->ns), "%s", ns ? ns : "");
	snprintf(v->name, sizeof(v->name), "%s", name ? name : "");
	v->cron = cron;
	return v;
}

static void *job_open(struct ui *ui, const char *ns, const char *name)
{
	(void)ui;
	return open_any(ns, name, false);
}

static void *cj_open(struct ui *ui, const char *ns, const char *name)
{
	(void)ui;
	return open_any(ns, name, true);
}

static void jv_close(void *st)
{
	free(st);
}

static int by_created(const void *a, const void *b)
{
	const struct pod *x = *(const struct pod *const *)a, *y = *(const struct pod *const *)b;
	if (x->created != y->created)
		return x->created < y->created ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* The Job's pods in the store, oldest first. */
static size_t job_pods(const struct store *st, const struct job *j, const struct pod **out,
		       size_t cap)
{
	struct store_iter it;
	const struct pod *p;
	size_t n = 0;
	store_iter_children(&it, st, STORE_PODS, j->w.uid);
	while ((p = store_iter_next(&it)) && n < cap)
		if (store_pod_job(st, p) == j)
			out[n++] = p;
	qsort(out, n, sizeof(*out), by_created);
	return n;
}

/* One segment of the bar: n of total units over width w from x. */
static int segment(int y, int x, int w, int n, int total, char c, enum theme_role role)
{
	int cells = total > 0 ? (int)((int64_t)n * w / total) : 0;
	if (n > 0 && cells == 0)
		cells = 1;
	for (int i = 0; i < cells; i++)
		draw_textf(y, x + i, 1, role, "%c", c);
	return cells;
}

/* The completions bar: # succeeded, > active, x failed, . still to run. */
static void bar(struct ui *ui, int y, const struct job *j)
{
	int want = j->has_completions ? j->completions : 1;
	int done = j->succeeded + j->active;
	int total = (want > done ? want : done) + j->failed;
	int w = ui->cols - 4 > 60 ? 60 : ui->cols - 4;
	int x = 2;
	if (w < 10 || total <= 0)
		return;
	draw_text(y, 1, 1, ROLE_DIM, "[");
	x += segment(y, x, w, j->succeeded, total, '#', ROLE_POD_DONE);
	x += segment(y, x, w, j->active, total, '>', ROLE_POD_STARTING);
	x += segment(y, x, w, j->failed, total, 'x', ROLE_POD_FAILED);
	while (x < 2 + w)
		draw_text(y, x++, 1, ROLE_DIM, ".");
	draw_text(y, 2 + w, 1, ROLE_DIM, "]");
}

static void job_lines(struct ui *ui, struct jobview *v, const struct job *j, int64_t now)
{
	const struct pod *pods[JOBVIEW_MAX_PODS];
	size_t np = job_pods(ui->store, j, pods, JOBVIEW_MAX_PODS);
	char comp[64], dur[DURATION_BUF], age[DURATION_BUF], d[DURATION_BUF];
	const char *status = job_status_cell(j);
	enum job_outcome out = job_outcome(j, NULL);
	enum theme_role sr = out == JOB_COMPLETE ? ROLE_OK
			     : out == JOB_FAILED ? ROLE_ERROR
						 : ROLE_BADGE_PROGRESSING;
	int y;

	job_completions_cell(j, comp, sizeof(comp));
	job_duration_cell(j, now, dur, sizeof(dur));
	duration_since(j->w.created, now, age, sizeof(age));
	if ((y = pager_row(&v->pg)) >= 0) {
		int x = 1 + draw_textf(y, 1, ui->cols - 2, ROLE_TITLE, "Job %s/%s  ",
				       j->w.namespace, j->w.name);
		x += draw_textf(y, x, ui->cols - x - 1, sr, "%s  ", status);
		draw_textf(y, x, ui->cols - x - 1, ROLE_NORMAL,
			   "completions %s  duration %s  age %s", comp, *dur ? dur : "-", age);
	}
	if ((y = pager_row(&v->pg)) >= 0)
		bar(ui, y, j);
	if ((y = pager_row(&v->pg)) >= 0) {
		int x = 1 + draw_textf(y, 1, ui->cols - 2, ROLE_NORMAL,
				       "%d succeeded  %d active  %d failed", (int)j->succeeded,
				       (int)j->active, (int)j->failed);
		if (j->has_backoff_limit)
			draw_textf(y, x, ui->cols - x - 1, ROLE_DIM, "  (backoffLimit %d)",
				   (int)j->backoff_limit);
	}
	const struct cronjob *cj = store_job_cronjob(ui->store, j);
	if (cj && (y = pager_row(&v->pg)) >= 0)
		draw_textf(y, 1, ui->cols - 2, ROLE_DIM, "run of CronJob %s", cj->name);
	if (out == JOB_RUNNING) {
		int32_t failures = 0;
		int64_t left = job_backoff_left(pods, np, now, &failures);
		if ((y = pager_row(&v->pg)) >= 0) {
			if (left > 0 && !j->active) {
				duration_human(left + 999, d, sizeof(d));
				draw_textf(y, 1, ui->cols - 2, ROLE_WARNING,
					   "back-off: next pod in %s (%d failure%s since the last "
					   "success)",
					   d, (int)failures, failures == 1 ? "" : "s");
			} else {
				draw_text(y, 1, ui->cols - 2, ROLE_DIM, "back-off: none");
			}
		}
		int64_t dl = job_deadline_left(j, now);
		if (dl >= 0 && (y = pager_row(&v->pg)) >= 0) {
			char of[DURATION_BUF];
			duration_human(dl + 999, d, sizeof(d));
			duration_human(j->active_deadline_s * 1000, of, sizeof(of));
			draw_textf(y, 1, ui->cols - 2, dl ? ROLE_NORMAL : ROLE_ERROR,
				   "deadline: %s left of %s", dl ? d : "none", of);
		}
	}
	for (uint16_t i = 0; i < j->n_conditions; i++) {
		const struct job_condition *c = &j->conditions[i];
		if (c->status != MODEL_COND_TRUE || (y = pager_row(&v->pg)) < 0)
			continue;
		draw_textf(y, 1, ui->cols - 2,
			   strcmp(c->type, "Failed") == 0 ? ROLE_ERROR : ROLE_INFO, "%s: %s%s%s",
			   c->type, c->reason, *c->message ? ": " : "", c->message);
	}
	pager_row(&v->pg);
	if ((y = pager_row(&v->pg)) >= 0) {
		draw_fill(y, 0, ui->cols, ROLE_HEADER);
		draw_text(y, 1, 40, ROLE_HEADER, "POD");
		draw_text(y, 42, 10, ROLE_HEADER, "PHASE");
		draw_text(y, 53, 5, ROLE_HEADER, "EXIT");
		draw_text(y, 59, 16, ROLE_HEADER, "REASON");
		draw_text(y, 76, ui->cols - 77, ROLE_HEADER, "FINISHED");
	}
	for (size_t i = 0; i < np; i++) {
		const struct pod *p = pods[i];
		const char *reason = "";
		int code = job_pod_exit_code(p, &reason);
		bool failed = strcmp(p->phase, "Failed") == 0;
		bool ok = strcmp(p->phase, "Succeeded") == 0;
		if ((y = pager_row(&v->pg)) < 0)
			continue;
		draw_text(y, 1, 40, ROLE_NORMAL, p->name);
		draw_text(y, 42, 10,
			  failed ? ROLE_POD_FAILED
			  : ok   ? ROLE_POD_DONE
				 : ROLE_POD_STARTING,
			  *p->phase ? p->phase : "Pending");
		if (code >= 0)
			draw_textf(y, 53, 5, failed ? ROLE_ERROR : ROLE_NORMAL, "%d", code);
		draw_text(y, 59, 16, ROLE_DIM, reason ? reason : "");
		if (failed || ok) {
			duration_since(job_pod_finished_time(p), now, d, sizeof(d));
			draw_textf(y, 76, ui->cols - 77, ROLE_DIM, "%s ago", d);
		}
	}
}

static void cronjob_lines(struct ui *ui, struct jobview *v, const struct cronjob *cj, int64_t now)
{
	char last[DURATION_BUF], age[DURATION_BUF], in[DURATION_BUF];
	int y;
	int64_t next =
	    cj->suspend == MODEL_TRUE
		? 0
		: cron_next_of(cj->schedule, cj->has_time_zone ? cj->time_zone : NULL, now);

	cronjob_last_schedule_cell(cj, now, last, sizeof(last));
	duration_since(cj->created, now, age, sizeof(age));
	if ((y = pager_row(&v->pg)) >= 0)
		draw_textf(y, 1, ui->cols - 2, ROLE_TITLE, "CronJob %s/%s  schedule \"%s\"  age %s",
			   cj->namespace, cj->name, cj->schedule, age);
	if ((y = pager_row(&v->pg)) >= 0)
		draw_textf(y, 1, ui->cols - 2, ROLE_NORMAL,
			   "timezone %s  suspend %s  active %d  concurrency %s",
			   cronjob_timezone_cell(cj), cronjob_suspend_cell(cj), (int)cj->n_active,
			   *cj->concurrency_policy ? cj->concurrency_policy : "Allow");
	if ((y = pager_row(&v->pg)) >= 0) {
		int x = 1 + draw_textf(y, 1, ui->cols - 2, ROLE_NORMAL, "last schedule %s  ", last);
		if (cj->suspend == MODEL_TRUE)
			draw_text(y, x, ui->cols - x - 1, ROLE_WARNING, "next: none (suspended)");
		else if (next) {
			duration_human(next - now, in, sizeof(in));
			draw_textf(y, x, ui->cols - x - 1, ROLE_INFO, "next in %s", in);
		} else
			draw_text(y, x, ui->cols - x - 1, ROLE_DIM, "next: unknown");
	}
	pager_row(&v->pg);
	if ((y = pager_row(&v->pg)) >= 0) {
		draw_fill(y, 0, ui->cols, ROLE_HEADER);
		draw_text(y, 1, 40, ROLE_HEADER, "JOB");
		draw_text(y, 42, 18, ROLE_HEADER, "STATUS");
		draw_text(y, 61, 12, ROLE_HEADER, "COMPLETIONS");
		draw_text(y, 74, ui->cols - 75, ROLE_HEADER, "AGE");
	}
	const struct job *jobs[JOBVIEW_MAX_JOBS];
	size_t nj = 0;
	struct store_iter it;
	const struct job *j;
	store_iter_children(&it, ui->store, STORE_JOBS, cj->uid);
	while ((j = store_iter_next(&it)) && nj < JOBVIEW_MAX_JOBS)
		if (store_job_cronjob(ui->store, j) == cj)
			jobs[nj++] = j;
	/* Newest first: the recent runs matter. */
	for (size_t i = 0; i + 1 < nj; i++)
		for (size_t k = i + 1; k < nj; k++)
			if (jobs[k]->w.created > jobs[i]->w.created) {
				const struct job *t = jobs[i];
				jobs[i] = jobs[k];
				jobs[k] = t;
			}
	if (!nj && (y = pager_row(&v->pg)) >= 0)
		draw_text(y, 2, ui->cols - 4, ROLE_DIM, "no Jobs");
	for (size_t i = 0; i < nj; i++) {
		char comp[64];
		enum job_outcome o = job_outcome(jobs[i], NULL);
		if ((y = pager_row(&v->pg)) < 0)
			continue;
		job_completions_cell(jobs[i], comp, sizeof(comp));
		duration_since(jobs[i]->w.created, now, age, sizeof(age));
		draw_text(y, 1, 40, ROLE_NORMAL, jobs[i]->w.name);
		draw_text(y, 42, 18,
			  o == JOB_COMPLETE ? ROLE_OK
			  : o == JOB_FAILED ? ROLE_ERROR
					    : ROLE_BADGE_PROGRESSING,
			  job_status_cell(jobs[i]));
		draw_text(y, 61, 12, ROLE_NORMAL, comp);
		draw_text(y, 74, ui->cols - 75, ROLE_DIM, age);
	}
}

static void jv_draw(struct ui *ui, void *stp, int top, int height)
{
	struct jobview *v = stp;
	int64_t now = ui_clock(NULL);
	pager_begin(&v->pg, top, height);
	if (v->cron) {
		const struct cronjob *cj = store_get_cronjob(ui->store, v->ns, v->name);
		if (cj)
			cronjob_lines(ui, v, cj, now);
		else
			draw_textf(top + 1, 2, ui->cols - 4, ROLE_DIM, "CronJob %s/%s is gone",
				   v->ns, v->name);
	} else {
		const struct job *j = store_get_job(ui->store, v->ns, v->name);
		if (j)
			job_lines(ui, v, j, now);
		else
			draw_textf(top + 1, 2, ui->cols - 4, ROLE_DIM, "Job %s/%s is gone", v->ns,
				   v->name);
	}
	pager_end(&v->pg);
}

static unsigned jv_action(struct ui *ui, void *stp, enum action_id a)
{
	struct jobview *v = stp;
	if (a == ACT_ENTER && !v->cron) {
		/* A Job of a CronJob opens the CronJob: its other runs. */
		const struct job *j = store_get_job(ui->store, v->ns, v->name);
		const struct cronjob *cj = j ? store_job_cronjob(ui->store, j) : NULL;
		if (!cj)
			return UI_NONE;
		ui_push(ui, &view_cronjob, cj->namespace, cj->name);
		return UI_DRAW;
	}
	if (a == ACT_SUSPEND || a == ACT_UNSUSPEND || a == ACT_TRIGGER || a == ACT_PAUSE ||
	    a == ACT_RESUME)
		return ui_act_job(ui, a, v->cron ? STORE_CRONJOBS : STORE_JOBS, v->ns, v->name);
	if (actions_table[a].mutates)
		return UI_UNHANDLED;
	return pager_action(&v->pg, a);
}

/* Once a second while a count-down shows: the back-off, the deadline, the next run. */
static int64_t jv_next_tick(struct ui *ui, void *stp, int64_t mono)
{
	struct jobview *v = stp;
	int64_t mq;
	ui_clock(&mq);
	int64_t next = ui_flash_tick(ui, mono);
	if (v->cron ? store_get_cronjob(ui->store, v->ns, v->name) != NULL
		    : (store_get_job(ui->store, v->ns, v->name) &&
		       job_outcome(store_get_job(ui->store, v->ns, v->name), NULL) == JOB_RUNNING))
		next = ui_tick_min(next, ui_tick_align(mq + 1000));
	return next;
}

const struct view_ops view_job = {
    .name = "job",
    .mask = VIEWMASK_ROLLOUT,
    .open = job_open,
    .close = jv_close,
    .draw = jv_draw,
    .action = jv_action,
    .next_tick = jv_next_tick,
    .hint = "{up}/{down} scroll  {open} its CronJob  {back} back",
};

const struct view_ops view_cronjob = {
    .name = "cronjob",
    .mask = VIEWMASK_POD,
    .open = cj_open,
    .close = jv_close,
    .draw = jv_draw,
    .action = jv_action,
    .next_tick = jv_next_tick,
    .hint = "{up}/{down} scroll  {back} back",
};
