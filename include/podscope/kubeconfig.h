#ifndef PODSCOPE_KUBECONFIG_H
#define PODSCOPE_KUBECONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "podscope/err.h"

/*
 * kubeconfig: found, merged and resolved the way kubectl does it, into one
 * connection (struct kc_conn). Everything is read at load time; relative
 * paths are resolved against the directory of the file that named them.
 */

/* What the command line says (kubectl's flags, same spelling). */
struct kc_options {
	const char *kubeconfig;     /* --kubeconfig FILE, or NULL */
	const char *context;        /* --context */
	const char *cluster;        /* --cluster */
	const char *user;           /* --user */
	const char *namespace;      /* -n / --namespace */
	bool all_namespaces;        /* -A / --all-namespaces */
	/* In-cluster files (token, ca.crt, namespace); NULL means the
	 * environment's PODSCOPE_INCLUSTER_DIR, else the service-account dir. */
	const char *incluster_dir;
};

enum kc_auth {
	KC_AUTH_NONE,
	KC_AUTH_TOKEN,
	KC_AUTH_TOKEN_FILE,
	KC_AUTH_CLIENT_CERT,
	KC_AUTH_BASIC,
	KC_AUTH_EXEC,
	KC_AUTH_INCLUSTER,
};

/* The name `podscope config` prints for an auth kind ("token-file", ...). */
const char *kc_auth_name(enum kc_auth a);

struct kc_env {
	char *name;
	char *value;
};

/* users[].user.exec */
struct kc_exec {
	char *api_version; /* client.authentication.k8s.io/v1 or v1beta1 */
	char *command;
	char **args;
	size_t nargs;
	struct kc_env *env;
	size_t nenv;
	char *install_hint;
	bool provide_cluster_info;
	char *interactive_mode; /* Never, IfAvailable, Always (v1); may be NULL */
	char *dir;              /* directory of the kubeconfig that named it */
};

/* The resolved connection. Byte buffers are PEM, NUL-terminated. */
struct kc_conn {
	char *context;      /* context name, "" for in-cluster */
	char *cluster_name;
	char *user_name;
	char *namespace;    /* never NULL: flag, else context, else "default" */
	bool all_namespaces;
	char *server;       /* https://host:port, no trailing slash */

	unsigned char *ca_data; /* NULL: system CAs */
	size_t ca_len;
	bool insecure_skip_tls_verify;
	char *tls_server_name;
	char *proxy_url;

	enum kc_auth auth;
	char *token;      /* KC_AUTH_TOKEN (secret); with KC_AUTH_TOKEN_FILE, the
			   * kubeconfig's static token that client-go falls back to
			   * when the file cannot be read (usually NULL) */
	char *token_file; /* KC_AUTH_TOKEN_FILE and KC_AUTH_INCLUSTER: absolute path */
	unsigned char *cert_data; /* KC_AUTH_CLIENT_CERT */
	size_t cert_len;
	unsigned char *key_data; /* secret */
	size_t key_len;
	char *username; /* KC_AUTH_BASIC */
	char *password; /* secret */
	struct kc_exec *exec; /* KC_AUTH_EXEC */

	/* Client certificate and token may both be set (kubectl allows it);
	 * auth names what `podscope config` reports, by kubectl's precedence. */

	char **sources; /* the files that were merged, in order */
	size_t nsources;
};

/*
 * Find, merge and resolve. On failure returns NULL and sets err:
 * PERR_CONFIG with a message naming the file (and line:column for YAML
 * errors), every path tried when none exists, the contexts that exist when
 * the chosen one does not, the provider's name for an auth-provider user.
 */
struct kc_conn *kc_load(const struct kc_options *opt, struct perr *err);

/* Free a connection, overwriting its secrets first. */
void kc_conn_free(struct kc_conn *c);

/* All context names of the merged config (for :ctx completion), sorted.
 * Returns the count; *names is a NULL-terminated heap array (NULL, with err
 * set, when a file cannot be read or parsed; finding no file is no error). */
size_t kc_list_contexts(const struct kc_options *opt, char ***names, struct perr *err);
void kc_free_names(char **names);

/*
 * Many clusters: the contexts that --context a,b,c (a context whose own name
 * has a comma is taken whole), --contexts REGEX (POSIX extended, matching
 * the whole name) or --all-contexts (all) choose from the merged config,
 * in the kubeconfig's sorted order (a list keeps its own order), without
 * repeats. Returns 0 with *names NULL and err clear when one context is
 * meant (kc_load chooses it); 0 with err set when the flags conflict, a
 * listed context is missing, nothing matches or more than KC_FLEET_MAX
 * would be watched; else the count, *names NULL-terminated (kc_free_names).
 */
#define KC_FLEET_MAX 32
size_t kc_fleet_contexts(const struct kc_options *opt, const char *regex, bool all, char ***names,
			 struct perr *err);

/* `podscope config -o json|text` on stdout-like buffer; never a secret. */
struct buf;
void kc_conn_describe_json(const struct kc_conn *c, struct buf *out);
void kc_conn_describe_text(const struct kc_conn *c, struct buf *out);

#endif
