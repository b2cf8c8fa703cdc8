#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "podscope/client.h"
#include "podscope/store.h"
#include "podscope/xalloc.h"

#include "actions_int.h"

/* ---- scale input ---- */

int kact_scale_parse(const char *input, int32_t current, int32_t *out, const char **why)
{
	const char *s = input ? input : "";
	while (*s == ' ' || *s == '\t')
		s++;
	size_t len = strlen(s);
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	if (len == 0) {
		*why = "type a number of replicas";
		return -1;
	}
	int sign = 0;
	if (*s == '+' || *s == '-') {
		sign = *s == '+' ? 1 : -1;
		s++;
		len--;
	}
	if (len == 0) {
		*why = "a number must follow + or -";
		return -1;
	}
	long long v = 0;
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '.' || s[i] == ',') {
			*why = "not a whole number";
			return -1;
		}
		if (s[i] < '0' || s[i] > '9') {
			*why = "not a number (a whole number from 0, or +N / -N)";
			return -1;
		}
		v = v * 10 + (s[i] - '0');
		if (v > INT32_MAX) {
			*why = "too large (at most 2147483647)";
			return -1;
		}
	}
	long long want = sign ? (long long)current + sign * v : v;
	if (want < 0) {
		*why = "the number of replicas cannot go below 0";
		return -1;
	}
	if (want > INT32_MAX) {
		*why = "too large (at most 2147483647)";
		return -1;
	}
	*out = (int32_t)want;
	return 0;
}

/* ---- image tags the cluster has run ---- */

/* The length of the repository part: before "@" or before the ":" of the last path part. */
static size_t repo_len(const char *img)
{
	const char *at = strchr(img, '@');
	size_t n = at ? (size_t)(at - img) : strlen(img);
	const char *slash = NULL;
	for (size_t i = 0; i < n; i++)
		if (img[i] == '/')
			slash = img + i;
	const char *from = slash ? slash : img;
	const char *colon = memchr(from, ':', n - (size_t)(from - img));
	return colon ? (size_t)(colon - img) : n;
}

struct tagset {
	char **v;
	size_t n;
	const char *image;
	size_t rlen;
};

