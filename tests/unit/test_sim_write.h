#ifndef PODSCOPE_TEST_SIM_WRITE_H
#define PODSCOPE_TEST_SIM_WRITE_H

/*
 * Helpers for the write-path tests: an in-process podscope-sim on a fast
 * clock with no nodes and its kubelet stopped, so that only the test changes
 * a pod's status (the API server is under test, not the kubelet), requests
 * with any method, content type and body, JSON access by dotted path, and
 * waiting for a condition with a deadline. Header-only: the write-path
 * test programs include it, over tests/lib/simhttp.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>
#include <cjson/cJSON.h>

#include "app.h"
#include "auth.h"
#include "kubelet.h"
#include "server.h"
#include "simhttp.h"

static inline void tw_start(double speed)
{
	struct sim_config cfg;
	struct perr err = {0};
	simapp_defaults(&cfg);
	cfg.speed = speed;
	cfg.nodes = 0;
	ck_assert_msg(th_start_cfg(&cfg, &err) == 0, "%s", perr_msg(&err));
	kubelet_stop(&th_sim); /* safe to stop again in simapp_stop */
}

static inline void tw_stop(void)
{
	th_stop();
}

/* A request with a body of content type ctype (NULL: none); token NULL: admin. */
static inline struct th_req *tw_do_as(const char *method, const char *path, const char *ctype,
				      const char *body, const char *token)
{
	struct th_req *r = th_begin(method, path, NULL, NULL, token);
	if (body)
		th_set_body(r, ctype, body, strlen(body));
	ck_assert_msg(th_wait(r, NULL, 10000), "no answer to %s %s", method, path);
	return r;
}

static inline struct th_req *tw_do(const char *method, const char *path, const char *ctype,
				   const char *body)
{
	return tw_do_as(method, path, ctype, body, NULL);
}

#define JSON      "application/json"
#define MERGE     "application/merge-patch+json"
#define SMP       "application/strategic-merge-patch+json"
#define JSONPATCH "application/json-patch+json"

/* The answer as JSON (asserting it is JSON); the request is freed. */
static inline cJSON *tw_json(struct th_req *r, long want_status)
{
	cJSON *j = cJSON_Parse(r->body.data ? r->body.data : "");
	ck_assert_msg(j != NULL, "not JSON: %s", r->body.data ? r->body.data : "(empty)");
	ck_assert_msg(r->status == want_status, "status %ld, wanted %ld: %s", r->status,
		      want_status, r->body.data);
	th_free(r);
	return j;
}

/* Do a request and check its status; returns the answer's JSON. */
static inline cJSON *tw(const char *method, const char *path, const char *ctype, const char *body,
			long want_status)
{
	return tw_json(tw_do(method, path, ctype, body), want_status);
}

/* A value by dotted path; [N] indexes arrays ("spec.containers.[0].image" is
 * written "spec.containers.0.image"). */
static inline const cJSON *jget(const cJSON *j, const char *path)
{
	char *copy = strdup(path), *save;
	const cJSON *cur = j;
	for (char *t = strtok_r(copy, ".", &save); t && cur; t = strtok_r(NULL, ".", &save)) {
		if (cJSON_IsArray(cur) && t[0] >= '0' && t[0] <= '9')
			cur = cJSON_GetArrayItem(cur, atoi(t));
		else
			cur = cJSON_GetObjectItemCaseSensitive(cur, t);
	}
	free(copy);
	return cur;
}

static inline const char *jstr(const cJSON *j, const char *path)
{
	const cJSON *v = jget(j, path);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static inline double jnum(const cJSON *j, const char *path)
{
	const cJSON *v = jget(j, path);
	return cJSON_IsNumber(v) ? v->valuedouble : -12345;
}

#define ck_str(j, path, want)                                                                      \
	do {                                                                                       \
		const char *got_ = jstr((j), (path));                                              \
		ck_assert_msg(got_ &&strcmp(got_, (want)) == 0, "%s: got %s, wanted %s", (path),   \
			      got_ ? got_ : "(none)", (want));                                     \
	} while (0)

/* GET path: its JSON, or NULL on 404. */
static inline cJSON *tw_get(const char *path)
{
	struct th_req *r = th_get(path);
	if (r->status == 404) {
		th_free(r);
		return NULL;
	}
	return tw_json(r, 200);
}

/* Pump until pred(path's JSON or NULL, ud) holds; false after the deadline. */
static inline bool tw_until(const char *path, bool (*pred)(const cJSON *j, const void *ud),
			    const void *ud, int timeout_ms)
{
	long long end = th_ms() + timeout_ms;
	do {
		cJSON *j = tw_get(path);
		bool ok = pred(j, ud);
		cJSON_Delete(j);
		if (ok)
			return true;
		th_pump(10);
	} while (th_ms() < end);
	return false;
}

static inline bool tw_gone(const cJSON *j, const void *ud)
{
	(void)ud;
	return j == NULL;
}

/* Text of a Status answer's message contains needle. */
static inline void ck_status(const cJSON *j, long code, const char *reason, const char *needle)
{
	ck_str(j, "kind", "Status");
	ck_assert_int_eq((long)jnum(j, "code"), code);
	ck_str(j, "reason", reason);
	const char *m = jstr(j, "message");
	ck_assert_msg(m && strstr(m, needle), "message \"%s\" lacks \"%s\"", m ? m : "", needle);
}

/* A pod bound to a node no kubelet runs, so only the test changes it. */
static inline void tw_mkpod(const char *ns, const char *name, const char *labels,
			    const char *extra_spec)
{
	char body[2048];
	snprintf(body, sizeof(body),
		 "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"%s\","
		 "\"labels\":%s},\"spec\":{\"nodeName\":\"test-node\",%s\"containers\":[{\"name\":"
		 "\"c\",\"image\":\"nginx:1.27\",\"ports\":[{\"name\":\"http\","
		 "\"containerPort\":8080}]}]}}",
		 name, labels ? labels : "{}", extra_spec ? extra_spec : "");
	char path[256];
	snprintf(path, sizeof(path), "/api/v1/namespaces/%s/pods", ns);
	cJSON_Delete(tw("POST", path, JSON, body, 201));
}

static inline void tw_mkns(const char *ns)
{
	char body[256];
	snprintf(body, sizeof(body), "{\"metadata\":{\"name\":\"%s\"}}", ns);
	cJSON_Delete(tw("POST", "/api/v1/namespaces", JSON, body, 201));
}

#endif
