#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "podscope/eta.h"
#include "podscope/generations.h"
#include "podscope/lifecycle.h"
#include "podscope/loop.h"
#include "podscope/rollout.h"
#include "podscope/serverclock.h"
#include "podscope/why.h"
#include "podscope/whylog.h"
#include "podscope/xalloc.h"

#include "cmd_common.h"
#include "cmd_fleet.h"
#include "cmd_job.h"
#include "cmd_print.h"
#include "cmd_workload.h"

/*
 * `podscope wait deploy/NAME|sts/NAME|ds/NAME|job/NAME`: kubectl rollout status's
 * messages, plus the generations' (or revisions') counts and every pod's
 * stage as it changes. Exit 0 when rolled out, 1 when it failed (progress
 * deadline, a strategy kubectl cannot follow, or, with --fail-fast (the
 * default), every new pod stuck for --settle: the root cause on one line,
 * why.h), 2 for usage and configuration, 3 on --timeout.
 */

enum { WAIT_GOING = -1, WAIT_DONE = 0, WAIT_FAILED = 1, WAIT_TIMEOUT = 3 };

struct waiter {
	struct cmd_session *ses;
	struct cmd_session own; /* ses when one context */
	const char *ns;
	const char *kind; /* "deployment", "statefulset", "daemonset" */
	const char *name;
	bool dirty;
	bool seen;
	int rc;
	char last_msg[400];
	char last_gens[400];
	struct cmd_stab stages; /* the pods' last stages printed */
	struct cmd_job_wait job;
	struct cmd_events ev;
	bool fail_fast;       /* --fail-fast (default) / --no-fail-fast */
	int64_t settle_ms;    /* --settle */
	int64_t wake_ms;      /* wall clock: when the settle time of stuck pods runs out, 0: none */
	int64_t stuck_create; /* when a blocker outside the pods was first seen (why_blocked) */
	int stuck_pods;       /* the new pods there were then */
	struct whylog *logs;  /* the why line's last log line */
};

/* The new pods, and how many of them are stuck as --fail-fast counts. */
struct settle {
	int new_pods;
	int stuck;
	int64_t latest; /* the latest time one of them became stuck */
};

static const char *nz(const char *s)
{
	return s ? s : "";
}

static void on_change(void *ud, enum store_kind k, const void *old_obj, const void *new_obj)
{
	struct waiter *w = ud;
	(void)k;
	(void)old_obj;
	(void)new_obj;
	w->dirty = true;
}

static void log_arrived(void *ud)
{
	((struct waiter *)ud)->dirty = true;
}

static void stage_text(const struct lc_pod *lc, char *buf, size_t n)
{
	if (lc->init_index)
		snprintf(buf, n, "%s %u/%u", lc_stage_name(lc->stage), (unsigned)lc->init_index,
			 (unsigned)lc->init_total);
	else
		snprintf(buf, n, "%s", lc_stage_name(lc->stage));
}

/* Print the pod's stage when it changed; count the new pods that are stuck. */
static void follow_pod(struct waiter *w, const struct pod *p, bool is_new, int64_t now,
		       struct settle *se)
{
	struct lc_pod lc;
	cmd_pod_stage(w->ses->store, p, now, &w->ev, &lc);
	const struct lc_container *dc = lifecycle_decider(&lc);
	/* Failures beyond the threshold change nothing worth a line. */
	int32_t fails = dc ? dc->probe_failures : 0, restarts = dc ? dc->restarts : 0;
	if (dc && fails > dc->probe_threshold)
		fails = dc->probe_threshold;
	bool fresh;
	struct cmd_pstate *sp =
	    cmd_stab_insert(&w->stages, cmd_pod_key(p->namespace, p->name), &fresh);
	sp->live = 1;
	/* On to the next init container: progress, its settle time starts again. */
	if (!fresh && sp->init != lc.init_index)
		sp->stuck_since = 0;
	if (fresh || sp->stage != lc.stage || sp->init != lc.init_index || sp->fails != fails ||
	    sp->restarts != restarts) {
		char from[64], to[64];
		snprintf(from, sizeof(from), "%s", fresh ? "" : lc_stage_name(sp->stage));
		if (!fresh && sp->init)
			snprintf(from + strlen(from), sizeof(from) - strlen(from), " %u",
				 (unsigned)sp->init);
		stage_text(&lc, to, sizeof(to));
		cmd_printf(stdout, "  pod %s (%s): %s%s%s: %s\n", nz(p->name),
			   is_new ? "new" : "old", from, fresh ? "" : " -> ", to, lc.why);
		sp->stage = lc.stage;
		sp->init = lc.init_index;
		sp->fails = fails;
		sp->restarts = restarts;
	}
	if (is_new && !p->deleted) {
		se->new_pods++;
		/* A crash loop runs between its back-offs, an image pull is
		 * retried: the settle time goes on through those. */
		if (why_pod_settles(p, &lc)) {
			if (!sp->stuck_since)
				sp->stuck_since = now;
		} else if (!sp->stuck_since || !why_pod_retrying(&lc)) {
			sp->stuck_since = 0;
		}
		if (sp->stuck_since) {
			se->stuck++;
			if (sp->stuck_since > se->latest)
				se->latest = sp->stuck_since;
		}
	}
	lifecycle_pod_free(&lc);
}

