#include "config.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "podscope/client.h"
#include "podscope/sanitize.h"
#include "podscope/urlpath.h"
#include "podscope/xalloc.h"

#include "actions_int.h"

const char *kact_kind_name(enum kact_kind k)
{
	switch (k) {
	case KACT_SET_IMAGE:
		return "set-image";
	case KACT_RESTART:
		return "restart";
	case KACT_UNDO:
		return "undo";
	case KACT_PAUSE:
		return "pause";
	case KACT_RESUME:
		return "resume";
	case KACT_SCALE:
		return "scale";
	case KACT_DELETE_POD:
		return "delete-pod";
	case KACT_SWITCH_SERVICE:
		return "switch-service";
	case KACT_PARTITION:
		return "partition";
	case KACT_SUSPEND:
		return "suspend";
	case KACT_UNSUSPEND:
		return "unsuspend";
	case KACT_TRIGGER:
		return "trigger";
	}
	return "?";
}

const struct kact_names *kact_target_names(enum kact_target t)
{
	static const struct kact_names names[] = {
	    [KACT_TARGET_DEPLOY] = {"deployments", "deploy", "deployment.apps", KACT_APPS},
	    [KACT_TARGET_STS] = {"statefulsets", "sts", "statefulset.apps", KACT_APPS},
	    [KACT_TARGET_DS] = {"daemonsets", "ds", "daemonset.apps", KACT_APPS},
	    [KACT_TARGET_JOB] = {"jobs", "job", "job.batch", KACT_BATCH},
	    [KACT_TARGET_CRONJOB] = {"cronjobs", "cronjob", "cronjob.batch", KACT_BATCH},
	};
	return &names[t <= KACT_TARGET_CRONJOB ? t : KACT_TARGET_DEPLOY];
}

const char *kact_target_short(enum kact_target t)
{
	return kact_target_names(t)->short_name;
}

void kact_plan_free(struct kact_plan *p)
{
	if (!p)
		return;
	free(p->ns);
	free(p->object);
	free(p->summary);
	free(p->method);
	free(p->path);
	free(p->content_type);
	free(p->body);
	free(p->done_msg);
	free(p->selects_before);
	free(p->selects_after);
	kact_strv_free(p->diff, p->n_diff);
	memset(p, 0, sizeof(*p));
}

void kact_result_free(struct kact_result *r)
{
	if (!r)
		return;
	free(r->line);
	free(r->audit_err);
	memset(r, 0, sizeof(*r));
}

void kact_strv_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void kact_plan_init(struct kact_plan *p, enum kact_kind kind, const char *ns, const char *object,
		    const char *method, char *path)
{
	memset(p, 0, sizeof(*p));
	p->kind = kind;
	p->ns = xstrdup(ns);
	p->object = xstrdup(object);
	p->method = xstrdup(method);
	p->path = path;
}

void kact_plan_body(struct kact_plan *p, const char *content_type, cJSON *body)
{
	char *s = cJSON_PrintUnformatted(body);
	if (!s)
		abort();
	p->body = xstrdup(s);
	cJSON_free(s);
	p->content_type = xstrdup(content_type);
	cJSON_Delete(body);
}

/* client-go's refusal (rest.Request's Name and Namespace) with apimachinery's reason. */
static int check_name(const char *what, const char *name, enum urlpath_rule rule, struct perr *err)
{
	char why[512];
	if (name && urlpath_name_valid(name, rule, why, sizeof(why)))
		return 0;
	struct buf b = BUF_INIT;
	if (!name || !*name) {
		perr_set(err, PERR_USAGE, "%s may not be empty",
			 strcmp(what, "namespace") == 0 ? "namespace" : "resource name");
		return -1;
	}
	/* The cluster's name, escaped and cut: the message goes to a terminal. */
	buf_addc(&b, '"');
	sanitize_add_cut(&b, name, 100);
	buf_addc(&b, '"');
	perr_set(err, PERR_USAGE, "invalid %s %s: %s", what, b.data, why);
	buf_free(&b);
	return -1;
}

int kact_check_names(const char *ns, const char *name, enum urlpath_rule rule, struct perr *err)
{
	if (check_name("namespace", ns, URLPATH_DNS1123_LABEL, err) != 0)
		return -1;
	return check_name("resource name", name, rule, err);
}

char *kact_object_path(const char *api, const char *ns, const char *resource, const char *name)
{
	struct buf b = BUF_INIT;
	buf_adds(&b, api);
	buf_adds(&b, "/namespaces/");
	urlpath_escape(&b, ns);
	buf_addc(&b, '/');
	urlpath_escape(&b, resource);
	if (name) {
		buf_addc(&b, '/');
		urlpath_escape(&b, name);
	}
	return buf_steal(&b);
}

bool kact_int_in(const cJSON *v, int64_t lo, int64_t hi, int64_t *out)
{
	if (!cJSON_IsNumber(v))
		return false;
	double x = v->valuedouble;
	/* NaN and the infinities (1e400) fail both comparisons or the first. */
	if (!(x >= (double)lo && x <= (double)hi) || x != floor(x))
		return false;
	*out = (int64_t)x;
	return true;
}

static cJSON *at_va(const cJSON *obj, va_list ap)
{
	const char *k;
	while ((k = va_arg(ap, const char *)) != NULL) {
		if (!cJSON_IsObject(obj))
			return NULL;
		obj = cJSON_GetObjectItemCaseSensitive(obj, k);
	}
	return (cJSON *)obj;
}

