#include "config.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "podscope/buf.h"
#include "podscope/kfile.h"
#include "podscope/xalloc.h"

#include "kubeconfig_int.h"

/*
 * From the merged files to one connection, as client-go's DirectClientConfig
 * does it: the context is --context or current-context; --cluster, --user
 * and -n replace the context's choices; then the same checks kubectl makes
 * before it talks to a server (ConfirmUsable, the transport's own checks).
 * Where kubectl would quietly fall back to http://localhost:8080 (a context
 * naming a missing cluster, a cluster with no server), podscope says what is
 * wrong instead.
 */

static const char *nz(const char *s)
{
	return s && *s ? s : NULL;
}

/* "FILE" or "FILE1, FILE2" for messages about the merged config. */
static char *files_list(const struct kc_config *cfg)
{
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < cfg->nfiles; i++)
		buf_printf(&b, "%s%s", i ? ", " : "", cfg->files[i]);
	if (cfg->nfiles == 0)
		buf_adds(&b, "the kubeconfig (no file was found)");
	return buf_steal(&b);
}

/* The quoted, sorted names of a list of entries (each starts with its name). */
static char *names_of(const void *items, size_t n, size_t elem)
{
	char **names = xcalloc(n + 1, sizeof(*names));
	for (size_t i = 0; i < n; i++)
		names[i] = *(char *const *)(const void *)((const char *)items + i * elem);
	char *s = kc_join_names(names, n);
	free(names);
	return s;
}

static const struct kc_context *find_context(const struct kc_config *cfg, const char *name)
{
	for (size_t i = 0; i < cfg->ncontexts; i++)
		if (!strcmp(cfg->contexts[i].name, name))
			return &cfg->contexts[i];
	return NULL;
}

static const struct kc_cluster *find_cluster(const struct kc_config *cfg, const char *name)
{
	for (size_t i = 0; i < cfg->nclusters; i++)
		if (!strcmp(cfg->clusters[i].name, name))
			return &cfg->clusters[i];
	return NULL;
}

static const struct kc_user *find_user(const struct kc_config *cfg, const char *name)
{
	for (size_t i = 0; i < cfg->nusers; i++)
		if (!strcmp(cfg->users[i].name, name))
			return &cfg->users[i];
	return NULL;
}

