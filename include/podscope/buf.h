#ifndef PODSCOPE_BUF_H
#define PODSCOPE_BUF_H

#include <stddef.h>

/*
 * A growable byte buffer, always NUL-terminated so that it can be used as a
 * string. Allocation failure aborts (see xalloc.h): podscope cannot do
 * anything useful once malloc fails.
 */
struct buf {
	char *data; /* NULL until something is added */
	size_t len;
	size_t cap;
};

#define BUF_INIT {NULL, 0, 0}

void buf_add(struct buf *b, const void *data, size_t len);
void buf_adds(struct buf *b, const char *s);
void buf_addc(struct buf *b, char c);
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Add s as a JSON string literal, quotes included, safe on a terminal
 * (sanitize_json_string: C1, DEL, bidi and invisible characters escaped,
 * invalid UTF-8 as \ufffd). NULL is "". */
void buf_add_json_string(struct buf *b, const char *s);
/* Drop the first n bytes (used to consume framed input). */
void buf_consume(struct buf *b, size_t n);
void buf_reset(struct buf *b);
/* Take the string out of the buffer; the buffer is left empty. Never NULL. */
char *buf_steal(struct buf *b);
/* Free, overwriting the bytes first when they may hold a secret. */
void buf_free(struct buf *b);
void buf_free_secret(struct buf *b);

#endif
