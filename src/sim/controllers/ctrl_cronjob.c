#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "podscope/xalloc.h"

#include "api_write.h"
#include "clock.h"
#include "cronsched.h"
#include "ctrl_cronjob.h"
#include "ctrl_job_int.h"
#include "ctrl_queue.h"
#include "events.h"
#include "objdefaults.h"
#include "sim.h"
#include "simobj.h"

/*
 * The CronJob controller (cronjob_controllerv2.go and utils.go, v1.33): a
 * store listener marks a CronJob dirty when it or one of its Jobs changes;
 * each sync deletes the finished Jobs beyond the history limits, keeps
 * status.active, creates the Job of the most recent unmet schedule time,
 * and asks to be woken 100 ms after the next one.
 */

static const struct simevent_source src = {"cronjob-controller", NULL};

#define SCHEDULED_ANNOTATION "batch.kubernetes.io/cronjob-scheduled-timestamp"
/* nextScheduleDelta */
#define NEXT_DELTA_MS 100

struct cjctl {
	struct sim *sim;
	const struct simres *jobs, *cjs;
	struct ctrlq q;
};

/* This controller's tag in the registry of states (ctrl_queue.h). */
static const char cj_tag;

static struct cjctl *ctl_of(struct sim *sim)
{
	return ctrlreg_get(&cj_tag, sim);
}

/* --- schedule times ---------------------------------------------------------- */

int64_t simcronjob_most_recent(const struct simcron *sched, const char *tz, int64_t created,
			       int64_t last_schedule, int64_t deadline_s, int64_t now,
			       int64_t *earliest, int *missed)
{
	int64_t e = last_schedule ? last_schedule : created;
	if (missed)
		*missed = 0;
	if (deadline_s >= 0 && now - deadline_s * 1000 > e)
		e = now - deadline_s * 1000;
	*earliest = e;
	int64_t t1 = simcron_next(sched, tz, e);
	if (!t1 || now < t1)
		return 0;
	int64_t t2 = simcron_next(sched, tz, t1);
	if (!t2 || now < t2)
		return t1;
	int64_t between = (t2 - t1 + 500) / 1000;
	if (between < 1)
		return -1;
	int64_t n = (now - t1) / 1000 / between + 1;
	int64_t recent = 0;
	int64_t from = t1 + (n - 2) * between * 1000;
	for (int64_t t = simcron_next(sched, tz, from); t && t <= now;
	     t = simcron_next(sched, tz, t))
		recent = t;
	if (missed)
		*missed = n > 100 ? 2 : 1;
	return recent;
}

/* --- one sync ------------------------------------------------------------------ */

struct cjsync {
	struct cjctl *c;
	const char *key;
	char ns[256], name[256];
	cJSON *cj; /* a copy, whose status is rewritten */
	cJSON *status;
	const cJSON *spec;
	int64_t now;
	cJSON **jobs; /* copies of the Jobs it controls */
	size_t njobs;
	bool update;
	int64_t wake; /* 0: none */
};

