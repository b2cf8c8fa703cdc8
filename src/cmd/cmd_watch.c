#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "podscope/buf.h"
#include "podscope/duration.h"
#include "podscope/informer.h"
#include "podscope/job.h"
#include "podscope/lifecycle.h"
#include "podscope/loop.h"
#include "podscope/rollout.h"
#include "podscope/sanitize.h"
#include "podscope/serverclock.h"
#include "podscope/xalloc.h"

#include "cmd_common.h"
#include "cmd_fleet.h"
#include "cmd_print.h"

/*
 * `podscope watch`: one line per lifecycle transition of a pod, ReplicaSet,
 * Deployment, StatefulSet or DaemonSet, from the store's change callbacks. The first list only
 * sets the baseline (`podscope get` prints that); pods' stages are kept in
 * a small open-addressing table keyed by a hash of namespace/name, so that
 * a transition can name where it came from even when it was an event, not
 * the pod, that changed.
 */

struct watcher {
	struct cmd_session *ses;
	struct cmd_session own; /* ses when one context */
	const char *context;    /* with several contexts: its name, for each line */
	bool jsonl;
	bool synced;
	struct cmd_stab stages;
	struct cmd_events ev;
	struct buf line;
	unsigned long lines;
};

static const char *nz(const char *s)
{
	return s ? s : "";
}

static void emit(struct watcher *w, const char *kind, const char *ns, const char *name,
		 const char *from, const char *to, const char *why)
{
	char ts[DURATION_BUF];
	struct buf *b = &w->line;
	buf_reset(b);
	if (w->jsonl) {
		duration_format_rfc3339(cmd_wall_ms(), 1, ts, sizeof(ts));
		buf_adds(b, "{");
		cmd_json_str(b, "time", ts, false);
		if (w->context)
			cmd_json_str(b, "context", w->context, true);
		cmd_json_str(b, "kind", kind, true);
		cmd_json_str(b, "namespace", ns, true);
		cmd_json_str(b, "name", name, true);
		if (from) {
			cmd_json_str(b, "from", from, true);
		} else {
			buf_adds(b, ",\"from\":null");
		}
		cmd_json_str(b, "to", to, true);
		cmd_json_str(b, "why", why, true);
		buf_adds(b, "}\n");
	} else {
		duration_format_rfc3339(cmd_wall_ms(), 0, ts, sizeof(ts));
		/* Escaped: a CR or LF in a name must not start a line of its own. */
		if (w->context)
			sanitize_printf(b, "%s ", w->context);
		sanitize_printf(b, "%s %s %s/%s %s -> %s%s%s\n", ts, kind, nz(ns), nz(name),
				from ? from : "(new)", to, why && *why ? ": " : "", why ? why : "");
	}
	fwrite(b->data, 1, b->len, stdout);
	fflush(stdout);
	w->lines++;
}

static void stage_text(uint8_t stage, uint16_t init, char *buf, size_t n)
{
	if (init)
		snprintf(buf, n, "%s %u", lc_stage_name(stage), (unsigned)init);
	else
		snprintf(buf, n, "%s", lc_stage_name(stage));
}

/* Recompute p's stage; print a line when it moved. */
static void pod_changed(struct watcher *w, const struct pod *p, bool print)
{
	struct lc_pod lc;
	int64_t now = cmd_wall_ms();
	cmd_pod_stage(w->ses->store, p, now, &w->ev, &lc);
	const struct lc_container *dc = lifecycle_decider(&lc);
	struct cmd_pstate ns = {
	    .key = cmd_pod_key(p->namespace, p->name),
	    .fails = dc ? dc->probe_failures : 0,
	    .restarts = dc ? dc->restarts : 0,
	    .init = lc.init_index,
	    .stage = lc.stage,
	};
	if (dc && ns.fails > dc->probe_threshold)
		ns.fails = dc->probe_threshold; /* beyond it nothing changes worth a line */
	struct cmd_pstate *old = cmd_stab_find(&w->stages, ns.key);
	bool moved = !old || old->stage != ns.stage || old->init != ns.init ||
		     old->fails != ns.fails || old->restarts != ns.restarts;
	if (print && moved) {
		char from[64], to[64];
		if (old)
			stage_text(old->stage, old->init, from, sizeof(from));
		stage_text(ns.stage, ns.init, to, sizeof(to));
		emit(w, "Pod", p->namespace, p->name, old ? from : NULL, to, lc.why);
	}
	*cmd_stab_insert(&w->stages, ns.key, NULL) = ns;
	lifecycle_pod_free(&lc);
}

