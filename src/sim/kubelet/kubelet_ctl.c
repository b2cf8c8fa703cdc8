#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "podscope/xalloc.h"

#include "clock.h"
#include "kubelet_int.h"
#include "resources.h"
#include "sim.h"
#include "simobj.h"
#include "store.h"

/* What the control interface and scenarios can do to running containers,
 * and the registry of images that cannot be pulled. */

struct regent {
	char *image;
	bool missing;
};

struct simregistry {
	struct regent *e;
	size_t n;
};

void kregistry_free(struct sim *sim);
void kregistry_free(struct sim *sim)
{
	struct simregistry *r = sim->registry;
	if (!r)
		return;
	for (size_t i = 0; i < r->n; i++)
		free(r->e[i].image);
	free(r->e);
	free(r);
	sim->registry = NULL;
}

void simregistry_set_missing(struct sim *sim, const char *image, bool missing)
{
	if (!sim->registry)
		sim->registry = xcalloc(1, sizeof(struct simregistry));
	struct simregistry *r = sim->registry;
	for (size_t i = 0; i < r->n; i++) {
		if (strcmp(r->e[i].image, image) == 0) {
			r->e[i].missing = missing;
			return;
		}
	}
	r->e = xrealloc(r->e, (r->n + 1) * sizeof(*r->e));
	r->e[r->n].image = xstrdup(image);
	r->e[r->n].missing = missing;
	r->n++;
}

bool simregistry_is_missing(const struct sim *sim, const char *image)
{
	const struct simregistry *r = sim->registry;
	for (size_t i = 0; r && i < r->n; i++)
		if (strcmp(r->e[i].image, image) == 0)
			return r->e[i].missing;
	if (strstr(image, "does-not-exist"))
		return true;
	const char *last = strrchr(image, '/');
	const char *tag = strrchr(last ? last : image, ':');
	return tag && strcmp(tag, ":missing") == 0;
}

static struct kctr *find_ctr(struct sim *sim, const char *ns, const char *pod,
			     const char *container, struct kpod **kpp, struct perr *err)
{
	struct simkubelet *k = sim->kubelet;
	struct kpod *kp = k ? kpod_get(k, ns, pod) : NULL;
	if (!kp) {
		perr_set(err, PERR_USAGE, "pods \"%s\" not found (or not on a node)", pod);
		return NULL;
	}
	/* Catch up first, so the action lands on the container as it is now. */
	if (!kpod_sync(kp, simclock_now(&sim->clock))) {
		perr_set(err, PERR_USAGE, "pods \"%s\" not found", pod);
		return NULL;
	}
	*kpp = kp;
	if (!container && kp->n > kp->ninit)
		return &kp->c[kp->ninit];
	for (size_t i = 0; container && i < kp->n; i++)
		if (strcmp(kp->c[i].name, container) == 0)
			return &kp->c[i];
	perr_set(err, PERR_USAGE, "container %s is not valid for pod %s",
		 container ? container : "", pod);
	return NULL;
}

static int running(struct kctr *c, const char *pod, struct perr *err)
{
	if (c->phase == CP_RUNNING || c->phase == CP_POSTSTART)
		return 0;
	perr_set(err, PERR_API, "container %s in pod %s is not running", c->name, pod);
	return -1;
}

static void after(struct sim *sim, struct kpod *kp)
{
	if (kpod_sync(kp, simclock_now(&sim->clock)))
		kpod_arm(kp);
}

int kubelet_exec(struct sim *sim, const char *ns, const char *pod, const char *container,
		 const char *const *argv, struct perr *err)
{
	struct kpod *kp;
	struct kctr *c = find_ctr(sim, ns, pod, container, &kp, err);
	if (!c || running(c, pod, err) != 0)
		return -1;
	size_t argc = 0;
	while (argv && argv[argc])
		argc++;
	int64_t dur;
	char out[256];
	int rc = procsim_exec(argv, argc, c->fs, kworld(kp), 3600 * 1000, &dur, out, sizeof(out));
	if (procfs_generation(c->fs) != c->fs_gen) {
		c->fs_gen = procfs_generation(c->fs);
		kprobe_wake(c, simclock_now(&sim->clock));
	}
	after(sim, kp);
	return rc;
}

int kubelet_set_probe(struct sim *sim, const char *ns, const char *pod, const char *container,
		      const char *kind, bool broken, struct perr *err)
{
	struct kpod *kp;
	struct kctr *c = find_ctr(sim, ns, pod, container, &kp, err);
	if (!c)
		return -1;
	int i = strcmp(kind, "startup") == 0     ? KP_STARTUP
		: strcmp(kind, "readiness") == 0 ? KP_READINESS
		: strcmp(kind, "liveness") == 0  ? KP_LIVENESS
						 : -1;
	if (i < 0 || !c->probes[i].present) {
		perr_set(err, PERR_USAGE, "container %s of pod %s has no %s probe", c->name, pod,
			 kind);
		return -1;
	}
	c->probes[i].broken = broken;
	kprobe_wake(c, simclock_now(&sim->clock));
	after(sim, kp);
	return 0;
}

