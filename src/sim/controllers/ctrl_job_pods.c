#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "podscope/xalloc.h"

#include "api_write.h"
#include "ctrl_job_int.h"
#include "events.h"
#include "objdefaults.h"
#include "poddelete.h"
#include "sim.h"
#include "simobj.h"

/*
 * The Job's pods (getPodsForJob, manageJob and the pod control it uses):
 * claiming, creating with the tracking finalizer (and, for an Indexed Job,
 * the completion index), deleting in activePodsForRemoval's order, and the
 * finalizer's removal.
 */

static const struct simevent_source src = {"job-controller", NULL};

void jobsync_wake_in(struct jobsync *s, int64_t ms)
{
	int64_t at = s->now + (ms > 0 ? ms : 0);
	if (!s->wake || at < s->wake)
		s->wake = at;
}

/* onlyReplaceFailedPods */

bool jobsync_only_replace_failed(const struct jobsync *s)
{
	const char *p = cj_str(s->spec, "podReplacementPolicy");
	return (p && strcmp(p, "Failed") == 0) ||
	       cJSON_GetObjectItemCaseSensitive(s->spec, "podFailurePolicy");
}

/* isPodFailed */

bool jobsync_pod_failed(const struct jobsync *s, const cJSON *pod)
{
	if (simjob_is_phase(pod, "Failed"))
		return true;
	if (jobsync_only_replace_failed(s))
		return false;
	return simjob_deleting(pod) && !simjob_is_phase(pod, "Succeeded");
}

bool jobsync_valid_index(const struct jobsync *s, const cJSON *pod)
{
	if (!s->indexed)
		return true;
	int32_t ix = simjob_pod_index(pod);
	return ix >= 0 && ix < s->completions;
}

bool jobsync_per_index(const struct jobsync *s)
{
	return s->indexed &&
	       cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(s->spec, "backoffLimitPerIndex"));
}

void jobsync_event(struct jobsync *s, const char *type, const char *reason, const char *fmt,
		   const char *arg)
{
	const struct simobj *o = simstore_get(s->c->sim->store, s->c->jobs, s->ns, s->name);
	if (o)
		simevents_record(s->c->sim, o->json, NULL, &src, type, reason, fmt, arg);
}

/* --- pods ----------------------------------------------------------------------- */

static cJSON *controller_ref(const struct jobsync *s)
{
	return simjob_controller_ref("Job", s->job);
}

static void add_finalizer(cJSON *md)
{
	cJSON *f = cJSON_GetObjectItemCaseSensitive(md, "finalizers");
	if (!cJSON_IsArray(f)) {
		cJSON_DeleteItemFromObjectCaseSensitive(md, "finalizers");
		f = cJSON_AddArrayToObject(md, "finalizers");
	}
	const cJSON *it;
	cJSON_ArrayForEach(it, f)
	{
		if (cJSON_IsString(it) && strcmp(it->valuestring, SIMJOB_FINALIZER) == 0)
			return;
	}
	cJSON_AddItemToArray(f, cJSON_CreateString(SIMJOB_FINALIZER));
}

/* getPodsForJob: the pods of the namespace the Job controls, after adopting
 * the orphans its selector matches (with the tracking finalizer) and
 * releasing those it no longer matches. */
