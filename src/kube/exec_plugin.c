#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "podscope/buf.h"
#include "podscope/kubeconfig.h"
#include "podscope/xalloc.h"

#include "auth.h"
#include "subproc.h"

extern char **environ;

#define DASH       " \xe2\x80\x94 "
#define STDOUT_MAX (1u << 20)

struct kexec {
	char *api_version, *command, *install_hint, *interactive_mode, *dir;
	char **args;
	size_t nargs;
	struct kc_env *env;
	size_t nenv;
	char *exec_info; /* KUBERNETES_EXEC_INFO, built once */

	/* the cached ExecCredential.status (secrets) */
	bool have;
	bool fresh; /* just given by a run on the loop: used even if expired */
	char *token;
	char *cert, *key;
	time_t expiry; /* 0: never expires */

	long timeout_ms;
	unsigned runs;

	/* a run on the loop (kexec_refresh_start), or NULL */
	struct ksubproc *running;
	kexec_done_fn done;
	void *done_ud;
};

static const char b64chars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static void add_base64(struct buf *b, const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i += 3) {
		unsigned v = (unsigned)p[i] << 16;
		if (i + 1 < n)
			v |= (unsigned)p[i + 1] << 8;
		if (i + 2 < n)
			v |= p[i + 2];
		buf_addc(b, b64chars[(v >> 18) & 63]);
		buf_addc(b, b64chars[(v >> 12) & 63]);
		buf_addc(b, i + 1 < n ? b64chars[(v >> 6) & 63] : '=');
		buf_addc(b, i + 2 < n ? b64chars[v & 63] : '=');
	}
}

static char *build_exec_info(const struct kc_exec *cfg, const struct kc_conn *conn)
{
	struct buf b = BUF_INIT;
	buf_adds(&b, "{\"kind\":\"ExecCredential\",\"apiVersion\":");
	buf_add_json_string(&b, cfg->api_version ? cfg->api_version : "");
	buf_adds(&b, ",\"spec\":{\"interactive\":false");
	if (cfg->provide_cluster_info && conn) {
		buf_adds(&b, ",\"cluster\":{\"server\":");
		buf_add_json_string(&b, conn->server ? conn->server : "");
		if (conn->tls_server_name) {
			buf_adds(&b, ",\"tls-server-name\":");
			buf_add_json_string(&b, conn->tls_server_name);
		}
		if (conn->insecure_skip_tls_verify)
			buf_adds(&b, ",\"insecure-skip-tls-verify\":true");
		if (conn->ca_data && conn->ca_len) {
			buf_adds(&b, ",\"certificate-authority-data\":\"");
			add_base64(&b, conn->ca_data, conn->ca_len);
			buf_addc(&b, '"');
		}
		if (conn->proxy_url) {
			buf_adds(&b, ",\"proxy-url\":");
			buf_add_json_string(&b, conn->proxy_url);
		}
		buf_addc(&b, '}');
	}
	buf_adds(&b, "}}");
	return buf_steal(&b);
}

struct kexec *kexec_new(const struct kc_exec *cfg, const struct kc_conn *conn)
{
	struct kexec *x = xcalloc(1, sizeof(*x));
	x->api_version = xstrdup(cfg->api_version ? cfg->api_version : "");
	x->command = xstrdup(cfg->command ? cfg->command : "");
	x->install_hint = xstrdup(cfg->install_hint);
	x->interactive_mode = xstrdup(cfg->interactive_mode);
	x->dir = xstrdup(cfg->dir);
	x->nargs = cfg->nargs;
	x->args = xcalloc(cfg->nargs + 1, sizeof(char *));
	for (size_t i = 0; i < cfg->nargs; i++)
		x->args[i] = xstrdup(cfg->args[i] ? cfg->args[i] : "");
	x->env = xcalloc(cfg->nenv + 1, sizeof(*x->env));
	for (size_t i = 0; i < cfg->nenv; i++) {
		if (!cfg->env[i].name || !*cfg->env[i].name)
			continue;
		x->env[x->nenv].name = xstrdup(cfg->env[i].name);
		x->env[x->nenv].value = xstrdup(cfg->env[i].value);
		x->nenv++;
	}
	x->exec_info = build_exec_info(cfg, conn);
	x->timeout_ms = 60000;
	return x;
}

void kexec_invalidate(struct kexec *x)
{
	free_secret_str(x->token);
	free_secret_str(x->cert);
	free_secret_str(x->key);
	x->token = x->cert = x->key = NULL;
	x->have = x->fresh = false;
	x->expiry = 0;
}

