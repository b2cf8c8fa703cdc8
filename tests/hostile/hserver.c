#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "hserver.h"

/* Limits of what one request may be: the server is ours, the client is the
 * program under test, but a runaway client must not run the machine out. */
#define HS_HEAD_MAX (64 * 1024)
#define HS_BODY_MAX (16 * 1024 * 1024)
#define HS_REQS_PER_CONN 10000

static struct hs_scenario *scenarios;

/* src into dst (n bytes), cut short where it does not fit. */
static void copy_cut(char *dst, size_t n, const char *src)
{
	size_t len = strlen(src);
	if (len >= n)
		len = n - 1;
	memcpy(dst, src, len);
	dst[len] = '\0';
}
static int log_fd = -1;

void hs_register(struct hs_scenario *s)
{
	s->next = scenarios;
	scenarios = s;
}

int hs_send(struct hs_conn *c, const void *p, size_t n)
{
	const char *s = p;
	while (n > 0 && !c->closed) {
		ssize_t k = write(c->fd, s, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			c->closed = true;
			return -1;
		}
		s += k;
		n -= (size_t)k;
	}
	return c->closed ? -1 : 0;
}

int hs_sendf(struct hs_conn *c, const char *fmt, ...)
{
	char small[1024];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0)
		return -1;
	if ((size_t)n < sizeof(small))
		return hs_send(c, small, (size_t)n);
	char *big = malloc((size_t)n + 1);
	if (!big)
		return -1;
	va_start(ap, fmt);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	int rc = hs_send(c, big, (size_t)n);
	free(big);
	return rc;
}

static const char *reason_phrase(int status)
{
	switch (status) {
	case 200: return "OK";
	case 201: return "Created";
	case 301: return "Moved Permanently";
	case 302: return "Found";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 409: return "Conflict";
	case 410: return "Gone";
	case 422: return "Unprocessable Entity";
	case 429: return "Too Many Requests";
	case 500: return "Internal Server Error";
	case 503: return "Service Unavailable";
	default: return "Status";
	}
}

int hs_reply(struct hs_conn *c, int status, const char *ctype, const char *extra, const void *body,
	     size_t len)
{
	if (hs_sendf(c, "HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n%s\r\n", status,
		     reason_phrase(status), ctype ? ctype : "application/json", len,
		     extra ? extra : "") == 0 &&
	    len)
		hs_send(c, body, len);
	return HS_ANSWERED;
}

int hs_json(struct hs_conn *c, int status, const char *body)
{
	return hs_reply(c, status, NULL, NULL, body, strlen(body));
}

int hs_status(struct hs_conn *c, int code, const char *reason, const char *message)
{
	char *body = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&body, &len);
	if (!f)
		abort();
	fprintf(f,
		"{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
		"\"message\":\"%s\",\"reason\":\"%s\",\"code\":%d}",
		message, reason, code);
	fclose(f);
	int rc = hs_reply(c, code, NULL, NULL, body, len);
	free(body);
	return rc;
}

int hs_chunked_begin(struct hs_conn *c, int status, const char *ctype, const char *extra)
{
	return hs_sendf(c, "HTTP/1.1 %d %s\r\nContent-Type: %s\r\nTransfer-Encoding: chunked\r\n%s\r\n",
			status, reason_phrase(status), ctype ? ctype : "application/json",
			extra ? extra : "");
}

int hs_chunk(struct hs_conn *c, const void *p, size_t n)
{
	if (n == 0)
		return 0;
	if (hs_sendf(c, "%zx\r\n", n) < 0 || hs_send(c, p, n) < 0)
		return -1;
	return hs_send(c, "\r\n", 2);
}

int hs_chunked_end(struct hs_conn *c)
{
	return hs_send(c, "0\r\n\r\n", 5);
}

void hs_hangup(struct hs_conn *c)
{
	if (!c->closed) {
		shutdown(c->fd, SHUT_RDWR);
		c->closed = true;
	}
}

void hs_wait_peer(struct hs_conn *c, int seconds)
{
	time_t end = time(NULL) + seconds;
	while (!c->closed && time(NULL) < end) {
		struct pollfd p = {.fd = c->fd, .events = POLLIN};
		int n = poll(&p, 1, 1000);
		if (n > 0) {
			char sink[4096];
			ssize_t k = read(c->fd, sink, sizeof(sink));
			if (k <= 0)
				c->closed = true;
		}
	}
}

