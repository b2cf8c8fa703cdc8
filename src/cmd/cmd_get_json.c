#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "podscope/buf.h"
#include "podscope/duration.h"
#include "podscope/generations.h"
#include "podscope/lifecycle.h"
#include "podscope/rollout.h"
#include "podscope/why.h"
#include "podscope/sanitize.h"
#include "podscope/xalloc.h"

#include "cmd_dsnodes.h"
#include "cmd_get.h"
#include "cmd_job.h"

/* `podscope get -o json`: the shape is documented in doc/json.md and kept
 * stable. Written straight to stdout one deployment or group at a time, so
 * a big cluster never sits in memory as text. */

static const char *nz(const char *s)
{
	return s ? s : "";
}

static void flush(struct buf *b)
{
	fwrite(b->data ? b->data : "", 1, b->len, stdout);
	buf_reset(b);
}

static void key(struct buf *b, const char *k, bool comma)
{
	if (comma)
		buf_addc(b, ',');
	sanitize_json_string(b, k);
	buf_addc(b, ':');
}

static void num(struct buf *b, const char *k, long long v)
{
	key(b, k, true);
	buf_printf(b, "%lld", v);
}

static void boolean(struct buf *b, const char *k, bool v)
{
	key(b, k, true);
	buf_adds(b, v ? "true" : "false");
}

static void strlist(struct buf *b, const char *k, const char *const *v, uint16_t n)
{
	key(b, k, true);
	buf_addc(b, '[');
	for (uint16_t i = 0; i < n; i++) {
		if (i)
			buf_addc(b, ',');
		sanitize_json_string(b, nz(v[i]));
	}
	buf_addc(b, ']');
}

static void container_json(struct buf *b, const struct pod *p, const struct lc_container *c,
			   int64_t now)
{
	char why[256];
	lifecycle_container_why(p, c, now, why, sizeof(why));
	buf_addc(b, '{');
	cmd_json_str(b, "name", c->name, false);
	boolean(b, "init", c->init);
	boolean(b, "sidecar", c->sidecar);
	cmd_json_str(b, "stage", lc_stage_name(c->stage), true);
	cmd_json_str(b, "reason", c->reason, true);
	cmd_json_str(b, "message", c->message, true);
	cmd_json_str(b, "why", why, true);
	num(b, "restarts", c->restarts);
	key(b, "exitCode", true);
	if (c->has_exit)
		buf_printf(b, "%d", (int)c->exit_code);
	else
		buf_adds(b, "null");
	num(b, "signal", c->signal);
	key(b, "probe", true);
	if (c->probe == LC_PROBE_NONE) {
		buf_adds(b, "null");
	} else {
		buf_addc(b, '{');
		cmd_json_str(b, "type", lc_probe_name(c->probe), false);
		num(b, "failures", c->probe_failures);
		num(b, "threshold", c->probe_threshold);
		buf_addc(b, '}');
	}
	key(b, "backoffSeconds", true);
	if (c->stage == LC_CRASH_LOOP)
		buf_printf(b, "%lld", (long long)(c->backoff_ms / 1000));
	else
		buf_adds(b, "null");
	cmd_json_time(b, "nextRestart", c->stage == LC_CRASH_LOOP ? c->next_restart_ms : 0, true);
	buf_addc(b, '}');
}