static void tag_add(struct tagset *t, const char *img)
{
	if (!img || !*img || strcmp(img, t->image) == 0)
		return;
	if (repo_len(img) != t->rlen || strncmp(img, t->image, t->rlen) != 0)
		return;
	for (size_t i = 0; i < t->n; i++)
		if (strcmp(t->v[i], img) == 0)
			return;
	t->v = xrealloc(t->v, (t->n + 1) * sizeof(char *));
	t->v[t->n++] = xstrdup(img);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

size_t kact_image_tags(const struct store *s, const char *ns, const char *image, char ***out)
{
	struct tagset t = {.image = image ? image : ""};
	t.rlen = repo_len(t.image);
	struct store_iter it;
	const void *o;
	store_iter_all(&it, s, STORE_REPLICASETS, ns);
	while ((o = store_iter_next(&it)) != NULL) {
		const struct replicaset *rs = o;
		for (size_t i = 0; i < rs->n_images; i++)
			tag_add(&t, rs->images[i]);
		for (size_t i = 0; i < rs->n_init_images; i++)
			tag_add(&t, rs->init_images[i]);
	}
	store_iter_all(&it, s, STORE_PODS, ns);
	while ((o = store_iter_next(&it)) != NULL) {
		const struct pod *p = o;
		for (size_t i = 0; i < p->n_specs; i++)
			tag_add(&t, p->specs[i].image);
		for (size_t i = 0; i < p->n_init_specs; i++)
			tag_add(&t, p->init_specs[i].image);
	}
	if (t.n > 1)
		qsort(t.v, t.n, sizeof(char *), cmp_str);
	*out = t.v;
	return t.n;
}

/* ---- blue-green: a Service's selector ---- */

static bool selects(const cJSON *selector, const cJSON *labels)
{
	if (cJSON_GetArraySize(selector) == 0)
		return false;
	const cJSON *kv;
	cJSON_ArrayForEach(kv, selector)
	{
		const char *v = kact_str_at(labels, kv->string, NULL);
		if (!cJSON_IsString(kv) || !v || strcmp(v, kv->valuestring) != 0)
			return false;
	}
	return true;
}

/* The Deployments of list whose template labels selector matches, comma-separated. */
static char *selected(const cJSON *list, const cJSON *selector)
{
	struct buf b = BUF_INIT;
	const cJSON *d;
	cJSON_ArrayForEach(d, cJSON_GetObjectItemCaseSensitive(list, "items"))
	{
		if (!selects(selector, kact_at(d, "spec", "template", "metadata", "labels", NULL)))
			continue;
		const char *n = kact_str_at(d, "metadata", "name", NULL);
		buf_printf(&b, "%s%s", b.len ? "," : "", n ? n : "?");
	}
	return buf_steal(&b);
}

int kact_build_switch(const struct kact_args *a, const cJSON *s, const cJSON *d, const cJSON *list,
		      struct kact_plan *out, struct perr *err)
{
	const char *ns = a->ns, *svc = a->object, *deploy = a->deploy;
	const cJSON *want = kact_at(d, "spec", "selector", "matchLabels", NULL);
	if (cJSON_GetArraySize(want) == 0) {
		perr_set(err, PERR_USAGE, "deploy/%s has no matchLabels to select its pods by",
			 deploy);
		return -1;
	}
	const cJSON *have = kact_at(s, "spec", "selector", NULL);
	cJSON *sel = cJSON_CreateObject();
	const cJSON *kv;
	cJSON_ArrayForEach(kv, have)
	{
		if (!cJSON_GetObjectItemCaseSensitive(want, kv->string))
			cJSON_AddNullToObject(sel, kv->string);
	}
	cJSON_ArrayForEach(kv, want)
	{
		const cJSON *o = cJSON_GetObjectItemCaseSensitive(have, kv->string);
		if (!o || !cJSON_Compare(o, kv, true))
			cJSON_AddItemToObject(sel, kv->string, cJSON_Duplicate(kv, true));
	}
	if (cJSON_GetArraySize(sel) == 0) {
		cJSON_Delete(sel);
		perr_set(err, PERR_USAGE, "svc/%s already selects the pods of deploy/%s", svc,
			 deploy);
		return -1;
	}
	char *obj = xasprintf("svc/%s", svc);
	kact_plan_init(out, KACT_SWITCH_SERVICE, ns, obj, "PATCH",
		       kact_object_path(KACT_CORE, ns, "services", svc));
	free(obj);
	out->selects_before = selected(list, have);
	out->selects_after = selected(list, want);
	out->summary = xasprintf("switch svc/%s from %s to %s", svc,
				 *out->selects_before ? out->selects_before : "no deployment",
				 *out->selects_after ? out->selects_after : "no deployment");
	out->done_msg = xasprintf("service/%s patched", svc);
	cJSON *patch = cJSON_CreateObject();
	cJSON_AddItemToObject(cJSON_AddObjectToObject(patch, "spec"), "selector", sel);
	kact_plan_body(out, KACT_SMP, patch);
	return 0;
}

/* ---- may this user patch deployments? ---- */

/* The review's request; *body is the caller's to free (cJSON_free). */
static struct kreq_spec access_request(const char *ns, char **body)
{
	cJSON *req = cJSON_CreateObject();
	cJSON_AddStringToObject(req, "kind", "SelfSubjectAccessReview");
	cJSON_AddStringToObject(req, "apiVersion", "authorization.k8s.io/v1");
	cJSON *ra =
	    cJSON_AddObjectToObject(cJSON_AddObjectToObject(req, "spec"), "resourceAttributes");
	cJSON_AddStringToObject(ra, "namespace", ns);
	cJSON_AddStringToObject(ra, "verb", "patch");
	cJSON_AddStringToObject(ra, "group", "apps");
	cJSON_AddStringToObject(ra, "resource", "deployments");
	*body = cJSON_PrintUnformatted(req);
	cJSON_Delete(req);
	return (struct kreq_spec){
	    .method = "POST",
	    .path = "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
	    .content_type = "application/json",
	    .body = *body,
	    .body_len = *body ? strlen(*body) : 0,
	};
}

/* The review's answer in resp: what actions_access_fn gets. */
static int access_answer(struct kclient *c, const char *ns, const struct kresp *resp,
			 bool *allowed, char **reason, struct perr *err)
{
	*allowed = false;
	*reason = NULL;
	if (resp->err.kind != PERR_NONE || resp->status < 200 || resp->status >= 300) {
		if (resp->err.kind != PERR_NONE)
			perr_set(err, resp->err.kind, "access review: %s", perr_msg(&resp->err));
		else
			perr_set(err, PERR_API, "access review: HTTP %ld", resp->status);
		return -1;
	}
	cJSON *r = cJSON_ParseWithLength(resp->body, resp->body_len);
	const cJSON *st = kact_at(r, "status", NULL);
	if (!cJSON_IsObject(st)) {
		cJSON_Delete(r);
		perr_set(err, PERR_API, "access review: the answer has no status");
		return -1;
	}
	*allowed = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(st, "allowed"));
	const char *why = kact_str_at(st, "reason", NULL);
	const char *user = kclient_user(c);
	if (why && *why)
		*reason = xasprintf("%s", why);
	else
		*reason = xasprintf("user \"%s\" %s patch deployments.apps in namespace \"%s\"",
				    *user ? user : "(unknown)", *allowed ? "may" : "may not", ns);
	cJSON_Delete(r);
	return 0;
}

static void on_access_done(void *ud, struct kresp *resp)
{
	struct actions_access *a = ud;
	bool allowed;
	char *reason;
	struct perr err = {0};
	a->req = NULL;
	int rc = access_answer(a->client, a->ns, resp, &allowed, &reason, &err);
	a->fn(a->ud, rc, allowed, reason, &err);
	free(reason);
	perr_clear(&err);
}

int actions_access_start(struct actions_access *a, struct kclient *c, const char *ns,
			 actions_access_fn fn, void *ud, struct perr *err)
{
	actions_access_cancel(a);
	*a = (struct actions_access){.client = c, .fn = fn, .ud = ud};
	snprintf(a->ns, sizeof(a->ns), "%s", ns);
	char *body;
	struct kreq_spec spec = access_request(a->ns, &body);
	a->req = kclient_start(c, &spec, NULL, on_access_done, a, err);
	cJSON_free(body);
	return a->req ? 0 : -1;
}

void actions_access_cancel(struct actions_access *a)
{
	if (a->req)
		kreq_cancel(a->req);
	a->req = NULL;
}
