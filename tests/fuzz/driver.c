#include "config.h"

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "testutil.h"

/*
 * Without libFuzzer, a fuzz harness is linked with this driver and runs
 * every file of its seed corpus once (and a few mutations of each), so the
 * harnesses run in `make check` with any compiler. With --enable-fuzzing
 * the same harness links libFuzzer instead and runs as long as asked.
 */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t runs;

static void run(const uint8_t *data, size_t size)
{
	LLVMFuzzerTestOneInput(data, size);
	runs++;
}

/* Cheap deterministic mutations: truncations and byte flips. */
static void mutate_and_run(const uint8_t *data, size_t size)
{
	run(data, size);
	uint8_t *copy = malloc(size + 1);
	if (!copy)
		return;
	for (size_t cut = 1; cut < size; cut += size / 7 + 1)
		run(data, cut);
	for (size_t i = 0; i < size; i += size / 11 + 1) {
		memcpy(copy, data, size);
		copy[i] ^= (uint8_t)(0x55 + i);
		run(copy, size);
	}
	free(copy);
}

static int run_file(const char *path)
{
	size_t len;
	char *data = test_slurp_len(path, &len);
	if (!data) {
		perror(path);
		return 1;
	}
	mutate_and_run((const uint8_t *)data, len);
	free(data);
	return 0;
}

int main(int argc, char **argv)
{
	int rc = 0;
	for (int i = 1; i < argc; i++) {
		struct stat st;
		if (stat(argv[i], &st) != 0) {
			perror(argv[i]);
			return 1;
		}
		if (!S_ISDIR(st.st_mode)) {
			rc |= run_file(argv[i]);
			continue;
		}
		DIR *d = opendir(argv[i]);
		if (!d) {
			perror(argv[i]);
			return 1;
		}
		struct dirent *e;
		while ((e = readdir(d))) {
			if (e->d_name[0] == '.')
				continue;
			size_t n = strlen(argv[i]) + strlen(e->d_name) + 2;
			char *p = malloc(n);
			if (!p)
				return 1;
			snprintf(p, n, "%s/%s", argv[i], e->d_name);
			rc |= run_file(p);
			free(p);
		}
		closedir(d);
	}
	printf("%s: %zu inputs, no crash\n", argv[0], runs);
	return rc;
}
