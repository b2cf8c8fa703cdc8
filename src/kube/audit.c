#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "podscope/actions_kube.h"
#include "podscope/buf.h"
#include "podscope/sanitize.h"
#include "podscope/xalloc.h"

char *kact_audit_path(void)
{
	const char *x = getenv("XDG_STATE_HOME");
	if (x && *x == '/')
		return xasprintf("%s/podscope/audit.log", x);
	const char *h = getenv("HOME");
	if (h && *h)
		return xasprintf("%s/.local/state/podscope/audit.log", h);
	return NULL;
}

/* mkdir -p of the directories above path; the last (ours) is made 0700. */
static int make_dirs(char *path, struct perr *err)
{
	char *slash = strrchr(path, '/');
	if (!slash || slash == path)
		return 0;
	*slash = '\0';
	struct stat st;
	int rc = 0;
	if (stat(path, &st) != 0) {
		rc = make_dirs(path, err);
		if (rc == 0 && mkdir(path, 0700) != 0 && errno != EEXIST) {
			perr_set(err, PERR_SYSTEM, "audit log: cannot make %s: %s", path,
				 strerror(errno));
			rc = -1;
		}
	}
	*slash = '/';
	return rc;
}

/* A field after a tab, escaped (sanitize.h): a name from the cluster can
 * neither split the line nor hide a control, C1 or bidi character in it. */
static void add_field(struct buf *b, const char *s)
{
	buf_addc(b, '\t');
	if (!s || !*s)
		buf_addc(b, '-');
	else
		sanitize_add(b, s);
}

int kact_audit_append(const char *context, const char *user, const char *action, const char *object,
		      const char *outcome, struct perr *err)
{
	char *path = kact_audit_path();
	if (!path) {
		perr_set(err, PERR_SYSTEM, "audit log: neither XDG_STATE_HOME nor HOME is set");
		return -1;
	}
	if (make_dirs(path, err) != 0) {
		free(path);
		return -1;
	}
	int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0) {
		perr_set(err, PERR_SYSTEM, "audit log: cannot open %s: %s", path, strerror(errno));
		free(path);
		return -1;
	}
	char ts[32];
	kact_rfc3339(time(NULL), ts);
	struct buf line = BUF_INIT;
	buf_adds(&line, ts);
	add_field(&line, context);
	add_field(&line, user);
	add_field(&line, action);
	add_field(&line, object);
	add_field(&line, outcome);
	buf_addc(&line, '\n');
	/* One write of the whole line, so that concurrent podscopes do not interleave. */
	ssize_t n = write(fd, line.data, line.len);
	int rc = 0;
	if (n < 0 || (size_t)n != line.len) {
		perr_set(err, PERR_SYSTEM, "audit log: cannot write %s: %s", path,
			 n < 0 ? strerror(errno) : "short write");
		rc = -1;
	}
	close(fd);
	buf_free(&line);
	free(path);
	return rc;
}