/* A progress line, when its counts changed, with the estimated time left
 * at that moment (not a reason for a line by itself: it moves with the
 * clock). */
static void say_progress(struct waiter *w, const char *line, enum store_kind k, const void *obj)
{
	if (strcmp(line, w->last_gens) == 0)
		return;
	snprintf(w->last_gens, sizeof(w->last_gens), "%s", line);
	if (!*line)
		return;
	struct eta e;
	char words[64];
	eta_store(w->ses->store, k, obj, cmd_wall_ms(), &e);
	eta_format(&e, words, sizeof(words));
	cmd_printf(stdout, "  %s%s%s\n", line, *words ? "; eta " : "", words);
}

static void follow_gens(struct waiter *w, const struct generations *g)
{
	char line[400];
	size_t len = 0;
	line[0] = '\0';
	for (size_t k = g->n; k-- > 0 && len + 1 < sizeof(line);) {
		const struct gen_rs *r = &g->rs[k];
		if (!r->is_new && r->desired == 0 && r->current == 0)
			continue;
		int m = snprintf(line + len, sizeof(line) - len,
				 "%s%s %s (revision %lld): %d desired, %d current, %d ready, %d "
				 "available",
				 len ? "; " : "", r->is_new ? "new" : "old", nz(r->rs->name),
				 (long long)r->revision, (int)r->desired, (int)r->current,
				 (int)r->ready, (int)r->available);
		if (m > 0)
			len += (size_t)m < sizeof(line) - len ? (size_t)m : sizeof(line) - len - 1;
	}
	say_progress(w, line, STORE_DEPLOYMENTS, g->d);
}

/* The message, when it changed, as kubectl prints it. */
static void say_status(struct waiter *w, const struct rollout_result *r, const char *msg)
{
	if (strcmp(msg, w->last_msg) == 0)
		return;
	snprintf(w->last_msg, sizeof(w->last_msg), "%s", msg);
	cmd_printf(stdout, "%s%s\n", r->state == ROLLOUT_ERROR ? "error: " : "", msg);
}

/* How many pods run each revision, newest first, when that changed. */
static void follow_revisions(struct waiter *w, const struct cmd_wl *wl, const struct pod **pods,
			     size_t np)
{
	char line[400];
	size_t len = 0, nrev;
	const struct controller_revision **revs = cmd_wl_revisions(w->ses->store, wl, &nrev);
	line[0] = '\0';
	for (size_t r = 0; r < nrev && len + 1 < sizeof(line); r++) {
		int n = 0;
		for (size_t i = 0; i < np; i++)
			n += store_pod_revision(w->ses->store, pods[i]) == revs[r]->revision;
		if (!n && revs[r]->revision != wl->update_rev)
			continue;
		int m = snprintf(line + len, sizeof(line) - len, "%s%s revision %lld: %d pods",
				 len ? "; " : "",
				 revs[r]->revision == wl->update_rev ? "update" : "old",
				 (long long)revs[r]->revision, n);
		if (m > 0)
			len += (size_t)m < sizeof(line) - len ? (size_t)m : sizeof(line) - len - 1;
	}
	free(revs);
	say_progress(w, line, wl->kind, wl->obj);
}

/*
 * --fail-fast: every new pod stuck for the settle time. Returns true when the
 * wait fails now (the line printed); otherwise sets when to look again.
 */
static bool settled_failure(struct waiter *w, const struct settle *se, int64_t now,
			    const char *word, const struct why *why)
{
	w->wake_ms = 0;
	if (!w->fail_fast || se->new_pods == 0 || se->stuck < se->new_pods)
		return false;
	if (se->latest + w->settle_ms > now) {
		w->wake_ms = se->latest + w->settle_ms;
		return false;
	}
	if (why->line[0])
		cmd_printf(stdout, "error: %s \"%s\" rollout failed: %s\n", word, w->name,
			   why->line);
	else
		cmd_printf(stdout, "error: %s \"%s\" rollout failed: %d new pods stuck\n", word,
			   w->name, se->new_pods);
	return true;
}

