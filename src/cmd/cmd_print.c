#include "config.h"

#include <stdarg.h>
#include <stdio.h>

#include "podscope/buf.h"
#include "podscope/sanitize.h"

#include "cmd_print.h"

void cmd_printf(FILE *f, const char *fmt, ...)
{
	struct buf b = BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	sanitize_vprintf(&b, fmt, ap);
	va_end(ap);
	fwrite(b.data, 1, b.len, f);
	buf_free(&b);
}
