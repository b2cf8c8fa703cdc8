#ifndef PODSCOPE_TEST_KUBECONFIG_H
#define PODSCOPE_TEST_KUBECONFIG_H

/*
 * Shared by the kubeconfig test files: fixture paths, a clean environment
 * for every test (KUBECONFIG, HOME and the in-cluster variables all come
 * from the test, never from the machine), and load helpers.
 */

#include <stdbool.h>

#include "podscope/kubeconfig.h"
#include "testutil.h"

/* tests/fixtures/kubeconfig/REL under the source tree (heap string). */
char *kct_fx(const char *rel);
/* The same, cleaned the way kubeconfig paths are resolved. */
char *kct_fx_clean(const char *rel);
/* Checked fixture: unset KUBECONFIG and the in-cluster variables, HOME
 * pointing at an empty temporary directory; and removing it after. */
void kct_setup(void);
void kct_teardown(void);
/* The empty temporary directory of the running test (also $HOME). */
const char *kct_tmp(void);
/* Write a file under kct_tmp() (creating parent directories); returns its
 * path (heap string). */
char *kct_write(const char *rel, const char *content);

/* kc_load with --kubeconfig FILE (NULL: none) and --context CTX (NULL:
 * none); fails the test with the message when it does not load. */
struct kc_conn *kct_load(const char *file, const char *ctx);
/* kc_load expected to fail with PERR_CONFIG; returns the message (heap),
 * after checking that no fixture secret appears in it. */
char *kct_load_err(const char *file, const char *ctx);
char *kct_load_opt_err(const struct kc_options *opt);

#define ck_assert_contains(hay, needle)                                                            \
	ck_assert_msg(strstr((hay), (needle)) != NULL, "\"%s\" does not contain \"%s\"", (hay),    \
		      (needle))

TCase *kct_errors_tcase(void);
TCase *kct_incluster_tcase(void);
TCase *kct_files_tcase(void);

#endif
