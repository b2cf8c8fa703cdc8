#include "config.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "podscope/buf.h"
#include "podscope/client.h"
#include "podscope/kubeconfig.h"
#include "podscope/loop.h"
#include "podscope/xalloc.h"

#include "netdiag.h"
#include "testutil.h"

/*
 * The client against a canned plain-HTTP answer on loopback, served from the
 * same loop (ploop_add_fd): what the request looked like on the wire, and
 * how answers the simulator does not give (429 with Retry-After, a body cut
 * short, a closed connection) come out.
 */

#define TOKEN "podscope-test-secret-token-42"

/* Functions, so that a failed assertion cannot print the token. */
static bool has_token(const char *s)
{
	return strstr(s, TOKEN) != NULL;
}

static bool sent_bearer(const char *wire)
{
	return strstr(wire, "\r\nAuthorization: Bearer " TOKEN "\r\n") != NULL;
}

struct canned {
	struct ploop *l;
	int lfd, cfd;
	struct buf req;
	const char *answer; /* NULL: close without answering */
	bool answered;
};

static void on_conn(void *ud, int fd, short revents)
{
	struct canned *cs = ud;
	char chunk[4096];
	ssize_t n = read(fd, chunk, sizeof(chunk));
	if (n > 0)
		buf_add(&cs->req, chunk, (size_t)n);
	const char *end = cs->req.data ? strstr(cs->req.data, "\r\n\r\n") : NULL;
	bool complete = false;
	if (end) {
		const char *cl = strcasestr(cs->req.data, "\r\nContent-Length:");
		size_t want = cl && cl < end ? strtoul(cl + 17, NULL, 10) : 0;
		complete = cs->req.len - (size_t)(end + 4 - cs->req.data) >= want;
	}
	if (!complete && n > 0)
		return;
	if (cs->answer && complete)
		ck_assert_int_eq(write(fd, cs->answer, strlen(cs->answer)),
				 (ssize_t)strlen(cs->answer));
	cs->answered = true;
	ploop_remove_fd(cs->l, fd);
	close(fd);
	cs->cfd = -1;
}

static void on_listen(void *ud, int fd, short revents)
{
	struct canned *cs = ud;
	int c = accept(fd, NULL, NULL);
	if (c < 0)
		return;
	fcntl(c, F_SETFL, fcntl(c, F_GETFL) | O_NONBLOCK);
	cs->cfd = c;
	ploop_add_fd(cs->l, c, POLLIN, on_conn, cs);
}

/* Serve answer once on a fresh port; returns the server URL. */
static char *canned_start(struct canned *cs, struct ploop *l, const char *answer)
{
	memset(cs, 0, sizeof(*cs));
	cs->l = l;
	cs->cfd = -1;
	cs->answer = answer;
	cs->lfd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	ck_assert_int_eq(bind(cs->lfd, (struct sockaddr *)&a, sizeof(a)), 0);
	ck_assert_int_eq(listen(cs->lfd, 4), 0);
	socklen_t len = sizeof(a);
	getsockname(cs->lfd, (struct sockaddr *)&a, &len);
	ploop_add_fd(l, cs->lfd, POLLIN, on_listen, cs);
	return xasprintf("http://127.0.0.1:%d", ntohs(a.sin_port));
}

static void canned_stop(struct canned *cs)
{
	ploop_remove_fd(cs->l, cs->lfd);
	close(cs->lfd);
	if (cs->cfd >= 0) {
		ploop_remove_fd(cs->l, cs->cfd);
		close(cs->cfd);
	}
	buf_free(&cs->req);
}

/* One request through a client for conn against answer; the request as the
 * server saw it goes to *wire (heap). */
static void exchange(struct kc_conn *conn, const char *answer, const struct kreq_spec *spec,
		     struct kresp *out, char **wire)
{
	struct ploop *l = ploop_new();
	struct canned cs;
	char *url = canned_start(&cs, l, answer);
	conn->server = url;
	struct perr err = {0};
	struct kclient *c = kclient_new(l, conn, &err);
	ck_assert_msg(c != NULL, "%s", perr_msg(&err));
	kclient_request(c, spec, out);
	*wire = xstrdup(cs.req.data ? cs.req.data : "");
	kclient_free(c);
	canned_stop(&cs);
	ploop_free(l);
	free(url);
	conn->server = NULL;
}

static const char ok_answer[] = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
				"Content-Length: 11\r\nConnection: close\r\n\r\n{\"ok\":true}";

