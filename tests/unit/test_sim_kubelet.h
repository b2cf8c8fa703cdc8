#ifndef PODSCOPE_TEST_SIM_KUBELET_H
#define PODSCOPE_TEST_SIM_KUBELET_H

/* The second file of test_sim_kubelet: the probe and hook tests. */

#include <check.h>

TCase *tk_probe_tcase(void);
TCase *tk_procsim_tcase(void);

#endif
