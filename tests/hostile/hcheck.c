#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/*
 * hcheck: what tests/hostile asks of podscope's output and of its run.
 *
 *   hcheck clean FILE...
 *     Fails (exit 1) at the first byte a terminal could act on: a C0 control
 *     other than \t and \n, DEL, a C1 control (U+0080..U+009F), a byte that
 *     is not valid UTF-8, a bidi control or a zero-width character. Says
 *     which, where (line and byte) and what the line holds around it.
 *
 *   hcheck run --rss-max MB --timeout SECONDS --status-file FILE -- CMD...
 *     Runs CMD in a process group of its own and writes its exit status, its
 *     peak RSS (kB) and its wall time to FILE. Exits 0 when CMD stayed within
 *     both bounds, whatever its status; 1 when it went past either (on a
 *     timeout the whole group is killed).
 */

static const char *what_code_point(unsigned long cp)
{
	if (cp >= 0x80 && cp <= 0x9f)
		return "a C1 control";
	if ((cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200e ||
	    cp == 0x200f || cp == 0x061c)
		return "a bidi control";
	if ((cp >= 0x200b && cp <= 0x200d) || cp == 0x2060 || cp == 0xfeff)
		return "a zero-width character";
	return NULL;
}

/* The length of the valid UTF-8 sequence at s (n bytes left) and its code
 * point, or 0 when it is not valid (overlong, surrogate, past U+10FFFF). */
static size_t utf8_next(const unsigned char *s, size_t n, unsigned long *cp)
{
	size_t len;
	unsigned long v, min;
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	} else if ((s[0] & 0xe0) == 0xc0) {
		len = 2, v = s[0] & 0x1f, min = 0x80;
	} else if ((s[0] & 0xf0) == 0xe0) {
		len = 3, v = s[0] & 0x0f, min = 0x800;
	} else if ((s[0] & 0xf8) == 0xf0) {
		len = 4, v = s[0] & 0x07, min = 0x10000;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		v = v << 6 | (s[i] & 0x3f);
	}
	if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		return 0;
	*cp = v;
	return len;
}

static void show_context(const unsigned char *data, size_t len, size_t at)
{
	size_t from = at > 40 ? at - 40 : 0;
	while (from > 0 && from < at && data[from - 1] != '\n' && at - from < 40)
		from--;
	fputs("  around it: ", stderr);
	for (size_t i = from; i < len && i < at + 40 && data[i] != '\n'; i++) {
		if (data[i] >= 0x20 && data[i] < 0x7f)
			fputc(data[i], stderr);
		else
			fprintf(stderr, "<%02x>", data[i]);
	}
	fputc('\n', stderr);
}

static int check_clean(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "hcheck: %s: %s\n", path, strerror(errno));
		return 1;
	}
	unsigned char *data = NULL;
	size_t len = 0, cap = 0;
	for (;;) {
		if (len == cap) {
			cap = cap ? cap * 2 : 65536;
			unsigned char *nd = realloc(data, cap);
			if (!nd) {
				fprintf(stderr, "hcheck: %s: out of memory\n", path);
				free(data);
				fclose(f);
				return 1;
			}
			data = nd;
		}
		size_t k = fread(data + len, 1, cap - len, f);
		if (k == 0)
			break;
		len += k;
	}
	fclose(f);
	size_t line = 1;
	int bad = 0;
	for (size_t i = 0; i < len;) {
		unsigned long cp = 0;
		size_t k = utf8_next(data + i, len - i, &cp);
		const char *what = NULL;
		if (k == 0)
			what = "a byte that is not UTF-8";
		else if (cp < 0x20 && cp != '\t' && cp != '\n')
			what = "a C0 control";
		else if (cp == 0x7f)
			what = "DEL";
		else
			what = what_code_point(cp);
		if (what) {
			fprintf(stderr, "hcheck: %s:%zu: byte %zu: %s (0x%02x, U+%04lX)\n", path, line,
				i, what, data[i], k ? cp : (unsigned long)data[i]);
			show_context(data, len, i);
			bad = 1;
			break;
		}
		if (cp == '\n')
			line++;
		i += k;
	}
	free(data);
	return bad;
}

static volatile sig_atomic_t timed_out;

static void on_alarm(int sig)
{
	(void)sig;
	timed_out = 1;
}

static int run(int argc, char **argv)
{
	long rss_max_mb = 100, timeout_s = 60;
	const char *status_file = NULL;
	int i = 2;
	for (; i < argc; i++) {
		if (strcmp(argv[i], "--rss-max") == 0 && i + 1 < argc)
			rss_max_mb = strtol(argv[++i], NULL, 10);
		else if (strcmp(argv[i], "--timeout") == 0 && i + 1 < argc)
			timeout_s = strtol(argv[++i], NULL, 10);
		else if (strcmp(argv[i], "--status-file") == 0 && i + 1 < argc)
			status_file = argv[++i];
		else if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		} else {
			fprintf(stderr, "hcheck run: unknown %s\n", argv[i]);
			return 2;
		}
	}
	if (i >= argc || !status_file) {
		fprintf(stderr, "hcheck run: --status-file FILE -- CMD... needed\n");
		return 2;
	}
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid_t pid = fork();
	if (pid < 0) {
		perror("hcheck: fork");
		return 2;
	}
	if (pid == 0) {
		setpgid(0, 0);
		execvp(argv[i], argv + i);
		fprintf(stderr, "hcheck: %s: %s\n", argv[i], strerror(errno));
		_exit(127);
	}
	setpgid(pid, pid);
	struct sigaction sa = {.sa_handler = on_alarm};
	sigaction(SIGALRM, &sa, NULL);
	alarm((unsigned)timeout_s);
	int st = 0;
	struct rusage ru;
	memset(&ru, 0, sizeof(ru));
	for (;;) {
		pid_t w = wait4(pid, &st, 0, &ru);
		if (w == pid)
			break;
		if (w < 0 && errno == EINTR && timed_out) {
			kill(-pid, SIGKILL);
			continue;
		}
		if (w < 0 && errno != EINTR) {
			perror("hcheck: wait");
			return 2;
		}
	}
	alarm(0);
	kill(-pid, SIGKILL); /* whatever the command left behind in its group */
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	int code = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	FILE *f = fopen(status_file, "w");
	if (!f) {
		perror(status_file);
		return 2;
	}
	fprintf(f, "status %d\nrss_kb %ld\nseconds %.2f\ntimed_out %d\n", code, ru.ru_maxrss, secs,
		(int)timed_out);
	fclose(f);
	int rc = 0;
	if (timed_out) {
		fprintf(stderr, "hcheck: %s still running after %ld s: killed\n", argv[i], timeout_s);
		rc = 1;
	}
	if (ru.ru_maxrss > rss_max_mb * 1024) {
		fprintf(stderr, "hcheck: %s peaked at %ld MB RSS, over %ld MB\n", argv[i],
			ru.ru_maxrss / 1024, rss_max_mb);
		rc = 1;
	}
	return rc;
}

int main(int argc, char **argv)
{
	if (argc >= 3 && strcmp(argv[1], "clean") == 0) {
		int rc = 0;
		for (int i = 2; i < argc; i++)
			rc |= check_clean(argv[i]);
		return rc;
	}
	if (argc >= 2 && strcmp(argv[1], "run") == 0)
		return run(argc, argv);
	fprintf(stderr, "usage: hcheck clean FILE... | hcheck run --rss-max MB --timeout S "
			"--status-file F -- CMD...\n");
	return 2;
}