static int hexval(int ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

const char *hs_query(const struct hs_req *r, const char *key, char *out, size_t n)
{
	size_t klen = strlen(key);
	const char *q = r->query;
	while (*q) {
		const char *amp = strchr(q, '&');
		size_t seg = amp ? (size_t)(amp - q) : strlen(q);
		if (seg >= klen && strncmp(q, key, klen) == 0 && (seg == klen || q[klen] == '=')) {
			const char *v = seg == klen ? q + klen : q + klen + 1;
			const char *end = q + seg;
			size_t o = 0;
			while (v < end && o + 1 < n) {
				if (*v == '%' && v + 2 < end + 1 && hexval(v[1]) >= 0 &&
				    hexval(v[2]) >= 0) {
					out[o++] = (char)(hexval(v[1]) * 16 + hexval(v[2]));
					v += 3;
				} else {
					out[o++] = *v == '+' ? ' ' : *v;
					v++;
				}
			}
			out[o] = '\0';
			return out;
		}
		q += seg;
		if (*q == '&')
			q++;
	}
	return NULL;
}

bool hs_is_watch(const struct hs_req *r)
{
	char v[16];
	const char *w = hs_query(r, "watch", v, sizeof(v));
	return w && (strcmp(w, "1") == 0 || strcmp(w, "true") == 0);
}

const char *hs_resource(const struct hs_req *r, char *out, size_t n)
{
	const char *slash = strrchr(r->path, '/');
	copy_cut(out, n, slash ? slash + 1 : r->path);
	return out;
}

static const char *list_kind(const char *res)
{
	static const struct {
		const char *res, *kind;
	} kinds[] = {
		{"pods", "PodList"},
		{"deployments", "DeploymentList"},
		{"replicasets", "ReplicaSetList"},
		{"events", "EventList"},
		{"namespaces", "NamespaceList"},
		{"services", "ServiceList"},
		{"endpoints", "EndpointsList"},
		{"nodes", "NodeList"},
	};
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strcmp(kinds[i].res, res) == 0)
			return kinds[i].kind;
	return "List";
}

int hs_list(struct hs_conn *c, const struct hs_req *r, const char *items, const char *rv,
	    const char *cont)
{
	char res[256];
	hs_resource(r, res, sizeof(res));
	bool apps = strncmp(r->path, "/apis/apps/", 11) == 0;
	char *body = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&body, &len);
	if (!f)
		abort();
	fprintf(f, "{\"kind\":\"%s\",\"apiVersion\":\"%s\",\"metadata\":{\"resourceVersion\":\"%s\"",
		list_kind(res), apps ? "apps/v1" : "v1", rv);
	if (cont)
		fprintf(f, ",\"continue\":\"%s\"", cont);
	fprintf(f, "},\"items\":%s}", items);
	fclose(f);
	int rc = hs_reply(c, 200, NULL, NULL, body, len);
	free(body);
	return rc;
}