START_TEST(request_on_the_wire)
{
	struct kc_conn conn = {0};
	conn.user_name = (char *)"tester";
	conn.auth = KC_AUTH_TOKEN;
	conn.token = (char *)TOKEN;
	struct kreq_spec spec = {.path = "/api/v1/pods?limit=500"};
	struct kresp r;
	char *wire;
	exchange(&conn, ok_answer, &spec, &r, &wire);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(r.body, "{\"ok\":true}");
	ck_assert_int_eq(r.retry_after_s, -1);
	ck_assert_msg(strncmp(wire, "GET /api/v1/pods?limit=500 HTTP/1.1\r\n", 37) == 0, "%.*s",
		      (int)strcspn(wire, "\r"), wire);
	ck_assert_ptr_nonnull(strstr(wire, "\r\nUser-Agent: podscope/" PACKAGE_VERSION "\r\n"));
	ck_assert_ptr_nonnull(strstr(wire, "\r\nAccept: application/json\r\n"));
	ck_assert_ptr_nonnull(strstr(wire, "\r\nAccept-Encoding: "));
	ck_assert_ptr_nonnull(strstr(wire, "gzip"));
	ck_assert_msg(sent_bearer(wire), "no Authorization: Bearer header with the token");
	kresp_free(&r);
	free(wire);
}
END_TEST

START_TEST(patch_with_body_and_basic_auth)
{
	struct kc_conn conn = {0};
	conn.auth = KC_AUTH_BASIC;
	conn.username = (char *)"alice";
	conn.password = (char *)"s3cret";
	const char *body = "{\"spec\":{\"paused\":true}}";
	struct kreq_spec spec = {.method = "PATCH",
				 .path = "/apis/apps/v1/namespaces/a/deployments/web",
				 .content_type = "application/strategic-merge-patch+json",
				 .body = body,
				 .body_len = strlen(body)};
	struct kresp r;
	char *wire;
	exchange(&conn, ok_answer, &spec, &r, &wire);
	ck_assert_int_eq(r.status, 200);
	ck_assert_msg(strncmp(wire, "PATCH /apis/apps/v1/namespaces/a/deployments/web ", 49) == 0,
		      "%.*s", (int)strcspn(wire, "\r"), wire);
	ck_assert_ptr_nonnull(
	    strstr(wire, "\r\nContent-Type: application/strategic-merge-patch+json\r\n"));
	/* base64("alice:s3cret") */
	ck_assert_msg(strstr(wire, "\r\nAuthorization: Basic YWxpY2U6czNjcmV0\r\n"),
		      "no basic Authorization header");
	ck_assert_ptr_null(strstr(wire, "Expect:"));
	ck_assert_ptr_nonnull(strstr(wire, body));
	kresp_free(&r);
	free(wire);
}
END_TEST

START_TEST(retry_after_and_status)
{
	struct kc_conn conn = {0};
	conn.auth = KC_AUTH_TOKEN;
	conn.token = (char *)TOKEN;
	const char *answer = "HTTP/1.1 429 Too Many Requests\r\nRetry-After: 7\r\n"
			     "Content-Type: application/json\r\nConnection: close\r\n"
			     "Content-Length: 122\r\n\r\n"
			     "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\","
			     "\"message\":\"too many requests\",\"reason\":\"TooManyRequests\","
			     "\"code\":429}";
	ck_assert_uint_eq(strlen(strstr(answer, "\r\n\r\n") + 4), 122);
	struct kreq_spec spec = {.path = "/api/v1/pods"};
	struct kresp r;
	char *wire;
	exchange(&conn, answer, &spec, &r, &wire);
	ck_assert_int_eq(r.status, 429);
	ck_assert_int_eq(r.retry_after_s, 7);
	ck_assert_int_eq(r.err.kind, PERR_API);
	ck_assert_int_eq(r.err.http_status, 429);
	ck_assert_str_eq(perr_msg(&r.err), "too many requests (TooManyRequests, HTTP 429) "
					   "\xe2\x80\x94 retry after 7 s");
	kresp_free(&r);
	free(wire);
}
END_TEST

