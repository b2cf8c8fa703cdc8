#ifndef PODSCOPE_CLI_H
#define PODSCOPE_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "podscope/kubeconfig.h"

/*
 * The parsed command line. One option table serves every sub-command, the
 * way kubectl takes its global flags anywhere on the line; each command
 * then checks that it got only what it understands.
 */
struct cli {
	struct kc_options kc;
	const char *command;  /* NULL: the dashboard */
	char **args;          /* positional arguments after the command */
	int nargs;
	const char *output;   /* -o */
	bool demo;
	bool readonly;
	bool help;
	bool version;
	const char *prog;
	/* get, wait, watch (helper "lifecycle") */
	const char *selector; /* -l / --selector */
	const char *timeout;  /* --timeout D (Go duration), NULL: none */
	const char *poll;     /* --poll[=INTERVAL]: "" without a value, NULL: watch */
	const char *theme;    /* --theme NAME|FILE (the dashboard) */
	bool ascii;           /* --ascii: ASCII glyphs only (the dashboard) */
	bool wallboard;       /* --wallboard: the read-only wall screen */
	bool bell;            /* --bell: ring on new trouble (the wallboard) */
	bool low_bandwidth;   /* --low-bandwidth: few bytes to the terminal (the dashboard) */
	/* logs */
	const char *container; /* -c / --container */
	bool follow;           /* -f / --follow */
	bool previous;         /* -p / --previous */
	bool timestamps;       /* --timestamps */
	const char *tail;      /* --tail N */
	const char *since;     /* --since D */
	const char *generation; /* --generation new|old */
	bool no_fail_fast;    /* wait --no-fail-fast (--fail-fast, the default, clears it) */
	const char *settle;   /* wait --settle D (Go duration), NULL: 60s */
	const char *duration; /* record --duration D (Go duration), NULL: until a signal */
	const char *at;       /* replay --at TIME (RFC 3339 or +D), NULL: the end */
	/* many clusters (kc_fleet_contexts; --context may be a,b,c) */
	const char *contexts; /* --contexts REGEX */
	bool all_contexts;    /* --all-contexts */
	bool fleet;           /* --demo --fleet: three simulated clusters */
	const char *record;   /* --record FILE: the dashboard records while it shows */
	const char *audit;    /* report --audit FILE: the actions taken */
	const char *speed;    /* replay --speed N (1 to 100): the dashboard on a recording */
	const char *record_max; /* --record-max SIZE: a recording rotates past it */
};

/* Parse argv; on error prints a message and returns false (exit 2). */
bool cli_parse(struct cli *cli, int argc, char **argv);
/* False (said on stderr, exit 2) when a flag of one command was given to
 * another: --record to get, --audit to anything but report, ... */
bool cli_check_scope(const struct cli *cli);
void cli_free(struct cli *cli);
void cli_usage(FILE *to);

/* Sub-commands: each returns the process exit status. */
int cmd_config(struct cli *cli);
int cmd_version(struct cli *cli);
int cmd_demo(struct cli *cli);
/* demo_fleet.c: --demo --fleet, three simulated clusters. */
int cmd_demo_fleet(struct cli *cli);
/* No command: the dashboard on the kubeconfig's cluster. */
int cmd_dashboard(struct cli *cli);
/*
 * The dashboard on conn, with the flags of cli. banner: a line for the
 * status bar (NULL: none). scenarios (the demo, NULL otherwise): the menu
 * behind S; the one the user chose is copied into chosen (chosen_len bytes,
 * "" when none).
 */
int dashboard_run(struct cli *cli, const struct kc_conn *conn, const char *banner,
		  char **scenarios, char *chosen, size_t chosen_len);
/* dashboard.c: the dashboard on many contexts (names: kc_fleet_contexts'). */
int dashboard_fleet(struct cli *cli, char **names, size_t n, const char *banner);
int cmd_get(struct cli *cli);
int cmd_wait(struct cli *cli);
int cmd_watch(struct cli *cli);
int cmd_logs(struct cli *cli);
int cmd_record(struct cli *cli);
int cmd_replay(struct cli *cli);
int cmd_report(struct cli *cli);

#endif
