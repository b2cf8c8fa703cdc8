#ifndef PODSCOPE_HSERVER_H
#define PODSCOPE_HSERVER_H

/*
 * hserver: a small scripted HTTP/1.1 server that plays a hostile cluster for
 * the tests in tests/hostile. It listens on 127.0.0.1 only, forks a process
 * per connection (so a scenario may block, stream forever or hang up
 * without holding up the others) and stops by itself after --lifetime
 * seconds.
 *
 * A scenario is one function, registered with HS_SCENARIO in any file linked
 * into hserver. It sees every request first and returns 1 when it answered,
 * 0 to leave the request to the benign cluster (hs_default): /version,
 * discovery, empty lists of any resource, watches that stay open, and an
 * access review that allows everything.
 */

#include <stdbool.h>
#include <stddef.h>

struct hs_req {
	char method[16];
	char path[4096];   /* without the query, not decoded */
	char query[16384]; /* after '?', not decoded; "" when none */
	char *headers;     /* the header lines as received, NUL-terminated */
	char *body;        /* NUL-terminated; NULL when none */
	size_t body_len;
	unsigned long n;   /* the request's number on this connection, from 1 */
};

struct hs_conn {
	int fd;
	bool closed; /* set by a handler that closed or broke the connection */
};

struct hs_scenario {
	const char *name;
	const char *what;
	int (*handle)(struct hs_conn *c, const struct hs_req *r);
	struct hs_scenario *next;
};

void hs_register(struct hs_scenario *s);

#define HS_SCENARIO(id, what_, fn)                                                                 \
	static struct hs_scenario hs_sc_##id = {#id, what_, fn, NULL};                             \
	__attribute__((constructor)) static void hs_reg_##id(void)                                 \
	{                                                                                          \
		hs_register(&hs_sc_##id);                                                          \
	}

/* Raw bytes; -1 once the peer is gone (then c->closed is set). */
int hs_send(struct hs_conn *c, const void *p, size_t n);
int hs_sendf(struct hs_conn *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The answers below return HS_ANSWERED, so that a scenario can end with
 * `return hs_list(...)`: the request is answered, whether or not the peer
 * was still there to read it (c->closed says). */
#define HS_ANSWERED 1

/* A whole answer with Content-Length. ctype NULL: application/json. extra:
 * more header lines, each ending in "\r\n", or NULL. */
int hs_reply(struct hs_conn *c, int status, const char *ctype, const char *extra, const void *body,
	     size_t len);
/* hs_reply with a NUL-terminated JSON body. */
int hs_json(struct hs_conn *c, int status, const char *body);
/* A Kubernetes Status object as the API server sends it with an error. */
int hs_status(struct hs_conn *c, int code, const char *reason, const char *message);

/* A chunked answer: the head, chunks, and the final empty chunk. */
int hs_chunked_begin(struct hs_conn *c, int status, const char *ctype, const char *extra);
int hs_chunk(struct hs_conn *c, const void *p, size_t n);
int hs_chunked_end(struct hs_conn *c);

/* Close the connection now (the rest of a promised body never comes). */
void hs_hangup(struct hs_conn *c);

/* Wait until the peer closes, or at most seconds. */
void hs_wait_peer(struct hs_conn *c, int seconds);

/* The decoded value of key in the query, into out (n bytes); NULL when the
 * query has no such key. */
const char *hs_query(const struct hs_req *r, const char *key, char *out, size_t n);
bool hs_is_watch(const struct hs_req *r);
/* The last segment of the path ("pods" for /api/v1/namespaces/x/pods). */
const char *hs_resource(const struct hs_req *r, char *out, size_t n);

/* A list of resource (by the last path segment) holding items, a JSON array
 * text ("[]" for none), with metadata.resourceVersion rv and, when cont is
 * not NULL, metadata.continue. */
int hs_list(struct hs_conn *c, const struct hs_req *r, const char *items, const char *rv,
	    const char *cont);

/* The benign cluster. Always answers. */
int hs_default(struct hs_conn *c, const struct hs_req *r);

#endif
