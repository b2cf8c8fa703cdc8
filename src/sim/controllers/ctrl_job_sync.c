#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "podscope/xalloc.h"

#include "api_write.h"
#include "clock.h"
#include "ctrl_job_int.h"
#include "events.h"
#include "objdefaults.h"
#include "poddelete.h"
#include "sim.h"
#include "simobj.h"

/*
 * syncJob (job_controller.go, v1.33) over the sim's store: claim the pods,
 * count the finished ones that still carry the tracking finalizer, decide
 * whether the Job has failed (pod failure policy, backoffLimit, deadline,
 * failed indexes) or succeeded (success policy, completions), otherwise
 * create or delete pods (manageJob, with the back-off), then record the
 * counts in status.uncountedTerminatedPods, remove the finalizers, move the
 * counts to succeeded and failed, and add Complete or Failed once no pod is
 * left terminating.
 */

static const struct simevent_source src = {"job-controller", NULL};

static bool in_list(const cJSON *list, const char *uid)
{
	const cJSON *u;
	cJSON_ArrayForEach(u, list)
	{
		if (cJSON_IsString(u) && strcmp(u->valuestring, uid) == 0)
			return true;
	}
	return false;
}

/* --- conditions and status ---------------------------------------------------- */

static cJSON *condition(const char *type, const char *status, const char *reason,
			const char *message, int64_t now)
{
	char ts[32];
	simclock_format(now, ts, sizeof(ts));
	cJSON *c = cJSON_CreateObject();
	cJSON_AddStringToObject(c, "type", type);
	cJSON_AddStringToObject(c, "status", status);
	cJSON_AddStringToObject(c, "lastProbeTime", ts);
	cJSON_AddStringToObject(c, "lastTransitionTime", ts);
	if (reason && *reason)
		cJSON_AddStringToObject(c, "reason", reason);
	if (message && *message)
		cJSON_AddStringToObject(c, "message", message);
	return c;
}

static cJSON *conditions(struct jobsync *s)
{
	cJSON *st = simjson_object(s->job, "status");
	cJSON *l = cJSON_GetObjectItemCaseSensitive(st, "conditions");
	if (!cJSON_IsArray(l)) {
		cJSON_DeleteItemFromObjectCaseSensitive(st, "conditions");
		l = cJSON_AddArrayToObject(st, "conditions");
	}
	return l;
}

/* ensureJobConditionStatus; true when the list changed. */
static bool ensure_condition(struct jobsync *s, const char *type, const char *status,
			     const char *reason, const char *message)
{
	cJSON *l = conditions(s), *c;
	cJSON_ArrayForEach(c, l)
	{
		const char *t = cj_str(c, "type");
		if (!t || strcmp(t, type) != 0)
			continue;
		const char *cs = cj_str(c, "status"), *cr = cj_str(c, "reason"),
			   *cm = cj_str(c, "message");
		if (cs && strcmp(cs, status) == 0 && strcmp(cr ? cr : "", reason) == 0 &&
		    strcmp(cm ? cm : "", message) == 0)
			return false;
		cJSON_ReplaceItemViaPointer(l, c, condition(type, status, reason, message, s->now));
		return true;
	}
	if (strcmp(status, "False") == 0)
		return false;
	cJSON_AddItemToArray(l, condition(type, status, reason, message, s->now));
	return true;
}

static bool cond_is(const cJSON *c, const char *type)
{
	const char *t = cj_str(c, "type");
	return c && t && strcmp(t, type) == 0;
}

static void fail_with(struct jobsync *s, const char *reason, const char *message)
{
	s->finished = condition("FailureTarget", "True", reason, message, s->now);
}

static cJSON *str_array(const char *const *v, size_t n)
{
	cJSON *a = cJSON_CreateArray();
	for (size_t i = 0; i < n; i++)
		cJSON_AddItemToArray(a, cJSON_CreateString(v[i]));
	return a;
}

