#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <microhttpd.h>

#include "podscope/xalloc.h"

#include "http.h"
#include "reqlog.h"
#include "sim.h"

const char *simreq_arg(const struct simreq *r, const char *key)
{
	return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, key);
}

const char *simreq_header(const struct simreq *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

void simhttp_add_headers(struct MHD_Response *resp, const char *content_type)
{
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, content_type);
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-cache, private");
}

void simreq_reply_response(struct simreq *r, unsigned status, struct MHD_Response *resp)
{
	r->status = status;
	/* The Date header on the cluster's clock (--clock-skew), not the
	 * real one libmicrohttpd would add: clients estimate the skew from it. */
	char date[40];
	simclock_format_http(simclock_now(&r->sim->clock), date, sizeof(date));
	MHD_add_response_header(resp, MHD_HTTP_HEADER_DATE, date);
	reqlog_write(r->sim->log, simuser_name(r->user), r->method, r->uri, status);
	MHD_queue_response(r->conn, status, resp);
}

void simreq_reply_type(struct simreq *r, unsigned status, const char *content_type,
                       struct buf *body)
{
	size_t len = body->len;
	char *data = buf_steal(body);
	struct MHD_Response *resp =
	    MHD_create_response_from_buffer(len, data, MHD_RESPMEM_MUST_FREE);
	if (!resp) {
		free(data);
		return;
	}
	simhttp_add_headers(resp, content_type);
	if (status == MHD_HTTP_UNAUTHORIZED)
		MHD_add_response_header(resp, "WWW-Authenticate", "Bearer realm=\"podscope-sim\"");
	simreq_reply_response(r, status, resp);
	MHD_destroy_response(resp);
}

void simreq_reply(struct simreq *r, unsigned status, struct buf *body)
{
	simreq_reply_type(r, status, "application/json", body);
}

void simhttp_status_json(struct buf *out, unsigned code, const char *reason, const char *message,
                         const cJSON *details)
{
	buf_adds(out, "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},"
	              "\"status\":\"Failure\",\"message\":");
	buf_add_json_string(out, message);
	buf_adds(out, ",\"reason\":");
	buf_add_json_string(out, reason);
	if (details) {
		char *d = cJSON_PrintUnformatted(details);
		buf_adds(out, ",\"details\":");
		buf_adds(out, d);
		free(d);
	}
	buf_printf(out, ",\"code\":%u}", code);
}

void simreq_reply_status(struct simreq *r, unsigned code, const char *reason, const char *message,
                         cJSON *details)
{
	struct buf b = BUF_INIT;
	simhttp_status_json(&b, code, reason, message, details);
	cJSON_Delete(details);
	simreq_reply(r, code, &b);
}
