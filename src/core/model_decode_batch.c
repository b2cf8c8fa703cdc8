#include "config.h"

#include <string.h>

#include "model_dec.h"

/* Jobs and CronJobs (batch/v1). */

#define JSPEC   "JobSpec"
#define JSTATUS "JobStatus"
#define CSPEC   "CronJobSpec"

static void dec_job_conditions(const struct dec *d, const cJSON *status, struct job *j)
{
	const cJSON *arr = arr_item(status, "conditions", &j->n_conditions);
	if (!arr)
		return;
	j->conditions = model_arena_alloc(d->arena, sizeof(*j->conditions) * j->n_conditions);
	uint16_t i = 0;
	const cJSON *e;
	cJSON_ArrayForEach(e, arr)
	{
		if (i == j->n_conditions)
			break;
		struct job_condition *c = &j->conditions[i++];
		c->type = dec_str(d, e, "type");
		c->reason = dec_str(d, e, "reason");
		c->message = dec_ustr(d, e, "message");
		c->status = dec_cond_status(e);
		c->last_transition = dec_time(e, "lastTransitionTime");
	}
}

static uint8_t dec_completion_mode(const cJSON *spec)
{
	const cJSON *m = dec_key(spec, "completionMode");

	if (!cJSON_IsString(m) || !m->valuestring)
		return JOB_MODE_NONE;
	if (strcmp(m->valuestring, "NonIndexed") == 0)
		return JOB_MODE_NON_INDEXED;
	if (strcmp(m->valuestring, "Indexed") == 0)
		return JOB_MODE_INDEXED;
	return JOB_MODE_OTHER;
}

int model_decode_job(const struct cJSON *obj, struct job *j, struct model_arena *arena,
		     const struct model_decode_opts *opts, struct perr *err)
{
	struct dec_fail fail = {err, false};
	const struct dec d = {arena, opts, &fail};
	const cJSON *meta, *spec, *status, *pspec, *sel;
	struct workload *w = &j->w;

	memset(j, 0, sizeof(*j));
	if (dec_not_object(obj, "Job", err) < 0)
		return -1;
	meta = obj_item(obj, "metadata");
	spec = obj_item(obj, "spec");
	status = obj_item(obj, "status");
	pspec = obj_item(obj_item(spec, "template"), "spec");
	sel = obj_item(spec, "selector");

	dec_meta(&d, obj, &w->namespace, &w->name, &w->uid, &w->created);
	w->generation = dec_int(&d, meta, "generation", "ObjectMeta", DEC_INT64, 0, NULL);
	w->labels = dec_kv(&d, obj_item(meta, "labels"), &w->n_labels);
	w->match_labels = dec_kv(&d, obj_item(sel, "matchLabels"), &w->n_match_labels);
	w->match_exprs = dec_label_exprs(&d, sel, &w->n_match_exprs);
	w->images = dec_images(&d, pspec, "containers", &w->n_images);
	w->init_images = dec_images(&d, pspec, "initContainers", &w->n_init_images);
	j->owners = dec_owners(&d, meta, &j->n_owners);
	j->deleted = dec_time(meta, "deletionTimestamp");

	j->completions =
	    (int32_t)dec_int(&d, spec, "completions", JSPEC, DEC_INT32, 0, &j->has_completions);
	j->parallelism =
	    (int32_t)dec_int(&d, spec, "parallelism", JSPEC, DEC_INT32, 0, &j->has_parallelism);
	j->backoff_limit =
	    (int32_t)dec_int(&d, spec, "backoffLimit", JSPEC, DEC_INT32, 0, &j->has_backoff_limit);
	j->active_deadline_s =
	    dec_int(&d, spec, "activeDeadlineSeconds", JSPEC, DEC_INT64, 0, &j->has_deadline);
	j->ttl_after_finished_s =
	    (int32_t)dec_int(&d, spec, "ttlSecondsAfterFinished", JSPEC, DEC_INT32, 0, &j->has_ttl);
	dec_bool(spec, "suspend", &j->suspend);
	j->completion_mode = dec_completion_mode(spec);

	const struct dec_field counts[] = {
	    {"succeeded", &j->succeeded},
	    {"failed", &j->failed},
	    {"active", &j->active},
	};
	dec_int32s(&d, status, JSTATUS, counts, sizeof(counts) / sizeof(counts[0]));
	j->ready = (int32_t)dec_int(&d, status, "ready", JSTATUS, DEC_INT32, 0, &j->has_ready);
	j->terminating =
	    (int32_t)dec_int(&d, status, "terminating", JSTATUS, DEC_INT32, 0, &j->has_terminating);
	j->start_time = dec_time(status, "startTime");
	j->completion_time = dec_time(status, "completionTime");
	j->completed_indexes = dec_ustr(&d, status, "completedIndexes");
	j->failed_indexes = dec_ustr(&d, status, "failedIndexes");
	dec_job_conditions(&d, status, j);
	return dec_done(&d);
}

