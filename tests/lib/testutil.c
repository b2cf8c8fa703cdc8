#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "testutil.h"

/* The one file reader of the tests. It uses libc alone, so libtestutil.a may
 * come last on any test's link line. */
char *test_slurp_len(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t n = 0, cap = 4096;
	char *s = malloc(cap);
	size_t got;
	while (s && (got = fread(s + n, 1, cap - n - 1, f)) > 0) {
		n += got;
		if (n + 1 < cap)
			continue;
		if (n >= TEST_SLURP_MAX && fgetc(f) != EOF) {
			errno = EFBIG;
			break;
		}
		size_t want = cap * 2 > TEST_SLURP_MAX + 1 ? TEST_SLURP_MAX + 1 : cap * 2;
		char *t = want > cap ? realloc(s, want) : s;
		if (!t)
			break;
		s = t;
		cap = want;
	}
	bool ok = s && !ferror(f) && (n + 1 < cap || feof(f));
	fclose(f);
	if (!ok) {
		free(s);
		return NULL;
	}
	s[n] = '\0';
	if (len)
		*len = n;
	return s;
}

char *test_slurp(const char *path)
{
	return test_slurp_len(path, NULL);
}
