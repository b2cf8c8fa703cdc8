#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testjson.h"

const cJSON *tj_get(const cJSON *j, const char *path)
{
	char buf[512];
	if (snprintf(buf, sizeof(buf), "%s", path) >= (int)sizeof(buf))
		return NULL;
	char *save = NULL;
	for (char *t = strtok_r(buf, ".", &save); t && j; t = strtok_r(NULL, ".", &save)) {
		if (cJSON_IsArray(j) && t[0] >= '0' && t[0] <= '9')
			j = cJSON_GetArrayItem(j, atoi(t));
		else
			j = cJSON_GetObjectItemCaseSensitive(j, t);
	}
	return j;
}
