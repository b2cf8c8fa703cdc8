#include "config.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <stdio.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "podscope/buf.h"
#include "podscope/client.h"
#include "podscope/kubeconfig.h"
#include "podscope/loop.h"
#include "podscope/simlaunch.h"
#include "podscope/xalloc.h"

#include "testutil.h"

#define BAD_TOKEN "podscope-test-bad-token-0123456789"

static struct simlaunch *sim;

/* A function, so that a failed assertion cannot print the token. */
static bool has_bad_token(const char *s)
{
	return strstr(s, BAD_TOKEN) != NULL;
}

static void sim_up(void)
{
	const char *args[] = {"--tls", NULL};
	struct simlaunch_opts o = {.args = args,
				   .wrapper = getenv("PODSCOPE_SIM_WRAPPER"),
				   .timeout_ms = 60000,
				   .request_log = true,
				   .keep_stderr = true};
	struct perr err = {0};
	sim = simlaunch_start(&o, &err);
	ck_assert_msg(sim != NULL, "podscope-sim did not start: %s", perr_msg(&err));
}

static void sim_down(void)
{
	simlaunch_stop(sim);
	sim = NULL;
}

static struct kc_conn *load(const char *context)
{
	struct kc_options opt = {0};
	opt.kubeconfig = simlaunch_kubeconfig(sim);
	opt.context = context;
	struct perr err = {0};
	struct kc_conn *c = kc_load(&opt, &err);
	ck_assert_msg(c != NULL, "kc_load: %s", perr_msg(&err));
	return c;
}

static bool log_line_has(const char *a)
{
	char *log = test_slurp(simlaunch_request_log(sim));
	bool found = false;
	for (char *line = log ? strtok(log, "\n") : NULL; line && !found; line = strtok(NULL, "\n"))
		found = strstr(line, a) != NULL;
	free(log);
	return found;
}

/* Wait (with a generous deadline: valgrind, a busy machine) until the
 * request log has a line containing a. */
static bool log_has(const char *a)
{
	int64_t deadline = ploop_now_ms() + 30000;
	while (!log_line_has(a)) {
		if (ploop_now_ms() >= deadline)
			return false;
		struct timespec ts = {0, 20 * 1000000L};
		nanosleep(&ts, NULL);
	}
	return true;
}

static void get(struct kclient *c, const char *path, struct kresp *out)
{
	struct kreq_spec spec = {.path = path};
	kclient_request(c, &spec, out);
}

/* GET /version through conn; returns the response for more checks. */
static void expect_version_ok(const struct kc_conn *conn)
{
	struct ploop *l = ploop_new();
	struct perr err = {0};
	struct kclient *c = kclient_new(l, conn, &err);
	ck_assert_msg(c != NULL, "%s", perr_msg(&err));
	struct kresp r;
	get(c, "/version", &r);
	ck_assert_msg(r.status == 200, "status %ld: %s", r.status, perr_msg(&r.err));
	ck_assert_int_eq(r.err.kind, PERR_NONE);
	ck_assert_ptr_nonnull(strstr(r.body, "gitVersion"));
	ck_assert_uint_eq(r.body_len, strlen(r.body));
	ck_assert_int_eq(r.retry_after_s, -1);
	kresp_free(&r);
	kclient_free(c);
	ploop_free(l);
}

static char *version_error(const struct kc_conn *conn, long *status, enum perr_kind *kind)
{
	struct ploop *l = ploop_new();
	struct perr err = {0};
	struct kclient *c = kclient_new(l, conn, &err);
	ck_assert_msg(c != NULL, "%s", perr_msg(&err));
	struct kresp r;
	get(c, "/version", &r);
	*status = r.status;
	*kind = r.err.kind;
	char *msg = xstrdup(perr_msg(&r.err));
	kresp_free(&r);
	kclient_free(c);
	ploop_free(l);
	return msg;
}

START_TEST(client_cert_and_right_ca)
{
	struct kc_conn *conn = load("sim-admin");
	ck_assert_int_eq(conn->auth, KC_AUTH_CLIENT_CERT);
	ck_assert_ptr_nonnull(conn->ca_data);
	expect_version_ok(conn);
	ck_assert(log_has("sim-admin GET /version 200"));
	kc_conn_free(conn);
}
END_TEST

/* Keys, certificates and CAs go to libcurl from memory: a request with a
 * client certificate leaves no file behind (TMPDIR and HOME stay empty). */