/* rev >= 0: the pod's revision, for a StatefulSet's or DaemonSet's pods. */
static void pod_json(struct buf *b, struct get_snap *s, const struct pod *p, int64_t rev)
{
	struct get_row r;
	get_row_compute(s, p, &r);
	buf_addc(b, '{');
	cmd_json_str(b, "namespace", p->namespace, false);
	cmd_json_str(b, "name", p->name, true);
	cmd_json_str(b, "uid", p->uid, true);
	if (rev >= 0)
		num(b, "revision", rev);
	cmd_json_str(b, "ready", r.row.ready, true);
	cmd_json_str(b, "status", r.row.status, true);
	cmd_json_str(b, "restarts", r.row.restarts, true);
	num(b, "restartCount", r.row.restart_count);
	cmd_json_str(b, "age", r.row.age, true);
	cmd_json_time(b, "created", p->created, true);
	cmd_json_str(b, "phase", p->phase, true);
	cmd_json_str(b, "ip", strcmp(r.row.ip, "<none>") ? r.row.ip : "", true);
	cmd_json_str(b, "node", p->node_name, true);
	cmd_json_str(b, "stage", lc_stage_name(r.lc.stage), true);
	num(b, "initIndex", r.lc.init_index);
	num(b, "initTotal", r.lc.init_total);
	cmd_json_str(b, "reason", r.lc.reason, true);
	cmd_json_str(b, "why", r.lc.why, true);
	const struct lc_container *dc = lifecycle_decider(&r.lc);
	cmd_json_str(b, "container", dc ? dc->name : "", true);
	key(b, "containers", true);
	buf_addc(b, '[');
	for (size_t i = 0; i < r.lc.n_containers; i++) {
		if (i)
			buf_addc(b, ',');
		container_json(b, p, &r.lc.containers[i], s->now);
	}
	buf_addc(b, ']');
	/* r computed the pod's events into s->ev; the timeline uses them again. */
	size_t max = lifecycle_timeline(p, s->ev.ev, s->ev.n, NULL, 0);
	struct lc_step *steps = xcalloc(max ? max : 1, sizeof(*steps));
	size_t n = lifecycle_timeline(p, s->ev.ev, s->ev.n, steps, max);
	key(b, "timeline", true);
	buf_addc(b, '[');
	for (size_t i = 0; i < n && i < max; i++) {
		if (i)
			buf_addc(b, ',');
		buf_addc(b, '{');
		cmd_json_str(b, "step", lc_step_name(steps[i].kind), false);
		cmd_json_str(b, "container", steps[i].container, true);
		cmd_json_time(b, "start", steps[i].start_ms, true);
		cmd_json_time(b, "end", steps[i].end_ms, true);
		boolean(b, "done", steps[i].done);
		if (steps[i].kind == LC_STEP_RUN) {
			buf_printf(b, ",\"exitCode\":%d", (int)steps[i].exit_code);
			cmd_json_str(b, "reason", steps[i].reason, true);
			if (steps[i].run)
				buf_printf(b, ",\"run\":%u", (unsigned)steps[i].run);
		}
		buf_addc(b, '}');
	}
	buf_addc(b, ']');
	free(steps);
	buf_addc(b, '}');
	get_row_free(&r);
}

/* The why line (why.h) and its cause's name, "" when nothing blocks. */
static void why_json(struct buf *b, const struct why *w)
{
	cmd_json_str(b, "why", w->line, true);
	cmd_json_str(b, "whyCause", why_cause_name(w->cause), true);
}

static const char *rollout_state_name(int st)
{
	return st == ROLLOUT_DONE ? "complete" : st == ROLLOUT_ERROR ? "failed" : "progressing";
}