/* Write s->job's status (the status subresource); true when it was stored. */
static bool write_status(struct jobsync *s)
{
	const struct simobj *o = simstore_get(s->c->sim->store, s->c->jobs, s->ns, s->name);
	if (!o || strcmp(simjob_uid(o->json), simjob_uid(s->job)) != 0)
		return false;
	cJSON *obj = simobj_copy(o);
	cJSON_DeleteItemFromObjectCaseSensitive(obj, "status");
	cJSON *st = cJSON_GetObjectItemCaseSensitive(s->job, "status");
	st = st ? cJSON_Duplicate(st, 1) : cJSON_CreateObject();
	/* Empty lists are omitted, as Go's omitempty does: what is written
	 * equals what was read when nothing changed, and the store then makes
	 * no new version. */
	cJSON *uts = simjson_object(st, "uncountedTerminatedPods");
	static const char *const lists[] = {"succeeded", "failed"};
	for (int i = 0; i < 2; i++)
		if (!cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(uts, lists[i])))
			cJSON_DeleteItemFromObjectCaseSensitive(uts, lists[i]);
	cJSON_AddItemToObject(obj, "status", st);
	return simstore_update(s->c->sim->store, s->c->jobs, obj, 0, NULL) == SIMSTORE_OK;
}

static void set_count(cJSON *st, const char *key, int64_t v, bool keep_zero)
{
	cJSON_DeleteItemFromObjectCaseSensitive(st, key);
	if (v || keep_zero)
		cJSON_AddNumberToObject(st, key, (double)v);
}

/*
 * trackJobStatusAndRemoveFinalizers: the finished pods that carry the
 * finalizer go to uncountedTerminatedPods (flushed with the interim
 * condition), lose the finalizer, then move to the counters; the terminal
 * condition comes once nothing is uncounted and no pod is terminating.
 */