static void dec_cronjob_active(const struct dec *d, const cJSON *status, struct cronjob *cj)
{
	const cJSON *arr = arr_item(status, "active", &cj->n_active);
	if (!arr)
		return;
	cj->active = model_arena_alloc(d->arena, sizeof(*cj->active) * cj->n_active);
	uint16_t i = 0;
	const cJSON *e;
	cJSON_ArrayForEach(e, arr)
	{
		if (i == cj->n_active)
			break;
		struct cronjob_active *a = &cj->active[i++];
		a->namespace = dec_str(d, e, "namespace");
		a->name = dec_ustr(d, e, "name");
		a->uid = dec_ustr(d, e, "uid");
	}
}

int model_decode_cronjob(const struct cJSON *obj, struct cronjob *cj, struct model_arena *arena,
			 const struct model_decode_opts *opts, struct perr *err)
{
	struct dec_fail fail = {err, false};
	const struct dec d = {arena, opts, &fail};
	const cJSON *meta, *spec, *status, *pspec, *tz;

	memset(cj, 0, sizeof(*cj));
	if (dec_not_object(obj, "CronJob", err) < 0)
		return -1;
	meta = obj_item(obj, "metadata");
	spec = obj_item(obj, "spec");
	status = obj_item(obj, "status");
	pspec =
	    obj_item(obj_item(obj_item(obj_item(spec, "jobTemplate"), "spec"), "template"), "spec");

	dec_meta(&d, obj, &cj->namespace, &cj->name, &cj->uid, &cj->created);
	cj->generation = dec_int(&d, meta, "generation", "ObjectMeta", DEC_INT64, 0, NULL);
	cj->deleted = dec_time(meta, "deletionTimestamp");
	cj->labels = dec_kv(&d, obj_item(meta, "labels"), &cj->n_labels);
	cj->images = dec_images(&d, pspec, "containers", &cj->n_images);

	cj->schedule = dec_str(&d, spec, "schedule");
	tz = dec_key(spec, "timeZone");
	cj->has_time_zone = cJSON_IsString(tz) && tz->valuestring;
	cj->time_zone = dec_str(&d, spec, "timeZone");
	cj->concurrency_policy = dec_str(&d, spec, "concurrencyPolicy");
	dec_bool(spec, "suspend", &cj->suspend);
	cj->starting_deadline_s = dec_int(&d, spec, "startingDeadlineSeconds", CSPEC, DEC_INT64, 0,
					  &cj->has_starting_deadline);
	cj->successful_history = (int32_t)dec_int(&d, spec, "successfulJobsHistoryLimit", CSPEC,
						  DEC_INT32, 0, &cj->has_successful_history);
	cj->failed_history = (int32_t)dec_int(&d, spec, "failedJobsHistoryLimit", CSPEC, DEC_INT32,
					      0, &cj->has_failed_history);

	cj->last_schedule = dec_time(status, "lastScheduleTime");
	cj->last_successful = dec_time(status, "lastSuccessfulTime");
	dec_cronjob_active(&d, status, cj);
	return dec_done(&d);
}
