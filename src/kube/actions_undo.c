#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "podscope/client.h"
#include "podscope/xalloc.h"

#include "actions_int.h"

#define REVISION   "deployment.kubernetes.io/revision"
#define HASH_LABEL "pod-template-hash"
#define DIFF_MAX   40
#define VALUE_MAX  80

/* Annotations that stay the Deployment's own in a rollback (kubectl's skip list). */
static const char *const skip_keys[] = {
    "kubectl.kubernetes.io/last-applied-configuration",
    REVISION,
    "deployment.kubernetes.io/revision-history",
    "deployment.kubernetes.io/desired-replicas",
    "deployment.kubernetes.io/max-replicas",
    "deprecated.deployment.rollback.to",
};

static bool is_skip_key(const char *k)
{
	for (size_t i = 0; i < sizeof(skip_keys) / sizeof(skip_keys[0]); i++)
		if (strcmp(k, skip_keys[i]) == 0)
			return true;
	return false;
}

struct owned {
	cJSON **items; /* into the ReplicaSet list */
	long *revs;
	size_t n;
};

/* The revision annotation as strconv.ParseInt(v, 10, 64) reads it: 0 when
 * there is none, false when it does not parse (kubectl skips that one). */
static bool rs_revision(const cJSON *rs, long *out)
{
	const char *r = kact_str_at(rs, "metadata", "annotations", REVISION, NULL);
	*out = 0;
	if (!r)
		return true;
	const char *p = r + (*r == '+' || *r == '-');
	if (*p < '0' || *p > '9')
		return false;
	errno = 0;
	char *end;
	long v = strtol(r, &end, 10);
	if (*end != '\0' || errno == ERANGE)
		return false;
	*out = v;
	return true;
}

bool kact_owned_by(const cJSON *rs, const char *uid)
{
	const cJSON *o;
	cJSON_ArrayForEach(o, kact_at(rs, "metadata", "ownerReferences", NULL))
	{
		const char *u = kact_str_at(o, "uid", NULL);
		if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "controller")) && u &&
		    strcmp(u, uid) == 0)
			return true;
	}
	return false;
}

struct rev_item {
	long rev;
	size_t seq; /* the list's order among equal revisions */
	cJSON *item;
};

