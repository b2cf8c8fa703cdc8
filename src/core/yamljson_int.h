#ifndef PODSCOPE_YAMLJSON_INT_H
#define PODSCOPE_YAMLJSON_INT_H

/* Shared by src/core/yaml*.c only. */

#include <cjson/cJSON.h>
#include <yaml.h>

/* A scalar event as the JSON value Kubernetes would read from it. */
cJSON *yamljson_scalar(const yaml_event_t *ev);

#endif