/* After kubectl's own error (the progress deadline): the cause, when known. */
static void say_cause(const struct why *why)
{
	if (why->cause != WHY_NONE && why->cause != WHY_DEADLINE)
		cmd_printf(stdout, "cause: %s\n", why->line);
}

/* A StatefulSet or DaemonSet: kubectl's viewer decides; a pod of the update
 * revision that is stuck fails the wait as for a Deployment. */
static void evaluate_workload(struct waiter *w, enum store_kind k, const void *obj)
{
	struct cmd_wl wl;
	size_t np;
	struct settle se = {0};
	int64_t now = cmd_wall_ms();
	cmd_wl_load(&wl, w->ses->store, k, obj);
	say_status(w, &wl.status, wl.msg);
	const struct pod **pods = cmd_wl_pods(w->ses->store, &wl, &np);
	follow_revisions(w, &wl, pods, np);
	for (size_t i = 0; i < np; i++) {
		int64_t rev = store_pod_revision(w->ses->store, pods[i]);
		follow_pod(w, pods[i], rev && rev == wl.update_rev, now, &se);
	}
	free(pods);
	cmd_stab_sweep(&w->stages);
	struct why why;
	why_set(w->ses->store, k, obj, now, whylog_line, w->logs, &why);
	if (wl.status.state == ROLLOUT_DONE)
		w->rc = WAIT_DONE;
	else if (wl.status.state == ROLLOUT_ERROR)
		w->rc = WAIT_FAILED;
	else if (settled_failure(w, &se, now, wl.word, &why))
		w->rc = WAIT_FAILED;
	fflush(stdout);
}

/* A Job: kubectl wait --for=condition=complete, and failed (exit 1). */
static void evaluate_job(struct waiter *w)
{
	const struct job *j = store_get_job(w->ses->store, w->ns, w->name);
	w->dirty = false;
	if (!j) {
		if (w->seen)
			fprintf(stderr, "error: object has been deleted\n");
		else
			cmd_printf(stderr, "error: jobs.batch \"%s\" not found in namespace %s\n",
				   w->name, w->ns);
		w->rc = WAIT_FAILED;
		return;
	}
	w->seen = true;
	int rc = cmd_job_wait_eval(&w->job, w->ses->store, j, cmd_wall_ms());
	if (rc >= 0)
		w->rc = rc;
	fflush(stdout);
}

static void evaluate(struct waiter *w)
{
	const struct store *st = w->ses->store;
	if (strcmp(w->kind, "job") == 0) {
		evaluate_job(w);
		return;
	}
	enum store_kind sk = strcmp(w->kind, "statefulset") == 0 ? STORE_STATEFULSETS
			     : strcmp(w->kind, "daemonset") == 0 ? STORE_DAEMONSETS
								 : STORE_DEPLOYMENTS;
	const void *obj = store_get(st, sk, w->ns, w->name);
	w->dirty = false;
	if (!obj) {
		if (w->seen)
			fprintf(stderr, "error: object has been deleted\n");
		else
			cmd_printf(stderr, "error: %ss.apps \"%s\" not found in namespace %s\n",
				   w->kind, w->name, w->ns);
		w->rc = WAIT_FAILED;
		return;
	}
	w->seen = true;
	if (sk != STORE_DEPLOYMENTS) {
		evaluate_workload(w, sk, obj);
		return;
	}
	const struct deployment *d = obj;
	int64_t now = cmd_wall_ms();
	size_t nrs;
	const struct replicaset **rss = cmd_deployment_rss(st, d, &nrs);
	struct generations g;
	generations_build(d, rss, nrs, &g);
	/* kubectl's waiting messages end in a newline; the escaping would
	 * show it, so it is written by say_status instead. */
	size_t ml = strlen(g.status.msg);
	if (ml && g.status.msg[ml - 1] == '\n')
		g.status.msg[ml - 1] = '\0';
	say_status(w, &g.status, g.status.msg);
	follow_gens(w, &g);
	struct settle se = {0};
	for (size_t k = 0; k < g.n; k++) {
		size_t np;
		const struct pod **pods = cmd_rs_pods(st, g.rs[k].rs, &np);
		for (size_t i = 0; i < np; i++)
			follow_pod(w, pods[i], g.rs[k].is_new, now, &se);
		free(pods);
	}
	cmd_stab_sweep(&w->stages); /* forget the pods that went away */
	struct why why;
	why_deployment(st, d, now, whylog_line, w->logs, &why);
	if (g.status.state == ROLLOUT_DONE) {
		w->rc = WAIT_DONE;
	} else if (g.status.state == ROLLOUT_ERROR) {
		say_cause(&why);
		w->rc = WAIT_FAILED;
	} else if (settled_failure(w, &se, now, "deployment", &why)) {
		w->rc = WAIT_FAILED;
	} else if (why_blocked(&why) && w->fail_fast) {
		/* Pods refused by a quota, a drain held by a budget: as stuck as
		 * stuck pods once it has lasted the settle time with no new pod. */
		if (!w->stuck_create || w->stuck_pods != se.new_pods) {
			w->stuck_create = now;
			w->stuck_pods = se.new_pods;
		}
		struct settle all = {1, 1, w->stuck_create};
		int64_t pods_wake = w->wake_ms;
		if (settled_failure(w, &all, now, "deployment", &why))
			w->rc = WAIT_FAILED;
		else if (pods_wake && pods_wake < w->wake_ms)
			w->wake_ms = pods_wake;
	}
	if (!why_blocked(&why))
		w->stuck_create = 0;
	fflush(stdout);
	generations_free(&g);
	free(rss);
}

