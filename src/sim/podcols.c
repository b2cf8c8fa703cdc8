#include "config.h"

#include <stdio.h>
#include <string.h>

#include "podcols.h"
#include "podscope/model.h"
#include "podscope/pod_status.h"

/*
 * The simulator prints pods with podscope's own kubectl algorithm
 * (core/pod_status.c), so the Table kubectl shows for the simulator and the
 * STATUS podscope computes are one implementation, tested once.
 */
void simpod_columns(const cJSON *pod, time_t now, struct podcols *out)
{
	struct model_arena arena = MODEL_ARENA_INIT;
	struct pod p;
	struct pod_row row;
	memset(out, 0, sizeof(*out));
	if (model_decode_pod(pod, &p, &arena, NULL, NULL) != 0) {
		snprintf(out->ready, sizeof(out->ready), "0/0");
		snprintf(out->status, sizeof(out->status), "Unknown");
		snprintf(out->restarts, sizeof(out->restarts), "0");
		model_arena_free(&arena);
		return;
	}
	pod_status_row(&p, (int64_t)now * 1000, &row);
	snprintf(out->ready, sizeof(out->ready), "%s", row.ready);
	snprintf(out->status, sizeof(out->status), "%s", row.status);
	snprintf(out->restarts, sizeof(out->restarts), "%s", row.restarts);
	out->restart_count = row.restart_count;
	model_arena_free(&arena);
}
