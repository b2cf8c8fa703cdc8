#ifndef PODSCOPE_SIM_SCENARIO_H
#define PODSCOPE_SIM_SCENARIO_H

#include <stddef.h>
#include <stdio.h>

#include <cjson/cJSON.h>

#include "podscope/err.h"

#include "store.h"

/*
 * What the cluster holds at start, and what happens to it later.
 *
 * simscen_seed makes what every cluster has (the namespaces default,
 * kube-system, kube-public and kube-node-lease, and `nodes` Nodes).
 * simscen_load adds a scenario: a built-in name (the files of doc/scenarios/,
 * compiled in) or a YAML file of one or more documents: Kubernetes objects
 * (kind: List items are unpacked) and at most one `kind: Scenario` document
 * (apiVersion sim.podscope.dev/v1) with timed steps; see podscope-sim(1).
 * A file is checked completely before anything is stored, so a bad file
 * leaves the store as it was; errors name FILE:LINE:COLUMN.
 */

struct sim;

void simscen_seed(struct simstore *st, int nodes);

/* 0, or -1 with err set (PERR_CONFIG). Steps start running at simscen_start. */
int simscen_load(struct sim *sim, const char *name_or_file, struct perr *err);

/* Store the objects of docs (an array of documents, as yamljson_parse_all
 * returns); name labels errors. 0, or -1 with err set. */
int simscen_apply(struct simstore *st, const cJSON *docs, const char *name, struct perr *err);

/* The runner, a row of controllers.c: arms the loaded scenarios' steps. */
int simscen_start(struct sim *sim);
/* Cancels every step and frees the runner (safe when never started). */
void simscen_stop(struct sim *sim);

/* Re-arm every step timer after simclock_advance (tests). */
void simscen_poke(struct sim *sim);

/*
 * Run steps from the control interface: one step object, or an object with
 * "steps": [...]. Steps without `after` run at once, in order; the others are
 * timed from now. All are checked first. 0, or -1 with err (PERR_USAGE for a
 * bad step: HTTP 400; PERR_API with its http_status when a step failed).
 */
int simscen_control(struct sim *sim, const cJSON *body, struct perr *err);

/* The built-in scenarios and their running state as JSON (the control interface). */
cJSON *simscen_list_json(const struct sim *sim);

/* Print "NAME<TAB>DESCRIPTION" for each built-in scenario (--list-scenarios). */
void simscen_print_builtins(FILE *f);

/* The names of the built-in scenarios, comma-separated (usage and errors). */
const char *simscen_builtin_names(void);

#endif
