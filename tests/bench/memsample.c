#include "config.h"

/*
 * memsample [-o FILE] [-t] PROGRAM [ARG...]: runs PROGRAM and writes one
 * line to FILE (default stderr) when it ends:
 *   PEAK_RSS_KB PEAK_PSS_KB SAMPLED_RSS_KB SAMPLES WALL_S CPU_S
 * CPU_S is the program's user and system time (wait4's rusage, to the
 * microsecond: GNU time prints hundredths, a tick in thirty of a 0.3 s run).
 * -t: time only, no samples (PSS 0): nothing reads the program's page
 * tables while it runs, so the samples cost it nothing.
 * PEAK_RSS_KB is the kernel's high-water mark (wait4's ru_maxrss, what GNU
 * time's %M prints). The kernel keeps no high-water mark of PSS, so
 * PEAK_PSS_KB is the largest Pss of /proc/PID/smaps_rollup sampled while the
 * program runs; SAMPLED_RSS_KB is the largest Rss of the same samples, so
 * SAMPLED_RSS_KB / PEAK_RSS_KB says how near the samples came to the peak.
 * The bench runs kubectl and podscope through it alike, so both are measured
 * by the same rule. It exits with the program's status.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/*
 * A sample every 0.5 ms (a program that reads no data may live 20 ms), but
 * never more often than four times the last read took: walking the page
 * tables of a 700 MB process takes time, and the sampler must not take more
 * than a fifth of a core from what it measures.
 */
#define SAMPLE_MIN_NS      500000L
#define SAMPLE_COST_FACTOR 4

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Reads Rss and Pss (kB) of PID; returns 0 when the file is not readable. */
static int read_rollup(const char *path, long *rss, long *pss)
{
	char buf[4096];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;
	const char *p;

	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	*rss = *pss = -1;
	p = strstr(buf, "\nRss:");
	if (p)
		*rss = strtol(p + 5, NULL, 10);
	p = strstr(buf, "\nPss:");
	if (p)
		*pss = strtol(p + 5, NULL, 10);
	return *rss >= 0 && *pss >= 0;
}

int main(int argc, char **argv)
{
	const char *out = NULL;
	char path[64];
	long peak_pss = 0, sampled_rss = 0, samples = 0, rss, pss;
	long long t0, t, cost, gap;
	struct rusage ru;
	struct timespec ts;
	int argi = 1, status, ready[2], err = 0, time_only = 0;
	pid_t pid, w;
	ssize_t n;
	FILE *f;

	for (;;) {
		if (argi + 1 < argc && strcmp(argv[argi], "-o") == 0) {
			out = argv[argi + 1];
			argi += 2;
		} else if (argi < argc && strcmp(argv[argi], "-t") == 0) {
			time_only = 1;
			argi++;
		} else {
			break;
		}
	}
	if (argi >= argc) {
		fprintf(stderr, "usage: memsample [-o FILE] [-t] PROGRAM [ARG...]\n");
		return 2;
	}
	/* Opened first, so a bad path costs no run; "e" keeps it from the program. */
	f = out ? fopen(out, "we") : stderr;
	if (!f) {
		perror(out);
		return 2;
	}
	/*
	 * The pipe closes on exec, so the first sample is the program's, never
	 * the fork's copy of memsample; an error of exec comes through it.
	 */
	if (pipe2(ready, O_CLOEXEC) != 0) {
		perror("memsample: pipe");
		return 2;
	}
	t0 = now_ns();
	pid = fork();
	if (pid < 0) {
		perror("memsample: fork");
		return 2;
	}
	if (pid == 0) {
		close(ready[0]);
		execvp(argv[argi], argv + argi);
		err = errno;
		if (write(ready[1], &err, sizeof(err)) != (ssize_t)sizeof(err))
			_exit(126);
		_exit(127);
	}
	close(ready[1]);
	do
		n = read(ready[0], &err, sizeof(err));
	while (n < 0 && errno == EINTR);
	close(ready[0]);
	if (n > 0) {
		fprintf(stderr, "memsample: %s: %s\n", argv[argi], strerror(err));
		waitpid(pid, &status, 0);
		return 127;
	}
	snprintf(path, sizeof(path), "/proc/%ld/smaps_rollup", (long)pid);
	for (;;) {
		w = waitpid(pid, &status, time_only ? 0 : WNOHANG);
		if (w == pid)
			break;
		if (w < 0 && errno != EINTR) {
			perror("memsample: waitpid");
			return 2;
		}
		if (time_only)
			continue;
		t = now_ns();
		if (read_rollup(path, &rss, &pss)) {
			samples++;
			if (pss > peak_pss)
				peak_pss = pss;
			if (rss > sampled_rss)
				sampled_rss = rss;
		}
		cost = now_ns() - t;
		gap = cost * SAMPLE_COST_FACTOR;
		if (gap < SAMPLE_MIN_NS)
			gap = SAMPLE_MIN_NS;
		ts.tv_sec = gap / 1000000000LL;
		ts.tv_nsec = gap % 1000000000LL;
		nanosleep(&ts, NULL);
	}
	t = now_ns();
	if (getrusage(RUSAGE_CHILDREN, &ru) != 0)
		ru.ru_maxrss = 0;
	fprintf(f, "%ld %ld %ld %ld %.3f %.6f\n", ru.ru_maxrss, peak_pss, sampled_rss, samples,
		(double)(t - t0) / 1e9,
		(double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
		    (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6);
	if (out && fclose(f) != 0) {
		perror(out);
		return 2;
	}
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}
