#include "config.h"

/* Running programs for test_holdout and reading what they print. */

#include <errno.h>
#include <ftw.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <check.h>

#include "test_holdout.h"

#define RUN_DEADLINE_MS 60000

long long holdout_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void append(char **buf, size_t *len, const char *data, size_t n)
{
	char *b = realloc(*buf, *len + n + 1);
	ck_assert_ptr_nonnull(b);
	memcpy(b + *len, data, n);
	*len += n;
	b[*len] = '\0';
	*buf = b;
}

void holdout_run(const char *const argv[], struct run *r)
{
	int out[2], err[2];
	ck_assert(pipe(out) == 0 && pipe(err) == 0);
	fflush(NULL);
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		dup2(out[1], STDOUT_FILENO);
		dup2(err[1], STDERR_FILENO);
		close(out[0]);
		close(out[1]);
		close(err[0]);
		close(err[1]);
		execv(argv[0], (char *const *)argv);
		fprintf(stderr, "cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	close(out[1]);
	close(err[1]);
	size_t olen = 0, elen = 0;
	r->out = calloc(1, 1);
	r->err = calloc(1, 1);
	struct pollfd pfd[2] = {{.fd = out[0], .events = POLLIN}, {.fd = err[0], .events = POLLIN}};
	long long deadline = holdout_now_ms() + RUN_DEADLINE_MS;
	int open_fds = 2;
	while (open_fds > 0) {
		long long left = deadline - holdout_now_ms();
		if (left <= 0) {
			kill(pid, SIGKILL);
			break;
		}
		int rc = poll(pfd, 2, (int)left);
		if (rc < 0 && errno == EINTR)
			continue;
		for (int i = 0; i < 2 && rc > 0; i++) {
			if (pfd[i].fd < 0 || !(pfd[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			char buf[4096];
			ssize_t got = read(pfd[i].fd, buf, sizeof(buf));
			if (got < 0 && errno == EINTR)
				continue;
			if (got <= 0) {
				close(pfd[i].fd);
				pfd[i].fd = -1;
				open_fds--;
			} else if (i == 0) {
				append(&r->out, &olen, buf, (size_t)got);
			} else {
				append(&r->err, &elen, buf, (size_t)got);
			}
		}
	}
	for (int i = 0; i < 2; i++)
		if (pfd[i].fd >= 0)
			close(pfd[i].fd);
	int st = 0;
	waitpid(pid, &st, 0);
	r->status = WIFEXITED(st) ? WEXITSTATUS(st) : WIFSIGNALED(st) ? 128 + WTERMSIG(st) : -1;
}

void holdout_run_free(struct run *r)
{
	free(r->out);
	free(r->err);
}

static void cell(const char *line, size_t from, size_t to, char *out, size_t n)
{
	size_t len = strlen(line);
	if (from > len)
		from = len;
	if (to > len)
		to = len;
	while (from < to && line[from] == ' ')
		from++;
	while (to > from && line[to - 1] == ' ')
		to--;
	snprintf(out, n, "%.*s", (int)(to - from), line + from);
}

bool holdout_kubectl_row(const char *table, const char *name, struct krow *row)
{
	char *copy = strdup(table), *save = NULL;
	char *header = strtok_r(copy, "\n", &save);
	bool found = false;
	const char *cols[] = {"READY", "STATUS", "RESTARTS", "AGE"};
	size_t at[4];
	for (int i = 0; header && i < 4; i++) {
		const char *h = strstr(header, cols[i]);
		if (!h) {
			header = NULL;
			break;
		}
		at[i] = (size_t)(h - header);
	}
	for (char *line = header ? strtok_r(NULL, "\n", &save) : NULL; line && !found;
	     line = strtok_r(NULL, "\n", &save)) {
		cell(line, 0, at[0], row->name, sizeof(row->name));
		if (strcmp(row->name, name) != 0)
			continue;
		cell(line, at[0], at[1], row->ready, sizeof(row->ready));
		cell(line, at[1], at[2], row->status, sizeof(row->status));
		cell(line, at[2], at[3], row->restarts, sizeof(row->restarts));
		found = true;
	}
	free(copy);
	return found;
}

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	remove(path);
	return 0;
}

void holdout_rmtree(const char *dir)
{
	nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

char *holdout_oneline(const char *s)
{
	size_t n = strlen(s);
	char *out = malloc(2 * n + 1), *o = out;
	for (; *s; s++) {
		if (*s == '\n') {
			*o++ = '\\';
			*o++ = 'n';
		} else {
			*o++ = *s;
		}
	}
	*o = '\0';
	return out;
}