START_TEST(no_key_material_on_disk)
{
	char dir[] = "/tmp/podscope-nofiles-XXXXXX";
	ck_assert_ptr_nonnull(mkdtemp(dir));
	char *old_tmp = xstrdup(getenv("TMPDIR")), *old_home = xstrdup(getenv("HOME"));
	setenv("TMPDIR", dir, 1);
	setenv("HOME", dir, 1);
	struct kc_conn *conn = load("sim-admin");
	expect_version_ok(conn);
	kc_conn_free(conn);
	DIR *d = opendir(dir);
	ck_assert_ptr_nonnull(d);
	int entries = 0;
	for (struct dirent *e; (e = readdir(d));)
		entries += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
	closedir(d);
	ck_assert_int_eq(entries, 0);
	ck_assert_int_eq(rmdir(dir), 0);
	if (old_tmp)
		setenv("TMPDIR", old_tmp, 1);
	else
		unsetenv("TMPDIR");
	if (old_home)
		setenv("HOME", old_home, 1);
	else
		unsetenv("HOME");
	free(old_tmp);
	free(old_home);
}
END_TEST

START_TEST(bearer_token)
{
	struct kc_conn *conn = load("sim-readonly");
	ck_assert_int_eq(conn->auth, KC_AUTH_TOKEN);
	expect_version_ok(conn);
	ck_assert(log_has("sim-readonly GET /version 200"));
	kc_conn_free(conn);
}
END_TEST

START_TEST(bad_token_401_is_clear_and_secret_free)
{
	struct kc_conn *conn = load("sim-readonly");
	char *saved = conn->token;
	conn->token = xstrdup(BAD_TOKEN);
	long status;
	enum perr_kind kind;
	char *msg = version_error(conn, &status, &kind);
	ck_assert_int_eq(status, 401);
	ck_assert_int_eq(kind, PERR_AUTH);
	ck_assert_msg(strstr(msg, "rejected the credentials of user \"sim-readonly\""), "%s", msg);
	ck_assert_msg(strstr(msg, "HTTP 401"), "%s", msg);
	ck_assert_msg(strstr(msg, "token expired"), "%s", msg);
	/* on failure, say so without printing the message: it holds a token */
	ck_assert_msg(!has_bad_token(msg) && !strstr(msg, saved), "a token in the 401 message");
	free(msg);
	free(conn->token);
	conn->token = saved;
	kc_conn_free(conn);
}
END_TEST

START_TEST(wrong_ca_fails_clearly)
{
	struct kc_conn *conn = load("sim-admin");
	unsigned char *saved = conn->ca_data;
	size_t saved_len = conn->ca_len;
	char *path = xasprintf("%s/tests/fixtures/tls/other-ca.pem", test_srcdir());
	char *pem = test_slurp(path);
	ck_assert_msg(pem && strlen(pem) > 100, "cannot read %s", path);
	conn->ca_data = (unsigned char *)pem;
	conn->ca_len = strlen(pem);
	long status;
	enum perr_kind kind;
	char *msg = version_error(conn, &status, &kind);
	ck_assert_int_eq(status, 0);
	ck_assert_int_eq(kind, PERR_NETWORK);
	ck_assert_msg(strstr(msg, "certificate signed by unknown authority"), "%s", msg);
	ck_assert_msg(strstr(msg, "certificate-authority"), "%s", msg);
	ck_assert_msg(strstr(msg, simlaunch_url(sim)), "%s", msg);
	free(msg);

	/* no CA at all: the system's CAs do not know the simulator either */
	conn->ca_data = NULL;
	conn->ca_len = 0;
	msg = version_error(conn, &status, &kind);
	ck_assert_msg(strstr(msg, "certificate signed by unknown authority"), "%s", msg);
	free(msg);

	conn->ca_data = saved;
	conn->ca_len = saved_len;
	free(pem);
	free(path);
	kc_conn_free(conn);
}
END_TEST

START_TEST(insecure_skip_verify_with_warning)
{
	struct kc_conn *conn = load("sim-readonly");
	unsigned char *saved = conn->ca_data;
	conn->ca_data = NULL;
	conn->insecure_skip_tls_verify = true;
	expect_version_ok(conn);
	struct ploop *l = ploop_new();
	struct kclient *c = kclient_new(l, conn, NULL);
	ck_assert_ptr_nonnull(kclient_warning(c));
	ck_assert_ptr_nonnull(strstr(kclient_warning(c), "insecure-skip-tls-verify"));
	kclient_free(c);
	conn->insecure_skip_tls_verify = false;
	conn->ca_data = saved;
	c = kclient_new(l, conn, NULL);
	ck_assert_ptr_null(kclient_warning(c));
	kclient_free(c);
	ploop_free(l);
	kc_conn_free(conn);
}
END_TEST

