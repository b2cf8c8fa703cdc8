#include "config.h"

#include <stdint.h>
#include <stdlib.h>

#include "podscope/yamljson.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* YAML from anywhere (kubeconfigs, manifests, themes) goes through here;
 * the limits (aliases, nodes, depth) keep each input bounded in memory. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct perr err = {0};
	cJSON *docs = yamljson_parse_all("fuzz", (const char *)data, size, &err);
	if (docs) {
		char *s = cJSON_PrintUnformatted(docs);
		free(s);
		cJSON_Delete(docs);
	}
	/* The strict reader (config, themes) sorts and refuses differently. */
	cJSON *one = yamljson_parse_unique("fuzz", (const char *)data, size, &err);
	cJSON_Delete(one);
	perr_clear(&err);
	return 0;
}