static void track(struct jobsync *s, int32_t active)
{
	cJSON *st = simjson_object(s->job, "status");
	const cJSON *pfp = cJSON_GetObjectItemCaseSensitive(s->spec, "podFailurePolicy");
	bool success_target = cond_is(s->finished, "SuccessCriteriaMet");
	const cJSON **rmf = xcalloc(s->npods + 1, sizeof(*rmf));
	size_t nrmf = 0;
	for (size_t i = 0; i < s->npods; i++) {
		const cJSON *p = s->pods[i];
		if (!simjob_has_finalizer(p))
			continue;
		bool failed = jobsync_pod_failed(s, p);
		if (!(s->deleting || s->finished || simjob_is_phase(p, "Succeeded") || failed))
			continue;
		rmf[nrmf++] = p;
		const char *uid = simjob_uid(p);
		if (simjob_is_phase(p, "Succeeded") && !in_list(s->unc_f, uid)) {
			if (s->indexed) {
				int32_t ix = simjob_pod_index(p);
				if (ix >= 0 && ix < s->completions)
					simjob_ivals_add(&s->ok, ix);
			} else if (!in_list(s->unc_s, uid)) {
				cJSON_AddItemToArray(s->unc_s, cJSON_CreateString(uid));
			}
		} else if (failed || (s->finished && !success_target)) {
			if (!in_list(s->unc_f, uid) && jobsync_valid_index(s, p)) {
				bool count = true;
				if (pfp)
					simjob_match_pod_failure_policy(pfp, p, NULL, &count);
				if (count)
					cJSON_AddItemToArray(s->unc_f, cJSON_CreateString(uid));
			}
		}
	}
	if (s->indexed) {
		char *str = simjob_ivals_string(&s->ok);
		set_count(st, "succeeded", simjob_ivals_total(&s->ok), false);
		cJSON_DeleteItemFromObjectCaseSensitive(st, "completedIndexes");
		if (*str)
			cJSON_AddStringToObject(st, "completedIndexes", str);
		free(str);
		cJSON_DeleteItemFromObjectCaseSensitive(st, "failedIndexes");
		if (jobsync_per_index(s)) {
			str = simjob_ivals_string(&s->failed_ix);
			cJSON_AddStringToObject(st, "failedIndexes", str);
			free(str);
		}
	}
	if (cond_is(s->finished, "FailureTarget")) {
		cJSON_AddItemToArray(conditions(s), cJSON_Duplicate(s->finished, 1));
		cJSON *f = condition("Failed", "True", cj_str(s->finished, "reason"),
				     cj_str(s->finished, "message"), s->now);
		cJSON_Delete(s->finished);
		s->finished = f;
	}
	if (success_target) {
		if (!simjob_condition(s->job, "SuccessCriteriaMet"))
			cJSON_AddItemToArray(conditions(s), cJSON_Duplicate(s->finished, 1));
		cJSON *f = condition("Complete", "True", cj_str(s->finished, "reason"),
				     cj_str(s->finished, "message"), s->now);
		cJSON_Delete(s->finished);
		s->finished = f;
	}
	set_count(st, "active", active, false);
	set_count(st, "ready", s->ready, true);
	set_count(st, "terminating", s->terminating, true);
	write_status(s);
	/* Remove the finalizers, then count what went (cleanUncountedPodsWithoutFinalizers). */
	const char **gone = xcalloc(nrmf + 1, sizeof(*gone));
	size_t ngone = 0;
	for (size_t i = 0; i < nrmf; i++)
		if (jobctl_drop_finalizer(s->c, s->ns, simjob_name(rmf[i])))
			gone[ngone++] = simjob_uid(rmf[i]);
	static const char *const lists[] = {"succeeded", "failed"};
	cJSON *unc[] = {s->unc_s, s->unc_f};
	for (int l = 0; l < 2; l++) {
		const char **keep = xcalloc((size_t)cJSON_GetArraySize(unc[l]) + 1, sizeof(*keep));
		size_t nkeep = 0;
		int64_t moved = 0;
		const cJSON *u;
		cJSON_ArrayForEach(u, unc[l])
		{
			bool went = false;
			for (size_t k = 0; k < ngone && !went; k++)
				went = strcmp(gone[k], u->valuestring) == 0;
			/* Pods gone from the store lost their finalizer too. */
			if (!went) {
				bool seen = false;
				for (size_t k = 0; k < s->npods && !seen; k++)
					seen =
					    strcmp(simjob_uid(s->pods[k]), u->valuestring) == 0 &&
					    simjob_has_finalizer(s->pods[k]);
				went = !seen;
			}
			if (went)
				moved++;
			else
				keep[nkeep++] = u->valuestring;
		}
		if (moved)
			set_count(st, lists[l], cj_int(st, lists[l], 0) + moved, false);
		cJSON *fresh = str_array(keep, nkeep);
		free(keep);
		cJSON *uts = simjson_object(st, "uncountedTerminatedPods");
		cJSON_DeleteItemFromObjectCaseSensitive(uts, lists[l]);
		if (cJSON_GetArraySize(fresh))
			cJSON_AddItemToObject(uts, lists[l], fresh);
		else
			cJSON_Delete(fresh);
	}
	free(gone);
	free(rmf);
	/* The old arrays were replaced: point at the new ones. */
	cJSON *uts = simjson_object(st, "uncountedTerminatedPods");
	s->unc_s = cJSON_GetObjectItemCaseSensitive(uts, "succeeded");
	s->unc_f = cJSON_GetObjectItemCaseSensitive(uts, "failed");
	/* enactJobFinished */
	bool finished = false;
	if (s->finished && !cJSON_GetArraySize(s->unc_s) && !cJSON_GetArraySize(s->unc_f) &&
	    s->terminating == 0) {
		const char *reason = cj_str(s->finished, "reason"),
			   *msg = cj_str(s->finished, "message");
		ensure_condition(s, cj_str(s->finished, "type"), "True", reason ? reason : "",
				 msg ? msg : "");
		if (cond_is(s->finished, "Complete")) {
			char ts[32];
			simclock_format(s->now, ts, sizeof(ts));
			simjson_set_string(st, "completionTime", ts);
		}
		finished = true;
	}
	write_status(s);
	if (!finished)
		return;
	if (cond_is(s->finished, "Complete")) {
		if (s->completions >= 0 && cj_int(st, "succeeded", 0) > s->completions)
			jobsync_event(
			    s, "Warning", "TooManySucceededPods", "%s",
			    "Too many succeeded pods running after completion count reached");
		jobsync_event(s, "Normal", "Completed", "%s", "Job completed");
	} else {
		const char *reason = cj_str(s->finished, "reason");
		const struct simobj *o = simstore_get(s->c->sim->store, s->c->jobs, s->ns, s->name);
		if (o)
			simevents_record(
			    s->c->sim, o->json, NULL, &src, "Warning", reason ? reason : "Failed",
			    "%s",
			    cj_str(s->finished, "message") ? cj_str(s->finished, "message") : "");
	}
	int64_t ttl = simjob_ttl_process(s->c, s->ns, s->name);
	if (ttl > 0)
		jobctl_wake_at(s->c, s->key, ttl);
}

