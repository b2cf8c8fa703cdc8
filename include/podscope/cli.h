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
};

/* Parse argv; on error prints a message and returns false (exit 2). */
bool cli_parse(struct cli *cli, int argc, char **argv);
void cli_free(struct cli *cli);
void cli_usage(FILE *to);

/* Sub-commands: each returns the process exit status. */
int cmd_config(struct cli *cli);
int cmd_version(struct cli *cli);
int cmd_demo(struct cli *cli);

#endif