static void pod_deleted(struct watcher *w, const struct pod *p)
{
	struct cmd_pstate *old = cmd_stab_find(&w->stages, cmd_pod_key(p->namespace, p->name));
	char from[64];
	if (old)
		stage_text(old->stage, old->init, from, sizeof(from));
	emit(w, "Pod", p->namespace, p->name, old ? from : NULL, "deleted", "");
	if (old)
		cmd_stab_remove(&w->stages, old);
}

static const char *rs_stage(const struct replicaset *rs)
{
	int32_t desired = rs->has_spec_replicas ? rs->spec_replicas : 1;
	if (desired == 0 && rs->replicas == 0)
		return "scaled-to-zero";
	if (desired > rs->replicas)
		return "scaling-up";
	if (desired < rs->replicas)
		return "scaling-down";
	return rs->available_replicas >= desired ? "available" : "waiting-for-pods";
}

static void rs_counts(const struct replicaset *rs, char *buf, size_t n)
{
	snprintf(buf, n, "revision %s, %d desired, %d current, %d ready, %d available",
		 *nz(rs->revision) ? rs->revision : "?",
		 (int)(rs->has_spec_replicas ? rs->spec_replicas : 1), (int)rs->replicas,
		 (int)rs->ready_replicas, (int)rs->available_replicas);
}

static void rs_changed(struct watcher *w, const struct replicaset *o, const struct replicaset *n)
{
	char a[160], b[160];
	if (!n) {
		emit(w, "ReplicaSet", o->namespace, o->name, rs_stage(o), "deleted", "");
		return;
	}
	rs_counts(n, b, sizeof(b));
	if (o) {
		rs_counts(o, a, sizeof(a));
		if (strcmp(a, b) == 0 && strcmp(rs_stage(o), rs_stage(n)) == 0)
			return;
	}
	emit(w, "ReplicaSet", n->namespace, n->name, o ? rs_stage(o) : NULL, rs_stage(n), b);
}

static const char *dep_stage(const struct deployment *d, struct rollout_result *r)
{
	rollout_status(d, 0, r);
	size_t l = strlen(r->msg);
	if (l && r->msg[l - 1] == '\n')
		r->msg[l - 1] = '\0';
	if (d->paused)
		return "paused";
	if (r->state == ROLLOUT_DONE)
		return "complete";
	if (r->state == ROLLOUT_ERROR)
		return "failed";
	return d->generation > d->observed_generation ? "observing" : "progressing";
}

static void dep_changed(struct watcher *w, const struct deployment *o, const struct deployment *n)
{
	struct rollout_result ro, rn;
	const char *so = o ? dep_stage(o, &ro) : NULL;
	if (!n) {
		emit(w, "Deployment", o->namespace, o->name, so, "deleted", "");
		return;
	}
	const char *sn = dep_stage(n, &rn);
	if (o && strcmp(so, sn) == 0 && strcmp(ro.msg, rn.msg) == 0)
		return;
	emit(w, "Deployment", n->namespace, n->name, so, sn, rn.msg);
}

/* A StatefulSet's or DaemonSet's stage by kubectl's viewer; r->msg without
 * its newline. */
static const char *wl_stage(enum store_kind k, const void *obj, struct rollout_result *r)
{
	const struct workload *wl;
	if (k == STORE_STATEFULSETS) {
		rollout_statefulset_status(obj, r);
		wl = &((const struct statefulset *)obj)->w;
	} else {
		rollout_daemonset_status(obj, r);
		wl = &((const struct daemonset *)obj)->w;
	}
	size_t l = strlen(r->msg);
	if (l && r->msg[l - 1] == '\n')
		r->msg[l - 1] = '\0';
	if (r->state == ROLLOUT_DONE)
		return "complete";
	if (r->state == ROLLOUT_ERROR)
		return "failed";
	return wl->generation > wl->observed_generation ? "observing" : "progressing";
}

