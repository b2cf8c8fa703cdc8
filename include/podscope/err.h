#ifndef PODSCOPE_ERR_H
#define PODSCOPE_ERR_H

/*
 * An error as a value: a class (what the caller may do about it) and one
 * human-readable message that says what went wrong and where. Messages never
 * contain secrets; whoever formats one must make sure of that. They are
 * escaped as they are made (sanitize.h), so no control or bidi character
 * from a server or a kubeconfig gets into one: a message is one line of
 * visible text, safe to print as it is.
 */

enum perr_kind {
	PERR_NONE = 0,
	PERR_USAGE,   /* bad flags or arguments: exit status 2 */
	PERR_CONFIG,  /* kubeconfig, theme or config file: exit status 2 */
	PERR_NETWORK, /* refused, DNS, TLS, timeout */
	PERR_API,     /* the API server answered with an error status */
	PERR_AUTH,    /* credentials missing, rejected, or a plugin failed */
	PERR_SYSTEM,  /* out of memory, a file or a process failed */
};

struct perr {
	enum perr_kind kind;
	long http_status; /* PERR_API: the HTTP status, else 0 */
	char *msg;        /* heap string, NULL when kind == PERR_NONE */
};

/* Set *e (freeing an earlier message), printf-style. A NULL e is allowed. */
void perr_set(struct perr *e, enum perr_kind kind, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Put "prefix: " in front of the current message. */
void perr_prefix(struct perr *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Forget the error and free its message. */
void perr_clear(struct perr *e);

/* The message, or "" when there is none. */
const char *perr_msg(const struct perr *e);

/* The exit status a command should end with for this error (0, 1 or 2). */
int perr_exit_status(const struct perr *e);

#endif