START_TEST(tls_server_name)
{
	struct kc_conn *conn = load("sim-admin");
	/* The connection goes to 127.0.0.1; the certificate is checked for
	 * the tls-server-name, which it covers... */
	conn->tls_server_name = xstrdup("localhost");
	expect_version_ok(conn);
	/* ...or does not: then it is a name error (not DNS: nothing resolves
	 * "wrong.podscope.invalid", it is only the name to verify). */
	free(conn->tls_server_name);
	conn->tls_server_name = xstrdup("wrong.podscope.invalid");
	long status;
	enum perr_kind kind;
	char *msg = version_error(conn, &status, &kind);
	ck_assert_int_eq(kind, PERR_NETWORK);
	ck_assert_msg(strstr(msg, "not valid for the name \"wrong.podscope.invalid\""), "%s", msg);
	free(msg);
	kc_conn_free(conn);
}
END_TEST

START_TEST(readonly_refuses_before_sending)
{
	struct kc_conn *conn = load("sim-admin");
	struct ploop *l = ploop_new();
	struct kclient *c = kclient_new(l, conn, NULL);
	kclient_set_readonly(c, true);
	ck_assert(kclient_readonly(c));
	const char *path = "/apis/apps/v1/namespaces/default/deployments/readonly-probe";
	struct kreq_spec spec = {.method = "PATCH",
				 .path = path,
				 .content_type = "application/merge-patch+json",
				 .body = "{\"spec\":{\"replicas\":0}}",
				 .body_len = 23};
	struct perr err = {0};
	ck_assert_ptr_null(kclient_start(c, &spec, NULL, NULL, NULL, &err));
	ck_assert_msg(strstr(perr_msg(&err), "read-only"), "%s", perr_msg(&err));
	ck_assert_msg(strstr(perr_msg(&err), "PATCH"), "%s", perr_msg(&err));
	perr_clear(&err);
	struct kresp r;
	kclient_request(c, &spec, &r);
	ck_assert_int_eq(r.status, 0);
	ck_assert_ptr_nonnull(strstr(perr_msg(&r.err), "read-only"));
	kresp_free(&r);
	spec.method = "DELETE";
	ck_assert_ptr_null(kclient_start(c, &spec, NULL, NULL, NULL, &err));
	perr_clear(&err);
	/* GET still goes; once its line is in the log, an earlier PATCH
	 * would be too */
	get(c, "/version?readonly-marker=1", &r);
	ck_assert_int_eq(r.status, 200);
	kresp_free(&r);
	ck_assert(log_has("GET /version?readonly-marker=1"));
	ck_assert(!log_line_has("readonly-probe"));
	kclient_free(c);
	ploop_free(l);
	kc_conn_free(conn);
}
END_TEST

START_TEST(forbidden_and_not_found_messages)
{
	struct kc_conn *conn = load("sim-readonly");
	struct ploop *l = ploop_new();
	struct kclient *c = kclient_new(l, conn, NULL);
	struct kreq_spec spec = {.method = "PATCH",
				 .path = "/apis/apps/v1/namespaces/default/deployments/web",
				 .content_type = "application/merge-patch+json",
				 .body = "{}",
				 .body_len = 2};
	struct kresp r;
	kclient_request(c, &spec, &r);
	ck_assert_int_eq(r.status, 403);
	ck_assert_int_eq(r.err.kind, PERR_API);
	ck_assert_int_eq(r.err.http_status, 403);
	ck_assert_str_eq(
	    perr_msg(&r.err),
	    "deployments.apps \"web\" is forbidden: User \"sim-readonly\" cannot patch "
	    "resource \"deployments\" in API group \"apps\" in the namespace "
	    "\"default\" (Forbidden, HTTP 403)");
	kresp_free(&r);
	get(c, "/api/v1/namespaces/default/pods/podscope-no-such-pod", &r);
	ck_assert_int_eq(r.status, 404);
	ck_assert_int_eq(r.err.kind, PERR_API);
	ck_assert_str_eq(perr_msg(&r.err),
			 "pods \"podscope-no-such-pod\" not found (NotFound, HTTP 404)");
	kresp_free(&r);
	kclient_free(c);
	ploop_free(l);
	kc_conn_free(conn);
}
END_TEST

struct watch_rec {
	struct buf data;
	int64_t first_data_ms, done_ms;
	long status;
	bool done;
};

static void watch_data(void *ud, const char *data, size_t len)
{
	struct watch_rec *w = ud;
	if (!w->first_data_ms)
		w->first_data_ms = ploop_now_ms();
	buf_add(&w->data, data, len);
}

static void watch_done(void *ud, struct kresp *resp)
{
	struct watch_rec *w = ud;
	w->done_ms = ploop_now_ms();
	w->status = resp->status;
	w->done = true;
	ck_assert_int_eq(resp->err.kind, PERR_NONE);
}

