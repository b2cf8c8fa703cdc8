#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>

#include <curl/curl.h>

#include "cmd/cli.h"

struct command {
	const char *name;
	int (*run)(struct cli *cli);
	const char *help;
};

static const struct command commands[] = {
	{"config", cmd_config, "print the resolved connection (never a secret)"},
	{"version", cmd_version, "print podscope's version and the API server's"},
	{"get", cmd_get, "deployments, generations and pods with their stages, once"},
	{"wait", cmd_wait, "follow deploy/NAME's rollout; exit 0 done, 1 failed, 3 timeout"},
	{"watch", cmd_watch, "one line per lifecycle transition of a pod, RS or deployment"},
	{"logs", cmd_logs, "a pod's log, or a workload's pods merged in time order"},
	{"record", cmd_record, "append every event the informers see to a recording"},
	{"replay", cmd_replay, "a recording: what it holds, or get at a recorded moment"},
	{"report", cmd_report, "a post-mortem page of a rollout, from a recording or a cluster"},
};

void cli_usage(FILE *to)
{
	fprintf(to, "usage: podscope [flags] [COMMAND [ARGS]]\n"
		    "       podscope --demo [SCENARIO]\n\ncommands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(to, "  %-10s %s\n", commands[i].name, commands[i].help);
	fprintf(to,
		"\nflags:\n"
		"  --kubeconfig FILE      kubeconfig to use (else $KUBECONFIG, ~/.kube/config,\n"
		"                         in-cluster)\n"
		"  --context NAME         kubeconfig context\n"
		"  --cluster NAME         kubeconfig cluster, overriding the context's\n"
		"  --user NAME            kubeconfig user, overriding the context's\n"
		"  -n, --namespace NS     namespace\n"
		"  -A, --all-namespaces   every namespace\n"
		"  -o, --output FORMAT    text or json, for commands that print (get: also\n"
		"                         wide; watch: jsonl)\n"
		"  -l, --selector SEL     label selector (get, watch)\n"
		"  --timeout D            how long wait waits (30s, 5m; default: forever)\n"
		"  --settle D             wait: fail once every new pod is stuck this long (60s)\n"
		"  --no-fail-fast         wait: wait for the progress deadline instead\n"
		"  --poll[=INTERVAL]      poll by listing every INTERVAL (default 5s), no watch\n"
		"  --readonly             never send anything but GET\n"
		"  --demo [SCENARIO]      run against an embedded podscope-sim\n"
		"  --theme NAME|FILE      the dashboard's colour theme (dark, light,\n"
		"                         high-contrast, solarized, mono, or a file)\n"
		"  --ascii                ASCII symbols only, whatever the locale\n"
		"  --wallboard            full-screen, read-only wall screen of rollouts and\n"
		"                         trouble\n"
		"  --bell                 with --wallboard: ring the bell on new trouble\n"
		"  --low-bandwidth        few bytes to the terminal: no animation, coarse ages\n"
		"  -c, --container NAME   logs: the container (default: the first)\n"
		"  -p, --previous         logs: the previous container's log\n"
		"  -f, --follow           logs: follow, attaching new pods and restarts\n"
		"  --since D              logs: only lines newer than D (5s, 2m, 3h)\n"
		"  --tail N               logs: the last N lines of each container\n"
		"  --timestamps           logs: each line with the kubelet's time\n"
		"  --generation new|old   logs: only the new or the old generation's pods\n"
		"  --context a,b,c        several contexts at once (dashboard, get, wait,\n"
		"                         watch); also --contexts REGEX, --all-contexts\n"
		"  --record FILE          the dashboard: record while it shows (--record-max N)\n"
		"  --duration D           record: stop after D\n"
		"  --at TIME              replay FILE --at TIME get: get at a recorded moment\n"
		"  --speed N              replay FILE: play at xN (1 to 100)\n"
		"  --audit FILE           report: the actions taken, from this audit log\n"
		"  --demo --fleet         three simulated clusters as three contexts\n"
		"  -h, --help             this help\n"
		"  --version              print the version\n"
		"\nSee podscope(1).\n");
}

/*
 * podscope holds bearer tokens, passwords and private keys in memory: a core
 * dump would write them to disk, and a same-user debugger could read them.
 * Not dumpable (which also refuses ptrace to other processes of the user)
 * and no core file, unless PODSCOPE_ALLOW_CORE=1 asks for them to debug.
 */
static void no_core_dumps(void)
{
	const char *allow = getenv("PODSCOPE_ALLOW_CORE");
	if (allow && strcmp(allow, "1") == 0)
		return;
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	struct rlimit rl;
	if (getrlimit(RLIMIT_CORE, &rl) == 0) {
		rl.rlim_cur = 0;
		setrlimit(RLIMIT_CORE, &rl);
	}
}

int main(int argc, char **argv)
{
	no_core_dumps();
	setlocale(LC_ALL, "");
	struct cli cli;
	if (!cli_parse(&cli, argc, argv))
		return 2;
	int rc = 2;
	if (cli.help) {
		cli_usage(stdout);
		rc = 0;
		goto out;
	}
	if (cli.version) {
		printf("podscope %s\n", PACKAGE_VERSION);
		rc = 0;
		goto out;
	}
	if (!cli_check_scope(&cli))
		goto out;
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0) {
		fprintf(stderr, "podscope: cannot initialise libcurl\n");
		rc = 1;
		goto out;
	}
	if (cli.demo) {
		rc = cmd_demo(&cli);
	} else if (!cli.command) {
		rc = cmd_dashboard(&cli);
	} else {
		const struct command *cmd = NULL;
		for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
			if (strcmp(commands[i].name, cli.command) == 0)
				cmd = &commands[i];
		if (cmd) {
			rc = cmd->run(&cli);
		} else {
			fprintf(stderr, "podscope: unknown command \"%s\" (see podscope --help)\n",
				cli.command);
			rc = 2;
		}
	}
	curl_global_cleanup();
out:
	cli_free(&cli);
	return rc;
}
