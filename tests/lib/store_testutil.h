#ifndef PODSCOPE_STORE_TESTUTIL_H
#define PODSCOPE_STORE_TESTUTIL_H

/* Store helpers for Check tests that link libcore (inline: libtestutil.a is libc alone). */

#include <check.h>
#include <cjson/cJSON.h>

#include "podscope/intern.h"
#include "podscope/store.h"

/* Upsert one object written as JSON: 1 changed, 0 unchanged, -1 refused. */
static inline int test_upsert(struct store *s, enum store_kind k, const char *json)
{
	cJSON *o = cJSON_Parse(json);
	ck_assert_ptr_nonnull(o);
	struct perr err = {0};
	int rc = store_upsert_json(s, k, o, &err);
	perr_clear(&err);
	cJSON_Delete(o);
	return rc;
}

/* Delete every object, check that no interned string is left, free the store. */
static inline void test_store_clear_free(struct store *s)
{
	for (int k = 0; k < STORE_NKINDS; k++)
		store_clear(s, (enum store_kind)k);
	ck_assert_uint_eq(intern_count(store_strings(s)), 0);
	store_free(s);
}

#endif
