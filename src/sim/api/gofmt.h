#ifndef PODSCOPE_SIM_GOFMT_H
#define PODSCOPE_SIM_GOFMT_H

#include <stddef.h>

#include <cjson/cJSON.h>

/* Go's strconv.FormatFloat(d, 'g', -1, 64), as fmt's %v prints a float64. */
void gofmt_float(double d, char *out, size_t n);

/* Go's fmt "%+v" of a decoded JSON value ("map[spec:map[replicas:1.5]]"),
 * as the patch handler shows a strategic merge patch in its errors; a heap
 * string (free it). */
char *gofmt_value(const cJSON *v);

#endif
