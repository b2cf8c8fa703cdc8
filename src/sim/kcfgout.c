#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "podscope/buf.h"
#include "podscope/xalloc.h"

#include "kcfgout.h"
#include "util.h"

static void add_b64(struct buf *b, const char *key, const char *pem)
{
	buf_printf(b, "    %s: ", key);
	simutil_base64(b, pem, strlen(pem));
	buf_addc(b, '\n');
}

/* name NULL: cluster podscope-sim, users and contexts sim-admin,
 * sim-readonly, sim-deployer; else cluster and users NAME, NAME-readonly,
 * NAME-deployer and contexts the same (current NAME), so that several
 * sims' files merge (KUBECONFIG=a:b:c). */
static void render(struct buf *b, const char *name, const char *server_url,
                   const struct simauth *a)
{
	const struct simcerts *c = simauth_certs(a);
	const char *cl = name ? name : "podscope-sim";
	char u[3][80];
	const char *suffix[] = {"admin", "readonly", "deployer"};
	for (int i = 0; i < 3; i++) {
		if (!name)
			snprintf(u[i], sizeof(u[i]), "sim-%s", suffix[i]);
		else
			snprintf(u[i], sizeof(u[i]), "%s%s%s", name, i ? "-" : "", i ? suffix[i] : "");
	}

	buf_printf(b, "apiVersion: v1\nkind: Config\nclusters:\n- name: %s\n  cluster:\n", cl);
	buf_printf(b, "    server: %s\n", server_url);
	if (c)
		add_b64(b, "certificate-authority-data", c->ca_pem);
	buf_printf(b, "users:\n- name: %s\n  user:\n", u[0]);
	if (c) {
		add_b64(b, "client-certificate-data", c->client_cert_pem);
		add_b64(b, "client-key-data", c->client_key_pem);
	} else {
		buf_printf(b, "    token: %s\n", simauth_token(a, SIMUSER_ADMIN));
	}
	buf_printf(b, "- name: %s\n  user:\n", u[1]);
	buf_printf(b, "    token: %s\n", simauth_token(a, SIMUSER_READONLY));
	buf_printf(b, "- name: %s\n  user:\n", u[2]);
	buf_printf(b, "    token: %s\n", simauth_token(a, SIMUSER_DEPLOYER));
	buf_adds(b, "contexts:\n");
	for (int i = 0; i < 3; i++)
		buf_printf(b,
		           "- name: %s\n  context:\n    cluster: %s\n    user: %s\n"
		           "    namespace: default\n",
		           u[i], cl, u[i]);
	buf_printf(b, "current-context: %s\npreferences: {}\n", u[0]);
}

int kcfgout_write(const char *path, const char *name, const char *server_url,
                  const struct simauth *a, struct perr *err)
{
	struct buf b = BUF_INIT;
	render(&b, name, server_url, a);

	char *tmp = xasprintf("%s.XXXXXX", path);
	int fd = mkstemp(tmp); /* mode 0600 */
	int rc = -1;
	if (fd < 0) {
		perr_set(err, PERR_SYSTEM, "%s: %s", path, strerror(errno));
		goto out;
	}
	size_t off = 0;
	while (off < b.len) {
		ssize_t w = write(fd, b.data + off, b.len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		off += (size_t)w;
	}
	if (off != b.len || fchmod(fd, 0600) != 0 || fsync(fd) != 0) {
		perr_set(err, PERR_SYSTEM, "%s: %s", tmp, strerror(errno));
		close(fd);
		unlink(tmp);
		goto out;
	}
	close(fd);
	if (rename(tmp, path) != 0) {
		perr_set(err, PERR_SYSTEM, "%s: %s", path, strerror(errno));
		unlink(tmp);
		goto out;
	}
	rc = 0;
out:
	free(tmp);
	buf_free_secret(&b);
	return rc;
}
