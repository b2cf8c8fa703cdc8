#include "config.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "podscope/buf.h"
#include "podscope/sanitize.h"

#include "cmd_print.h"

/* The column before every line on stdout (cmd_line_prefix), and where the
 * next byte written falls: at a line's start or not. */
static struct {
	const char *line, *head;
	size_t line_len, head_len;
	bool mid;       /* the last byte written was not a newline */
	bool next_head; /* the next line is a table's header */
} pre;

/* The column for the line about to begin, and that it has begun. */
static const char *lead(size_t *len)
{
	const char *c = pre.next_head ? pre.head : pre.line;
	*len = pre.next_head ? pre.head_len : pre.line_len;
	pre.next_head = false;
	pre.mid = true;
	return c;
}

static void emit(FILE *f, const char *s, size_t n)
{
	if (!pre.line || f != stdout) {
		fwrite(s, 1, n, f);
		return;
	}
	while (n) {
		if (!pre.mid) {
			size_t len;
			const char *c = lead(&len);
			fwrite(c, 1, len, f);
		}
		const char *nl = memchr(s, '\n', n);
		size_t k = nl ? (size_t)(nl - s) + 1 : n;
		fwrite(s, 1, k, f);
		pre.mid = !nl;
		s += k;
		n -= k;
	}
}

void cmd_line_prefix(const char *line, const char *head)
{
	if (pre.line && pre.mid)
		fputc('\n', stdout); /* the last line had no newline of its own */
	pre.line = line;
	pre.head = head ? head : line;
	pre.line_len = line ? strlen(line) : 0;
	pre.head_len = pre.head ? strlen(pre.head) : 0;
	pre.mid = false;
	pre.next_head = false;
}

void cmd_line_head(void)
{
	pre.next_head = pre.line != NULL;
}

void cmd_puts(FILE *f, const char *s)
{
	emit(f, s, strlen(s));
}

void cmd_printf(FILE *f, const char *fmt, ...)
{
	/* One buffer for every call: no allocation for each of 20,000 pods.
	 * (The headless commands print from one thread.) */
	static struct buf b = BUF_INIT;
	buf_reset(&b);
	/* A line that begins here takes its column in the same write. */
	if (pre.line && f == stdout && !pre.mid) {
		size_t len;
		const char *c = lead(&len);
		buf_add(&b, c, len);
	}
	va_list ap;
	va_start(ap, fmt);
	sanitize_vprintf(&b, fmt, ap);
	va_end(ap);
	emit(f, b.data, b.len);
	if (b.cap > 1 << 16)
		buf_free(&b); /* a long line's space is not kept */
}
