#ifndef PODSCOPE_AUTH_H
#define PODSCOPE_AUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "podscope/err.h"

#include "kstatus.h"

/*
 * Internal to src/kube: the credentials a request carries, from the
 * kubeconfig's user (auth.c) and from exec credential plugins
 * (exec_plugin.c). Every string here may be a secret: never print one.
 */

struct kc_conn;
struct kc_exec;

/* Borrowed pointers, valid until the next kauth_get() or kauth_free(). */
struct kcreds {
	const char *token;               /* bearer token or NULL */
	const unsigned char *cert, *key; /* PEM client certificate and key, or NULL */
	size_t cert_len, key_len;
	const char *username, *password; /* basic auth, or NULL */
};

struct kauth;

/* Copies what it needs from conn. NULL + err when it cannot be used. */
struct kauth *kauth_new(const struct kc_conn *conn, struct perr *err);
void kauth_free(struct kauth *a);

/* The credentials for the next request. A token file is re-read when it
 * changed (inode, size or mtime). An exec plugin's credential must be there
 * (kauth_pending false): kauth_refresh_start runs the plugin on the loop. */
bool kauth_get(struct kauth *a, struct kcreds *out, struct perr *err);

/* The server said 401: forget what can be fetched again. True when fetching
 * again may give other credentials (an exec plugin), so one retry makes sense. */
bool kauth_invalidate(struct kauth *a);

enum kstatus_auth kauth_kind(const struct kauth *a);

/* The exec plugin of this auth, or NULL (for tests and diagnostics). */
struct kexec *kauth_exec(struct kauth *a);

/*
 * Without blocking (the client's way): kauth_pending says that kauth_get
 * would have to run the exec plugin first; kauth_refresh_start runs it on
 * the loop and calls done (err NULL: the credential is cached now) once.
 * A run already going on is joined (done replaces the earlier one). -1
 * with err when it cannot even start. kauth_refresh_cancel kills a run.
 */
struct ploop;
typedef void (*kexec_done_fn)(void *ud, const struct perr *err);
bool kauth_pending(struct kauth *a);
int kauth_refresh_start(struct kauth *a, struct ploop *loop, kexec_done_fn done, void *ud,
			struct perr *err);
void kauth_refresh_cancel(struct kauth *a);
/* The requests that waited for a run have their credential: from now on
 * kauth_pending checks its expiry again. */
void kauth_fresh_end(struct kauth *a);

/* --- exec credential plugins (client.authentication.k8s.io/v1, v1beta1) --- */

struct kexec;

/* cfg and the cluster fields of conn are copied. */
struct kexec *kexec_new(const struct kc_exec *cfg, const struct kc_conn *conn);
void kexec_free(struct kexec *x);

/* The cached credential; false with err when there is none (or it has
 * expired): kexec_refresh_start runs the plugin first (stdin is /dev/null,
 * stdout is the ExecCredential, stderr is kept for the error message). */
bool kexec_get(struct kexec *x, struct kcreds *out, struct perr *err);

/* The loop's way, as kauth_pending / kauth_refresh_start / _cancel. */
bool kexec_needs_run(struct kexec *x);
int kexec_refresh_start(struct kexec *x, struct ploop *loop, kexec_done_fn done, void *ud,
			struct perr *err);
void kexec_refresh_cancel(struct kexec *x);
void kexec_fresh_end(struct kexec *x);

/* Drop the cached credential: the next request runs the plugin again. */
void kexec_invalidate(struct kexec *x);

/* For tests: the plugin's time limit (default 60 s), and how often it ran. */
void kexec_set_timeout_ms(struct kexec *x, long ms);
unsigned kexec_runs(const struct kexec *x);

/* RFC 3339 ("2026-11-27T11:00:00Z", fractions and offsets allowed) to a
 * time_t. False when it is not one. */
bool kexec_parse_rfc3339(const char *s, time_t *out);

#endif
