#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "podscope/client.h"
#include "podscope/xalloc.h"

#include "actions_int.h"

/* The query kubectl adds to its patches names the field manager; ours is podscope. */
#define FIELD_MANAGER "?fieldManager=podscope"

static void init_deploy_patch(struct kact_plan *p, enum kact_kind kind, const char *ns,
			      const char *deploy)
{
	char *obj = xasprintf("deploy/%s", deploy);
	char *base = kact_deploy_path(ns, deploy);
	kact_plan_init(p, kind, ns, obj, "PATCH", xasprintf("%s%s", base, FIELD_MANAGER));
	free(base);
	free(obj);
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

int kact_plan_set_image(struct kclient *c, const char *ns, const char *deploy,
			const char *container, const char *image, struct kact_plan *out,
			struct perr *err)
{
	memset(out, 0, sizeof(*out));
	if (!image || !*image) {
		perr_set(err, PERR_USAGE, "no image given");
		return -1;
	}
	cJSON *d;
	if (kact_get_deploy(c, ns, deploy, &d, err) != 0)
		return -1;
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
		cJSON_Delete(d);
		return -1;
	}
	const char *old = kact_str_at(cJSON_GetArrayItem(list, idx), "image", NULL);
	if (old && strcmp(old, image) == 0) {
		perr_set(err, PERR_USAGE, "container %s of deploy/%s already runs %s", container,
			 deploy, image);
		cJSON_Delete(d);
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
	cJSON_Delete(d);
	return 0;
}

int kact_plan_restart(struct kclient *c, const char *ns, const char *deploy, time_t now,
		      struct kact_plan *out, struct perr *err)
{
	memset(out, 0, sizeof(*out));
	cJSON *d;
	if (kact_get_deploy(c, ns, deploy, &d, err) != 0)
		return -1;
	if (is_paused(d)) {
		perr_set(err, PERR_USAGE,
			 "can't restart paused deployment (run rollout resume first)");
		cJSON_Delete(d);
		return -1;
	}
	char ts[32];
	kact_rfc3339(now, ts);
	const char *prev = kact_str_at(d, "spec", "template", "metadata", "annotations",
				       "kubectl.kubernetes.io/restartedAt", NULL);
	if (prev && strcmp(prev, ts) == 0) {
		perr_set(err, PERR_USAGE,
			 "failed to create patch for %s: if restart has already been triggered "
			 "within the past second, please wait before attempting to trigger another",
			 deploy);
		cJSON_Delete(d);
		return -1;
	}
	cJSON_Delete(d);

	init_deploy_patch(out, KACT_RESTART, ns, deploy);
	out->summary = xasprintf("restart the pods of deploy/%s (restartedAt %s)", deploy, ts);
	out->done_msg = xasprintf("deployment.apps/%s restarted", deploy);
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

static int plan_paused(struct kclient *c, const char *ns, const char *deploy, bool pause,
		       struct kact_plan *out, struct perr *err)
{
	memset(out, 0, sizeof(*out));
	cJSON *d;
	if (kact_get_deploy(c, ns, deploy, &d, err) != 0)
		return -1;
	bool paused = is_paused(d);
	cJSON_Delete(d);
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

int kact_plan_pause(struct kclient *c, const char *ns, const char *deploy, struct kact_plan *out,
		    struct perr *err)
{
	return plan_paused(c, ns, deploy, true, out, err);
}

int kact_plan_resume(struct kclient *c, const char *ns, const char *deploy, struct kact_plan *out,
		     struct perr *err)
{
	return plan_paused(c, ns, deploy, false, out, err);
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

int kact_plan_scale(struct kclient *c, const char *ns, const char *deploy, const char *input,
		    struct kact_plan *out, struct perr *err)
{
	memset(out, 0, sizeof(*out));
	if (kact_check_names(ns, deploy, URLPATH_DNS1123_SUBDOMAIN, err) != 0)
		return -1;
	char *base = kact_deploy_path(ns, deploy);
	char *path = xasprintf("%s/scale", base);
	free(base);
	cJSON *sc;
	if (kact_get_json(c, path, &sc, err) != 0) {
		free(path);
		return -1;
	}
	int32_t cur;
	int rc = kact_scale_current(sc, path, &cur, err);
	cJSON_Delete(sc);
	if (rc != 0) {
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
	char *obj = xasprintf("deploy/%s", deploy);
	kact_plan_init(out, KACT_SCALE, ns, obj, "PATCH", path);
	free(obj);
	out->summary =
	    xasprintf("scale deploy/%s from %d to %d replicas", deploy, (int)cur, (int)want);
	out->done_msg = xasprintf("deployment.apps/%s scaled", deploy);
	cJSON *patch = cJSON_CreateObject();
	cJSON_AddNumberToObject(cJSON_AddObjectToObject(patch, "spec"), "replicas", want);
	kact_plan_body(out, KACT_MERGE, patch);
	return 0;
}

int kact_plan_delete_pod(struct kclient *c, const char *ns, const char *pod, struct kact_plan *out,
			 struct perr *err)
{
	memset(out, 0, sizeof(*out));
	if (kact_check_names(ns, pod, URLPATH_DNS1123_SUBDOMAIN, err) != 0)
		return -1;
	char *path = kact_object_path(KACT_CORE, ns, "pods", pod);
	cJSON *p;
	if (kact_get_json(c, path, &p, err) != 0) {
		free(path);
		return -1;
	}
	const cJSON *g = kact_at(p, "spec", "terminationGracePeriodSeconds", NULL);
	int64_t grace = 30;
	bool grace_ok =
	    !g || cJSON_IsNull(g) || kact_int_in(g, INT64_MIN / 2048, INT64_MAX / 2048, &grace);
	cJSON_Delete(p);
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
