#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "podscope/buf.h"
#include "podscope/kubeconfig.h"
#include "podscope/sanitize.h"
#include "podscope/xalloc.h"

#include "kubeconfig_int.h"

/*
 * `podscope config`: the resolved connection, for people (text) and for
 * scripts and the kubectl comparison test (JSON). It prints names, the
 * server and what kind of credential is used, never the credential itself
 * (nor a password in the server's URL). Every name is escaped (sanitize.h):
 * a kubeconfig is outside text like any other.
 */

const char *kc_auth_name(enum kc_auth a)
{
	switch (a) {
	case KC_AUTH_TOKEN:
		return "token";
	case KC_AUTH_TOKEN_FILE:
		return "token-file";
	case KC_AUTH_CLIENT_CERT:
		return "client-certificate";
	case KC_AUTH_BASIC:
		return "basic";
	case KC_AUTH_EXEC:
		return "exec";
	case KC_AUTH_INCLUSTER:
		return "in-cluster";
	case KC_AUTH_NONE:
		break;
	}
	return "none";
}

char *kc_redact_url(const char *url)
{
	size_t start, len;
	if (!url)
		return NULL;
	if (!sanitize_url_userinfo(url, &start, &len))
		return xstrdup(url);
	return xasprintf("%.*sREDACTED%s", (int)start, url, url + start + len - 1);
}

void kc_conn_describe_json(const struct kc_conn *c, struct buf *out)
{
	char *server = sanitize_strip_userinfo(c->server);
	buf_adds(out, "{\"context\":");
	sanitize_json_string(out, c->context);
	buf_adds(out, ",\"cluster\":");
	sanitize_json_string(out, c->cluster_name);
	buf_adds(out, ",\"server\":");
	sanitize_json_string(out, server);
	buf_adds(out, ",\"namespace\":");
	sanitize_json_string(out, c->namespace ? c->namespace : "default");
	buf_adds(out, ",\"user\":");
	sanitize_json_string(out, c->user_name);
	buf_adds(out, ",\"auth\":");
	sanitize_json_string(out, kc_auth_name(c->auth));
	buf_printf(out, ",\"insecure_skip_tls_verify\":%s",
		   c->insecure_skip_tls_verify ? "true" : "false");
	buf_printf(out, ",\"all_namespaces\":%s", c->all_namespaces ? "true" : "false");
	buf_adds(out, ",\"sources\":[");
	for (size_t i = 0; i < c->nsources; i++) {
		if (i)
			buf_addc(out, ',');
		sanitize_json_string(out, c->sources[i]);
	}
	buf_adds(out, "]}\n");
	free(server);
}

static void line(struct buf *out, const char *key, const char *value)
{
	sanitize_printf(out, "%-25s %s\n", key, value);
}

void kc_conn_describe_text(const struct kc_conn *c, struct buf *out)
{
	bool incluster = c->auth == KC_AUTH_INCLUSTER;
	line(out, "context:", incluster ? "(in-cluster)" : c->context);
	line(out, "cluster:", incluster ? "(in-cluster)" : c->cluster_name);
	char *server = sanitize_strip_userinfo(c->server);
	line(out, "server:", server);
	free(server);
	line(out, "namespace:", c->namespace);
	const char *user = *c->user_name ? c->user_name : "(none)";
	line(out, "user:", incluster ? "(service account)" : user);
	line(out, "auth:", kc_auth_name(c->auth));
	if (c->auth == KC_AUTH_EXEC && c->exec)
		line(out, "exec:", c->exec->command ? c->exec->command : "");
	if (c->auth == KC_AUTH_TOKEN_FILE || c->auth == KC_AUTH_INCLUSTER)
		line(out, "token-file:", c->token_file);
	if (c->cert_data && c->auth != KC_AUTH_CLIENT_CERT)
		line(out, "client-certificate:", "yes");
	const char *ca = "system";
	if (c->ca_data)
		ca = incluster ? "ca.crt" : "from the kubeconfig";
	line(out, "certificate-authority:", ca);
	line(out, "insecure_skip_tls_verify:", c->insecure_skip_tls_verify ? "true" : "false");
	if (c->tls_server_name)
		line(out, "tls-server-name:", c->tls_server_name);
	if (c->proxy_url) {
		char *p = kc_redact_url(c->proxy_url);
		line(out, "proxy-url:", p);
		free(p);
	}
	line(out, "all_namespaces:", c->all_namespaces ? "true" : "false");
	struct buf s = BUF_INIT;
	for (size_t i = 0; i < c->nsources; i++)
		sanitize_printf(&s, "%s%s", i ? ", " : "", c->sources[i]);
	line(out, "sources:", s.len ? s.data : incluster ? "(in-cluster)" : "");
	buf_free(&s);
}
