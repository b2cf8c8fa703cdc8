#ifndef PODSCOPE_SIM_SCENARIO_H
#define PODSCOPE_SIM_SCENARIO_H

#include <cjson/cJSON.h>

#include "podscope/err.h"

#include "store.h"

/*
 * What the cluster holds at start. simscen_seed makes what every cluster
 * has (the namespaces default, kube-system, kube-public, kube-node-lease and
 * `nodes` Nodes). simscen_load adds a scenario: a built-in name, or a YAML
 * file of one or more documents (kind: List items are unpacked). A file is
 * checked completely before anything is stored, so a bad file leaves the
 * store as it was; errors name FILE:LINE:COLUMN (YAML) or FILE: document N.
 */

void simscen_seed(struct simstore *st, int nodes);

/* 0, or -1 with err set (PERR_CONFIG). */
int simscen_load(struct simstore *st, const char *name_or_file, struct perr *err);

/* Store the objects of docs (an array of documents, as yamljson_parse_all
 * returns); name labels errors. 0, or -1 with err set. */
int simscen_apply(struct simstore *st, const cJSON *docs, const char *name, struct perr *err);

#endif