static void event(struct cjsync *s, const char *type, const char *reason, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void event(struct cjsync *s, const char *type, const char *reason, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	const struct simobj *o = simstore_get(s->c->sim->store, s->c->cjs, s->ns, s->name);
	if (o)
		simevents_record(s->c->sim, o->json, NULL, &src, type, reason, "%s", msg);
}

static cJSON *active_list(struct cjsync *s)
{
	cJSON *a = cJSON_GetObjectItemCaseSensitive(s->status, "active");
	if (!cJSON_IsArray(a)) {
		cJSON_DeleteItemFromObjectCaseSensitive(s->status, "active");
		a = cJSON_AddArrayToObject(s->status, "active");
	}
	return a;
}

static bool in_active(struct cjsync *s, const char *uid, const char *name)
{
	const cJSON *r;
	cJSON_ArrayForEach(r, active_list(s))
	{
		const char *u = cj_str(r, "uid"), *n = cj_str(r, "name");
		if ((uid && u && strcmp(u, uid) == 0) || (name && n && strcmp(n, name) == 0))
			return true;
	}
	return false;
}

static void drop_active(struct cjsync *s, const char *uid)
{
	cJSON *a = active_list(s), *r = a->child;
	while (r) {
		cJSON *next = r->next;
		const char *u = cj_str(r, "uid");
		if (u && strcmp(u, uid) == 0)
			cJSON_Delete(cJSON_DetachItemViaPointer(a, r));
		r = next;
	}
}

static const char *finished_type(const cJSON *job)
{
	const cJSON *c = simjob_finished_condition(job);
	return c ? cj_str(c, "type") : NULL;
}

/* deleteJob: Background, then out of the active list, with its event. */
static bool delete_job(struct cjsync *s, const cJSON *job)
{
	char name[256], uid[64];
	snprintf(name, sizeof(name), "%s", simjob_name(job));
	snprintf(uid, sizeof(uid), "%s", simjob_uid(job));
	enum simstore_rc rc = simwrite_delete_object(s->c->sim, s->c->jobs, s->ns, name, -1,
						     "Background", NULL, NULL);
	if (rc != SIMSTORE_OK && rc != SIMSTORE_NOT_FOUND) {
		event(s, "Warning", "FailedDelete", "Deleted job: %s",
		      "the job could not be deleted");
		return false;
	}
	drop_active(s, uid);
	event(s, "Normal", "SuccessfulDelete", "Deleted job %s", name);
	return true;
}

static void load_jobs(struct cjsync *s)
{
	const char *uid = simjob_uid(s->cj);
	struct simsnap *snap = simstore_snapshot(s->c->sim->store, s->c->jobs);
	char *prefix = xasprintf("%s/", s->ns);
	size_t len = strlen(prefix);
	s->jobs = xcalloc(snap->n + 1, sizeof(*s->jobs));
	for (size_t i = simsnap_seek(snap, prefix, true);
	     i < snap->n && strncmp(snap->items[i]->key, prefix, len) == 0; i++) {
		const char *owner = cj_str(cj_controller_ref(snap->items[i]->json), "uid");
		if (owner && strcmp(owner, uid) == 0)
			s->jobs[s->njobs++] = cJSON_Duplicate(snap->items[i]->json, 1);
	}
	free(prefix);
	simsnap_unref(snap);
}

/* byJobStartTime: by status.startTime (none last), then name. */
static int cmp_start(const void *a, const void *b)
{
	const cJSON *x = *(const cJSON *const *)a, *y = *(const cJSON *const *)b;
	int64_t tx = cj_time(cj_path(x, "status", NULL), "startTime");
	int64_t ty = cj_time(cj_path(y, "status", NULL), "startTime");
	if (!tx != !ty)
		return tx ? -1 : 1;
	if (tx != ty)
		return tx < ty ? -1 : 1;
	return strcmp(simjob_name(x), simjob_name(y));
}

/* removeOldestJobs of those finished with that condition type. */
static void remove_oldest(struct cjsync *s, const char *type, const char *limit_key)
{
	const cJSON *limit = cJSON_GetObjectItemCaseSensitive(s->spec, limit_key);
	if (!cJSON_IsNumber(limit))
		return;
	const cJSON **v = xcalloc(s->njobs + 1, sizeof(*v));
	size_t n = 0;
	for (size_t i = 0; i < s->njobs; i++) {
		const char *t = finished_type(s->jobs[i]);
		if (t && strcmp(t, type) == 0)
			v[n++] = s->jobs[i];
	}
	qsort(v, n, sizeof(*v), cmp_start);
	for (size_t i = 0; (int64_t)i < (int64_t)n - (int64_t)limit->valuedouble; i++)
		if (delete_job(s, v[i]))
			s->update = true;
	free(v);
}

/* The loop over the CronJob's Jobs at the head of syncCronJob. */
static void reconcile_active(struct cjsync *s)
{
	for (size_t i = 0; i < s->njobs; i++) {
		const cJSON *j = s->jobs[i];
		const char *uid = simjob_uid(j), *type = finished_type(j);
		bool found = in_active(s, uid, NULL);
		if (!found && !type) {
			event(s, "Warning", "UnexpectedJob",
			      "Saw a job that the controller did not create or forgot: %s",
			      simjob_name(j));
		} else if (found && type) {
			drop_active(s, uid);
			event(s, "Normal", "SawCompletedJob", "Saw completed job: %s, status: %s",
			      simjob_name(j), type);
			s->update = true;
		} else if (type && strcmp(type, "Complete") == 0) {
			const char *done = cj_str(cj_path(j, "status", NULL), "completionTime");
			int64_t last = cj_time(s->status, "lastSuccessfulTime");
			if (done && (!last || cj_time(cj_path(j, "status", NULL),
						      "completionTime") > last)) {
				simjson_set_string(s->status, "lastSuccessfulTime", done);
				s->update = true;
			}
		}
	}
	cJSON *a = active_list(s), *r = a->child;
	while (r) {
		cJSON *next = r->next;
		const char *u = cj_str(r, "uid"), *n = cj_str(r, "name");
		bool found = false;
		for (size_t i = 0; i < s->njobs && !found; i++)
			found = u && strcmp(simjob_uid(s->jobs[i]), u) == 0;
		if (!found && !(n && simstore_get(s->c->sim->store, s->c->jobs, s->ns, n))) {
			event(s, "Normal", "MissingJob", "Active job went missing: %s", n ? n : "");
			cJSON_Delete(cJSON_DetachItemViaPointer(a, r));
			s->update = true;
		}
		r = next;
	}
}

static void wake_after_next(struct cjsync *s, const struct simcron *sched, const char *tz)
{
	int64_t earliest;
	int missed;
	int64_t recent = simcronjob_most_recent(
	    sched, tz, cj_time(cj_path(s->cj, "metadata", NULL), "creationTimestamp"),
	    cj_time(s->status, "lastScheduleTime"), -1, s->now, &earliest, &missed);
	int64_t from = recent > 0 ? recent : recent < 0 || missed ? s->now : earliest;
	int64_t next = simcron_next(sched, tz, from);
	if (next)
		s->wake = next + NEXT_DELTA_MS;
}

/* getJobFromTemplate2, created as the API would. */
static struct simobj *create_job(struct cjsync *s, int64_t scheduled, const char *tz,
				 const char *name, bool *exists)
{
	*exists = false;
	const cJSON *tmpl = cJSON_GetObjectItemCaseSensitive(s->spec, "jobTemplate");
	cJSON *job = cJSON_CreateObject();
	cJSON_AddStringToObject(job, "apiVersion", "batch/v1");
	cJSON_AddStringToObject(job, "kind", "Job");
	cJSON *md = cJSON_AddObjectToObject(job, "metadata");
	cJSON_AddStringToObject(md, "name", name);
	cJSON_AddStringToObject(md, "namespace", s->ns);
	const cJSON *l = cj_path(tmpl, "metadata", "labels", NULL);
	if (cJSON_IsObject(l) && l->child)
		cJSON_AddItemToObject(md, "labels", cJSON_Duplicate(l, 1));
	const cJSON *an = cj_path(tmpl, "metadata", "annotations", NULL);
	cJSON *annots = cJSON_IsObject(an) ? cJSON_Duplicate(an, 1) : cJSON_CreateObject();
	char ts[40];
	simcron_format(scheduled, tz, ts, sizeof(ts));
	simjson_set_string(annots, SCHEDULED_ANNOTATION, ts);
	cJSON_AddItemToObject(md, "annotations", annots);
	cJSON_AddItemToArray(cJSON_AddArrayToObject(md, "ownerReferences"),
			     simjob_controller_ref("CronJob", s->cj));
	const cJSON *spec = cJSON_GetObjectItemCaseSensitive(tmpl, "spec");
	cJSON_AddItemToObject(job, "spec", spec ? cJSON_Duplicate(spec, 1) : cJSON_CreateObject());
	struct sim *sim = s->c->sim;
	cJSON *err = simprep_create(sim, s->c->jobs, job);
	if (!err) {
		objdefaults_apply("Job", job);
		err = objvalidate("Job", "batch", job);
	}
	if (err) {
		const char *m = cj_str(err, "message");
		event(s, "Warning", "FailedCreate", "Error creating job: %s", m ? m : "invalid");
		cJSON_Delete(err);
		cJSON_Delete(job);
		return NULL;
	}
	struct simobj *made = NULL;
	enum simstore_rc rc = simstore_create(sim->store, s->c->jobs, job, &made);
	if (rc == SIMSTORE_EXISTS) {
		*exists = true;
		return simstore_get(sim->store, s->c->jobs, s->ns, name);
	}
	if (rc != SIMSTORE_OK) {
		event(s, "Warning", "FailedCreate", "Error creating job: %s",
		      "the job could not be stored");
		return NULL;
	}
	return made;
}

/* syncCronJob after the active list. */
static void schedule(struct cjsync *s)
{
	if (cj_path(s->cj, "metadata", "deletionTimestamp", NULL))
		return;
	const char *tz = cj_str(s->spec, "timeZone");
	if (tz && !simcron_zone_valid(tz)) {
		event(s, "Warning", "UnknownTimeZone",
		      "invalid timeZone: \"%s\": unknown time zone %s", tz, tz);
		return;
	}
	if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(s->spec, "suspend")))
		return;
	const char *spec = cj_str(s->spec, "schedule");
	char err[256];
	struct simcron *sched = simcron_parse(spec ? spec : "", err, sizeof(err));
	if (!sched) {
		event(s, "Warning", "UnparseableSchedule", "unparseable schedule: \"%s\" : %s",
		      spec ? spec : "", err);
		return;
	}
	const cJSON *sds = cJSON_GetObjectItemCaseSensitive(s->spec, "startingDeadlineSeconds");
	/* A deadline past 1e12 s is none, and keeps the arithmetic in int64. */
	int64_t deadline =
	    cJSON_IsNumber(sds) && sds->valuedouble < 1e12 ? (int64_t)sds->valuedouble : -1;
	int64_t earliest;
	int missed;
	int64_t at = simcronjob_most_recent(
	    sched, tz, cj_time(cj_path(s->cj, "metadata", NULL), "creationTimestamp"),
	    cj_time(s->status, "lastScheduleTime"), deadline, s->now, &earliest, &missed);
	if (at < 0) {
		event(s, "Warning", "InvalidSchedule", "invalid schedule: %s : %s", spec,
		      "time difference between two schedules is less than 1 second");
		simcron_free(sched);
		return;
	}
	if (at > 0 && missed == 2)
		event(s, "Warning", "TooManyMissedTimes", "%s",
		      "too many missed start times. Set or decrease "
		      ".spec.startingDeadlineSeconds or check clock skew");
	char name[300];
	snprintf(name, sizeof(name), "%s-%lld", s->name, (long long)(at / 1000 / 60));
	if (at == 0) {
		/* no unmet start time */
	} else if (deadline >= 0 && at + deadline * 1000 < s->now) {
		char when[64];
		time_t t = (time_t)(at / 1000);
		struct tm tm;
		gmtime_r(&t, &tm);
		strftime(when, sizeof(when), "%a, %d %b %Y %H:%M:%S +0000", &tm);
		event(s, "Warning", "MissSchedule", "Missed scheduled time to start a job: %s",
		      when);
	} else if (in_active(s, NULL, name) || cj_time(s->status, "lastScheduleTime") == at) {
		/* already processed */
	} else if (cJSON_GetArraySize(active_list(s)) > 0 &&
		   strcmp(cj_str(s->spec, "concurrencyPolicy")
			      ? cj_str(s->spec, "concurrencyPolicy")
			      : "",
			  "Forbid") == 0) {
		event(s, "Normal", "JobAlreadyActive", "%s",
		      "Not starting job because prior execution is running and concurrency "
		      "policy is Forbid");
	} else {
		const char *cp = cj_str(s->spec, "concurrencyPolicy");
		if (cp && strcmp(cp, "Replace") == 0) {
			cJSON *a = active_list(s);
			while (a->child) {
				const char *n = cj_str(a->child, "name");
				const struct simobj *j =
				    n ? simstore_get(s->c->sim->store, s->c->jobs, s->ns, n) : NULL;
				if (!j) {
					cJSON_Delete(cJSON_DetachItemViaPointer(a, a->child));
					continue;
				}
				cJSON *copy = simobj_copy(j);
				bool ok = delete_job(s, copy);
				cJSON_Delete(copy);
				if (!ok)
					break;
				s->update = true;
			}
		}
		bool exists;
		struct simobj *job = create_job(s, at, tz, name, &exists);
		const char *ruid = job ? cj_str(cj_controller_ref(job->json), "uid") : NULL;
		bool ours = ruid && strcmp(ruid, simjob_uid(s->cj)) == 0;
		if (job && (!exists || (ours && !in_active(s, simjob_uid(job->json), NULL)))) {
			if (!exists)
				event(s, "Normal", "SuccessfulCreate", "Created job %s", job->name);
			cJSON *ref = cJSON_CreateObject();
			cJSON_AddStringToObject(ref, "kind", "Job");
			cJSON_AddStringToObject(ref, "namespace", s->ns);
			cJSON_AddStringToObject(ref, "name", job->name);
			cJSON_AddStringToObject(ref, "uid", simjob_uid(job->json));
			cJSON_AddStringToObject(ref, "apiVersion", "batch/v1");
			char rv[32];
			snprintf(rv, sizeof(rv), "%llu", (unsigned long long)job->rv);
			cJSON_AddStringToObject(ref, "resourceVersion", rv);
			cJSON_AddItemToArray(active_list(s), ref);
			char ts[40];
			simclock_format(at, ts, sizeof(ts));
			simjson_set_string(s->status, "lastScheduleTime", ts);
			s->update = true;
		}
	}
	wake_after_next(s, sched, tz);
	simcron_free(sched);
}

