#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "ctrl_deployment_sync.h"
#include "podscope/xalloc.h"
#include "sim.h"
#include "simobj.h"

/*
 * The deployment controller's writes: new ReplicaSets and their revision
 * annotations (getNewReplicaSet, SetNewReplicaSetAnnotations), scaling
 * (scaleReplicaSet), the status (UpdateStatus) and the legacy rollback.
 */

#define REVISION         "deployment.kubernetes.io/revision"
#define REVISION_HISTORY "deployment.kubernetes.io/revision-history"
#define DESIRED          "deployment.kubernetes.io/desired-replicas"
#define MAXREP           "deployment.kubernetes.io/max-replicas"
#define ROLLBACK_TO      "deprecated.deployment.rollback.to"
#define LAST_APPLIED     "kubectl.kubernetes.io/last-applied-configuration"
#define MAX_REV_HISTORY  2000

static bool skip_copy(const char *k)
{
	static const char *const skip[] = {LAST_APPLIED, REVISION, REVISION_HISTORY,
					   DESIRED,      MAXREP,   ROLLBACK_TO};
	for (size_t i = 0; i < sizeof(skip) / sizeof(skip[0]); i++)
		if (strcmp(k, skip[i]) == 0)
			return true;
	return false;
}

static bool parse_rev(const char *s, int64_t *out)
{
	char *end;
	if (!s || !*s)
		return false;
	long long v = strtoll(s, &end, 10);
	if (*end)
		return false;
	*out = v;
	return true;
}

static void fill_rs(struct dl_rs *r, struct rsinfo *ri, const cJSON *j)
{
	const cJSON *md = cJSON_GetObjectItemCaseSensitive(j, "metadata");
	const cJSON *an = cJSON_GetObjectItemCaseSensitive(md, "annotations");
	const cJSON *spec = cJSON_GetObjectItemCaseSensitive(j, "spec");
	const cJSON *st = cJSON_GetObjectItemCaseSensitive(j, "status");
	const char *rev = cj_str(an, REVISION);
	r->revision = 0;
	r->revision_bad = rev && !parse_rev(rev, &r->revision);
	const char *d = cj_str(an, DESIRED), *m = cj_str(an, MAXREP);
	snprintf(ri->desired, sizeof(ri->desired), "%s", d ? d : "");
	snprintf(ri->max, sizeof(ri->max), "%s", m ? m : "");
	r->desired_annot = d ? ri->desired : NULL;
	r->max_annot = m ? ri->max : NULL;
	r->created_ms = cj_time(md, "creationTimestamp");
	r->spec = (int32_t)cj_int(spec, "replicas", 1);
	r->replicas = (int32_t)cj_int(st, "replicas", 0);
	r->ready = (int32_t)cj_int(st, "readyReplicas", 0);
	r->available = (int32_t)cj_int(st, "availableReplicas", 0);
	r->generation = cj_int(md, "generation", 0);
	r->observed_generation = cj_int(st, "observedGeneration", 0);
	r->deleting = cJSON_GetObjectItemCaseSensitive(md, "deletionTimestamp") != NULL;
	r->failure_reason = r->failure_message = NULL;
	const cJSON *c;
	cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(st, "conditions"))
	{
		const char *t = cj_str(c, "type"), *cs = cj_str(c, "status");
		if (!t || strcmp(t, "ReplicaFailure") != 0)
			continue;
		r->failure_reason = cj_str(c, "reason") ? cj_str(c, "reason") : "";
		r->failure_message = cj_str(c, "message") ? cj_str(c, "message") : "";
		r->failure_status = cs && strcmp(cs, "True") == 0    ? DL_COND_TRUE
				    : cs && strcmp(cs, "False") == 0 ? DL_COND_FALSE
								     : DL_COND_UNKNOWN;
		r->failure_ms = cj_time(c, "lastTransitionTime");
	}
}

void dsync_add_rs(struct dsync *s, const struct simobj *r)
{
	size_t i = s->n++;
	s->ri[i].name = xstrdup(r->name);
	snprintf(s->ri[i].uid, sizeof(s->ri[i].uid), "%s",
		 cj_str(cj_path(r->json, "metadata", NULL), "uid"));
	s->rs[i].name = s->ri[i].name;
	fill_rs(&s->rs[i], &s->ri[i], r->json);
}

