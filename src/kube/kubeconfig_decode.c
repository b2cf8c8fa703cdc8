#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "podscope/xalloc.h"

#include "kubeconfig_int.h"

/*
 * One kubeconfig document (already parsed into cJSON) into kc_config
 * entries. Types are checked as strictly as kubectl's decoder checks them:
 * a number where a string belongs is an error, null means "not set", and
 * unknown keys are ignored. Every entry of the file is decoded, used or not,
 * because kubectl refuses a file with a bad entry anywhere in it.
 */

struct dec {
	const char *path; /* the file, for messages */
	char *dir;        /* its absolute directory, for relative paths */
	struct perr *err;
};

static const char *type_name(const cJSON *v)
{
	if (cJSON_IsString(v))
		return "a string";
	if (cJSON_IsNumber(v))
		return "a number";
	if (cJSON_IsBool(v))
		return "a boolean";
	if (cJSON_IsArray(v))
		return "a list";
	if (cJSON_IsObject(v))
		return "a mapping";
	return "null";
}

static bool type_error(struct dec *d, const char *where, const char *key, const cJSON *v,
		       const char *want)
{
	perr_set(d->err, PERR_CONFIG, "%s: %s%s%s must be %s, not %s", d->path, where,
		 *where ? "." : "", key, want, type_name(v));
	return false;
}

/* A string field; "" and null both mean unset (*out stays NULL). */
static bool get_str(struct dec *d, const cJSON *obj, const char *where, const char *key, char **out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	if (!v || cJSON_IsNull(v))
		return true;
	if (!cJSON_IsString(v))
		return type_error(d, where, key, v, "a string");
	if (*v->valuestring)
		*out = xstrdup(v->valuestring);
	return true;
}

static bool get_bool(struct dec *d, const cJSON *obj, const char *where, const char *key, bool *out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	if (!v || cJSON_IsNull(v))
		return true;
	if (!cJSON_IsBool(v))
		return type_error(d, where, key, v, "a boolean (true or false)");
	*out = cJSON_IsTrue(v);
	return true;
}

/* A path field, resolved against the file's directory as client-go does. */
static bool get_path(struct dec *d, const cJSON *obj, const char *where, const char *key,
		     char **out)
{
	char *raw = NULL;
	if (!get_str(d, obj, where, key, &raw))
		return false;
	if (raw) {
		*out = kc_path_resolve(d->dir, raw);
		free(raw);
	}
	return true;
}

/* A *-data field: base64 in the file, bytes (NUL-terminated) in memory. */
static bool get_data(struct dec *d, const cJSON *obj, const char *where, const char *key,
		     unsigned char **out, size_t *len)
{
	char *raw = NULL;
	if (!get_str(d, obj, where, key, &raw))
		return false;
	if (!raw)
		return true;
	size_t bad = 0;
	bool ok = kc_b64_decode(raw, out, len, &bad);
	/* The text may be a key: overwrite it, and never quote it. */
	free_secret_str(raw);
	if (ok && *len == 0) {
		free(*out); /* only line breaks: unset, as an empty []byte is */
		*out = NULL;
	}
	if (!ok)
		perr_set(d->err, PERR_CONFIG,
			 "%s: %s.%s is not valid base64 (bad byte at offset %zu)", d->path, where,
			 key, bad);
	return ok;
}

static bool get_object(struct dec *d, const cJSON *obj, const char *where, const char *key,
		       const cJSON **out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	*out = NULL;
	if (!v || cJSON_IsNull(v))
		return true;
	if (!cJSON_IsObject(v))
		return type_error(d, where, key, v, "a mapping");
	*out = v;
	return true;
}

static bool get_list(struct dec *d, const cJSON *obj, const char *where, const char *key,
		     const cJSON **out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	*out = NULL;
	if (!v || cJSON_IsNull(v))
		return true;
	if (!cJSON_IsArray(v))
		return type_error(d, where, key, v, "a list");
	*out = v;
	return true;
}

