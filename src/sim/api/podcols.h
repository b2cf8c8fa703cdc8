#ifndef PODSCOPE_SIM_PODCOLS_H
#define PODSCOPE_SIM_PODCOLS_H

#include <time.h>

#include <cjson/cJSON.h>

/*
 * A pod's row as kube-apiserver's printPod prints it for `kubectl get pods`
 * (kubernetes pkg/printers/internalversion/printers.go), restated here from
 * the upstream source and its test tables (tests/unit/test_sim_printer.c);
 * podscope's own STATUS code (core/pod_status.c) is what this checks, so
 * the two never share a line.
 */

enum podcols_row {
	PODCOLS_ROW_ACTIVE,    /* no row condition */
	PODCOLS_ROW_SUCCEEDED, /* Completed=True, reason Succeeded */
	PODCOLS_ROW_FAILED,    /* Completed=True, reason Failed */
};

struct podcols {
	char ready[48];
	char status[512]; /* a longer reason is cut short */
	char restarts[96];
	long long restart_count;
	enum podcols_row row;
	char gates[48]; /* -o wide: READINESS GATES, "<none>" without gates */
};

void simpod_columns(const cJSON *pod, time_t now, struct podcols *out);

#endif
