#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "podscope/buf.h"
#include "podscope/err.h"
#include "podscope/sanitize.h"
#include "podscope/xalloc.h"

/* The message, escaped whole: it carries names from kubeconfigs and text
 * from servers, and it ends on a terminal or in a log. Escaping is
 * idempotent, so a message made from another one is not escaped twice. */
static char *vfmt(const char *fmt, va_list ap)
{
	va_list aq;
	va_copy(aq, ap);
	int n = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	if (n < 0)
		n = 0;
	char *s = xmalloc((size_t)n + 1);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	char *clean = sanitize_dup(s);
	free(s);
	return clean;
}

void perr_set(struct perr *e, enum perr_kind kind, const char *fmt, ...)
{
	if (!e)
		return;
	va_list ap;
	va_start(ap, fmt);
	char *msg = vfmt(fmt, ap);
	va_end(ap);
	free(e->msg);
	e->msg = msg;
	e->kind = kind;
	e->http_status = 0;
}

void perr_prefix(struct perr *e, const char *fmt, ...)
{
	if (!e || e->kind == PERR_NONE)
		return;
	va_list ap;
	va_start(ap, fmt);
	char *pre = vfmt(fmt, ap);
	va_end(ap);
	char *msg = xasprintf("%s: %s", pre, perr_msg(e));
	free(pre);
	free(e->msg);
	e->msg = msg;
}

void perr_clear(struct perr *e)
{
	if (!e)
		return;
	free(e->msg);
	e->msg = NULL;
	e->kind = PERR_NONE;
	e->http_status = 0;
}

const char *perr_msg(const struct perr *e)
{
	return e && e->msg ? e->msg : "";
}

int perr_exit_status(const struct perr *e)
{
	if (!e || e->kind == PERR_NONE)
		return 0;
	if (e->kind == PERR_USAGE || e->kind == PERR_CONFIG)
		return 2;
	return 1;
}
