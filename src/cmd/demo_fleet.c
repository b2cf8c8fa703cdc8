#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "podscope/buf.h"
#include "cli.h"
#include "podscope/simlaunch.h"
#include "podscope/xalloc.h"

/*
 * `podscope --demo --fleet`: three simulated clusters, prod-eu, prod-us and
 * staging (three podscope-sims, each with the demo scenario), one
 * kubeconfig with a context per cluster (each sim names its own entries:
 * --kubeconfig-context; $KUBECONFIG lists the three files), and the
 * dashboard on all three. prod-us is a revision ahead on api; staging's web
 * is stuck mid-rollout on an image that cannot be pulled. Without a
 * terminal it says where the three answer and stops them.
 */

#define FLEET_N 3

static const char *const names[FLEET_N] = {"prod-eu", "prod-us", "staging"};

/* What each cluster does besides the demo scenario (NULL: nothing). */
static const char *const extra[FLEET_N] = {
    NULL,
    "apiVersion: sim.podscope.dev/v1\nkind: Scenario\nmetadata:\n  name: fleet-prod-us\n"
    "description: \"prod-us: api on nginx:1.27 first.\"\nsteps:\n- after: 2s\n"
    "  action: set-image\n  target: deployment/api\n  container: api\n  image: nginx:1.27\n"
    "  cause: \"api: nginx 1.27 (prod-us first)\"\n",
    "apiVersion: sim.podscope.dev/v1\nkind: Scenario\nmetadata:\n  name: fleet-staging\n"
    "description: \"staging: web's rollout to nginx:1.28 is stuck pulling.\"\nsteps:\n"
    "- after: 2s\n  action: mark-image-missing\n  image: nginx:1.28\n- action: set-image\n"
    "  target: deployment/web\n  container: nginx\n  image: nginx:1.28\n"
    "  cause: \"web: nginx 1.28 (staging first)\"\n",
};

static int write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	if (!f)
		return -1;
	int rc = fputs(text, f) < 0 ? -1 : 0;
	if (fclose(f) != 0)
		rc = -1;
	return rc;
}

int cmd_demo_fleet(struct cli *cli)
{
	if (cli->nargs > 0) {
		fprintf(stderr, "podscope --demo --fleet: no scenario (each cluster runs demo)\n");
		return 2;
	}
	const char *tmp = getenv("TMPDIR");
	char *dir = xasprintf("%s/podscope-fleet.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir)) {
		fprintf(stderr, "podscope: --demo --fleet: %s: %s\n", dir, strerror(errno));
		free(dir);
		return 1;
	}
	struct simlaunch *sims[FLEET_N] = {0};
	char *files[FLEET_N] = {0};
	struct buf kc = BUF_INIT;
	int rc = 1;
	for (int i = 0; i < FLEET_N; i++) {
		const char *args[] = {
		    "--tls", "--kubeconfig-context", names[i], "--scenario", "demo", NULL, NULL,
		    NULL};
		if (extra[i]) {
			files[i] = xasprintf("%s/%s.yaml", dir, names[i]);
			if (write_file(files[i], extra[i]) != 0) {
				fprintf(stderr, "podscope: --demo --fleet: %s: %s\n", files[i],
					strerror(errno));
				goto out;
			}
			args[5] = "--scenario";
			args[6] = files[i];
		}
		struct simlaunch_opts o = {.args = args, .timeout_ms = 15000};
		struct perr err = {0};
		sims[i] = simlaunch_start(&o, &err);
		if (!sims[i]) {
			fprintf(stderr, "podscope: --demo --fleet: %s: %s\n", names[i],
				perr_msg(&err));
			perr_clear(&err);
			goto out;
		}
		buf_printf(&kc, "%s%s", i ? ":" : "", simlaunch_kubeconfig(sims[i]));
	}
	buf_addc(&kc, '\0');
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		for (int i = 0; i < FLEET_N; i++)
			printf("context %s: podscope-sim answers at %s\n", names[i],
			       simlaunch_url(sims[i]));
		printf("No terminal: the dashboard needs one; the three podscope-sims stop now.\n");
		rc = 0;
		goto out;
	}
	/* The three files, merged as kubectl merges $KUBECONFIG. */
	setenv("KUBECONFIG", kc.data, 1);
	struct cli c = *cli;
	c.kc.kubeconfig = NULL;
	c.kc.context = NULL;
	c.kc.cluster = NULL;
	c.kc.user = NULL;
	if (!c.kc.namespace)
		c.kc.all_namespaces = true;
	char *list[FLEET_N + 1];
	for (int i = 0; i < FLEET_N; i++)
		list[i] = (char *)names[i];
	list[FLEET_N] = NULL;
	rc = dashboard_fleet(&c, list, FLEET_N, "demo --fleet: prod-eu, prod-us, staging");
out:
	for (int i = 0; i < FLEET_N; i++) {
		simlaunch_stop(sims[i]);
		if (files[i])
			unlink(files[i]);
		free(files[i]);
	}
	rmdir(dir);
	free(dir);
	buf_free(&kc);
	return rc;
}
