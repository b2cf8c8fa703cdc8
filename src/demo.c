#include "config.h"

#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "podscope/cli.h"
#include "podscope/client.h"
#include "podscope/kubeconfig.h"
#include "podscope/loop.h"
#include "podscope/simlaunch.h"

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

/*
 * `podscope --demo [SCENARIO]`: start the embedded simulator and connect to
 * it exactly as to a real cluster (its kubeconfig, TLS, a client
 * certificate). Until the dashboard exists this reports what it found.
 */
int cmd_demo(struct cli *cli)
{
	if (cli->nargs > 1) {
		fprintf(stderr, "podscope --demo: one scenario at most\n");
		return 2;
	}
	const char *extra[3] = {NULL, NULL, NULL};
	if (cli->nargs == 1) {
		extra[0] = "--scenario";
		extra[1] = cli->args[0];
	}
	struct perr err = {0};
	struct simlaunch *sim = simlaunch_start(extra, 10000, &err);
	if (!sim) {
		fprintf(stderr, "podscope: %s\n", perr_msg(&err));
		perr_clear(&err);
		return 1;
	}
	struct kc_options opt = {.kubeconfig = simlaunch_kubeconfig(sim), .all_namespaces = true};
	int rc = 1;
	struct ploop *loop = ploop_new();
	struct kclient *client = NULL;
	struct kc_conn *conn = kc_load(&opt, &err);
	if (!conn)
		goto out;
	client = kclient_new(loop, conn, &err);
	if (!client)
		goto out;
	if (cli->readonly)
		kclient_set_readonly(client, true);
	int ns = list_count(client, "/api/v1/namespaces", &err);
	int deploys = ns < 0 ? -1 : list_count(client, "/apis/apps/v1/deployments", &err);
	int pods = deploys < 0 ? -1 : list_count(client, "/api/v1/pods", &err);
	if (pods < 0)
		goto out;
	printf("podscope-sim answers at %s (context %s, user %s, %s)\n", simlaunch_url(sim),
	       conn->context, conn->user_name, kc_auth_name(conn->auth));
	printf("%d namespaces, %d deployments, %d pods\n", ns, deploys, pods);
	printf("The dashboard is not built yet; podscope-sim stops now.\n");
	rc = 0;
out:
	if (rc != 0)
		fprintf(stderr, "podscope: demo: %s\n", perr_msg(&err));
	kclient_free(client);
	kc_conn_free(conn);
	ploop_free(loop);
	simlaunch_stop(sim);
	perr_clear(&err);
	return rc;
}