/* --- the sync ----------------------------------------------------------------------- */

static bool load(struct jobsync *s, struct jobctl *c, const char *key)
{
	memset(s, 0, sizeof(*s));
	s->c = c;
	s->key = key;
	cj_split_key(key, s->ns, s->name);
	const struct simobj *o = simstore_get(c->sim->store, c->jobs, s->ns, s->name);
	if (!o) {
		jobctl_backoff_drop(c, key);
		return false;
	}
	s->job = simobj_copy(o);
	s->spec = cJSON_GetObjectItemCaseSensitive(s->job, "spec");
	s->now = simclock_now(&c->sim->clock);
	const cJSON *comp = cJSON_GetObjectItemCaseSensitive(s->spec, "completions");
	s->completions = cJSON_IsNumber(comp) ? (int32_t)comp->valuedouble : -1;
	const char *mode = cj_str(s->spec, "completionMode");
	s->indexed = mode && strcmp(mode, "Indexed") == 0 && s->completions >= 0;
	s->suspended = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(s->spec, "suspend"));
	s->deleting = simjob_deleting(s->job);
	return true;
}

static void unload(struct jobsync *s)
{
	for (size_t i = 0; i < s->npods; i++)
		cJSON_Delete(s->pods[i]);
	free(s->pods);
	free(s->active);
	simjob_ivals_free(&s->prev_ok);
	simjob_ivals_free(&s->ok);
	simjob_ivals_free(&s->failed_ix);
	cJSON_Delete(s->finished);
	cJSON_Delete(s->job);
}

/* The finished pods not counted yet (getNewFinishedPods). */
static void new_finished(struct jobsync *s, const cJSON ***ok, size_t *nok, const cJSON ***bad,
			 size_t *nbad)
{
	*ok = xcalloc(s->npods + 1, sizeof(**ok));
	*bad = xcalloc(s->npods + 1, sizeof(**bad));
	*nok = *nbad = 0;
	for (size_t i = 0; i < s->npods; i++) {
		const cJSON *p = s->pods[i];
		const char *uid = simjob_uid(p);
		if (!simjob_has_finalizer(p) || !jobsync_valid_index(s, p))
			continue;
		if (simjob_is_phase(p, "Succeeded") && !in_list(s->unc_s, uid))
			(*ok)[(*nok)++] = p;
		else if (jobsync_pod_failed(s, p) && !in_list(s->unc_f, uid))
			(*bad)[(*nbad)++] = p;
	}
}

/* calculateFailedIndexes (isIndexFailed). */
static void failed_indexes(struct jobsync *s)
{
	simjob_ivals_parse(&s->failed_ix, cj_str(cj_path(s->job, "status", NULL), "failedIndexes"),
			   s->completions);
	const cJSON *pfp = cJSON_GetObjectItemCaseSensitive(s->spec, "podFailurePolicy");
	int32_t limit = (int32_t)cj_int(s->spec, "backoffLimitPerIndex", 0);
	for (size_t i = 0; i < s->npods; i++) {
		const cJSON *p = s->pods[i];
		int32_t ix = simjob_pod_index(p);
		if (ix < 0 || ix >= s->completions || !jobsync_pod_failed(s, p))
			continue;
		bool count = true;
		const char *action =
		    pfp ? simjob_match_pod_failure_policy(pfp, p, NULL, &count) : NULL;
		if ((action && strcmp(action, "FailIndex") == 0) ||
		    (count && simjob_failure_count(p) >= limit))
			simjob_ivals_add(&s->failed_ix, ix);
	}
}

