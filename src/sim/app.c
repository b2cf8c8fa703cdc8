#include "config.h"

#include <string.h>

#include "app.h"
#include "auth.h"
#include "controllers.h"
#include "evloop.h"
#include "events.h"
#include "faults.h"
#include "kcfgout.h"
#include "podlog_api.h"
#include "reqlog.h"
#include "scenario.h"
#include "server.h"
#include "store.h"
#include "watch.h"

/* creationTimestamp and every other timestamp run on the simulated clock. */
static time_t sim_now_s(void *ud)
{
	const struct sim *sim = ud;
	return (time_t)(simclock_now(&sim->clock) / 1000);
}

void simapp_defaults(struct sim_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->speed = 1.0;
	cfg->nodes = 3;
	cfg->event_window = 16384;
	cfg->bookmark_interval_s = 60;
}

size_t simapp_max_objects(const struct sim_config *c)
{
	if (c->max_objects)
		return c->max_objects;
	/* The load scenario's own sizes always fit, with room to spare. */
	size_t n = SIMAPP_MAX_OBJECTS;
	size_t want = 2 * (size_t)(c->load_pods > c->load_deployments ? c->load_pods
									: c->load_deployments);
	size_t ds = 2 * ((size_t)c->load_pods + (size_t)c->load_daemonsets * (size_t)c->nodes);
	if (ds > want)
		want = ds;
	return want > n ? want : n;
}

int simapp_start(struct sim *sim, struct perr *err)
{
	const struct sim_config *c = &sim->cfg;
	struct simstore_opts so = {.event_window = c->event_window,
				   .max_objects = simapp_max_objects(c),
				   .now = sim_now_s,
				   .now_ud = sim};

	sim->loop = evloop_new();
	simclock_init(&sim->clock, c->speed);
	simclock_skew(&sim->clock, c->clock_skew_ms);
	sim->events = simevents_new();
	sim->store = simstore_new(&so);
	simscen_seed(sim->store, c->nodes);
	for (size_t i = 0; i < c->nscenarios; i++)
		if (simscen_load(sim, c->scenarios[i], err) != 0)
			return -1;
	if (!(sim->auth = simauth_new(c->tls, c->allow_anonymous, err)))
		return -1;
	if (c->request_log_path && !(sim->log = reqlog_open(c->request_log_path, err)))
		return -1;
	sim->watches = watchset_new(sim);
	if (!c->frozen && simctrl_start_all(sim) != 0) {
		perr_set(err, PERR_SYSTEM, "a controller failed to start");
		return -1;
	}
	if (simsrv_start(sim, err) != 0)
		return -1;
	/* The kubeconfig appears only once the socket listens: its presence means "ready". */
	if (c->kubeconfig_path &&
	    kcfgout_write(c->kubeconfig_path, c->kubeconfig_name, simsrv_url(sim), sim->auth,
	                  err) != 0)
		return -1;
	return 0;
}

static void stop_serving(struct sim *sim)
{
	if (sim->watches && sim->srv) {
		watchset_shutdown(sim->watches);
		simpodlog_shutdown(sim); /* and the log follow streams */
		simfault_shutdown(sim); /* resume the requests a slow fault holds */
		simsrv_run(sim); /* let the daemon take the resumed streams back */
	}
	simsrv_stop(sim);
}

void simapp_stop_serving(struct sim *sim)
{
	stop_serving(sim);
	reqlog_close(sim->log);
	sim->log = NULL;
}

void simapp_stop(struct sim *sim)
{
	stop_serving(sim);
	simctrl_stop_all(sim);
	watchset_free(sim->watches);
	sim->watches = NULL;
	reqlog_close(sim->log);
	sim->log = NULL;
	simauth_free(sim->auth);
	sim->auth = NULL;
	simstore_free(sim->store);
	sim->store = NULL;
	simevents_free(sim->events);
	sim->events = NULL;
	evloop_free(sim->loop);
	sim->loop = NULL;
}
