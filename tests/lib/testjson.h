#ifndef PODSCOPE_TESTJSON_H
#define PODSCOPE_TESTJSON_H

/* JSON for the tests' assertions (prefix tj_). */

#include <cjson/cJSON.h>

/* A value by dotted path, where a number indexes an array
 * ("status.containerStatuses.0.ready"); NULL when absent. */
const cJSON *tj_get(const cJSON *j, const char *path);

#endif
