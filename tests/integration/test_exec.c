#include "config.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <signal.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "podscope/kubeconfig.h"
#include "podscope/loop.h"
#include "podscope/xalloc.h"

#include "auth.h"
#include "testutil.h"

/* Tokens are compared here, never printed, even fake ones. */
static bool token_is(const char *got, const char *want)
{
	return got && strcmp(got, want) == 0;
}

static char tmpdir[64];
static char fixdir[4096];

static void setup(void)
{
	strcpy(tmpdir, "/tmp/podscope-exec-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
	snprintf(fixdir, sizeof(fixdir), "%s/tests/fixtures/exec", test_srcdir());
}

static void teardown(void)
{
	char *cmd = xasprintf("rm -rf '%s'", tmpdir);
	ck_assert_int_eq(system(cmd), 0);
	free(cmd);
}

static char *tmpfile_path(const char *name)
{
	return xasprintf("%s/%s", tmpdir, name);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

static int count_lines(const char *path)
{
	char *text = test_slurp(path);
	int n = 0;
	for (const char *s = text; s && (s = strchr(s, '\n')); s++)
		n++;
	free(text);
	return n;
}

/* A kc_exec on the stack; env pairs as name, value, ..., NULL. */
struct exec_cfg {
	struct kc_exec e;
	struct kc_env env[8];
	char *args[4];
};

static void cfg_init(struct exec_cfg *c, const char *command, const char *api)
{
	memset(c, 0, sizeof(*c));
	c->e.api_version = (char *)(api ? api : "client.authentication.k8s.io/v1");
	c->e.command = (char *)command;
	c->e.dir = fixdir;
	c->e.env = c->env;
	c->e.args = c->args;
	c->e.interactive_mode = (char *)"Never";
}

static void cfg_env(struct exec_cfg *c, const char *name, const char *value)
{
	c->env[c->e.nenv].name = (char *)name;
	c->env[c->e.nenv].value = (char *)value;
	c->e.nenv++;
}

static void cfg_arg(struct exec_cfg *c, const char *a)
{
	c->args[c->e.nargs++] = (char *)a;
}

/* The credential as the client gets it: when the plugin has to run, it runs
 * on a loop until it ends (then, as the client does once its waiting
 * requests have it, the next call checks its expiry again). */
struct run_wait {
	bool done;
	struct perr err;
};

static void run_done(void *ud, const struct perr *err)
{
	struct run_wait *w = ud;
	w->done = true;
	if (err)
		perr_set(&w->err, err->kind, "%s", perr_msg(err));
}

static bool wait_run(struct ploop *l, struct run_wait *w, struct perr *err)
{
	while (!w->done)
		ploop_run_once(l, 100);
	ploop_free(l);
	if (w->err.kind == PERR_NONE)
		return true;
	*err = w->err;
	return false;
}

static bool fetch(struct kexec *x, struct kcreds *cr, struct perr *err)
{
	perr_clear(err);
	if (kexec_needs_run(x)) {
		struct ploop *l = ploop_new();
		struct run_wait w = {0};
		if (kexec_refresh_start(x, l, run_done, &w, err) != 0) {
			ploop_free(l);
			return false;
		}
		if (!wait_run(l, &w, err))
			return false;
	}
	bool ok = kexec_get(x, cr, err);
	kexec_fresh_end(x);
	return ok;
}

static bool afetch(struct kauth *a, struct kcreds *cr, struct perr *err)
{
	perr_clear(err);
	if (kauth_pending(a)) {
		struct ploop *l = ploop_new();
		struct run_wait w = {0};
		if (kauth_refresh_start(a, l, run_done, &w, err) != 0) {
			ploop_free(l);
			return false;
		}
		if (!wait_run(l, &w, err))
			return false;
	}
	bool ok = kauth_get(a, cr, err);
	kauth_fresh_end(a);
	return ok;
}

START_TEST(token_relative_command_args_and_cache)
{
	struct exec_cfg c;
	cfg_init(&c, "./token.sh", NULL);
	cfg_arg(&c, "alpha");
	char *count = tmpfile_path("count");
	cfg_env(&c, "PLUGIN_COUNT", count);
	struct kexec *x = kexec_new(&c.e, NULL);
	struct kcreds cr = {0};
	struct perr err = {0};
	ck_assert_msg(fetch(x, &cr, &err), "%s", perr_msg(&err));
	ck_assert_msg(token_is(cr.token, "exec-token-alpha"), "not the token expected");
	ck_assert_ptr_null(cr.cert);
	/* no expiry: cached */
	struct kcreds cr2 = {0};
	ck_assert(fetch(x, &cr2, &err));
	ck_assert_msg(token_is(cr2.token, "exec-token-alpha"), "not the token expected");
	ck_assert_uint_eq(kexec_runs(x), 1);
	ck_assert_int_eq(count_lines(count), 1);
	kexec_invalidate(x);
	ck_assert(fetch(x, &cr2, &err));
	ck_assert_uint_eq(kexec_runs(x), 2);
	ck_assert_int_eq(count_lines(count), 2);
	kexec_free(x);
	free(count);
}
END_TEST

START_TEST(path_lookup)
{
	const char *old = getenv("PATH");
	char *saved = xstrdup(old ? old : "/usr/bin:/bin");
	char *path = xasprintf("%s:%s", fixdir, saved);
	setenv("PATH", path, 1);
	struct exec_cfg c;
	cfg_init(&c, "token.sh", NULL);
	cfg_arg(&c, "p");
	c.e.dir = (char *)"/nonexistent";
	struct kexec *x = kexec_new(&c.e, NULL);
	struct kcreds cr = {0};
	struct perr err = {0};
	ck_assert_msg(fetch(x, &cr, &err), "%s", perr_msg(&err));
	ck_assert_msg(token_is(cr.token, "exec-token-p"), "not the token expected");
	kexec_free(x);
	setenv("PATH", saved, 1);
	free(saved);
	free(path);
}
END_TEST

START_TEST(exec_info_with_cluster)
{
	struct exec_cfg c;
	cfg_init(&c, "./token.sh", "client.authentication.k8s.io/v1beta1");
	c.e.provide_cluster_info = true;
	char *info = tmpfile_path("info.json");
	cfg_env(&c, "INFO_OUT", info);
	cfg_env(&c, "API_VERSION", "client.authentication.k8s.io/v1beta1");
	static unsigned char ca[] =
	    "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
	struct kc_conn conn = {0};
	conn.server = (char *)"https://10.1.2.3:6443";
	conn.ca_data = ca;
	conn.ca_len = sizeof(ca) - 1;
	conn.tls_server_name = (char *)"kubernetes.default";
	conn.proxy_url = (char *)"http://proxy:3128";
	struct kexec *x = kexec_new(&c.e, &conn);
	struct kcreds cr = {0};
	struct perr err = {0};
	ck_assert_msg(fetch(x, &cr, &err), "%s", perr_msg(&err));

	char *text = test_slurp(info);
	ck_assert_ptr_nonnull(text);
	cJSON *j = cJSON_Parse(text);
	free(text);
	ck_assert_ptr_nonnull(j);
	ck_assert_str_eq(cJSON_GetObjectItem(j, "kind")->valuestring, "ExecCredential");
	ck_assert_str_eq(cJSON_GetObjectItem(j, "apiVersion")->valuestring,
			 "client.authentication.k8s.io/v1beta1");
	cJSON *spec = cJSON_GetObjectItem(j, "spec");
	ck_assert(cJSON_IsFalse(cJSON_GetObjectItem(spec, "interactive")));
	cJSON *cl = cJSON_GetObjectItem(spec, "cluster");
	ck_assert_str_eq(cJSON_GetObjectItem(cl, "server")->valuestring, "https://10.1.2.3:6443");
	ck_assert_str_eq(cJSON_GetObjectItem(cl, "tls-server-name")->valuestring,
			 "kubernetes.default");
	ck_assert_str_eq(cJSON_GetObjectItem(cl, "proxy-url")->valuestring, "http://proxy:3128");
	/* base64 of the PEM, as Go encodes []byte */
	ck_assert_str_eq(cJSON_GetObjectItem(cl, "certificate-authority-data")->valuestring,
			 "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUIKLS0tLS1FTkQgQ0VSVElGSUNBVEUt"
			 "LS0tLQo=");
	ck_assert_ptr_null(cJSON_GetObjectItem(cl, "insecure-skip-tls-verify"));
	cJSON_Delete(j);
	kexec_free(x);

	/* without provideClusterInfo there is no cluster */
	c.e.provide_cluster_info = false;
	x = kexec_new(&c.e, &conn);
	ck_assert(fetch(x, &cr, &err));
	text = test_slurp(info);
	ck_assert_ptr_nonnull(text);
	ck_assert_ptr_null(strstr(text, "cluster"));
	ck_assert_ptr_nonnull(strstr(text, "\"interactive\":false"));
	free(text);
	kexec_free(x);
	free(info);
}
END_TEST

START_TEST(expired_token_runs_again)
{
	struct exec_cfg c;
	cfg_init(&c, "./expiring.sh", "client.authentication.k8s.io/v1beta1");
	char *count = tmpfile_path("count");
	cfg_env(&c, "PLUGIN_COUNT", count);
	struct kexec *x = kexec_new(&c.e, NULL);
	struct kcreds cr = {0};
	struct perr err = {0};
	for (int i = 1; i <= 3; i++) {
		ck_assert_msg(fetch(x, &cr, &err), "%s", perr_msg(&err));
		ck_assert_msg(token_is(cr.token, "expiring-token"), "not the token expected");
		ck_assert_uint_eq(kexec_runs(x), (unsigned)i);
	}
	ck_assert_int_eq(count_lines(count), 3);
	kexec_free(x);

	/* one that expires in the future is kept */
	struct exec_cfg d;
	cfg_init(&d, "./token.sh", NULL);
	cfg_env(&d, "EXPIRY", "2999-01-01T00:00:00Z");
	x = kexec_new(&d.e, NULL);
	ck_assert(fetch(x, &cr, &err));
	ck_assert(fetch(x, &cr, &err));
	ck_assert_uint_eq(kexec_runs(x), 1);
	kexec_free(x);
	free(count);
}
END_TEST

START_TEST(client_certificate)
{
	const char *pem_c = "-----BEGIN CERTIFICATE-----\nMIIBcert\n-----END CERTIFICATE-----\n";
	const char *pem_k =
	    "-----BEGIN EC PRIVATE KEY-----\nMHcCkey\n-----END EC PRIVATE KEY-----\n";
	char *cf = tmpfile_path("c.pem"), *kf = tmpfile_path("k.pem");
	write_file(cf, pem_c);
	write_file(kf, pem_k);
	struct exec_cfg c;
	cfg_init(&c, "./cert.sh", NULL);
	cfg_env(&c, "CERT_FILE", cf);
	cfg_env(&c, "KEY_FILE", kf);
	struct kexec *x = kexec_new(&c.e, NULL);
	struct kcreds cr = {0};
	struct perr err = {0};
	ck_assert_msg(fetch(x, &cr, &err), "%s", perr_msg(&err));
	ck_assert_ptr_null(cr.token);
	ck_assert_ptr_nonnull(cr.cert);
	ck_assert_uint_eq(cr.cert_len, strlen(pem_c));
	ck_assert(memcmp(cr.cert, pem_c, cr.cert_len) == 0);
	ck_assert_uint_eq(cr.key_len, strlen(pem_k));
	ck_assert(memcmp(cr.key, pem_k, cr.key_len) == 0);
	kexec_free(x);
	free(cf);
	free(kf);
}
END_TEST

START_TEST(failing_plugin)
{
	struct exec_cfg c;
	cfg_init(&c, "./fail.sh", NULL);
	struct kexec *x = kexec_new(&c.e, NULL);
	struct kcreds cr = {0};
	struct perr err = {0};
	ck_assert(!fetch(x, &cr, &err));
	ck_assert_int_eq(err.kind, PERR_AUTH);
	ck_assert_str_eq(perr_msg(&err),
			 "exec credential plugin \"./fail.sh\" failed with exit code 1: error: "
			 "refresh token expired: run 'sso login' again");
	perr_clear(&err);
	kexec_free(x);
	/* What a plugin writes is hostile: no control byte reaches the message. */
	cfg_env(&c, "HOSTILE", "1");
	x = kexec_new(&c.e, NULL);
	ck_assert(!fetch(x, &cr, &err));
	ck_assert_str_eq(perr_msg(&err), "exec credential plugin \"./fail.sh\" failed with exit "
					 "code 1: error: a\\x1b]0;t\\x07b\\u009b2Jc");
	perr_clear(&err);
	kexec_free(x);
}
END_TEST

START_TEST(missing_plugin_shows_install_hint)
{
	struct exec_cfg c;
	cfg_init(&c, "podscope-test-no-such-plugin", NULL);
	c.e.install_hint = (char *)"podscope-test-no-such-plugin is needed to log in.\n"
				   "Install it with: apt-get install podscope-test-plugin\n";
	struct kexec *x = kexec_new(&c.e, NULL);
	struct kcreds cr = {0};
	struct perr err = {0};
	ck_assert(!fetch(x, &cr, &err));
	ck_assert_str_eq(perr_msg(&err),
			 "exec credential plugin \"podscope-test-no-such-plugin\" not found in "
			 "PATH \xe2\x80\x94 podscope-test-no-such-plugin is needed to log in. "
			 "Install it with: apt-get install podscope-test-plugin");
	perr_clear(&err);
	kexec_free(x);

	/* a relative path that does not exist, no hint */
	cfg_init(&c, "./nope.sh", NULL);
	x = kexec_new(&c.e, NULL);
	ck_assert(!fetch(x, &cr, &err));
	ck_assert_ptr_nonnull(strstr(perr_msg(&err), "\"./nope.sh\" not found"));
	ck_assert_ptr_null(strstr(perr_msg(&err), "PATH"));
	perr_clear(&err);
	kexec_free(x);
}
END_TEST

static void expect_bad(const char *mode, const char *api, const char *want)
{
	struct exec_cfg c;
	cfg_init(&c, "./bad.sh", api);
	cfg_env(&c, "MODE", mode);
	struct kexec *x = kexec_new(&c.e, NULL);
	struct kcreds cr = {0};
	struct perr err = {0};
	ck_assert_msg(!fetch(x, &cr, &err), "mode %s succeeded", mode);
	ck_assert_msg(strstr(perr_msg(&err), want), "mode %s: %s", mode, perr_msg(&err));
	ck_assert_msg(strstr(perr_msg(&err), "\"./bad.sh\""), "%s", perr_msg(&err));
	perr_clear(&err);
	kexec_free(x);
}

START_TEST(bad_answers)
{
	expect_bad("notjson", NULL, "did not print an ExecCredential (its output is not JSON)");
	expect_bad("empty", NULL, "its output is empty");
	expect_bad("apiversion", NULL,
		   "answered with apiVersion \"client.authentication.k8s.io/v1alpha1\" but the "
		   "kubeconfig asks for \"client.authentication.k8s.io/v1\"");
	expect_bad("nostatus", NULL, "returned no status");
	expect_bad("kind", NULL, "printed kind \"Pod\", not ExecCredential");
	expect_bad("notoken", NULL, "neither a token nor a client certificate and key");
	expect_bad("certonly", NULL, "clientCertificateData without clientKeyData");
	expect_bad("badtime", NULL, "expirationTimestamp that is not RFC 3339: \"tomorrow\"");
}
END_TEST

START_TEST(hanging_plugin_times_out)
{
	struct exec_cfg c;
	cfg_init(&c, "./hang.sh", NULL);
	struct kexec *x = kexec_new(&c.e, NULL);
	kexec_set_timeout_ms(x, 300);
	struct kcreds cr = {0};
	struct perr err = {0};
	int64_t t0 = ploop_now_ms();
	ck_assert(!fetch(x, &cr, &err));
	ck_assert_int_lt(ploop_now_ms() - t0, 10000);
	ck_assert_ptr_nonnull(strstr(perr_msg(&err), "did not finish within 1 s"));
	perr_clear(&err);
	kexec_free(x);
}
END_TEST

/* The pid in file, once the plugin wrote it; 0 when it did not. */
static pid_t read_pid(const char *file)
{
	char *text = test_slurp(file);
	long pid = 0;
	if (text && sscanf(text, "%ld", &pid) != 1)
		pid = 0;
	free(text);
	return (pid_t)pid;
}

/* pid is dead (gone, or a zombie its new parent has not reaped yet), waiting
 * up to 5 s for it. */
static bool dies(pid_t pid)
{
	int64_t until = ploop_now_ms() + 5000;
	char path[64];
	snprintf(path, sizeof(path), "/proc/%ld/stat", (long)pid);
	for (;;) {
		char *stat = test_slurp(path);
		if (!stat)
			return true;
		char state = '?';
		int n = sscanf(stat, "%*d (%*[^)]) %c", &state);
		free(stat);
		if (n == 1 && (state == 'Z' || state == 'X'))
			return true;
		if (ploop_now_ms() > until)
			return false;
		struct timespec ts = {0, 20 * 1000000};
		nanosleep(&ts, NULL);
	}
}

/* A fixture plugin that starts a child and writes its pid to *pidfile. */
static struct kexec *plugin_with_child(struct exec_cfg *c, const char *command, long timeout_ms,
				       char **pidfile)
{
	*pidfile = tmpfile_path("child.pid");
	cfg_init(c, command, NULL);
	cfg_env(c, "CHILD_PID", *pidfile);
	struct kexec *x = kexec_new(&c->e, NULL);
	kexec_set_timeout_ms(x, timeout_ms);
	return x;
}

START_TEST(timeout_kills_the_plugins_children)
{
	struct exec_cfg c;
	char *pidfile;
	struct kexec *x = plugin_with_child(&c, "./forks.sh", 500, &pidfile);
	struct kcreds cr = {0};
	struct perr err = {0};
	ck_assert(!fetch(x, &cr, &err));
	ck_assert_ptr_nonnull(strstr(perr_msg(&err), "did not finish within 1 s"));
	pid_t child = read_pid(pidfile);
	ck_assert_int_gt(child, 0);
	ck_assert_msg(dies(child), "the plugin's child %ld outlived its timeout", (long)child);
	perr_clear(&err);
	kexec_free(x);
	free(pidfile);
}
END_TEST

START_TEST(plugin_done_when_it_exits)
{
	struct exec_cfg c;
	char *pidfile;
	struct kexec *x = plugin_with_child(&c, "./lingers.sh", 20000, &pidfile);
	struct kcreds cr = {0};
	struct perr err = {0};
	int64_t t0 = ploop_now_ms();
	ck_assert_msg(fetch(x, &cr, &err), "%s", perr_msg(&err));
	/* its child holds stdout for 30 s: done at the plugin's exit, not then */
	ck_assert_int_lt(ploop_now_ms() - t0, 10000);
	ck_assert(token_is(cr.token, "exec-token-lingers"));
	pid_t child = read_pid(pidfile);
	if (child > 0)
		kill(child, SIGKILL);
	kexec_free(x);
	free(pidfile);
}
END_TEST

START_TEST(interactive_always_refused)
{
	struct exec_cfg c;
	cfg_init(&c, "./token.sh", NULL);
	c.e.interactive_mode = (char *)"Always";
	struct kexec *x = kexec_new(&c.e, NULL);
	struct kcreds cr = {0};
	struct perr err = {0};
	ck_assert(!fetch(x, &cr, &err));
	ck_assert_ptr_nonnull(strstr(perr_msg(&err), "interactiveMode: Always"));
	ck_assert_uint_eq(kexec_runs(x), 0);
	perr_clear(&err);
	kexec_free(x);
}
END_TEST

START_TEST(rfc3339)
{
	time_t t;
	ck_assert(kexec_parse_rfc3339("1970-01-01T00:00:00Z", &t));
	ck_assert_int_eq((long)t, 0);
	ck_assert(kexec_parse_rfc3339("2026-11-27T11:00:00Z", &t));
	ck_assert_int_eq((long)t, 1795777200L);
	ck_assert(kexec_parse_rfc3339("2026-11-27T12:30:00.123456+01:30", &t));
	ck_assert_int_eq((long)t, 1795777200L);
	ck_assert(kexec_parse_rfc3339("2026-11-27t09:00:00-02:00", &t));
	ck_assert_int_eq((long)t, 1795777200L);
	ck_assert(!kexec_parse_rfc3339("2026-11-27 11:00:00Z", &t));
	ck_assert(!kexec_parse_rfc3339("2026-11-27T11:00:00", &t));
	ck_assert(!kexec_parse_rfc3339("2026-13-27T11:00:00Z", &t));
	ck_assert(!kexec_parse_rfc3339("2026-11-27T11:00:00Zjunk", &t));
	ck_assert(!kexec_parse_rfc3339("", &t));
}
END_TEST

/* kauth: a token file is read again when it changes, as a projected token is
 * replaced; an exec user goes through the plugin. */
START_TEST(token_file_reread)
{
	char *tf = tmpfile_path("token");
	write_file(tf, "first-token\n");
	struct kc_conn conn = {0};
	conn.server = (char *)"https://127.0.0.1:1";
	conn.auth = KC_AUTH_TOKEN_FILE;
	conn.token_file = tf;
	struct perr err = {0};
	struct kauth *a = kauth_new(&conn, &err);
	ck_assert_ptr_nonnull(a);
	struct kcreds cr = {0};
	ck_assert(afetch(a, &cr, &err));
	ck_assert_msg(token_is(cr.token, "first-token"), "not the token expected");
	/* replaced by rename, as the kubelet does: a new inode */
	char *tmp = tmpfile_path("token.new");
	write_file(tmp, "second-token");
	ck_assert_int_eq(rename(tmp, tf), 0);
	ck_assert(afetch(a, &cr, &err));
	ck_assert_msg(token_is(cr.token, "second-token"), "not the token expected");
	/* rewritten in place with another length */
	write_file(tf, "  third-token-longer  \n");
	ck_assert(afetch(a, &cr, &err));
	ck_assert_msg(token_is(cr.token, "third-token-longer"), "not the token expected");
	ck_assert(!kauth_invalidate(a)); /* no retry for a token file */
	/* gone or empty: clear errors naming the file, not the token */
	write_file(tf, "\n");
	ck_assert(!afetch(a, &cr, &err));
	ck_assert_ptr_nonnull(strstr(perr_msg(&err), "is empty"));
	ck_assert_ptr_nonnull(strstr(perr_msg(&err), tf));
	unlink(tf);
	ck_assert(!afetch(a, &cr, &err));
	ck_assert_ptr_nonnull(strstr(perr_msg(&err), "cannot read the token file"));
	ck_assert_ptr_null(strstr(perr_msg(&err), "third-token"));
	perr_clear(&err);
	kauth_free(a);
	free(tf);
	free(tmp);
}
END_TEST

START_TEST(kauth_exec_and_invalidate)
{
	struct exec_cfg c;
	cfg_init(&c, "./token.sh", NULL);
	cfg_arg(&c, "k");
	struct kc_conn conn = {0};
	conn.server = (char *)"https://127.0.0.1:1";
	conn.auth = KC_AUTH_EXEC;
	conn.exec = &c.e;
	struct perr err = {0};
	struct kauth *a = kauth_new(&conn, &err);
	ck_assert_ptr_nonnull(a);
	ck_assert_int_eq(kauth_kind(a), KSTATUS_AUTH_EXEC);
	struct kcreds cr = {0};
	ck_assert(afetch(a, &cr, &err));
	ck_assert_msg(token_is(cr.token, "exec-token-k"), "not the token expected");
	ck_assert(kauth_invalidate(a));
	ck_assert(afetch(a, &cr, &err));
	ck_assert_uint_eq(kexec_runs(kauth_exec(a)), 2);
	kauth_free(a);
}
END_TEST

/* The fixture kubeconfig names a plugin that is not installed: kc_load takes
 * it, and the first request says what to install. */
START_TEST(missing_plugin_from_kubeconfig)
{
	char *path = xasprintf("%s/tests/fixtures/exec/missing.yaml", test_srcdir());
	struct kc_options opt = {0};
	opt.kubeconfig = path;
	struct perr err = {0};
	struct kc_conn *conn = kc_load(&opt, &err);
	ck_assert_msg(conn != NULL, "%s", perr_msg(&err));
	ck_assert_int_eq(conn->auth, KC_AUTH_EXEC);
	struct kauth *a = kauth_new(conn, &err);
	ck_assert_ptr_nonnull(a);
	struct kcreds cr = {0};
	ck_assert(!afetch(a, &cr, &err));
	ck_assert_int_eq(err.kind, PERR_AUTH);
	ck_assert_str_eq(perr_msg(&err),
			 "exec credential plugin \"podscope-test-no-such-plugin\" not found in "
			 "PATH \xe2\x80\x94 podscope-test-no-such-plugin is needed to log in to "
			 "this cluster. Install it with: apt-get install podscope-test-plugin");
	perr_clear(&err);
	kauth_free(a);
	kc_conn_free(conn);
	free(path);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("exec");
	TCase *tc = tcase_create("exec");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, token_relative_command_args_and_cache);
	tcase_add_test(tc, path_lookup);
	tcase_add_test(tc, exec_info_with_cluster);
	tcase_add_test(tc, expired_token_runs_again);
	tcase_add_test(tc, client_certificate);
	tcase_add_test(tc, failing_plugin);
	tcase_add_test(tc, missing_plugin_shows_install_hint);
	tcase_add_test(tc, missing_plugin_from_kubeconfig);
	tcase_add_test(tc, bad_answers);
	tcase_add_test(tc, hanging_plugin_times_out);
	tcase_add_test(tc, timeout_kills_the_plugins_children);
	tcase_add_test(tc, plugin_done_when_it_exits);
	tcase_add_test(tc, interactive_always_refused);
	tcase_add_test(tc, rfc3339);
	tcase_add_test(tc, token_file_reread);
	tcase_add_test(tc, kauth_exec_and_invalidate);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return test_run_suite(suite());
}