static bool decode_cluster(struct dec *d, const cJSON *c, const char *w, struct kc_cluster *out)
{
	return get_str(d, c, w, "server", &out->server) &&
	       get_path(d, c, w, "certificate-authority", &out->ca_file) &&
	       get_data(d, c, w, "certificate-authority-data", &out->ca_data, &out->ca_len) &&
	       get_bool(d, c, w, "insecure-skip-tls-verify", &out->insecure) &&
	       get_str(d, c, w, "tls-server-name", &out->tls_server_name) &&
	       get_str(d, c, w, "proxy-url", &out->proxy_url);
}

static bool decode_context(struct dec *d, const cJSON *c, const char *w, struct kc_context *out)
{
	return get_str(d, c, w, "cluster", &out->cluster) && get_str(d, c, w, "user", &out->user) &&
	       get_str(d, c, w, "namespace", &out->namespace);
}

static bool decode_exec(struct dec *d, const cJSON *e, const char *w, struct kc_exec *x)
{
	const cJSON *args, *env;
	if (!get_str(d, e, w, "apiVersion", &x->api_version) ||
	    !get_str(d, e, w, "command", &x->command) ||
	    !get_str(d, e, w, "installHint", &x->install_hint) ||
	    !get_bool(d, e, w, "provideClusterInfo", &x->provide_cluster_info) ||
	    !get_str(d, e, w, "interactiveMode", &x->interactive_mode) ||
	    !get_list(d, e, w, "args", &args) || !get_list(d, e, w, "env", &env))
		return false;
	/* client-go resolves the command against the file's directory only
	 * when it names a path; a bare name is looked up in $PATH later. */
	if (x->command && strchr(x->command, '/')) {
		char *abs = kc_path_resolve(d->dir, x->command);
		free(x->command);
		x->command = abs;
	}
	/* Defaulting (clientcmd/api/v1 SetDefaults_ExecConfig): v1beta1 means
	 * IfAvailable; v1 must say it. */
	if (!x->interactive_mode && x->api_version &&
	    (!strcmp(x->api_version, "client.authentication.k8s.io/v1beta1") ||
	     !strcmp(x->api_version, "client.authentication.k8s.io/v1alpha1")))
		x->interactive_mode = xstrdup("IfAvailable");
	x->dir = xstrdup(d->dir);
	int na = args ? cJSON_GetArraySize(args) : 0;
	x->args = xcalloc((size_t)na + 1, sizeof(*x->args));
	for (int i = 0; i < na; i++) {
		const cJSON *a = cJSON_GetArrayItem(args, i);
		if (!cJSON_IsString(a)) {
			char key[32];
			snprintf(key, sizeof(key), "args[%d]", i);
			return type_error(d, w, key, a, "a string");
		}
		x->args[x->nargs++] = xstrdup(a->valuestring);
	}
	int ne = env ? cJSON_GetArraySize(env) : 0;
	x->env = xcalloc((size_t)ne + 1, sizeof(*x->env));
	for (int i = 0; i < ne; i++) {
		const cJSON *v = cJSON_GetArrayItem(env, i);
		char key[32];
		snprintf(key, sizeof(key), "env[%d]", i);
		if (!cJSON_IsObject(v))
			return type_error(d, w, key, v, "a mapping with name and value");
		struct kc_env *kv = &x->env[x->nenv++];
		char *ew = xasprintf("%s.%s", w, key);
		bool ok =
		    get_str(d, v, ew, "name", &kv->name) && get_str(d, v, ew, "value", &kv->value);
		free(ew);
		if (!ok)
			return false;
		if (!kv->value)
			kv->value = xstrdup("");
	}
	return true;
}