static void write_status(struct cjsync *s)
{
	const struct simobj *o = simstore_get(s->c->sim->store, s->c->cjs, s->ns, s->name);
	if (!o || strcmp(simjob_uid(o->json), simjob_uid(s->cj)) != 0)
		return;
	cJSON *obj = simobj_copy(o);
	cJSON_DeleteItemFromObjectCaseSensitive(obj, "status");
	cJSON *st = cJSON_Duplicate(s->status, 1);
	if (!cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(st, "active")))
		cJSON_DeleteItemFromObjectCaseSensitive(st, "active");
	cJSON_AddItemToObject(obj, "status", st);
	simstore_update(s->c->sim->store, s->c->cjs, obj, 0, NULL);
}

static void sync(void *ud, const char *key)
{
	struct cjctl *c = ud;
	struct cjsync s = {.c = c, .key = key};
	cj_split_key(key, s.ns, s.name);
	const struct simobj *o = simstore_get(c->sim->store, c->cjs, s.ns, s.name);
	if (!o)
		return;
	s.cj = simobj_copy(o);
	s.status = simjson_object(s.cj, "status");
	s.spec = cJSON_GetObjectItemCaseSensitive(s.cj, "spec");
	s.now = simclock_now(&c->sim->clock);
	load_jobs(&s);
	remove_oldest(&s, "Complete", "successfulJobsHistoryLimit");
	remove_oldest(&s, "Failed", "failedJobsHistoryLimit");
	reconcile_active(&s);
	schedule(&s);
	if (s.update)
		write_status(&s);
	if (s.wake)
		ctrlq_add_at(&c->q, key, s.wake);
	for (size_t i = 0; i < s.njobs; i++)
		cJSON_Delete(s.jobs[i]);
	free(s.jobs);
	cJSON_Delete(s.cj);
}