/* A watch: events come as they happen, long before the stream ends. */
START_TEST(watch_stream_delivers_as_it_arrives)
{
	struct kc_conn *conn = load("sim-admin");
	struct ploop *l = ploop_new();
	struct kclient *c = kclient_new(l, conn, NULL);
	struct watch_rec w = {BUF_INIT, 0, 0, 0, false};
	struct kreq_spec spec = {.path = "/api/v1/namespaces?watch=1&timeoutSeconds=2",
				 .stream = true};
	struct perr err = {0};
	ck_assert_ptr_nonnull(kclient_start(c, &spec, watch_data, watch_done, &w, &err));
	int64_t deadline = ploop_now_ms() + 30000;
	while (!w.done && ploop_now_ms() < deadline)
		ploop_run_once(l, 1000);
	ck_assert(w.done);
	ck_assert_int_eq(w.status, 200);
	ck_assert_int_gt(w.first_data_ms, 0);
	ck_assert_int_ge(w.done_ms - w.first_data_ms, 1000);
	int lines = 0;
	for (char *line = strtok(w.data.data, "\n"); line; line = strtok(NULL, "\n")) {
		ck_assert_ptr_nonnull(strstr(line, "\"type\":\"ADDED\""));
		lines++;
	}
	ck_assert_int_ge(lines, 1);
	buf_free(&w.data);
	kclient_free(c);
	ploop_free(l);
	kc_conn_free(conn);
}
END_TEST

/* --- exec plugins against the simulator --- */

struct exec_cfg {
	struct kc_exec e;
	struct kc_env env[6];
	char *fixdir;
};

static void exec_init(struct exec_cfg *x, const char *cmd)
{
	memset(x, 0, sizeof(*x));
	x->fixdir = xasprintf("%s/tests/fixtures/exec", test_srcdir());
	x->e.api_version = (char *)"client.authentication.k8s.io/v1";
	x->e.command = (char *)cmd;
	x->e.dir = x->fixdir;
	x->e.env = x->env;
	x->e.interactive_mode = (char *)"Never";
}

static void exec_env(struct exec_cfg *x, const char *name, char *value)
{
	x->env[x->e.nenv].name = (char *)name;
	x->env[x->e.nenv].value = value;
	x->e.nenv++;
}

static char *write_secret_file(const char *name, const void *data, size_t len)
{
	char *path = xasprintf("%s/%s", simlaunch_dir(sim), name);
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(data, 1, len, f), len);
	fclose(f);
	return path;
}

static int count_lines(const char *path);

static int count_lines_or_zero(const char *path)
{
	return access(path, F_OK) == 0 ? count_lines(path) : 0;
}

static int count_lines(const char *path)
{
	char *s = test_slurp(path);
	int n = 0;
	for (char *p = s; p && *p; p++)
		n += *p == '\n';
	free(s);
	return n;
}

/* Run the plugin instead of the kubeconfig's own credentials. */
struct swap {
	char *token;
	unsigned char *cert, *key;
	enum kc_auth auth;
};

static void use_exec(struct kc_conn *conn, struct exec_cfg *x, struct swap *s)
{
	s->token = conn->token;
	s->cert = conn->cert_data;
	s->key = conn->key_data;
	s->auth = conn->auth;
	conn->token = NULL;
	conn->cert_data = conn->key_data = NULL;
	conn->auth = KC_AUTH_EXEC;
	conn->exec = &x->e;
}

static void unuse_exec(struct kc_conn *conn, struct swap *s)
{
	conn->token = s->token;
	conn->cert_data = s->cert;
	conn->key_data = s->key;
	conn->auth = s->auth;
	conn->exec = NULL;
}

START_TEST(exec_token_against_sim)
{
	struct kc_conn *conn = load("sim-readonly");
	char *tf = write_secret_file("exec-token", conn->token, strlen(conn->token));
	struct exec_cfg x;
	exec_init(&x, "./token.sh");
	exec_env(&x, "TOKEN_FILE", tf);
	struct swap s;
	use_exec(conn, &x, &s);
	expect_version_ok(conn);
	unuse_exec(conn, &s);
	kc_conn_free(conn);
	free(tf);
	free(x.fixdir);
}
END_TEST

START_TEST(exec_client_cert_against_sim)
{
	struct kc_conn *conn = load("sim-admin");
	char *cf = write_secret_file("exec-cert.pem", conn->cert_data, conn->cert_len);
	char *kf = write_secret_file("exec-key.pem", conn->key_data, conn->key_len);
	struct exec_cfg x;
	exec_init(&x, "./cert.sh");
	exec_env(&x, "CERT_FILE", cf);
	exec_env(&x, "KEY_FILE", kf);
	struct swap s;
	use_exec(conn, &x, &s);
	expect_version_ok(conn);
	unuse_exec(conn, &s);
	kc_conn_free(conn);
	free(cf);
	free(kf);
	free(x.fixdir);
}
END_TEST

