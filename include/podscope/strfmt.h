#ifndef PODSCOPE_STRFMT_H
#define PODSCOPE_STRFMT_H

#include <stddef.h>

/*
 * A string built in a fixed array without printf: the cells that get and
 * the dashboard format for every pod (READY "1/1", RESTARTS, AGE "5m10s")
 * at a tenth of snprintf's cost. Like snprintf it truncates and, when the
 * array has room for anything, always ends it with a NUL. Text only of our
 * own or already checked: nothing is escaped here.
 */
struct strfmt {
	char *buf;
	size_t cap; /* the array's size */
	size_t len; /* what is written, short of truncation */
};

void strfmt_init(struct strfmt *f, char *buf, size_t cap);
void strfmt_str(struct strfmt *f, const char *s);
void strfmt_char(struct strfmt *f, char c);
void strfmt_int(struct strfmt *f, long long v);

#endif