void jobsync_claim(struct jobsync *s)
{
	struct jobctl *c = s->c;
	const char *uid = simjob_uid(s->job);
	const cJSON *sel = cj_path(s->spec, "selector", NULL);
	struct simsnap *snap = simstore_snapshot(c->sim->store, c->pods);
	char *prefix = xasprintf("%s/", s->ns);
	size_t len = strlen(prefix), cap = 8;
	s->pods = xcalloc(cap, sizeof(*s->pods));
	for (size_t i = simsnap_seek(snap, prefix, true);
	     i < snap->n && strncmp(snap->items[i]->key, prefix, len) == 0; i++) {
		const struct simobj *o = snap->items[i];
		const cJSON *ref = cj_controller_ref(o->json);
		const char *ouid = cj_str(ref, "uid");
		bool match = cj_selector_matches(sel, cj_path(o->json, "metadata", "labels", NULL));
		cJSON *copy = NULL;
		if (ouid && strcmp(ouid, uid) == 0) {
			if (!match && !s->deleting) {
				ctrl_release_unmatched(ctrlapps_of(c->sim), c->pods, o, sel, uid);
				continue;
			}
			copy = cJSON_Duplicate(o->json, 1);
		} else if (!ref && match && !s->deleting && !simjob_deleting(o->json) &&
			   !simjob_is_phase(o->json, "Succeeded") &&
			   !simjob_is_phase(o->json, "Failed")) {
			cJSON *put = cJSON_Duplicate(o->json, 1);
			cJSON *md = simjson_object(put, "metadata");
			cJSON *refs = cJSON_GetObjectItemCaseSensitive(md, "ownerReferences");
			if (!cJSON_IsArray(refs)) {
				cJSON_DeleteItemFromObjectCaseSensitive(md, "ownerReferences");
				refs = cJSON_AddArrayToObject(md, "ownerReferences");
			}
			cJSON_AddItemToArray(refs, controller_ref(s));
			add_finalizer(md);
			struct simobj *made = NULL;
			if (simstore_update(c->sim->store, c->pods, put, 0, &made) != SIMSTORE_OK ||
			    !made)
				continue;
			copy = cJSON_Duplicate(made->json, 1);
		} else {
			continue;
		}
		if (s->npods == cap)
			s->pods = xrealloc(s->pods, (cap *= 2) * sizeof(*s->pods));
		s->pods[s->npods++] = copy;
	}
	free(prefix);
	simsnap_unref(snap);
	s->active = xcalloc(s->npods + 1, sizeof(*s->active));
	for (size_t i = 0; i < s->npods; i++) {
		const cJSON *p = s->pods[i];
		bool done = simjob_is_phase(p, "Succeeded") || simjob_is_phase(p, "Failed");
		if (!done && !simjob_deleting(p)) {
			s->active[s->nactive++] = i;
			if (simjob_pod_ready(p))
				s->ready++;
		} else if (!done) {
			s->terminating++;
		}
	}
}

bool jobctl_drop_finalizer(struct jobctl *c, const char *ns, const char *name)
{
	const struct simobj *o = simstore_get(c->sim->store, c->pods, ns, name);
	if (!o)
		return true;
	if (!simjob_has_finalizer(o->json))
		return true;
	cJSON *obj = simobj_copy(o);
	cJSON *md = simjson_object(obj, "metadata");
	cJSON *f = cJSON_GetObjectItemCaseSensitive(md, "finalizers");
	cJSON *it = f ? f->child : NULL;
	while (it) {
		cJSON *next = it->next;
		if (cJSON_IsString(it) && strcmp(it->valuestring, SIMJOB_FINALIZER) == 0)
			cJSON_Delete(cJSON_DetachItemViaPointer(f, it));
		it = next;
	}
	if (!f->child)
		cJSON_DeleteItemFromObjectCaseSensitive(md, "finalizers");
	/* The last finalizer of a pod being deleted: it goes now, as the API
	 * does when a patch removes it. */
	bool gone = simjob_deleting(obj) && !cJSON_GetObjectItemCaseSensitive(md, "finalizers");
	const cJSON *grace = cJSON_GetObjectItemCaseSensitive(md, "deletionGracePeriodSeconds");
	bool finished = simjob_is_phase(obj, "Succeeded") || simjob_is_phase(obj, "Failed");
	if (simstore_update(c->sim->store, c->pods, obj, 0, NULL) != SIMSTORE_OK)
		return false;
	if (gone && (finished || !cJSON_IsNumber(grace) || grace->valuedouble <= 0))
		simstore_delete(c->sim->store, c->pods, ns, name, 0, NULL);
	return true;
}