static void decide(struct jobsync *s)
{
	const cJSON *pfp = cJSON_GetObjectItemCaseSensitive(s->spec, "podFailurePolicy");
	const cJSON *sc = simjob_condition(s->job, "SuccessCriteriaMet");
	if (sc && strcmp(cj_str(sc, "status") ? cj_str(sc, "status") : "", "True") == 0) {
		s->finished = cJSON_Duplicate(sc, 1);
	} else {
		const cJSON *ft = simjob_condition(s->job, "FailureTarget");
		if (ft && strcmp(cj_str(ft, "status") ? cj_str(ft, "status") : "", "True") == 0) {
			s->finished = condition("Failed", "True", cj_str(ft, "reason"),
						cj_str(ft, "message"), s->now);
		} else if (pfp) {
			/* getFailJobMessage over every pod */
			for (size_t i = 0; i < s->npods && !s->finished; i++) {
				if (!jobsync_pod_failed(s, s->pods[i]))
					continue;
				char *msg = NULL;
				bool count;
				simjob_match_pod_failure_policy(pfp, s->pods[i], &msg, &count);
				if (msg)
					fail_with(s, "PodFailurePolicy", msg);
				free(msg);
			}
		}
	}
	if (!s->finished) {
		int64_t limit = cj_int(s->spec, "backoffLimit", 6);
		bool past = s->failed > limit;
		const char *rp =
		    cj_str(cj_path(s->spec, "template", "spec", NULL), "restartPolicy");
		if (!past && rp && strcmp(rp, "OnFailure") == 0) {
			/* pastBackoffLimitOnFailure */
			int64_t restarts = 0;
			for (size_t i = 0; i < s->npods; i++) {
				const cJSON *p = s->pods[i];
				if (!simjob_is_phase(p, "Running") &&
				    !simjob_is_phase(p, "Pending"))
					continue;
				static const char *const lists[] = {"initContainerStatuses",
								    "containerStatuses"};
				for (int l = 0; l < 2; l++) {
					const cJSON *cs;
					cJSON_ArrayForEach(cs, cj_path(p, "status", lists[l], NULL))
					    restarts += cj_int(cs, "restartCount", 0);
				}
			}
			past = limit == 0 ? restarts > 0 : restarts >= limit;
		}
		const cJSON *ads =
		    cJSON_GetObjectItemCaseSensitive(s->spec, "activeDeadlineSeconds");
		int64_t start = cj_time(cj_path(s->job, "status", NULL), "startTime");
		if (past) {
			fail_with(s, "BackoffLimitExceeded",
				  "Job has reached the specified backoff limit");
		} else if (cJSON_IsNumber(ads) && ads->valuedouble < 1e12 && start &&
			   !s->suspended) {
			/* (Longer than 30,000 years is never, and keeps the
			 * arithmetic in int64.) */
			int64_t left = (int64_t)ads->valuedouble * 1000 - (s->now - start);
			if (left <= 0)
				fail_with(s, "DeadlineExceeded",
					  "Job was active longer than specified deadline");
			else
				jobsync_wake_in(s, left);
		}
	}
	if (!s->indexed)
		return;
	simjob_ivals_parse(&s->prev_ok, cj_str(cj_path(s->job, "status", NULL), "completedIndexes"),
			   s->completions);
	simjob_ivals_parse(&s->ok, cj_str(cj_path(s->job, "status", NULL), "completedIndexes"),
			   s->completions);
	for (size_t i = 0; i < s->npods; i++) {
		const cJSON *p = s->pods[i];
		int32_t ix = simjob_pod_index(p);
		if (simjob_is_phase(p, "Succeeded") && simjob_has_finalizer(p) && ix >= 0 &&
		    ix < s->completions)
			simjob_ivals_add(&s->ok, ix);
	}
	s->succeeded = simjob_ivals_total(&s->ok);
	if (jobsync_per_index(s)) {
		failed_indexes(s);
		if (!s->finished) {
			const cJSON *mfi =
			    cJSON_GetObjectItemCaseSensitive(s->spec, "maxFailedIndexes");
			int32_t nf = simjob_ivals_total(&s->failed_ix);
			if (cJSON_IsNumber(mfi) && nf > (int32_t)mfi->valuedouble)
				fail_with(s, "MaxFailedIndexesExceeded",
					  "Job has exceeded the specified maximal number of failed "
					  "indexes");
			else if (nf > 0 && nf + s->succeeded >= s->completions)
				fail_with(s, "FailedIndexes", "Job has failed indexes");
		}
	}
	char *msg = NULL;
	if (!s->finished &&
	    simjob_match_success_policy(cJSON_GetObjectItemCaseSensitive(s->spec, "successPolicy"),
					s->completions, &s->ok, &msg))
		s->finished = condition("SuccessCriteriaMet", "True", "SuccessPolicy", msg, s->now);
	free(msg);
}

