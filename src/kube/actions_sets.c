#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "podscope/xalloc.h"

#include "actions_int.h"

/*
 * The plans of StatefulSets and DaemonSets that read more than the object:
 * undo and its history from the set's ControllerRevisions (kubectl's
 * StatefulSetRollbacker and DaemonSetRollbacker, history.go), and the
 * partition of a StatefulSet (kubectl patch sts NAME -p '{"spec":
 * {"updateStrategy":{"rollingUpdate":{"partition":N}}}}').
 */

#define PATCH_REPLACE "$patch"

int kact_check_set_args(const struct kact_args *a, struct perr *err)
{
	const struct kact_names *tn = kact_target_names(a->target);
	if (a->target == KACT_TARGET_DEPLOY) {
		if (a->kind != KACT_PARTITION)
			return 0;
		perr_set(err, PERR_USAGE, "partition: deploy/%s has none (StatefulSets only)",
			 a->object);
		return -1;
	}
	switch (a->kind) {
	case KACT_PAUSE:
	case KACT_RESUME:
		/* objectpauser/objectresumer refuse every kind but a Deployment. */
		perr_set(err, PERR_USAGE, "%ss.apps \"%s\" %s is not supported",
			 a->target == KACT_TARGET_STS ? "statefulset" : "daemonset", a->object,
			 a->kind == KACT_PAUSE ? "pausing" : "resuming");
		return -1;
	case KACT_SCALE:
	case KACT_PARTITION:
		if (a->target == KACT_TARGET_STS)
			return 0;
		perr_set(err, PERR_USAGE, "%s: %s/%s runs one pod per node and has no %s",
			 kact_kind_name(a->kind), tn->short_name, a->object,
			 a->kind == KACT_SCALE ? "replicas" : "partition");
		return -1;
	case KACT_RESTART:
	case KACT_UNDO:
		return 0;
	default:
		perr_set(err, PERR_USAGE, "%s: not an action on %s/%s", kact_kind_name(a->kind),
			 tn->short_name, a->object);
		return -1;
	}
}

char *kact_set_next_path(const struct kact_args *a, bool history, cJSON *const *got, size_t n)
{
	if (n == 0)
		return kact_object_path(KACT_APPS, a->ns, kact_target_names(a->target)->resource,
					a->object);
	if (n == 1 && (history || a->kind == KACT_UNDO))
		return kact_selector_list_path(a->ns, "controllerrevisions", got[0]);
	return NULL;
}

/* ---- revisions ---- */

struct crs {
	cJSON **items;
	size_t n;
};

static int cmp_cr(const void *pa, const void *pb)
{
	const cJSON *a = *(const cJSON *const *)pa, *b = *(const cJSON *const *)pb;
	double ra = cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(a, "revision"));
	double rb = cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(b, "revision"));
	return ra < rb ? -1 : ra > rb;
}

/* The ControllerRevisions of list that set controls, by ascending revision
 * (a revision that is no whole number is left out). */
static void list_crs(const cJSON *list, const cJSON *set, struct crs *o)
{
	const char *uid = kact_str_at(set, "metadata", "uid", NULL);
	const cJSON *items = cJSON_GetObjectItemCaseSensitive(list, "items");
	o->items = xcalloc((size_t)cJSON_GetArraySize(items) + 1, sizeof(*o->items));
	o->n = 0;
	cJSON *cr;
	cJSON_ArrayForEach(cr, items)
	{
		int64_t rev;
		if (uid && kact_owned_by(cr, uid) &&
		    kact_int_in(cJSON_GetObjectItemCaseSensitive(cr, "revision"), INT64_MIN / 2048,
				INT64_MAX / 2048, &rev))
			o->items[o->n++] = cr;
	}
	qsort(o->items, o->n, sizeof(*o->items), cmp_cr);
}

static long cr_revision(const cJSON *cr)
{
	return (long)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(cr, "revision"));
}

/* The template a revision holds: data.spec.template without its "$patch". */
static cJSON *cr_template(const cJSON *cr)
{
	cJSON *t = cJSON_Duplicate(kact_at(cr, "data", "spec", "template", NULL), true);
	if (!t)
		t = cJSON_CreateObject();
	cJSON_DeleteItemFromObjectCaseSensitive(t, PATCH_REPLACE);
	return t;
}

void kact_build_set_history(const cJSON *set, const cJSON *crlist, struct kact_revision **out,
			    size_t *n)
{
	struct crs o;
	list_crs(crlist, set, &o);
	long *nums = xcalloc(o.n + 1, sizeof(*nums));
	for (size_t i = 0; i < o.n; i++)
		nums[i] = cr_revision(o.items[i]);
	kact_history_of(o.items, nums, o.n, kact_at(set, "spec", "template", NULL), cr_template,
			out);
	*n = o.n;
	free(nums);
	free(o.items);
}

/* findHistory: the second highest revision for 0, else the one numbered to. */
static const cJSON *find_history(const struct crs *o, long to)
{
	if (to == 0)
		return o->n > 1 ? o->items[o->n - 2] : NULL;
	for (size_t i = 0; i < o->n; i++)
		if (cr_revision(o->items[i]) == to)
			return o->items[i];
	return NULL;
}

