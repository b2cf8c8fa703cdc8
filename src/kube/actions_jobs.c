#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "podscope/urlpath.h"
#include "podscope/xalloc.h"

#include "actions_int.h"

/*
 * The plans of Jobs and CronJobs: suspend and resume (kubectl patch job
 * NAME -p '{"spec":{"suspend":true}}', a strategic merge patch; the same
 * on a CronJob), and a Job triggered from a CronJob as kubectl create job
 * NAME --from=cronjob/CJ builds it (create_job.go createJobFromCronJob).
 */

#define INSTANTIATE "cronjob.kubernetes.io/instantiate"

int kact_check_job_args(const struct kact_args *a, struct perr *err)
{
	const struct kact_names *tn = kact_target_names(a->target);
	bool job = a->target == KACT_TARGET_JOB || a->target == KACT_TARGET_CRONJOB;
	bool job_kind =
	    a->kind == KACT_SUSPEND || a->kind == KACT_UNSUSPEND || a->kind == KACT_TRIGGER;
	if (!job && !job_kind)
		return 0;
	if (!job) {
		perr_set(err, PERR_USAGE, "%s: %s/%s is no Job or CronJob", kact_kind_name(a->kind),
			 tn->short_name, a->object);
		return -1;
	}
	if (a->kind == KACT_SUSPEND || a->kind == KACT_UNSUSPEND)
		return 0;
	if (a->kind == KACT_TRIGGER && a->target == KACT_TARGET_CRONJOB)
		return kact_check_names(a->ns, a->input, URLPATH_DNS1123_SUBDOMAIN, err);
	if (a->kind == KACT_TRIGGER) {
		/* kubectl create job --from=job/NAME's words, then why. */
		perr_set(err, PERR_USAGE,
			 "unknown object type *v1.Job: job/%s is no CronJob to make a Job from",
			 a->object);
		return -1;
	}
	if (a->kind == KACT_PAUSE || a->kind == KACT_RESUME) {
		/* objectpauser/objectresumer's words. */
		perr_set(err, PERR_USAGE, "%ss.batch \"%s\" %s is not supported",
			 a->target == KACT_TARGET_JOB ? "job" : "cronjob", a->object,
			 a->kind == KACT_PAUSE ? "pausing" : "resuming");
		return -1;
	}
	perr_set(err, PERR_USAGE, "%s: not an action on %s/%s", kact_kind_name(a->kind),
		 tn->short_name, a->object);
	return -1;
}

static int build_suspend(const struct kact_args *a, const cJSON *obj, struct kact_plan *out)
{
	const struct kact_names *tn = kact_target_names(a->target);
	bool suspend = a->kind == KACT_SUSPEND;
	bool was = cJSON_IsTrue(kact_at(obj, "spec", "suspend", NULL));
	/* kubectl patch sends it either way; an unchanged object is "(no change)". */
	kact_set_patch_init(out, a->kind, a);
	bool job = a->target == KACT_TARGET_JOB;
	if (suspend == was)
		out->summary = xasprintf(
		    "%s/%s is %s already: spec.suspend stays %s (no change)", tn->short_name,
		    a->object, suspend ? "suspended" : "not suspended", suspend ? "true" : "false");
	else if (suspend)
		out->summary =
		    xasprintf("suspend %s/%s (spec.suspend: true): %s", tn->short_name, a->object,
			      job ? "its active pods are deleted" : "no new Jobs start");
	else
		out->summary =
		    xasprintf("resume %s/%s (spec.suspend: false): %s", tn->short_name, a->object,
			      job ? "its pods start again" : "its schedule runs again");
	out->done_msg = xasprintf("%s/%s patched%s", tn->kind_group, a->object,
				  suspend == was ? " (no change)" : "");
	cJSON *patch = cJSON_CreateObject();
	cJSON_AddBoolToObject(cJSON_AddObjectToObject(patch, "spec"), "suspend", suspend);
	kact_plan_body(out, KACT_SMP, patch);
	return 0;
}

static int cmp_key(const void *pa, const void *pb)
{
	const cJSON *a = *(const cJSON *const *)pa, *b = *(const cJSON *const *)pb;
	return strcmp(a->string, b->string);
}

