#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "podscope/buf.h"
#include "podscope/xalloc.h"
#include "uifile.h"

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

char *uifile_read(const char *path, size_t *len, struct perr *err)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		perr_set(err, PERR_CONFIG, "%s: %s", path, strerror(errno));
		return NULL;
	}
	struct buf b = BUF_INIT;
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (b.len + n > (1u << 20)) {
			perr_set(err, PERR_CONFIG, "%s: larger than 1 MiB", path);
			fclose(f);
			buf_free(&b);
			return NULL;
		}
		buf_add(&b, chunk, n);
	}
	bool bad = ferror(f);
	fclose(f);
	if (bad) {
		perr_set(err, PERR_CONFIG, "%s: read error", path);
		buf_free(&b);
		return NULL;
	}
	buf_addc(&b, '\0');
	*len = b.len - 1;
	return buf_steal(&b);
}
