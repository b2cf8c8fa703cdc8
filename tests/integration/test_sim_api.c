#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>
#include <cjson/cJSON.h>

#include "app.h"
#include "auth.h"
#include "evloop.h"
#include "list.h"
#include "resources.h"
#include "simhttp.h"
#include "store.h"
#include "testutil.h"
#include "util.h"
#include "watch.h"

static const struct simres *pods;

static void setup(void)
{
	th_start(0, 0);
	pods = simres_find("", "v1", "pods");
}

static void setup_small_window(void)
{
	th_start(4, 1);
	pods = simres_find("", "v1", "pods");
}

static void mkpod(const char *ns, const char *name, const char *labels)
{
	char buf[512];
	snprintf(buf, sizeof(buf),
	         "{\"metadata\":{\"name\":\"%s\",\"namespace\":\"%s\",\"labels\":%s},"
	         "\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"nginx\"}]}}",
	         name, ns, labels ? labels : "{}");
	ck_assert_int_eq(simstore_create(th_sim.store, pods, cJSON_Parse(buf), NULL), SIMSTORE_OK);
}

static void relabel(const char *ns, const char *name, const char *labels)
{
	cJSON *c = simobj_copy(simstore_get(th_sim.store, pods, ns, name));
	cJSON_ReplaceItemInObject(cJSON_GetObjectItem(c, "metadata"), "labels",
	                          cJSON_Parse(labels));
	ck_assert_int_eq(simstore_update(th_sim.store, pods, c, 0, NULL), SIMSTORE_OK);
}

static cJSON *json_of(struct th_req *r)
{
	cJSON *j = cJSON_Parse(r->body.data ? r->body.data : "");
	ck_assert_msg(j != NULL, "not JSON: %s", r->body.data ? r->body.data : "(empty)");
	return j;
}

static const char *jstr(const cJSON *j, const char *path)
{
	char *copy = strdup(path), *save;
	const cJSON *cur = j;
	for (char *t = strtok_r(copy, ".", &save); t && cur; t = strtok_r(NULL, ".", &save))
		cur = cJSON_GetObjectItemCaseSensitive(cur, t);
	free(copy);
	return cJSON_IsString(cur) ? cur->valuestring : NULL;
}

START_TEST(test_discovery)
{
	struct th_req *r = th_get("/version");
	ck_assert_int_eq(r->status, 200);
	ck_assert_ptr_nonnull(strstr(r->body.data, "\"gitVersion\":\"v1.32"));
	th_free(r);

	r = th_get("/api");
	cJSON *j = json_of(r);
	ck_assert_str_eq(jstr(j, "kind"), "APIVersions");
	ck_assert_str_eq(cJSON_GetArrayItem(cJSON_GetObjectItem(j, "versions"), 0)->valuestring,
	                 "v1");
	cJSON_Delete(j);
	th_free(r);

	r = th_get("/apis");
	ck_assert_ptr_nonnull(strstr(r->body.data, "\"groupVersion\":\"apps/v1\""));
	ck_assert_ptr_nonnull(strstr(r->body.data, "\"groupVersion\":\"authorization.k8s.io/v1\""));
	th_free(r);

	r = th_get("/api/v1");
	j = json_of(r);
	ck_assert_str_eq(jstr(j, "kind"), "APIResourceList");
	bool found = false;
	const cJSON *res;
	cJSON_ArrayForEach(res, cJSON_GetObjectItem(j, "resources"))
	{
		if (strcmp(jstr(res, "name"), "pods") != 0)
			continue;
		found = true;
		ck_assert(cJSON_IsTrue(cJSON_GetObjectItem(res, "namespaced")));
		ck_assert_str_eq(jstr(res, "kind"), "Pod");
		ck_assert_str_eq(
		    cJSON_GetArrayItem(cJSON_GetObjectItem(res, "shortNames"), 0)->valuestring,
		    "po");
		char *verbs = cJSON_PrintUnformatted(cJSON_GetObjectItem(res, "verbs"));
		ck_assert_ptr_nonnull(strstr(verbs, "\"watch\""));
		free(verbs);
	}
	ck_assert(found);
	cJSON_Delete(j);
	th_free(r);

	r = th_get("/apis/apps/v1");
	ck_assert_ptr_nonnull(strstr(r->body.data, "\"name\":\"deployments/scale\""));
	th_free(r);
	r = th_get("/openapi/v2");
	ck_assert_int_eq(r->status, 404);
	th_free(r);
	r = th_get("/apis/nonexistent.io/v1");
	ck_assert_int_eq(r->status, 404);
	th_free(r);
}
END_TEST

