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

static void render(struct buf *b, const char *server_url, const struct simauth *a)
{
	const struct simcerts *c = simauth_certs(a);

	buf_adds(b, "apiVersion: v1\nkind: Config\nclusters:\n- name: podscope-sim\n  cluster:\n");
	buf_printf(b, "    server: %s\n", server_url);
	if (c)
		add_b64(b, "certificate-authority-data", c->ca_pem);
	buf_adds(b, "users:\n- name: sim-admin\n  user:\n");
	if (c) {
		add_b64(b, "client-certificate-data", c->client_cert_pem);
		add_b64(b, "client-key-data", c->client_key_pem);
	} else {
		buf_printf(b, "    token: %s\n", simauth_token(a, SIMUSER_ADMIN));
	}
	buf_adds(b, "- name: sim-readonly\n  user:\n");
	buf_printf(b, "    token: %s\n", simauth_token(a, SIMUSER_READONLY));
	buf_adds(b, "- name: sim-deployer\n  user:\n");
	buf_printf(b, "    token: %s\n", simauth_token(a, SIMUSER_DEPLOYER));
	buf_adds(b, "contexts:\n");
	const char *users[] = {"sim-admin", "sim-readonly", "sim-deployer"};
	for (int i = 0; i < 3; i++)
		buf_printf(b,
		           "- name: %s\n  context:\n    cluster: podscope-sim\n    user: %s\n"
		           "    namespace: default\n",
		           users[i], users[i]);
	buf_adds(b, "current-context: sim-admin\npreferences: {}\n");
}

int kcfgout_write(const char *path, const char *server_url, const struct simauth *a,
                  struct perr *err)
{
	struct buf b = BUF_INIT;
	render(&b, server_url, a);

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
