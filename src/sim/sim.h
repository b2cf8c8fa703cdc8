#ifndef PODSCOPE_SIM_SIM_H
#define PODSCOPE_SIM_SIM_H

#include <stdbool.h>
#include <stddef.h>

#include "clock.h"

/*
 * The simulator as a whole: its options and the modules it is made of. One
 * `struct sim` exists per process; modules get it passed rather than reach
 * for a global, so the tests can build one in-process.
 */

struct sim_config {
	int port; /* 0: any free port */
	bool tls;
	bool allow_anonymous;         /* no credentials at all: act as sim-admin */
	bool frozen;                  /* --no-controllers: nothing moves on its own */
	const char *kubeconfig_path;  /* NULL: write none */
	const char *kubeconfig_name;  /* --kubeconfig-context: its names; NULL: sim-admin... */
	const char *request_log_path; /* NULL: no request log */
	double speed;                 /* simulated clock rate (controllers) */
	const char **scenarios;       /* names or files, in order */
	size_t nscenarios;
	int nodes;               /* simulated nodes (kubelets) */
	size_t event_window;     /* watch events kept per resource */
	int bookmark_interval_s; /* seconds between watch BOOKMARKs */
	const char **faults;     /* --fault specs, checked by simfault_check */
	size_t nfaults;
	int load_deployments; /* the load scenario's sizes; 0: its file's */
	int load_pods;
	int load_statefulsets; /* --load-statefulsets, --load-daemonsets; 0: none */
	int load_daemonsets;
	size_t max_objects; /* per resource (--max-objects); 0: the default */
	int64_t clock_skew_ms; /* --clock-skew: the cluster's clock ahead (+) or behind (-) */
};

struct evloop;
struct simstore;
struct simauth;
struct simsrv;
struct reqlog;
struct watchset;
struct simevents;
struct simscen;
struct simfaults;
struct simsched;
struct simkubelet;
struct simregistry;

struct sim {
	struct sim_config cfg;
	struct evloop *loop;
	struct simstore *store;
	struct simauth *auth;
	struct simsrv *srv;
	struct reqlog *log;
	struct watchset *watches;
	struct simclock clock;     /* simulated time (--speed) */
	struct simevents *events;  /* the event recorder */
	struct simscen *scen;      /* loaded and running scenarios (scenario*.c) */
	struct simfaults *faults;  /* --fault injection (faults.c) */
	struct simsched *sched;    /* the scheduler (sched.c) */
	struct simkubelet *kubelet; /* the kubelets (kubelet*.c) */
	struct simregistry *registry; /* images that cannot be pulled (kubelet_ctl.c) */
};

#endif