START_TEST(test_get_and_not_found)
{
	mkpod("a", "p1", NULL);
	struct th_req *r = th_get("/api/v1/namespaces/a/pods/p1");
	ck_assert_int_eq(r->status, 200);
	cJSON *j = json_of(r);
	ck_assert_str_eq(jstr(j, "metadata.name"), "p1");
	ck_assert_str_eq(jstr(j, "kind"), "Pod");
	cJSON_Delete(j);
	th_free(r);

	r = th_get("/api/v1/namespaces/a/pods/nope");
	ck_assert_int_eq(r->status, 404);
	ck_assert_str_eq(r->body.data,
	                 "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":"
	                 "\"Failure\",\"message\":\"pods \\\"nope\\\" not found\",\"reason\":"
	                 "\"NotFound\",\"details\":{\"name\":\"nope\",\"kind\":\"pods\"},"
	                 "\"code\":404}");
	th_free(r);
	r = th_get("/apis/apps/v1/namespaces/a/deployments/web");
	ck_assert_int_eq(r->status, 404);
	ck_assert_ptr_nonnull(strstr(r->body.data, "deployments.apps \\\"web\\\" not found"));
	th_free(r);
	r = th_get("/api/v1/namespaces/a/widgets");
	ck_assert_int_eq(r->status, 404);
	ck_assert_ptr_nonnull(strstr(r->body.data, "\"reason\":\"NotFound\""));
	th_free(r);
	r = th_get("/api/v1/namespaces/a/pods/p1/bogus");
	ck_assert_int_eq(r->status, 404);
	th_free(r);
	/* A method a path does not serve: 405 with a Status. */
	r = th_do("POST", "/api/v1/namespaces/a/pods/p1", NULL, "{}", NULL);
	ck_assert_int_eq(r->status, 405);
	ck_assert_ptr_nonnull(strstr(r->body.data, "\"reason\":\"MethodNotAllowed\""));
	th_free(r);
}
END_TEST

/* Collect the names of a list's items into out (comma-joined); returns the continue token. */
static char *page(const char *path, struct buf *out, char *rv, long long *remaining)
{
	struct th_req *r = th_get(path);
	ck_assert_int_eq(r->status, 200);
	cJSON *j = json_of(r);
	ck_assert_str_eq(jstr(j, "kind"), "PodList");
	const cJSON *it;
	cJSON_ArrayForEach(it, cJSON_GetObjectItem(j, "items"))
	{
		buf_printf(out, "%s%s/%s", out->len ? "," : "", jstr(it, "metadata.namespace"),
		           jstr(it, "metadata.name"));
	}
	if (rv)
		snprintf(rv, 32, "%s", jstr(j, "metadata.resourceVersion"));
	const cJSON *rem =
	    cJSON_GetObjectItem(cJSON_GetObjectItem(j, "metadata"), "remainingItemCount");
	if (remaining)
		*remaining = cJSON_IsNumber(rem) ? (long long)rem->valuedouble : -1;
	const char *c = jstr(j, "metadata.continue");
	char *tok = c && *c ? strdup(c) : NULL;
	cJSON_Delete(j);
	th_free(r);
	return tok;
}