static bool decode_user(struct dec *d, const cJSON *u, const char *w, struct kc_user *out)
{
	const cJSON *exec, *ap;
	if (!get_str(d, u, w, "token", &out->token) ||
	    !get_path(d, u, w, "tokenFile", &out->token_file) ||
	    !get_path(d, u, w, "client-certificate", &out->cert_file) ||
	    !get_data(d, u, w, "client-certificate-data", &out->cert_data, &out->cert_len) ||
	    !get_path(d, u, w, "client-key", &out->key_file) ||
	    !get_data(d, u, w, "client-key-data", &out->key_data, &out->key_len) ||
	    !get_str(d, u, w, "username", &out->username) ||
	    !get_str(d, u, w, "password", &out->password) || !get_object(d, u, w, "exec", &exec) ||
	    !get_object(d, u, w, "auth-provider", &ap))
		return false;
	/* Impersonation changes who podscope acts as: refusing it beats
	 * quietly acting as someone else than kubectl would. */
	static const char *const imp[] = {"as", "as-uid", "as-groups", "as-user-extra"};
	for (size_t i = 0; i < sizeof(imp) / sizeof(imp[0]) && !out->impersonate; i++) {
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(u, imp[i]);
		if (v && !cJSON_IsNull(v) && !(cJSON_IsString(v) && !*v->valuestring) &&
		    !((cJSON_IsArray(v) || cJSON_IsObject(v)) && !v->child))
			out->impersonate = imp[i];
	}
	if (ap) {
		char *ew = xasprintf("%s.auth-provider", w);
		bool ok = get_str(d, ap, ew, "name", &out->auth_provider);
		free(ew);
		if (!ok)
			return false;
		if (!out->auth_provider)
			out->auth_provider = xstrdup("");
	}
	if (exec) {
		char *ew = xasprintf("%s.exec", w);
		out->exec = xcalloc(1, sizeof(*out->exec));
		bool ok = decode_exec(d, exec, ew, out->exec);
		free(ew);
		return ok;
	}
	return true;
}

static void cluster_free(struct kc_cluster *c)
{
	free(c->name);
	free(c->server);
	free(c->ca_file);
	free(c->ca_data);
	free(c->tls_server_name);
	free(c->proxy_url);
}

static void context_free(struct kc_context *c)
{
	free(c->name);
	free(c->cluster);
	free(c->user);
	free(c->namespace);
}

static void user_free(struct kc_user *u)
{
	free(u->name);
	free_secret_str(u->token);
	free(u->token_file);
	free(u->cert_file);
	free(u->cert_data);
	free(u->key_file);
	free_secret(u->key_data, u->key_len);
	free(u->username);
	free_secret_str(u->password);
	kc_exec_free(u->exec);
	free(u->auth_provider);
}

void kc_exec_free(struct kc_exec *e)
{
	if (!e)
		return;
	free(e->api_version);
	free(e->command);
	for (size_t i = 0; i < e->nargs; i++)
		free_secret_str(e->args[i]); /* arguments may carry secrets */
	free(e->args);
	for (size_t i = 0; i < e->nenv; i++) {
		free(e->env[i].name);
		free_secret_str(e->env[i].value);
	}
	free(e->env);
	free(e->install_hint);
	free(e->interactive_mode);
	free(e->dir);
	free(e);
}

void kc_config_free(struct kc_config *cfg)
{
	for (size_t i = 0; i < cfg->nclusters; i++)
		cluster_free(&cfg->clusters[i]);
	for (size_t i = 0; i < cfg->ncontexts; i++)
		context_free(&cfg->contexts[i]);
	for (size_t i = 0; i < cfg->nusers; i++)
		user_free(&cfg->users[i]);
	free(cfg->clusters);
	free(cfg->contexts);
	free(cfg->users);
	free(cfg->current_context);
	for (size_t i = 0; i < cfg->nfiles; i++)
		free(cfg->files[i]);
	free(cfg->files);
	for (size_t i = 0; i < cfg->ntried; i++)
		free(cfg->tried[i]);
	free(cfg->tried);
	memset(cfg, 0, sizeof(*cfg));
}

/*
 * The three named lists share one shape: [{name: N, KEY: {...}}]. Decode
 * one list into a fresh array of entries (elem bytes each), refusing a name
 * that appears twice in the same file as kubectl does.
 */
typedef bool (*decode_fn)(struct dec *d, const cJSON *obj, const char *where, void *out);

static bool dec_cluster_cb(struct dec *d, const cJSON *o, const char *w, void *out)
{
	return !o || decode_cluster(d, o, w, out);
}

static bool dec_context_cb(struct dec *d, const cJSON *o, const char *w, void *out)
{
	return !o || decode_context(d, o, w, out);
}

