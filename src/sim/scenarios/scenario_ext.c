#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "podscope/xalloc.h"

#include "scenario_int.h"
#include "sim.h"
#include "simobj.h"
#include "store.h"

/*
 * The steps a user does inside a container (kubectl exec, a probe that
 * starts failing, a process that dies) and marking an image missing in the
 * simulated registry: all of them belong to the kubelet (kubelet*.c,
 * procsim*.c), which this file only calls.
 */

#include "kubelet.h"

static int fail(struct perr *err, long status, const char *msg)
{
	perr_set(err, PERR_API, "%s", msg);
	err->http_status = status;
	return -1;
}

/* The kubelet's own error as the step's: 404 for what is not there, 409 otherwise. */
static int kubelet_error(struct perr *err, struct perr *kerr)
{
	long status = kerr->kind == PERR_USAGE ? 404 : 409;
	fail(err, status, perr_msg(kerr));
	perr_clear(kerr);
	return -1;
}

int simstep_run_kubelet(struct sim *sim, const struct simstep *s, struct perr *err)
{
	if (s->act == SIMACT_MARK_IMAGE_MISSING) {
		const cJSON *m = cJSON_GetObjectItemCaseSensitive(s->spec, "missing");
		simregistry_set_missing(sim, simjson_string(s->spec, "image"), !cJSON_IsFalse(m));
		return 0;
	}
	const char *c = simjson_string(s->spec, "container");
	struct perr kerr = {0};
	int rc;
	if (s->act == SIMACT_SET_CONDITION) {
		rc = kubelet_set_condition(
		    sim, s->ns, s->name, simjson_string(s->spec, "conditionType"),
		    simjson_string(s->spec, "status"), simjson_string(s->spec, "reason"),
		    simjson_string(s->spec, "message"), &kerr);
	} else if (s->act == SIMACT_EXEC) {
		const cJSON *cmd = cJSON_GetObjectItemCaseSensitive(s->spec, "command");
		size_t n = (size_t)cJSON_GetArraySize(cmd), i = 0;
		const char **argv = xcalloc(n + 1, sizeof(char *));
		const cJSON *a;
		cJSON_ArrayForEach(a, cmd)
		{
			argv[i++] = a->valuestring;
		}
		rc = kubelet_exec(sim, s->ns, s->name, c, argv, &kerr);
		free(argv);
	} else if (s->act == SIMACT_KILL) {
		const cJSON *code = cJSON_GetObjectItemCaseSensitive(s->spec, "exitCode");
		rc = kubelet_kill_container(sim, s->ns, s->name, c,
					    cJSON_IsNumber(code) ? code->valueint : 137, &kerr);
	} else {
		rc = kubelet_set_probe(sim, s->ns, s->name, c, simjson_string(s->spec, "probe"),
				       s->act == SIMACT_BREAK_PROBE, &kerr);
	}
	return rc < 0 ? kubelet_error(err, &kerr) : 0;
}