void jobctl_sync_orphan(struct jobctl *c, const char *key)
{
	char ns[256], name[256];
	cj_split_key(key, ns, name);
	const struct simobj *o = simstore_get(c->sim->store, c->pods, ns, name);
	if (!o || !simjob_has_finalizer(o->json))
		return;
	const cJSON *ref = cj_controller_ref(o->json);
	const char *kind = cj_str(ref, "kind"), *jname = cj_str(ref, "name");
	if (kind && jname && strcmp(kind, "Job") == 0) {
		const struct simobj *j = simstore_get(c->sim->store, c->jobs, ns, jname);
		const char *ruid = cj_str(ref, "uid");
		if (j && ruid && strcmp(simjob_uid(j->json), ruid) == 0 &&
		    !simjob_finished_condition(j->json))
			return;
	}
	jobctl_drop_finalizer(c, ns, name);
}

void jobsync_delete_pod(struct jobsync *s, const cJSON *pod, bool drop_finalizer)
{
	char *name = xstrdup(simjob_name(pod));
	if (drop_finalizer)
		jobctl_drop_finalizer(s->c, s->ns, name);
	if (simpod_delete(s->c->sim, s->ns, name, -1, NULL) == SIMSTORE_OK)
		jobsync_event(s, "Normal", "SuccessfulDelete", "Deleted pod: %s", name);
	free(name);
}

/* The index of the pod that last failed at ix (the one a new pod replaces),
 * or NULL. */
const cJSON *jobsync_last_failed_at(const struct jobsync *s, int32_t ix)
{
	const cJSON *best = NULL;
	int64_t bt = 0;
	for (size_t i = 0; i < s->npods; i++) {
		const cJSON *p = s->pods[i];
		if (simjob_pod_index(p) != ix || !jobsync_pod_failed(s, p))
			continue;
		int64_t t = simjob_finished_time(p);
		if (!best || t > bt) {
			best = p;
			bt = t;
		}
	}
	return best;
}

static void create_pod(struct jobsync *s, int32_t ix)
{
	struct jobctl *c = s->c;
	cJSON *pod = cJSON_CreateObject();
	cJSON_AddStringToObject(pod, "apiVersion", "v1");
	cJSON_AddStringToObject(pod, "kind", "Pod");
	const cJSON *tmd = cj_path(s->spec, "template", "metadata", NULL);
	cJSON *md = tmd ? cJSON_Duplicate(tmd, 1) : cJSON_CreateObject();
	cJSON_AddItemToObject(pod, "metadata", md);
	cJSON_DeleteItemFromObjectCaseSensitive(md, "name");
	simjson_set_string(md, "namespace", s->ns);
	const cJSON *tspec = cj_path(s->spec, "template", "spec", NULL);
	cJSON *spec = tspec ? cJSON_Duplicate(tspec, 1) : cJSON_CreateObject();
	cJSON_AddItemToObject(pod, "spec", spec);
	char gen[300];
	if (ix >= 0) {
		char txt[16];
		snprintf(txt, sizeof(txt), "%d", ix);
		/* addCompletionIndexEnvVariables */
		cJSON *ctr;
		cJSON_ArrayForEach(ctr, cJSON_GetObjectItemCaseSensitive(spec, "containers"))
		{
			cJSON *env = cJSON_GetObjectItemCaseSensitive(ctr, "env");
			if (!cJSON_IsArray(env)) {
				cJSON_DeleteItemFromObjectCaseSensitive(ctr, "env");
				env = cJSON_AddArrayToObject(ctr, "env");
			}
			bool have = false;
			const cJSON *e;
			cJSON_ArrayForEach(e, env) have |=
			    cj_str(e, "name") &&
			    strcmp(cj_str(e, "name"), "JOB_COMPLETION_INDEX") == 0;
			if (have)
				continue;
			cJSON *e2 = cJSON_CreateObject();
			cJSON_AddStringToObject(e2, "name", "JOB_COMPLETION_INDEX");
			cJSON *fr = cJSON_AddObjectToObject(
			    cJSON_AddObjectToObject(e2, "valueFrom"), "fieldRef");
			cJSON_AddStringToObject(fr, "apiVersion", "v1");
			cJSON_AddStringToObject(fr, "fieldPath",
						"metadata.labels['" SIMJOB_INDEX_LABEL "']");
			cJSON_AddItemToArray(env, e2);
		}
		simjson_set_string(simjson_object(md, "annotations"), SIMJOB_INDEX_ANNOTATION, txt);
		simjson_set_string(simjson_object(md, "labels"), SIMJOB_INDEX_LABEL, txt);
		char host[300];
		snprintf(host, sizeof(host), "%s-%d", s->name, ix);
		simjson_set_string(spec, "hostname", host);
		snprintf(gen, sizeof(gen), "%s-%d-", s->name, ix);
		if (jobsync_per_index(s)) {
			/* addIndexFailureCountAnnotation */
			const cJSON *prev = jobsync_last_failed_at(s, ix);
			int32_t n = 0;
			if (prev) {
				bool count = true;
				n = simjob_failure_count(prev);
				const cJSON *pfp =
				    cJSON_GetObjectItemCaseSensitive(s->spec, "podFailurePolicy");
				if (pfp)
					simjob_match_pod_failure_policy(pfp, prev, NULL, &count);
				if (count)
					n++;
			}
			snprintf(txt, sizeof(txt), "%d", n);
			simjson_set_string(simjson_object(md, "annotations"),
					   SIMJOB_FAILCOUNT_ANNOTATION, txt);
		}
	} else {
		snprintf(gen, sizeof(gen), "%s-", s->name);
	}
	simjson_set_string(md, "generateName", gen);
	add_finalizer(md);
	cJSON_DeleteItemFromObjectCaseSensitive(md, "ownerReferences");
	cJSON_AddItemToArray(cJSON_AddArrayToObject(md, "ownerReferences"), controller_ref(s));
	objdefaults_apply("Pod", pod);
	cJSON *err = simprep_create(c->sim, c->pods, pod);
	struct simobj *made = NULL;
	if (err) {
		cJSON_Delete(err);
		cJSON_Delete(pod);
		return;
	}
	if (simstore_create(c->sim->store, c->pods, pod, &made) == SIMSTORE_OK && made)
		jobsync_event(s, "Normal", "SuccessfulCreate", "Created pod: %s", made->name);
}

