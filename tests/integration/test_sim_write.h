#ifndef PODSCOPE_TEST_SIM_WRITE_H
#define PODSCOPE_TEST_SIM_WRITE_H

/*
 * Shared by the write-path tests (tests/lib/simwrite.h does the work): the
 * content types they send, and assertions that report the caller's line.
 */

#include <string.h>

#include <check.h>

#include "app.h"
#include "auth.h"
#include "server.h"
#include "simwrite.h"

#define JSON      "application/json"
#define MERGE     "application/merge-patch+json"
#define SMP       "application/strategic-merge-patch+json"
#define JSONPATCH "application/json-patch+json"

/* The string at path is want. */
#define ck_str(j, path, want)                                                                      \
	do {                                                                                       \
		const char *got_ = tw_jstr((j), (path));                                           \
		ck_assert_msg(got_ &&strcmp(got_, (want)) == 0, "%s: got %s, wanted %s", (path),   \
			      got_ ? got_ : "(none)", (want));                                     \
	} while (0)

/* A Status answer with that code and reason, whose message contains needle. */
#define ck_status(j, code, reason, needle)                                                         \
	do {                                                                                       \
		const cJSON *st_ = (j);                                                            \
		ck_str(st_, "kind", "Status");                                                     \
		ck_assert_int_eq((long)tw_jnum(st_, "code"), (code));                              \
		ck_str(st_, "reason", (reason));                                                   \
		const char *m_ = tw_jstr(st_, "message");                                          \
		ck_assert_msg(m_ &&strstr(m_, (needle)), "message \"%s\" lacks \"%s\"",            \
			      m_ ? m_ : "", (needle));                                             \
	} while (0)

#endif
