#ifndef PODSCOPE_SIM_HTTP_H
#define PODSCOPE_SIM_HTTP_H

#include <stdbool.h>

#include "podscope/buf.h"

#include "auth.h"

/*
 * One HTTP request as the API layer sees it, and the ways to answer it.
 * Every answer goes through simreq_reply*(), which also writes the request
 * log line, so no request can escape the log.
 */

struct sim;
struct MHD_Connection;
struct MHD_Response;
struct cJSON;

struct simreq {
	struct sim *sim;
	struct MHD_Connection *conn;
	char *uri;          /* as the client sent it, with the query */
	const char *method; /* "GET", "POST", ... */
	const char *path;   /* the path alone */
	enum simuser user;
	struct buf body; /* the request body */
	bool body_too_large;
	bool started;
	bool fault_seen; /* faults.c has looked at it (a slow request comes back) */
	unsigned status; /* what was answered, 0 until then */
};

/* A query parameter (decoded), or NULL. */
const char *simreq_arg(const struct simreq *r, const char *key);
/* A request header, or NULL. */
const char *simreq_header(const struct simreq *r, const char *name);

/* Answer with body (JSON unless content_type says otherwise); the buffer is emptied. */
void simreq_reply(struct simreq *r, unsigned status, struct buf *body);
void simreq_reply_type(struct simreq *r, unsigned status, const char *content_type,
                       struct buf *body);

/* Answer with a prepared response (watch streams); the caller keeps its reference. */
void simreq_reply_response(struct simreq *r, unsigned status, struct MHD_Response *resp);

/*
 * Answer with a Kubernetes Status (failure): code, reason ("NotFound"),
 * message, and details (may be NULL; taken).
 */
void simreq_reply_status(struct simreq *r, unsigned code, const char *reason, const char *message,
                         struct cJSON *details);

/* The Status JSON itself, for watch ERROR events. */
void simhttp_status_json(struct buf *out, unsigned code, const char *reason, const char *message,
                         const struct cJSON *details);

/* Set the headers every API answer carries (Content-Type, Cache-Control). */
void simhttp_add_headers(struct MHD_Response *resp, const char *content_type);

#endif
