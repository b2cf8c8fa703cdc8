#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include <microhttpd.h>

#include "podscope/xalloc.h"

#include "api.h"
#include "auth.h"
#include "control.h"
#include "evloop.h"
#include "faults.h"
#include "http.h"
#include "reqlog.h"
#include "server.h"

/* Request bodies above this get 413, as kube-apiserver's 3 MiB limit. */
#define MAX_BODY (3u * 1024 * 1024)
/* Seconds a connection may sit idle (watch streams set their own: none). */
#define IDLE_TIMEOUT_S 30
/* Connections at most, whatever the descriptor limit allows. */
#define MAX_CONNECTIONS 16384

/*
 * As many connections as descriptors allow (the soft limit raised to the
 * hard one), less a margin for files and the loop, so that idle clients
 * cannot take every slot while watches have their own, lower, limit.
 */
static unsigned connection_limit(void)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		return 1000;
	if (rl.rlim_cur < rl.rlim_max && rl.rlim_cur < MAX_CONNECTIONS + 64) {
		rl.rlim_cur = rl.rlim_max < MAX_CONNECTIONS + 64 ? rl.rlim_max : MAX_CONNECTIONS + 64;
		setrlimit(RLIMIT_NOFILE, &rl);
		getrlimit(RLIMIT_NOFILE, &rl);
	}
	if (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur > MAX_CONNECTIONS + 64)
		return MAX_CONNECTIONS;
	return rl.rlim_cur > 128 ? (unsigned)(rl.rlim_cur - 64) : 64;
}

struct simsrv {
	struct MHD_Daemon *daemon;
	int epoll_fd;
	int port;
	char url[64];
};

static void *on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
	struct simreq *r = xcalloc(1, sizeof(*r));
	r->sim = cls;
	r->conn = conn;
	r->uri = xstrdup(uri);
	return r;
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
	struct simreq *r = *con_cls;
	if (!r)
		return;
	if (!r->status && r->method) /* the client went away before any answer */
		reqlog_write(r->sim->log, simuser_name(r->user), r->method, r->uri, 0);
	buf_free(&r->body);
	free(r->uri);
	free(r);
	*con_cls = NULL;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
	struct simreq *r = *con_cls;
	if (!r->started) {
		r->started = true;
		r->method = method;
		r->path = url;
		return MHD_YES;
	}
	if (*upload_data_size) {
		if (r->body.len + *upload_data_size > MAX_BODY)
			r->body_too_large = true;
		else
			buf_add(&r->body, upload_data, *upload_data_size);
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (r->status) /* answered already; MHD calls once more after a queued reply */
		return MHD_YES;
	r->user = simauth_identify(r->sim->auth, conn);
	if (simfault_request(r))
		return MHD_YES;
	if (!simctl_handle(r))
		simapi_handle(r);
	return r->status ? MHD_YES : MHD_NO;
}

/* The epoll fd only wakes the loop; on_check runs the daemon after every wake-up,
 * because MHD may have work left (MHD_get_timeout 0) with nothing readable. */
static void on_epoll(void *ud, int fd, short revents)
{
}

static void on_check(void *ud)
{
	simsrv_run(ud);
}

static int64_t on_prepare(void *ud)
{
	struct sim *sim = ud;
	MHD_UNSIGNED_LONG_LONG t;
	if (MHD_get_timeout(sim->srv->daemon, &t) != MHD_YES)
		return -1;
	return (int64_t)t;
}

static void log_cb(void *cls, const char *fmt, va_list ap)
{
	fputs("podscope-sim: libmicrohttpd: ", stderr);
	vfprintf(stderr, fmt, ap);
}

static void panic_cb(void *cls, const char *file, unsigned int line, const char *reason)
{
	fprintf(stderr, "podscope-sim: libmicrohttpd: %s:%u: %s\n", file, line,
	        reason ? reason : "fatal error");
	abort();
}

int simsrv_start(struct sim *sim, struct perr *err)
{
	struct simsrv *s = xcalloc(1, sizeof(*s));
	struct sockaddr_in addr;
	memset(&addr, 0, sizeof(addr));
	addr.sin_family = AF_INET;
	addr.sin_port = htons((uint16_t)sim->cfg.port);
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);

	unsigned flags = MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG;
	const struct simcerts *c = simauth_certs(sim->auth);
	struct MHD_OptionItem tls_opts[] = {
	    {MHD_OPTION_HTTPS_MEM_KEY, 0, c ? c->server_key_pem : NULL},
	    {MHD_OPTION_HTTPS_MEM_CERT, 0, c ? c->server_cert_pem : NULL},
	    {MHD_OPTION_HTTPS_MEM_TRUST, 0, c ? c->ca_pem : NULL},
	    {MHD_OPTION_END, 0, NULL},
	};
	if (c)
		flags |= MHD_USE_TLS;
	MHD_set_panic_func(panic_cb, NULL);
	s->daemon = MHD_start_daemon(
	    flags, 0, NULL, NULL, on_request, sim, MHD_OPTION_EXTERNAL_LOGGER, log_cb, NULL,
	    MHD_OPTION_SOCK_ADDR, &addr, MHD_OPTION_URI_LOG_CALLBACK, on_uri, sim,
	    MHD_OPTION_NOTIFY_COMPLETED, on_completed, sim, MHD_OPTION_CONNECTION_TIMEOUT,
	    (unsigned)IDLE_TIMEOUT_S, MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(256 * 1024),
	    MHD_OPTION_CONNECTION_LIMIT, connection_limit(), MHD_OPTION_PER_IP_CONNECTION_LIMIT,
	    (unsigned)0, MHD_OPTION_ARRAY, c ? tls_opts : &tls_opts[3], MHD_OPTION_END);
	if (!s->daemon) {
		perr_set(err, PERR_SYSTEM, "cannot listen on 127.0.0.1:%d", sim->cfg.port);
		free(s);
		return -1;
	}
	const union MHD_DaemonInfo *di = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
	s->port = di ? di->port : sim->cfg.port;
	di = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_EPOLL_FD);
	s->epoll_fd = di ? di->epoll_fd : -1;
	if (s->epoll_fd < 0) {
		perr_set(err, PERR_SYSTEM, "libmicrohttpd has no epoll descriptor");
		MHD_stop_daemon(s->daemon);
		free(s);
		return -1;
	}
	snprintf(s->url, sizeof(s->url), "%s://127.0.0.1:%d", c ? "https" : "http", s->port);
	sim->srv = s;
	evloop_add_fd(sim->loop, s->epoll_fd, POLLIN, on_epoll, sim);
	evloop_set_hooks(sim->loop, on_prepare, on_check, sim);
	return 0;
}

int simsrv_port(const struct sim *sim)
{
	return sim->srv->port;
}

const char *simsrv_url(const struct sim *sim)
{
	return sim->srv->url;
}

void simsrv_run(struct sim *sim)
{
	if (sim->srv)
		MHD_run(sim->srv->daemon);
}

void simsrv_stop(struct sim *sim)
{
	struct simsrv *s = sim->srv;
	if (!s)
		return;
	evloop_remove_fd(sim->loop, s->epoll_fd);
	evloop_set_hooks(sim->loop, NULL, NULL, NULL);
	MHD_stop_daemon(s->daemon);
	free(s);
	sim->srv = NULL;
}