static void wl_changed(struct watcher *w, enum store_kind k, const void *o, const void *n)
{
	struct rollout_result ro, rn;
	const char *so = o ? wl_stage(k, o, &ro) : NULL;
	const char *kind = store_kind_kind(k);
	if (!n) {
		emit(w, kind, store_obj_namespace(o), store_obj_name(o), so, "deleted", "");
		return;
	}
	const char *sn = wl_stage(k, n, &rn);
	if (o && strcmp(so, sn) == 0 && strcmp(ro.msg, rn.msg) == 0)
		return;
	emit(w, kind, store_obj_namespace(n), store_obj_name(n), so, sn, rn.msg);
}

/* A Job's stage: kubectl's STATUS in lower case (running, complete, failed,
 * suspended, ...); why: its counts, and the reason of how it ended. */
static const char *job_stage(const struct job *j, char *stage, size_t ns, char *why, size_t nw)
{
	char comp[64];
	const struct job_condition *c;
	const char *s = job_status_cell(j);
	size_t i = 0;
	for (; s[i] && i + 1 < ns; i++)
		stage[i] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i]);
	stage[i] = '\0';
	job_completions_cell(j, comp, sizeof(comp));
	snprintf(why, nw, "%s completions, %d failed, %d active", comp, (int)j->failed,
		 (int)j->active);
	if (job_outcome(j, &c) != JOB_RUNNING && *c->reason)
		snprintf(why + strlen(why), nw - strlen(why), ": %s%s%s", c->reason,
			 *c->message ? ": " : "", c->message);
	return stage;
}

static void job_changed(struct watcher *w, const struct job *o, const struct job *n)
{
	char so[32] = "", sn[32], wo[512] = "", wn[512];
	if (o)
		job_stage(o, so, sizeof(so), wo, sizeof(wo));
	if (!n) {
		emit(w, "Job", o->w.namespace, o->w.name, so, "deleted", "");
		return;
	}
	job_stage(n, sn, sizeof(sn), wn, sizeof(wn));
	if (o && strcmp(so, sn) == 0 && strcmp(wo, wn) == 0)
		return;
	emit(w, "Job", n->w.namespace, n->w.name, o ? so : NULL, sn, wn);
}

static void on_change(void *ud, enum store_kind k, const void *old_obj, const void *new_obj)
{
	struct watcher *w = ud;
	if (!w->synced)
		return;
	if (w->context) /* its times on its own server's clock */
		serverclock_follow(w->ses->client);
	switch (k) {
	case STORE_PODS:
		if (new_obj)
			pod_changed(w, new_obj, true);
		else
			pod_deleted(w, old_obj);
		break;
	case STORE_EVENTS: {
		const struct event *e = new_obj;
		if (!e ||
		    (e->involved_kind && *e->involved_kind && strcmp(e->involved_kind, "Pod")))
			break;
		const char *ns = *nz(e->involved_namespace) ? e->involved_namespace : e->namespace;
		const struct pod *p = store_get_pod(w->ses->store, ns, e->involved_name);
		if (p)
			pod_changed(w, p, true);
		break;
	}
	case STORE_REPLICASETS:
		rs_changed(w, old_obj, new_obj);
		break;
	case STORE_DEPLOYMENTS:
		dep_changed(w, old_obj, new_obj);
		break;
	case STORE_STATEFULSETS:
	case STORE_DAEMONSETS:
		wl_changed(w, k, old_obj, new_obj);
		break;
	case STORE_JOBS:
		job_changed(w, old_obj, new_obj);
		break;
	default:
		break;
	}
}

static void on_signal(void *ud, int signo)
{
	struct watcher *w = ud;
	(void)signo;
	ploop_stop(w->ses->loop);
}

/* The first list is the baseline: pods' stages noted, nothing printed. */
static void watch_baseline(struct watcher *w, const char *label)
{
	struct store_iter it;
	const struct pod *p;
	store_iter_all(&it, w->ses->store, STORE_PODS, w->ses->ns);
	while ((p = store_iter_next(&it)))
		pod_changed(w, p, false);
	w->synced = true;
	cmd_printf(stderr,
		   "podscope watch: %swatching %zu deployments, %zu replicasets, %zu pods, %zu "
		   "statefulsets, %zu daemonsets\n",
		   label, store_count(w->ses->store, STORE_DEPLOYMENTS),
		   store_count(w->ses->store, STORE_REPLICASETS),
		   store_count(w->ses->store, STORE_PODS),
		   store_count(w->ses->store, STORE_STATEFULSETS),
		   store_count(w->ses->store, STORE_DAEMONSETS));
}