void kexec_free(struct kexec *x)
{
	if (!x)
		return;
	kexec_refresh_cancel(x);
	kexec_invalidate(x);
	free(x->api_version);
	free(x->command);
	free(x->install_hint);
	free(x->interactive_mode);
	free(x->dir);
	for (size_t i = 0; i < x->nargs; i++)
		free(x->args[i]);
	free(x->args);
	/* env values may carry secrets (an API key for the plugin) */
	for (size_t i = 0; i < x->nenv; i++) {
		free(x->env[i].name);
		free_secret_str(x->env[i].value);
	}
	free(x->env);
	free_secret_str(x->exec_info);
	free(x);
}

void kexec_set_timeout_ms(struct kexec *x, long ms)
{
	x->timeout_ms = ms;
}

unsigned kexec_runs(const struct kexec *x)
{
	return x->runs;
}

/* --- RFC 3339 --- */

static bool digits(const char **p, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)(*p)[i]))
			return false;
		v = v * 10 + ((*p)[i] - '0');
	}
	*p += n;
	*out = v;
	return true;
}

static bool expect(const char **p, char c)
{
	if (toupper((unsigned char)**p) != c)
		return false;
	(*p)++;
	return true;
}

bool kexec_parse_rfc3339(const char *s, time_t *out)
{
	const char *p = s;
	int Y, M, D, h, m, sec;
	if (!s || !digits(&p, 4, &Y) || !expect(&p, '-') || !digits(&p, 2, &M) ||
	    !expect(&p, '-') || !digits(&p, 2, &D) || !expect(&p, 'T') || !digits(&p, 2, &h) ||
	    !expect(&p, ':') || !digits(&p, 2, &m) || !expect(&p, ':') || !digits(&p, 2, &sec))
		return false;
	if (M < 1 || M > 12 || D < 1 || D > 31 || h > 23 || m > 59 || sec > 60)
		return false;
	if (*p == '.') {
		p++;
		if (!isdigit((unsigned char)*p))
			return false;
		while (isdigit((unsigned char)*p))
			p++;
	}
	long off = 0;
	if (toupper((unsigned char)*p) == 'Z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		int sign = *p == '-' ? -1 : 1, oh, om;
		p++;
		if (!digits(&p, 2, &oh) || !expect(&p, ':') || !digits(&p, 2, &om))
			return false;
		off = sign * (oh * 3600L + om * 60L);
	} else {
		return false;
	}
	if (*p)
		return false;
	struct tm tm = {.tm_year = Y - 1900,
			.tm_mon = M - 1,
			.tm_mday = D,
			.tm_hour = h,
			.tm_min = m,
			.tm_sec = sec};
	*out = timegm(&tm) - off;
	return true;
}

/* --- running the plugin --- */

static char **build_env(const struct kexec *x)
{
	size_t n = 0;
	while (environ && environ[n])
		n++;
	char **env = xcalloc(n + x->nenv + 2, sizeof(char *));
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		const char *eq = strchr(environ[i], '=');
		size_t nl = eq ? (size_t)(eq - environ[i]) : strlen(environ[i]);
		bool replaced = nl == strlen("KUBERNETES_EXEC_INFO") &&
				strncmp(environ[i], "KUBERNETES_EXEC_INFO", nl) == 0;
		for (size_t j = 0; j < x->nenv && !replaced; j++)
			replaced = strlen(x->env[j].name) == nl &&
				   strncmp(environ[i], x->env[j].name, nl) == 0;
		if (!replaced)
			env[k++] = xstrdup(environ[i]);
	}
	for (size_t j = 0; j < x->nenv; j++)
		env[k++] =
		    xasprintf("%s=%s", x->env[j].name, x->env[j].value ? x->env[j].value : "");
	env[k++] = xasprintf("KUBERNETES_EXEC_INFO=%s", x->exec_info);
	env[k] = NULL;
	return env;
}

static void free_env(char **env)
{
	for (size_t i = 0; env[i]; i++)
		free_secret_str(env[i]);
	free(env);
}