/* controller.ActivePods' order, the first to delete first: unassigned,
 * pending, not ready, then the newest. */
static int rank(const cJSON *p)
{
	if (!cj_str(cj_path(p, "spec", NULL), "nodeName"))
		return 0;
	if (simjob_is_phase(p, "Pending"))
		return 1;
	if (!simjob_pod_ready(p))
		return 2;
	return 3;
}

static int cmp_removal(const void *a, const void *b)
{
	const cJSON *x = *(const cJSON *const *)a, *y = *(const cJSON *const *)b;
	int rx = rank(x), ry = rank(y);
	if (rx != ry)
		return rx - ry;
	int64_t tx = cj_time(cj_path(x, "metadata", NULL), "creationTimestamp");
	int64_t ty = cj_time(cj_path(y, "metadata", NULL), "creationTimestamp");
	return tx < ty ? 1 : tx > ty ? -1 : strcmp(simjob_name(x), simjob_name(y));
}

/* activePodsForRemoval: for an Indexed Job, pods with a repeated or an
 * invalid index first; then by ActivePods' order. n gets the count. */
static const cJSON **for_removal(const struct jobsync *s, int32_t at_least, size_t *n)
{
	const cJSON **rm = xcalloc(s->nactive + 1, sizeof(*rm));
	const cJSON **left = xcalloc(s->nactive + 1, sizeof(*left));
	size_t nr = 0, nl = 0;
	for (size_t i = 0; i < s->nactive; i++) {
		const cJSON *p = s->pods[s->active[i]];
		bool dup = false;
		if (s->indexed) {
			int32_t ix = simjob_pod_index(p);
			dup = ix < 0 || ix >= s->completions;
			for (size_t k = 0; k < nl && !dup; k++)
				dup = simjob_pod_index(left[k]) == ix;
		}
		if (dup)
			rm[nr++] = p;
		else
			left[nl++] = p;
	}
	if ((int32_t)nr < at_least) {
		qsort(left, nl, sizeof(*left), cmp_removal);
		for (size_t k = 0; k < nl && (int32_t)nr < at_least; k++)
			rm[nr++] = left[k];
	}
	free(left);
	*n = nr;
	return rm;
}

