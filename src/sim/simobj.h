#ifndef PODSCOPE_SIM_SIMOBJ_H
#define PODSCOPE_SIM_SIMOBJ_H

#include "store.h"

/* Inside the store (and its tests): making object versions, JSON helpers. */

/* A new version of json (taken) at rv: kind/apiVersion first,
 * metadata.resourceVersion set, serialised. One reference. */
struct simobj *simobj_new(const struct simres *res, cJSON *json, uint64_t rv);

/* A copy of o carrying another RV (a DELETED event's object). */
struct simobj *simobj_with_rv(const struct simobj *o, uint64_t rv);

/* Set or replace obj[key]. */
void simjson_set_string(cJSON *obj, const char *key, const char *value);
void simjson_set_number(cJSON *obj, const char *key, double value);
/* obj[key] if it is a string, else NULL. */
const char *simjson_string(const cJSON *obj, const char *key);
/* obj[key] as an object, made (or replacing a non-object) when needed. */
cJSON *simjson_object(cJSON *obj, const char *key);

#endif