static bool dec_user_cb(struct dec *d, const cJSON *o, const char *w, void *out)
{
	return !o || decode_user(d, o, w, out);
}

/* Every entry struct starts with name and origin, in that order. */
struct named {
	char *name;
	const char *origin;
};

struct name_at {
	const char *name;
	size_t index;
};

static int name_at_cmp(const void *a, const void *b)
{
	const struct name_at *x = a, *y = b;
	int r = strcmp(x->name, y->name);
	return r ? r : (x->index > y->index) - (x->index < y->index);
}

/* The names of n entries (elem bytes each), sorted by name then position:
 * one sort instead of a search per entry. */
static struct name_at *sorted_names(const char *base, size_t n, size_t elem)
{
	struct name_at *v = xmalloc((n + 1) * sizeof(*v));
	for (size_t i = 0; i < n; i++)
		v[i] = (struct name_at){
		    ((const struct named *)(const void *)(base + elem * i))->name, i};
	qsort(v, n, sizeof(*v), name_at_cmp);
	return v;
}

/* kubectl refuses a name used twice in one list; the message names the
 * first such pair in file order. */
static bool check_unique(struct dec *d, const char *list, const char *base, size_t n, size_t elem)
{
	struct name_at *v = sorted_names(base, n, elem);
	const struct name_at *dup = NULL;
	for (size_t i = 1; i < n; i++)
		if (!strcmp(v[i].name, v[i - 1].name) &&
		    (i < 2 || strcmp(v[i].name, v[i - 2].name)) &&
		    (!dup || v[i].index < dup[1].index))
			dup = &v[i - 1];
	if (dup)
		perr_set(d->err, PERR_CONFIG, "%s: %s[%zu] and %s[%zu] have the same name \"%s\"",
			 d->path, list, dup[0].index, list, dup[1].index, dup[0].name);
	free(v);
	return !dup;
}

static bool decode_list(struct dec *d, const cJSON *root, const char *list, const char *key,
			size_t elem, decode_fn fn, void **items, size_t *n)
{
	const cJSON *arr;
	*items = NULL;
	*n = 0;
	if (!get_list(d, root, "", list, &arr))
		return false;
	if (!arr)
		return true;
	size_t count = 0;
	for (const cJSON *it = arr->child; it; it = it->next)
		count++;
	char *base = xcalloc(count + 1, elem);
	*items = base;
	size_t i = 0;
	for (const cJSON *it = arr->child; it; it = it->next, i++) {
		char w[64];
		snprintf(w, sizeof(w), "%s[%zu]", list, i);
		if (!cJSON_IsObject(it)) {
			perr_set(d->err, PERR_CONFIG,
				 "%s: %s must be a mapping with name and %s, not %s", d->path, w,
				 key, type_name(it));
			return false;
		}
		struct named *e = (struct named *)(void *)(base + elem * i);
		(*n)++;
		e->origin = d->path;
		if (!get_str(d, it, w, "name", &e->name))
			return false;
		if (!e->name)
			e->name = xstrdup("");
		const cJSON *body;
		char *bw = xasprintf("%s.%s", w, key);
		bool ok = get_object(d, it, w, key, &body) && fn(d, body, bw, e);
		free(bw);
		if (!ok)
			return false;
	}
	return check_unique(d, list, base, count, elem);
}

/*
 * client-go's merge: an entry whose name an earlier file already defined is
 * dropped. Names already in cfg are sorted once and searched, and the array
 * grows once per file: linear-logarithmic in the number of entries.
 */
static void *merge_list(void *cfg_items, size_t *cfg_n, void *items, size_t n, size_t elem,
			void (*freefn)(void *))
{
	size_t nhave = *cfg_n;
	struct name_at *have = sorted_names(cfg_items, nhave, elem);
	char *dst = xrealloc(cfg_items, (*cfg_n + n + 1) * elem);
	for (size_t i = 0; i < n; i++) {
		char *src = (char *)items + elem * i;
		struct name_at key = {((struct named *)(void *)src)->name, 0};
		const struct name_at *lo = have, *end = have + nhave;
		size_t len = nhave;
		while (len > 0) { /* the first entry not below key's name */
			size_t half = len / 2;
			if (strcmp(lo[half].name, key.name) < 0) {
				lo += half + 1;
				len -= half + 1;
			} else {
				len = half;
			}
		}
		if (lo < end && !strcmp(lo->name, key.name)) {
			freefn(src);
			continue;
		}
		memcpy(dst + elem * (*cfg_n), src, elem);
		(*cfg_n)++;
	}
	free(have);
	free(items);
	return dst;
}

