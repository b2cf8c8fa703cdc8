#include "config.h"

#include <stddef.h>

#include "controllers.h"
#include "ctrl_daemonset.h"
#include "ctrl_deployment.h"
#include "ctrl_endpoints.h"
#include "ctrl_gc.h"
#include "ctrl_podgc.h"
#include "ctrl_cronjob.h"
#include "ctrl_job.h"
#include "ctrl_statefulset.h"
#include "faults.h"
#include "kubelet.h"
#include "resourcequota.h"
#include "disruption.h"
#include "scenario.h"
#include "sched.h"
#include "sim.h"

/*
 * The table of moving parts. To add one, write its start and stop in its own
 * module (declared in its own header) and add a row here.
 */
struct simctrl {
	const char *name;
	int (*start)(struct sim *sim);
	void (*stop)(struct sim *sim);
};

static const struct simctrl controllers[] = {
	{"faults", simfault_start, simfault_stop},
	{"endpoints", simep_start, simep_stop},
	{"garbagecollector", simgc_start, simgc_stop},
	{"replicaset", simrsctl_start, simrsctl_stop},
	{"deployment", simdeploy_start, simdeploy_stop},
	{"statefulset", simsts_start, simsts_stop},
	{"daemonset", simds_start, simds_stop},
	{"podgc", simpodgc_start, simpodgc_stop},
	{"resourcequota", simquota_start, simquota_stop},
	{"disruption", simpdb_start, simpdb_stop},
	{"job", simjob_start, simjob_stop},
	{"cronjob", simcronjob_start, simcronjob_stop},
	{"scheduler", sched_start, sched_stop},
	{"kubelet", kubelet_start, kubelet_stop},
	{"scenarios", simscen_start, simscen_stop}, /* last: steps act on a running cluster */
	{NULL, NULL, NULL},
};

int simctrl_start_all(struct sim *sim)
{
	for (size_t i = 0; controllers[i].name; i++)
		if (controllers[i].start(sim) != 0)
			return -1;
	return 0;
}

void simctrl_stop_all(struct sim *sim)
{
	size_t n = 0;
	while (controllers[n].name)
		n++;
	while (n-- > 0)
		controllers[n].stop(sim);
}
