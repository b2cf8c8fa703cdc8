#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "podscope/buf.h"
#include "cli.h"
#include "podscope/client.h"
#include "podscope/kubeconfig.h"
#include "podscope/loop.h"
#include "podscope/sanitize.h"

#include "cmd_print.h"
#include "cmd_fleet.h"

static bool no_args(struct cli *cli)
{
	if (cli->nargs == 0)
		return true;
	cmd_printf(stderr, "podscope %s: unexpected argument \"%s\"\n", cli->command, cli->args[0]);
	return false;
}

int cmd_config(struct cli *cli)
{
	int refused = cmd_fleet_refuse(cli, "config");
	if (refused)
		return refused;
	if (!no_args(cli))
		return 2;
	struct perr err = {0};
	struct kc_conn *conn = kc_load(&cli->kc, &err);
	if (!conn) {
		fprintf(stderr, "podscope: %s\n", perr_msg(&err));
		int rc = perr_exit_status(&err);
		perr_clear(&err);
		return rc;
	}
	struct buf out = BUF_INIT;
	if (cli->output && strcmp(cli->output, "json") == 0)
		kc_conn_describe_json(conn, &out);
	else
		kc_conn_describe_text(conn, &out);
	fwrite(out.data, 1, out.len, stdout);
	if (out.len && out.data[out.len - 1] != '\n')
		putchar('\n');
	buf_free(&out);
	kc_conn_free(conn);
	return 0;
}

/* GET /version on the configured cluster: the simplest end-to-end check that
 * the kubeconfig, the credentials and TLS all work. */
int cmd_version(struct cli *cli)
{
	if (!no_args(cli))
		return 2;
	bool json = cli->output && strcmp(cli->output, "json") == 0;
	struct perr err = {0};
	struct kc_conn *conn = kc_load(&cli->kc, &err);
	if (!conn) {
		fprintf(stderr, "podscope: %s\n", perr_msg(&err));
		int rc = perr_exit_status(&err);
		perr_clear(&err);
		return rc;
	}
	int rc = 1;
	struct ploop *loop = ploop_new();
	struct kclient *client = kclient_new(loop, conn, &err);
	if (!client) {
		fprintf(stderr, "podscope: %s\n", perr_msg(&err));
		rc = perr_exit_status(&err);
		goto out;
	}
	if (cli->readonly)
		kclient_set_readonly(client, true);
	if (kclient_warning(client))
		cmd_printf(stderr, "podscope: warning: %s\n", kclient_warning(client));
	struct kreq_spec spec = {.path = "/version"};
	struct kresp resp = {0};
	kclient_request(client, &spec, &resp);
	char *server = sanitize_strip_userinfo(conn->server);
	cJSON *v = NULL;
	const cJSON *gv = NULL;
	if (resp.err.kind == PERR_NONE) {
		v = cJSON_ParseWithLength(resp.body, resp.body_len);
		gv = cJSON_GetObjectItemCaseSensitive(v, "gitVersion");
		/* An answer that is not a version is no answer: a proxy's
		 * login page, a redirect's body, a server that is not
		 * Kubernetes. Saying "unknown" and exiting 0 would hide it. */
		if (!cJSON_IsString(gv))
			perr_set(&resp.err, PERR_API,
				 "GET %s/version: the answer holds no gitVersion (%s)", server,
				 v ? "not a version object" : "not JSON");
	}
	if (resp.err.kind != PERR_NONE) {
		fprintf(stderr, "podscope: %s\n", perr_msg(&resp.err));
		rc = perr_exit_status(&resp.err);
	} else {
		if (json) {
			struct buf out = BUF_INIT;
			buf_adds(&out, "{\"client\":");
			sanitize_json_string(&out, PACKAGE_VERSION);
			buf_adds(&out, ",\"server\":");
			sanitize_json_string(&out, gv->valuestring);
			buf_adds(&out, "}\n");
			fputs(out.data, stdout);
			buf_free(&out);
		} else {
			cmd_printf(stdout, "podscope: %s\nserver:   %s (%s)\n", PACKAGE_VERSION,
				   gv->valuestring, server);
		}
		rc = 0;
	}
	free(server);
	cJSON_Delete(v);
	kresp_free(&resp);
	kclient_free(client);
out:
	ploop_free(loop);
	kc_conn_free(conn);
	perr_clear(&err);
	return rc;
}