static void missing_command(const struct kexec *x, int e, struct perr *err)
{
	if (e == ENOENT) {
		struct buf b = BUF_INIT;
		buf_printf(&b, "exec credential plugin \"%s\" not found", x->command);
		if (!strchr(x->command, '/'))
			buf_adds(&b, " in PATH");
		if (x->install_hint && *x->install_hint) {
			buf_adds(&b, DASH);
			/* installHint is often several lines: keep it on one */
			for (const char *p = x->install_hint; *p; p++)
				buf_addc(&b, (*p == '\n' || *p == '\r' || *p == '\t') ? ' ' : *p);
			while (b.len && b.data[b.len - 1] == ' ')
				b.data[--b.len] = '\0';
		} else {
			buf_adds(&b, DASH "install it, or fix users[].user.exec.command in the "
					  "kubeconfig");
		}
		perr_set(err, PERR_AUTH, "%s", b.data);
		buf_free(&b);
	} else {
		perr_set(err, PERR_AUTH, "cannot run exec credential plugin \"%s\": %s", x->command,
			 strerror(e));
	}
}

/* What to run: the resolved path, argv and environment (free with
 * free_run). false with err when the command cannot be found. */
struct run {
	char *cmd;
	char **argv;
	char **envp;
};

static bool prepare_run(const struct kexec *x, struct run *r, struct perr *err)
{
	int e;
	*r = (struct run){0};
	if (!(r->cmd = ksubproc_find(x->command, x->dir, &e))) {
		missing_command(x, e, err);
		return false;
	}
	r->argv = xcalloc(x->nargs + 2, sizeof(char *));
	r->argv[0] = x->command;
	for (size_t i = 0; i < x->nargs; i++)
		r->argv[i + 1] = x->args[i];
	r->envp = build_env(x);
	return true;
}

static void free_run(struct run *r)
{
	if (r->envp)
		free_env(r->envp);
	free(r->argv);
	free(r->cmd);
}

/* Blank secret strings of the tree before it is freed. */
static void scrub(cJSON *status)
{
	static const char *const keys[] = {"token", "clientKeyData", "clientCertificateData"};
	for (size_t i = 0; i < 3; i++) {
		cJSON *v = cJSON_GetObjectItemCaseSensitive(status, keys[i]);
		if (cJSON_IsString(v))
			memset(v->valuestring, 0, strlen(v->valuestring));
	}
}

