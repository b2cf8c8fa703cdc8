#ifndef PODSCOPE_TESTUTIL_H
#define PODSCOPE_TESTUTIL_H

/*
 * Small helpers shared by the Check tests. The file reader lives in
 * testutil.c (tests/lib/libtestutil.a, in every test's TEST_LIBS); the two
 * one-liners below stay inline.
 */

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

/* The largest file test_slurp reads: more is a broken fixture or a runaway
 * log, and the test should say so rather than eat the machine's memory. */
#define TEST_SLURP_MAX ((size_t)64 << 20)

/* Where the source tree is (for fixtures): $TOP_SRCDIR, else ".". */
static inline const char *test_srcdir(void)
{
	const char *s = getenv("TOP_SRCDIR");
	return s && *s ? s : ".";
}

/* A whole file as a NUL-terminated heap string (free it); NULL when it
 * cannot be read or holds more than TEST_SLURP_MAX bytes. */
char *test_slurp(const char *path);
/* The same, and its length in *len when len is not NULL (the bytes may hold
 * NULs); errno is EFBIG when the file was too large. */
char *test_slurp_len(const char *path, size_t *len);

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
