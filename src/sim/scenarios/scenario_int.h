#ifndef PODSCOPE_SIM_SCENARIO_INT_H
#define PODSCOPE_SIM_SCENARIO_INT_H

#include <stdbool.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "podscope/err.h"

#include "resources.h"
#include "store.h"

/*
 * Inside the scenario modules: steps (what scenarios and the control
 * interface ask for), scripts (a scenario's timed steps) and the runner.
 */

struct sim;
struct evtimer;

enum simact {
	SIMACT_SET_IMAGE,
	SIMACT_SCALE,
	SIMACT_RESTART,
	SIMACT_PAUSE,
	SIMACT_RESUME,
	SIMACT_PATCH,
	SIMACT_CREATE,
	SIMACT_DELETE,
	SIMACT_SWITCH_SELECTOR,
	SIMACT_EXEC,
	SIMACT_BREAK_PROBE,
	SIMACT_HEAL_PROBE,
	SIMACT_KILL,
	SIMACT_MARK_IMAGE_MISSING,
	SIMACT_CHURN,
	SIMACT_SET_CONDITION,
	SIMACT_NODE_NOT_READY,
	SIMACT_NODE_READY,
	SIMACT_DRAIN,
};

/* One checked step. spec is the step's own JSON (owned); res/ns/name its target. */
struct simstep {
	enum simact act;
	int64_t after_ms;
	cJSON *spec;
	const struct simres *res; /* NULL for steps without a target */
	char *ns;
	char *name;
};

/* Where a check failed: a path inside the step ("image", "patch") and why. */
struct steperr {
	char path[128];
	char msg[256];
	bool key; /* the error is about the key at path (an unknown field) */
};

/*
 * Check one step object and fill *out (free with simstep_clear). ns is the
 * namespace for a step that names none. 0, or -1 with *e filled.
 */
int simstep_parse(const cJSON *j, const char *ns, struct simstep *out, struct steperr *e);
void simstep_clear(struct simstep *s);
/* "set-image", ... */
const char *simstep_action_name(enum simact a);
/* A short description for logs: "set-image deployments/web nginx=nginx:1.27". */
char *simstep_describe(const struct simstep *s);

/*
 * Do a step now. 0, or -1 with err set: PERR_API with http_status 404 (no
 * such object), 409 or 422 (the change is invalid), 501 (an action this
 * build cannot do yet).
 */
int simstep_run(struct sim *sim, const struct simstep *s, struct perr *err);

/* The steps that act inside containers or on the image registry (the kubelet's). */
int simstep_run_kubelet(struct sim *sim, const struct simstep *s, struct perr *err);

/* The steps on nodes: NotReady and Ready again, one pass of a drain
 * (scenario_node.c). */
int simstep_run_node(struct sim *sim, const struct simstep *s, struct perr *err);

/* A scenario's timed part. */
struct simscript {
	char *name;
	char *description;
	bool repeat;
	struct simstep *steps;
	size_t n;
};

void simscript_free(struct simscript *s);

/* The `load:` part of a Scenario document (0: none); the sets come from the
 * command line only. */
struct simload {
	int deployments;
	int pods;
	int statefulsets; /* sharing pods with the Deployments */
	int daemonsets;   /* a pod on every node each */
};

/* Whether doc is a `kind: Scenario` document. */
bool simscen_is_scenario_doc(const cJSON *doc);

/*
 * Check a Scenario document and make its script (NULL with *e filled, its
 * path relative to the document). name is the scenario's name when the
 * document has no metadata.name.
 */
struct simscript *simscen_parse_script(const cJSON *doc, const char *name, struct simload *load,
				       struct steperr *e);

/* Make namespace ns unless it exists. */
void simscen_ensure_namespace(struct simstore *st, const char *ns);

/* The YAML text of a built-in scenario, or NULL. */
const char *simscen_builtin_yaml(const char *name);

/* Hand a script to the runner (taken). Runs at simscen_start, or at once when started. */
void simscen_add_script(struct sim *sim, struct simscript *s);

/* The `load` scenario's objects: deployments x pods (total), created ready. */
int simscen_make_load(struct sim *sim, const struct simload *l, struct perr *err);

/* Store a new object after the API server's defaulting and validation (create steps). */
int simscen_create_object(struct sim *sim, cJSON *obj, struct perr *err);

/* The built-in scenarios, compiled from doc/scenarios/ (scenarios_builtin.c, generated). */
struct simscen_builtin {
	const char *name;
	const char *yaml;
};
extern const struct simscen_builtin simscen_builtins[];
extern const unsigned simscen_nbuiltins;

#endif