int hs_default(struct hs_conn *c, const struct hs_req *r)
{
	if (strcmp(r->path, "/version") == 0)
		return hs_json(c, 200,
			       "{\"major\":\"1\",\"minor\":\"30\",\"gitVersion\":\"v1.30.0-hostile\","
			       "\"platform\":\"linux/amd64\"}");
	if (strcmp(r->path, "/healthz") == 0 || strcmp(r->path, "/readyz") == 0)
		return hs_reply(c, 200, "text/plain", NULL, "ok", 2);
	if (strcmp(r->method, "POST") == 0 && strstr(r->path, "accessreviews")) {
		char res[128];
		hs_resource(r, res, sizeof(res));
		char body[512];
		snprintf(body, sizeof(body),
			 "{\"kind\":\"%s\",\"apiVersion\":\"authorization.k8s.io/v1\","
			 "\"status\":{\"allowed\":true}}",
			 strcmp(res, "selfsubjectaccessreviews") == 0 ? "SelfSubjectAccessReview"
								      : "SubjectAccessReview");
		return hs_json(c, 201, body);
	}
	if (strcmp(r->method, "GET") == 0 && hs_is_watch(r)) {
		char v[32];
		const char *t = hs_query(r, "timeoutSeconds", v, sizeof(v));
		int secs = t ? atoi(t) : 60;
		if (secs <= 0 || secs > 60)
			secs = 60;
		if (hs_chunked_begin(c, 200, NULL, NULL) == 0) {
			hs_wait_peer(c, secs);
			hs_chunked_end(c);
		}
		return HS_ANSWERED;
	}
	if (strcmp(r->method, "GET") == 0 &&
	    (strncmp(r->path, "/api/v1/", 8) == 0 || strncmp(r->path, "/apis/", 6) == 0)) {
		/* After the group version, a collection has an odd number of
		 * segments (pods, namespaces/NS/pods), an object an even one. */
		const char *p = r->path + (r->path[4] == '/' ? 8 : 6);
		int skip = r->path[4] == '/' ? 0 : 2; /* /apis/GROUP/VERSION/ */
		for (; skip > 0 && p; skip--) {
			p = strchr(p, '/');
			p = p ? p + 1 : NULL;
		}
		int segs = 0;
		for (const char *q = p; q && *q; segs++) {
			q = strchr(q, '/');
			q = q ? q + 1 : NULL;
		}
		if (segs % 2 == 1)
			return hs_list(c, r, "[]", "1", NULL);
		if (segs > 0)
			return hs_status(c, 404, "NotFound", "not found");
	}
	if (strcmp(r->path, "/api") == 0)
		return hs_json(c, 200, "{\"kind\":\"APIVersions\",\"versions\":[\"v1\"]}");
	if (strcmp(r->path, "/apis") == 0)
		return hs_json(c, 200,
			       "{\"kind\":\"APIGroupList\",\"apiVersion\":\"v1\",\"groups\":[{\"name\":"
			       "\"apps\",\"versions\":[{\"groupVersion\":\"apps/v1\",\"version\":\"v1\"}],"
			       "\"preferredVersion\":{\"groupVersion\":\"apps/v1\",\"version\":\"v1\"}}]}");
	return hs_status(c, 404, "NotFound", "the server could not find the requested resource");
}

