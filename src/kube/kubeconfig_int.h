#ifndef PODSCOPE_KUBECONFIG_INT_H
#define PODSCOPE_KUBECONFIG_INT_H

/*
 * Private to src/kube/kubeconfig*.c: the kubeconfig files as decoded and
 * merged, before a context is chosen. Mirrors client-go's clientcmdapi.Config
 * for the fields podscope reads. Paths are already resolved against the
 * directory of the file that defined the entry (client-go's ResolvePaths).
 */

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "podscope/err.h"
#include "podscope/kubeconfig.h"

struct kc_cluster {
	char *name;
	const char *origin; /* the file that defined it (owned by kc_config) */
	char *server;
	char *ca_file;
	unsigned char *ca_data;
	size_t ca_len;
	bool insecure;
	char *tls_server_name;
	char *proxy_url;
};

struct kc_context {
	char *name;
	const char *origin;
	char *cluster;
	char *user;
	char *namespace;
};

struct kc_user {
	char *name;
	const char *origin;
	char *token; /* secret */
	char *token_file;
	char *cert_file;
	unsigned char *cert_data;
	size_t cert_len;
	char *key_file;
	unsigned char *key_data; /* secret */
	size_t key_len;
	char *username;
	char *password; /* secret */
	struct kc_exec *exec;
	char *auth_provider;     /* the provider's name; "" when it has none */
	const char *impersonate; /* the first impersonation key set ("as", ...) */
};

struct kc_config {
	struct kc_cluster *clusters;
	size_t nclusters;
	struct kc_context *contexts;
	size_t ncontexts;
	struct kc_user *users;
	size_t nusers;
	char *current_context;
	const char *current_context_origin;

	char **files; /* loaded files, in merge order (entries point here) */
	size_t nfiles;
	char **tried; /* every path looked at, loaded or missing */
	size_t ntried;
	const char *where; /* how the list was chosen: "--kubeconfig", ... */
};

/* kubeconfig_decode.c: one parsed file (a cJSON tree) into *cfg, whose
 * entries get origin = path and relative paths resolved against its
 * directory. Entries already in cfg win (client-go: the first file that
 * defines a name keeps it). */
bool kc_decode_file(struct kc_config *cfg, const char *path, const cJSON *root, struct perr *err);

/* kubeconfig_load.c: find, read, parse and merge the files kubectl would.
 * Finding none is not an error here: cfg->nfiles is then 0. */
bool kc_config_load(struct kc_config *cfg, const struct kc_options *opt, struct perr *err);
void kc_config_free(struct kc_config *cfg);
void kc_exec_free(struct kc_exec *e);
struct kc_exec *kc_exec_dup(const struct kc_exec *e);
int kc_cmp_str(const void *a, const void *b); /* qsort over char * */
/* "a, b and c" style list of names for messages (sorted, de-duplicated; the
 * first 50, then "and N more"). */
char *kc_join_names(char **names, size_t n);

/* kubeconfig_path.c: Go's filepath semantics, lexically. */
char *kc_path_clean(const char *path);
char *kc_path_abs_dir(const char *file);                  /* filepath.Abs(filepath.Dir(file)) */
char *kc_path_resolve(const char *base, const char *ref); /* ResolvePaths */

/* kubeconfig_describe.c: a URL with any user:password@ replaced. */
char *kc_redact_url(const char *url);

/* kubeconfig_incluster.c */
bool kc_incluster_possible(const struct kc_options *opt);
const char *kc_incluster_dir(const struct kc_options *opt);
struct kc_conn *kc_incluster_load(const struct kc_options *opt, struct perr *err);

/*
 * Standard base64 with padding, as Go's encoding/json decodes []byte (the
 * *-data fields): CR and LF are skipped, anything else out of place is an
 * error. false sets *bad to the offset of the offending byte; true gives a
 * NUL-terminated heap buffer (free it with free_secret: it may hold a key).
 */
bool kc_b64_decode(const char *s, unsigned char **out, size_t *outlen, size_t *bad);

#endif
