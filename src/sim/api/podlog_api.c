#include "config.h"

#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <microhttpd.h>

#include "podscope/buf.h"
#include "podscope/xalloc.h"

#include "api.h"
#include "clock.h"
#include "evloop.h"
#include "podlog.h"
#include "podlog_api.h"
#include "resources.h"
#include "sim.h"
#include "simobj.h"
#include "store.h"
#include "watch.h"

#define FILL_TARGET (64 * 1024)

struct logstream {
	struct sim *sim;
	struct MHD_Connection *conn;
	int fd;
	struct podlog *log;
	struct podlog_query q;
	uint64_t seq;
	int64_t sent; /* bytes handed out, for limitBytes */
	struct buf out;
	size_t off;
	bool suspended, ending;
	struct logstream *prev, *next;
};

/* Every follow stream of the process (the simulator runs one event loop). */
static struct logstream *streams;
static size_t nstreams;

size_t simpodlog_follow_count(void)
{
	return nstreams;
}

/*
 * Lines of l from *seq into out, up to about max bytes: those q's since
 * keeps, cut at q's limit (*sent counts what went out before). True when
 * the limit is reached.
 */
static bool render(const struct podlog *l, const struct podlog_query *q, uint64_t *seq,
		   int64_t *sent, struct buf *out, size_t max)
{
	if (*seq < podlog_first(l))
		*seq = podlog_first(l); /* what the cap dropped while we were behind */
	size_t from = out->len;
	bool full = false;
	while (*seq < podlog_end(l) && out->len - from < max && !full) {
		size_t len;
		int64_t t;
		const char *text = podlog_line(l, *seq, &len, &t);
		(*seq)++;
		if (!text || !podlog_query_wants(q, t))
			continue;
		size_t before = out->len;
		podlog_format(out, t, text, len, q->timestamps);
		if (q->limit >= 0 && *sent + (int64_t)(out->len - from) >= q->limit) {
			/* LimitWriter: exactly limitBytes, the last line cut. */
			size_t keep = (size_t)(q->limit - *sent) + from;
			out->len = keep < before ? before : keep;
			if (out->data)
				out->data[out->len] = '\0';
			full = true;
		}
	}
	*sent += (int64_t)(out->len - from);
	return full;
}

/* --- follow streams ------------------------------------------------------- */

static void on_client_readable(void *ud, int fd, short revents);

static void wake(struct logstream *s)
{
	if (s->suspended) {
		s->suspended = false;
		if (s->fd >= 0)
			evloop_remove_fd(s->sim->loop, s->fd);
		MHD_resume_connection(s->conn);
	}
}

/* A follow client sends nothing: anything readable means it has gone. */
static void on_client_readable(void *ud, int fd, short revents)
{
	struct logstream *s = ud;
	s->ending = true;
	wake(s);
}

static void on_log(void *ud)
{
	wake(ud);
}

static void fill(struct logstream *s)
{
	if (s->ending)
		return;
	if (render(s->log, &s->q, &s->seq, &s->sent, &s->out, FILL_TARGET))
		s->ending = true;
	else if (s->seq >= podlog_end(s->log) && podlog_closed(s->log))
		s->ending = true; /* the container has ended: so does the stream */
}

static ssize_t reader(void *cls, uint64_t pos, char *out, size_t max)
{
	struct logstream *s = cls;
	if (s->off == s->out.len) {
		buf_reset(&s->out);
		s->off = 0;
		fill(s);
	}
	if (s->off < s->out.len) {
		size_t n = s->out.len - s->off;
		if (n > max)
			n = max;
		memcpy(out, s->out.data + s->off, n);
		s->off += n;
		return (ssize_t)n;
	}
	if (s->ending)
		return MHD_CONTENT_READER_END_OF_STREAM;
	s->suspended = true;
	MHD_suspend_connection(s->conn);
	if (s->fd >= 0)
		evloop_add_fd(s->sim->loop, s->fd, POLLIN, on_client_readable, s);
	return 0;
}

static void free_stream(void *cls)
{
	struct logstream *s = cls;
	if (s->prev)
		s->prev->next = s->next;
	else
		streams = s->next;
	if (s->next)
		s->next->prev = s->prev;
	nstreams--;
	if (s->suspended && s->fd >= 0)
		evloop_remove_fd(s->sim->loop, s->fd);
	podlog_unlisten(s->log, on_log, s);
	podlog_unref(s->log);
	buf_free(&s->out);
	free(s);
}

