#ifndef PODSCOPE_WATCHFRAME_H
#define PODSCOPE_WATCHFRAME_H

#include <stddef.h>

#include "podscope/buf.h"
#include "podscope/err.h"

/*
 * A watch stream is one JSON object per line ({"type":...,"object":...}\n).
 * The framer cuts the bytes that arrive, in chunks split anywhere (inside a
 * UTF-8 sequence, inside a JSON string), into lines; wevent_parse makes one
 * line into an event. Pure memory, no I/O.
 */

/* Longest line accepted by default: far above any real object (etcd's
 * request limit is 1.5 MiB, an object in a watch event is below that). */
#define WFRAME_DEFAULT_MAX (16u * 1024 * 1024)

struct wframe {
	struct buf partial; /* the unfinished line */
	size_t max_line;
	size_t lines; /* complete lines delivered so far */
};

/* A line, without its "\n" (and without a "\r" before it), not NUL-terminated.
 * Blank lines are not delivered. Returning non-zero stops wframe_feed. */
typedef int (*wframe_line_fn)(void *ud, const char *line, size_t len);

void wframe_init(struct wframe *f, size_t max_line); /* 0: WFRAME_DEFAULT_MAX */
void wframe_free(struct wframe *f);
/* Forget an unfinished line (a new stream starts). */
void wframe_reset(struct wframe *f);

/*
 * Feed len bytes. Each complete line goes to fn, in order; lines that lie
 * inside data whole are passed without a copy. Returns 0; the value fn
 * returned when it stopped the feed (the rest of data is dropped); or -1 with
 * err (PERR_API) when a line grows beyond max_line (the framer is then reset;
 * the stream should be dropped).
 */
int wframe_feed(struct wframe *f, const char *data, size_t len, wframe_line_fn fn, void *ud,
		struct perr *err);

/* Bytes of an unfinished line held (a stream that ends with some is truncated). */
size_t wframe_pending(const struct wframe *f);

enum wevent_type {
	WEV_ADDED = 0,
	WEV_MODIFIED,
	WEV_DELETED,
	WEV_BOOKMARK,
	WEV_ERROR,
};

struct cJSON;

struct wevent {
	enum wevent_type type;
	struct cJSON *object; /* borrowed from root */
	const char *rv;       /* object's metadata.resourceVersion, "" when none */
	/* ERROR: the Status's code (410 means relist), reason and message. */
	long code;
	const char *reason;
	const char *message;
	int initial_events_end; /* a BOOKMARK with k8s.io/initial-events-end */
	struct cJSON *root;     /* owned, read-only (jarena.h): wevent_free */
};

/* "ADDED", ... */
const char *wevent_type_name(enum wevent_type t);

/*
 * Parse one line. Returns 0, or -1 with err (PERR_API) when it is not JSON,
 * not an object, has an unknown type, or (but for ERROR) no object. On
 * success free ev with wevent_free.
 */
int wevent_parse(const char *line, size_t len, struct wevent *ev, struct perr *err);
void wevent_free(struct wevent *ev);

#endif