void jobctl_sync(struct jobctl *c, const char *key)
{
	struct jobsync s;
	if (!load(&s, c, key)) {
		unload(&s);
		return;
	}
	if (simjob_finished_condition(s.job)) {
		jobctl_backoff_drop(c, key);
		int64_t ttl = simjob_ttl_process(c, s.ns, s.name);
		if (ttl > 0)
			jobctl_wake_at(c, key, ttl);
		unload(&s);
		return;
	}
	const char *mode = cj_str(s.spec, "completionMode");
	if (mode && strcmp(mode, "NonIndexed") != 0 && strcmp(mode, "Indexed") != 0) {
		jobsync_event(&s, "Warning", "UnknownCompletionMode", "%s",
			      "Skipped Job sync because completion mode is unknown");
		unload(&s);
		return;
	}
	cJSON *st = simjson_object(s.job, "status");
	cJSON *uts = simjson_object(st, "uncountedTerminatedPods");
	if (!cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(uts, "succeeded")))
		cJSON_AddItemToObject(uts, "succeeded", cJSON_CreateArray());
	if (!cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(uts, "failed")))
		cJSON_AddItemToObject(uts, "failed", cJSON_CreateArray());
	s.unc_s = cJSON_GetObjectItemCaseSensitive(uts, "succeeded");
	s.unc_f = cJSON_GetObjectItemCaseSensitive(uts, "failed");
	jobsync_claim(&s);
	int32_t active = (int32_t)s.nactive;
	const cJSON **ok, **bad;
	size_t nok, nbad;
	new_finished(&s, &ok, &nok, &bad, &nbad);
	const cJSON *pfp = cJSON_GetObjectItemCaseSensitive(s.spec, "podFailurePolicy");
	int32_t counted_bad = (int32_t)nbad;
	for (size_t i = 0; pfp && i < nbad; i++) {
		bool count;
		simjob_match_pod_failure_policy(pfp, bad[i], NULL, &count);
		if (!count)
			counted_bad--;
	}
	s.succeeded =
	    (int32_t)(cj_int(st, "succeeded", 0) + (int64_t)nok + cJSON_GetArraySize(s.unc_s));
	s.failed = (int32_t)(cj_int(st, "failed", 0) + counted_bad + cJSON_GetArraySize(s.unc_f));
	if (!cJSON_GetObjectItemCaseSensitive(st, "startTime") && !s.suspended) {
		char ts[32];
		simclock_format(s.now, ts, sizeof(ts));
		cJSON_AddStringToObject(st, "startTime", ts);
	}
	s.backoff = simjob_backoff_next(jobctl_backoff_get(c, key), ok, nok, bad, nbad);
	decide(&s);
	free(ok);
	free(bad);
	if (s.finished) {
		for (size_t i = 0; i < s.nactive; i++) {
			const cJSON *p = s.pods[s.active[i]];
			if (simjob_pod_ready(p))
				s.ready--;
			jobsync_delete_pod(&s, p, false);
		}
		s.terminating += active;
		active = 0;
	} else {
		bool managed = false;
		if (!s.deleting) {
			active = jobsync_manage(&s);
			managed = true;
		}
		bool complete = s.completions < 0 ? s.succeeded > 0 && active == 0
						  : s.succeeded >= s.completions && active == 0;
		if (complete) {
			s.finished = condition("SuccessCriteriaMet", "True", "CompletionsReached",
					       "Reached expected number of succeeded pods", s.now);
		} else if (managed && s.suspended) {
			if (ensure_condition(&s, "Suspended", "True", "JobSuspended",
					     "Job suspended"))
				jobsync_event(&s, "Normal", "Suspended", "%s", "Job suspended");
		} else if (managed) {
			if (ensure_condition(&s, "Suspended", "False", "JobResumed",
					     "Job resumed")) {
				jobsync_event(&s, "Normal", "Resumed", "%s", "Job resumed");
				/* ActiveDeadlineSeconds counts from the resume. */
				char ts[32];
				simclock_format(s.now, ts, sizeof(ts));
				simjson_set_string(st, "startTime", ts);
			}
		}
	}
	jobctl_backoff_put(c, key, s.backoff);
	track(&s, active);
	if (s.wake)
		jobctl_wake_at(c, key, s.wake);
	unload(&s);
}
