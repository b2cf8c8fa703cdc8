#ifndef PODSCOPE_TESTUTIL_H
#define PODSCOPE_TESTUTIL_H

/*
 * Small helpers shared by the Check tests: header-only so that each test
 * program stays one file plus the library.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

/* Where the source tree is (for fixtures): $TOP_SRCDIR, else ".". */
static inline const char *test_srcdir(void)
{
	const char *s = getenv("TOP_SRCDIR");
	return s && *s ? s : ".";
}

/* A whole file as a NUL-terminated heap string (free it); NULL when it
 * cannot be read. */
static inline char *test_slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t len = 0, cap = 4096;
	char *s = malloc(cap);
	size_t got;
	while (s && (got = fread(s + len, 1, cap - len - 1, f)) > 0) {
		len += got;
		if (cap - len < 2) {
			char *t = realloc(s, cap * 2);
			if (!t) {
				free(s);
				s = NULL;
				break;
			}
			s = t;
			cap *= 2;
		}
	}
	fclose(f);
	if (s)
		s[len] = '\0';
	return s;
}

/* Run a suite; the exit status is what automake expects. */
static inline int test_run_suite(Suite *s)
{
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_ENV);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

#endif