/* Re-read RS i after we wrote it (status is the RS controller's: unchanged). */
static void refresh_rs(struct dsync *s, size_t i, const struct simobj *r)
{
	fill_rs(&s->rs[i], &s->ri[i], r->json);
}

static cJSON *annotations(cJSON *obj)
{
	return simjson_object(simjson_object(obj, "metadata"), "annotations");
}

/* SetReplicasAnnotations: true when either value changed. */
static bool set_replicas_annotations(const struct dsync *s, cJSON *rsj)
{
	char d[16], m[16];
	snprintf(d, sizeof(d), "%d", (int)s->d.spec_replicas);
	snprintf(m, sizeof(m), "%d", (int)dl_max_replicas(&s->d));
	cJSON *an = annotations(rsj);
	bool changed = false;
	const char *cd = cj_str(an, DESIRED), *cm = cj_str(an, MAXREP);
	if (!cd || strcmp(cd, d) != 0) {
		simjson_set_string(an, DESIRED, d);
		changed = true;
	}
	if (!cm || strcmp(cm, m) != 0) {
		simjson_set_string(an, MAXREP, m);
		changed = true;
	}
	return changed;
}

/* SetNewReplicaSetAnnotations */
static bool set_new_rs_annotations(const struct dsync *s, cJSON *rsj, int64_t new_rev, bool exists)
{
	cJSON *an = annotations(rsj);
	bool changed = false;
	const cJSON *a;
	cJSON_ArrayForEach(a, cj_path(s->dj, "metadata", "annotations", NULL))
	{
		if (!cJSON_IsString(a) || skip_copy(a->string))
			continue;
		const char *have = cj_str(an, a->string);
		if (have && strcmp(have, a->valuestring) == 0)
			continue;
		simjson_set_string(an, a->string, a->valuestring);
		changed = true;
	}
	const char *old = cj_str(an, REVISION);
	int64_t old_rev = 0;
	if (old && *old && !parse_rev(old, &old_rev))
		return false; /* as the controller does: leave such an RS alone */
	if (old_rev < new_rev) {
		char *old_copy = xstrdup(old);
		char nr[24];
		snprintf(nr, sizeof(nr), "%lld", (long long)new_rev);
		simjson_set_string(an, REVISION, nr);
		changed = true;
		/* A rollback: keep the numbers this RS had before. */
		if (old_copy) {
			const char *hist = cj_str(an, REVISION_HISTORY);
			if (!hist || !*hist) {
				simjson_set_string(an, REVISION_HISTORY, old_copy);
			} else {
				const char *h = hist;
				size_t total = strlen(hist) + strlen(old_copy) + 1;
				while (total > MAX_REV_HISTORY && h) {
					const char *comma = strchr(h, ',');
					total -= (comma ? (size_t)(comma - h) : strlen(h)) + 1;
					h = comma ? comma + 1 : NULL;
				}
				if (total <= MAX_REV_HISTORY) {
					char *v =
					    h ? xasprintf("%s,%s", h, old_copy) : xstrdup(old_copy);
					simjson_set_string(an, REVISION_HISTORY, v);
					free(v);
				}
			}
		}
		free(old_copy);
	}
	if (!exists && set_replicas_annotations(s, rsj))
		changed = true;
	return changed;
}

/* SetDeploymentRevision */
static bool set_dep_revision(struct dsync *s, const char *rev)
{
	cJSON *an = annotations(s->dj);
	const char *cur = cj_str(an, REVISION);
	if (cur && strcmp(cur, rev ? rev : "") == 0)
		return false;
	simjson_set_string(an, REVISION, rev ? rev : "");
	return true;
}

static void cond_json(cJSON *arr, const struct dl_cond *c)
{
	static const char *const status[] = {"Unknown", "True", "False"};
	char t[40];
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "type", c->type);
	cJSON_AddStringToObject(o, "status", status[c->status <= 2 ? c->status : 0]);
	simclock_format(c->last_update, t, sizeof(t));
	cJSON_AddStringToObject(o, "lastUpdateTime", t);
	simclock_format(c->last_transition, t, sizeof(t));
	cJSON_AddStringToObject(o, "lastTransitionTime", t);
	cJSON_AddStringToObject(o, "reason", c->reason);
	cJSON_AddStringToObject(o, "message", c->message);
	cJSON_AddItemToArray(arr, o);
}