/* A Go map[string]string as encoding/json writes it: keys sorted, strings only. */
static cJSON *sorted_map(const cJSON *m, const char *extra_key, const char *extra_val)
{
	size_t n = (size_t)cJSON_GetArraySize(m) + 1, k = 0;
	const cJSON **v = xcalloc(n, sizeof(*v));
	cJSON *extra = NULL;
	if (extra_key) {
		extra = cJSON_CreateString(extra_val);
		extra->string = (char *)extra_key;
		v[k++] = extra;
	}
	const cJSON *e = cJSON_IsObject(m) ? m->child : NULL;
	for (; e; e = e->next) {
		if (!cJSON_IsString(e))
			continue;
		/* The template's value wins over kubectl's own, as in the loop of create_job.go. */
		if (extra && strcmp(e->string, extra_key) == 0) {
			v[0] = e;
			continue;
		}
		v[k++] = e;
	}
	qsort(v, k, sizeof(*v), cmp_key);
	cJSON *o = cJSON_CreateObject();
	for (size_t i = 0; i < k; i++)
		cJSON_AddStringToObject(o, v[i]->string, v[i]->valuestring);
	if (extra) {
		extra->string = NULL;
		cJSON_Delete(extra);
	}
	free(v);
	return o;
}

static int build_trigger(const struct kact_args *a, const cJSON *cj, struct kact_plan *out,
			 struct perr *err)
{
	const char *uid = kact_str_at(cj, "metadata", "uid", NULL);
	const char *cjname = kact_str_at(cj, "metadata", "name", NULL);
	const cJSON *jt = kact_at(cj, "spec", "jobTemplate", NULL);
	if (!uid || !cjname || !cJSON_IsObject(jt)) {
		perr_set(err, PERR_API, "cronjob/%s: no uid, name or spec.jobTemplate", a->object);
		return -1;
	}
	char *obj = xasprintf("job/%s", a->input);
	char *base = kact_object_path(KACT_BATCH, a->ns, "jobs", NULL);
	kact_plan_init(out, KACT_TRIGGER, a->ns, obj, "POST",
		       xasprintf("%s?fieldManager=podscope&fieldValidation=Strict", base));
	free(base);
	free(obj);
	out->summary = xasprintf("create job/%s from cronjob/%s now (%s: manual)", a->input,
				 a->object, INSTANTIATE);
	out->done_msg = xasprintf("job.batch/%s created", a->input);

	cJSON *job = cJSON_CreateObject();
	cJSON_AddStringToObject(job, "kind", "Job");
	cJSON_AddStringToObject(job, "apiVersion", "batch/v1");
	cJSON *md = cJSON_AddObjectToObject(job, "metadata");
	cJSON_AddStringToObject(md, "name", a->input);
	cJSON_AddStringToObject(md, "namespace", a->ns);
	cJSON_AddNullToObject(md, "creationTimestamp");
	const cJSON *labels = kact_at(jt, "metadata", "labels", NULL);
	if (cJSON_GetArraySize(labels) > 0 && cJSON_IsObject(labels))
		cJSON_AddItemToObject(md, "labels", sorted_map(labels, NULL, NULL));
	cJSON_AddItemToObject(
	    md, "annotations",
	    sorted_map(kact_at(jt, "metadata", "annotations", NULL), INSTANTIATE, "manual"));
	cJSON *ref = cJSON_CreateObject();
	cJSON_AddStringToObject(ref, "apiVersion", "batch/v1");
	cJSON_AddStringToObject(ref, "kind", "CronJob");
	cJSON_AddStringToObject(ref, "name", cjname);
	cJSON_AddStringToObject(ref, "uid", uid);
	cJSON_AddTrueToObject(ref, "controller");
	cJSON_AddItemToArray(cJSON_AddArrayToObject(md, "ownerReferences"), ref);
	const cJSON *spec = kact_at(jt, "spec", NULL);
	cJSON_AddItemToObject(
	    job, "spec", cJSON_IsObject(spec) ? cJSON_Duplicate(spec, true) : cJSON_CreateObject());
	cJSON_AddObjectToObject(job, "status");
	kact_plan_body(out, "application/json", job);
	return 0;
}

int kact_build_job(const struct kact_args *a, const cJSON *obj, struct kact_plan *out,
		   struct perr *err)
{
	if (a->kind == KACT_TRIGGER)
		return build_trigger(a, obj, out, err);
	return build_suspend(a, obj, out);
}

char *kact_trigger_name(const char *cronjob, time_t now)
{
	/* kubectl asks for a name; podscope proposes one, unique to the second,
	 * cut so that it stays a valid name (63 characters, a label's bound). */
	char suffix[24];
	int n = snprintf(suffix, sizeof(suffix), "-manual-%lx", (unsigned long)now & 0xffffffUL);
	size_t keep = strlen(cronjob);
	if (keep + (size_t)n > 63)
		keep = 63 - (size_t)n;
	while (keep > 0 && (cronjob[keep - 1] == '-' || cronjob[keep - 1] == '.'))
		keep--;
	return xasprintf("%.*s%s", (int)keep, cronjob, suffix);
}
