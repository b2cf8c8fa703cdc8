#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "podscope/buf.h"

#include "api.h"
#include "control.h"
#include "faults.h"
#include "scenario.h"
#include "scenario_int.h"
#include "sim.h"

#define PREFIX "/podscope-sim/"

static void success(struct simreq *r, const char *msg)
{
	struct buf b = BUF_INIT;
	buf_adds(&b, "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},"
		     "\"status\":\"Success\",\"message\":");
	buf_add_json_string(&b, msg);
	buf_adds(&b, ",\"code\":200}");
	simreq_reply(r, 200, &b);
}

static const char *reason_of(long code)
{
	switch (code) {
	case 400:
		return "BadRequest";
	case 404:
		return "NotFound";
	case 409:
		return "Conflict";
	case 422:
		return "Invalid";
	case 501:
		return "NotImplemented";
	default:
		return "InternalError";
	}
}

static void failure(struct simreq *r, const struct perr *err)
{
	long code = err->kind == PERR_API && err->http_status ? err->http_status : 400;
	simreq_reply_status(r, (unsigned)code, reason_of(code), perr_msg(err), NULL);
}

static cJSON *body_json(struct simreq *r)
{
	if (!r->body.len)
		return NULL;
	return cJSON_ParseWithLength(r->body.data, r->body.len);
}

static void actions(struct simreq *r)
{
	cJSON *body = body_json(r);
	if (!cJSON_IsObject(body)) {
		simreq_reply_status(
		    r, 400, "BadRequest",
		    "the body must be a JSON object: one step, or {\"steps\": [...]}", NULL);
		cJSON_Delete(body);
		return;
	}
	struct perr err = {0};
	if (simscen_control(r->sim, body, &err) == 0)
		success(r, "done");
	else
		failure(r, &err);
	perr_clear(&err);
	cJSON_Delete(body);
}

static void load(struct simreq *r)
{
	cJSON *body = body_json(r);
	const cJSON *name = cJSON_GetObjectItemCaseSensitive(body, "name");
	struct perr err = {0};
	if (!cJSON_IsString(name) || !simscen_builtin_yaml(name->valuestring)) {
		perr_set(&err, PERR_USAGE, "{\"name\": SCENARIO} with a built-in scenario: %s",
			 simscen_builtin_names());
		failure(r, &err);
	} else if (simscen_load(r->sim, name->valuestring, &err) != 0) {
		err.kind = PERR_API;
		err.http_status = 409;
		failure(r, &err);
	} else {
		success(r, "loaded");
	}
	perr_clear(&err);
	cJSON_Delete(body);
}

/* Answer 200 with j (consumed). */
static void reply_json(struct simreq *r, cJSON *j)
{
	char *s = cJSON_PrintUnformatted(j);
	struct buf b = BUF_INIT;
	buf_adds(&b, s);
	free(s);
	cJSON_Delete(j);
	simreq_reply(r, 200, &b);
}

static void list(struct simreq *r)
{
	reply_json(r, simscen_list_json(r->sim));
}

static void faults_state(struct simreq *r)
{
	reply_json(r, simfault_json(r->sim));
}

/* {"fault": SPEC} adds one; {"faults": [SPEC, ...]} is the whole set ([]: none). */
static void faults_post(struct simreq *r)
{
	cJSON *body = body_json(r);
	const cJSON *one = cJSON_GetObjectItemCaseSensitive(body, "fault");
	const cJSON *all = cJSON_GetObjectItemCaseSensitive(body, "faults");
	const cJSON *it;
	struct perr err = {0};
	bool ok = cJSON_IsObject(body) && cJSON_GetArraySize(body) == 1 &&
		  (cJSON_IsString(one) || cJSON_IsArray(all));
	cJSON_ArrayForEach(it, all)
	{
		ok = ok && cJSON_IsString(it);
	}
	if (!ok) {
		perr_set(&err, PERR_USAGE,
			 "the body must be {\"fault\": SPEC} or {\"faults\": [SPEC, ...]}, "
			 "SPEC as for --fault");
	} else if (one) {
		simfault_set(r->sim, one->valuestring, &err);
	} else {
		/* All checked before any is changed: a bad list changes nothing. */
		cJSON_ArrayForEach(it, all)
		{
			if (err.kind == PERR_NONE)
				simfault_check(it->valuestring, &err);
		}
		if (err.kind == PERR_NONE) {
			simfault_clear(r->sim, NULL, NULL);
			cJSON_ArrayForEach(it, all)
			{
				simfault_set(r->sim, it->valuestring, NULL);
			}
		}
	}
	if (err.kind == PERR_NONE) {
		fprintf(stderr, "podscope-sim: control: faults changed\n");
		faults_state(r);
	} else {
		failure(r, &err);
	}
	perr_clear(&err);
	cJSON_Delete(body);
}

/* DELETE faults: all of them; ?name=KIND: that one. */
static void faults_delete(struct simreq *r)
{
	struct perr err = {0};
	if (simfault_clear(r->sim, simreq_arg(r, "name"), &err) == 0) {
		fprintf(stderr, "podscope-sim: control: faults cleared\n");
		faults_state(r);
	} else {
		failure(r, &err);
	}
	perr_clear(&err);
}

bool simctl_handle(struct simreq *r)
{
	if (strncmp(r->path, PREFIX, strlen(PREFIX)) != 0)
		return false;
	if (r->user == SIMUSER_NONE) {
		simreq_reply_status(r, 401, "Unauthorized", "Unauthorized", NULL);
		return true;
	}
	const char *what = r->path + strlen(PREFIX);
	bool get = strcmp(r->method, "GET") == 0, post = strcmp(r->method, "POST") == 0;
	bool del = strcmp(r->method, "DELETE") == 0;
	const char *res = !strcmp(what, "v1/actions")     ? "actions"
			  : !strcmp(what, "v1/scenarios") ? "scenarios"
			  : !strcmp(what, "v1/faults")    ? "faults"
							  : NULL;
	bool faults = res && !strcmp(res, "faults");
	if (!res) {
		simreq_reply_status(r, 404, "NotFound",
				    "the server could not find the requested resource", NULL);
		return true;
	}
	if (!(post || (get && strcmp(res, "actions") != 0) || (del && faults))) {
		simreq_reply_status(
		    r, 405, "MethodNotAllowed",
		    "the server does not allow this method on the requested resource", NULL);
		return true;
	}
	const char *verb = post ? "create" : "delete";
	if ((post || del) && !simauth_allowed(r->user, verb)) {
		char *m = simapi_forbidden_message(simuser_name(r->user), verb, "sim.podscope.dev",
						   res, NULL, NULL, NULL);
		simreq_reply_status(r, 403, "Forbidden", m, NULL);
		free(m);
		return true;
	}
	if (r->body_too_large) {
		simreq_reply_status(r, 413, "RequestEntityTooLarge",
				    "the request body is too large", NULL);
		return true;
	}
	if (faults && get)
		faults_state(r);
	else if (faults && del)
		faults_delete(r);
	else if (faults)
		faults_post(r);
	else if (get)
		list(r);
	else if (!strcmp(res, "actions"))
		actions(r);
	else
		load(r);
	return true;
}
