#include "config.h"

#include <string.h>

#include "kubelet_int.h"
#include "podlog.h"
#include "sim.h"

/* The kubelet keeps the current and the previous instance's log of each
 * container, as it keeps the previous container's log file. */

void kctr_log_rotate(struct kctr *c)
{
	podlog_close(c->prev_log);
	podlog_unref(c->prev_log);
	c->prev_log = c->log;
	c->log = podlog_new(0);
	podlog_set_id(c->log, c->cid);
	if (c->proc)
		procsim_set_log(c->proc, c->log);
}

void kctr_log_free(struct kctr *c)
{
	podlog_close(c->log);
	podlog_close(c->prev_log);
	podlog_unref(c->log);
	podlog_unref(c->prev_log);
	c->log = c->prev_log = NULL;
}

struct podlog *kubelet_pod_log(struct sim *sim, const char *ns, const char *pod,
			       const char *container, const char *cid)
{
	if (!sim->kubelet || !cid)
		return NULL;
	struct kpod *kp = kpod_find(sim->kubelet, ns, pod);
	for (size_t i = 0; kp && i < kp->n; i++) {
		struct kctr *c = &kp->c[i];
		if (strcmp(c->name, container) != 0)
			continue;
		struct podlog *logs[2] = {c->log, c->prev_log};
		for (int j = 0; j < 2; j++) {
			const char *id = logs[j] ? podlog_id(logs[j]) : NULL;
			if (id && strcmp(id, cid) == 0)
				return podlog_ref(logs[j]);
		}
	}
	return NULL;
}