START_TEST(exec_rerun_once_after_401)
{
	struct kc_conn *conn = load("sim-readonly");
	char *tf = write_secret_file("exec-token2", conn->token, strlen(conn->token));
	char *count = xasprintf("%s/exec-count", simlaunch_dir(sim));
	struct exec_cfg x;
	exec_init(&x, "./token.sh");
	exec_env(&x, "TOKEN_FILE", tf);
	exec_env(&x, "PLUGIN_COUNT", count);
	exec_env(&x, "BAD_FIRST", (char *)"1");
	struct swap s;
	use_exec(conn, &x, &s);
	/* first run: a bad token, 401; the plugin runs again and the request
	 * is sent once more with the good one */
	expect_version_ok(conn);
	ck_assert_int_eq(count_lines(count), 2);
	unuse_exec(conn, &s);

	/* a plugin whose token is always refused: exactly one retry */
	char *bad = write_secret_file("exec-bad", BAD_TOKEN, strlen(BAD_TOKEN));
	unlink(count);
	struct exec_cfg y;
	exec_init(&y, "./token.sh");
	exec_env(&y, "TOKEN_FILE", bad);
	exec_env(&y, "PLUGIN_COUNT", count);
	use_exec(conn, &y, &s);
	long status;
	enum perr_kind kind;
	char *msg = version_error(conn, &status, &kind);
	ck_assert_int_eq(status, 401);
	ck_assert_int_eq(count_lines(count), 2);
	ck_assert_msg(strstr(msg, "exec credential plugin"), "%s", msg);
	ck_assert_msg(!has_bad_token(msg), "a token in the 401 message");
	free(msg);
	unuse_exec(conn, &s);

	kc_conn_free(conn);
	free(tf);
	free(bad);
	free(count);
	free(x.fixdir);
	free(y.fixdir);
}
END_TEST

START_TEST(exec_failure_stops_request)
{
	struct kc_conn *conn = load("sim-readonly");
	struct exec_cfg x;
	exec_init(&x, "./fail.sh");
	struct swap s;
	use_exec(conn, &x, &s);
	struct ploop *l = ploop_new();
	struct kclient *c = kclient_new(l, conn, NULL);
	struct kresp r;
	get(c, "/version?exec-fail-marker=1", &r);
	ck_assert_int_eq(r.status, 0);
	ck_assert_int_eq(r.err.kind, PERR_AUTH);
	ck_assert_ptr_nonnull(strstr(perr_msg(&r.err), "refresh token expired"));
	kresp_free(&r);
	unuse_exec(conn, &s);
	/* nothing was sent: once a later request is in the log, the failed
	 * one would be too */
	kclient_free(c);
	c = kclient_new(l, conn, NULL);
	get(c, "/version?after-exec-fail=1", &r);
	ck_assert_int_eq(r.status, 200);
	kresp_free(&r);
	ck_assert(log_has("after-exec-fail"));
	ck_assert(!log_line_has("exec-fail-marker"));
	kclient_free(c);
	ploop_free(l);
	kc_conn_free(conn);
	free(x.fixdir);
}
END_TEST

/* A plugin that takes its time (a login) runs on the loop: timers keep
 * firing while it thinks, the request goes when it answers, and a client
 * freed meanwhile kills it without calling anyone back. */
struct slow_plugin {
	struct ploop *l;
	int ticks;
	bool done;
	long status;
	struct ptimer *t;
};

static void slow_tick(void *ud)
{
	struct slow_plugin *sp = ud;
	sp->ticks++;
	sp->t = ploop_timer_in(sp->l, 50, slow_tick, sp);
}

static void slow_done(void *ud, struct kresp *r)
{
	struct slow_plugin *sp = ud;
	sp->done = true;
	sp->status = r->status;
}