static int cmp_rev(const void *pa, const void *pb)
{
	const struct rev_item *a = pa, *b = pb;
	if (a->rev != b->rev)
		return a->rev < b->rev ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

char *kact_rs_list_path(const char *ns, const cJSON *d)
{
	return kact_selector_list_path(ns, "replicasets", d);
}

char *kact_selector_list_path(const char *ns, const char *resource, const cJSON *d)
{
	struct buf path = BUF_INIT;
	char *base = kact_object_path(KACT_APPS, ns, resource, NULL);
	buf_adds(&path, base);
	free(base);
	const cJSON *ml = kact_at(d, "spec", "selector", "matchLabels", NULL);
	const cJSON *kv;
	bool first = true;
	cJSON_ArrayForEach(kv, ml)
	{
		if (!cJSON_IsString(kv))
			continue;
		buf_adds(&path, first ? "?labelSelector=" : "%2C");
		first = false;
		urlpath_escape(&path, kv->string);
		buf_adds(&path, "%3D");
		urlpath_escape(&path, kv->valuestring);
	}
	return buf_steal(&path);
}

/* The ReplicaSets of list (kact_rs_list_path's) that d owns, by ascending revision. */
static void list_owned(const cJSON *list, const cJSON *d, struct owned *o)
{
	memset(o, 0, sizeof(*o));
	const char *uid = kact_str_at(d, "metadata", "uid", NULL);
	const cJSON *items = cJSON_GetObjectItemCaseSensitive(list, "items");
	size_t cap = (size_t)cJSON_GetArraySize(items) + 1;
	o->items = xcalloc(cap, sizeof(*o->items));
	o->revs = xcalloc(cap, sizeof(*o->revs));
	struct rev_item *v = xcalloc(cap, sizeof(*v));
	cJSON *rs;
	cJSON_ArrayForEach(rs, items)
	{
		long r;
		if (!uid || !kact_owned_by(rs, uid) || !rs_revision(rs, &r))
			continue;
		v[o->n] = (struct rev_item){r, o->n, rs};
		o->n++;
	}
	/* A sort, not an insertion per item: a hostile list can be long. */
	qsort(v, o->n, sizeof(*v), cmp_rev);
	for (size_t i = 0; i < o->n; i++) {
		o->revs[i] = v[i].rev;
		o->items[i] = v[i].item;
	}
	free(v);
}

static void owned_free(struct owned *o)
{
	free(o->items);
	free(o->revs);
}

/* A copy of rs's template without the pod-template-hash label: what undo sends. */
static cJSON *rs_template(const cJSON *rs)
{
	cJSON *t = cJSON_Duplicate(kact_at(rs, "spec", "template", NULL), true);
	if (!t)
		t = cJSON_CreateObject();
	cJSON_DeleteItemFromObjectCaseSensitive(kact_at(t, "metadata", "labels", NULL), HASH_LABEL);
	return t;
}

/* Null members go: kubectl compares typed objects, where a null (such as the
 * "creationTimestamp": null its own undo leaves) is the same as absent. */
static void drop_nulls(cJSON *o)
{
	cJSON *e = o ? o->child : NULL;
	while (e) {
		cJSON *next = e->next;
		if (cJSON_IsNull(e) && cJSON_IsObject(o))
			cJSON_Delete(cJSON_DetachItemViaPointer(o, e));
		else
			drop_nulls(e);
		e = next;
	}
}

/* A template as compared: no hash label, no nulls. */
cJSON *kact_comparable(const cJSON *template)
{
	cJSON *t = cJSON_Duplicate(template, true);
	if (!t)
		t = cJSON_CreateObject();
	cJSON_DeleteItemFromObjectCaseSensitive(kact_at(t, "metadata", "labels", NULL), HASH_LABEL);
	drop_nulls(t);
	return t;
}

bool kact_same_template(const cJSON *dtemplate, const cJSON *rstemplate)
{
	cJSON *a = kact_comparable(dtemplate), *b = kact_comparable(rstemplate);
	bool eq = cJSON_Compare(a, b, true);
	cJSON_Delete(a);
	cJSON_Delete(b);
	return eq;
}

/* ---- template differences ---- */

struct lines {
	char **v;
	size_t n;
};

static void value_str(struct buf *b, const cJSON *v)
{
	if (!v) {
		buf_adds(b, "(none)");
		return;
	}
	if (cJSON_IsString(v)) {
		buf_adds(b, v->valuestring);
	} else {
		char *s = cJSON_PrintUnformatted(v);
		buf_adds(b, s ? s : "?");
		cJSON_free(s);
	}
	if (b->len > VALUE_MAX) {
		b->len = VALUE_MAX - 3;
		buf_adds(b, "...");
	}
}

static void add_line(struct lines *l, const char *path, const cJSON *a, const cJSON *b)
{
	if (l->n >= DIFF_MAX)
		return;
	struct buf va = BUF_INIT, vb = BUF_INIT;
	value_str(&va, a);
	value_str(&vb, b);
	l->v = xrealloc(l->v, (l->n + 1) * sizeof(*l->v));
	l->v[l->n++] = xasprintf("%s: %s -> %s", path, va.data, vb.data);
	buf_free(&va);
	buf_free(&vb);
}

static bool named_list(const cJSON *a)
{
	const cJSON *e;
	cJSON_ArrayForEach(e, a)
	{
		if (!cJSON_IsString(kact_at(e, "name", NULL)))
			return false;
	}
	return cJSON_GetArraySize(a) > 0;
}

static const cJSON *by_name(const cJSON *list, const char *name)
{
	const cJSON *e;
	cJSON_ArrayForEach(e, list)
	{
		if (strcmp(kact_str_at(e, "name", NULL), name) == 0)
			return e;
	}
	return NULL;
}

static void diff(struct lines *l, const char *path, const cJSON *a, const cJSON *b)
{
	char *sub;
	const cJSON *e;
	/* An object on one side only: its members one by one. */
	cJSON *empty = NULL;
	if ((cJSON_IsObject(a) && !b) || (!a && cJSON_IsObject(b))) {
		empty = cJSON_CreateObject();
		if (!a)
			a = empty;
		else
			b = empty;
	}
	if (cJSON_IsObject(a) && cJSON_IsObject(b)) {
		cJSON_ArrayForEach(e, a)
		{
			sub = *path ? xasprintf("%s.%s", path, e->string) : xstrdup(e->string);
			diff(l, sub, e, cJSON_GetObjectItemCaseSensitive(b, e->string));
			free(sub);
		}
		cJSON_ArrayForEach(e, b)
		{
			if (cJSON_GetObjectItemCaseSensitive(a, e->string))
				continue;
			sub = *path ? xasprintf("%s.%s", path, e->string) : xstrdup(e->string);
			diff(l, sub, NULL, e);
			free(sub);
		}
		cJSON_Delete(empty);
		return;
	}
	if (cJSON_IsArray(a) && cJSON_IsArray(b) && named_list(a) && named_list(b)) {
		cJSON_ArrayForEach(e, a)
		{
			const char *n = kact_str_at(e, "name", NULL);
			sub = xasprintf("%s[%s]", path, n);
			const cJSON *o = by_name(b, n);
			if (o)
				diff(l, sub, e, o);
			else
				add_line(l, sub, e, NULL);
			free(sub);
		}
		cJSON_ArrayForEach(e, b)
		{
			const char *n = kact_str_at(e, "name", NULL);
			if (by_name(a, n))
				continue;
			sub = xasprintf("%s[%s]", path, n);
			add_line(l, sub, NULL, e);
			free(sub);
		}
		return;
	}
	if (!a || !b || !cJSON_Compare(a, b, true))
		add_line(l, path, a, b);
}

void kact_template_diff(const cJSON *now, const cJSON *then, char ***out, size_t *n)
{
	struct lines l = {0};
	cJSON *cur = kact_comparable(now), *old = kact_comparable(then);
	diff(&l, "", cur, old);
	cJSON_Delete(cur);
	cJSON_Delete(old);
	*out = l.v;
	*n = l.n;
}

void kact_images_of(const cJSON *template, struct kact_revision *r)
{
	const cJSON *list = kact_at(template, "spec", "containers", NULL);
	const cJSON *ct;
	cJSON_ArrayForEach(ct, list)
	{
		const char *img = kact_str_at(ct, "image", NULL);
		r->images = xrealloc(r->images, (r->n_images + 1) * sizeof(char *));
		r->images[r->n_images++] = xstrdup(img ? img : "");
	}
}

char *kact_images_joined(const cJSON *template)
{
	struct kact_revision r = {0};
	kact_images_of(template, &r);
	struct buf imgs = BUF_INIT;
	for (size_t i = 0; i < r.n_images; i++)
		buf_printf(&imgs, "%s%s", i ? ", " : "", r.images[i]);
	kact_strv_free(r.images, r.n_images);
	return buf_steal(&imgs);
}

void kact_revision_fill(struct kact_revision *r, long revision, const cJSON *owner,
			const cJSON *now, const cJSON *template)
{
	const char *name = kact_str_at(owner, "metadata", "name", NULL);
	const char *cause = kact_str_at(owner, "metadata", "annotations", KACT_CAUSE, NULL);
	r->revision = revision;
	r->replicaset = xstrdup(name ? name : "");
	r->change_cause = xstrdup(cause ? cause : "");
	kact_images_of(template, r);
	r->current = kact_same_template(now, template);
	if (!r->current)
		kact_template_diff(now, template, &r->diff, &r->n_diff);
}

void kact_history_of(cJSON *const *items, const long *nums, size_t n, const cJSON *now,
		     cJSON *(*template_of)(const cJSON *), struct kact_revision **out)
{
	struct kact_revision *revs = xcalloc(n + 1, sizeof(*revs));
	for (size_t i = 0; i < n; i++) {
		cJSON *t = template_of(items[i]);
		kact_revision_fill(&revs[i], nums[i], items[i], now, t);
		cJSON_Delete(t);
	}
	*out = revs;
}

void kact_build_history(const cJSON *d, const cJSON *rslist, struct kact_revision **out, size_t *n)
{
	struct owned o;
	list_owned(rslist, d, &o);
	kact_history_of(o.items, o.revs, o.n, kact_at(d, "spec", "template", NULL), rs_template,
			out);
	*n = o.n;
	owned_free(&o);
}

void kact_history_free(struct kact_revision *revs, size_t n)
{
	for (size_t i = 0; revs && i < n; i++) {
		free(revs[i].replicaset);
		free(revs[i].change_cause);
		kact_strv_free(revs[i].images, revs[i].n_images);
		kact_strv_free(revs[i].diff, revs[i].n_diff);
	}
	free(revs);
}

/* kubectl's choice of ReplicaSet: the second-highest revision for 0. */
static const cJSON *pick(const struct owned *o, const char *deploy, long to, long *rev,
			 struct perr *err)
{
	if (to == 0) {
		if (o->n < 2) {
			perr_set(err, PERR_USAGE, "no rollout history found for deployment \"%s\"",
				 deploy);
			return NULL;
		}
		*rev = o->revs[o->n - 2];
		return o->items[o->n - 2];
	}
	for (size_t i = 0; i < o->n; i++) {
		if (o->revs[i] == to) {
			*rev = to;
			return o->items[i];
		}
	}
	perr_set(err, PERR_USAGE, "unable to find specified revision %ld in history", to);
	return NULL;
}

static cJSON *undo_annotations(const cJSON *d, const cJSON *rs, const char *cause)
{
	cJSON *ann = cJSON_CreateObject();
	const cJSON *e;
	cJSON_ArrayForEach(e, kact_at(d, "metadata", "annotations", NULL))
	{
		if (is_skip_key(e->string))
			cJSON_AddItemToObject(ann, e->string, cJSON_Duplicate(e, true));
	}
	cJSON_ArrayForEach(e, kact_at(rs, "metadata", "annotations", NULL))
	{
		if (!is_skip_key(e->string) && strcmp(e->string, KACT_CAUSE) != 0)
			cJSON_AddItemToObject(ann, e->string, cJSON_Duplicate(e, true));
	}
	cJSON_AddStringToObject(ann, KACT_CAUSE, cause);
	return ann;
}

static cJSON *replace_op(const char *path, cJSON *value)
{
	cJSON *op = cJSON_CreateObject();
	cJSON_AddStringToObject(op, "op", "replace");
	cJSON_AddStringToObject(op, "path", path);
	cJSON_AddItemToObject(op, "value", value);
	return op;
}

int kact_build_undo(const struct kact_args *a, const cJSON *d, const cJSON *rslist,
		    struct kact_plan *out, struct perr *err)
{
	const char *ns = a->ns, *deploy = a->object;
	long to_revision = a->to_revision;
	struct owned o;
	list_owned(rslist, d, &o);
	long rev = 0;
	const cJSON *rs = pick(&o, deploy, to_revision, &rev, err);
	cJSON *t = NULL;
	int rc = -1;
	if (!rs)
		goto out;
	if (cJSON_IsTrue(kact_at(d, "spec", "paused", NULL))) {
		perr_set(err, PERR_USAGE,
			 "you cannot rollback a paused deployment; resume it first with 'kubectl "
			 "rollout resume' and try again");
		goto out;
	}
	t = rs_template(rs);
	if (kact_same_template(kact_at(d, "spec", "template", NULL), t)) {
		perr_set(err, PERR_USAGE,
			 "deployment.apps/%s skipped rollback (current template already matches "
			 "revision %ld)",
			 deploy, rev);
		goto out;
	}
	char *imgs = kact_images_joined(t);
	char *obj = xasprintf("deploy/%s", deploy);
	kact_plan_init(out, KACT_UNDO, ns, obj, "PATCH", kact_deploy_path(ns, deploy));
	free(obj);
	const char *cur = kact_str_at(d, "metadata", "annotations", REVISION, NULL);
	out->summary = xasprintf("roll back deploy/%s from revision %s to revision %ld (%s)",
				 deploy, cur ? cur : "?", rev, imgs);
	free(imgs);
	out->done_msg = xasprintf("deployment.apps/%s rolled back", deploy);
	cJSON *patch = cJSON_CreateArray();
	cJSON_AddItemToArray(patch, replace_op("/spec/template", t));
	t = NULL;
	cJSON_AddItemToArray(
	    patch, replace_op("/metadata/annotations", undo_annotations(d, rs, out->summary)));
	kact_plan_body(out, KACT_JSONPATCH, patch);
	rc = 0;
out:
	cJSON_Delete(t);
	owned_free(&o);
	return rc;
}
