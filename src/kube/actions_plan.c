#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "podscope/client.h"
#include "podscope/xalloc.h"

#include "actions_int.h"

/* The query kubectl adds to its patches names the field manager; ours is podscope. */
#define FIELD_MANAGER "?fieldManager=podscope"

static void init_target_patch(struct kact_plan *p, enum kact_kind kind, enum kact_target t,
			      const char *ns, const char *name)
{
	const struct kact_names *tn = kact_target_names(t);
	char *obj = xasprintf("%s/%s", tn->short_name, name);
	char *base = kact_object_path(tn->api, ns, tn->resource, name);
	kact_plan_init(p, kind, ns, obj, "PATCH", xasprintf("%s%s", base, FIELD_MANAGER));
	free(base);
	free(obj);
}

static void init_deploy_patch(struct kact_plan *p, enum kact_kind kind, const char *ns,
			      const char *deploy)
{
	init_target_patch(p, kind, KACT_TARGET_DEPLOY, ns, deploy);
}

/* kact_build_set's patches of a StatefulSet start here too. */
void kact_set_patch_init(struct kact_plan *p, enum kact_kind kind, const struct kact_args *a)
{
	init_target_patch(p, kind, a->target, a->ns, a->object);
}

/* {"metadata":{"annotations":{"kubernetes.io/change-cause":cause}}} into patch. */
static void add_cause(cJSON *patch, const char *cause)
{
	cJSON *ann =
	    cJSON_AddObjectToObject(cJSON_AddObjectToObject(patch, "metadata"), "annotations");
	cJSON_AddStringToObject(ann, KACT_CAUSE, cause);
}

static bool is_paused(const cJSON *d)
{
	return cJSON_IsTrue(kact_at(d, "spec", "paused", NULL));
}

/* Find container name among spec.template.spec[field]; its index or -1. */
static int find_container(const cJSON *list, const char *name)
{
	int i = 0;
	const cJSON *ct;
	cJSON_ArrayForEach(ct, list)
	{
		const char *n = kact_str_at(ct, "name", NULL);
		if (n && strcmp(n, name) == 0)
			return i;
		i++;
	}
	return -1;
}

static int build_set_image(const struct kact_args *a, const cJSON *d, struct kact_plan *out,
			   struct perr *err)
{
	const char *ns = a->ns, *deploy = a->object, *container = a->container, *image = a->image;
	const cJSON *pspec = kact_at(d, "spec", "template", "spec", NULL);
	const char *field = "containers";
	const cJSON *list = cJSON_GetObjectItemCaseSensitive(pspec, field);
	int idx = find_container(list, container);
	if (idx < 0) {
		field = "initContainers";
		list = cJSON_GetObjectItemCaseSensitive(pspec, field);
		idx = find_container(list, container);
	}
	if (idx < 0) {
		perr_set(err, PERR_USAGE, "unable to find container named \"%s\"", container);
		return -1;
	}
	const char *old = kact_str_at(cJSON_GetArrayItem(list, idx), "image", NULL);
	if (old && strcmp(old, image) == 0) {
		perr_set(err, PERR_USAGE, "container %s of deploy/%s already runs %s", container,
			 deploy, image);
		return -1;
	}

	init_deploy_patch(out, KACT_SET_IMAGE, ns, deploy);
	out->summary = xasprintf("set image of container %s in deploy/%s from %s to %s", container,
				 deploy, old ? old : "(none)", image);
	out->done_msg = xasprintf("deployment.apps/%s image updated", deploy);