START_TEST(exec_plugin_runs_on_the_loop)
{
	struct kc_conn *conn = load("sim-readonly");
	char *tf = write_secret_file("exec-token-slow", conn->token, strlen(conn->token));
	char *count = xasprintf("%s/exec-count-slow", simlaunch_dir(sim));
	struct exec_cfg x;
	exec_init(&x, "./token.sh");
	exec_env(&x, "TOKEN_FILE", tf);
	exec_env(&x, "SLEEP", (char *)"0.6");
	exec_env(&x, "PLUGIN_COUNT", count);
	struct swap s;
	use_exec(conn, &x, &s);
	struct slow_plugin sp = {.l = ploop_new()};
	struct perr err = {0};
	struct kclient *c = kclient_new(sp.l, conn, &err);
	ck_assert_msg(c != NULL, "%s", perr_msg(&err));
	sp.t = ploop_timer_in(sp.l, 50, slow_tick, &sp);
	/* two requests wait for the one run */
	struct slow_plugin sp2 = {.l = sp.l};
	struct kreq_spec spec = {.path = "/version"};
	ck_assert_ptr_nonnull(kclient_start(c, &spec, NULL, slow_done, &sp, &err));
	ck_assert_ptr_nonnull(kclient_start(c, &spec, NULL, slow_done, &sp2, &err));
	int64_t deadline = ploop_now_ms() + 20000;
	while ((!sp.done || !sp2.done) && ploop_now_ms() < deadline)
		ploop_run_once(sp.l, 100);
	ck_assert(sp.done && sp2.done);
	ck_assert_int_eq(sp.status, 200);
	ck_assert_int_eq(sp2.status, 200);
	/* 0.6 s of thinking at 50 ms a tick: about 12 ticks when the loop goes
	 * on (at least 3 on a loaded machine, under valgrind), at most 1 when
	 * the plugin holds it */
	ck_assert_msg(sp.ticks >= 3, "only %d ticks while the plugin ran", sp.ticks);
	ck_assert_int_eq(count_lines(count), 1);
	kclient_free(c);

	/* freed while the plugin thinks: no answer, the plugin is gone */
	unlink(count);
	c = kclient_new(sp.l, conn, &err);
	sp.done = false;
	ck_assert_ptr_nonnull(kclient_start(c, &spec, NULL, slow_done, &sp, &err));
	int64_t t0 = ploop_now_ms();
	while (count_lines_or_zero(count) == 0 && ploop_now_ms() < t0 + 10000)
		ploop_run_once(sp.l, 20);
	kclient_free(c);
	for (int i = 0; i < 10; i++)
		ploop_run_once(sp.l, 20);
	ck_assert(!sp.done);
	ploop_timer_cancel(sp.l, sp.t);
	ploop_free(sp.l);
	unuse_exec(conn, &s);
	kc_conn_free(conn);
	free(tf);
	free(count);
	free(x.fixdir);
}
END_TEST

START_TEST(token_file_against_sim)
{
	struct kc_conn *conn = load("sim-readonly");
	char *tf = write_secret_file("token-file", conn->token, strlen(conn->token));
	char *saved = conn->token;
	conn->token = NULL;
	conn->auth = KC_AUTH_TOKEN_FILE;
	conn->token_file = tf;
	struct ploop *l = ploop_new();
	struct kclient *c = kclient_new(l, conn, NULL);
	struct kresp r;
	get(c, "/version", &r);
	ck_assert_int_eq(r.status, 200);
	kresp_free(&r);
	/* the file is replaced: the next request carries the new token */
	char *t2 = write_secret_file("token-file.new", BAD_TOKEN, strlen(BAD_TOKEN));
	ck_assert_int_eq(rename(t2, tf), 0);
	get(c, "/version", &r);
	ck_assert_int_eq(r.status, 401);
	ck_assert_msg(!has_bad_token(perr_msg(&r.err)), "a token in the 401 message");
	kresp_free(&r);
	kclient_free(c);
	ploop_free(l);
	conn->token_file = NULL;
	conn->token = saved;
	kc_conn_free(conn);
	free(tf);
	free(t2);
}
END_TEST

/* token and tokenFile together: the file wins, the static token is only the
 * fallback for an unreadable file (client-go's cachedFileTokenSource). */
START_TEST(token_file_wins_over_static_token)
{
	struct kc_conn *conn = load("sim-readonly");
	char *good = conn->token;
	char *tf = write_secret_file("token-file-both", good, strlen(good));
	conn->token = xstrdup(BAD_TOKEN);
	conn->auth = KC_AUTH_TOKEN_FILE;
	conn->token_file = tf;
	struct ploop *l = ploop_new();
	struct kclient *c = kclient_new(l, conn, NULL);
	struct kresp r;
	get(c, "/version", &r);
	ck_assert_int_eq(r.status, 200);
	kresp_free(&r);
	kclient_free(c);

	/* An unreadable file: the static token is used (here a good one). */
	free_secret_str(conn->token);
	conn->token = good;
	char *missing = xasprintf("%s.gone", tf);
	conn->token_file = missing;
	c = kclient_new(l, conn, NULL);
	get(c, "/version", &r);
	ck_assert_int_eq(r.status, 200);
	kresp_free(&r);
	kclient_free(c);
	ploop_free(l);
	conn->token_file = NULL;
	kc_conn_free(conn);
	free(tf);
	free(missing);
}
END_TEST

/* --- the loop's side: streams, many at once, cancel --- */

struct streamed {
	struct buf data;
	int done;
	long status;
};

static void on_data(void *ud, const char *data, size_t len)
{
	struct streamed *s = ud;
	buf_add(&s->data, data, len);
}

static void on_done(void *ud, struct kresp *resp)
{
	struct streamed *s = ud;
	s->status = resp->status;
	ck_assert_str_eq(resp->body, "");
	s->done++;
}

static void on_done_count(void *ud, struct kresp *resp)
{
	int *n = ud;
	ck_assert_int_eq(resp->status, 200);
	(*n)++;
}

static void never_done(void *ud, struct kresp *resp)
{
	ck_abort_msg("done called for a cancelled request");
}