cJSON *kact_at(const cJSON *obj, ...)
{
	va_list ap;
	va_start(ap, obj);
	cJSON *r = at_va(obj, ap);
	va_end(ap);
	return r;
}

const char *kact_str_at(const cJSON *obj, ...)
{
	va_list ap;
	va_start(ap, obj);
	cJSON *r = at_va(obj, ap);
	va_end(ap);
	return cJSON_IsString(r) ? r->valuestring : NULL;
}

int kact_parse_answer(const char *path, const struct kresp *resp, cJSON **out, struct perr *err)
{
	*out = NULL;
	if (resp->err.kind != PERR_NONE || resp->status < 200 || resp->status >= 300) {
		if (resp->err.kind != PERR_NONE)
			perr_set(err, resp->err.kind, "%s", perr_msg(&resp->err));
		else
			perr_set(err, PERR_API, "GET %s: HTTP %ld", path, resp->status);
		if (err)
			err->http_status = resp->status;
		return -1;
	}
	*out = cJSON_ParseWithLength(resp->body, resp->body_len);
	if (!cJSON_IsObject(*out)) {
		cJSON_Delete(*out);
		*out = NULL;
		perr_set(err, PERR_API, "GET %s: the answer is not a JSON object", path);
		return -1;
	}
	return 0;
}

char *kact_deploy_path(const char *ns, const char *name)
{
	return kact_object_path(KACT_APPS, ns, "deployments", name);
}

void kact_rfc3339(time_t t, char out[32])
{
	struct tm tm;
	localtime_r(&t, &tm);
	size_t n = strftime(out, 32, "%Y-%m-%dT%H:%M:%S", &tm);
	long off = tm.tm_gmtoff;
	if (off == 0) {
		snprintf(out + n, 32 - n, "Z");
		return;
	}
	char sign = off < 0 ? '-' : '+';
	if (off < 0)
		off = -off;
	snprintf(out + n, 32 - n, "%c%02ld:%02ld", sign, off / 3600, off / 60 % 60);
}

/* What an apply needs once the answer is in: copies, since the plan may be gone. */
struct kact_req {
	struct kclient *c;
	struct kreq *req;
	enum kact_kind kind;
	char *context;
	char *object; /* ns/object */
	char *method;
	char *path;
	char *done_msg;
	kact_done_fn done;
	void *ud;
};

static struct kact_req *req_new(struct kclient *c, const struct kact_plan *p, const char *context)
{
	struct kact_req *r = xcalloc(1, sizeof(*r));
	r->c = c;
	r->kind = p->kind;
	r->context = xstrdup(context ? context : "");
	r->object = xasprintf("%s/%s", p->ns, p->object);
	r->method = xstrdup(p->method);
	r->path = xstrdup(p->path);
	r->done_msg = xstrdup(p->done_msg);
	return r;
}

static void req_free(struct kact_req *r)
{
	free(r->context);
	free(r->object);
	free(r->method);
	free(r->path);
	free(r->done_msg);
	free(r);
}

/* The result line from the answer (or the client's refusal), then the audit line. */
static void finish(const struct kact_req *r, const struct kresp *resp, const struct perr *start_err,
		   struct kact_result *res)
{
	memset(res, 0, sizeof(*res));
	if (start_err) {
		res->line = xstrdup(perr_msg(start_err));
	} else {
		res->http_status = resp->status;
		if (resp->err.kind == PERR_NONE && resp->status >= 200 && resp->status < 300) {
			res->ok = true;
			res->line = xstrdup(r->done_msg);
		} else if (resp->err.kind != PERR_NONE) {
			res->line = xstrdup(perr_msg(&resp->err));
		} else {
			res->line = kstatus_message(resp->status, resp->body, resp->body_len,
						    r->method, r->path);
		}
	}
	struct perr aerr = {0};
	if (kact_audit_append(r->context, kclient_user(r->c), kact_kind_name(r->kind), r->object,
			      res->ok ? "ok" : res->line, &aerr) != 0)
		res->audit_err = xstrdup(perr_msg(&aerr));
	perr_clear(&aerr);
}

static struct kreq_spec plan_spec(const struct kact_plan *p)
{
	struct kreq_spec spec = {
	    .method = p->method,
	    .path = p->path,
	    .content_type = p->content_type,
	    .body = p->body,
	    .body_len = p->body ? strlen(p->body) : 0,
	};
	return spec;
}

static void async_done(void *ud, struct kresp *resp)
{
	struct kact_req *r = ud;
	struct kact_result res;
	finish(r, resp, NULL, &res);
	kact_done_fn done = r->done;
	void *dud = r->ud;
	req_free(r);
	done(dud, &res);
	kact_result_free(&res);
}

struct kact_req *kact_apply_start(struct kclient *c, const struct kact_plan *p, const char *context,
				  kact_done_fn done, void *ud, struct kact_result *res)
{
	memset(res, 0, sizeof(*res));
	struct kact_req *r = req_new(c, p, context);
	r->done = done;
	r->ud = ud;
	struct kreq_spec spec = plan_spec(p);
	struct perr err = {0};
	r->req = kclient_start(c, &spec, NULL, async_done, r, &err);
	if (!r->req) {
		finish(r, NULL, &err, res);
		perr_clear(&err);
		req_free(r);
		return NULL;
	}
	return r;
}

void kact_cancel(struct kact_req *r)
{
	if (!r)
		return;
	kreq_cancel(r->req);
	req_free(r);
}
