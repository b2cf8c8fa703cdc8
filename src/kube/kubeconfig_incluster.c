#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "podscope/kfile.h"
#include "podscope/xalloc.h"

#include "kubeconfig_int.h"

/*
 * In-cluster configuration, as client-go's rest.InClusterConfig and
 * inClusterClientConfig do it: the API server from KUBERNETES_SERVICE_HOST
 * and _PORT, the service account's token (re-read as it rotates), its ca.crt
 * (system CAs when it is missing or holds no certificate, as client-go only
 * logs that), and the namespace from $POD_NAMESPACE, then the namespace
 * file, then "default"; -n wins over all of them.
 */

#define SA_DIR "/var/run/secrets/kubernetes.io/serviceaccount"

static const char *nz(const char *s)
{
	return s && *s ? s : NULL;
}

const char *kc_incluster_dir(const struct kc_options *opt)
{
	if (opt && nz(opt->incluster_dir))
		return opt->incluster_dir;
	const char *env = getenv("PODSCOPE_INCLUSTER_DIR");
	return nz(env) ? env : SA_DIR;
}

static char *sa_file(const struct kc_options *opt, const char *name)
{
	char *p = xasprintf("%s/%s", kc_incluster_dir(opt), name);
	char *dir = kc_path_abs_dir(p);
	char *abs = kc_path_resolve(dir, name);
	free(dir);
	free(p);
	return abs;
}

bool kc_incluster_possible(const struct kc_options *opt)
{
	if (!nz(getenv("KUBERNETES_SERVICE_HOST")) || !nz(getenv("KUBERNETES_SERVICE_PORT")))
		return false;
	char *token = sa_file(opt, "token");
	struct stat st;
	bool ok = stat(token, &st) == 0 && !S_ISDIR(st.st_mode);
	free(token);
	return ok;
}

static char *trimmed(const char *s, size_t len)
{
	while (len && isspace((unsigned char)*s)) {
		s++;
		len--;
	}
	while (len && isspace((unsigned char)s[len - 1]))
		len--;
	return xstrndup(s, len);
}

struct kc_conn *kc_incluster_load(const struct kc_options *opt, struct perr *err)
{
	const char *host = getenv("KUBERNETES_SERVICE_HOST");
	const char *port = getenv("KUBERNETES_SERVICE_PORT");
	struct kc_conn *c = xcalloc(1, sizeof(*c));
	c->token_file = sa_file(opt, "token");
	size_t len = 0;
	struct perr e = {0};
	char *raw = kfile_read(c->token_file, KFILE_MAX_NAMED, &len, &e, "the token %s",
			       c->token_file);
	if (!raw) {
		perr_set(err, PERR_CONFIG, "in-cluster config: %s", perr_msg(&e));
		perr_clear(&e);
		kc_conn_free(c);
		return NULL;
	}
	/* Checked now, as client-go does; the auth layer re-reads it. */
	char *tok = trimmed(raw, len);
	free_secret(raw, len);
	bool empty = !*tok;
	free_secret_str(tok);
	if (empty) {
		perr_set(err, PERR_CONFIG, "in-cluster config: the token %s is empty",
			 c->token_file);
		kc_conn_free(c);
		return NULL;
	}
	c->auth = KC_AUTH_INCLUSTER;
	/* net.JoinHostPort: an IPv6 address goes in brackets. */
	if (strchr(host, ':'))
		c->server = xasprintf("https://[%s]:%s", host, port);
	else
		c->server = xasprintf("https://%s:%s", host, port);

	char *ca = sa_file(opt, "ca.crt");
	c->ca_data = (unsigned char *)kfile_read(ca, KFILE_MAX_NAMED, &c->ca_len, NULL, "%s", ca);
	if (c->ca_data && !strstr((char *)c->ca_data, "-----BEGIN CERTIFICATE-----")) {
		free(c->ca_data);
		c->ca_data = NULL;
		c->ca_len = 0;
	}
	free(ca);

	const char *ns = nz(opt ? opt->namespace : NULL);
	char *nsfile = NULL;
	if (!ns)
		ns = nz(getenv("POD_NAMESPACE"));
	if (!ns) {
		char *path = sa_file(opt, "namespace");
		char *text = kfile_read(path, KFILE_MAX_NAMED, &len, NULL, "%s", path);
		if (text) {
			nsfile = trimmed(text, len);
			free(text);
			ns = nz(nsfile);
		}
		free(path);
	}
	c->namespace = xstrdup(ns ? ns : "default");
	free(nsfile);
	c->context = xstrdup("");
	c->cluster_name = xstrdup("");
	c->user_name = xstrdup("");
	c->all_namespaces = opt && opt->all_namespaces;
	c->sources = xcalloc(1, sizeof(*c->sources));
	return c;
}