	/* kubectl's two-way strategic merge patch: the order of the list, then
	 * the changed element by its merge key. */
	cJSON *patch = cJSON_CreateObject();
	add_cause(patch, out->summary);
	cJSON *ps = cJSON_AddObjectToObject(
	    cJSON_AddObjectToObject(cJSON_AddObjectToObject(patch, "spec"), "template"), "spec");
	char *order_key = xasprintf("$setElementOrder/%s", field);
	cJSON *order = cJSON_AddArrayToObject(ps, order_key);
	free(order_key);
	const cJSON *ct;
	cJSON_ArrayForEach(ct, list)
	{
		cJSON *o = cJSON_CreateObject();
		const char *n = kact_str_at(ct, "name", NULL);
		cJSON_AddStringToObject(o, "name", n ? n : "");
		cJSON_AddItemToArray(order, o);
	}
	cJSON *one = cJSON_CreateObject();
	cJSON_AddStringToObject(one, "image", image);
	cJSON_AddStringToObject(one, "name", container);
	cJSON_AddItemToArray(cJSON_AddArrayToObject(ps, field), one);
	kact_plan_body(out, KACT_SMP, patch);
	return 0;
}

static int build_restart(const struct kact_args *a, const cJSON *d, struct kact_plan *out,
			 struct perr *err)
{
	const char *ns = a->ns, *deploy = a->object;
	const struct kact_names *tn = kact_target_names(a->target);
	if (a->target == KACT_TARGET_DEPLOY && is_paused(d)) {
		perr_set(err, PERR_USAGE,
			 "can't restart paused deployment (run rollout resume first)");
		return -1;
	}
	char ts[32];
	kact_rfc3339(a->now, ts);
	const char *prev = kact_str_at(d, "spec", "template", "metadata", "annotations",
				       "kubectl.kubernetes.io/restartedAt", NULL);
	if (prev && strcmp(prev, ts) == 0) {
		perr_set(err, PERR_USAGE,
			 "failed to create patch for %s: if restart has already been triggered "
			 "within the past second, please wait before attempting to trigger another",
			 deploy);
		return -1;
	}

	init_target_patch(out, KACT_RESTART, a->target, ns, deploy);
	out->summary =
	    xasprintf("restart the pods of %s/%s (restartedAt %s)", tn->short_name, deploy, ts);
	out->done_msg = xasprintf("%s/%s restarted", tn->kind_group, deploy);
	cJSON *patch = cJSON_CreateObject();
	add_cause(patch, out->summary);
	cJSON *ann = cJSON_AddObjectToObject(
	    cJSON_AddObjectToObject(
		cJSON_AddObjectToObject(cJSON_AddObjectToObject(patch, "spec"), "template"),
		"metadata"),
	    "annotations");
	cJSON_AddStringToObject(ann, "kubectl.kubernetes.io/restartedAt", ts);
	kact_plan_body(out, KACT_SMP, patch);
	return 0;
}

static int build_paused(const struct kact_args *a, const cJSON *d, struct kact_plan *out,
			struct perr *err)
{
	const char *ns = a->ns, *deploy = a->object;
	bool pause = a->kind == KACT_PAUSE;
	bool paused = is_paused(d);
	if (paused == pause) {
		perr_set(err, PERR_USAGE, "deployments.apps \"%s\" is %s", deploy,
			 pause ? "already paused" : "not paused");
		return -1;
	}
	init_deploy_patch(out, pause ? KACT_PAUSE : KACT_RESUME, ns, deploy);
	out->summary = xasprintf(pause ? "pause the rollout of deploy/%s (spec.paused: true)"
				       : "resume the rollout of deploy/%s (spec.paused removed)",
				 deploy);
	out->done_msg = xasprintf("deployment.apps/%s %s", deploy, pause ? "paused" : "resumed");
	cJSON *patch = cJSON_CreateObject();
	cJSON *spec = cJSON_AddObjectToObject(patch, "spec");
	if (pause)
		cJSON_AddTrueToObject(spec, "paused");
	else
		cJSON_AddNullToObject(spec, "paused");
	kact_plan_body(out, KACT_SMP, patch);
	return 0;
}

int kact_scale_current(const cJSON *scale, const char *path, int32_t *out, struct perr *err)
{
	const cJSON *r = kact_at(scale, "spec", "replicas", NULL);
	int64_t cur = 0;
	/* kubectl's decoding refuses what an int32 cannot hold; so does this. */
	if (r && !cJSON_IsNull(r) && !kact_int_in(r, INT32_MIN, INT32_MAX, &cur)) {
		perr_set(err, PERR_API, "GET %s: spec.replicas is not an int32", path);
		return -1;
	}
	*out = (int32_t)cur;
	return 0;
}

