#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "podscope/buf.h"

#include "disruption.h"
#include "eviction.h"
#include "http.h"
#include "sim.h"

/*
 * POST pods/NAME/eviction (policy/v1 Eviction), the HTTP side of
 * disruption.c's simpdb_evict: 201 and a Success Status when the pod is
 * being deleted, 429 TooManyRequests with the DisruptionBudget cause when
 * its budget forbids it. The body's deleteOptions.gracePeriodSeconds is
 * read from JSON; a protobuf body (kubectl drain) takes the pod's own.
 */
void simeviction_handle(struct simreq *r, const char *ns, const char *name)
{
	int64_t grace = -1;
	cJSON *body = r->body.len ? cJSON_ParseWithLength(r->body.data, r->body.len) : NULL;
	const cJSON *g = cJSON_GetObjectItemCaseSensitive(
	    cJSON_GetObjectItemCaseSensitive(body, "deleteOptions"), "gracePeriodSeconds");
	if (cJSON_IsNumber(g) && g->valuedouble >= 0 && g->valuedouble < 1e9)
		grace = (int64_t)g->valuedouble;
	cJSON_Delete(body);
	struct simevict e;
	simpdb_evict(r->sim, ns, name, grace, &e);
	if (e.code == 201) {
		struct buf b = BUF_INIT;
		buf_adds(&b, "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},"
			     "\"status\":\"Success\",\"code\":201}");
		simreq_reply(r, 201, &b);
	} else if (e.code == 404) {
		cJSON *d = cJSON_CreateObject();
		cJSON_AddStringToObject(d, "name", name);
		cJSON_AddStringToObject(d, "kind", "pods");
		simreq_reply_status(r, 404, "NotFound", e.message, d);
	} else if (e.code == 429) {
		cJSON *d = cJSON_CreateObject();
		cJSON *c = cJSON_CreateObject();
		cJSON_AddStringToObject(c, "reason", "DisruptionBudget");
		cJSON_AddStringToObject(c, "message", e.cause ? e.cause : "");
		cJSON_AddItemToArray(cJSON_AddArrayToObject(d, "causes"), c);
		simreq_reply_status(r, 429, "TooManyRequests", e.message, d);
	} else {
		simreq_reply_status(r, e.code, e.code == 403 ? "Forbidden" : "InternalError",
				    e.message ? e.message : "eviction failed", NULL);
	}
	simevict_clear(&e);
}
