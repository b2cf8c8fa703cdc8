#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "podscope/duration.h"
#include "podscope/err.h"
#include "podscope/xalloc.h"

#include "app.h"
#include "evloop.h"
#include "faults.h"
#include "scenario.h"
#include "server.h"
#include "sim.h"

static void usage(FILE *f)
{
	fputs("usage: podscope-sim [--port N|0] [--tls] [--allow-anonymous] [--no-controllers]\n"
	      "                    [--write-kubeconfig PATH] [--kubeconfig-context NAME]\n"
	      "                    [--request-log PATH] [--speed F] [--clock-skew D]\n                    [--scenario NAME|FILE]...\n"
	      "                    [--nodes N] [--event-window N] [--bookmark-interval SECONDS]\n"
	      "                    [--fault SPEC]... [--load-deployments N] [--load-pods N]\n"
	      "                    [--load-statefulsets N] [--load-daemonsets N]\n"
	      "                    [--max-objects N] [--list-scenarios]\n",
	      f);
}

static int parse_long(const char *s, long lo, long hi, long *out)
{
	char *end;
	long v = strtol(s, &end, 10);
	if (!*s || *end || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

/* 0: run, 1: exit 0 (help/version), 2: usage error. */
static int parse_args(int argc, char **argv, struct sim_config *c)
{
	enum {
		O_PORT = 256,
		O_TLS,
		O_KCFG,
		O_LOG,
		O_SPEED,
		O_SCEN,
		O_NODES,
		O_WINDOW,
		O_BOOK,
		O_ANON,
		O_FROZEN,
		O_FAULT,
		O_LOAD_DEPLOY,
		O_LOAD_PODS,
		O_LOAD_STS,
		O_LOAD_DS,
		O_MAX_OBJECTS,
		O_LIST_SCEN,
		O_SKEW,
		O_KCFG_NAME
	};
	static const struct option opts[] = {
	    {"port", required_argument, NULL, O_PORT},
	    {"tls", no_argument, NULL, O_TLS},
	    {"allow-anonymous", no_argument, NULL, O_ANON},
	    {"no-controllers", no_argument, NULL, O_FROZEN},
	    {"fault", required_argument, NULL, O_FAULT},
	    {"load-deployments", required_argument, NULL, O_LOAD_DEPLOY},
	    {"load-pods", required_argument, NULL, O_LOAD_PODS},
	    {"load-statefulsets", required_argument, NULL, O_LOAD_STS},
	    {"load-daemonsets", required_argument, NULL, O_LOAD_DS},
	    {"max-objects", required_argument, NULL, O_MAX_OBJECTS},
	    {"list-scenarios", no_argument, NULL, O_LIST_SCEN},
	    {"write-kubeconfig", required_argument, NULL, O_KCFG},
	    {"kubeconfig-context", required_argument, NULL, O_KCFG_NAME},
	    {"request-log", required_argument, NULL, O_LOG},
	    {"speed", required_argument, NULL, O_SPEED},
	    {"clock-skew", required_argument, NULL, O_SKEW},
	    {"scenario", required_argument, NULL, O_SCEN},
	    {"nodes", required_argument, NULL, O_NODES},
	    {"event-window", required_argument, NULL, O_WINDOW},
	    {"bookmark-interval", required_argument, NULL, O_BOOK},
	    {"help", no_argument, NULL, 'h'},
	    {"version", no_argument, NULL, 'V'},
	    {NULL, 0, NULL, 0},
	};
	int ch;
	long v;
	char *end;
	while ((ch = getopt_long(argc, argv, "hV", opts, NULL)) != -1) {
		switch (ch) {
		case O_PORT:
			if (parse_long(optarg, 0, 65535, &v) != 0)
				goto bad;
			c->port = (int)v;
			break;
		case O_TLS:
			c->tls = true;
			break;
		case O_FAULT: {
			struct perr ferr = {0};
			if (simfault_check(optarg, &ferr) != 0) {
				fprintf(stderr, "podscope-sim: %s\n", perr_msg(&ferr));
				perr_clear(&ferr);
				usage(stderr);
				return 2;
			}
			c->faults = xrealloc(c->faults, (c->nfaults + 1) * sizeof(char *));
			c->faults[c->nfaults++] = optarg;
			break;
		}
		case O_LOAD_DEPLOY:
			if (parse_long(optarg, 1, 100000, &v) != 0)
				goto bad;
			c->load_deployments = (int)v;
			break;
		case O_LOAD_PODS:
			if (parse_long(optarg, 0, 10000000, &v) != 0)
				goto bad;
			c->load_pods = (int)v;
			break;
		case O_LOAD_STS:
			if (parse_long(optarg, 1, 100000, &v) != 0)
				goto bad;
			c->load_statefulsets = (int)v;
			break;
		case O_LOAD_DS:
			if (parse_long(optarg, 1, 10000, &v) != 0)
				goto bad;
			c->load_daemonsets = (int)v;
			break;
		case O_MAX_OBJECTS:
			if (parse_long(optarg, 1, 100000000, &v) != 0)
				goto bad;
			c->max_objects = (size_t)v;
			break;
		case O_LIST_SCEN:
			simscen_print_builtins(stdout);
			return 1;
		case O_FROZEN:
			c->frozen = true;
			break;
		case O_ANON:
			c->allow_anonymous = true;
			break;
		case O_KCFG:
			c->kubeconfig_path = optarg;
			break;
		case O_KCFG_NAME:
			/* Names for a merged kubeconfig of several sims. */
			if (!*optarg || strlen(optarg) > 63 ||
			    strspn(optarg, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
					   "0123456789._-") != strlen(optarg))
				goto bad;
			c->kubeconfig_name = optarg;
			break;
		case O_LOG:
			c->request_log_path = optarg;
			break;
		case O_SPEED:
			c->speed = strtod(optarg, &end);
			if (!*optarg || *end || !(c->speed > 0 && c->speed <= 10000))
				goto bad;
			break;
		case O_SKEW: {
			struct perr serr = {0};
			int64_t ns;
			if (duration_parse(optarg, &ns, &serr) != 0 ||
			    ns / DURATION_NS_PER_MS < -SIMCLOCK_SKEW_MAX_MS ||
			    ns / DURATION_NS_PER_MS > SIMCLOCK_SKEW_MAX_MS) {
				fprintf(stderr, "podscope-sim: --clock-skew %s: %s\n", optarg,
				        serr.msg ? perr_msg(&serr) : "more than 30 days (720h)");
				perr_clear(&serr);
				usage(stderr);
				return 2;
			}
			c->clock_skew_ms = ns / DURATION_NS_PER_MS;
			break;
		}
		case O_SCEN:
			c->scenarios = xrealloc(c->scenarios, (c->nscenarios + 1) * sizeof(char *));
			c->scenarios[c->nscenarios++] = optarg;
			break;
		case O_NODES:
			if (parse_long(optarg, 1, 10000, &v) != 0)
				goto bad;
			c->nodes = (int)v;
			break;
		case O_WINDOW:
			if (parse_long(optarg, 1, 100000000, &v) != 0)
				goto bad;
			c->event_window = (size_t)v;
			break;
		case O_BOOK:
			if (parse_long(optarg, 1, 86400, &v) != 0)
				goto bad;
			c->bookmark_interval_s = (int)v;
			break;
		case 'h':
			usage(stdout);
			return 1;
		case 'V':
			printf("podscope-sim %s\n", PACKAGE_VERSION);
			return 1;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "podscope-sim: unexpected argument: %s\n", argv[optind]);
		usage(stderr);
		return 2;
	}
	return 0;
bad:
	for (const struct option *o = opts; o->name; o++)
		if (o->val == ch)
			fprintf(stderr, "podscope-sim: invalid value for --%s: %s\n", o->name,
			        optarg);
	usage(stderr);
	return 2;
}

int main(int argc, char **argv)
{
	static struct sim sim; /* static: reachable to the end, see simapp_stop_serving */
	memset(&sim, 0, sizeof(sim));
	simapp_defaults(&sim.cfg);

	int rc = parse_args(argc, argv, &sim.cfg);
	if (rc != 0) {
		free(sim.cfg.scenarios);
		free(sim.cfg.faults);
		return rc == 1 ? 0 : 2;
	}
	struct perr err = {0};
	if (simapp_start(&sim, &err) != 0) {
		fprintf(stderr, "podscope-sim: %s\n", perr_msg(&err));
		rc = perr_exit_status(&err) == 2 ? 2 : 1;
		perr_clear(&err);
		simapp_stop(&sim);
		free(sim.cfg.scenarios);
		free(sim.cfg.faults);
		return rc;
	}
	evloop_handle_signals(sim.loop);
	printf("podscope-sim: listening on %s\n", simsrv_url(&sim));
	fflush(stdout);
	evloop_run(sim.loop);
	/* Stopped by a signal: exit as soon as clients see the end; the
	 * kernel takes the memory back faster than free() would. */
	simapp_stop_serving(&sim);
	/* Served and stopped: what remains is the C library's exit (and under
	 * --enable-sanitizers the leak check, seconds on a loaded machine),
	 * which the signal's grace timer is not there to cut short. */
	alarm(0);
	free(sim.cfg.scenarios);
	free(sim.cfg.faults);
	return 0;
}