static cJSON *status_json(const struct dl_status *st)
{
	cJSON *o = cJSON_CreateObject();
	if (st->observed_generation)
		cj_set_int(o, "observedGeneration", st->observed_generation);
	const struct {
		const char *k;
		int32_t v;
	} f[] = {{"replicas", st->replicas},
		 {"updatedReplicas", st->updated},
		 {"readyReplicas", st->ready},
		 {"availableReplicas", st->available},
		 {"unavailableReplicas", st->unavailable}};
	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++)
		if (f[i].v)
			cj_set_int(o, f[i].k, f[i].v);
	if (st->nconds) {
		cJSON *arr = cJSON_AddArrayToObject(o, "conditions");
		for (size_t i = 0; i < st->nconds; i++)
			cond_json(arr, &st->conds[i]);
	}
	if (st->has_collision_count)
		cj_set_int(o, "collisionCount", st->collision_count);
	return o;
}

void dsync_write_dep(struct dsync *s)
{
	cJSON_DeleteItemFromObjectCaseSensitive(s->dj, "status");
	cJSON_AddItemToObject(s->dj, "status", status_json(&s->st));
	struct simobj *out = NULL;
	if (simstore_update(s->c->sim->store, s->c->deps, cJSON_Duplicate(s->dj, 1), 0, &out) ==
		SIMSTORE_OK &&
	    out) {
		cJSON_Delete(s->dj);
		s->dj = simobj_copy(out);
		s->uid = cj_str(cj_path(s->dj, "metadata", NULL), "uid");
	}
}

void dsync_apply(struct dsync *s, const struct dl_ops *ops)
{
	for (size_t k = 0; k < ops->n; k++) {
		const struct dl_op *op = &ops->v[k];
		const struct simobj *r =
		    simstore_get(s->c->sim->store, s->c->rss, s->ns, s->ri[op->rs].name);
		if (!r)
			continue;
		cJSON *j = simobj_copy(r);
		cj_set_int(simjson_object(j, "spec"), "replicas", op->to);
		set_replicas_annotations(s, j);
		struct simobj *out = NULL;
		if (simstore_update(s->c->sim->store, s->c->rss, j, 0, &out) != SIMSTORE_OK || !out)
			continue;
		refresh_rs(s, op->rs, out);
		if (op->from != op->to)
			simevents_record(s->c->sim, s->dj, NULL, &dsync_src, "Normal",
					 "ScalingReplicaSet",
					 "Scaled %s replica set %s to %d from %d", op->dir,
					 s->ri[op->rs].name, (int)op->to, (int)op->from);
	}
}

static int64_t max_old_revision(const struct dsync *s, size_t nw)
{
	int64_t m = 0;
	for (size_t i = 0; i < s->n; i++)
		if (i != nw && !s->rs[i].revision_bad && s->rs[i].revision > m)
			m = s->rs[i].revision;
	return m;
}

static void set_progressing(struct dsync *s, const char *reason, const char *fmt,
			    const char *rsname)
{
	char msg[320];
	struct dl_cond c;
	snprintf(msg, sizeof(msg), fmt, rsname);
	dl_new_condition(&c, "Progressing", DL_COND_TRUE, reason, msg, s->now);
	dl_set_condition(&s->st, &c);
}

static size_t existing_new(struct dsync *s, size_t nw, int64_t new_rev)
{
	const struct simobj *r = simstore_get(s->c->sim->store, s->c->rss, s->ns, s->ri[nw].name);
	if (!r)
		return DL_NONE;
	cJSON *j = simobj_copy(r);
	bool annot = set_new_rs_annotations(s, j, new_rev, true);
	cJSON *spec = simjson_object(j, "spec");
	bool mrs = cj_int(spec, "minReadySeconds", 0) != s->d.min_ready_seconds;
	if (annot || mrs) {
		cJSON_DeleteItemFromObjectCaseSensitive(spec, "minReadySeconds");
		if (s->d.min_ready_seconds)
			cj_set_int(spec, "minReadySeconds", s->d.min_ready_seconds);
		struct simobj *out = NULL;
		if (simstore_update(s->c->sim->store, s->c->rss, j, 0, &out) == SIMSTORE_OK && out)
			refresh_rs(s, nw, out);
		return nw;
	}
	cJSON_Delete(j);
	bool needs = set_dep_revision(
	    s, cj_str(cj_path(r->json, "metadata", "annotations", NULL), REVISION));
	if (dl_has_progress_deadline(&s->d) && !dl_get_condition(&s->st, "Progressing")) {
		set_progressing(s, "FoundNewReplicaSet", "Found new replica set \"%s\"",
				s->ri[nw].name);
		needs = true;
	}
	if (needs)
		dsync_write_dep(s);
	return nw;
}

