#ifndef PODSCOPE_SIMWRITE_H
#define PODSCOPE_SIMWRITE_H

/*
 * Over tests/lib/simhttp: the simulator for the write-path tests, on a fast
 * clock with no nodes and its kubelet stopped, so that only the test changes
 * a pod's status (the API server is under test, not the kubelet); requests
 * with any method, content type and body; JSON by dotted path; waiting for a
 * condition with a deadline (prefix tw_, "test write").
 */

#include <stdbool.h>

#include <cjson/cJSON.h>

#include "simhttp.h"
#include "testjson.h"

/* Start the simulator (speed: simulated seconds per real second). */
void tw_start(double speed);
void tw_stop(void);

/* A request with a body of content type ctype (NULL: none), failing the test
 * when no answer comes; token NULL: the admin's. */
struct th_req *tw_do_as(const char *method, const char *path, const char *ctype, const char *body,
			const char *token);
struct th_req *tw_do(const char *method, const char *path, const char *ctype, const char *body);
/* The answer as JSON, asserting it is JSON with that status; frees r. */
cJSON *tw_json(struct th_req *r, long want_status);
/* Do a request and check its status; the answer's JSON. */
cJSON *tw(const char *method, const char *path, const char *ctype, const char *body,
	  long want_status);
/* GET path: its JSON, or NULL on 404. */
cJSON *tw_get(const char *path);
/* Pump until pred(path's JSON or NULL, ud) holds; false after timeout_ms. */
bool tw_until(const char *path, bool (*pred)(const cJSON *j, const void *ud), const void *ud,
	      int timeout_ms);
/* A tw_until predicate: the object is gone. */
bool tw_gone(const cJSON *j, const void *ud);

/* The string at a tj_get() path, or NULL; the number there, or -12345. */
const char *tw_jstr(const cJSON *j, const char *path);
double tw_jnum(const cJSON *j, const char *path);

/* A pod in ns bound to a node no kubelet runs, so only the test changes it;
 * labels is a JSON object or NULL, extra_spec more members of its spec
 * (each followed by a comma) or NULL. */
void tw_mkpod(const char *ns, const char *name, const char *labels, const char *extra_spec);
void tw_mkns(const char *ns);

#endif