static void deployment_json(struct buf *b, struct get_snap *s, size_t di, size_t *pi)
{
	const struct deployment *d = s->deps[di];
	size_t nrs;
	const struct replicaset **rss = cmd_deployment_rss(s->st, d, &nrs);
	struct generations g;
	generations_build(d, rss, nrs, &g);
	struct rollout_deploy_row row;
	rollout_deploy_row(d, s->now, &row);
	buf_addc(b, '{');
	cmd_json_str(b, "namespace", d->namespace, false);
	cmd_json_str(b, "name", d->name, true);
	cmd_json_str(b, "uid", d->uid, true);
	cmd_json_str(b, "ready", row.ready, true);
	cmd_json_str(b, "age", row.age, true);
	cmd_json_time(b, "created", d->created, true);
	num(b, "generation", d->generation);
	num(b, "observedGeneration", d->observed_generation);
	cmd_json_str(b, "revision", d->revision, true);
	boolean(b, "paused", d->paused);
	key(b, "replicas", true);
	buf_printf(b,
		   "{\"desired\":%d,\"current\":%d,\"updated\":%d,\"ready\":%d,\"available\":%d,"
		   "\"unavailable\":%d}",
		   (int)(d->has_spec_replicas ? d->spec_replicas : 1), (int)d->replicas,
		   (int)d->updated_replicas, (int)d->ready_replicas, (int)d->available_replicas,
		   (int)d->unavailable_replicas);
	key(b, "strategy", true);
	buf_addc(b, '{');
	cmd_json_str(b, "type", generations_strategy_name(d), false);
	num(b, "maxSurge", g.budget.max_surge);
	num(b, "maxUnavailable", g.budget.max_unavailable);
	num(b, "surgeInUse", g.budget.surge_used);
	num(b, "unavailableInUse", g.budget.unavailable_used);
	buf_addc(b, '}');
	key(b, "rollout", true);
	size_t ml = strlen(g.status.msg);
	if (ml && g.status.msg[ml - 1] == '\n')
		g.status.msg[ml - 1] = '\0';
	buf_addc(b, '{');
	cmd_json_str(b, "state", rollout_state_name(g.status.state), false);
	cmd_json_str(b, "message", g.status.msg, true);
	struct why why;
	why_deployment(s->st, d, s->now, whylog_line, s->wl, &why);
	why_json(b, &why);
	cmd_json_eta(b, s->st, STORE_DEPLOYMENTS, d, s->now);
	buf_addc(b, '}');
	if (s->kind)
		cmd_json_blockers(b, s->st, STORE_DEPLOYMENTS, d);
	key(b, "conditions", true);
	buf_addc(b, '[');
	for (uint16_t i = 0; i < d->n_conditions; i++) {
		const struct deploy_condition *c = &d->conditions[i];
		if (i)
			buf_addc(b, ',');
		buf_addc(b, '{');
		cmd_json_cond(b, c->type, c->status, c->reason, c->message);
		cmd_json_time(b, "lastUpdate", c->last_update, true);
		buf_addc(b, '}');
	}
	buf_addc(b, ']');
	size_t start = *pi, end = start;
	while (end < s->n_owned && s->pods[end].dep == di)
		end++;
	key(b, "generations", true);
	buf_addc(b, '[');
	for (size_t k = 0; k < g.n; k++) {
		const struct gen_rs *gr = &g.rs[k];
		if (k)
			buf_addc(b, ',');
		buf_addc(b, '{');
		cmd_json_str(b, "name", gr->rs->name, false);
		num(b, "revision", gr->revision);
		cmd_json_str(b, "podTemplateHash", gr->rs->pod_template_hash, true);
		cmd_json_str(b, "role", gr->is_new ? "new" : "old", true);
		num(b, "desired", gr->desired);
		num(b, "current", gr->current);
		num(b, "ready", gr->ready);
		num(b, "available", gr->available);
		strlist(b, "images", gr->rs->images, gr->rs->n_images);
		key(b, "pods", true);
		buf_addc(b, '[');
		bool first = true;
		for (size_t i = start; i < end; i++) {
			if (cmd_pod_rs(s->st, s->pods[i].p) != gr->rs)
				continue;
			if (!first)
				buf_addc(b, ',');
			first = false;
			pod_json(b, s, s->pods[i].p, -1);
			if (b->len > 1 << 16)
				flush(b);
		}
		buf_adds(b, "]}");
	}
	buf_adds(b, "]}");
	*pi = end;
	generations_free(&g);
	free(rss);
}

static void intstr_json(struct buf *b, const char *k, const struct intstr *v)
{
	key(b, k, true);
	if (v->type == INTSTR_STRING)
		sanitize_json_string(b, nz(v->sval));
	else if (v->type == INTSTR_INT)
		buf_printf(b, "%d", (int)v->ival);
	else
		buf_adds(b, "null");
}

static const char *strategy_name(uint8_t t)
{
	return t == UPDATE_ROLLING_UPDATE  ? "RollingUpdate"
	       : t == UPDATE_ON_DELETE     ? "OnDelete"
	       : t == UPDATE_STRATEGY_NONE ? ""
					   : "Other";
}