static cJSON *owner_ref(const struct dsync *s)
{
	cJSON *ref = cJSON_CreateObject();
	cJSON_AddStringToObject(ref, "apiVersion", "apps/v1");
	cJSON_AddStringToObject(ref, "kind", "Deployment");
	cJSON_AddStringToObject(ref, "name", s->name);
	cJSON_AddStringToObject(ref, "uid", s->uid);
	cJSON_AddTrueToObject(ref, "controller");
	cJSON_AddTrueToObject(ref, "blockOwnerDeletion");
	return ref;
}

static size_t create_new(struct dsync *s, int64_t new_rev)
{
	const cJSON *dtmpl = cj_path(s->dj, "spec", "template", NULL);
	cJSON *tmpl = cJSON_Duplicate(dtmpl, 1);
	char hash[11];
	dl_template_hash(dtmpl, s->st.has_collision_count ? s->st.collision_count : -1, hash);
	simjson_set_string(simjson_object(simjson_object(tmpl, "metadata"), "labels"),
			   "pod-template-hash", hash);
	cJSON *sel = cJSON_Duplicate(cj_path(s->dj, "spec", "selector", NULL), 1);
	if (!sel)
		sel = cJSON_CreateObject();
	simjson_set_string(simjson_object(sel, "matchLabels"), "pod-template-hash", hash);

	char *name = xasprintf("%s-%s", s->name, hash);
	cJSON *rsj = cJSON_CreateObject();
	cJSON *md = cJSON_AddObjectToObject(rsj, "metadata");
	cJSON_AddStringToObject(md, "name", name);
	cJSON_AddStringToObject(md, "namespace", s->ns);
	cJSON_AddItemToObject(md, "labels",
			      cJSON_Duplicate(cj_path(tmpl, "metadata", "labels", NULL), 1));
	cJSON_AddItemToArray(cJSON_AddArrayToObject(md, "ownerReferences"), owner_ref(s));
	cJSON *spec = cJSON_AddObjectToObject(rsj, "spec");
	int32_t old_sum = 0, replicas = 0;
	for (size_t i = 0; i < s->n; i++)
		old_sum += s->rs[i].spec;
	kstrategy_new_rs_replicas(&s->d.strategy, s->d.spec_replicas, old_sum, 0, &replicas);
	cj_set_int(spec, "replicas", replicas);
	if (s->d.min_ready_seconds)
		cj_set_int(spec, "minReadySeconds", s->d.min_ready_seconds);
	cJSON_AddItemToObject(spec, "selector", sel);
	cJSON_AddItemToObject(spec, "template", tmpl);
	set_new_rs_annotations(s, rsj, new_rev, false);

	struct simobj *out = NULL;
	enum simstore_rc rc = simstore_create(s->c->sim->store, s->c->rss, rsj, &out);
	if (rc == SIMSTORE_EXISTS) {
		/* A hash collision: another template got this name. */
		s->st.collision_count = s->st.has_collision_count ? s->st.collision_count + 1 : 1;
		s->st.has_collision_count = true;
		dsync_write_dep(s);
		free(name);
		return DL_NONE;
	}
	if (rc != SIMSTORE_OK || !out) {
		free(name);
		return DL_NONE;
	}
	size_t nw = s->n;
	dsync_add_rs(s, out);
	s->ri[nw].tmatch = true;
	if (replicas > 0)
		simevents_record(s->c->sim, s->dj, NULL, &dsync_src, "Normal", "ScalingReplicaSet",
				 "Scaled up replica set %s to %d", name, (int)replicas);
	char rev[24];
	snprintf(rev, sizeof(rev), "%lld", (long long)new_rev);
	set_dep_revision(s, rev);
	if (dl_has_progress_deadline(&s->d))
		set_progressing(s, "NewReplicaSetCreated", "Created new replica set \"%s\"", name);
	dsync_write_dep(s);
	free(name);
	return nw;
}

