#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "podscope/xalloc.h"
#include "uifile.h"

struct uifile_out {
	FILE *f;
	char *path;
	char *tmp;
};

char *uifile_config_dir(void)
{
	const char *xdg = getenv("XDG_CONFIG_HOME");
	if (xdg && *xdg == '/')
		return xasprintf("%s/podscope", xdg);
	const char *home = getenv("HOME");
	if (home && *home)
		return xasprintf("%s/.config/podscope", home);
	return NULL;
}

struct uifile_out *uifile_create(const char *path, struct perr *err)
{
	char *tmp = xasprintf("%s.XXXXXX", path);
	/* mkostemp: O_CREAT|O_EXCL, so a link planted at the name is never
	 * opened; the mode is what fopen would give (0666 less the umask). */
	int fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0) {
		perr_set(err, PERR_SYSTEM, "%s: %s", path, strerror(errno));
		free(tmp);
		return NULL;
	}
	mode_t mask = umask(0);
	umask(mask);
	FILE *f = fchmod(fd, 0666 & ~mask) == 0 ? fdopen(fd, "w") : NULL;
	if (!f) {
		perr_set(err, PERR_SYSTEM, "%s: %s", tmp, strerror(errno));
		close(fd);
		unlink(tmp);
		free(tmp);
		return NULL;
	}
	struct uifile_out *o = xcalloc(1, sizeof(*o));
	o->f = f;
	o->path = xstrdup(path);
	o->tmp = tmp;
	return o;
}

FILE *uifile_stream(struct uifile_out *o)
{
	return o->f;
}

int uifile_commit(struct uifile_out *o, struct perr *err)
{
	int rc = 0;
	bool bad = ferror(o->f);
	if (fclose(o->f) != 0 || bad) {
		perr_set(err, PERR_SYSTEM, "%s: %s", o->path, strerror(errno ? errno : EIO));
		rc = -1;
	} else if (rename(o->tmp, o->path) != 0) {
		/* rename replaces a symbolic link at path itself; it never
		 * writes where the link points. */
		perr_set(err, PERR_SYSTEM, "%s: %s", o->path, strerror(errno));
		rc = -1;
	}
	if (rc != 0)
		unlink(o->tmp);
	free(o->path);
	free(o->tmp);
	free(o);
	return rc;
}

void uifile_abort(struct uifile_out *o)
{
	fclose(o->f);
	unlink(o->tmp);
	free(o->path);
	free(o->tmp);
	free(o);
}