static char *scale_path(const struct kact_args *a)
{
	char *base =
	    kact_object_path(KACT_APPS, a->ns, kact_target_names(a->target)->resource, a->object);
	char *path = xasprintf("%s/scale", base);
	free(base);
	return path;
}

static int build_scale(const struct kact_args *a, const cJSON *sc, struct kact_plan *out,
		       struct perr *err)
{
	const char *ns = a->ns, *deploy = a->object, *input = a->input;
	const struct kact_names *tn = kact_target_names(a->target);
	char *path = scale_path(a);
	int32_t cur;
	if (kact_scale_current(sc, path, &cur, err) != 0) {
		free(path);
		return -1;
	}
	int32_t want;
	const char *why;
	if (kact_scale_parse(input, cur, &want, &why) != 0) {
		perr_set(err, PERR_USAGE, "cannot scale to \"%s\": %s", input ? input : "", why);
		free(path);
		return -1;
	}
	char *obj = xasprintf("%s/%s", tn->short_name, deploy);
	kact_plan_init(out, KACT_SCALE, ns, obj, "PATCH", path);
	free(obj);
	out->summary = xasprintf("scale %s/%s from %d to %d replicas", tn->short_name, deploy,
				 (int)cur, (int)want);
	out->done_msg = xasprintf("%s/%s scaled", tn->kind_group, deploy);
	cJSON *patch = cJSON_CreateObject();
	cJSON_AddNumberToObject(cJSON_AddObjectToObject(patch, "spec"), "replicas", want);
	kact_plan_body(out, KACT_MERGE, patch);
	return 0;
}

static int build_delete_pod(const struct kact_args *a, const cJSON *p, struct kact_plan *out)
{
	const char *ns = a->ns, *pod = a->object;
	char *path = kact_object_path(KACT_CORE, ns, "pods", pod);
	const cJSON *g = kact_at(p, "spec", "terminationGracePeriodSeconds", NULL);
	int64_t grace = 30;
	bool grace_ok =
	    !g || cJSON_IsNull(g) || kact_int_in(g, INT64_MIN / 2048, INT64_MAX / 2048, &grace);
	char *obj = xasprintf("pod/%s", pod);
	kact_plan_init(out, KACT_DELETE_POD, ns, obj, "DELETE", path);
	free(obj);
	if (grace_ok)
		out->summary =
		    xasprintf("delete pod/%s (grace period %llds)", pod, (long long)grace);
	else
		out->summary = xasprintf("delete pod/%s (its grace period is not a number)", pod);
	out->done_msg = xasprintf("pod \"%s\" deleted", pod);
	/* kubectl delete's DeleteOptions: no grace period of its own. */
	cJSON *body = cJSON_CreateObject();
	cJSON_AddStringToObject(body, "propagationPolicy", "Background");
	kact_plan_body(out, "application/json", body);
	return 0;
}

/* ---- the plan in flight: its GETs one after the other, then the build ---- */

#define MAX_GETS 3

struct kact_plan_req {
	struct kclient *c;
	struct kreq *req;
	struct kact_args a; /* its strings are the request's */
	bool history;       /* kact_history_start's */
	char *path;         /* the GET in flight */
	cJSON *got[MAX_GETS];
	size_t n;
	kact_plan_fn fn;
	kact_history_fn hfn;
	void *ud;
};

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

static void req_free(struct kact_plan_req *r)
{
	if (r->req)
		kreq_cancel(r->req);
	for (size_t i = 0; i < r->n; i++)
		cJSON_Delete(r->got[i]);
	free((char *)r->a.ns);
	free((char *)r->a.object);
	free((char *)r->a.deploy);
	free((char *)r->a.container);
	free((char *)r->a.image);
	free((char *)r->a.input);
	free(r->path);
	free(r);
}