size_t dsync_get_all(struct dsync *s, bool create)
{
	size_t nw = dsync_find_new(s);
	int64_t new_rev = max_old_revision(s, nw) + 1;
	if (nw != DL_NONE)
		return existing_new(s, nw, new_rev);
	if (!create || s->n >= s->cap)
		return DL_NONE;
	return create_new(s, new_rev);
}

/* --- rollback.go (the annotation kubectl used to set) ------------------------ */

static void clear_rollback_to(struct dsync *s)
{
	cJSON_DeleteItemFromObjectCaseSensitive(annotations(s->dj), ROLLBACK_TO);
	dsync_write_dep(s);
}

void dsync_rollback(struct dsync *s)
{
	s->nw = dsync_get_all(s, false);
	int64_t to = 0;
	parse_rev(cj_str(annotations(s->dj), ROLLBACK_TO), &to);
	if (to == 0) {
		/* LastRevision: the second-highest revision. */
		int64_t max = 0, second = 0;
		for (size_t i = 0; i < s->n; i++) {
			int64_t v = s->rs[i].revision;
			if (s->rs[i].revision_bad)
				continue;
			if (v >= max) {
				second = max;
				max = v;
			} else if (v > second) {
				second = v;
			}
		}
		to = second;
		if (to == 0) {
			simevents_record(s->c->sim, s->dj, NULL, &dsync_src, "Warning",
					 "DeploymentRollbackRevisionNotFound",
					 "Unable to find last revision.");
			clear_rollback_to(s);
			return;
		}
	}
	for (size_t i = 0; i < s->n; i++) {
		if (s->rs[i].revision_bad || s->rs[i].revision != to)
			continue;
		const struct simobj *r =
		    simstore_get(s->c->sim->store, s->c->rss, s->ns, s->ri[i].name);
		if (!r)
			break;
		if (s->ri[i].tmatch) {
			simevents_record(s->c->sim, s->dj, NULL, &dsync_src, "Warning",
					 "DeploymentRollbackTemplateUnchanged",
					 "The rollback revision contains the same template as "
					 "current deployment \"%s\"",
					 s->name);
			clear_rollback_to(s);
			return;
		}
		/* SetFromReplicaSetTemplate and SetDeploymentAnnotationsTo. */
		cJSON *t = cJSON_Duplicate(cj_path(r->json, "spec", "template", NULL), 1);
		cJSON_DeleteItemFromObjectCaseSensitive(
		    (cJSON *)cj_path(t, "metadata", "labels", NULL), "pod-template-hash");
		cJSON *spec = simjson_object(s->dj, "spec");
		cJSON_DeleteItemFromObjectCaseSensitive(spec, "template");
		cJSON_AddItemToObject(spec, "template", t);
		cJSON *an = annotations(s->dj);
		cJSON *nan = cJSON_CreateObject();
		const cJSON *a;
		cJSON_ArrayForEach(a, an)
		{
			if (skip_copy(a->string))
				cJSON_AddItemToObject(nan, a->string, cJSON_Duplicate(a, 1));
		}
		cJSON_ArrayForEach(a, cj_path(r->json, "metadata", "annotations", NULL))
		{
			if (!skip_copy(a->string))
				cJSON_AddItemToObject(nan, a->string, cJSON_Duplicate(a, 1));
		}
		cJSON_ReplaceItemInObjectCaseSensitive(simjson_object(s->dj, "metadata"),
						       "annotations", nan);
		clear_rollback_to(s);
		simevents_record(s->c->sim, s->dj, NULL, &dsync_src, "Normal", "DeploymentRollback",
				 "Rolled back deployment \"%s\" to revision %lld", s->name,
				 (long long)to);
		return;
	}
	simevents_record(s->c->sim, s->dj, NULL, &dsync_src, "Warning",
			 "DeploymentRollbackRevisionNotFound",
			 "Unable to find the revision to rollback to.");
	clear_rollback_to(s);
}
