#ifndef PODSCOPE_PODLOG_H
#define PODSCOPE_PODLOG_H

#include <stdbool.h>
#include <stdint.h>

#include "podscope/client.h"

struct buf;

/*
 * A container's log from the API (GET .../pods/NAME/log), on the loop like
 * every request: the bytes go to a data callback as they arrive, nothing
 * blocks. Lines always come with timestamps=true, so that streams can be
 * merged in time order (logstore.h parses the prefix, and shows it or not).
 */

/* Streams a command or a view follows at once. */
#define PODLOG_MAX_STREAMS 32

struct podlog_opts {
	const char *container;  /* NULL: the server's choice (one container only) */
	bool previous;
	bool follow;
	int64_t tail;           /* tailLines; < 0: all */
	int64_t since_s;        /* sinceSeconds; 0: none */
	const char *since_time; /* sinceTime (RFC 3339); NULL: none; wins over since_s */
	int64_t limit_bytes;    /* limitBytes; 0: none */
};

/* Append the request's path (every name escaped) to b. */
void podlog_path(struct buf *b, const char *ns, const char *pod, const struct podlog_opts *o);

/* Start it; NULL + err when it cannot start. Cancel with kreq_cancel. A
 * follow has no total timeout; the server ends it when the container
 * stops. */
struct kreq *podlog_start(struct kclient *c, const char *ns, const char *pod,
			  const struct podlog_opts *o, kreq_data_fn data, kreq_done_fn done,
			  void *ud, struct perr *err);

#endif
