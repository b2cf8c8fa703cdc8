#ifndef PODSCOPE_LOGSTORE_H
#define PODSCOPE_LOGSTORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct buf;

/*
 * Container logs kept in bounded memory (no I/O here). A stream is one
 * pod/container/previous log; its bytes arrive in chunks cut anywhere and
 * are split into lines. Every size has a cap: one line's length (the rest
 * of a longer line is dropped and the line is marked cut), a stream's lines
 * and bytes (the oldest lines go first), the number of streams and the
 * bytes of all streams together (closed streams go first, whole, the least
 * recently fed first; then the oldest line of any stream).
 *
 * With timestamps=true the kubelet starts each line with an RFC 3339 time
 * with nanoseconds and a space ("2026-12-07T12:00:00.123456789Z text");
 * that prefix is parsed for ordering and kept, so it can be shown or not.
 */

/* The defaults (logstore_new(NULL)). */
#define LOGSTORE_LINE_MAX 16384u            /* bytes of one line, prefix included */
#define LOGSTORE_STREAM_LINES 20000u        /* lines kept per stream */
#define LOGSTORE_STREAM_BYTES (8u << 20)    /* bytes kept per stream */
#define LOGSTORE_TOTAL_BYTES (64u << 20)    /* bytes kept by all streams */
#define LOGSTORE_STREAMS 64u                /* streams at once */
/* What ends a line that was cut at the line cap. */
#define LOGSTORE_CUT_MARK " [cut]"

struct logstore_caps {
	size_t line_max;
	size_t stream_lines;
	size_t stream_bytes;
	size_t total_bytes;
	size_t streams;
};

struct logline {
	int64_t ts_ns;   /* the kubelet's time, 0 when the line has none */
	uint64_t seq;    /* arrival order over the whole store */
	uint32_t len;    /* bytes of raw (NULs may be among them) */
	uint32_t body;   /* offset of the text after the time prefix (0: none) */
	bool cut;        /* longer than line_max: the rest was dropped */
	char raw[];      /* the line without its '\n', NUL-terminated */
};

struct logstore;
struct logstream;

/* caps NULL: the defaults; a zero field takes its default too. */
struct logstore *logstore_new(const struct logstore_caps *caps);
void logstore_free(struct logstore *ls);

/* The stream named key (made when missing, reopened when closed). NULL when
 * LOGSTORE_STREAMS are open and none is closed to make room. */
struct logstream *logstore_open(struct logstore *ls, const char *key);
/* The stream named key, NULL when there is none. */
struct logstream *logstore_find(struct logstore *ls, const char *key);
/* Forget a stream and its lines. */
void logstore_remove(struct logstore *ls, struct logstream *s);
/* Bytes held by every stream's lines together (what total_bytes caps). */
size_t logstore_bytes(const struct logstore *ls);
size_t logstore_nstreams(const struct logstore *ls);

/* Add bytes as they came (cut anywhere). */
void logstream_feed(struct logstore *ls, struct logstream *s, const char *data, size_t len);
/* The stream ended: a last line without '\n' is kept; the stream becomes
 * the first to go when room is needed. */
void logstream_close(struct logstore *ls, struct logstream *s);

const char *logstream_key(const struct logstream *s);
size_t logstream_count(const struct logstream *s);
/* Line i, 0 the oldest kept. NULL when i >= count. Valid until the stream
 * is fed, closed or removed. */
const struct logline *logstream_line(const struct logstream *s, size_t i);
/* Lines dropped to stay under the caps (not counting cut tails). */
uint64_t logstream_dropped(const struct logstream *s);
bool logstream_closed(const struct logstream *s);

/*
 * The kubelet's time prefix at the start of p (len bytes): "RFC3339 " with
 * up to nine digits of fraction. Returns the bytes it takes, the space
 * included, and the time in *ns; 0 when p does not start with one.
 */
size_t logline_parse_ts(const char *p, size_t len, int64_t *ns);

/* Append the line through the sanitiser (a NUL as "\x00"), without its time
 * prefix unless with_ts, and LOGSTORE_CUT_MARK when it was cut. */
void logline_sanitize(struct buf *b, const struct logline *l, bool with_ts);

/* A merged log's short tag for pod: its name without the workload's in
 * front ("web-7d9c-x2k" of "web": "7d9c-x2k"), cut to fit n; returns a hash
 * of the whole name, for a colour that stays the pod's. */
uint32_t logline_tag(const char *pod, const char *workload, char *tag, size_t n);

/* Order for merging streams: by time, lines without one by arrival. */
int logline_cmp(const struct logline *a, const struct logline *b);

#endif
