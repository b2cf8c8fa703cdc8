#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "podscope/xalloc.h"

#include "ctrl_daemonset_int.h"
#include "sim.h"
#include "simobj.h"

/*
 * The DaemonSet's ControllerRevisions (update.go's constructHistory,
 * snapshot, dedupCurHistories and cleanupHistory) over the generic
 * ctrl_history.c: the data is getPatch's template, the name DS-HASH and
 * the pods carry HASH in their controller-revision-hash label.
 */

static const char *hash_of(const cJSON *cr)
{
	const char *h = cj_str(cj_path(cr, "metadata", "labels", NULL), DS_HASH_LABEL);
	return h ? h : "";
}

/* Match: the revision's data is getPatch(ds), byte for byte. */
static bool matches(const cJSON *cr, const char *raw)
{
	char *data = simhist_go_json(cJSON_GetObjectItemCaseSensitive(cr, "data"));
	bool eq = strcmp(data, raw) == 0;
	free(data);
	return eq;
}

static cJSON *store_cr(struct dssync *s, cJSON *cr)
{
	struct simobj *made = NULL;
	if (simstore_update(s->c->sim->store, s->c->crs, cr, 0, &made) == SIMSTORE_OK && made)
		return cJSON_Duplicate(made->json, 1);
	return NULL;
}

/* snapshot: NULL after a name collision (the count is bumped in status). */
static cJSON *snapshot(struct dssync *s, const char *raw, int64_t revision)
{
	struct dsctl *c = s->c;
	const cJSON *cc = cj_path(s->ds, "status", "collisionCount", NULL);
	int32_t count = cJSON_IsNumber(cc) ? (int32_t)cc->valuedouble : 0;
	char hash[SIMHIST_HASH_LEN];
	simhist_hash(raw, strlen(raw), cc ? &count : NULL, hash);
	char *name = simhist_name(s->name, hash);
	const struct simobj *ex = simstore_get(c->sim->store, c->crs, s->ns, name);
	if (ex) {
		free(name);
		if (matches(ex->json, raw))
			return cJSON_Duplicate(ex->json, 1);
		/* A name collision: the next hash takes the bumped count. */
		const struct simobj *o = simstore_get(c->sim->store, c->sets, s->ns, s->name);
		if (o) {
			cJSON *obj = simobj_copy(o);
			cj_set_int(simjson_object(obj, "status"), "collisionCount", count + 1);
			simstore_update(c->sim->store, c->sets, obj, 0, NULL);
		}
		return NULL;
	}
	cJSON *cr = cJSON_CreateObject();
	cJSON_AddStringToObject(cr, "apiVersion", "apps/v1");
	cJSON_AddStringToObject(cr, "kind", "ControllerRevision");
	cJSON *md = cJSON_AddObjectToObject(cr, "metadata");
	cJSON_AddStringToObject(md, "name", name);
	cJSON_AddStringToObject(md, "namespace", s->ns);
	free(name);
	const cJSON *tl = cj_path(s->spec, "template", "metadata", "labels", NULL);
	cJSON *labels = tl ? cJSON_Duplicate(tl, 1) : cJSON_CreateObject();
	cJSON_AddItemToObject(md, "labels", labels);
	simjson_set_string(labels, DS_HASH_LABEL, hash);
	const cJSON *ann = cj_path(s->ds, "metadata", "annotations", NULL);
	if (cJSON_GetArraySize(ann))
		cJSON_AddItemToObject(md, "annotations", cJSON_Duplicate(ann, 1));
	cJSON_AddItemToArray(cJSON_AddArrayToObject(md, "ownerReferences"),
			     dspod_controller_ref(s));
	cJSON_AddItemToObject(cr, "data", cJSON_Parse(raw));
	cJSON_AddNumberToObject(cr, "revision", (double)revision);
	struct simobj *made = NULL;
	if (simstore_create(c->sim->store, c->crs, cr, &made) != SIMSTORE_OK || !made)
		return NULL;
	return cJSON_Duplicate(made->json, 1);
}

/* dedupCurHistories: keep the highest revision, move the pods to its hash,
 * delete the others. */