static void cluster_free_cb(void *p)
{
	cluster_free(p);
}

static void context_free_cb(void *p)
{
	context_free(p);
}

static void user_free_cb(void *p)
{
	user_free(p);
}

bool kc_decode_file(struct kc_config *cfg, const char *path, const cJSON *root, struct perr *err)
{
	struct dec d = {.path = path, .dir = kc_path_abs_dir(path), .err = err};
	void *cl = NULL, *cx = NULL, *us = NULL;
	size_t ncl = 0, ncx = 0, nus = 0;
	char *current = NULL;
	bool ok;
	if (cJSON_IsNull(root)) {
		ok = true; /* "null" decodes to an empty config in kubectl */
	} else if (!cJSON_IsObject(root)) {
		perr_set(err, PERR_CONFIG,
			 "%s: not a kubeconfig: the top level is %s, not a mapping", path,
			 type_name(root));
		ok = false;
	} else {
		ok = get_str(&d, root, "", "current-context", &current) &&
		     decode_list(&d, root, "clusters", "cluster", sizeof(struct kc_cluster),
				 dec_cluster_cb, &cl, &ncl) &&
		     decode_list(&d, root, "contexts", "context", sizeof(struct kc_context),
				 dec_context_cb, &cx, &ncx) &&
		     decode_list(&d, root, "users", "user", sizeof(struct kc_user), dec_user_cb,
				 &us, &nus);
	}
	free(d.dir);
	if (!ok) {
		for (size_t i = 0; i < ncl; i++)
			cluster_free((struct kc_cluster *)cl + i);
		for (size_t i = 0; i < ncx; i++)
			context_free((struct kc_context *)cx + i);
		for (size_t i = 0; i < nus; i++)
			user_free((struct kc_user *)us + i);
		free(cl);
		free(cx);
		free(us);
		free(current);
		return false;
	}
	/* client-go: map entries, the first file wins; current-context, the
	 * first file that sets a non-empty one wins. */
	cfg->clusters = merge_list(cfg->clusters, &cfg->nclusters, cl, ncl, sizeof(*cfg->clusters),
				   cluster_free_cb);
	cfg->contexts = merge_list(cfg->contexts, &cfg->ncontexts, cx, ncx, sizeof(*cfg->contexts),
				   context_free_cb);
	cfg->users =
	    merge_list(cfg->users, &cfg->nusers, us, nus, sizeof(*cfg->users), user_free_cb);
	if (current && !cfg->current_context) {
		cfg->current_context = current;
		cfg->current_context_origin = path;
	} else {
		free(current);
	}
	return true;
}

struct kc_exec *kc_exec_dup(const struct kc_exec *e)
{
	struct kc_exec *x = xcalloc(1, sizeof(*x));
	x->api_version = xstrdup(e->api_version);
	x->command = xstrdup(e->command);
	x->args = xcalloc(e->nargs + 1, sizeof(*x->args));
	for (x->nargs = 0; x->nargs < e->nargs; x->nargs++)
		x->args[x->nargs] = xstrdup(e->args[x->nargs]);
	x->env = xcalloc(e->nenv + 1, sizeof(*x->env));
	for (x->nenv = 0; x->nenv < e->nenv; x->nenv++) {
		x->env[x->nenv].name = xstrdup(e->env[x->nenv].name);
		x->env[x->nenv].value = xstrdup(e->env[x->nenv].value);
	}
	x->install_hint = xstrdup(e->install_hint);
	x->provide_cluster_info = e->provide_cluster_info;
	x->interactive_mode = xstrdup(e->interactive_mode);
	x->dir = xstrdup(e->dir);
	return x;
}
