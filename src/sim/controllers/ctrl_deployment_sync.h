#ifndef PODSCOPE_SIM_CTRL_DEPLOYMENT_SYNC_H
#define PODSCOPE_SIM_CTRL_DEPLOYMENT_SYNC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "ctrl_deployment_int.h"
#include "ctrl_deployment_logic.h"
#include "events.h"

/* One deployment sync in progress (ctrl_deployment.c, ctrl_deployment_rs.c). */

struct rsinfo {
	char *name; /* owned; rs[i].name points here */
	char uid[64];
	char desired[16]; /* rs[i].desired_annot points here when present */
	char max[16];
	bool tmatch; /* its template equals the deployment's, ignoring the hash */
};

struct dsync {
	struct ctrlapps *c;
	const char *key;
	char ns[256], name[256];
	const char *uid;        /* in dj */
	cJSON *dj;              /* the deployment as last written (a private copy) */
	struct dl_deployment d; /* decoded at load; its spec does not change in a sync */
	struct dl_status st;    /* the deployment's status as last written */
	int32_t rhl;            /* revisionHistoryLimit, -1 when unset */
	int64_t now;
	struct dl_rs *rs;
	struct rsinfo *ri;
	size_t n, cap;
	size_t nw; /* the new RS or DL_NONE */
};

extern const struct simevent_source dsync_src;

/* Append a stored RS to s->rs / s->ri (room is made at load). */
void dsync_add_rs(struct dsync *s, const struct simobj *r);
/* getAllReplicaSetsAndSyncRevision: the new RS (created when create and
 * missing), or DL_NONE. */
size_t dsync_get_all(struct dsync *s, bool create);
/* Apply the scaling ops (writes and ScalingReplicaSet events), in order. */
void dsync_apply(struct dsync *s, const struct dl_ops *ops);
/* UpdateStatus: write s->dj with s->st (and whatever dj's metadata says). */
void dsync_write_dep(struct dsync *s);
/* The legacy deprecated.deployment.rollback.to path. */
void dsync_rollback(struct dsync *s);
size_t dsync_find_new(const struct dsync *s);

#endif
