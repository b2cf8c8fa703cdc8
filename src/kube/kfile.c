#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "podscope/kfile.h"
#include "podscope/xalloc.h"

static const char *kind_of(mode_t m)
{
	if (S_ISFIFO(m))
		return "a FIFO";
	if (S_ISCHR(m))
		return "a character device";
	if (S_ISBLK(m))
		return "a block device";
	if (S_ISSOCK(m))
		return "a socket";
	return "not a plain file";
}

static void size_text(char *out, size_t n, size_t max)
{
	if (max >= (1u << 20) && max % (1u << 20) == 0)
		snprintf(out, n, "%zu MiB", max >> 20);
	else if (max >= 1024 && max % 1024 == 0)
		snprintf(out, n, "%zu KiB", max >> 10);
	else
		snprintf(out, n, "%zu bytes", max);
}

static void fail(struct perr *err, const char *what, int errnum, const char *why)
{
	perr_set(err, PERR_CONFIG, "cannot read %s: %s", what, why ? why : strerror(errnum));
	errno = errnum;
}

/* Read fd to its end, at most max bytes; the buffer starts at the file's
 * size and doubles only when the file grows while we read it. */
static char *read_all(int fd, size_t hint, size_t max, size_t *len, int *errnum)
{
	size_t cap = (hint < max ? hint : max) + 1, got = 0;
	char *data = xmalloc(cap + 1);
	for (;;) {
		if (got == cap) {
			if (cap > max) {
				free_secret(data, cap + 1);
				*errnum = EFBIG;
				return NULL;
			}
			size_t ncap = cap * 2 > max + 1 ? max + 1 : cap * 2;
			char *grown = xmalloc(ncap + 1);
			memcpy(grown, data, got);
			free_secret(data, cap + 1);
			data = grown;
			cap = ncap;
		}
		ssize_t n = read(fd, data + got, cap - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			*errnum = errno;
			free_secret(data, cap + 1);
			return NULL;
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	if (got > max) {
		free_secret(data, cap + 1);
		*errnum = EFBIG;
		return NULL;
	}
	data[got] = '\0';
	*len = got;
	return data;
}

char *kfile_read(const char *path, size_t max, size_t *len, struct perr *err, const char *fmt,
		 ...)
{
	char what[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);

	/* O_NONBLOCK: opening a FIFO for reading would wait for a writer. */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		fail(err, what, errno, NULL);
		return NULL;
	}
	struct stat st;
	if (fstat(fd, &st) != 0) {
		int e = errno;
		close(fd);
		fail(err, what, e, NULL);
		return NULL;
	}
	if (S_ISDIR(st.st_mode)) {
		close(fd);
		fail(err, what, EISDIR, NULL);
		return NULL;
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		char why[64];
		snprintf(why, sizeof(why), "not a regular file (%s)", kind_of(st.st_mode));
		fail(err, what, EINVAL, why);
		return NULL;
	}
	char limit[32], why[64];
	size_text(limit, sizeof(limit), max);
	snprintf(why, sizeof(why), "larger than %s", limit);
	if (st.st_size < 0 || (unsigned long long)st.st_size > max) {
		close(fd);
		fail(err, what, EFBIG, why);
		return NULL;
	}
	int errnum = 0;
	char *data = read_all(fd, (size_t)st.st_size, max, len, &errnum);
	close(fd);
	if (!data)
		fail(err, what, errnum, errnum == EFBIG ? why : NULL);
	return data;
}
