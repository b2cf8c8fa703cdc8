#ifndef PODSCOPE_TEST_SIM_DS_H
#define PODSCOPE_TEST_SIM_DS_H

#include <check.h>
#include <cjson/cJSON.h>

/* test_sim_ds: the DaemonSet controller's predicates and util
 * (test_sim_ds.c) and its rollouts in-process (test_sim_ds_run.c). */

/* JSON text that must parse (the test fails if not). Caller frees. */
cJSON *tds_js(const char *s);

/* The rollouts' test case, with its cluster as fixture. */
TCase *tds_rollouts(void);

#endif
