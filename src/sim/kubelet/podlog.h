#ifndef PODSCOPE_SIM_PODLOG_H
#define PODSCOPE_SIM_PODLOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Container logs of podscope-sim: what a container instance's processes
 * print, one entry per line, stamped with the simulated time, as the CRI
 * log file a kubelet reads. A log keeps its newest lines within a byte cap
 * (the kubelet rotates at containerLogMaxSize, 10Mi by default; we keep
 * 1 MiB per instance) and cuts a longer line at PODLOG_LINE_MAX (the CRI
 * runtime splits lines at 16 KiB). Logs are shared by reference: a follow
 * stream keeps the one it reads after the container or its pod is gone.
 * No I/O here; the API answers from podlog_api.c.
 */

#define PODLOG_CAP_BYTES (1024 * 1024)
#define PODLOG_LINE_MAX  (16 * 1024)

struct podlog;
struct buf;

/* cap: bytes of line text kept (0: PODLOG_CAP_BYTES). One reference. */
struct podlog *podlog_new(size_t cap);
struct podlog *podlog_ref(struct podlog *l);
/* Safe with NULL. */
void podlog_unref(struct podlog *l);

/* The container instance it belongs to ("containerd://..."). */
void podlog_set_id(struct podlog *l, const char *id);
const char *podlog_id(const struct podlog *l);

/* One line (without its newline) printed at t_ms; err: on stderr. */
void podlog_write(struct podlog *l, int64_t t_ms, bool err, const char *text, size_t len);
/* The instance has ended: nothing more comes, follow streams end. Safe with NULL. */
void podlog_close(struct podlog *l);
bool podlog_closed(const struct podlog *l);

/* Lines are numbered from 0 for the log's life: [first, end) are kept. */
uint64_t podlog_first(const struct podlog *l);
uint64_t podlog_end(const struct podlog *l);
/* Line seq, or NULL when it is not kept; *len its length, *t_ms its time. */
const char *podlog_line(const struct podlog *l, uint64_t seq, size_t *len, int64_t *t_ms);
/* Bytes of line text kept. */
size_t podlog_bytes(const struct podlog *l);

/* Called after every write and at the close (follow streams). */
typedef void (*podlog_fn)(void *ud);
void podlog_listen(struct podlog *l, podlog_fn fn, void *ud);
void podlog_unlisten(struct podlog *l, podlog_fn fn, void *ud);

/* --- the query: PodLogOptions ------------------------------------------- */

struct podlog_query {
	const char *container; /* NULL: the only one */
	bool follow, previous, timestamps;
	int64_t tail;     /* lines from the end, -1: all */
	int64_t since_ms; /* INT64_MIN: from the start */
	int64_t limit;    /* bytes, -1: no limit */
};

/*
 * Read the query parameters (arg gives one by name, NULL when absent) at
 * simulated time now_ms. 0, or the HTTP status to answer (400, 422) with
 * *msg (heap) set: a value that does not parse is a 400, options that
 * validation refuses are a 422 with ValidatePodLogOptions' messages, for
 * the pod named pod.
 */
int podlog_query_parse(const char *(*arg)(void *ud, const char *key), void *ud, int64_t now_ms,
		       const char *pod, struct podlog_query *q, char **msg);

/* The first line to send for q: the tail's start (since then filters). */
uint64_t podlog_query_start(const struct podlog *l, const struct podlog_query *q);
/* Does a line printed at t_ms pass q's since? */
bool podlog_query_wants(const struct podlog_query *q, int64_t t_ms);

/* Append a line as the kubelet writes it: "TIMESTAMP " when timestamps
 * (RFC 3339 with nine fraction digits), the text, a newline. */
void podlog_format(struct buf *out, int64_t t_ms, const char *text, size_t len, bool timestamps);

/* --- the kubelet side (podlog_kubelet.c) --------------------------------- */

struct kctr;
struct sim;

/* A new instance of the container has started (c->proc, c->cid): its log
 * becomes the previous one, the one before is dropped. */
void kctr_log_rotate(struct kctr *c);
/* The pod is gone: its logs go, follow streams end. */
void kctr_log_free(struct kctr *c);

/* The log of instance cid of a container, a new reference, or NULL. */
struct podlog *kubelet_pod_log(struct sim *sim, const char *ns, const char *pod,
			       const char *container, const char *cid);

#endif
