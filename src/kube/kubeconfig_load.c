#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "podscope/buf.h"
#include "podscope/kfile.h"
#include "podscope/xalloc.h"
#include "podscope/yamljson.h"

#include "kubeconfig_int.h"

/*
 * Which files kubectl reads, in which order (client-go's
 * ClientConfigLoadingRules): --kubeconfig alone when given (it must exist);
 * else every entry of $KUBECONFIG, split on ':', duplicates dropped, empty
 * entries and missing files skipped; else $HOME/.kube/config. A file that
 * exists but cannot be read or parsed is an error, never skipped.
 */

#define KC_NAMES_SHOWN 50

int kc_cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

char *kc_join_names(char **names, size_t n)
{
	if (n == 0)
		return xstrdup("(none)");
	char **sorted = xmalloc(n * sizeof(*sorted));
	memcpy(sorted, names, n * sizeof(*sorted));
	qsort(sorted, n, sizeof(*sorted), kc_cmp_str);
	struct buf b = BUF_INIT;
	size_t shown = 0, more = 0;
	for (size_t i = 0; i < n; i++) {
		if (i > 0 && !strcmp(sorted[i], sorted[i - 1]))
			continue;
		/* A message stays a message, however many entries a file has. */
		if (shown == KC_NAMES_SHOWN) {
			more++;
			continue;
		}
		if (b.len)
			buf_adds(&b, ", ");
		buf_printf(&b, "\"%s\"", sorted[i]);
		shown++;
	}
	if (more)
		buf_printf(&b, " and %zu more", more);
	free(sorted);
	return buf_steal(&b);
}

/* Overwrite every string in a tree (it may hold tokens and keys). */
static void wipe_json(cJSON *j)
{
	for (; j; j = j->next) {
		if (j->valuestring)
			explicit_bzero(j->valuestring, strlen(j->valuestring));
		wipe_json(j->child);
	}
}

static void add_str(char ***list, size_t *n, const char *s)
{
	*list = xrealloc(*list, (*n + 1) * sizeof(**list));
	(*list)[(*n)++] = xstrdup(s);
}

/* Load one file if it exists. Returns false on an error (err set). */
static bool load_one(struct kc_config *cfg, const char *path, bool must_exist, struct perr *err)
{
	add_str(&cfg->tried, &cfg->ntried, path);
	size_t len = 0;
	char *text = kfile_read(path, KFILE_MAX_KUBECONFIG, &len, err, "kubeconfig %s", path);
	if (!text) {
		int e = errno;
		if (e == ENOENT && !must_exist) {
			perr_clear(err);
			return true;
		}
		if (e == ENOENT)
			perr_set(err, PERR_CONFIG,
				 "kubeconfig %s (from --kubeconfig) does not exist", path);
		return false;
	}
	add_str(&cfg->files, &cfg->nfiles, path);
	const char *origin = cfg->files[cfg->nfiles - 1];
	bool ok = true;
	/* An empty file is an empty config for client-go, not an error. */
	if (len > 0) {
		/* JSON too: it is YAML, and kubectl reads it as YAML (a key set
		 * twice keeps its last value, the limits hold). */
		cJSON *root = yamljson_parse(origin, text, len, err);
		ok = root && kc_decode_file(cfg, origin, root, err);
		wipe_json(root);
		cJSON_Delete(root);
	}
	free_secret(text, len);
	return ok;
}

bool kc_config_load(struct kc_config *cfg, const struct kc_options *opt, struct perr *err)
{
	memset(cfg, 0, sizeof(*cfg));
	if (opt && opt->kubeconfig && *opt->kubeconfig) {
		cfg->where = "--kubeconfig";
		return load_one(cfg, opt->kubeconfig, true, err);
	}
	const char *env = getenv("KUBECONFIG");
	if (env && *env) {
		cfg->where = "$KUBECONFIG";
		char *copy = xstrdup(env);
		char **seen = NULL;
		size_t nseen = 0;
		bool ok = true;
		char *p = copy;
		while (ok && p) {
			char *colon = strchr(p, ':');
			if (colon)
				*colon = '\0';
			bool dup = false;
			for (size_t i = 0; i < nseen && !dup; i++)
				dup = !strcmp(seen[i], p);
			if (!dup) {
				add_str(&seen, &nseen, p);
				if (*p)
					ok = load_one(cfg, p, false, err);
			}
			p = colon ? colon + 1 : NULL;
		}
		for (size_t i = 0; i < nseen; i++)
			free(seen[i]);
		free(seen);
		free(copy);
		return ok;
	}
	cfg->where = "$HOME";
	const char *home = getenv("HOME");
	char *joined = xasprintf("%s/.kube/config", home ? home : "");
	char *path = kc_path_clean(home && *home ? joined : joined + 1);
	free(joined);
	bool ok = load_one(cfg, path, false, err);
	free(path);
	return ok;
}