START_TEST(unauthorized_never_shows_the_token)
{
	struct kc_conn conn = {0};
	conn.user_name = (char *)"tester";
	conn.auth = KC_AUTH_TOKEN;
	conn.token = (char *)TOKEN;
	const char *answer = "HTTP/1.1 401 Unauthorized\r\nContent-Type: text/plain\r\n"
			     "Connection: close\r\nContent-Length: 40\r\n\r\n"
			     "bad token " TOKEN "\n";
	ck_assert_uint_eq(strlen(strstr(answer, "\r\n\r\n") + 4), 40);
	struct kreq_spec spec = {.path = "/api"};
	struct kresp r;
	char *wire;
	exchange(&conn, answer, &spec, &r, &wire);
	ck_assert_int_eq(r.status, 401);
	ck_assert_int_eq(r.err.kind, PERR_AUTH);
	/* on failure, say so without printing the message: it holds the token */
	ck_assert_msg(!has_token(perr_msg(&r.err)), "the 401 message shows the token");
	ck_assert_ptr_nonnull(strstr(perr_msg(&r.err), "user \"tester\""));
	kresp_free(&r);
	free(wire);
}
END_TEST

START_TEST(cut_short_and_no_answer)
{
	struct kc_conn conn = {0};
	const char *cut = "HTTP/1.1 200 OK\r\nContent-Length: 100\r\nConnection: close\r\n\r\n"
			  "{\"items\":[";
	struct kreq_spec spec = {.path = "/api/v1/pods"};
	struct kresp r;
	char *wire;
	exchange(&conn, cut, &spec, &r, &wire);
	ck_assert_int_eq(r.err.kind, PERR_NETWORK);
	ck_assert_msg(strstr(perr_msg(&r.err), "was cut short"), "%s", perr_msg(&r.err));
	kresp_free(&r);
	free(wire);

	exchange(&conn, NULL, &spec, &r, &wire);
	ck_assert_int_eq(r.status, 0);
	ck_assert_int_eq(r.err.kind, PERR_NETWORK);
	ck_assert_msg(strstr(perr_msg(&r.err), "closed the connection without answering"), "%s",
		      perr_msg(&r.err));
	kresp_free(&r);
	free(wire);
}
END_TEST

/* proxy-url is used; without it, a loopback server is never proxied, even
 * when http_proxy says so (as in Go). */
