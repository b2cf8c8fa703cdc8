#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "podscope/buf.h"
#include "podscope/kfile.h"
#include "podscope/kubeconfig.h"
#include "podscope/xalloc.h"

#include "auth.h"

/* A token file is limited to this size: a projected token is ~1 KiB. */
#define TOKEN_FILE_MAX (64u * 1024)

struct kauth {
	enum kc_auth kind;
	char *token;
	unsigned char *cert, *key;
	size_t cert_len, key_len;
	char *username, *password;

	/* token file, re-read when its identity changes */
	char *token_file;
	char *file_token;
	bool file_seen;
	dev_t dev;
	ino_t ino;
	off_t size;
	struct timespec mtime;

	struct kexec *exec;
};

static unsigned char *dup_bytes(const unsigned char *p, size_t n)
{
	return p && n ? xmemdup(p, n) : NULL;
}

struct kauth *kauth_new(const struct kc_conn *conn, struct perr *err)
{
	struct kauth *a = xcalloc(1, sizeof(*a));
	a->kind = conn->auth;
	/* Everything the kubeconfig gives is used, as client-go does: a client
	 * certificate and a token may go together. */
	a->token = conn->token && *conn->token ? xstrdup(conn->token) : NULL;
	if (conn->cert_data && conn->key_data) {
		a->cert = dup_bytes(conn->cert_data, conn->cert_len);
		a->cert_len = conn->cert_len;
		a->key = dup_bytes(conn->key_data, conn->key_len);
		a->key_len = conn->key_len;
	}
	if (conn->username) {
		a->username = xstrdup(conn->username);
		a->password = xstrdup(conn->password ? conn->password : "");
	}
	/* client-go reads the token file first and falls back to a static
	 * token only when the file cannot be read. */
	if (conn->token_file)
		a->token_file = xstrdup(conn->token_file);
	if (conn->exec) {
		if (!conn->exec->command || !*conn->exec->command) {
			perr_set(err, PERR_CONFIG, "user \"%s\": exec has no command",
				 conn->user_name ? conn->user_name : "");
			kauth_free(a);
			return NULL;
		}
		a->exec = kexec_new(conn->exec, conn);
	}
	return a;
}

void kauth_free(struct kauth *a)
{
	if (!a)
		return;
	free_secret_str(a->token);
	free_secret(a->cert, a->cert_len);
	free_secret(a->key, a->key_len);
	free(a->username);
	free_secret_str(a->password);
	free(a->token_file);
	free_secret_str(a->file_token);
	kexec_free(a->exec);
	free(a);
}

static bool same_file(const struct kauth *a, const struct stat *st)
{
	return a->file_seen && a->dev == st->st_dev && a->ino == st->st_ino &&
	       a->size == st->st_size && a->mtime.tv_sec == st->st_mtim.tv_sec &&
	       a->mtime.tv_nsec == st->st_mtim.tv_nsec;
}

/* Re-read the token file when it is not the one read last time: projected
 * service-account tokens are replaced (a new inode) before they expire. */
static bool refresh_token_file(struct kauth *a, struct perr *err)
{
	struct stat st;
	bool seen = stat(a->token_file, &st) == 0;
	if (seen && same_file(a, &st) && a->file_token)
		return true;
	/* The one file reader: a FIFO or a device is refused, not waited on. */
	size_t len = 0;
	struct perr why = {0};
	char *text = kfile_read(a->token_file, TOKEN_FILE_MAX, &len, &why, "the token file %s",
				a->token_file);
	if (!text) {
		perr_set(err, PERR_AUTH, "%s", perr_msg(&why));
		perr_clear(&why);
		return false;
	}
	if (!seen && stat(a->token_file, &st) != 0)
		memset(&st, 0, sizeof(st));
	struct buf b = {.data = text, .len = len, .cap = len + 1};
	/* client-go trims surrounding white space */
	size_t s = 0, e = b.len;
	while (s < e && isspace((unsigned char)b.data[s]))
		s++;
	while (e > s && isspace((unsigned char)b.data[e - 1]))
		e--;
	if (s == e) {
		perr_set(err, PERR_AUTH, "the token file %s is empty", a->token_file);
		buf_free_secret(&b);
		return false;
	}
	free_secret_str(a->file_token);
	a->file_token = xmemdup(b.data + s, e - s);
	buf_free_secret(&b);
	a->file_seen = true;
	a->dev = st.st_dev;
	a->ino = st.st_ino;
	a->size = st.st_size;
	a->mtime = st.st_mtim;
	return true;
}

bool kauth_get(struct kauth *a, struct kcreds *out, struct perr *err)
{
	*out = (struct kcreds){0};
	out->token = a->token;
	out->cert = a->cert;
	out->cert_len = a->cert_len;
	out->key = a->key;
	out->key_len = a->key_len;
	out->username = a->username;
	out->password = a->password;
	if (a->token_file) {
		if (refresh_token_file(a, err))
			out->token = a->file_token;
		else if (a->token)
			perr_clear(err);
		else
			return false;
	}
	if (a->exec) {
		struct kcreds ex = {0};
		if (!kexec_get(a->exec, &ex, err))
			return false;
		if (ex.token)
			out->token = ex.token;
		if (ex.cert) {
			out->cert = ex.cert;
			out->cert_len = ex.cert_len;
			out->key = ex.key;
			out->key_len = ex.key_len;
		}
	}
	return true;
}

bool kauth_invalidate(struct kauth *a)
{
	if (a->token_file)
		a->file_seen = false;
	if (a->exec) {
		kexec_invalidate(a->exec);
		return true;
	}
	return false;
}

enum kstatus_auth kauth_kind(const struct kauth *a)
{
	switch (a->kind) {
	case KC_AUTH_NONE:
		return KSTATUS_AUTH_NONE;
	case KC_AUTH_TOKEN:
		return KSTATUS_AUTH_TOKEN;
	case KC_AUTH_TOKEN_FILE:
	case KC_AUTH_INCLUSTER:
		return KSTATUS_AUTH_TOKEN_FILE;
	case KC_AUTH_CLIENT_CERT:
		return KSTATUS_AUTH_CERT;
	case KC_AUTH_BASIC:
		return KSTATUS_AUTH_BASIC;
	case KC_AUTH_EXEC:
		return KSTATUS_AUTH_EXEC;
	}
	return KSTATUS_AUTH_UNKNOWN;
}

bool kauth_pending(struct kauth *a)
{
	return a->exec && kexec_needs_run(a->exec);
}

int kauth_refresh_start(struct kauth *a, struct ploop *loop, kexec_done_fn done, void *ud,
			struct perr *err)
{
	return kexec_refresh_start(a->exec, loop, done, ud, err);
}

void kauth_refresh_cancel(struct kauth *a)
{
	if (a->exec)
		kexec_refresh_cancel(a->exec);
}

void kauth_fresh_end(struct kauth *a)
{
	if (a->exec)
		kexec_fresh_end(a->exec);
}

struct kexec *kauth_exec(struct kauth *a)
{
	return a->exec;
}
