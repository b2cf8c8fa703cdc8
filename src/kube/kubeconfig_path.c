#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "podscope/xalloc.h"

#include "kubeconfig_int.h"

/*
 * Paths the way Go's path/filepath handles them, since kubectl resolves a
 * kubeconfig's relative paths with filepath.Abs, Dir and Join: purely
 * lexically, without following symbolic links.
 */

char *kc_path_clean(const char *path)
{
	if (!path || !*path)
		return xstrdup(".");
	bool rooted = path[0] == '/';
	size_t n = strlen(path);
	/* Each element's start offset in out, so ".." can pop one. */
	char *out = xmalloc(n + 2);
	size_t *starts = xcalloc(n + 1, sizeof(*starts));
	size_t nstarts = 0, len = 0, dotdots = 0;
	if (rooted)
		out[len++] = '/';
	const char *p = path;
	while (*p) {
		while (*p == '/')
			p++;
		const char *e = p;
		while (*e && *e != '/')
			e++;
		size_t el = (size_t)(e - p);
		if (el == 0 || (el == 1 && p[0] == '.')) {
			/* "" or "." */
		} else if (el == 2 && p[0] == '.' && p[1] == '.') {
			if (nstarts > dotdots) {
				len = starts[--nstarts];
				if (len > (rooted ? 1u : 0u))
					len--; /* the separator before it */
			} else if (!rooted) {
				if (len > 0)
					out[len++] = '/';
				starts[nstarts++] = len;
				dotdots++;
				memcpy(out + len, "..", 2);
				len += 2;
			}
		} else {
			if (len > 0 && !(rooted && len == 1))
				out[len++] = '/';
			starts[nstarts++] = len;
			memcpy(out + len, p, el);
			len += el;
		}
		p = e;
	}
	free(starts);
	if (len == 0)
		out[len++] = '.';
	out[len] = '\0';
	return out;
}

static char *path_abs(const char *path)
{
	if (path[0] == '/')
		return kc_path_clean(path);
	char *cwd = getcwd(NULL, 0);
	char *joined = xasprintf("%s/%s", cwd ? cwd : ".", path);
	free(cwd);
	char *clean = kc_path_clean(joined);
	free(joined);
	return clean;
}

char *kc_path_abs_dir(const char *file)
{
	const char *slash = strrchr(file, '/');
	char *dir;
	if (!slash)
		dir = xstrdup(".");
	else if (slash == file)
		dir = xstrdup("/");
	else
		dir = xstrndup(file, (size_t)(slash - file));
	char *abs = path_abs(dir);
	free(dir);
	return abs;
}

char *kc_path_resolve(const char *base, const char *ref)
{
	if (!ref || !*ref || ref[0] == '/')
		return xstrdup(ref);
	char *joined = xasprintf("%s/%s", base, ref);
	char *clean = kc_path_clean(joined);
	free(joined);
	return clean;
}