/* --- the machinery -------------------------------------------------------------- */

static void on_event(void *ud, const struct simevent *ev)
{
	struct cjctl *c = ud;
	if (ev->obj->res == c->cjs) {
		ctrlq_add2(&c->q, ev->obj->ns, ev->obj->name);
		return;
	}
	const struct simobj *objs[] = {ev->obj, ev->prev};
	for (int i = 0; i < 2; i++) {
		const cJSON *ref = objs[i] ? cj_controller_ref(objs[i]->json) : NULL;
		const char *kind = cj_str(ref, "kind"), *name = cj_str(ref, "name");
		if (kind && name && strcmp(kind, "CronJob") == 0)
			ctrlq_add2(&c->q, objs[i]->ns, name);
	}
}

int simcronjob_start(struct sim *sim)
{
	if (ctl_of(sim))
		return 0;
	struct cjctl *c = xcalloc(1, sizeof(*c));
	c->sim = sim;
	c->jobs = simres_find("batch", "v1", "jobs");
	c->cjs = simres_find("batch", "v1", "cronjobs");
	ctrlq_init(&c->q, sim, sync, c);
	ctrlreg_put(&cj_tag, sim, c);
	simstore_listen(sim->store, c->cjs, on_event, c);
	simstore_listen(sim->store, c->jobs, on_event, c);
	struct simsnap *s = simstore_snapshot(sim->store, c->cjs);
	for (size_t i = 0; i < s->n; i++)
		ctrlq_add(&c->q, s->items[i]->key);
	simsnap_unref(s);
	return 0;
}

void simcronjob_stop(struct sim *sim)
{
	struct cjctl *c = ctrlreg_take(&cj_tag, sim);
	if (!c)
		return;
	if (sim->store)
		simstore_unlisten(sim->store, on_event, c);
	ctrlq_clear(&c->q);
	free(c);
}
