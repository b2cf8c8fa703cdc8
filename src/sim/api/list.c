#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "podscope/buf.h"
#include "podscope/xalloc.h"

#include "list.h"
#include "selector.h"
#include "sim.h"
#include "store.h"
#include "table.h"
#include "util.h"

#define CONTINUE_VERSION "meta.k8s.io/v1"

bool simlist_bool(const char *v)
{
	return v && (strcmp(v, "true") == 0 || strcmp(v, "1") == 0 || strcmp(v, "True") == 0 ||
	             strcmp(v, "TRUE") == 0 || strcmp(v, "t") == 0 || strcmp(v, "T") == 0);
}

void simfmt_from_request(const struct simreq *r, struct simfmt *fmt)
{
	const char *accept = simreq_header(r, "Accept");
	fmt->table = accept && strstr(accept, "as=Table") && strstr(accept, "g=meta.k8s.io");
	fmt->include = SIMFMT_OBJ_METADATA;
	const char *inc = simreq_arg(r, "includeObject");
	if (inc && strcmp(inc, "None") == 0)
		fmt->include = SIMFMT_OBJ_NONE;
	else if (inc && strcmp(inc, "Object") == 0)
		fmt->include = SIMFMT_OBJ_OBJECT;
}

char *simlist_encode_continue(int64_t rv, const char *start)
{
	struct buf json = BUF_INIT, out = BUF_INIT;
	buf_printf(&json, "{\"v\":\"%s\",\"rv\":%lld,\"start\":", CONTINUE_VERSION, (long long)rv);
	/* The start key is the last key plus a NUL byte: "everything after it". */
	struct buf key = BUF_INIT;
	buf_add_json_string(&key, start);
	buf_add(&json, key.data, key.len - 1);
	buf_adds(&json, "\\u0000\"}");
	buf_free(&key);
	simutil_base64url(&out, json.data, json.len);
	buf_free(&json);
	return buf_steal(&out);
}

int simlist_decode_continue(const char *token, int64_t *rv, char **start, bool *exclusive)
{
	size_t len;
	char *raw = simutil_unbase64url(token, &len);
	if (!raw)
		return -1;
	cJSON *j = cJSON_ParseWithLength(raw, len);
	int rc = -1;
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, "v");
	const cJSON *r = cJSON_GetObjectItemCaseSensitive(j, "rv");
	const cJSON *s = cJSON_GetObjectItemCaseSensitive(j, "start");
	if (cJSON_IsString(v) && strcmp(v->valuestring, CONTINUE_VERSION) == 0 &&
	    cJSON_IsNumber(r) && r->valuedouble != 0 && cJSON_IsString(s) && *s->valuestring &&
	    s->valuestring[0] != '/' && !strstr(s->valuestring, "..")) {
		*rv = (int64_t)r->valuedouble;
		*start = xstrdup(s->valuestring);
		*exclusive = strstr(raw, "\\u0000\"") != NULL;
		rc = 0;
	}
	cJSON_Delete(j);
	free(raw);
	return rc;
}

static void bad_request(struct simreq *r, const char *msg)
{
	simreq_reply_status(r, 400, "BadRequest", msg, NULL);
}

static const char expired_msg[] =
    "The provided continue parameter is too old to display a consistent list result. You "
    "can start a new list without the continue parameter, or use the continue token in "
    "this response to retrieve the remainder of the results. Continuing with the provided "
    "token results in an inconsistent list - objects that were created, modified, or deleted "
    "between the time the first chunk was returned and now may show up in the list.";

static void reply_expired(struct simreq *r, const char *start)
{
	char *tok = simlist_encode_continue(-1, start);
	struct buf b = BUF_INIT;
	buf_adds(&b, "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{\"continue\":");
	buf_add_json_string(&b, tok);
	buf_adds(&b, "},\"status\":\"Failure\",\"message\":");
	buf_add_json_string(&b, expired_msg);
	buf_adds(&b, ",\"reason\":\"Expired\",\"code\":410}");
	free(tok);
	simreq_reply(r, 410, &b);
}

struct page {
	struct simsnap *snap;
	size_t begin, end; /* the key range of the scope (a namespace or everything) */
	size_t pos;        /* where this page starts */
	const char *prefix;
};