/* Problems are collected and reported together, as kubectl does. */
static void problem(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void problem(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	char *s = xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	if (b->len)
		buf_adds(b, "; ");
	buf_adds(b, s);
	free(s);
}

/* A file named by the kubeconfig, read whole; NULL with a problem added. */
static unsigned char *read_named(struct buf *probs, const char *what, const char *path,
				 const char *kind, const char *name, size_t *len)
{
	struct perr e = {0};
	char *data = kfile_read(path, KFILE_MAX_NAMED, len, &e, "%s %s for %s \"%s\"", what,
				path, kind, name);
	if (!data)
		problem(probs, "%s", perr_msg(&e));
	perr_clear(&e);
	return (unsigned char *)data;
}

/*
 * client-go's DefaultServerURL: a server without a scheme gets http://
 * (the TLS fields are not consulted at that point), and kubectl only sends
 * credentials over https.
 */
static char *normalize_server(const char *server)
{
	const char *sep = strstr(server, "://");
	bool scheme = sep && sep > server && sep[3] && sep[3] != '/';
	for (const char *p = server; scheme && p < sep; p++)
		if (!isalnum((unsigned char)*p) && *p != '+' && *p != '-' && *p != '.')
			scheme = false;
	char *s = scheme ? xstrdup(server) : xasprintf("http://%s", server);
	size_t min = (size_t)(strstr(s, "://") - s) + 4;
	size_t len = strlen(s);
	while (len > min && s[len - 1] == '/')
		s[--len] = '\0';
	return s;
}

static bool is_https(const char *server)
{
	return !strncasecmp(server, "https://", 8);
}

static void check_proxy(struct buf *probs, const struct kc_cluster *cl)
{
	const char *u = cl->proxy_url;
	const char *sep = strstr(u, "://");
	size_t n = sep ? (size_t)(sep - u) : 0;
	if ((n == 4 && !strncasecmp(u, "http", 4)) || (n == 5 && !strncasecmp(u, "https", 5)) ||
	    (n == 6 && !strncasecmp(u, "socks5", 6)))
		return;
	char *shown = kc_redact_url(u);
	problem(probs,
		"proxy-url %s of cluster \"%s\" has an unsupported scheme: it must be http, "
		"https or socks5",
		shown, cl->name);
	free(shown);
}

static void check_cluster(struct buf *probs, const struct kc_cluster *cl, struct kc_conn *c)
{
	if (!cl->server)
		problem(probs, "cluster \"%s\" (in %s) has no server", cl->name, cl->origin);
	if (cl->proxy_url)
		check_proxy(probs, cl);
	if (cl->ca_file && cl->ca_data)
		problem(probs,
			"cluster \"%s\" (in %s) sets both certificate-authority and "
			"certificate-authority-data; kubectl refuses that too, keep one",
			cl->name, cl->origin);
	else if (cl->ca_file)
		c->ca_data = read_named(probs, "certificate-authority", cl->ca_file, "cluster",
					cl->name, &c->ca_len);
	else if (cl->ca_data) {
		c->ca_data = xmemdup(cl->ca_data, cl->ca_len);
		c->ca_len = cl->ca_len;
	}
	if (cl->insecure && (cl->ca_file || cl->ca_data))
		problem(probs,
			"cluster \"%s\" (in %s) sets insecure-skip-tls-verify together with a "
			"certificate authority; kubectl does not allow both",
			cl->name, cl->origin);
	c->insecure_skip_tls_verify = cl->insecure;
	c->tls_server_name = xstrdup(cl->tls_server_name);
	c->proxy_url = xstrdup(cl->proxy_url);
}

static const char *provider_hint(const char *p)
{
	if (!strcmp(p, "gcp"))
		return "gke-gcloud-auth-plugin";
	if (!strcmp(p, "azure"))
		return "kubelogin";
	if (!strcmp(p, "oidc"))
		return "kubelogin";
	return "your provider's credential plugin";
}

static void check_exec(struct buf *probs, const struct kc_user *u)
{
	const struct kc_exec *x = u->exec;
	if (!x->command)
		problem(probs, "user \"%s\" (in %s): exec needs a command", u->name, u->origin);
	if (!x->api_version)
		problem(probs, "user \"%s\" (in %s): exec needs an apiVersion", u->name, u->origin);
	else if (strcmp(x->api_version, "client.authentication.k8s.io/v1") &&
		 strcmp(x->api_version, "client.authentication.k8s.io/v1beta1"))
		problem(probs,
			"user \"%s\" (in %s): exec apiVersion \"%s\" is not supported; use "
			"client.authentication.k8s.io/v1 or v1beta1",
			u->name, u->origin, x->api_version);
	for (size_t i = 0; i < x->nenv; i++)
		if (!x->env[i].name)
			problem(probs, "user \"%s\" (in %s): exec env[%zu] has no name", u->name,
				u->origin, i);
	const char *m = x->interactive_mode;
	if (!m)
		problem(probs,
			"user \"%s\" (in %s): exec needs interactiveMode (Never, IfAvailable or "
			"Always) with apiVersion client.authentication.k8s.io/v1",
			u->name, u->origin);
	else if (strcmp(m, "Never") && strcmp(m, "IfAvailable") && strcmp(m, "Always"))
		problem(probs,
			"user \"%s\" (in %s): exec interactiveMode \"%s\" is not one of Never, "
			"IfAvailable, Always",
			u->name, u->origin, m);
}

static char *trim_dup(const char *s, size_t len)
{
	while (len && isspace((unsigned char)*s)) {
		s++;
		len--;
	}
	while (len && isspace((unsigned char)s[len - 1]))
		len--;
	return xstrndup(s, len);
}

/*
 * The user's credentials, checked as kubectl checks them. Which one `auth`
 * names follows client-go's transport: a tokenFile is re-read and wins over
 * a static token (which stays as the fallback); a bearer token or basic auth
 * is sent as the Authorization header (both at once is refused); a client
 * certificate goes into TLS, alongside a token if there is one; an exec
 * plugin only runs when none of those is set.
 */
static void check_user(struct buf *probs, const struct kc_user *u, bool tls, struct kc_conn *c)
{
	if (u->auth_provider) {
		problem(probs,
			"user \"%s\" (in %s) uses auth-provider \"%s\", which podscope does not "
			"support; use an exec credential plugin (for example %s) instead",
			u->name, u->origin, u->auth_provider, provider_hint(u->auth_provider));
		return;
	}
	if (u->impersonate)
		problem(probs,
			"user \"%s\" (in %s) sets %s (impersonation), which podscope does not "
			"support",
			u->name, u->origin, u->impersonate);
	bool cert = u->cert_file || u->cert_data;
	if (cert) {
		if (u->cert_file && u->cert_data)
			problem(probs,
				"user \"%s\" (in %s) sets both client-certificate and "
				"client-certificate-data; kubectl refuses that too, keep one",
				u->name, u->origin);
		if (u->key_file && u->key_data)
			problem(probs,
				"user \"%s\" (in %s) sets both client-key and client-key-data; "
				"kubectl refuses that too, keep one",
				u->name, u->origin);
		if (!u->key_file && !u->key_data)
			problem(probs,
				"user \"%s\" (in %s) has a client certificate but no client-key or "
				"client-key-data",
				u->name, u->origin);
	}
	if (u->exec)
		check_exec(probs, u);
	bool token = u->token || u->token_file;
	if (token && (u->username || u->password))
		problem(probs,
			"user \"%s\" (in %s) sets both a token and username/password; kubectl "
			"allows only one",
			u->name, u->origin);
	/* kubectl sends no credentials to an http:// server. */
	if (!tls || probs->len)
		return;
	if (cert) {
		if (u->cert_data) {
			c->cert_data = xmemdup(u->cert_data, u->cert_len);
			c->cert_len = u->cert_len;
		} else {
			c->cert_data = read_named(probs, "client-certificate", u->cert_file, "user",
						  u->name, &c->cert_len);
		}
		if (u->key_data) {
			c->key_data = xmemdup(u->key_data, u->key_len);
			c->key_len = u->key_len;
		} else if (u->key_file) {
			c->key_data = read_named(probs, "client-key", u->key_file, "user", u->name,
						 &c->key_len);
		}
	}
	if (u->token_file) {
		c->auth = KC_AUTH_TOKEN_FILE;
		c->token_file = xstrdup(u->token_file);
		if (u->token) {
			/* client-go reads the file lazily and falls back to this. */
			c->token = xstrdup(u->token);
		} else {
			/* client-go reads it now, so a bad file fails here; the
			 * auth layer reads it again, and whenever it changes. */
			size_t len = 0;
			char *raw = (char *)read_named(probs, "tokenFile", u->token_file, "user",
						       u->name, &len);
			if (!raw)
				return;
			char *tok = trim_dup(raw, len);
			free_secret(raw, len);
			if (!*tok)
				problem(probs, "tokenFile %s for user \"%s\" is empty",
					u->token_file, u->name);
			free_secret_str(tok);
		}
	} else if (u->token) {
		c->auth = KC_AUTH_TOKEN;
		c->token = xstrdup(u->token);
	} else if (u->username || u->password) {
		c->auth = KC_AUTH_BASIC;
		c->username = xstrdup(u->username ? u->username : "");
		c->password = xstrdup(u->password ? u->password : "");
	} else if (cert) {
		c->auth = KC_AUTH_CLIENT_CERT;
	} else if (u->exec) {
		c->auth = KC_AUTH_EXEC;
		c->exec = kc_exec_dup(u->exec);
	}
}

/* Nothing to connect with: say everything that was looked at. */
static void nothing_found(const struct kc_config *cfg, const struct kc_options *opt,
			  struct perr *err)
{
	struct buf b = BUF_INIT;
	if (cfg->nfiles == 0) {
		buf_adds(&b, "no kubeconfig found: tried ");
		for (size_t i = 0; i < cfg->ntried; i++)
			buf_printf(&b, "%s%s", i ? ", " : "", cfg->tried[i]);
		if (cfg->ntried == 0)
			buf_adds(&b, "nothing ($KUBECONFIG names no file)");
		else if (!strcmp(cfg->where, "$KUBECONFIG"))
			buf_adds(&b, " (from $KUBECONFIG)");
		else if (!strcmp(cfg->where, "$HOME"))
			buf_adds(&b, " ($HOME/.kube/config; $KUBECONFIG is not set)");
	} else {
		char *files = files_list(cfg);
		char *ctxs = names_of(cfg->contexts, cfg->ncontexts, sizeof(*cfg->contexts));
		buf_printf(&b,
			   "no context: %s set%s no current-context and no --context was given "
			   "(contexts: %s)",
			   files, cfg->nfiles > 1 ? "" : "s", ctxs);
		free(files);
		free(ctxs);
	}
	const char *host = getenv("KUBERNETES_SERVICE_HOST");
	const char *port = getenv("KUBERNETES_SERVICE_PORT");
	if (!nz(host) || !nz(port))
		buf_adds(&b, "; not in a cluster either: KUBERNETES_SERVICE_HOST and "
			     "KUBERNETES_SERVICE_PORT are not both set");
	else
		buf_printf(&b,
			   "; in-cluster config is not possible either: %s/token is missing or "
			   "not a file",
			   kc_incluster_dir(opt));
	perr_set(err, PERR_CONFIG, "%s", b.data);
	buf_free(&b);
}

static bool choose(const struct kc_config *cfg, const struct kc_options *opt, struct kc_conn *c,
		   const struct kc_cluster **clp, const struct kc_user **up, struct perr *err)
{
	const char *ctx_name = nz(opt->context) ? opt->context : cfg->current_context;
	const struct kc_context *ctx = NULL;
	char *files = files_list(cfg);
	bool ok = false;
	if (ctx_name) {
		ctx = find_context(cfg, ctx_name);
		if (!ctx) {
			char *names = names_of(cfg->contexts, cfg->ncontexts, sizeof(*ctx));
			if (nz(opt->context))
				perr_set(err, PERR_CONFIG,
					 "context \"%s\" (from --context) does not exist in %s; "
					 "contexts that exist: %s",
					 ctx_name, files, names);
			else
				perr_set(err, PERR_CONFIG,
					 "current-context \"%s\" (set in %s) does not exist; "
					 "contexts that exist: %s",
					 ctx_name, cfg->current_context_origin, names);
			free(names);
			goto out;
		}
	}
	c->context = xstrdup(ctx_name ? ctx_name : "");
	const char *cl_name = nz(opt->cluster) ? opt->cluster : ctx ? ctx->cluster : NULL;
	if (!cl_name || !*cl_name) {
		perr_set(err, PERR_CONFIG, "context \"%s\" (in %s) names no cluster",
			 ctx ? ctx->name : "", ctx ? ctx->origin : files);
		goto out;
	}
	*clp = find_cluster(cfg, cl_name);
	if (!*clp) {
		char *names = names_of(cfg->clusters, cfg->nclusters, sizeof(**clp));
		if (nz(opt->cluster))
			perr_set(err, PERR_CONFIG,
				 "cluster \"%s\" (from --cluster) does not exist in %s; clusters "
				 "that exist: %s",
				 cl_name, files, names);
		else
			perr_set(err, PERR_CONFIG,
				 "context \"%s\" (in %s) names cluster \"%s\", which does "
				 "not exist in %s; clusters that exist: %s",
				 ctx->name, ctx->origin, cl_name, files, names);
		free(names);
		goto out;
	}
	c->cluster_name = xstrdup(cl_name);
	const char *u_name = nz(opt->user) ? opt->user : ctx ? ctx->user : NULL;
	c->user_name = xstrdup(u_name ? u_name : "");
	if (u_name) {
		*up = find_user(cfg, u_name);
		if (!*up) {
			char *names = names_of(cfg->users, cfg->nusers, sizeof(**up));
			if (nz(opt->user))
				perr_set(err, PERR_CONFIG,
					 "user \"%s\" (from --user) does not exist in %s; users "
					 "that exist: %s",
					 u_name, files, names);
			else
				perr_set(err, PERR_CONFIG,
					 "context \"%s\" (in %s) names user \"%s\", which does not "
					 "exist in %s; users that exist: %s",
					 ctx->name, ctx->origin, u_name, files, names);
			free(names);
			goto out;
		}
	}
	const char *ns = nz(opt->namespace) ? opt->namespace : ctx ? nz(ctx->namespace) : NULL;
	c->namespace = xstrdup(ns ? ns : "default");
	ok = true;
out:
	free(files);
	return ok;
}

struct kc_conn *kc_load(const struct kc_options *opt, struct perr *err)
{
	static const struct kc_options none;
	if (!opt)
		opt = &none;
	struct kc_config cfg;
	if (!kc_config_load(&cfg, opt, err)) {
		kc_config_free(&cfg);
		return NULL;
	}
	/* client-go falls back to in-cluster config when the files choose no
	 * context and no cluster (its "default config"). */
	if (!nz(opt->context) && !cfg.current_context && !nz(opt->cluster)) {
		struct kc_conn *c = NULL;
		if (kc_incluster_possible(opt))
			c = kc_incluster_load(opt, err);
		else
			nothing_found(&cfg, opt, err);
		kc_config_free(&cfg);
		return c;
	}
	struct kc_conn *c = xcalloc(1, sizeof(*c));
	const struct kc_cluster *cl = NULL;
	const struct kc_user *u = NULL;
	struct buf probs = BUF_INIT;
	if (!choose(&cfg, opt, c, &cl, &u, err))
		goto fail;
	c->all_namespaces = opt->all_namespaces;
	/* kubectl checks the user first, then the cluster. */
	char *server = cl->server ? normalize_server(cl->server) : NULL;
	bool tls = server && is_https(server);
	if (u)
		check_user(&probs, u, tls, c);
	check_cluster(&probs, cl, c);
	c->server = server;
	if (probs.len) {
		perr_set(err, PERR_CONFIG, "%s", probs.data);
		goto fail;
	}
	c->sources = xcalloc(cfg.nfiles + 1, sizeof(*c->sources));
	for (size_t i = 0; i < cfg.nfiles; i++)
		c->sources[c->nsources++] = xstrdup(cfg.files[i]);
	buf_free(&probs);
	kc_config_free(&cfg);
	return c;
fail:
	buf_free(&probs);
	kc_config_free(&cfg);
	kc_conn_free(c);
	return NULL;
}

void kc_conn_free(struct kc_conn *c)
{
	if (!c)
		return;
	free(c->context);
	free(c->cluster_name);
	free(c->user_name);
	free(c->namespace);
	free(c->server);
	free(c->ca_data);
	free(c->tls_server_name);
	free(c->proxy_url);
	free_secret_str(c->token);
	free(c->token_file);
	free(c->cert_data);
	free_secret(c->key_data, c->key_len);
	free(c->username);
	free_secret_str(c->password);
	kc_exec_free(c->exec);
	for (size_t i = 0; i < c->nsources; i++)
		free(c->sources[i]);
	free(c->sources);
	free(c);
}

size_t kc_list_contexts(const struct kc_options *opt, char ***names, struct perr *err)
{
	static const struct kc_options none;
	struct kc_config cfg;
	*names = NULL;
	if (!kc_config_load(&cfg, opt ? opt : &none, err)) {
		kc_config_free(&cfg);
		return 0;
	}
	char **list = xcalloc(cfg.ncontexts + 1, sizeof(*list));
	for (size_t i = 0; i < cfg.ncontexts; i++)
		list[i] = xstrdup(cfg.contexts[i].name);
	size_t n = cfg.ncontexts;
	qsort(list, n, sizeof(*list), kc_cmp_str);
	kc_config_free(&cfg);
	*names = list;
	return n;
}

void kc_free_names(char **names)
{
	if (!names)
		return;
	for (char **p = names; *p; p++)
		free(*p);
	free(names);
}