START_TEST(proxies)
{
	struct ploop *l = ploop_new();
	struct canned cs;
	char *proxy = canned_start(&cs, l, ok_answer);
	struct kc_conn conn = {0};
	conn.server = (char *)"http://api.podscope.invalid:8080";
	conn.proxy_url = proxy;
	struct kclient *c = kclient_new(l, &conn, NULL);
	struct kreq_spec spec = {.path = "/version"};
	struct kresp r;
	kclient_request(c, &spec, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_msg(strncmp(cs.req.data, "GET http://api.podscope.invalid:8080/version ", 45) ==
			  0,
		      "%.*s", (int)strcspn(cs.req.data, "\r"), cs.req.data);
	kresp_free(&r);
	kclient_free(c);
	canned_stop(&cs);
	ploop_free(l);
	free(proxy);

	setenv("http_proxy", "http://127.0.0.1:1", 1);
	conn.proxy_url = NULL;
	char *wire;
	exchange(&conn, ok_answer, &spec, &r, &wire);
	unsetenv("http_proxy");
	ck_assert_msg(r.status == 200, "%s", perr_msg(&r.err));
	ck_assert(strncmp(wire, "GET /version ", 13) == 0);
	kresp_free(&r);
	free(wire);
}
END_TEST

/* The error a GET of path gets from answer, its status in *status (heap). */
static char *error_from(const char *answer, const char *path, long *status, size_t *body_len)
{
	struct kc_conn conn = {0};
	struct kreq_spec spec = {.path = path};
	struct kresp r;
	char *wire;
	exchange(&conn, answer, &spec, &r, &wire);
	ck_assert_int_eq(r.err.kind, PERR_API);
	*status = r.status;
	*body_len = r.body_len;
	char *msg = xstrdup(perr_msg(&r.err));
	kresp_free(&r);
	free(wire);
	return msg;
}

/* A 3xx is an error naming where it pointed, its host escaped;
 * an error body past 64 KiB ends the transfer with its limit. */
START_TEST(redirects_and_big_errors)
{
	long status;
	size_t len;
	char *msg =
	    error_from("HTTP/1.1 302 Found\r\nLocation: https://ev\x1b[2Jil.example:8443/x\r\n"
		       "Content-Length: 0\r\nConnection: close\r\n\r\n",
		       "/api/v1/pods?limit=500", &status, &len);
	ck_assert_int_eq(status, 302);
	ck_assert_msg(strstr(msg, "GET /api/v1/pods: http://127.0.0.1:") &&
			  strstr(msg, " answered HTTP 302, a redirect to ev\\x1b[2Jil.example, not "
				      "followed"),
		      "%s", msg);
	free(msg);

	struct buf big = BUF_INIT;
	buf_printf(&big,
		   "HTTP/1.1 500 Internal Server Error\r\nContent-Length: %d\r\n"
		   "Connection: close\r\n\r\n",
		   70000);
	for (int i = 0; i < 70000; i++)
		buf_addc(&big, 'x');
	msg = error_from(big.data, "/api/v1/pods", &status, &len);
	ck_assert_int_eq(status, 500);
	ck_assert_msg(strstr(msg, "larger than 64 KiB (GET /api/v1/pods, HTTP 500): not read "
				  "further"),
		      "%s", msg);
	ck_assert_uint_le(len, 64 * 1024);
	free(msg);
	buf_free(&big);
}
END_TEST

/* ---- client certificates a TLS server refuses ---- */

static char tlsdir[64];

static bool sh(const char *fmt, const char *arg)
{
	char *cmd = xasprintf(fmt, arg, arg, arg, arg, arg, arg, arg, arg);
	int rc = system(cmd);
	free(cmd);
	return rc == 0;
}

/* A CA, a server certificate for 127.0.0.1, a client key with a certificate
 * that expired in 2020 and one signed by nobody the server trusts. */
static bool make_certs(void)
{
	return sh(
	    "cd %s && exec >/dev/null 2>&1 && "
	    "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes "
	    "-keyout ca.key -out ca.crt -subj /CN=test-ca -days 30 && "
	    "openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout srv.key "
	    "-out srv.csr -subj /CN=127.0.0.1 && "
	    "printf 'subjectAltName=IP:127.0.0.1\\n' >srv.ext && "
	    "openssl x509 -req -in srv.csr -CA ca.crt -CAkey ca.key -CAcreateserial "
	    "-out srv.crt -days 30 -extfile srv.ext && "
	    "openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout cli.key "
	    "-out cli.csr -subj /CN=tester && "
	    "mkdir db && touch db/index && echo 01 >db/serial && "
	    "printf '[ca]\\ndefault_ca=c\\n[c]\\ndatabase=db/index\\nnew_certs_dir=db\\n"
	    "certificate=ca.crt\\nprivate_key=ca.key\\nserial=db/serial\\ndefault_md=sha256\\n"
	    "policy=p\\n[p]\\ncommonName=supplied\\n' >ca.cnf && "
	    "openssl ca -batch -config ca.cnf -in cli.csr -out expired.crt -notext "
	    "-startdate 20200101000000Z -enddate 20200102000000Z && "
	    "openssl req -x509 -key cli.key -out stranger.crt -subj /CN=stranger -days 30",
	    tlsdir);
}

/* openssl s_server on a free loopback port, demanding a client certificate
 * from ca.crt; its pid in *pid. */
static int tls_server(pid_t *pid)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	bool got = bind(fd, (struct sockaddr *)&a, len) == 0 &&
		   getsockname(fd, (struct sockaddr *)&a, &len) == 0;
	close(fd); /* the port stays free for the server */
	ck_assert(got);
	int port = ntohs(a.sin_port);
	*pid = fork();
	ck_assert_int_ge(*pid, 0);
	if (*pid == 0) {
		char acc[32];
		snprintf(acc, sizeof(acc), "127.0.0.1:%d", port);
		int null = open("/dev/null", O_RDWR);
		dup2(null, 0);
		dup2(null, 1);
		dup2(null, 2);
		if (chdir(tlsdir) == 0)
			execlp("openssl", "openssl", "s_server", "-accept", acc, "-cert", "srv.crt",
			       "-key", "srv.key", "-CAfile", "ca.crt", "-Verify", "1",
			       "-verify_return_error", "-www", "-quiet", (char *)NULL);
		_exit(127);
	}
	/* Ready when it accepts. */
	int64_t until = ploop_now_ms() + 20000;
	for (;;) {
		int c = socket(AF_INET, SOCK_STREAM, 0);
		bool up = connect(c, (struct sockaddr *)&a, sizeof(a)) == 0;
		close(c);
		if (up)
			break;
		ck_assert_msg(ploop_now_ms() < until, "openssl s_server did not start");
		poll(NULL, 0, 20);
	}
	return port;
}