/* The parts of a StatefulSet and a DaemonSet that differ. */
static void wl_kind_json(struct buf *b, const struct get_snap *s, const struct cmd_wl *wl)
{
	key(b, "replicas", true);
	if (wl->kind == STORE_STATEFULSETS) {
		const struct statefulset *ss = wl->obj;
		buf_printf(b,
			   "{\"desired\":%d,\"current\":%d,\"ready\":%d,\"updated\":%d,"
			   "\"atCurrentRevision\":%d,\"available\":%d}",
			   (int)(ss->has_spec_replicas ? ss->spec_replicas : 1), (int)ss->replicas,
			   (int)ss->ready_replicas, (int)ss->updated_replicas,
			   (int)ss->current_replicas, (int)ss->available_replicas);
		key(b, "strategy", true);
		buf_addc(b, '{');
		cmd_json_str(b, "type", strategy_name(ss->update_strategy), false);
		key(b, "partition", true);
		if (ss->has_partition)
			buf_printf(b, "%d", (int)ss->partition);
		else
			buf_adds(b, "null");
		intstr_json(b, "maxUnavailable", &ss->max_unavailable);
		buf_addc(b, '}');
		cmd_json_str(b, "podManagementPolicy", ss->pod_management_policy, true);
		cmd_json_str(b, "currentRevisionName", ss->current_revision, true);
		cmd_json_str(b, "updateRevisionName", ss->update_revision, true);
	} else {
		const struct daemonset *ds = wl->obj;
		buf_printf(b,
			   "{\"desired\":%d,\"current\":%d,\"ready\":%d,\"updated\":%d,"
			   "\"available\":%d,\"unavailable\":%d,\"misscheduled\":%d}",
			   (int)ds->desired_number_scheduled, (int)ds->current_number_scheduled,
			   (int)ds->number_ready, (int)ds->updated_number_scheduled,
			   (int)ds->number_available, (int)ds->number_unavailable,
			   (int)ds->number_misscheduled);
		key(b, "strategy", true);
		buf_addc(b, '{');
		cmd_json_str(b, "type", strategy_name(ds->update_strategy), false);
		intstr_json(b, "maxUnavailable", &ds->max_unavailable);
		intstr_json(b, "maxSurge", &ds->max_surge);
		buf_addc(b, '}');
		cmd_ds_nodes_json(b, s->st, ds, wl->update_rev,
				  store_count(s->st, STORE_NODES) > 0);
	}
}

static void workload_json(struct buf *b, struct get_snap *s, size_t wi)
{
	const struct cmd_wl *wl = &s->wls[wi];
	char age[DURATION_BUF];
	size_t start, end, nrev;
	duration_since(wl->w->created, s->now, age, sizeof(age));
	buf_addc(b, '{');
	cmd_json_str(b, "namespace", wl->w->namespace, false);
	cmd_json_str(b, "name", wl->w->name, true);
	cmd_json_str(b, "uid", wl->w->uid, true);
	cmd_json_str(b, "ready", wl->ready, true);
	cmd_json_str(b, "age", age, true);
	cmd_json_time(b, "created", wl->w->created, true);
	num(b, "generation", wl->w->generation);
	num(b, "observedGeneration", wl->w->observed_generation);
	wl_kind_json(b, s, wl);
	num(b, "updateRevision", wl->update_rev);
	num(b, "currentRevision", wl->current_rev);
	strlist(b, "images", wl->w->images, wl->w->n_images);
	key(b, "rollout", true);
	buf_addc(b, '{');
	cmd_json_str(b, "state", rollout_state_name(wl->status.state), false);
	cmd_json_str(b, "message", wl->msg, true);
	struct why why;
	why_set(s->st, wl->kind, wl->obj, s->now, whylog_line, s->wl, &why);
	why_json(b, &why);
	cmd_json_eta(b, s->st, wl->kind, wl->obj, s->now);
	buf_addc(b, '}');
	if (s->kind)
		cmd_json_blockers(b, s->st, wl->kind, wl->obj);
	const struct controller_revision **revs = cmd_wl_revisions(s->st, wl, &nrev);
	key(b, "revisions", true);
	buf_addc(b, '[');
	for (size_t r = 0; r < nrev; r++) {
		if (r)
			buf_addc(b, ',');
		buf_addc(b, '{');
		cmd_json_str(b, "name", revs[r]->name, false);
		num(b, "revision", revs[r]->revision);
		cmd_json_str(b, "hash", revs[r]->hash, true);
		buf_addc(b, '}');
	}
	buf_addc(b, ']');
	free(revs);
	get_wl_span(s, wi, &start, &end);
	key(b, "pods", true);
	buf_addc(b, '[');
	for (size_t i = start; i < end; i++) {
		if (i > start)
			buf_addc(b, ',');
		pod_json(b, s, s->pods[i].p, store_pod_revision(s->st, s->pods[i].p));
		if (b->len > 1 << 16)
			flush(b);
	}
	buf_adds(b, "]}");
}

