#ifndef PODSCOPE_SIM_RESOURCES_H
#define PODSCOPE_SIM_RESOURCES_H

#include <stdbool.h>
#include <stddef.h>

/*
 * The resources podscope-sim serves, one table that drives discovery,
 * routing, the store's per-resource indexes and the Table printers.
 * Adding a resource is adding a row.
 */

enum simverb {
	SIMVERB_GET = 1 << 0,
	SIMVERB_LIST = 1 << 1,
	SIMVERB_WATCH = 1 << 2,
	SIMVERB_CREATE = 1 << 3,
	SIMVERB_UPDATE = 1 << 4,
	SIMVERB_PATCH = 1 << 5,
	SIMVERB_DELETE = 1 << 6,
	SIMVERB_DELETECOLLECTION = 1 << 7,
};

#define SIMVERB_ALL 0xff

enum simsubres {
	SIMSUB_STATUS = 1 << 0,
	SIMSUB_SCALE = 1 << 1,
};

struct simres {
	int index;               /* position in the table, 0..simres_count()-1 */
	const char *plural;      /* "deployments" */
	const char *singular;    /* "deployment" */
	const char *kind;        /* "Deployment" */
	const char *list_kind;   /* "DeploymentList" */
	const char *group;       /* "" for the core group */
	const char *version;     /* "v1" */
	const char *api_version; /* "apps/v1" or "v1" */
	bool namespaced;
	bool has_generation;   /* metadata.generation is kept */
	unsigned verbs;        /* enum simverb */
	unsigned subresources; /* enum simsubres */
	const char *short_names[3];
	bool in_all; /* in the "all" category */
};

size_t simres_count(void);
const struct simres *simres_at(size_t i);

/* By group ("" for core), version and plural name; NULL if not served. */
const struct simres *simres_find(const char *group, const char *version, const char *plural);

/* By apiVersion ("apps/v1", "v1") and kind; NULL if not served. */
const struct simres *simres_by_kind(const char *api_version, const char *kind);

/* The API groups other than core, in discovery order, NULL-terminated. */
const char *const *simres_groups(void);

/* The verb names of a mask, in discovery order, NULL-terminated into out[9]. */
void simres_verb_names(unsigned verbs, const char *out[9]);

#endif
