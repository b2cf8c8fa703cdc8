/*
 * make bench-floor: what each of Debian's libcurl flavours costs a process
 * before it holds any data. Loads the library given (dlopen, as the
 * dynamic loader would at start), initialises it (curl_global_init and one
 * easy handle: OpenSSL's or GnuTLS's set-up) and prints the growth of PSS
 * and RSS, then the libraries that account for it (64 kB or more of PSS).
 * Usage: libfloor LIBRARY [LIBRARY...]; a library that is not installed
 * is said and skipped.
 */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static long rollup(const char *key)
{
	FILE *f = fopen("/proc/self/smaps_rollup", "r");
	if (!f)
		return -1;
	char line[256];
	long v = -1;
	size_t n = strlen(key);
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, key, n) == 0)
			sscanf(line + n, "%ld", &v);
	fclose(f);
	return v;
}

/* The mappings' PSS summed per file, largest first, those of 64 kB or more. */
static void per_library(void)
{
	FILE *f = fopen("/proc/self/smaps", "r");
	if (!f)
		return;
	enum { MAXLIB = 128 };
	static char names[MAXLIB][256];
	static long kb[MAXLIB];
	int nlib = 0, cur = -1;
	char line[512];
	while (fgets(line, sizeof(line), f)) {
		unsigned long lo, hi;
		if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2 &&
		    strchr(line, '-') < strchr(line, ' ')) {
			char *p = strrchr(line, ' ');
			char name[256];
			snprintf(name, sizeof(name), "%s", p ? p + 1 : "");
			name[strcspn(name, "\n")] = '\0';
			cur = -1;
			for (int i = 0; i < nlib; i++)
				if (strcmp(names[i], name) == 0)
					cur = i;
			if (cur < 0 && nlib < MAXLIB) {
				cur = nlib++;
				snprintf(names[cur], sizeof(names[cur]), "%s", name);
				kb[cur] = 0;
			}
		} else if (cur >= 0 && strncmp(line, "Pss:", 4) == 0) {
			long v = 0;
			sscanf(line + 4, "%ld", &v);
			kb[cur] += v;
		}
	}
	fclose(f);
	for (;;) {
		int best = -1;
		for (int i = 0; i < nlib; i++)
			if (kb[i] >= 64 && (best < 0 || kb[i] > kb[best]))
				best = i;
		if (best < 0)
			break;
		printf("    %7ld kB  %s\n", kb[best], *names[best] ? names[best] : "(anonymous)");
		kb[best] = 0;
	}
}

static int measure(const char *lib)
{
	long pss0 = rollup("Pss:"), rss0 = rollup("Rss:");
	void *h = dlopen(lib, RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		printf("%-24s not installed (%s)\n", lib, dlerror());
		return 0;
	}
	int (*global_init)(long) = (int (*)(long))dlsym(h, "curl_global_init");
	void *(*easy_init)(void) = (void *(*)(void))dlsym(h, "curl_easy_init");
	if (!global_init || !easy_init) {
		printf("%-24s is not a libcurl\n", lib);
		return 1;
	}
	global_init(3 /* CURL_GLOBAL_ALL */);
	if (!easy_init()) {
		printf("%-24s curl_easy_init failed\n", lib);
		return 1;
	}
	printf("%-24s PSS +%5.1f MB   RSS +%5.1f MB\n", lib, (rollup("Pss:") - pss0) / 1024.0,
	       (rollup("Rss:") - rss0) / 1024.0);
	per_library();
	return 0;
}

int main(int argc, char **argv)
{
	int rc = 0;
	/* Each library in a process of its own, so that one's pages are not
	 * counted in the other's. */
	for (int i = 1; i < argc; i++) {
		fflush(stdout);
		pid_t pid = fork();
		if (pid < 0)
			return 1;
		if (pid == 0) {
			int r = measure(argv[i]);
			fflush(stdout);
			_exit(r);
		}
		int st = 0;
		waitpid(pid, &st, 0);
		if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
			rc = 1;
	}
	return rc;
}