START_TEST(test_list_paging_is_consistent)
{
	char name[16];
	for (int i = 0; i < 25; i++) {
		snprintf(name, sizeof(name), "p%02d", i);
		mkpod("a", name, NULL);
	}
	mkpod("b", "x", NULL);
	mkpod("a-b", "y", NULL);

	struct buf names = BUF_INIT;
	char rv1[32], rv2[32], rv3[32], path[1024];
	long long rem;
	char *tok = page("/api/v1/namespaces/a/pods?limit=10", &names, rv1, &rem);
	ck_assert_ptr_nonnull(tok);
	ck_assert_int_eq(rem, 15);
	/* Changes after the first page do not show in the next ones. */
	mkpod("a", "p05x", NULL);
	ck_assert_int_eq(simstore_delete(th_sim.store, pods, "a", "p20", 0, NULL), SIMSTORE_OK);
	snprintf(path, sizeof(path), "/api/v1/namespaces/a/pods?limit=10&continue=%s", tok);
	free(tok);
	tok = page(path, &names, rv2, NULL);
	ck_assert_ptr_nonnull(tok);
	snprintf(path, sizeof(path), "/api/v1/namespaces/a/pods?limit=10&continue=%s", tok);
	free(tok);
	tok = page(path, &names, rv3, &rem);
	ck_assert_ptr_null(tok);
	ck_assert_int_eq(rem, -1);
	ck_assert_str_eq(rv1, rv2);
	ck_assert_str_eq(rv1, rv3);
	struct buf want = BUF_INIT;
	for (int i = 0; i < 25; i++)
		buf_printf(&want, "%sa/p%02d", i ? "," : "", i);
	ck_assert_str_eq(names.data, want.data);

	/* All namespaces, in key order ("a-b/" before "a/"). */
	buf_reset(&names);
	tok = page("/api/v1/pods?limit=2", &names, NULL, NULL);
	ck_assert_str_eq(names.data, "a-b/y,a/p00");
	free(tok);
	/* An unpaged list sees the changes. */
	buf_reset(&names);
	tok = page("/api/v1/namespaces/a/pods", &names, NULL, NULL);
	ck_assert_ptr_null(tok);
	ck_assert_ptr_nonnull(strstr(names.data, "a/p05x"));
	ck_assert_ptr_null(strstr(names.data, "a/p20"));
	buf_free(&names);
	buf_free(&want);
}
END_TEST

START_TEST(test_list_continue_errors)
{
	mkpod("a", "p1", NULL);
	char *tok = simlist_encode_continue(999999, "p1");
	char path[512];
	snprintf(path, sizeof(path), "/api/v1/namespaces/a/pods?limit=1&continue=%s", tok);
	free(tok);
	struct th_req *r = th_get(path);
	ck_assert_int_eq(r->status, 410);
	cJSON *j = json_of(r);
	ck_assert_str_eq(jstr(j, "reason"), "Expired");
	ck_assert_ptr_nonnull(jstr(j, "metadata.continue"));
	ck_assert(strncmp(jstr(j, "message"), "The provided continue parameter is too old", 42) ==
	          0);
	/* The new token lists the rest, inconsistently (rv -1). */
	snprintf(path, sizeof(path), "/api/v1/namespaces/a/pods?limit=1&continue=%s",
	         jstr(j, "metadata.continue"));
	cJSON_Delete(j);
	th_free(r);
	r = th_get(path);
	ck_assert_int_eq(r->status, 200);
	th_free(r);

	r = th_get("/api/v1/namespaces/a/pods?limit=1&continue=garbage");
	ck_assert_int_eq(r->status, 400);
	th_free(r);
	/* "Exact" lists: at an RV the store still has, or 410. */
	char rvpath[128];
	unsigned long long then = (unsigned long long)simstore_rv(th_sim.store);
	snprintf(rvpath, sizeof(rvpath), "/api/v1/namespaces/a/pods?limit=5&resourceVersion=%llu",
	         then);
	r = th_get(rvpath);
	ck_assert_int_eq(r->status, 200);
	char want[64];
	snprintf(want, sizeof(want), "\"resourceVersion\":\"%llu\"", then);
	ck_assert_ptr_nonnull(strstr(r->body.data, want));
	th_free(r);
	mkpod("a", "p2", NULL);
	r = th_get(rvpath);
	ck_assert_int_eq(r->status, 410);
	ck_assert_ptr_nonnull(
	    strstr(r->body.data, "The resourceVersion for the provided list is too old."));
	th_free(r);
	snprintf(rvpath, sizeof(rvpath), "/api/v1/namespaces/a/pods?resourceVersion=%llu", then);
	r = th_get(rvpath); /* no limit: "not older than", served */
	ck_assert_int_eq(r->status, 200);
	th_free(r);
	r = th_get("/api/v1/pods?resourceVersionMatch=Exact");
	ck_assert_int_eq(r->status, 422);
	ck_assert_ptr_nonnull(strstr(
	    r->body.data, "resourceVersionMatch is forbidden unless resourceVersion is provided"));
	th_free(r);
	r = th_get("/api/v1/pods?resourceVersionMatch=Exact&resourceVersion=0");
	ck_assert_int_eq(r->status, 422);
	th_free(r);
	r = th_get("/api/v1/pods?resourceVersionMatch=Newest&resourceVersion=1");
	ck_assert_int_eq(r->status, 422);
	th_free(r);

	r = th_get("/api/v1/pods?resourceVersion=99999999");
	ck_assert_int_eq(r->status, 504);
	ck_assert_ptr_nonnull(strstr(r->body.data, "ResourceVersionTooLarge"));
	th_free(r);
}
END_TEST