void simpodlog_shutdown(struct sim *sim)
{
	for (struct logstream *s = streams; s; s = s->next) {
		if (s->sim != sim)
			continue;
		s->ending = true;
		wake(s);
	}
}

static void follow(struct simreq *r, struct podlog *log, const struct podlog_query *q)
{
	struct logstream *s = xcalloc(1, sizeof(*s));
	s->sim = r->sim;
	s->conn = r->conn;
	const union MHD_ConnectionInfo *ci =
	    MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_CONNECTION_FD);
	s->fd = ci ? ci->connect_fd : -1;
	s->log = log;
	s->q = *q;
	s->q.container = NULL; /* the request's memory: not kept */
	s->seq = podlog_query_start(log, q);
	s->next = streams;
	if (streams)
		streams->prev = s;
	streams = s;
	nstreams++;
	podlog_listen(log, on_log, s);
	struct MHD_Response *resp =
	    MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 32 * 1024, reader, s, free_stream);
	if (!resp) {
		free_stream(s);
		return;
	}
	simhttp_add_headers(resp, "text/plain");
	MHD_set_connection_option(r->conn, MHD_CONNECTION_OPTION_TIMEOUT, 0u);
	simreq_reply_response(r, 200, resp);
	MHD_destroy_response(resp);
}

/* --- the request ---------------------------------------------------------- */

static const char *query_arg(void *ud, const char *key)
{
	return simreq_arg(ud, key);
}

static void bad_request(struct simreq *r, const char *msg)
{
	simreq_reply_status(r, 400, "BadRequest", msg, NULL);
}

static void empty(struct simreq *r)
{
	struct buf b = BUF_INIT;
	simreq_reply_type(r, 200, "text/plain", &b);
}

static bool has_container(const cJSON *list, const char *name)
{
	const cJSON *c;
	cJSON_ArrayForEach(c, list)
	{
		const char *n = simjson_string(c, "name");
		if (n && strcmp(n, name) == 0)
			return true;
	}
	return false;
}

/* "a b c": the names of a list of containers, as Go prints a []string. */
static void names(struct buf *b, const cJSON *list)
{
	const cJSON *c;
	int i = 0;
	cJSON_ArrayForEach(c, list)
	{
		const char *n = simjson_string(c, "name");
		buf_printf(b, "%s%s", i++ ? " " : "", n ? n : "");
	}
}

/* LogLocation's choice of container; NULL with the answer sent. */
static const char *pick_container(struct simreq *r, const cJSON *spec, const char *pod,
				  const char *want)
{
	const cJSON *ctrs = cJSON_GetObjectItemCaseSensitive(spec, "containers");
	const cJSON *init = cJSON_GetObjectItemCaseSensitive(spec, "initContainers");
	const cJSON *eph = cJSON_GetObjectItemCaseSensitive(spec, "ephemeralContainers");
	if (want) {
		if (has_container(ctrs, want) || has_container(init, want) ||
		    has_container(eph, want))
			return want;
		char *m = xasprintf("container %s is not valid for pod %s", want, pod);
		bad_request(r, m);
		free(m);
		return NULL;
	}
	int n = cJSON_GetArraySize(ctrs);
	if (n == 1)
		return simjson_string(cJSON_GetArrayItem(ctrs, 0), "name");
	struct buf b = BUF_INIT;
	buf_printf(&b, "a container name must be specified for pod %s", pod);
	if (n > 1) {
		buf_adds(&b, ", choose one of: [");
		names(&b, ctrs);
		buf_adds(&b, "]");
		if (cJSON_GetArraySize(init) > 0) {
			buf_adds(&b, " or one of the init containers: [");
			names(&b, init);
			buf_adds(&b, "]");
		}
		if (cJSON_GetArraySize(eph) > 0) {
			buf_adds(&b, " or one of the ephemeral containers: [");
			names(&b, eph);
			buf_adds(&b, "]");
		}
	}
	bad_request(r, b.data);
	buf_free(&b);
	return NULL;
}

static const cJSON *find_status(const cJSON *status, const char *name)
{
	static const char *const lists[] = {"containerStatuses", "initContainerStatuses",
					    "ephemeralContainerStatuses"};
	for (size_t i = 0; i < 3; i++) {
		const cJSON *cs;
		cJSON_ArrayForEach(cs, cJSON_GetObjectItemCaseSensitive(status, lists[i]))
		{
			const char *n = simjson_string(cs, "name");
			if (n && strcmp(n, name) == 0)
				return cs;
		}
	}
	return NULL;
}

