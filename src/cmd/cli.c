#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "podscope/xalloc.h"

enum {
	OPT_KUBECONFIG = 256,
	OPT_CONTEXT,
	OPT_CLUSTER,
	OPT_USER,
	OPT_DEMO,
	OPT_READONLY,
	OPT_VERSION,
	OPT_TIMEOUT,
	OPT_POLL,
	OPT_THEME,
	OPT_ASCII,
	OPT_WALLBOARD,
	OPT_BELL,
	OPT_LOW_BANDWIDTH,
	OPT_TAIL,
	OPT_SINCE,
	OPT_TIMESTAMPS,
	OPT_GENERATION,
	OPT_FAIL_FAST,
	OPT_NO_FAIL_FAST,
	OPT_SETTLE,
	OPT_DURATION,
	OPT_AT,
	OPT_CONTEXTS,
	OPT_ALL_CONTEXTS,
	OPT_RECORD,
	OPT_FLEET,
	OPT_AUDIT,
	OPT_SPEED,
	OPT_RECORD_MAX,
};

static const struct option long_opts[] = {
	{"kubeconfig", required_argument, NULL, OPT_KUBECONFIG},
	{"context", required_argument, NULL, OPT_CONTEXT},
	{"cluster", required_argument, NULL, OPT_CLUSTER},
	{"user", required_argument, NULL, OPT_USER},
	{"namespace", required_argument, NULL, 'n'},
	{"all-namespaces", no_argument, NULL, 'A'},
	{"output", required_argument, NULL, 'o'},
	{"demo", no_argument, NULL, OPT_DEMO},
	{"readonly", no_argument, NULL, OPT_READONLY},
	{"help", no_argument, NULL, 'h'},
	{"version", no_argument, NULL, OPT_VERSION},
	{"selector", required_argument, NULL, 'l'},
	{"timeout", required_argument, NULL, OPT_TIMEOUT},
	{"poll", optional_argument, NULL, OPT_POLL},
	{"theme", required_argument, NULL, OPT_THEME},
	{"ascii", no_argument, NULL, OPT_ASCII},
	{"wallboard", no_argument, NULL, OPT_WALLBOARD},
	{"bell", no_argument, NULL, OPT_BELL},
	{"low-bandwidth", no_argument, NULL, OPT_LOW_BANDWIDTH},
	{"container", required_argument, NULL, 'c'},
	{"follow", no_argument, NULL, 'f'},
	{"previous", no_argument, NULL, 'p'},
	{"tail", required_argument, NULL, OPT_TAIL},
	{"since", required_argument, NULL, OPT_SINCE},
	{"timestamps", no_argument, NULL, OPT_TIMESTAMPS},
	{"generation", required_argument, NULL, OPT_GENERATION},
	{"fail-fast", no_argument, NULL, OPT_FAIL_FAST},
	{"no-fail-fast", no_argument, NULL, OPT_NO_FAIL_FAST},
	{"settle", required_argument, NULL, OPT_SETTLE},
	{"duration", required_argument, NULL, OPT_DURATION},
	{"at", required_argument, NULL, OPT_AT},
	{"contexts", required_argument, NULL, OPT_CONTEXTS},
	{"all-contexts", no_argument, NULL, OPT_ALL_CONTEXTS},
	{"record", required_argument, NULL, OPT_RECORD},
	{"fleet", no_argument, NULL, OPT_FLEET},
	{"audit", required_argument, NULL, OPT_AUDIT},
	{"speed", required_argument, NULL, OPT_SPEED},
	{"record-max", required_argument, NULL, OPT_RECORD_MAX},
	{NULL, 0, NULL, 0},
};

