#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <check.h>

#include "testutil.h"

/* The tests' one file reader: whole files, binary ones, and its cap. */

START_TEST(test_whole_file_with_nuls)
{
	char path[] = "/tmp/podscope-slurp-XXXXXX";
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	/* Longer than the first buffer, with a NUL inside. */
	enum { LEN = 10000 };
	char *data = malloc(LEN);
	ck_assert_ptr_nonnull(data);
	for (size_t i = 0; i < LEN; i++)
		data[i] = (char)('a' + i % 26);
	data[5000] = '\0';
	ck_assert_int_eq(write(fd, data, LEN), LEN);
	close(fd);
	size_t len = 0;
	char *got = test_slurp_len(path, &len);
	ck_assert_ptr_nonnull(got);
	ck_assert_uint_eq(len, LEN);
	ck_assert(memcmp(got, data, LEN) == 0);
	ck_assert_int_eq(got[LEN], '\0');
	free(got);
	got = test_slurp(path);
	ck_assert_uint_eq(strlen(got), 5000);
	free(got);
	unlink(path);
	free(data);
}
END_TEST

START_TEST(test_missing_and_endless)
{
	errno = 0;
	ck_assert_ptr_null(test_slurp("/nonexistent/podscope-slurp"));
	ck_assert_int_eq(errno, ENOENT);
	/* A file that never ends stops at the cap rather than at the memory's end. */
	errno = 0;
	size_t len = 7;
	ck_assert_ptr_null(test_slurp_len("/dev/zero", &len));
	ck_assert_int_eq(errno, EFBIG);
	ck_assert_uint_eq(len, 7);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("testutil");
	TCase *tc = tcase_create("slurp");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_whole_file_with_nuls);
	tcase_add_test(tc, test_missing_and_endless);
	suite_add_tcase(s, tc);
	return test_run_suite(s);
}