/* The path of the next GET, or NULL once everything the plan needs is in. */
static char *next_path(const struct kact_plan_req *r)
{
	const struct kact_args *a = &r->a;
	if (a->target != KACT_TARGET_DEPLOY &&
	    (r->history || a->kind == KACT_UNDO || a->kind == KACT_PARTITION))
		return kact_set_next_path(a, r->history, r->got, r->n);
	if (r->history || a->kind == KACT_UNDO) {
		if (r->n == 0)
			return kact_deploy_path(a->ns, a->object);
		return r->n == 1 ? kact_rs_list_path(a->ns, r->got[0]) : NULL;
	}
	switch (a->kind) {
	case KACT_SCALE:
		return r->n == 0 ? scale_path(a) : NULL;
	case KACT_DELETE_POD:
		return r->n == 0 ? kact_object_path(KACT_CORE, a->ns, "pods", a->object) : NULL;
	case KACT_SWITCH_SERVICE:
		if (r->n == 0)
			return kact_object_path(KACT_CORE, a->ns, "services", a->object);
		if (r->n == 1)
			return kact_deploy_path(a->ns, a->deploy);
		return r->n == 2 ? kact_object_path(KACT_APPS, a->ns, "deployments", NULL) : NULL;
	default:
		return r->n == 0
			   ? kact_object_path(kact_target_names(a->target)->api, a->ns,
					      kact_target_names(a->target)->resource, a->object)
			   : NULL;
	}
}

static int build(const struct kact_plan_req *r, struct kact_plan *out, struct perr *err)
{
	const struct kact_args *a = &r->a;
	memset(out, 0, sizeof(*out));
	if (a->target == KACT_TARGET_JOB || a->target == KACT_TARGET_CRONJOB)
		return kact_build_job(a, r->got[0], out, err);
	if (a->target != KACT_TARGET_DEPLOY && (a->kind == KACT_UNDO || a->kind == KACT_PARTITION))
		return kact_build_set(a, r->got, out, err);
	switch (a->kind) {
	case KACT_SET_IMAGE:
		return build_set_image(a, r->got[0], out, err);
	case KACT_RESTART:
		return build_restart(a, r->got[0], out, err);
	case KACT_PAUSE:
	case KACT_RESUME:
		return build_paused(a, r->got[0], out, err);
	case KACT_SCALE:
		return build_scale(a, r->got[0], out, err);
	case KACT_DELETE_POD:
		return build_delete_pod(a, r->got[0], out);
	case KACT_UNDO:
		return kact_build_undo(a, r->got[0], r->got[1], out, err);
	case KACT_SWITCH_SERVICE:
		return kact_build_switch(a, r->got[0], r->got[1], r->got[2], out, err);
	case KACT_PARTITION:
	case KACT_SUSPEND:
	case KACT_UNSUSPEND:
	case KACT_TRIGGER:
		break;
	}
	perr_set(err, PERR_USAGE, "unknown action");
	return -1;
}

/* Everything is in (rc 0) or something failed (rc -1, err): the caller's
 * callback, then the request is gone. */
static void finish(struct kact_plan_req *r, int rc, struct perr *err)
{
	if (r->history) {
		struct kact_revision *revs = NULL;
		size_t n = 0;
		if (rc == 0 && r->a.target != KACT_TARGET_DEPLOY)
			kact_build_set_history(r->got[0], r->got[1], &revs, &n);
		else if (rc == 0)
			kact_build_history(r->got[0], r->got[1], &revs, &n);
		r->hfn(r->ud, rc, revs, n, err);
	} else {
		struct kact_plan *p = NULL;
		if (rc == 0) {
			p = xcalloc(1, sizeof(*p));
			if (build(r, p, err) != 0) {
				kact_plan_free(p);
				free(p);
				p = NULL;
				rc = -1;
			}
		}
		r->fn(r->ud, rc, p, err);
	}
	perr_clear(err);
	req_free(r);
}

static void on_got(void *ud, struct kresp *resp);

/* Start the next GET, or finish when none is left: -1 with err when the
 * client refused to start it. */
