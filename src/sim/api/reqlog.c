#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "podscope/xalloc.h"

#include "reqlog.h"
#include "util.h"

struct reqlog {
	FILE *f;
};

struct reqlog *reqlog_open(const char *path, struct perr *err)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	FILE *f = fd >= 0 ? fdopen(fd, "a") : NULL;
	if (!f) {
		perr_set(err, PERR_SYSTEM, "%s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	struct reqlog *l = xcalloc(1, sizeof(*l));
	l->f = f;
	return l;
}

void reqlog_close(struct reqlog *l)
{
	if (!l)
		return;
	fclose(l->f);
	free(l);
}

void reqlog_write(struct reqlog *l, const char *user, const char *method, const char *uri,
                  unsigned status)
{
	if (!l)
		return;
	char when[SIMUTIL_TIME_LEN];
	simutil_rfc3339(time(NULL), when);
	/* A path never holds spaces or newlines once on the wire; keep it that way here. */
	fprintf(l->f, "%s %s %s ", when, user, method);
	for (const char *p = uri; *p; p++)
		fputc((unsigned char)*p <= ' ' ? '_' : *p, l->f);
	fprintf(l->f, " %u\n", status);
	fflush(l->f);
}