START_TEST(test_list_selectors)
{
	mkpod("a", "web1", "{\"app\":\"web\",\"tier\":\"front\"}");
	mkpod("a", "web2", "{\"app\":\"web\",\"tier\":\"back\"}");
	mkpod("a", "db1", "{\"app\":\"db\"}");
	mkpod("b", "web3", "{\"app\":\"web\"}");
	struct buf names = BUF_INIT;
	free(page("/api/v1/pods?labelSelector=app%3Dweb%2Ctier!%3Dback", &names, NULL, NULL));
	ck_assert_str_eq(names.data, "a/web1,b/web3");
	buf_reset(&names);
	free(page("/api/v1/pods?labelSelector=app%20in%20(db%2Cweb)%2C!tier", &names, NULL, NULL));
	ck_assert_str_eq(names.data, "a/db1,b/web3");
	buf_reset(&names);
	free(page("/api/v1/pods?labelSelector=tier", &names, NULL, NULL));
	ck_assert_str_eq(names.data, "a/web1,a/web2");
	buf_reset(&names);
	free(page("/api/v1/pods?fieldSelector=metadata.name%3Dweb3", &names, NULL, NULL));
	ck_assert_str_eq(names.data, "b/web3");
	buf_reset(&names);
	free(page("/api/v1/pods?fieldSelector=metadata.namespace%3Da,metadata.name!%3Ddb1", &names,
	          NULL, NULL));
	ck_assert_str_eq(names.data, "a/web1,a/web2");
	buf_reset(&names);
	/* With a selector, a short page may still say "more". */
	long long rem;
	char *tok = page("/api/v1/pods?labelSelector=app%3Dweb&limit=1", &names, NULL, &rem);
	ck_assert_ptr_nonnull(tok);
	ck_assert_int_eq(rem, -1); /* no remainingItemCount with a selector */
	free(tok);
	buf_free(&names);

	struct th_req *r = th_get("/api/v1/pods?labelSelector=app%20in%20web");
	ck_assert_int_eq(r->status, 400);
	ck_assert_ptr_nonnull(strstr(r->body.data, "unable to parse requirement"));
	th_free(r);
	r = th_get("/api/v1/pods?fieldSelector=spec.foo%3D1");
	ck_assert_int_eq(r->status, 400);
	ck_assert_ptr_nonnull(strstr(r->body.data, "field label not supported: spec.foo"));
	th_free(r);
}
END_TEST

START_TEST(test_table_format)
{
	mkpod("a", "p1", NULL);
	struct th_req *r =
	    th_do("GET", "/api/v1/namespaces/a/pods",
	          "application/json;as=Table;v=v1;g=meta.k8s.io,application/json", NULL, NULL);
	ck_assert_int_eq(r->status, 200);
	cJSON *j = json_of(r);
	ck_assert_str_eq(jstr(j, "kind"), "Table");
	ck_assert_str_eq(jstr(j, "apiVersion"), "meta.k8s.io/v1");
	const char *want[] = {"Name", "Ready", "Status", "Restarts", "Age", "IP"};
	const cJSON *defs = cJSON_GetObjectItem(j, "columnDefinitions");
	for (int i = 0; i < 6; i++)
		ck_assert_str_eq(jstr(cJSON_GetArrayItem(defs, i), "name"), want[i]);
	const cJSON *row = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "rows"), 0);
	const cJSON *cells = cJSON_GetObjectItem(row, "cells");
	ck_assert_str_eq(cJSON_GetArrayItem(cells, 0)->valuestring, "p1");
	ck_assert_str_eq(cJSON_GetArrayItem(cells, 1)->valuestring, "0/1");
	ck_assert_str_eq(jstr(row, "object.kind"), "PartialObjectMetadata");
	ck_assert_str_eq(jstr(row, "object.metadata.name"), "p1");
	cJSON_Delete(j);
	th_free(r);
}
END_TEST

/* The lines of a watch body, parsed; every line must be one JSON object. */
static cJSON *events_of(struct th_req *r)
{
	cJSON *arr = cJSON_CreateArray();
	const char *p = r->body.data ? r->body.data : "";
	const char *nl;
	while ((nl = strchr(p, '\n'))) {
		cJSON *e = cJSON_ParseWithLength(p, (size_t)(nl - p));
		ck_assert_msg(e != NULL, "bad line: %.*s", (int)(nl - p), p);
		cJSON_AddItemToArray(arr, e);
		p = nl + 1;
	}
	ck_assert_msg(*p == '\0', "a partial line at the end: %s", p);
	return arr;
}

