#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "podscope/buf.h"
#include "cli.h"
#include "podscope/client.h"
#include "podscope/informer.h"
#include "podscope/kubeconfig.h"
#include "podscope/loop.h"
#include "podscope/simlaunch.h"
#include "podscope/ui.h"
#include "podscope/xalloc.h"

/* Count the items of a list answer; -1 when it is not a list. */
static int list_count(struct kclient *client, const char *path, struct perr *err)
{
	struct kreq_spec spec = {.path = path};
	struct kresp resp = {0};
	kclient_request(client, &spec, &resp);
	int n = -1;
	if (resp.err.kind != PERR_NONE) {
		perr_set(err, resp.err.kind, "%s", perr_msg(&resp.err));
	} else {
		cJSON *list = cJSON_ParseWithLength(resp.body, resp.body_len);
		const cJSON *items = cJSON_GetObjectItemCaseSensitive(list, "items");
		if (cJSON_IsArray(items))
			n = cJSON_GetArraySize(items);
		else
			perr_set(err, PERR_API, "GET %s: the answer is not a list", path);
		cJSON_Delete(list);
	}
	kresp_free(&resp);
	return n;
}

/* Without a terminal the demo checks the simulator end to end and reports. */
static int demo_report(struct cli *cli, struct simlaunch *sim, const struct kc_conn *conn,
		       struct perr *err)
{
	struct ploop *loop = ploop_new();
	int rc = 1;
	struct kclient *client = kclient_new(loop, conn, err);
	if (!client)
		goto out;
	if (cli->readonly)
		kclient_set_readonly(client, true);
	int ns = list_count(client, "/api/v1/namespaces", err);
	int deploys = ns < 0 ? -1 : list_count(client, "/apis/apps/v1/deployments", err);
	int pods = deploys < 0 ? -1 : list_count(client, "/api/v1/pods", err);
	if (pods < 0)
		goto out;
	printf("podscope-sim answers at %s (context %s, user %s, %s)\n", simlaunch_url(sim),
	       conn->context, conn->user_name, kc_auth_name(conn->auth));
	printf("%d namespaces, %d deployments, %d pods\n", ns, deploys, pods);
	printf("No terminal: the dashboard needs one; podscope-sim stops now.\n");
	rc = 0;
out:
	kclient_free(client);
	ploop_free(loop);
	return rc;
}

/* The simulator's built-in scenarios, "NAME\tDESCRIPTION" lines, for the menu
 * (NULL-terminated heap array; NULL when it cannot say). */
static char **list_scenarios(void)
{
	char *bin = simlaunch_find();
	if (!bin)
		return NULL;
	int fds[2];
	if (pipe(fds) != 0) {
		free(bin);
		return NULL;
	}
	pid_t pid = fork();
	if (pid == 0) {
		dup2(fds[1], STDOUT_FILENO);
		close(fds[0]);
		close(fds[1]);
		int null = open("/dev/null", O_WRONLY);
		if (null >= 0)
			dup2(null, STDERR_FILENO);
		execl(bin, bin, "--list-scenarios", (char *)NULL);
		_exit(127);
	}
	free(bin);
	close(fds[1]);
	if (pid < 0) {
		close(fds[0]);
		return NULL;
	}
	struct buf out = BUF_INIT;
	char chunk[4096];
	ssize_t n;
	while ((n = read(fds[0], chunk, sizeof(chunk))) > 0 || (n < 0 && errno == EINTR))
		if (n > 0)
			buf_add(&out, chunk, (size_t)n);
	close(fds[0]);
	int status;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	char **list = NULL;
	size_t k = 0;
	if (out.len && WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		buf_addc(&out, '\0');
		char *save = NULL;
		for (char *l = strtok_r(out.data, "\n", &save); l;
		     l = strtok_r(NULL, "\n", &save)) {
			list = xrealloc(list, (k + 2) * sizeof(char *));
			list[k++] = xstrdup(l);
			list[k] = NULL;
		}
	}
	buf_free(&out);
	return list;
}

static void free_list(char **list)
{
	for (size_t i = 0; list && list[i]; i++)
		free(list[i]);
	free(list);
}

/*
 * `podscope --demo [SCENARIO]`: start the embedded simulator and connect to
 * it exactly as to a real cluster (its kubeconfig, TLS, a client
 * certificate), then open the dashboard on it. Without a terminal on stdin
 * and stdout it checks the connection and reports instead, which is what
 * scripts and tests/integration/demo.sh use. podscope-sim stops on every
 * way out (and dies with us on a crash: simlaunch.h).
 */
/* One run of the simulator with one scenario; *next gets the scenario the
 * user chose from the menu (empty: leave). */
static int demo_once(struct cli *cli, const char *scenario, char **menu, char *next, size_t n)
{
	next[0] = '\0';
	const char *extra[] = {"--tls", "--scenario", scenario, NULL};
	struct simlaunch_opts o = {.args = extra, .timeout_ms = 10000};
	struct perr err = {0};
	struct simlaunch *sim = simlaunch_start(&o, &err);
	if (!sim) {
		fprintf(stderr, "podscope: %s\n", perr_msg(&err));
		perr_clear(&err);
		return 1;
	}
	struct kc_options opt = cli->kc;
	opt.kubeconfig = simlaunch_kubeconfig(sim);
	opt.context = NULL;
	opt.cluster = NULL;
	opt.user = NULL;
	if (!opt.namespace)
		opt.all_namespaces = true;
	int rc = 1;
	struct kc_conn *conn = kc_load(&opt, &err);
	if (conn) {
		if (isatty(STDIN_FILENO) && isatty(STDOUT_FILENO)) {
			char banner[160];
			snprintf(banner, sizeof(banner), "demo: %.100s  (S: scenarios)", scenario);
			struct cli c = *cli;
			c.kc.all_namespaces = opt.all_namespaces;
			rc = dashboard_run(&c, conn, banner, menu, next, n);
		} else {
			rc = demo_report(cli, sim, conn, &err);
		}
	}
	if (rc == 1 && err.kind != PERR_NONE)
		fprintf(stderr, "podscope: demo: %s\n", perr_msg(&err));
	kc_conn_free(conn);
	simlaunch_stop(sim);
	perr_clear(&err);
	return rc;
}

/*
 * `podscope --demo [SCENARIO]`: start the embedded simulator and connect to
 * it exactly as to a real cluster (its kubeconfig, TLS, a client
 * certificate), then open the dashboard on it; S in the dashboard offers the
 * simulator's other scenarios and starts it again with the one chosen.
 * Without a terminal on stdin and stdout it checks the connection and
 * reports instead, which is what scripts and tests/integration/demo.sh use.
 * podscope-sim stops on every way out (and dies with us on a crash:
 * simlaunch.h).
 */
int cmd_demo(struct cli *cli)
{
	if (cli->fleet)
		return cmd_demo_fleet(cli);
	if (cli->nargs > 1) {
		fprintf(stderr, "podscope --demo: one scenario at most\n");
		return 2;
	}
	/* The default keeps rolling something out, so the screen always moves. */
	char scenario[4096];
	snprintf(scenario, sizeof(scenario), "%s", cli->nargs == 1 ? cli->args[0] : "demo");
	char **menu = isatty(STDIN_FILENO) && isatty(STDOUT_FILENO) ? list_scenarios() : NULL;
	char next[256];
	int rc;
	for (;;) {
		rc = demo_once(cli, scenario, menu, next, sizeof(next));
		if (rc != 0 || !next[0])
			break;
		snprintf(scenario, sizeof(scenario), "%s", next);
	}
	free_list(menu);
	return rc;
}