/* "statefulsets" or "daemonsets": the listed workloads of kind k. */
static void workloads_json(struct buf *b, struct get_snap *s, enum store_kind k)
{
	bool first = true;
	key(b, store_kind_name(k), true);
	buf_addc(b, '[');
	for (size_t wi = 0; wi < s->n_wls; wi++) {
		if (s->wls[wi].kind != k)
			continue;
		if (!first)
			buf_addc(b, ',');
		first = false;
		workload_json(b, s, wi);
		flush(b);
	}
	buf_addc(b, ']');
}

void get_print_json(struct get_snap *s, const char *ns)
{
	struct buf b = BUF_INIT;
	char ts[DURATION_BUF];
	duration_format_rfc3339(s->now, 0, ts, sizeof(ts));
	if (s->ctx) {
		buf_adds(&b, s->ctx->comma ? ",{" : "{");
		cmd_json_str(&b, "context", s->ctx->name, false);
		buf_addc(&b, ',');
	} else {
		buf_addc(&b, '{');
	}
	buf_adds(&b, "\"apiVersion\":\"podscope/v1\",\"kind\":\"Snapshot\"");
	cmd_json_str(&b, "time", ts, true);
	key(&b, "namespace", true);
	if (ns)
		sanitize_json_string(&b, ns);
	else
		buf_adds(&b, "null");
	buf_adds(&b, ",\"deployments\":[");
	size_t pi = 0;
	for (size_t di = 0; di < s->n_deps; di++) {
		if (di)
			buf_addc(&b, ',');
		deployment_json(&b, s, di, &pi);
		flush(&b);
	}
	buf_addc(&b, ']');
	workloads_json(&b, s, STORE_STATEFULSETS);
	workloads_json(&b, s, STORE_DAEMONSETS);
	cmd_job_json(&b, s->st, ns, s->kind, s->name, s->now);
	buf_adds(&b, ",\"groups\":[");
	const char *pk = NULL, *pn = NULL, *pns = NULL;
	for (size_t i = s->n_owned; i < s->n_pods; i++) {
		const struct pod *p = s->pods[i].p;
		const char *k, *n;
		get_pod_group(p, &k, &n);
		if (!pk || strcmp(pk, k) || strcmp(pn, n) || strcmp(pns, nz(p->namespace))) {
			if (pk)
				buf_adds(&b, "]},");
			buf_addc(&b, '{');
			cmd_json_str(&b, "kind", k, false);
			cmd_json_str(&b, "name", n, true);
			cmd_json_str(&b, "namespace", p->namespace, true);
			buf_adds(&b, ",\"pods\":[");
			pk = k;
			pn = n;
			pns = nz(p->namespace);
		} else {
			buf_addc(&b, ',');
		}
		pod_json(&b, s, p, -1);
		if (b.len > 1 << 16)
			flush(&b);
	}
	if (pk)
		buf_adds(&b, "]}");
	buf_adds(&b, s->ctx ? "]}" : "]}\n");
	flush(&b);
	buf_free(&b);
}

void get_print_pod_json(struct get_snap *s, const struct pod *p)
{
	struct buf b = BUF_INIT;
	if (s->ctx) {
		struct buf obj = BUF_INIT;
		pod_json(&obj, s, p, -1);
		buf_adds(&b, s->ctx->comma ? ",{" : "{");
		cmd_json_str(&b, "context", s->ctx->name, false);
		buf_addc(&b, ',');
		buf_add(&b, obj.data + 1, obj.len - 1); /* after its '{' */
		buf_free(&obj);
	} else {
		pod_json(&b, s, p, -1);
		buf_addc(&b, '\n');
	}
	flush(&b);
	buf_free(&b);
}