static char *version_with_cert(int port, const char *crt)
{
	char *path = xasprintf("%s/kubeconfig", tlsdir);
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fprintf(
	    f,
	    "apiVersion: v1\nkind: Config\nclusters:\n- name: t\n  cluster:\n"
	    "    server: https://127.0.0.1:%d\n    certificate-authority: %s/ca.crt\n"
	    "users:\n- name: u\n  user:\n    client-certificate: %s/%s\n"
	    "    client-key: %s/cli.key\ncontexts:\n- name: t\n  context: {cluster: t, user: u}\n"
	    "current-context: t\n",
	    port, tlsdir, tlsdir, crt, tlsdir);
	fclose(f);
	struct kc_options opt = {.kubeconfig = path};
	struct perr err = {0};
	struct kc_conn *conn = kc_load(&opt, &err);
	ck_assert_msg(conn != NULL, "%s", perr_msg(&err));
	struct ploop *l = ploop_new();
	struct kclient *c = kclient_new(l, conn, &err);
	ck_assert_msg(c != NULL, "%s", perr_msg(&err));
	struct kreq_spec spec = {.path = "/version"};
	struct kresp r;
	kclient_request(c, &spec, &r);
	ck_assert_int_ne(r.err.kind, PERR_NONE);
	char *msg = xstrdup(perr_msg(&r.err));
	kresp_free(&r);
	kclient_free(c);
	ploop_free(l);
	kc_conn_free(conn);
	free(path);
	return msg;
}

START_TEST(refused_client_certificates)
{
	strcpy(tlsdir, "/tmp/podscope-tls-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tlsdir));
	ck_assert_msg(system("openssl version >/dev/null 2>&1") == 0,
		      "the openssl command is needed for this test");
	ck_assert_msg(make_certs(), "openssl could not make the test certificates");
	pid_t pid;
	int port = tls_server(&pid);

	char *msg = version_with_cert(port, "expired.crt");
	ck_assert_msg(strstr(msg, "refused the connection: the client certificate expired on "
				  "2020-01-02 00:00 UTC"),
		      "%s", msg);
	ck_assert_msg(!strstr(msg, "getpeername"), "%s", msg);
	free(msg);
	msg = version_with_cert(port, "stranger.crt");
	ck_assert_msg(strstr(msg, "client certificate"), "%s", msg);
	ck_assert_msg(!strstr(msg, "getpeername"), "%s", msg);
	free(msg);

	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
	ck_assert(sh("rm -rf '%s'", tlsdir));
}
END_TEST

/* curl keeps its first complaint, which can be "getpeername() failed" when
 * the server dropped the connection after the handshake: the message says
 * what that means instead. */
START_TEST(getpeername_is_explained)
{
	struct knet_fail f = {
	    .rc = CURLE_RECV_ERROR,
	    .errbuf = "getpeername() failed with errno 107: Transport endpoint is not connected",
	    .server = "https://127.0.0.1:6443",
	    .connected = true,
	    .have_cert = true,
	};
	char *msg = knet_explain(&f);
	ck_assert_msg(strstr(msg, "closed the connection right after the handshake: did it "
				  "refuse the client certificate?"),
		      "%s", msg);
	ck_assert_msg(!strstr(msg, "getpeername"), "%s", msg);
	free(msg);
	f.cert_not_after = 1577923200; /* 2020-01-02 */
	f.now = 1700000000;
	msg = knet_explain(&f);
	ck_assert_msg(strstr(msg, "the client certificate expired on 2020-01-02 00:00 UTC"), "%s",
		      msg);
	free(msg);
}
END_TEST

/* curl's text may quote the server (a certificate's names): it reaches a
 * message escaped. */
START_TEST(curl_text_is_printable)
{
	struct knet_fail f = {
	    .rc = CURLE_SSL_CONNECT_ERROR,
	    .errbuf = "SSL: odd name 'x\x1b]0;owned\x07\xc2\x9b"
		      "2J' in the certificate",
	    .server = "https://127.0.0.1:6443",
	};
	char *msg = knet_explain(&f);
	ck_assert_msg(strstr(msg, "odd name 'x\\x1b]0;owned\\x07\\u009b2J'"), "%s", msg);
	free(msg);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("client_http");
	TCase *tc = tcase_create("wire");
	tcase_add_test(tc, request_on_the_wire);
	tcase_add_test(tc, patch_with_body_and_basic_auth);
	tcase_add_test(tc, retry_after_and_status);
	tcase_add_test(tc, unauthorized_never_shows_the_token);
	tcase_add_test(tc, cut_short_and_no_answer);
	tcase_add_test(tc, proxies);
	tcase_add_test(tc, redirects_and_big_errors);
	suite_add_tcase(s, tc);
	tc = tcase_create("tls");
	tcase_add_test(tc, refused_client_certificates);
	tcase_add_test(tc, getpeername_is_explained);
	tcase_add_test(tc, curl_text_is_printable);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return test_run_suite(suite());
}