START_TEST(streams_parallel_and_cancel)
{
	struct kc_conn *conn = load("sim-admin");
	struct ploop *l = ploop_new();
	struct kclient *c = kclient_new(l, conn, NULL);
	ck_assert_str_eq(kclient_user(c), "sim-admin");
	struct streamed s = {BUF_INIT, 0, 0};
	struct kreq_spec spec = {.path = "/version", .stream = true};
	struct perr err = {0};
	ck_assert_ptr_nonnull(kclient_start(c, &spec, on_data, on_done, &s, &err));

	int n = 0;
	struct kreq_spec plain = {.path = "/version"};
	for (int i = 0; i < 5; i++)
		ck_assert_ptr_nonnull(kclient_start(c, &plain, NULL, on_done_count, &n, &err));
	struct kreq *gone = kclient_start(c, &plain, NULL, never_done, NULL, &err);
	ck_assert_ptr_nonnull(gone);
	kreq_cancel(gone);

	int64_t deadline = ploop_now_ms() + 20000;
	while ((n < 5 || !s.done) && ploop_now_ms() < deadline)
		ploop_run_once(l, 1000);
	ck_assert_int_eq(n, 5);
	ck_assert_int_eq(s.done, 1);
	ck_assert_int_eq(s.status, 200);
	ck_assert_ptr_nonnull(strstr(s.data.data, "gitVersion"));
	buf_free(&s.data);

	/* a request left running is cancelled by kclient_free */
	ck_assert_ptr_nonnull(kclient_start(c, &plain, NULL, never_done, NULL, &err));
	kclient_free(c);
	ploop_free(l);
	kc_conn_free(conn);
}
END_TEST

struct cancel_in_cb {
	struct kreq *r;
	int calls;
};

static void cancel_on_data(void *ud, const char *data, size_t len)
{
	struct cancel_in_cb *c = ud;
	c->calls++;
	kreq_cancel(c->r); /* inside a curl callback: deferred */
}

static void mark_done(void *ud, struct kresp *resp)
{
	(*(int *)ud)++;
}

START_TEST(cancel_inside_data_callback)
{
	struct kc_conn *conn = load("sim-admin");
	struct ploop *l = ploop_new();
	struct kclient *c = kclient_new(l, conn, NULL);
	struct cancel_in_cb cc = {NULL, 0};
	struct kreq_spec spec = {.path = "/version", .stream = true};
	struct perr err = {0};
	cc.r = kclient_start(c, &spec, cancel_on_data, never_done, &cc, &err);
	ck_assert_ptr_nonnull(cc.r);
	/* another request goes on and ends normally */
	int other = 0;
	struct kreq_spec plain = {.path = "/version"};
	ck_assert_ptr_nonnull(kclient_start(c, &plain, NULL, mark_done, &other, &err));
	int64_t deadline = ploop_now_ms() + 20000;
	while ((!cc.calls || !other) && ploop_now_ms() < deadline)
		ploop_run_once(l, 1000);
	ck_assert_int_eq(cc.calls, 1);
	ck_assert_int_eq(other, 1);
	ploop_run_once(l, 50); /* the deferred free */
	kclient_free(c);
	ploop_free(l);
	kc_conn_free(conn);
}
END_TEST

struct chain {
	struct kclient *c;
	int started, done;
};

static void chain_done(void *ud, struct kresp *resp)
{
	struct chain *ch = ud;
	ck_assert_int_eq(resp->status, 200);
	ch->done++;
}

static void start_on_data(void *ud, const char *data, size_t len)
{
	struct chain *ch = ud;
	if (ch->started)
		return;
	/* inside curl's callback, as an informer that re-lists after a watch
	 * event would */
	struct kreq_spec spec = {.path = "/version?started-in-callback=1"};
	struct perr err = {0};
	ck_assert_ptr_nonnull(kclient_start(ch->c, &spec, NULL, chain_done, ch, &err));
	ch->started++;
}

START_TEST(start_inside_data_callback)
{
	struct kc_conn *conn = load("sim-admin");
	struct ploop *l = ploop_new();
	struct chain ch = {kclient_new(l, conn, NULL), 0, 0};
	struct kreq_spec spec = {.path = "/version", .stream = true};
	struct perr err = {0};
	ck_assert_ptr_nonnull(kclient_start(ch.c, &spec, start_on_data, chain_done, &ch, &err));
	int64_t deadline = ploop_now_ms() + 20000;
	while (ch.done < 2 && ploop_now_ms() < deadline)
		ploop_run_once(l, 1000);
	ck_assert_int_eq(ch.started, 1);
	ck_assert_int_eq(ch.done, 2);
	ck_assert(log_has("GET /version?started-in-callback=1 200"));
	kclient_free(ch.c);
	ploop_free(l);
	kc_conn_free(conn);
}
END_TEST

/* --- without a server --- */