static void expect_event(const cJSON *events, int i, const char *type, const char *name)
{
	const cJSON *e = cJSON_GetArrayItem(events, i);
	ck_assert_msg(e != NULL, "no event %d", i);
	ck_assert_str_eq(jstr(e, "type"), type);
	if (name)
		ck_assert_str_eq(jstr(e, "object.metadata.name"), name);
}

START_TEST(test_watch_stream)
{
	mkpod("a", "old1", NULL);
	mkpod("a", "old2", NULL);
	mkpod("b", "elsewhere", NULL);
	struct th_req *w =
	    th_begin("GET", "/api/v1/namespaces/a/pods?watch=true", NULL, NULL, NULL);
	ck_assert(th_wait(w, "old2", 5000));
	ck_assert_int_eq(watchset_count(th_sim.watches), 1);
	mkpod("a", "new", NULL);
	ck_assert(th_wait(w, "\"new\"", 5000));
	relabel("a", "new", "{\"x\":\"y\"}");
	ck_assert(th_wait(w, "MODIFIED", 5000));
	mkpod("b", "ignored", NULL);
	ck_assert_int_eq(simstore_delete(th_sim.store, pods, "a", "new", 0, NULL), SIMSTORE_OK);
	ck_assert(th_wait(w, "DELETED", 5000));
	cJSON *ev = events_of(w);
	ck_assert_int_eq(cJSON_GetArraySize(ev), 5);
	expect_event(ev, 0, "ADDED", "old1");
	expect_event(ev, 1, "ADDED", "old2");
	expect_event(ev, 2, "ADDED", "new");
	expect_event(ev, 3, "MODIFIED", "new");
	expect_event(ev, 4, "DELETED", "new");
	/* The DELETED object carries the deletion's RV, the store's current one. */
	char rv[32];
	snprintf(rv, sizeof(rv), "%llu", (unsigned long long)simstore_rv(th_sim.store) - 0);
	ck_assert_str_eq(jstr(cJSON_GetArrayItem(ev, 4), "object.metadata.resourceVersion"), rv);
	cJSON_Delete(ev);
	th_free(w);
	/* The server notices at once that the client has gone. */
	long long end = th_ms() + 5000;
	while (watchset_count(th_sim.watches) && th_ms() < end)
		th_pump(10);
	ck_assert_int_eq(watchset_count(th_sim.watches), 0);
}
END_TEST

START_TEST(test_stop_with_open_watch)
{
	mkpod("a", "p", NULL);
	struct th_req *w = th_begin("GET", "/api/v1/pods?watch=1", NULL, NULL, NULL);
	ck_assert(th_wait(w, "ADDED", 5000));
	struct th_req *idle =
	    th_begin("GET", "/api/v1/namespaces/none/pods?watch=1", NULL, NULL, NULL);
	long long end = th_ms() + 5000;
	while (watchset_count(th_sim.watches) < 2 && th_ms() < end)
		th_pump(10);
	ck_assert_int_eq(watchset_count(th_sim.watches), 2);
	/* Stopping ends both streams cleanly (valgrind and ASan check the rest). */
	simapp_stop(&th_sim);
	ck_assert(th_wait(w, NULL, 5000));
	ck_assert(th_wait(idle, NULL, 5000));
	ck_assert_int_eq(w->status, 200);
	th_free(w);
	th_free(idle);
}
END_TEST

START_TEST(test_watch_from_rv_and_selector)
{
	mkpod("a", "before", "{\"app\":\"web\"}");
	char path[256];
	snprintf(path, sizeof(path),
	         "/api/v1/namespaces/a/pods?watch=1&resourceVersion=%llu&labelSelector=app%%3Dweb",
	         (unsigned long long)simstore_rv(th_sim.store));
	struct th_req *w = th_begin("GET", path, NULL, NULL, NULL);
	th_pump(20);
	mkpod("a", "db", "{\"app\":\"db\"}");
	mkpod("a", "web", "{\"app\":\"web\"}");
	relabel("a", "db", "{\"app\":\"web\"}"); /* enters the selection: ADDED */
	relabel("a", "web", "{\"app\":\"db\"}"); /* leaves it: DELETED */
	ck_assert(th_wait(w, "DELETED", 5000));
	cJSON *ev = events_of(w);
	ck_assert_int_eq(cJSON_GetArraySize(ev), 3);
	expect_event(ev, 0, "ADDED", "web");
	expect_event(ev, 1, "ADDED", "db");
	expect_event(ev, 2, "DELETED", "web");
	/* It left with its old labels, at the event's RV. */
	ck_assert_str_eq(jstr(cJSON_GetArrayItem(ev, 2), "object.metadata.labels.app"), "web");
	cJSON_Delete(ev);
	th_free(w);
}
END_TEST

