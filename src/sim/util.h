#ifndef PODSCOPE_SIM_UTIL_H
#define PODSCOPE_SIM_UTIL_H

#include <stddef.h>
#include <time.h>

#include "podscope/buf.h"

/* Small helpers the simulator's modules share. */

#define SIMUTIL_TIME_LEN 32

/* RFC 3339 in UTC, seconds precision: "2026-11-27T11:07:04Z". */
void simutil_rfc3339(time_t t, char out[SIMUTIL_TIME_LEN]);

/* Parse what simutil_rfc3339 writes (fractions allowed, Z only); -1 on error. */
time_t simutil_parse_rfc3339(const char *s);

/* Standard base64 with padding, or base64url without ("raw URL" encoding). */
void simutil_base64(struct buf *out, const void *data, size_t len);
void simutil_base64url(struct buf *out, const void *data, size_t len);

/* Decode base64url without padding; NULL on bad input. *len gets the size. */
char *simutil_unbase64url(const char *s, size_t *len);

/* A random RFC 4122 version 4 UUID, 36 characters plus NUL. */
void simutil_uuid(char out[37]);

#endif