static const char *jstr(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static bool parse_credential(struct kexec *x, const struct buf *out, struct perr *err)
{
	const char *cmd = x->command;
	cJSON *root = out->len ? cJSON_ParseWithLength(out->data, out->len) : NULL;
	if (!cJSON_IsObject(root)) {
		cJSON_Delete(root);
		perr_set(err, PERR_AUTH,
			 "exec credential plugin \"%s\" did not print an ExecCredential (%s)", cmd,
			 out->len ? "its output is not JSON" : "its output is empty");
		return false;
	}
	cJSON *status = cJSON_GetObjectItemCaseSensitive(root, "status");
	const char *kind = jstr(root, "kind"), *api = jstr(root, "apiVersion");
	bool ok = false;
	if (!kind || strcmp(kind, "ExecCredential") != 0) {
		perr_set(err, PERR_AUTH,
			 "exec credential plugin \"%s\" printed kind \"%s\", not ExecCredential",
			 cmd, kind ? kind : "");
	} else if (!api || strcmp(api, x->api_version) != 0) {
		perr_set(err, PERR_AUTH,
			 "exec credential plugin \"%s\" answered with apiVersion \"%s\" but the "
			 "kubeconfig asks for \"%s\"",
			 cmd, api ? api : "", x->api_version);
	} else if (!cJSON_IsObject(status)) {
		perr_set(err, PERR_AUTH, "exec credential plugin \"%s\" returned no status", cmd);
	} else {
		const char *tok = jstr(status, "token");
		const char *crt = jstr(status, "clientCertificateData");
		const char *key = jstr(status, "clientKeyData");
		const char *exp = jstr(status, "expirationTimestamp");
		time_t expiry = 0;
		if (tok && !*tok)
			tok = NULL;
		if (crt && !*crt)
			crt = NULL;
		if (key && !*key)
			key = NULL;
		if (!tok && !crt && !key) {
			perr_set(err, PERR_AUTH,
				 "exec credential plugin \"%s\" returned neither a token nor a "
				 "client certificate and key",
				 cmd);
		} else if (!crt != !key) {
			perr_set(err, PERR_AUTH,
				 "exec credential plugin \"%s\" returned %s without %s", cmd,
				 crt ? "clientCertificateData" : "clientKeyData",
				 crt ? "clientKeyData" : "clientCertificateData");
		} else if (exp && *exp && !kexec_parse_rfc3339(exp, &expiry)) {
			perr_set(err, PERR_AUTH,
				 "exec credential plugin \"%s\" returned an expirationTimestamp "
				 "that is not RFC 3339: \"%.40s\"",
				 cmd, exp);
		} else {
			kexec_invalidate(x);
			x->token = xstrdup(tok);
			x->cert = xstrdup(crt);
			x->key = xstrdup(key);
			x->expiry = expiry;
			x->have = true;
			ok = true;
		}
		scrub(status);
	}
	cJSON_Delete(root);
	return ok;
}

/* A terminal-only plugin is refused before it runs. */
static bool may_run(const struct kexec *x, struct perr *err)
{
	if (x->interactive_mode && strcmp(x->interactive_mode, "Always") == 0) {
		perr_set(err, PERR_AUTH,
			 "exec credential plugin \"%s\" needs a terminal (interactiveMode: "
			 "Always), which podscope does not give it" DASH
			 "run the plugin's login by hand first",
			 x->command);
		return false;
	}
	return true;
}

/* How the run ended: a credential cached, or err saying why not. */
static bool take_result(struct kexec *x, const struct ksubproc_out *po, struct perr *err)
{
	if (po->timed_out) {
		perr_set(err, PERR_AUTH, "exec credential plugin \"%s\" did not finish within %ld s",
			 x->command, (x->timeout_ms + 999) / 1000);
		return false;
	}
	if (!(WIFEXITED(po->status) && WEXITSTATUS(po->status) == 0)) {
		char *line = ksubproc_last_err_line(po);
		if (WIFSIGNALED(po->status))
			perr_set(err, PERR_AUTH,
				 "exec credential plugin \"%s\" was killed by signal %d%s%s",
				 x->command, WTERMSIG(po->status), *line ? ": " : "", line);
		else
			perr_set(err, PERR_AUTH,
				 "exec credential plugin \"%s\" failed with exit code %d%s%s",
				 x->command, WEXITSTATUS(po->status), *line ? ": " : "", line);
		free(line);
		return false;
	}
	return parse_credential(x, &po->out, err);
}

bool kexec_needs_run(struct kexec *x)
{
	if (x->fresh && x->have)
		return false;
	if (x->have && x->expiry && time(NULL) >= x->expiry)
		kexec_invalidate(x);
	return !x->have;
}

void kexec_fresh_end(struct kexec *x)
{
	x->fresh = false;
}

bool kexec_get(struct kexec *x, struct kcreds *out, struct perr *err)
{
	if (kexec_needs_run(x)) {
		perr_set(err, PERR_AUTH,
			 "exec credential plugin \"%s\" has given no credential yet (it runs on the "
			 "loop: kexec_refresh_start)",
			 x->command);
		return false;
	}
	out->token = x->token;
	if (x->cert && x->key) {
		out->cert = (const unsigned char *)x->cert;
		out->cert_len = strlen(x->cert);
		out->key = (const unsigned char *)x->key;
		out->key_len = strlen(x->key);
	}
	return true;
}

static void on_run_done(void *ud, const struct ksubproc_out *po)
{
	struct kexec *x = ud;
	struct perr err = {0};
	x->running = NULL;
	bool ok = take_result(x, po, &err);
	/* The requests that waited for it use it, even when it came expired
	 * (as a blocking run's caller would); later ones check again. */
	x->fresh = ok;
	kexec_done_fn done = x->done;
	x->done = NULL;
	if (done)
		done(x->done_ud, ok ? NULL : &err);
	perr_clear(&err);
}

int kexec_refresh_start(struct kexec *x, struct ploop *loop, kexec_done_fn done, void *ud,
			struct perr *err)
{
	x->done = done;
	x->done_ud = ud;
	if (x->running)
		return 0;
	if (!may_run(x, err))
		return -1;
	struct run r;
	if (!prepare_run(x, &r, err))
		return -1;
	int e;
	x->running = ksubproc_start(loop, r.cmd, r.argv, r.envp, x->timeout_ms, STDOUT_MAX,
				    on_run_done, x, &e);
	free_run(&r);
	if (!x->running) {
		missing_command(x, e, err);
		return -1;
	}
	x->runs++;
	return 0;
}

void kexec_refresh_cancel(struct kexec *x)
{
	ksubproc_cancel(x->running);
	x->running = NULL;
	x->done = NULL;
}