/* firstPendingIndexes: the lowest indexes neither succeeded, failed nor
 * running. */
static int32_t *pending_indexes(const struct jobsync *s, int32_t want, int32_t *n)
{
	int32_t *v = xcalloc((size_t)(want > 0 ? want : 1), sizeof(*v));
	*n = 0;
	for (int32_t ix = 0; ix < s->completions && *n < want; ix++) {
		if (simjob_ivals_has(&s->ok, ix) || simjob_ivals_has(&s->failed_ix, ix))
			continue;
		bool running = false;
		for (size_t i = 0; i < s->nactive && !running; i++)
			running = simjob_pod_index(s->pods[s->active[i]]) == ix;
		if (!running)
			v[(*n)++] = ix;
	}
	return v;
}

#define MAX_CREATE_DELETE 500

/* manageJob: the number of active pods afterwards. */
int32_t jobsync_manage(struct jobsync *s)
{
	int32_t active = (int32_t)s->nactive;
	int32_t parallelism = (int32_t)cj_int(s->spec, "parallelism", 1);
	if (s->suspended) {
		size_t n;
		const cJSON **rm = for_removal(s, active, &n);
		for (size_t i = 0; i < n; i++) {
			if (simjob_pod_ready(rm[i]))
				s->ready--;
			jobsync_delete_pod(s, rm[i], true);
		}
		free(rm);
		s->terminating += (int32_t)n;
		return active - (int32_t)n;
	}
	int32_t want;
	if (s->completions < 0) {
		want = s->succeeded > 0 ? active : parallelism;
	} else {
		want = s->completions - s->succeeded;
		if (want > parallelism)
			want = parallelism;
		if (want < 0)
			want = 0;
	}
	int32_t rm_least = active - want > 0 ? active - want : 0;
	size_t nrm;
	const cJSON **rm = for_removal(s, rm_least, &nrm);
	if (nrm > MAX_CREATE_DELETE)
		nrm = MAX_CREATE_DELETE;
	if (nrm) {
		for (size_t i = 0; i < nrm; i++) {
			if (simjob_pod_ready(rm[i]))
				s->ready--;
			jobsync_delete_pod(s, rm[i], true);
		}
		free(rm);
		s->terminating += (int32_t)nrm;
		return active - (int32_t)nrm;
	}
	free(rm);
	int32_t terminating = jobsync_only_replace_failed(s) ? s->terminating : 0;
	int32_t diff = want - terminating - active;
	if (diff <= 0)
		return active;
	if (!jobsync_per_index(s)) {
		int64_t left =
		    simjob_backoff_remaining(s->backoff.failures, s->backoff.last_failure, s->now,
					     SIMJOB_BACKOFF_MS, SIMJOB_BACKOFF_MAX_MS);
		if (left > 0) {
			jobsync_wake_in(s, left);
			return active;
		}
	}
	if (diff > MAX_CREATE_DELETE)
		diff = MAX_CREATE_DELETE;
	if (!s->indexed) {
		for (int32_t i = 0; i < diff; i++)
			create_pod(s, -1);
		return active + diff;
	}
	int32_t n;
	int32_t *ix = pending_indexes(s, diff, &n);
	int32_t made = 0;
	int64_t min_left = 0;
	for (int32_t i = 0; i < n; i++) {
		if (jobsync_per_index(s)) {
			/* getRemainingTimePerIndex */
			const cJSON *prev = jobsync_last_failed_at(s, ix[i]);
			int64_t left =
			    prev
				? simjob_backoff_remaining(simjob_failure_count(prev) + 1,
							   simjob_finished_time(prev), s->now,
							   SIMJOB_BACKOFF_MS, SIMJOB_BACKOFF_MAX_MS)
				: 0;
			if (left > 0) {
				if (!min_left || left < min_left)
					min_left = left;
				continue;
			}
		}
		create_pod(s, ix[i]);
		made++;
	}
	free(ix);
	if (!made && min_left)
		jobsync_wake_in(s, min_left);
	return active + made;
}