static int build_undo(const struct kact_args *a, const cJSON *set, const cJSON *crlist,
		      struct kact_plan *out, struct perr *err)
{
	const struct kact_names *tn = kact_target_names(a->target);
	struct crs o;
	list_crs(crlist, set, &o);
	int rc = -1;
	cJSON *t = NULL;
	if (a->to_revision == 0 && o.n <= 1) {
		perr_set(err, PERR_USAGE, "no last revision to roll back to");
		goto out;
	}
	const cJSON *cr = find_history(&o, a->to_revision);
	if (!cr) {
		perr_set(err, PERR_USAGE, "unable to find specified revision %ld in history",
			 a->to_revision);
		goto out;
	}
	const cJSON *st = kact_at(set, "spec", "template", NULL);
	t = cr_template(cr);
	if (kact_same_template(st, t)) {
		/* kubectl names the revision asked for: 0 for the previous one. */
		perr_set(err, PERR_USAGE,
			 "%s/%s skipped rollback (current template already matches revision %ld)",
			 tn->kind_group, a->object, a->to_revision);
		goto out;
	}
	char *imgs = kact_images_joined(t);
	/* kubectl's rollbacker patches without a field manager. */
	char *obj = xasprintf("%s/%s", tn->short_name, a->object);
	kact_plan_init(out, KACT_UNDO, a->ns, obj, "PATCH",
		       kact_object_path(KACT_APPS, a->ns, tn->resource, a->object));
	free(obj);
	const char *name = kact_str_at(cr, "metadata", "name", NULL);
	out->summary = xasprintf("roll back %s/%s to revision %ld (%s, %s)", tn->short_name,
				 a->object, cr_revision(cr), name ? name : "?", imgs);
	free(imgs);
	out->done_msg = xasprintf("%s/%s rolled back", tn->kind_group, a->object);
	kact_template_diff(st, t, &out->diff, &out->n_diff);
	/* The revision's data as kubectl sends it, after podscope's change-cause. */
	cJSON *patch = cJSON_CreateObject();
	cJSON *ann =
	    cJSON_AddObjectToObject(cJSON_AddObjectToObject(patch, "metadata"), "annotations");
	cJSON_AddStringToObject(ann, KACT_CAUSE, out->summary);
	const cJSON *e;
	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(cr, "data"))
	{
		if (strcmp(e->string, "metadata") != 0)
			cJSON_AddItemToObject(patch, e->string, cJSON_Duplicate(e, true));
	}
	kact_plan_body(out, KACT_SMP, patch);
	rc = 0;
out:
	cJSON_Delete(t);
	free(o.items);
	return rc;
}

/* ---- partition ---- */

int kact_partition_parse(const char *input, int32_t current, int32_t replicas, int32_t *out,
			 const char **why)
{
	int32_t v;
	if (kact_scale_parse(input, current, &v, why) != 0) {
		if (strcmp(*why, "type a number of replicas") == 0)
			*why = "type a partition";
		else if (strstr(*why, "below 0"))
			*why = "the partition cannot go below 0";
		return -1;
	}
	if (v > replicas) {
		*why = "the partition cannot go beyond the replicas";
		return -1;
	}
	*out = v;
	return 0;
}

static int build_partition(const struct kact_args *a, const cJSON *set, struct kact_plan *out,
			   struct perr *err)
{
	const char *type = kact_str_at(set, "spec", "updateStrategy", "type", NULL);
	if (type && strcmp(type, "RollingUpdate") != 0) {
		perr_set(err, PERR_USAGE,
			 "partition: sts/%s updates by %s; a partition needs RollingUpdate",
			 a->object, type);
		return -1;
	}
	int64_t cur = 0, replicas = 1;
	const cJSON *p = kact_at(set, "spec", "updateStrategy", "rollingUpdate", "partition", NULL);
	const cJSON *r = kact_at(set, "spec", "replicas", NULL);
	if ((p && !cJSON_IsNull(p) && !kact_int_in(p, INT32_MIN, INT32_MAX, &cur)) ||
	    (r && !cJSON_IsNull(r) && !kact_int_in(r, 0, INT32_MAX, &replicas))) {
		perr_set(err, PERR_API, "sts/%s: its partition or replicas is not an int32",
			 a->object);
		return -1;
	}
	int32_t want;
	const char *why;
	if (kact_partition_parse(a->input, (int32_t)(cur < 0 ? 0 : cur), (int32_t)replicas, &want,
				 &why) != 0) {
		perr_set(err, PERR_USAGE,
			 "cannot set the partition of sts/%s to \"%s\": %s (%lld replicas)",
			 a->object, a->input ? a->input : "", why, (long long)replicas);
		return -1;
	}
	kact_set_patch_init(out, KACT_PARTITION, a);
	out->summary =
	    xasprintf("set the partition of sts/%s from %lld to %d: ordinals %d and up "
		      "get the update revision (%lld replicas)",
		      a->object, (long long)cur, (int)want, (int)want, (long long)replicas);
	out->done_msg = xasprintf("statefulset.apps/%s patched", a->object);
	cJSON *patch = cJSON_CreateObject();
	cJSON *ru = cJSON_AddObjectToObject(
	    cJSON_AddObjectToObject(cJSON_AddObjectToObject(patch, "spec"), "updateStrategy"),
	    "rollingUpdate");
	cJSON_AddNumberToObject(ru, "partition", want);
	kact_plan_body(out, KACT_SMP, patch);
	return 0;
}

int kact_build_set(const struct kact_args *a, cJSON *const *got, struct kact_plan *out,
		   struct perr *err)
{
	if (a->kind == KACT_PARTITION)
		return build_partition(a, got[0], out, err);
	return build_undo(a, got[0], got[1], out, err);
}