bool cli_parse(struct cli *cli, int argc, char **argv)
{
	memset(cli, 0, sizeof(*cli));
	cli->prog = argv[0];
	cli->args = xcalloc((size_t)argc + 1, sizeof(char *));
	opterr = 0;
	optind = 1;
	int c;
	while ((c = getopt_long(argc, argv, ":n:Ao:hl:c:fp", long_opts, NULL)) != -1) {
		switch (c) {
		case OPT_KUBECONFIG: cli->kc.kubeconfig = optarg; break;
		case OPT_CONTEXT: cli->kc.context = optarg; break;
		case OPT_CLUSTER: cli->kc.cluster = optarg; break;
		case OPT_USER: cli->kc.user = optarg; break;
		case 'n': cli->kc.namespace = optarg; break;
		case 'A': cli->kc.all_namespaces = true; break;
		case 'o': cli->output = optarg; break;
		case OPT_DEMO: cli->demo = true; break;
		case OPT_READONLY: cli->readonly = true; break;
		case 'h': cli->help = true; break;
		case OPT_VERSION: cli->version = true; break;
		case OPT_THEME: cli->theme = optarg; break;
		case OPT_ASCII: cli->ascii = true; break;
		case OPT_WALLBOARD: cli->wallboard = true; break;
		case OPT_BELL: cli->bell = true; break;
		case OPT_LOW_BANDWIDTH: cli->low_bandwidth = true; break;
		case 'l': cli->selector = optarg; break;
		case OPT_TIMEOUT: cli->timeout = optarg; break;
		case OPT_POLL: cli->poll = optarg ? optarg : ""; break;
		case 'c': cli->container = optarg; break;
		case 'f': cli->follow = true; break;
		case 'p': cli->previous = true; break;
		case OPT_TAIL: cli->tail = optarg; break;
		case OPT_SINCE: cli->since = optarg; break;
		case OPT_TIMESTAMPS: cli->timestamps = true; break;
		case OPT_GENERATION: cli->generation = optarg; break;
		case OPT_FAIL_FAST: cli->no_fail_fast = false; break;
		case OPT_NO_FAIL_FAST: cli->no_fail_fast = true; break;
		case OPT_SETTLE: cli->settle = optarg; break;
		case OPT_DURATION: cli->duration = optarg; break;
		case OPT_AT: cli->at = optarg; break;
		case OPT_CONTEXTS: cli->contexts = optarg; break;
		case OPT_ALL_CONTEXTS: cli->all_contexts = true; break;
		case OPT_RECORD: cli->record = optarg; break;
		case OPT_FLEET: cli->fleet = true; break;
		case OPT_AUDIT: cli->audit = optarg; break;
		case OPT_SPEED: cli->speed = optarg; break;
		case OPT_RECORD_MAX: cli->record_max = optarg; break;
		case ':':
			fprintf(stderr, "podscope: %s needs a value\n", argv[optind - 1]);
			goto fail;
		default:
			fprintf(stderr, "podscope: unknown flag %s (see podscope --help)\n",
				argv[optind - 1]);
			goto fail;
		}
	}
	for (int i = optind; i < argc; i++)
		cli->args[cli->nargs++] = argv[i];
	/* With --demo the first word is the scenario, not a command. */
	if (!cli->demo && cli->nargs > 0) {
		cli->command = cli->args[0];
		memmove(cli->args, cli->args + 1, (size_t)cli->nargs * sizeof(char *));
		cli->nargs--;
	}
	/* record's and report's -o name a file. */
	bool file_out = cli->command && (strcmp(cli->command, "record") == 0 ||
					 strcmp(cli->command, "report") == 0);
	if (cli->output && !file_out && strcmp(cli->output, "json") != 0 &&
	    strcmp(cli->output, "text") != 0 &&
	    strcmp(cli->output, "wide") != 0 && strcmp(cli->output, "jsonl") != 0) {
		fprintf(stderr,
			"podscope: unknown output format \"%s\" (use text, wide, json or jsonl)\n",
			cli->output);
		goto fail;
	}
	return true;
fail:
	cli_free(cli);
	return false;
}

void cli_free(struct cli *cli)
{
	free(cli->args);
	cli->args = NULL;
}

/* A flag of one command given to another is an error, not a silent no-op. */
static bool only_for(const struct cli *cli, bool given, const char *flag, const char *const *cmds,
		     const char *what)
{
	if (!given)
		return true;
	const char *cmd = cli->demo ? "--demo" : cli->command ? cli->command : "";
	for (const char *const *c = cmds; *c; c++)
		if (strcmp(*c, cmd) == 0)
			return true;
	if (*cmd)
		fprintf(stderr, "podscope %s: %s is for %s\n", cmd, flag, what);
	else
		fprintf(stderr, "podscope: %s is for %s\n", flag, what);
	return false;
}

bool cli_check_scope(const struct cli *cli)
{
	static const char *const dash[] = {"", "--demo", NULL};
	static const char *const fleet[] = {"", "get", "wait", "watch", "logs", "record", "config",
					    "version", NULL};
	static const char *const demo[] = {"--demo", NULL};
	static const char *const report[] = {"report", NULL};
	static const char *const replay[] = {"replay", NULL};
	static const char *const record[] = {"record", NULL};
	static const char *const wait[] = {"wait", NULL};
	/* logs, record, config and version name their own refusal of several
	 * contexts ("works on one context"). */
	return only_for(cli, cli->contexts || cli->all_contexts,
			cli->contexts ? "--contexts" : "--all-contexts", fleet,
			"the dashboard, get, wait and watch") &&
	       only_for(cli, cli->fleet, "--fleet", demo, "--demo") &&
	       only_for(cli, cli->record != NULL, "--record", dash,
			"the dashboard and the wallboard (podscope record -o FILE records alone)") &&
	       only_for(cli, cli->audit != NULL, "--audit", report, "report") &&
	       only_for(cli, cli->speed != NULL, "--speed", replay, "replay FILE") &&
	       only_for(cli, cli->at != NULL, "--at", replay, "replay FILE --at TIME get") &&
	       only_for(cli, cli->duration != NULL, "--duration", record, "record") &&
	       only_for(cli, cli->settle != NULL, "--settle", wait, "wait");
}