static const cJSON *path2(const cJSON *o, const char *a, const char *b)
{
	const cJSON *x = cJSON_GetObjectItemCaseSensitive(o, a);
	return x ? cJSON_GetObjectItemCaseSensitive(x, b) : NULL;
}

/* The kubelet's validateContainerLogStatus: the instance to read, or NULL
 * with the error in *msg (heap). */
static const char *log_container_id(const cJSON *pod_status, const char *pod, const char *c,
				    bool previous, char **msg)
{
	*msg = NULL;
	const cJSON *cs = find_status(pod_status, c);
	if (!cs) {
		*msg = xasprintf("container \"%s\" in pod \"%s\" is not available", c, pod);
		return NULL;
	}
	const cJSON *waiting = path2(cs, "state", "waiting");
	const cJSON *running = path2(cs, "state", "running");
	const cJSON *term = path2(cs, "state", "terminated");
	const cJSON *last = path2(cs, "lastState", "terminated");
	const char *last_id = last ? simjson_string(last, "containerID") : NULL;
	if (last_id && !*last_id)
		last_id = NULL;
	if (previous) {
		if (!last_id)
			*msg = xasprintf(
			    "previous terminated container \"%s\" in pod \"%s\" not found", c, pod);
		return last_id;
	}
	if (running)
		return simjson_string(cs, "containerID");
	if (term) {
		const char *id = simjson_string(term, "containerID");
		if (id && *id)
			return id;
		if (last_id)
			return last_id;
		*msg = xasprintf("container \"%s\" in pod \"%s\" is terminated", c, pod);
		return NULL;
	}
	if (last) {
		if (!last_id)
			*msg = xasprintf("container \"%s\" in pod \"%s\" is terminated", c, pod);
		return last_id;
	}
	if (waiting) {
		const char *reason = simjson_string(waiting, "reason");
		reason = reason ? reason : "";
		if (strcmp(reason, "ErrImagePull") == 0)
			*msg =
			    xasprintf("container \"%s\" in pod \"%s\" is waiting to start: image "
				      "can't be pulled",
				      c, pod);
		else if (strcmp(reason, "ImagePullBackOff") == 0)
			*msg =
			    xasprintf("container \"%s\" in pod \"%s\" is waiting to start: trying "
				      "and failing to pull image",
				      c, pod);
		else
			*msg = xasprintf("container \"%s\" in pod \"%s\" is waiting to start: %s",
					 c, pod, reason);
		return NULL;
	}
	*msg =
	    xasprintf("container \"%s\" in pod \"%s\" is waiting to start - no logs yet", c, pod);
	return NULL;
}

void simpodlog_handle(struct simreq *r, const char *ns, const char *name)
{
	struct podlog_query q;
	char *msg = NULL;
	int rc = podlog_query_parse(query_arg, r, simclock_now(&r->sim->clock), name, &q, &msg);
	if (rc) {
		simreq_reply_status(r, (unsigned)rc, rc == 422 ? "Invalid" : "BadRequest", msg,
				    NULL);
		free(msg);
		return;
	}
	const struct simres *pods = simres_find("", "v1", "pods");
	struct simobj *o = simstore_get(r->sim->store, pods, ns, name);
	if (!o) {
		simapi_not_found(r, pods, name);
		return;
	}
	const cJSON *spec = cJSON_GetObjectItemCaseSensitive(o->json, "spec");
	const char *c = pick_container(r, spec, name, q.container);
	if (!c)
		return;
	const char *node = simjson_string(spec, "nodeName");
	if (!node || !*node) {
		empty(r); /* LogLocation: no host, no location, an empty stream */
		return;
	}
	const cJSON *status = cJSON_GetObjectItemCaseSensitive(o->json, "status");
	const char *cid = log_container_id(status, name, c, q.previous, &msg);
	if (!cid) {
		bad_request(r, msg);
		free(msg);
		return;
	}
	struct podlog *log = kubelet_pod_log(r->sim, ns, name, c, cid);
	if (!log) {
		empty(r);
		return;
	}
	if (q.follow) {
		if (nstreams >= SIMLOG_FOLLOW_MAX) {
			podlog_unref(log);
			simwatch_too_many(r);
			return;
		}
		follow(r, log, &q);
		return;
	}
	struct buf b = BUF_INIT;
	uint64_t seq = podlog_query_start(log, &q);
	int64_t sent = 0;
	render(log, &q, &seq, &sent, &b, SIZE_MAX);
	podlog_unref(log);
	simreq_reply_type(r, 200, "text/plain", &b);
}