START_TEST(test_watch_too_old)
{
	uint64_t start = simstore_rv(th_sim.store);
	char name[16];
	for (int i = 0; i < 10; i++) {
		snprintf(name, sizeof(name), "p%d", i);
		mkpod("a", name, NULL);
	}
	char path[256];
	snprintf(path, sizeof(path), "/api/v1/pods?watch=1&resourceVersion=%llu",
	         (unsigned long long)start);
	struct th_req *w = th_begin("GET", path, NULL, NULL, NULL);
	ck_assert(th_wait(w, NULL, 5000)); /* the stream ends by itself */
	ck_assert_int_eq(w->status, 200);
	cJSON *ev = events_of(w);
	ck_assert_int_eq(cJSON_GetArraySize(ev), 1);
	const cJSON *e = cJSON_GetArrayItem(ev, 0);
	ck_assert_str_eq(jstr(e, "type"), "ERROR");
	ck_assert_str_eq(jstr(e, "object.kind"), "Status");
	ck_assert_str_eq(jstr(e, "object.reason"), "Expired");
	ck_assert_int_eq(cJSON_GetObjectItem(cJSON_GetObjectItem(e, "object"), "code")->valueint,
	                 410);
	char want[64];
	snprintf(want, sizeof(want), "too old resource version: %llu (", (unsigned long long)start);
	ck_assert(strncmp(jstr(e, "object.message"), want, strlen(want)) == 0);
	cJSON_Delete(ev);
	th_free(w);
}
END_TEST

START_TEST(test_watch_bookmarks_and_timeout)
{
	mkpod("a", "p", NULL);
	struct th_req *w =
	    th_begin("GET", "/api/v1/pods?watch=1&allowWatchBookmarks=true&timeoutSeconds=3", NULL,
	             NULL, NULL);
	ck_assert(th_wait(w, "BOOKMARK", 5000));
	mkpod("a", "q", NULL);
	ck_assert(th_wait(w, NULL, 6000)); /* timeoutSeconds ends it */
	cJSON *ev = events_of(w);
	ck_assert_str_eq(jstr(cJSON_GetArrayItem(ev, 0), "type"), "ADDED");
	const cJSON *bm = cJSON_GetArrayItem(ev, 1);
	ck_assert_str_eq(jstr(bm, "type"), "BOOKMARK");
	ck_assert_str_eq(jstr(bm, "object.kind"), "Pod");
	ck_assert_ptr_nonnull(jstr(bm, "object.metadata.resourceVersion"));
	ck_assert_ptr_null(jstr(bm, "object.metadata.name"));
	expect_event(ev, 2, "ADDED", "q");
	cJSON_Delete(ev);
	th_free(w);

	/* sendInitialEvents: the state, then a bookmark that marks its end. */
	w = th_begin("GET",
	             "/api/v1/pods?watch=1&sendInitialEvents=true&resourceVersionMatch=NotOlderThan"
	             "&allowWatchBookmarks=true",
	             NULL, NULL, NULL);
	ck_assert(th_wait(w, "initial-events-end", 5000));
	ev = events_of(w);
	ck_assert_int_eq(cJSON_GetArraySize(ev), 3);
	expect_event(ev, 2, "BOOKMARK", NULL);
	cJSON_Delete(ev);
	th_free(w);
	struct th_req *r = th_get("/api/v1/pods?watch=1&sendInitialEvents=true");
	ck_assert_int_eq(r->status, 422);
	th_free(r);
}
END_TEST

