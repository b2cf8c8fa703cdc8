#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "podscope/xalloc.h"
#include "procsim_int.h"

/* Well-known images, the container filesystem and the runtime's argv rules. */

static const char *const nginx_cmd[] = {"nginx", "-g", "daemon off;", NULL};
static const char *const nginx_files[] = {"/usr/share/nginx/html/index.html",
					  "/usr/share/nginx/html/50x.html", "/etc/nginx/nginx.conf",
					  NULL};
static const char *const httpd_cmd[] = {"httpd", "-DFOREGROUND", NULL};
static const char *const httpd_files[] = {"/usr/local/apache2/htdocs/index.html", NULL};
static const char *const sh_cmd[] = {"sh", NULL};
static const char *const bash_cmd[] = {"bash", NULL};
static const char *const stress_cmd[] = {"stress", NULL};
static const char *const loggen_cmd[] = {"loggen", NULL};
static const char *const no_files[] = {NULL};

static const struct procimage images[] = {
    {"nginx", nginx_cmd, nginx_files, "/usr/share/nginx/html", 80, true, 200, PROCLOG_NGINX},
    {"httpd", httpd_cmd, httpd_files, "/usr/local/apache2/htdocs", 80, true, 200, PROCLOG_HTTPD},
    {"busybox", sh_cmd, no_files, NULL, -1, false, 0, PROCLOG_NONE},
    {"alpine", sh_cmd, no_files, NULL, -1, false, 0, PROCLOG_NONE},
    {"ubuntu", bash_cmd, no_files, NULL, -1, false, 0, PROCLOG_NONE},
    {"debian", bash_cmd, no_files, NULL, -1, false, 0, PROCLOG_NONE},
    {"centos", bash_cmd, no_files, NULL, -1, false, 0, PROCLOG_NONE},
    {"fedora", bash_cmd, no_files, NULL, -1, false, 0, PROCLOG_NONE},
    /* polinux/stress, of the Kubernetes docs' memory examples */
    {"stress", stress_cmd, no_files, NULL, -1, false, 0, PROCLOG_NONE},
    /* podscope/loggen: prints lines at a rate (podscope-sim(1), LOGS) */
    {"loggen", loggen_cmd, no_files, NULL, -1, true, 0, PROCLOG_NONE},
};

/* Anything else: a server on every port it declares, stopping on SIGTERM. */
static const struct procimage generic = {"", NULL, no_files, NULL, 0, true, 200, PROCLOG_NONE};

const struct procimage *procimage_find(const char *image)
{
	/* repository path's last component, without tag or digest */
	const char *s = strrchr(image, '/');
	s = s ? s + 1 : image;
	size_t n = strcspn(s, ":@");
	for (size_t i = 0; i < sizeof(images) / sizeof(images[0]); i++)
		if (strlen(images[i].name) == n && strncmp(images[i].name, s, n) == 0)
			return &images[i];
	return &generic;
}

char **procsim_argv(const char *const *command, size_t ncommand, const char *const *args,
		    size_t nargs, const struct procimage *img, size_t *argc)
{
	size_t cap = ncommand + nargs + 8, n = 0;
	char **v = xcalloc(cap + 1, sizeof(*v));
	if (ncommand > 0) {
		for (size_t i = 0; i < ncommand; i++)
			v[n++] = xstrdup(command[i]);
		for (size_t i = 0; i < nargs; i++)
			v[n++] = xstrdup(args[i]);
	} else if (nargs > 0) {
		/* args replace the image's CMD; these images have no ENTRYPOINT that matters */
		for (size_t i = 0; i < nargs; i++)
			v[n++] = xstrdup(args[i]);
	} else if (img && img->default_cmd) {
		for (size_t i = 0; img->default_cmd[i] && n < cap; i++)
			v[n++] = xstrdup(img->default_cmd[i]);
	}
	v[n] = NULL;
	*argc = n;
	return v;
}

void procsim_argv_free(char **argv)
{
	if (!argv)
		return;
	for (size_t i = 0; argv[i]; i++)
		free(argv[i]);
	free(argv);
}

/* --- the filesystem: a sorted-enough set of absolute paths ---------------- */

struct procfs {
	char **paths;
	size_t n, cap;
	unsigned gen;
};

struct procfs *procfs_new(void)
{
	return xcalloc(1, sizeof(struct procfs));
}

void procfs_free(struct procfs *fs)
{
	if (!fs)
		return;
	for (size_t i = 0; i < fs->n; i++)
		free(fs->paths[i]);
	free(fs->paths);
	free(fs);
}

/* "/a/b/" and "/a//b" name the same file as "/a/b". */
static char *norm(const char *path)
{
	size_t len = strlen(path);
	char *p = xmalloc(len + 2);
	size_t n = 0;
	if (path[0] != '/')
		p[n++] = '/';
	for (size_t i = 0; i < len; i++) {
		if (path[i] == '/' && n > 0 && p[n - 1] == '/')
			continue;
		p[n++] = path[i];
	}
	while (n > 1 && p[n - 1] == '/')
		n--;
	p[n] = '\0';
	return p;
}

static bool under(const char *path, const char *dir)
{
	size_t n = strlen(dir);
	if (strcmp(dir, "/") == 0)
		return true;
	return strncmp(path, dir, n) == 0 && path[n] == '/';
}

bool procfs_exists(const struct procfs *fs, const char *path)
{
	char *p = norm(path);
	bool found = false;
	for (size_t i = 0; i < fs->n && !found; i++)
		found = strcmp(fs->paths[i], p) == 0 || under(fs->paths[i], p);
	/* Directories that exist in every image. */
	static const char *const dirs[] = {"/",    "/tmp", "/etc",      "/bin",
					   "/usr", "/var", "/dev/null", NULL};
	for (size_t i = 0; dirs[i] && !found; i++)
		found = strcmp(dirs[i], p) == 0;
	free(p);
	return found;
}

void procfs_add(struct procfs *fs, const char *path)
{
	if (procfs_exists(fs, path))
		return;
	if (fs->n == fs->cap) {
		fs->cap = fs->cap ? fs->cap * 2 : 8;
		fs->paths = xrealloc(fs->paths, fs->cap * sizeof(*fs->paths));
	}
	fs->paths[fs->n++] = norm(path);
	fs->gen++;
}

bool procfs_remove(struct procfs *fs, const char *path, bool recursive)
{
	char *p = norm(path);
	bool removed = false;
	for (size_t i = 0; i < fs->n;) {
		if (strcmp(fs->paths[i], p) == 0 || (recursive && under(fs->paths[i], p))) {
			free(fs->paths[i]);
			fs->paths[i] = fs->paths[--fs->n];
			removed = true;
			continue;
		}
		i++;
	}
	free(p);
	if (removed)
		fs->gen++;
	return removed;
}

unsigned procfs_generation(const struct procfs *fs)
{
	return fs->gen;
}