struct wait_opts {
	const char *kind, *name;
	bool fail_fast;
	int64_t settle_ms;
};

/* Follow the synced session's store. */
static void waiter_start(struct waiter *w, const struct wait_opts *o)
{
	w->rc = WAIT_GOING;
	w->name = o->name;
	w->kind = o->kind;
	w->fail_fast = o->fail_fast;
	w->settle_ms = o->settle_ms;
	w->ns = w->ses->ns;
	/* A last log line that arrives is a change: the line is said again. */
	w->logs = whylog_new(w->ses->client, log_arrived, w);
	store_subscribe(w->ses->store, on_change, w);
}

static void waiter_stop(struct waiter *w)
{
	if (w->logs) {
		store_unsubscribe(w->ses->store, on_change, w);
		whylog_free(w->logs);
	}
	w->logs = NULL;
	cmd_stab_free(&w->stages);
	cmd_job_wait_free(&w->job);
	cmd_events_free(&w->ev);
}

/* How long the loop may sleep for w (at most wait, -1: forever): until the
 * deadline, or until its settle time runs out without any change. */
static int wait_ms(const struct waiter *w, int64_t deadline, int wait)
{
	if (deadline) {
		int64_t left = deadline - ploop_now_ms();
		int d = left <= 0 ? 0 : left < 60000 ? (int)left : 60000;
		if (wait < 0 || d < wait)
			wait = d;
	}
	if (w->wake_ms) {
		int64_t left = w->wake_ms - cmd_wall_ms();
		int until = left <= 0 ? 0 : left < 60000 ? (int)left + 1 : 60000;
		if (wait < 0 || until < wait)
			wait = until;
	}
	return wait;
}

static bool due(const struct waiter *w)
{
	return w->dirty || (w->wake_ms && cmd_wall_ms() >= w->wake_ms);
}

/* One context's evaluation, its lines after "CTX: " on its own clock. */
static void evaluate_in(struct waiter *w, const struct cmd_fleet_member *m)
{
	struct cmd_capture cap;
	char prefix[300];
	serverclock_follow(w->ses->client);
	snprintf(prefix, sizeof(prefix), "%s: ", m->shown);
	cmd_capture_begin(&cap);
	evaluate(w);
	cmd_capture_end(&cap, prefix, "wait", m->shown);
}

/*
 * wait over several contexts: done when the rollout is done in every one;
 * exit 1 with the first that fails (or could not be listed, or lacks the
 * object), 3 at --timeout naming those still rolling.
 */