static void log_request(const struct hs_req *r)
{
	if (log_fd < 0)
		return;
	char line[sizeof(r->path) + sizeof(r->query) + 64];
	int n = snprintf(line, sizeof(line), "%s %s%s%s\n", r->method, r->path, *r->query ? "?" : "",
			 r->query);
	if (n > 0) {
		size_t len = (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1;
		ssize_t w = write(log_fd, line, len); /* one write: O_APPEND keeps lines whole */
		(void)w;
	}
}

/* Read one request into r; 0, or -1 when the connection ended or the
 * request is beyond what hserver takes. */
static int read_request(struct hs_conn *c, struct hs_req *r, char **pending, size_t *plen)
{
	char *buf = *pending;
	size_t len = *plen;
	char *end = NULL;
	for (;;) {
		if (buf) {
			buf[len] = '\0';
			end = strstr(buf, "\r\n\r\n");
			if (end)
				break;
		}
		if (len >= HS_HEAD_MAX)
			return -1;
		if (!buf) { /* once per connection: room for a head and a body */
			buf = malloc(HS_HEAD_MAX + HS_BODY_MAX + 1);
			if (!buf)
				return -1;
			*pending = buf;
		}
		ssize_t k = read(c->fd, buf + len, HS_HEAD_MAX - len);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return -1;
		len += (size_t)k;
		*plen = len;
	}
	size_t head = (size_t)(end + 4 - buf);
	*end = '\0';
	char target[sizeof(r->path) + sizeof(r->query) + 2];
	if (sscanf(buf, "%15s %20479s", r->method, target) != 2)
		return -1;
	char *q = strchr(target, '?');
	if (q)
		*q++ = '\0';
	copy_cut(r->path, sizeof(r->path), target);
	copy_cut(r->query, sizeof(r->query), q ? q : "");
	char *eol = strstr(buf, "\r\n");
	r->headers = strdup(eol ? eol + 2 : "");
	size_t want = 0;
	for (char *h = r->headers; h && *h;) {
		if (strncasecmp(h, "Content-Length:", 15) == 0)
			want = strtoul(h + 15, NULL, 10);
		if (strncasecmp(h, "Transfer-Encoding:", 18) == 0)
			return -1; /* podscope sends Content-Length */
		char *nl = strstr(h, "\r\n");
		h = nl ? nl + 2 : NULL;
	}
	if (want > HS_BODY_MAX)
		return -1;
	while (len - head < want) {
		ssize_t k = read(c->fd, buf + len, head + want - len);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return -1;
		len += (size_t)k;
	}
	r->body = NULL;
	r->body_len = want;
	if (want) {
		r->body = malloc(want + 1);
		if (!r->body)
			return -1;
		memcpy(r->body, buf + head, want);
		r->body[want] = '\0';
	}
	/* Keep what came after this request for the next one. */
	size_t rest = len - head - want;
	memmove(buf, buf + head + want, rest);
	*plen = rest;
	return 0;
}

static void serve(int fd, struct hs_scenario *sc)
{
	struct hs_conn c = {.fd = fd};
	char *pending = NULL;
	size_t plen = 0;
	for (unsigned long n = 1; n <= HS_REQS_PER_CONN && !c.closed; n++) {
		struct hs_req *r = calloc(1, sizeof(*r));
		if (!r || read_request(&c, r, &pending, &plen) < 0) {
			free(r);
			break;
		}
		r->n = n;
		log_request(r);
		if (!sc->handle(&c, r))
			hs_default(&c, r);
		free(r->headers);
		free(r->body);
		free(r);
	}
	free(pending);
	close(fd);
}

static void on_term(int sig)
{
	(void)sig;
	kill(0, SIGKILL); /* the whole group: every connection's process too */
	_exit(0);
}

static void usage(void)
{
	fprintf(stderr, "usage: hserver SCENARIO [--log FILE] [--lifetime SECONDS]\n"
			"       hserver --list\n");
}

int main(int argc, char **argv)
{
	const char *name = NULL, *logpath = NULL;
	int lifetime = 300;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--list") == 0) {
			for (struct hs_scenario *s = scenarios; s; s = s->next)
				printf("%-28s %s\n", s->name, s->what);
			return 0;
		} else if (strcmp(argv[i], "--log") == 0 && i + 1 < argc) {
			logpath = argv[++i];
		} else if (strcmp(argv[i], "--lifetime") == 0 && i + 1 < argc) {
			lifetime = atoi(argv[++i]);
		} else if (!name && argv[i][0] != '-') {
			name = argv[i];
		} else {
			usage();
			return 2;
		}
	}
	struct hs_scenario *sc = NULL;
	for (struct hs_scenario *s = scenarios; s && name; s = s->next)
		if (strcmp(s->name, name) == 0)
			sc = s;
	if (!sc) {
		fprintf(stderr, "hserver: no scenario %s (--list lists them)\n", name ? name : "given");
		return 2;
	}
	if (logpath) {
		log_fd = open(logpath, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
		if (log_fd < 0) {
			perror(logpath);
			return 2;
		}
	}
	/* A group of our own, so that stopping the server stops every
	 * connection's process, and a time after which it stops by itself. */
	setpgid(0, 0);
	signal(SIGTERM, on_term);
	signal(SIGINT, on_term);
	signal(SIGALRM, on_term);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGCHLD, SIG_IGN);
	alarm((unsigned)(lifetime > 0 ? lifetime : 300));

	int lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int one = 1;
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t alen = sizeof(a);
	if (lfd < 0 || bind(lfd, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(lfd, 128) < 0 ||
	    getsockname(lfd, (struct sockaddr *)&a, &alen) < 0) {
		perror("hserver: listen on 127.0.0.1");
		return 1;
	}
	printf("%d\n", ntohs(a.sin_port));
	fflush(stdout);
	pid_t parent = getpid();
	for (;;) {
		int fd = accept(lfd, NULL, NULL);
		if (fd < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			perror("hserver: accept");
			return 1;
		}
		pid_t pid = fork();
		if (pid == 0) {
			close(lfd);
			signal(SIGTERM, SIG_DFL);
			signal(SIGINT, SIG_DFL);
			alarm(0);
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			if (getppid() != parent)
				_exit(0);
			serve(fd, sc);
			_exit(0);
		}
		close(fd);
	}
}