static int closed_port(void)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	socklen_t len = sizeof(a);
	getsockname(fd, (struct sockaddr *)&a, &len);
	close(fd);
	return ntohs(a.sin_port);
}

START_TEST(connection_refused)
{
	struct kc_conn conn = {0};
	conn.server = xasprintf("https://127.0.0.1:%d", closed_port());
	conn.user_name = (char *)"u";
	conn.auth = KC_AUTH_TOKEN;
	conn.token = (char *)BAD_TOKEN;
	struct ploop *l = ploop_new();
	struct perr err = {0};
	struct kclient *c = kclient_new(l, &conn, &err);
	ck_assert_ptr_nonnull(c);
	struct kresp r;
	get(c, "/api", &r);
	ck_assert_int_eq(r.status, 0);
	ck_assert_int_eq(r.err.kind, PERR_NETWORK);
	char *want = xasprintf("cannot connect to %s: connection refused \xe2\x80\x94 is the API "
			       "server running and is the kubeconfig's server right?",
			       conn.server);
	ck_assert_str_eq(perr_msg(&r.err), want);
	free(want);
	kresp_free(&r);
	kclient_free(c);
	ploop_free(l);
	free(conn.server);
}
END_TEST

START_TEST(no_server_no_client)
{
	struct kc_conn conn = {0};
	conn.cluster_name = (char *)"empty";
	struct ploop *l = ploop_new();
	struct perr err = {0};
	ck_assert_ptr_null(kclient_new(l, &conn, &err));
	ck_assert_str_eq(perr_msg(&err), "the cluster \"empty\" has no server");
	perr_clear(&err);
	ploop_free(l);
}
END_TEST

/* A server that takes the connection and never says anything. */
START_TEST(timeout_is_explained)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	ck_assert_int_eq(listen(fd, 4), 0);
	socklen_t len = sizeof(a);
	getsockname(fd, (struct sockaddr *)&a, &len);
	struct kc_conn conn = {0};
	conn.server = xasprintf("https://127.0.0.1:%d", ntohs(a.sin_port));
	struct ploop *l = ploop_new();
	struct kclient *c = kclient_new(l, &conn, NULL);
	struct kreq_spec spec = {.path = "/version", .timeout_ms = 300};
	struct kresp r;
	int64_t t0 = ploop_now_ms();
	kclient_request(c, &spec, &r);
	/* well below the default 30 s (valgrind makes loading the system CAs slow) */
	ck_assert_int_lt(ploop_now_ms() - t0, 25000);
	ck_assert_int_eq(r.err.kind, PERR_NETWORK);
	/* curl counts the TLS handshake as part of connecting; which of the
	 * two it reports depends on timing */
	char *w1 = xasprintf("cannot connect to %s: timed out \xe2\x80\x94 ", conn.server);
	char *w2 = xasprintf("the TLS handshake with %s timed out \xe2\x80\x94 ", conn.server);
	ck_assert_msg(strstr(perr_msg(&r.err), w1) || strstr(perr_msg(&r.err), w2), "%s",
		      perr_msg(&r.err));
	free(w1);
	free(w2);
	kresp_free(&r);
	kclient_free(c);
	ploop_free(l);
	close(fd);
	free(conn.server);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("client");
	TCase *tc = tcase_create("offline");
	tcase_add_test(tc, connection_refused);
	tcase_add_test(tc, no_server_no_client);
	tcase_add_test(tc, timeout_is_explained);
	suite_add_tcase(s, tc);

	tc = tcase_create("sim");
	tcase_add_unchecked_fixture(tc, sim_up, sim_down);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, client_cert_and_right_ca);
	tcase_add_test(tc, no_key_material_on_disk);
	tcase_add_test(tc, bearer_token);
	tcase_add_test(tc, bad_token_401_is_clear_and_secret_free);
	tcase_add_test(tc, wrong_ca_fails_clearly);
	tcase_add_test(tc, insecure_skip_verify_with_warning);
	tcase_add_test(tc, tls_server_name);
	tcase_add_test(tc, readonly_refuses_before_sending);
	tcase_add_test(tc, forbidden_and_not_found_messages);
	tcase_add_test(tc, watch_stream_delivers_as_it_arrives);
	tcase_add_test(tc, exec_token_against_sim);
	tcase_add_test(tc, exec_client_cert_against_sim);
	tcase_add_test(tc, exec_rerun_once_after_401);
	tcase_add_test(tc, exec_failure_stops_request);
	tcase_add_test(tc, exec_plugin_runs_on_the_loop);
	tcase_add_test(tc, token_file_against_sim);
	tcase_add_test(tc, token_file_wins_over_static_token);
	tcase_add_test(tc, streams_parallel_and_cancel);
	tcase_add_test(tc, cancel_inside_data_callback);
	tcase_add_test(tc, start_inside_data_callback);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return test_run_suite(suite());
}