static int wait_fleet(struct cmd_fleet *f, const struct wait_opts *o, int64_t deadline)
{
	cmd_fleet_sync(f, deadline);
	if (f->n_failed) {
		fflush(stdout);
		return WAIT_FAILED;
	}
	struct waiter *w = xcalloc(f->n, sizeof(*w));
	int rc = WAIT_GOING;
	size_t failed = 0;
	for (size_t i = 0; i < f->n && rc == WAIT_GOING; i++) {
		w[i].ses = &f->m[i].ses;
		waiter_start(&w[i], o);
		evaluate_in(&w[i], &f->m[i]);
		if (w[i].rc == WAIT_FAILED)
			rc = WAIT_FAILED, failed = i;
	}
	while (rc == WAIT_GOING) {
		size_t going = 0;
		int wait = -1;
		for (size_t i = 0; i < f->n; i++)
			if (w[i].rc == WAIT_GOING) {
				going++;
				serverclock_follow(w[i].ses->client);
				wait = wait_ms(&w[i], deadline, wait);
			}
		if (!going) {
			rc = WAIT_DONE;
			break;
		}
		if (deadline && ploop_now_ms() >= deadline) {
			rc = WAIT_TIMEOUT;
			break;
		}
		ploop_run_once(f->loop, wait);
		for (size_t i = 0; i < f->n && rc == WAIT_GOING; i++) {
			serverclock_follow(w[i].ses->client);
			if (w[i].rc == WAIT_GOING && due(&w[i]))
				evaluate_in(&w[i], &f->m[i]);
			if (w[i].rc == WAIT_FAILED)
				rc = WAIT_FAILED, failed = i;
		}
	}
	if (rc == WAIT_FAILED)
		cmd_printf(stderr, "podscope wait: %s: %s \"%s\" failed there first\n",
			   f->m[failed].shown, o->kind, o->name);
	if (rc == WAIT_TIMEOUT) {
		fputs("error: timed out waiting for the condition in", stderr);
		for (size_t i = 0, n = 0; i < f->n; i++)
			if (w[i].rc == WAIT_GOING)
				cmd_printf(stderr, "%s %s", n++ ? "," : "", f->m[i].shown);
		fputc('\n', stderr);
	}
	fflush(stdout);
	for (size_t i = 0; i < f->n; i++)
		if (w[i].ses)
			waiter_stop(&w[i]);
	free(w);
	return rc;
}

int cmd_wait(struct cli *cli)
{
	const char *kind, *name;
	if (cli->nargs != 1) {
		fprintf(stderr,
			"podscope wait: give one deploy/NAME, sts/NAME, ds/NAME or job/NAME\n");
		return 2;
	}
	if (!cmd_parse_target("wait", cli->args[0], &kind, &name))
		return 2;
	if (strcmp(kind, "pod") == 0) {
		fprintf(stderr, "podscope wait: only workloads can be waited for (deploy/NAME, "
				"sts/NAME, ds/NAME or job/NAME)\n");
		return 2;
	}
	if (strcmp(kind, "cronjob") == 0) {
		/* A CronJob never finishes: its Jobs do. */
		fprintf(stderr, "podscope wait: a CronJob has no end to wait for; wait for one of "
				"its Jobs (job/NAME)\n");
		return 2;
	}
	if (cli->output && strcmp(cli->output, "text") != 0) {
		fprintf(stderr, "podscope wait: prints text only\n");
		return 2;
	}
	if (cli->selector) {
		fprintf(stderr, "podscope wait: -l does not apply to wait\n");
		return 2;
	}
	if (cli->kc.all_namespaces) {
		fprintf(stderr, "podscope wait: -A does not apply to wait (use -n)\n");
		return 2;
	}
	int64_t timeout_ms = cmd_parse_timeout("wait", cli->timeout);
	if (timeout_ms < 0)
		return 2;
	int64_t settle_ms =
	    cli->settle ? cmd_parse_duration_flag("wait", "--settle", cli->settle) : 60000;
	if (settle_ms < 0)
		return 2;
	struct wait_opts o = {kind, name, !cli->no_fail_fast, settle_ms};
	int64_t deadline = timeout_ms ? ploop_now_ms() + timeout_ms : 0;
	struct cmd_fleet fleet;
	int rc = cmd_fleet_open(&fleet, cli, "wait", CMD_KINDS, false);
	if (rc)
		return rc;
	if (fleet.n) {
		rc = wait_fleet(&fleet, &o, deadline);
		cmd_fleet_close(&fleet);
		return rc;
	}
	struct waiter *w = xcalloc(1, sizeof(*w));
	w->ses = &w->own;
	rc = cmd_session_open(w->ses, cli, "wait", CMD_KINDS, false);
	if (rc) {
		free(w);
		return rc;
	}
	rc = cmd_session_sync(w->ses, deadline);
	if (rc == 0) {
		waiter_start(w, &o);
		evaluate(w);
		while (w->rc == WAIT_GOING) {
			int wait = wait_ms(w, deadline, -1);
			if (wait == 0 && deadline && ploop_now_ms() >= deadline) {
				w->rc = WAIT_TIMEOUT;
				break;
			}
			ploop_run_once(w->ses->loop, wait);
			if (due(w))
				evaluate(w);
		}
		rc = w->rc;
	}
	if (rc == WAIT_TIMEOUT)
		fprintf(stderr, "error: timed out waiting for the condition\n");
	fflush(stdout);
	waiter_stop(w);
	cmd_session_close(w->ses);
	free(w);
	return rc;
}