/* Until SIGINT, SIGTERM or SIGHUP. */
static void watch_run(struct ploop *loop, struct watcher *w)
{
	ploop_on_signal(loop, SIGINT, on_signal, w);
	ploop_on_signal(loop, SIGTERM, on_signal, w);
	ploop_on_signal(loop, SIGHUP, on_signal, w);
	ploop_run(loop);
	ploop_on_signal(loop, SIGINT, NULL, NULL);
	ploop_on_signal(loop, SIGTERM, NULL, NULL);
	ploop_on_signal(loop, SIGHUP, NULL, NULL);
}

static void watcher_free(struct watcher *w)
{
	store_unsubscribe(w->ses->store, on_change, w);
	cmd_events_free(&w->ev);
	buf_free(&w->line);
	cmd_stab_free(&w->stages);
}

/* watch over several contexts: each line names its context; a context that
 * cannot be listed at the start is named and left out (exit 1 at the end). */
static int watch_fleet(struct cmd_fleet *f, bool jsonl)
{
	struct watcher *w = xcalloc(f->n, sizeof(*w));
	for (size_t i = 0; i < f->n; i++) {
		if (!f->m[i].live)
			continue;
		w[i].ses = &f->m[i].ses;
		w[i].jsonl = jsonl;
		w[i].context = f->m[i].context;
		store_subscribe(w[i].ses->store, on_change, &w[i]);
	}
	size_t live = cmd_fleet_sync(f, 0);
	struct watcher *any = NULL;
	for (size_t i = 0; i < f->n; i++) {
		if (!w[i].ses)
			continue;
		if (f->m[i].live) {
			char label[300];
			snprintf(label, sizeof(label), "%s: ", f->m[i].shown);
			serverclock_follow(w[i].ses->client);
			watch_baseline(&w[i], label);
			any = &w[i];
		} else {
			/* Its session is closed: only what the watcher holds. */
			cmd_events_free(&w[i].ev);
			cmd_stab_free(&w[i].stages);
			w[i].ses = NULL;
		}
	}
	if (live && any)
		watch_run(f->loop, any);
	for (size_t i = 0; i < f->n; i++)
		if (w[i].ses)
			watcher_free(&w[i]);
	free(w);
	return f->n_failed ? 1 : 0;
}

int cmd_watch(struct cli *cli)
{
	const char *out = cli->output ? cli->output : "text";
	if (strcmp(out, "text") != 0 && strcmp(out, "jsonl") != 0) {
		fprintf(stderr, "podscope watch: -o must be text or jsonl\n");
		return 2;
	}
	if (cli->nargs) {
		cmd_printf(stderr, "podscope watch: unexpected argument \"%s\"\n", cli->args[0]);
		return 2;
	}
	if (cli->timeout) {
		fprintf(stderr, "podscope watch: --timeout is for wait\n");
		return 2;
	}
	bool jsonl = strcmp(out, "jsonl") == 0;
	struct cmd_fleet fleet;
	int rc = cmd_fleet_open(&fleet, cli, "watch", CMD_KINDS, false);
	if (rc)
		return rc;
	if (fleet.n) {
		rc = watch_fleet(&fleet, jsonl);
		cmd_fleet_close(&fleet);
		return rc;
	}
	struct watcher *w = xcalloc(1, sizeof(*w));
	w->jsonl = jsonl;
	w->ses = &w->own;
	rc = cmd_session_open(w->ses, cli, "watch", CMD_KINDS, false);
	if (rc) {
		free(w);
		return rc;
	}
	store_subscribe(w->ses->store, on_change, w);
	rc = cmd_session_sync(w->ses, 0);
	if (rc == 0) {
		watch_baseline(w, "");
		watch_run(w->ses->loop, w);
	}
	watcher_free(w);
	cmd_session_close(w->ses);
	free(w);
	return rc;
}