int kubelet_kill_container(struct sim *sim, const char *ns, const char *pod, const char *container,
			   int exit_code, struct perr *err)
{
	struct kpod *kp;
	struct kctr *c = find_ctr(sim, ns, pod, container, &kp, err);
	if (!c || running(c, pod, err) != 0)
		return -1;
	int64_t now = simclock_now(&sim->clock);
	kctr_exit(kp, c, now, exit_code & 0xff);
	kpod_write_status(kp, now); /* the exit shows before any restart */
	after(sim, kp);
	return 0;
}

/* The conditions the kubelet writes itself (kubetypes.PodConditionByKubelet):
 * a write of one of them would be overwritten on its next sync. */
static bool kubelet_owned(const char *type)
{
	static const char *const own[] = {"PodScheduled", "Ready", "Initialized", "ContainersReady",
					  "PodReadyToStartContainers"};
	for (size_t i = 0; i < sizeof(own) / sizeof(own[0]); i++)
		if (strcmp(type, own[i]) == 0)
			return true;
	return false;
}

/* A qualified name's characters and length (prefix/name), as condition types
 * are validated. */
static bool condition_type_ok(const char *t)
{
	size_t n = strlen(t);
	if (n == 0 || n > 253 + 1 + 63)
		return false;
	for (const char *p = t; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || strchr("-._/", *p)))
			return false;
	return true;
}

int kubelet_set_condition(struct sim *sim, const char *ns, const char *pod, const char *type,
			  const char *status, const char *reason, const char *message,
			  struct perr *err)
{
	const struct simres *res = simres_find("", "v1", "pods");
	struct simobj *o = simstore_get(sim->store, res, ns, pod);
	if (!o) {
		perr_set(err, PERR_USAGE, "pods \"%s\" not found", pod);
		return -1;
	}
	if (!type || !condition_type_ok(type) || kubelet_owned(type)) {
		perr_set(err, PERR_USAGE,
			 "condition type \"%.80s\": a qualified name that is not one of the "
			 "kubelet's own conditions is needed",
			 type ? type : "");
		return -1;
	}
	if (!status || (strcmp(status, "True") != 0 && strcmp(status, "False") != 0 &&
			strcmp(status, "Unknown") != 0)) {
		perr_set(err, PERR_USAGE,
			 "condition status \"%.80s\": one of True, False or Unknown is needed",
			 status ? status : "");
		return -1;
	}
	char when[40];
	simclock_format(simclock_now(&sim->clock), when, sizeof(when));
	cJSON *p = simobj_copy(o);
	cJSON *st = simjson_object(p, "status");
	cJSON *conds = cJSON_DetachItemFromObjectCaseSensitive(st, "conditions");
	if (!cJSON_IsArray(conds)) {
		cJSON_Delete(conds);
		conds = cJSON_CreateArray();
	}
	cJSON_AddItemToObject(st, "conditions", conds);
	cJSON *c, *found = NULL;
	cJSON_ArrayForEach(c, conds)
	{
		const char *t = simjson_string(c, "type");
		if (t && strcmp(t, type) == 0)
			found = c;
	}
	cJSON *nc = cJSON_CreateObject();
	cJSON_AddStringToObject(nc, "type", type);
	cJSON_AddStringToObject(nc, "status", status);
	cJSON_AddNullToObject(nc, "lastProbeTime");
	const char *old = found ? simjson_string(found, "status") : NULL;
	const char *since =
	    old && strcmp(old, status) == 0 ? simjson_string(found, "lastTransitionTime") : NULL;
	cJSON_AddStringToObject(nc, "lastTransitionTime", since ? since : when);
	if (reason && *reason)
		cJSON_AddStringToObject(nc, "reason", reason);
	if (message && *message)
		cJSON_AddStringToObject(nc, "message", message);
	if (found)
		cJSON_ReplaceItemViaPointer(conds, found, nc);
	else
		cJSON_AddItemToArray(conds, nc);
	/* Not the kubelet's own write: its listener marks the pod for a sync. */
	if (simstore_update(sim->store, res, p, 0, NULL) != SIMSTORE_OK) {
		perr_set(err, PERR_USAGE, "pods \"%s\" not found", pod);
		return -1;
	}
	return 0;
}