START_TEST(test_watch_table_for_kubectl)
{
	mkpod("a", "p", NULL);
	char path[128];
	snprintf(path, sizeof(path), "/api/v1/namespaces/a/pods?watch=true&resourceVersion=%llu",
	         (unsigned long long)simstore_rv(th_sim.store));
	struct th_req *w =
	    th_begin("GET", path, "application/json;as=Table;v=v1;g=meta.k8s.io", NULL, NULL);
	th_pump(20);
	mkpod("a", "q", NULL);
	ck_assert(th_wait(w, "\n", 5000));
	cJSON *ev = events_of(w);
	const cJSON *e = cJSON_GetArrayItem(ev, 0);
	ck_assert_str_eq(jstr(e, "type"), "ADDED");
	ck_assert_str_eq(jstr(e, "object.kind"), "Table");
	const cJSON *cells = cJSON_GetObjectItem(
	    cJSON_GetArrayItem(cJSON_GetObjectItem(cJSON_GetObjectItem(e, "object"), "rows"), 0),
	    "cells");
	ck_assert_str_eq(cJSON_GetArrayItem(cells, 0)->valuestring, "q");
	cJSON_Delete(ev);
	th_free(w);
}
END_TEST

START_TEST(test_users)
{
	mkpod("a", "p", NULL);
	const char *ro = simauth_token(th_sim.auth, SIMUSER_READONLY);
	struct th_req *r = th_do("GET", "/api/v1/namespaces/a/pods/p", NULL, NULL, ro);
	ck_assert_int_eq(r->status, 200);
	th_free(r);
	r = th_do("PATCH", "/apis/apps/v1/namespaces/default/deployments/web", NULL, "{}", ro);
	ck_assert_int_eq(r->status, 403);
	ck_assert_str_eq(
	    r->body.data,
	    "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":"
	    "\"Failure\",\"message\":\"deployments.apps \\\"web\\\" is forbidden: User "
	    "\\\"sim-readonly\\\" cannot patch resource \\\"deployments\\\" in API group "
	    "\\\"apps\\\" in the namespace \\\"default\\\"\",\"reason\":\"Forbidden\","
	    "\"details\":{\"name\":\"web\",\"group\":\"apps\",\"kind\":\"deployments\"},"
	    "\"code\":403}");
	th_free(r);
	r = th_do("POST", "/api/v1/namespaces", NULL, "{}", ro);
	ck_assert_int_eq(r->status, 403);
	ck_assert_ptr_nonnull(strstr(r->body.data,
	                             "namespaces is forbidden: User \\\"sim-readonly\\\" "
	                             "cannot create resource \\\"namespaces\\\" in API "
	                             "group \\\"\\\" at the cluster scope"));
	th_free(r);
	r = th_do("GET", "/api/v1/pods", NULL, NULL, "not-a-token");
	ck_assert_int_eq(r->status, 401);
	ck_assert_str_eq(r->body.data,
	                 "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":"
	                 "\"Failure\",\"message\":\"Unauthorized\",\"reason\":\"Unauthorized\","
	                 "\"code\":401}");
	th_free(r);

	const char *review = "{\"apiVersion\":\"authorization.k8s.io/v1\",\"kind\":"
	                     "\"SelfSubjectAccessReview\",\"spec\":{\"resourceAttributes\":{"
	                     "\"namespace\":\"default\",\"verb\":\"patch\",\"group\":\"apps\","
	                     "\"resource\":\"deployments\"}}}";
	const char *path = "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews";
	r = th_do("POST", path, NULL, review, ro);
	ck_assert_int_eq(r->status, 201);
	cJSON *j = json_of(r);
	ck_assert(cJSON_IsFalse(cJSON_GetObjectItem(cJSON_GetObjectItem(j, "status"), "allowed")));
	ck_assert_str_eq(jstr(j, "spec.resourceAttributes.verb"), "patch");
	cJSON_Delete(j);
	th_free(r);
	r = th_do("POST", path, NULL, review, NULL);
	j = json_of(r);
	ck_assert(cJSON_IsTrue(cJSON_GetObjectItem(cJSON_GetObjectItem(j, "status"), "allowed")));
	cJSON_Delete(j);
	th_free(r);
	r = th_do("POST", path, NULL,
	          "{\"spec\":{\"resourceAttributes\":{\"verb\":\"list\","
	          "\"resource\":\"pods\"}}}",
	          ro);
	ck_assert_ptr_nonnull(strstr(r->body.data, "\"allowed\":true"));
	th_free(r);
	r = th_do("POST", path, NULL, "{}", NULL);
	ck_assert_int_eq(r->status, 422);
	th_free(r);

	/* kubectl auth can-i sends protobuf: what it sent for "patch deployments". */
	static const unsigned char pb[] = {
	    'k',  '8',  's',  0,    0x0a, 0x32, 0x0a, 0x17, 'a',  'u',  't',  'h',  'o',  'r',
	    'i',  'z',  'a',  't',  'i',  'o',  'n',  '.',  'k',  '8',  's',  '.',  'i',  'o',
	    '/',  'v',  '1',  0x12, 0x17, 'S',  'e',  'l',  'f',  'S',  'u',  'b',  'j',  'e',
	    'c',  't',  'A',  'c',  'c',  'e',  's',  's',  'R',  'e',  'v',  'i',  'e',  'w',
	    0x12, 0x49, 0x0a, 0x10, 0x0a, 0x00, 0x12, 0x00, 0x1a, 0x00, 0x22, 0x00, 0x2a, 0x00,
	    0x32, 0x00, 0x38, 0x00, 0x42, 0x00, 0x12, 0x2b, 0x0a, 0x29, 0x0a, 0x07, 'd',  'e',
	    'f',  'a',  'u',  'l',  't',  0x12, 0x05, 'p',  'a',  't',  'c',  'h',  0x1a, 0x04,
	    'a',  'p',  'p',  's',  0x22, 0x00, 0x2a, 0x0b, 'd',  'e',  'p',  'l',  'o',  'y',
	    'm',  'e',  'n',  't',  's',  0x32, 0x00, 0x3a, 0x00, 0x1a, 0x08, 0x08, 0x00, 0x12,
	    0x00, 0x1a, 0x00, 0x20, 0x00, 0x1a, 0x00, 0x22, 0x00};
	const char *pbtype = "application/vnd.kubernetes.protobuf";
	r = th_post_bytes(path, pbtype, pb, sizeof(pb), ro);
	ck_assert(th_wait(r, NULL, 5000));
	ck_assert_int_eq(r->status, 201);
	j = json_of(r);
	ck_assert(cJSON_IsFalse(cJSON_GetObjectItem(cJSON_GetObjectItem(j, "status"), "allowed")));
	ck_assert_str_eq(jstr(j, "spec.resourceAttributes.resource"), "deployments");
	ck_assert_str_eq(jstr(j, "spec.resourceAttributes.group"), "apps");
	ck_assert_str_eq(jstr(j, "spec.resourceAttributes.namespace"), "default");
	cJSON_Delete(j);
	th_free(r);
	r = th_post_bytes(path, pbtype, pb, sizeof(pb), NULL);
	ck_assert(th_wait(r, NULL, 5000));
	ck_assert_ptr_nonnull(strstr(r->body.data, "\"allowed\":true"));
	th_free(r);
	r = th_post_bytes(path, pbtype, "k8s", 3, NULL);
	ck_assert(th_wait(r, NULL, 5000));
	ck_assert_int_eq(r->status, 422);
	th_free(r);
	r = th_post_bytes(path, "text/plain", "x", 1, NULL);
	ck_assert(th_wait(r, NULL, 5000));
	ck_assert_int_eq(r->status, 415);
	th_free(r);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("sim_api");
	TCase *tc = tcase_create("rest");
	tcase_add_checked_fixture(tc, setup, th_stop);
	tcase_add_test(tc, test_discovery);
	tcase_add_test(tc, test_get_and_not_found);
	tcase_add_test(tc, test_list_paging_is_consistent);
	tcase_add_test(tc, test_list_continue_errors);
	tcase_add_test(tc, test_list_selectors);
	tcase_add_test(tc, test_table_format);
	tcase_add_test(tc, test_users);
	suite_add_tcase(s, tc);
	tc = tcase_create("watch");
	tcase_add_checked_fixture(tc, setup, th_stop);
	tcase_add_test(tc, test_watch_stream);
	tcase_add_test(tc, test_watch_from_rv_and_selector);
	tcase_add_test(tc, test_stop_with_open_watch);
	tcase_add_test(tc, test_watch_table_for_kubectl);
	suite_add_tcase(s, tc);
	tc = tcase_create("watch_window");
	tcase_add_checked_fixture(tc, setup_small_window, th_stop);
	tcase_add_test(tc, test_watch_too_old);
	tcase_add_test(tc, test_watch_bookmarks_and_timeout);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	curl_global_init(CURL_GLOBAL_ALL);
	int rc = test_run_suite(suite());
	curl_global_cleanup();
	return rc;
}