static cJSON *dedup(struct dssync *s, cJSON **cur, size_t n)
{
	size_t keep = 0;
	for (size_t i = 0; i < n; i++)
		if (cj_int(cur[i], "revision", 0) >= cj_int(cur[keep], "revision", 0))
			keep = i;
	for (size_t i = 0; i < n; i++) {
		if (i == keep)
			continue;
		for (size_t k = 0; k < s->npods; k++) {
			const char *h =
			    cj_str(cj_path(s->pods[k], "metadata", "labels", NULL), DS_HASH_LABEL);
			if (h && strcmp(h, hash_of(cur[keep])) == 0)
				continue;
			cJSON *p = cJSON_Duplicate(s->pods[k], 1);
			simjson_set_string(simjson_object(simjson_object(p, "metadata"), "labels"),
					   DS_HASH_LABEL, hash_of(cur[keep]));
			simstore_update(s->c->sim->store, s->c->pods, p, 0, NULL);
		}
		simstore_delete(s->c->sim->store, s->c->crs, s->ns, dspod_name(cur[i]), 0, NULL);
	}
	return cJSON_Duplicate(cur[keep], 1);
}

/* constructHistory: the current revision (made or renumbered); false when a
 * collision was found (the sync ends, the status write brings it back). */
bool dshist_construct(struct dssync *s)
{
	char *raw = simhist_patch(s->ds);
	if (!raw)
		return false;
	cJSON **cur = xcalloc(s->nrevs + 1, sizeof(*cur));
	size_t ncur = 0;
	int64_t max_old = 0;
	for (size_t i = 0; i < s->nrevs; i++) {
		if (!cj_str(cj_path(s->revs[i], "metadata", "labels", NULL), DS_HASH_LABEL)) {
			cJSON *up = cJSON_Duplicate(s->revs[i], 1);
			simjson_set_string(simjson_object(simjson_object(up, "metadata"), "labels"),
					   DS_HASH_LABEL, dspod_name(up));
			cJSON *stored = store_cr(s, up);
			if (stored) {
				cJSON_Delete(s->revs[i]);
				s->revs[i] = stored;
			}
		}
		if (matches(s->revs[i], raw)) {
			cur[ncur++] = s->revs[i];
		} else if (cj_int(s->revs[i], "revision", 0) > max_old) {
			max_old = cj_int(s->revs[i], "revision", 0);
		}
	}
	if (ncur == 0) {
		s->cur = snapshot(s, raw, max_old + 1);
	} else {
		s->cur = dedup(s, cur, ncur);
		if (cj_int(s->cur, "revision", 0) < max_old + 1) {
			cJSON *up = cJSON_Duplicate(s->cur, 1);
			cj_set_int(up, "revision", max_old + 1);
			cJSON *stored = store_cr(s, up);
			if (stored) {
				cJSON_Delete(s->cur);
				s->cur = stored;
			}
		}
	}
	free(cur);
	free(raw);
	if (!s->cur)
		return false;
	snprintf(s->hash, sizeof(s->hash), "%s", hash_of(s->cur));
	return true;
}

/* cleanupHistory: the oldest revisions beyond the limit that no pod uses. */
void dshist_cleanup(struct dssync *s)
{
	int64_t limit = cj_int(s->spec, "revisionHistoryLimit", 10);
	cJSON **old = xcalloc(s->nrevs + 1, sizeof(*old));
	size_t n = 0;
	for (size_t i = 0; i < s->nrevs; i++)
		if (strcmp(dspod_name(s->revs[i]), dspod_name(s->cur)) != 0)
			old[n++] = s->revs[i];
	int64_t kill = (int64_t)n - limit;
	/* historiesByRevision, oldest first (a stable order for equal numbers). */
	for (size_t i = 1; i < n; i++)
		for (size_t j = i;
		     j > 0 && cj_int(old[j - 1], "revision", 0) > cj_int(old[j], "revision", 0);
		     j--) {
			cJSON *t = old[j];
			old[j] = old[j - 1];
			old[j - 1] = t;
		}
	for (size_t i = 0; i < n && kill > 0; i++) {
		const char *h = hash_of(old[i]);
		bool live = false;
		for (size_t k = 0; k < s->npods && !live; k++) {
			const char *ph =
			    cj_str(cj_path(s->pods[k], "metadata", "labels", NULL), DS_HASH_LABEL);
			live = ph && *ph && strcmp(ph, h) == 0;
		}
		if (live)
			continue;
		simstore_delete(s->c->sim->store, s->c->crs, s->ns, dspod_name(old[i]), 0, NULL);
		kill--;
	}
	free(old);
}