/* The index range of the snapshot that lies in namespace ns. */
static void scope(struct page *pg, const char *ns_prefix)
{
	pg->begin = 0;
	pg->end = pg->snap->n;
	if (!ns_prefix)
		return;
	pg->begin = simsnap_seek(pg->snap, ns_prefix, true);
	size_t plen = strlen(ns_prefix);
	size_t lo = pg->begin, hi = pg->snap->n;
	while (lo < hi) { /* the first key past the prefix */
		size_t mid = lo + (hi - lo) / 2;
		if (strncmp(pg->snap->items[mid]->key, ns_prefix, plen) <= 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	pg->end = lo;
}

static void invalid(struct simreq *r, const char *msg)
{
	char *m = xasprintf("ListOptions.meta.k8s.io \"\" is invalid: %s", msg);
	simreq_reply_status(r, 422, "Invalid", m, NULL);
	free(m);
}

/* resourceVersionMatch's rules; true when the request may go on. */
static bool check_match(struct simreq *r, const char *rvm, const char *rv_s, const char *cont)
{
	if (!rvm || !*rvm)
		return true;
	if (!rv_s || !*rv_s)
		invalid(r, "resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden "
		           "unless resourceVersion is provided");
	else if (cont && *cont)
		invalid(r, "resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden "
		           "when continue is provided");
	else if (strcmp(rvm, "Exact") == 0 && strcmp(rv_s, "0") == 0)
		invalid(r, "resourceVersionMatch: Forbidden: resourceVersionMatch \"exact\" is "
		           "forbidden for resourceVersion \"0\"");
	else if (strcmp(rvm, "Exact") != 0 && strcmp(rvm, "NotOlderThan") != 0) {
		char *m = xasprintf("resourceVersionMatch: Unsupported value: \"%s\": supported "
		                    "values: \"Exact\", \"NotOlderThan\", \"\"",
		                    rvm);
		invalid(r, m);
		free(m);
	} else
		return true;
	return false;
}

static void emit(struct simreq *r, const struct simres *res, const struct simfmt *fmt,
                 struct simobj **items, size_t n, uint64_t rv, const char *cont,
                 long long remaining)
{
	struct buf b = BUF_INIT;
	size_t total = 256;
	for (size_t i = 0; !fmt->table && i < n; i++)
		total += items[i]->ser_len + 1;
	b.data = xmalloc(total);
	b.cap = total;
	b.data[0] = '\0';
	if (fmt->table)
		buf_adds(&b, "{\"kind\":\"Table\",\"apiVersion\":\"meta.k8s.io/v1\"");
	else
		buf_printf(&b, "{\"kind\":\"%s\",\"apiVersion\":\"%s\"", res->list_kind,
		           res->api_version);
	buf_printf(&b, ",\"metadata\":{\"resourceVersion\":\"%llu\"", (unsigned long long)rv);
	if (cont) {
		buf_adds(&b, ",\"continue\":");
		buf_add_json_string(&b, cont);
	}
	if (remaining >= 0)
		buf_printf(&b, ",\"remainingItemCount\":%lld", remaining);
	buf_addc(&b, '}');
	if (fmt->table) {
		buf_adds(&b, ",\"columnDefinitions\":");
		simtable_columns(&b, res);
		buf_adds(&b, ",\"rows\":[");
		for (size_t i = 0; i < n; i++) {
			if (i)
				buf_addc(&b, ',');
			simtable_row(&b, items[i], fmt->include,
				     (time_t)(simclock_now(&r->sim->clock) / 1000));
		}
	} else {
		buf_adds(&b, ",\"items\":[");
		for (size_t i = 0; i < n; i++) {
			if (i)
				buf_addc(&b, ',');
			buf_add(&b, items[i]->ser, items[i]->ser_len);
		}
	}
	buf_adds(&b, "]}");
	simreq_reply(r, 200, &b);
}

void simlist_handle(struct simreq *r, const struct simres *res, const char *ns,
                    const struct simfmt *fmt)
{
	struct simstore *st = r->sim->store;
	char *err = NULL, *start = NULL, *ns_prefix = NULL;
	struct simsel *lsel = NULL, *fsel = NULL;
	struct simsnap *snap = NULL;
	struct simobj **out = NULL;

	if (!(lsel = simsel_parse_labels(simreq_arg(r, "labelSelector"), &err)) ||
	    !(fsel = simsel_parse_fields(res, simreq_arg(r, "fieldSelector"), &err))) {
		bad_request(r, err);
		goto done;
	}
	const char *limit_s = simreq_arg(r, "limit");
	const char *cont = simreq_arg(r, "continue");
	const char *rv_s = simreq_arg(r, "resourceVersion");
	const char *rvm = simreq_arg(r, "resourceVersionMatch");
	uint64_t list_rv = 0;
	long long limit = 0;
	if (limit_s && *limit_s) {
		char *end;
		limit = strtoll(limit_s, &end, 10);
		if (*end || limit < 0) {
			bad_request(r, "limit must be a non-negative integer");
			goto done;
		}
	}
	if (!check_match(r, rvm, rv_s, cont))
		goto done;
	if (res->namespaced && ns)
		ns_prefix = xasprintf("%s/", ns);
	else if (res->namespaced && (ns = simsel_field_equals(fsel, "metadata.namespace")))
		ns_prefix = xasprintf("%s/", ns);

	bool exclusive = true;
	if (cont && *cont) {
		int64_t crv;
		if (rv_s && *rv_s && strcmp(rv_s, "0") != 0) {
			bad_request(r, "specifying resource version is not allowed when using "
			               "continue");
			goto done;
		}
		if (simlist_decode_continue(cont, &crv, &start, &exclusive) != 0) {
			bad_request(r, "continue key is not valid: incorrect encoded start "
			               "resourceVersion (version meta.k8s.io/v1)");
			goto done;
		}
		if (crv == -1) {
			snap = simstore_snapshot(st, res);
		} else if (!(snap = simstore_find_snapshot(st, res, (uint64_t)crv))) {
			reply_expired(r, start);
			goto done;
		}
	} else {
		if (rv_s && *rv_s && strcmp(rv_s, "0") != 0) {
			char *end;
			unsigned long long want = strtoull(rv_s, &end, 10);
			if (*end) {
				simreq_reply_status(r, 400, "BadRequest",
				                    "invalid resource version", NULL);
				goto done;
			}
			if (want > simstore_rv(st)) {
				char *m =
				    xasprintf("Too large resource version: %llu, current: %llu",
				              want, (unsigned long long)simstore_rv(st));
				simreq_reply_status(
				    r, 504, "Timeout", m,
				    cJSON_Parse("{\"causes\":[{\"reason\":"
				                "\"ResourceVersionTooLarge\",\"message\":"
				                "\"Too large resource version\"}],"
				                "\"retryAfterSeconds\":1}"));
				free(m);
				goto done;
			}
			/* With a limit, or when asked, "N" means exactly N. */
			bool exact = rvm && *rvm ? strcmp(rvm, "Exact") == 0 : limit > 0;
			if (exact && !(snap = simstore_snapshot_at(st, res, want))) {
				simreq_reply_status(r, 410, "Expired",
				                    "The resourceVersion for the provided list is "
				                    "too old.",
				                    NULL);
				goto done;
			}
			if (exact)
				list_rv = want;
		}
		if (!snap)
			snap = simstore_snapshot(st, res);
	}

	struct page pg = {.snap = snap};
	scope(&pg, ns_prefix);
	pg.pos = pg.begin;
	if (start) {
		char *full = xasprintf("%s%s", ns_prefix ? ns_prefix : "", start);
		size_t at = simsnap_seek(snap, full, !exclusive);
		free(full);
		if (at > pg.pos)
			pg.pos = at;
	}
	const char *want_name = simsel_field_equals(fsel, "metadata.name");
	size_t cap = limit > 0 && (size_t)limit < pg.end - pg.pos ? (size_t)limit : pg.end - pg.pos;
	out = xmalloc((cap + 1) * sizeof(*out));
	size_t n = 0, i;
	for (i = pg.pos; i < pg.end && (limit == 0 || n < (size_t)limit); i++) {
		struct simobj *o = snap->items[i];
		if (want_name && strcmp(o->name, want_name) != 0)
			continue;
		if (!simsel_match_fields(fsel, o->json) ||
		    !simsel_match_labels(lsel, simobj_labels(o)))
			continue;
		out[n++] = o;
	}
	char *next = NULL;
	long long remaining = -1;
	if (limit > 0 && i < pg.end) {
		const char *last = snap->items[i - 1]->key;
		next = simlist_encode_continue((int64_t)snap->rv,
		                               last + (ns_prefix ? strlen(ns_prefix) : 0));
		simstore_keep_snapshot(st, snap);
		if (simsel_empty(lsel) && simsel_empty(fsel))
			remaining = (long long)(pg.end - i);
	}
	emit(r, res, fmt, out, n, list_rv ? list_rv : snap->rv, next, remaining);
	free(next);
done:
	free(out);
	simsnap_unref(snap);
	free(err);
	free(start);
	free(ns_prefix);
	simsel_free(lsel);
	simsel_free(fsel);
}