static int step(struct kact_plan_req *r, struct perr *err)
{
	free(r->path);
	r->path = next_path(r);
	if (!r->path) {
		finish(r, 0, err);
		return 0;
	}
	struct kreq_spec spec = {.method = "GET", .path = r->path};
	r->req = kclient_start(r->c, &spec, NULL, on_got, r, err);
	return r->req ? 0 : -1;
}

static void on_got(void *ud, struct kresp *resp)
{
	struct kact_plan_req *r = ud;
	struct perr err = {0};
	r->req = NULL;
	cJSON *j;
	if (kact_parse_answer(r->path, resp, &j, &err) != 0) {
		finish(r, -1, &err);
		return;
	}
	r->got[r->n++] = j;
	if (step(r, &err) != 0)
		finish(r, -1, &err);
}

/* Names the API would misread are refused before anything is sent. */
static int check_args(const struct kact_args *a, bool history, struct perr *err)
{
	if (history || a->kind != KACT_SWITCH_SERVICE)
		return kact_check_names(a->ns, a->object, URLPATH_DNS1123_SUBDOMAIN, err);
	/* Service names are DNS-1035 labels (ValidateServiceName). */
	if (kact_check_names(a->ns, a->object, URLPATH_DNS1035_LABEL, err) != 0)
		return -1;
	return kact_check_names(a->ns, a->deploy, URLPATH_DNS1123_SUBDOMAIN, err);
}

static struct kact_plan_req *start(struct kclient *c, const struct kact_args *a, bool history,
				   kact_plan_fn fn, kact_history_fn hfn, void *ud, struct perr *err)
{
	if (check_args(a, history, err) != 0)
		return NULL;
	if (!history && kact_check_job_args(a, err) != 0)
		return NULL;
	if (!history && a->target != KACT_TARGET_JOB && a->target != KACT_TARGET_CRONJOB &&
	    kact_check_set_args(a, err) != 0)
		return NULL;
	if (!history && a->kind == KACT_SET_IMAGE && (!a->image || !*a->image)) {
		perr_set(err, PERR_USAGE, "no image given");
		return NULL;
	}
	if (!history && a->kind == KACT_UNDO && a->to_revision < 0) {
		perr_set(err, PERR_USAGE, "unable to find specified revision %ld in history",
			 a->to_revision);
		return NULL;
	}
	struct kact_plan_req *r = xcalloc(1, sizeof(*r));
	r->c = c;
	r->history = history;
	r->a = *a;
	r->a.ns = dup_or_null(a->ns);
	r->a.object = dup_or_null(a->object);
	r->a.deploy = dup_or_null(a->deploy);
	r->a.container = dup_or_null(a->container);
	r->a.image = dup_or_null(a->image);
	r->a.input = dup_or_null(a->input);
	r->fn = fn;
	r->hfn = hfn;
	r->ud = ud;
	/* Every plan reads at least one object: step only starts a GET here. */
	if (step(r, err) != 0) {
		req_free(r);
		return NULL;
	}
	return r;
}

struct kact_plan_req *kact_plan_start(struct kclient *c, const struct kact_args *a, kact_plan_fn fn,
				      void *ud, struct perr *err)
{
	return start(c, a, false, fn, NULL, ud, err);
}

struct kact_plan_req *kact_history_start(struct kclient *c, const char *ns, const char *deploy,
					 kact_history_fn fn, void *ud, struct perr *err)
{
	return kact_history_target_start(c, KACT_TARGET_DEPLOY, ns, deploy, fn, ud, err);
}

struct kact_plan_req *kact_history_target_start(struct kclient *c, enum kact_target t,
						const char *ns, const char *name,
						kact_history_fn fn, void *ud, struct perr *err)
{
	struct kact_args a = {.kind = KACT_UNDO, .target = t, .ns = ns, .object = name};
	return start(c, &a, true, NULL, fn, ud, err);
}

void kact_plan_cancel(struct kact_plan_req *r)
{
	if (r)
		req_free(r);
}
