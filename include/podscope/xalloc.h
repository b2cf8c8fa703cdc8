#ifndef PODSCOPE_XALLOC_H
#define PODSCOPE_XALLOC_H

#include <stddef.h>

/* Allocation that never returns NULL: on failure it prints and aborts. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);           /* NULL in, NULL out */
char *xstrndup(const char *s, size_t n);
void *xmemdup(const void *p, size_t n); /* adds a NUL byte after the copy */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Overwrite then free memory that may hold a token, a key or a password. */
void free_secret(void *p, size_t n);
void free_secret_str(char *s);

#endif
