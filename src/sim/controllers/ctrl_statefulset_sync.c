#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "podscope/xalloc.h"

#include "clock.h"
#include "ctrl_history.h"
#include "ctrl_statefulset_int.h"
#include "kintstr.h"
#include "sim.h"
#include "simobj.h"

/*
 * One sync of a StatefulSet: stateful_set_control.go's UpdateStatefulSet
 * (revisions, then updateStatefulSet, the status, truncateHistory) with
 * stateful_set_utils.go under it; the pods and claims themselves are
 * ctrl_statefulset_pod.c's.
 */

#define HASH_LABEL "controller.kubernetes.io/hash"

/* --- pod predicates (stateful_set_utils.go) ---------------------------------- */

static const char *phase_of(const cJSON *pod)
{
	const char *p = cj_str(cj_path(pod, "status", NULL), "phase");
	return p ? p : "";
}

static bool is_terminating(const cJSON *pod)
{
	return cj_path(pod, "metadata", "deletionTimestamp", NULL) != NULL;
}

static bool running_ready(const cJSON *pod)
{
	int64_t since;
	return strcmp(phase_of(pod), "Running") == 0 && cj_pod_ready(pod, &since);
}

/* podutil.IsPodAvailable; records when a not-yet-available pod will be. */
static bool available(struct stssync *s, const cJSON *pod)
{
	return cj_pod_available(pod, s->min_ready, s->now, &s->next_wake);
}

static bool is_unavailable(struct stssync *s, const struct stsslot *p)
{
	if (!p->created)
		return true;
	return !(running_ready(p->pod) && !is_terminating(p->pod)) || !available(s, p->pod);
}

static const char *pod_revision(const cJSON *pod)
{
	const char *r = cj_str(cj_path(pod, "metadata", "labels", NULL), STS_REVISION_LABEL);
	return r ? r : "";
}

int32_t stsctl_ordinal(const char *name)
{
	const char *dash = strrchr(name, '-');
	if (!dash || dash == name || !dash[1])
		return -1;
	for (const char *p = dash + 1; *p; p++)
		if (*p < '0' || *p > '9')
			return -1;
	errno = 0;
	long long v = strtoll(dash + 1, NULL, 10);
	if (errno || v > INT32_MAX)
		return -1;
	return (int32_t)v;
}

static int32_t start_ordinal(const cJSON *spec)
{
	return (int32_t)cj_int(cj_path(spec, "ordinals", NULL), "start", 0);
}

/* --- loading ------------------------------------------------------------------- */

/* isMemberOf: the pod's name is SET-N. */
static bool is_member(const char *set, const char *pod)
{
	size_t n = strlen(set);
	return stsctl_ordinal(pod) >= 0 && strncmp(pod, set, n) == 0 && pod[n] == '-' &&
	       strchr(pod + n + 1, '-') == NULL;
}

/* obj without the references to uid; true when it had one. */
static bool drop_ref(cJSON *obj, const char *uid)
{
	cJSON *refs = (cJSON *)cj_path(obj, "metadata", "ownerReferences", NULL);
	cJSON *r = refs ? refs->child : NULL;
	bool dropped = false;
	while (r) {
		cJSON *next = r->next;
		const char *u = cj_str(r, "uid");
		if (u && strcmp(u, uid) == 0) {
			cJSON_Delete(cJSON_DetachItemViaPointer(refs, r));
			dropped = true;
		}
		r = next;
	}
	if (refs && !refs->child)
		cJSON_DeleteItemFromObjectCaseSensitive(
		    cJSON_GetObjectItemCaseSensitive(obj, "metadata"), "ownerReferences");
	return dropped;
}

/*
 * ClaimPods / ListControllerRevisions with AdoptOrphanRevisions: copies of
 * the objects of res in the set's namespace that it controls, after
 * adopting the orphans its selector matches (pods: named SET-N too) and
 * releasing the ones it no longer matches.
 */
static size_t claim(struct stssync *s, const struct simres *res, const char *uid, cJSON ***out)
{
	struct stsctl *c = s->c;
	const cJSON *sel = cj_path(s->spec, "selector", NULL);
	bool dying = cj_path(s->set, "metadata", "deletionTimestamp", NULL) != NULL;
	struct simsnap *snap = simstore_snapshot(c->sim->store, res);
	char *prefix = xasprintf("%s/", s->ns);
	size_t len = strlen(prefix), n = 0, cap = 8;
	cJSON **v = xcalloc(cap, sizeof(*v));
	for (size_t i = simsnap_seek(snap, prefix, true);
	     i < snap->n && strncmp(snap->items[i]->key, prefix, len) == 0; i++) {
		const struct simobj *o = snap->items[i];
		const cJSON *ref = cj_controller_ref(o->json);
		const char *ouid = cj_str(ref, "uid");
		bool owned = ouid && strcmp(ouid, uid) == 0;
		/* Another controller's object is not ours to look at: decided
		 * before any copy, as a namespace may hold many sets. */
		if (ref && !owned)
			continue;
		bool match =
		    cj_selector_matches(sel, cj_path(o->json, "metadata", "labels", NULL)) &&
		    (res != c->pods || is_member(s->name, o->name));
		bool adopt = !ref && match && !dying &&
			     !cj_path(o->json, "metadata", "deletionTimestamp", NULL);
		if (!owned && !adopt)
			continue;
		cJSON *copy = cJSON_Duplicate(o->json, 1);
		if (owned) {
			if (!match && !dying) {
				if (drop_ref(copy, uid))
					simstore_update(c->sim->store, res, copy, 0, NULL);
				else
					cJSON_Delete(copy);
				continue;
			}
		} else {
			cJSON *md = simjson_object(copy, "metadata");
			cJSON *refs = cJSON_GetObjectItemCaseSensitive(md, "ownerReferences");
			if (!cJSON_IsArray(refs)) {
				cJSON_DeleteItemFromObjectCaseSensitive(md, "ownerReferences");
				refs = cJSON_AddArrayToObject(md, "ownerReferences");
			}
			cJSON_AddItemToArray(refs, stspod_controller_ref(s));
			struct simobj *made = NULL;
			cJSON *put = cJSON_Duplicate(copy, 1);
			cJSON_Delete(copy);
			if (simstore_update(c->sim->store, res, put, 0, &made) != SIMSTORE_OK ||
			    !made)
				continue;
			copy = cJSON_Duplicate(made->json, 1);
		}
		if (n == cap)
			v = xrealloc(v, (cap *= 2) * sizeof(*v));
		v[n++] = copy;
	}
	free(prefix);
	simsnap_unref(snap);
	*out = v;
	return n;
}

static bool load(struct stssync *s, struct stsctl *c, const char *key)
{
	memset(s, 0, sizeof(*s));
	s->c = c;
	s->key = key;
	s->next_wake = -1;
	cj_split_key(key, s->ns, s->name);
	const struct simobj *o = simstore_get(c->sim->store, c->sets, s->ns, s->name);
	if (!o || !cj_path(o->json, "spec", "template", NULL))
		return false;
	s->set = simobj_copy(o);
	s->spec = cJSON_GetObjectItemCaseSensitive(s->set, "spec");
	s->now = simclock_now(&c->sim->clock);
	s->min_ready = (int32_t)cj_int(s->spec, "minReadySeconds", 0);
	s->collisions = (int32_t)cj_int(cj_path(s->set, "status", NULL), "collisionCount", 0);
	const char *uid = cj_str(cj_path(s->set, "metadata", NULL), "uid");
	if (!uid)
		return false;
	cJSON **v;
	s->npods = claim(s, c->pods, uid, &v);
	s->pods = xcalloc(s->npods ? s->npods : 1, sizeof(*s->pods));
	for (size_t i = 0; i < s->npods; i++) {
		s->pods[i].pod = v[i];
		s->pods[i].created = *phase_of(v[i]) != '\0';
		s->pods[i].ord = stsctl_ordinal(cj_str(cj_path(v[i], "metadata", NULL), "name"));
	}
	free(v);
	s->nrevs = claim(s, c->crs, uid, &s->rev_objs);
	s->revs = xcalloc(s->nrevs + 1, sizeof(*s->revs));
	for (size_t i = 0; i < s->nrevs; i++) {
		const cJSON *md = cj_path(s->rev_objs[i], "metadata", NULL);
		s->revs[i] = (struct simhist_rev){.name = cj_str(md, "name"),
						  .obj = s->rev_objs[i],
						  .revision = cj_int(s->rev_objs[i], "revision", 0),
						  .created_ms = cj_time(md, "creationTimestamp")};
	}
	simhist_sort(s->revs, s->nrevs);
	return true;
}

static void unload(struct stssync *s)
{
	for (size_t i = 0; i < s->npods; i++)
		cJSON_Delete(s->pods[i].pod);
	free(s->pods);
	for (size_t i = 0; i < s->nrevs; i++)
		cJSON_Delete(s->rev_objs[i]);
	free(s->rev_objs);
	free(s->revs);
	cJSON_Delete(s->cur_rev);
	cJSON_Delete(s->upd_rev);
	cJSON_Delete(s->set);
}

/* --- revisions (getStatefulSetRevisions) -------------------------------------- */

/* newRevision and history.NewControllerRevision. */
static cJSON *new_revision(const struct stssync *s, const char *raw, int64_t revision)
{
	cJSON *cr = cJSON_CreateObject();
	cJSON_AddStringToObject(cr, "apiVersion", "apps/v1");
	cJSON_AddStringToObject(cr, "kind", "ControllerRevision");
	cJSON *md = cJSON_AddObjectToObject(cr, "metadata");
	cJSON_AddStringToObject(md, "namespace", s->ns);
	const cJSON *tl = cj_path(s->spec, "template", "metadata", "labels", NULL);
	cJSON_AddItemToObject(md, "labels", tl ? cJSON_Duplicate(tl, 1) : cJSON_CreateObject());
	char hash[SIMHIST_HASH_LEN];
	simhist_hash(raw, strlen(raw), &s->collisions, hash);
	simjson_set_string(cJSON_GetObjectItemCaseSensitive(md, "labels"), HASH_LABEL, hash);
	const cJSON *ann = cj_path(s->set, "metadata", "annotations", NULL);
	if (cJSON_GetArraySize(ann))
		cJSON_AddItemToObject(md, "annotations", cJSON_Duplicate(ann, 1));
	cJSON_AddItemToArray(cJSON_AddArrayToObject(md, "ownerReferences"),
			     stspod_controller_ref(s));
	cJSON_AddItemToObject(cr, "data", cJSON_Parse(raw));
	cJSON_AddNumberToObject(cr, "revision", (double)revision);
	return cr;
}

/* CreateControllerRevision: name by hash, counting collisions. */
static cJSON *create_revision(struct stssync *s, cJSON *cr, const char *raw)
{
	struct stsctl *c = s->c;
	for (int tries = 0; tries < 100; tries++) {
		char hash[SIMHIST_HASH_LEN];
		simhist_hash(raw, strlen(raw), &s->collisions, hash);
		char *name = simhist_name(s->name, hash);
		const struct simobj *ex = simstore_get(c->sim->store, c->crs, s->ns, name);
		if (ex) {
			bool same =
			    simhist_equal_data(cJSON_GetObjectItemCaseSensitive(ex->json, "data"),
					       cJSON_GetObjectItemCaseSensitive(cr, "data"));
			free(name);
			if (same) {
				cJSON_Delete(cr);
				return cJSON_Duplicate(ex->json, 1);
			}
			s->collisions++;
			continue;
		}
		simjson_set_string(simjson_object(cr, "metadata"), "name", name);
		free(name);
		struct simobj *made = NULL;
		cJSON *copy = cJSON_Duplicate(cr, 1);
		if (simstore_create(c->sim->store, c->crs, copy, &made) == SIMSTORE_OK && made) {
			cJSON_Delete(cr);
			return cJSON_Duplicate(made->json, 1);
		}
		return cr;
	}
	return cr;
}

static const cJSON *find_rev(const struct stssync *s, const char *name)
{
	for (size_t i = 0; name && i < s->nrevs; i++)
		if (strcmp(s->revs[i].name, name) == 0)
			return s->revs[i].obj;
	return NULL;
}

static void revisions(struct stssync *s)
{
	char *raw = simhist_patch(s->set);
	int64_t next = s->nrevs ? s->revs[s->nrevs - 1].revision + 1 : 1;
	cJSON *upd = new_revision(s, raw, next);
	const cJSON *data = cJSON_GetObjectItemCaseSensitive(upd, "data");
	long eq = -1;
	for (size_t i = 0; i < s->nrevs; i++)
		if (simhist_equal_data(cJSON_GetObjectItemCaseSensitive(s->revs[i].obj, "data"),
				       data))
			eq = (long)i;
	if (eq >= 0 && (size_t)eq == s->nrevs - 1) {
		cJSON_Delete(upd);
		upd = cJSON_Duplicate(s->revs[eq].obj, 1);
	} else if (eq >= 0) {
		/* A roll back: the equal revision gets the next number. */
		cJSON_Delete(upd);
		upd = cJSON_Duplicate(s->revs[eq].obj, 1);
		cj_set_int(upd, "revision", next);
		struct simobj *made = NULL;
		if (simstore_update(s->c->sim->store, s->c->crs, cJSON_Duplicate(upd, 1), 0,
				    &made) == SIMSTORE_OK &&
		    made) {
			cJSON_Delete(upd);
			upd = cJSON_Duplicate(made->json, 1);
		}
	} else {
		upd = create_revision(s, upd, raw);
	}
	free(raw);
	s->upd_rev = upd;
	const cJSON *cur = find_rev(s, cj_str(cj_path(s->set, "status", NULL), "currentRevision"));
	s->cur_rev = cJSON_Duplicate(cur ? cur : upd, 1);
}

static const char *rev_name(const cJSON *cr)
{
	const char *n = cj_str(cj_path(cr, "metadata", NULL), "name");
	return n ? n : "";
}
/* --- updateStatefulSet ------------------------------------------------------------ */

static void count(struct stssync *s, const struct stsslot *v, size_t n)
{
	const char *cur = rev_name(s->cur_rev), *upd = rev_name(s->upd_rev);
	for (size_t i = 0; i < n; i++) {
		if (!v[i].created)
			continue;
		s->st.replicas++;
		if (running_ready(v[i].pod)) {
			s->st.ready++;
			if (available(s, v[i].pod))
				s->st.available++;
		}
		if (!is_terminating(v[i].pod)) {
			const char *r = pod_revision(v[i].pod);
			if (strcmp(r, cur) == 0)
				s->st.current++;
			if (strcmp(r, upd) == 0)
				s->st.updated++;
		}
	}
}

/* processReplica: true when the sync must stop here. */
static bool process_replica(struct stssync *s, struct stsslot *p, bool monotonic)
{
	if (p->created && (strcmp(phase_of(p->pod), "Failed") == 0 ||
			   strcmp(phase_of(p->pod), "Succeeded") == 0)) {
		if (!is_terminating(p->pod))
			stspod_delete(s, p->pod);
		return true;
	}
	if (!p->created) {
		stspod_create(s, p->pod, p->ord);
		if (monotonic)
			return true;
		return false; /* the local copy has no phase yet: nothing else to check */
	}
	if (strcmp(phase_of(p->pod), "Pending") == 0)
		stspod_create_claims(s, p->ord, cj_str(cj_path(p->pod, "metadata", NULL), "name"));
	if (monotonic &&
	    (is_terminating(p->pod) || !running_ready(p->pod) || !available(s, p->pod)))
		return true;
	stspod_fix_claims(s, p, false);
	stspod_fix_identity(s, p);
	return false;
}

/* processCondemned: true when the sync must stop here. */
static bool process_condemned(struct stssync *s, struct stsslot *p,
			      const struct stsslot *first_unhealthy, bool monotonic)
{
	if (is_terminating(p->pod))
		return monotonic;
	if (monotonic && p != first_unhealthy && (!running_ready(p->pod) || !available(s, p->pod)))
		return true;
	stspod_delete(s, p->pod);
	return monotonic;
}

static int cmp_ord_desc(const void *a, const void *b)
{
	const struct stsslot *x = *(const struct stsslot *const *)a,
			     *y = *(const struct stsslot *const *)b;
	return x->ord < y->ord ? 1 : x->ord > y->ord ? -1 : 0;
}

/* newVersionedStatefulSetPod's choice: the current revision below the
 * partition (or below currentReplicas without a rollingUpdate). */
static bool use_current(const struct stssync *s, const cJSON *cur_set, int32_t ord)
{
	const cJSON *strategy = cj_path(cur_set, "spec", "updateStrategy", NULL);
	const char *type = cj_str(strategy, "type");
	const cJSON *ru = cJSON_GetObjectItemCaseSensitive(strategy, "rollingUpdate");
	int32_t start = start_ordinal(cJSON_GetObjectItemCaseSensitive(cur_set, "spec"));
	bool rolling = type && strcmp(type, "RollingUpdate") == 0;
	if (rolling && !cJSON_IsObject(ru) &&
	    ord < start + (int32_t)cj_int(cj_path(s->set, "status", NULL), "currentReplicas", 0))
		return true;
	return cJSON_IsObject(ru) && ord < start + (int32_t)cj_int(ru, "partition", 0);
}

/* The rolling update after the invariants hold; delete-or-wait. */
static void rolling(struct stssync *s, struct stsslot **replicas, int32_t n)
{
	const cJSON *ru = cj_path(s->spec, "updateStrategy", "rollingUpdate", NULL);
	int32_t update_min = cJSON_IsObject(ru) ? (int32_t)cj_int(ru, "partition", 0) : 0;
	const char *upd = rev_name(s->upd_rev);
	const cJSON *mu = cJSON_GetObjectItemCaseSensitive(ru, "maxUnavailable");
	if (!mu) {
		for (int32_t t = n - 1; t >= update_min; t--) {
			struct stsslot *p = replicas[t];
			if (strcmp(pod_revision(p->pod), upd) != 0 && !is_terminating(p->pod)) {
				stspod_delete(s, p->pod);
				s->st.current--;
				return;
			}
			if (is_unavailable(s, p))
				return;
		}
		return;
	}
	/* updateStatefulSetAfterInvariantEstablished (MaxUnavailableStatefulSet). */
	struct kintstr v;
	kintstr_from_json(mu, &v);
	int64_t max = 1;
	if (!kintstr_scaled(&v, n, false, &max))
		return;
	if (max < 1)
		max = 1;
	int64_t unavailable = 0;
	for (int32_t t = n - 1; t >= 0; t--)
		if (is_unavailable(s, replicas[t]))
			unavailable++;
	if (unavailable > max)
		return;
	int64_t deleted = 0;
	for (int32_t t = n - 1; t >= update_min && deleted < max - unavailable; t--) {
		struct stsslot *p = replicas[t];
		if (strcmp(pod_revision(p->pod), upd) != 0 && !is_terminating(p->pod)) {
			stspod_delete(s, p->pod);
			deleted++;
			s->st.current--;
		}
	}
}

static void update_set(struct stssync *s)
{
	cJSON *cur_set = simhist_apply(s->set, s->cur_rev);
	cJSON *upd_set = simhist_apply(s->set, s->upd_rev);
	int32_t n = (int32_t)cj_int(s->spec, "replicas", 1);
	if (n < 0)
		n = 0;
	int32_t start = start_ordinal(s->spec), end = start + n - 1;
	struct stsslot **replicas = xcalloc(n ? (size_t)n : 1, sizeof(*replicas));
	struct stsslot **condemned = xcalloc(s->npods + 1, sizeof(*condemned));
	struct stsslot *fresh = xcalloc(n ? (size_t)n : 1, sizeof(*fresh));
	size_t nc = 0;
	count(s, s->pods, s->npods);
	for (size_t i = 0; i < s->npods; i++) {
		struct stsslot *p = &s->pods[i];
		if (p->ord >= start && p->ord <= end)
			replicas[p->ord - start] = p;
		else if (p->ord >= 0)
			condemned[nc++] = p;
	}
	for (int32_t i = 0; i < n; i++) {
		if (replicas[i])
			continue;
		int32_t ord = start + i;
		bool cur = use_current(s, cur_set, ord);
		fresh[i].ord = ord;
		fresh[i].pod = stspod_new(s, cur ? cur_set : upd_set, ord,
					  rev_name(cur ? s->cur_rev : s->upd_rev));
		replicas[i] = &fresh[i];
	}
	qsort(condemned, nc, sizeof(*condemned), cmp_ord_desc);
	const struct stsslot *first_unhealthy = NULL;
	for (int32_t i = 0; i < n && !first_unhealthy; i++)
		if (is_unavailable(s, replicas[i]))
			first_unhealthy = replicas[i];
	for (size_t i = nc; i-- > 0 && !first_unhealthy;)
		if (is_unavailable(s, condemned[i]))
			first_unhealthy = condemned[i];

	bool stop = cj_path(s->set, "metadata", "deletionTimestamp", NULL) != NULL;
	const char *policy = cj_str(s->spec, "podManagementPolicy");
	bool monotonic = !(policy && strcmp(policy, "Parallel") == 0);
	for (int32_t i = 0; i < n && !stop; i++)
		stop = process_replica(s, replicas[i], monotonic);
	for (size_t i = 0; i < nc && !stop; i++)
		stspod_fix_claims(s, condemned[i], true);
	for (size_t i = 0; i < nc && !stop; i++)
		stop = process_condemned(s, condemned[i], first_unhealthy, monotonic);
	const char *type = cj_str(cj_path(s->spec, "updateStrategy", NULL), "type");
	if (!stop && !(type && strcmp(type, "OnDelete") == 0))
		rolling(s, replicas, n);
	for (int32_t i = 0; i < n; i++)
		cJSON_Delete(fresh[i].pod);
	free(fresh);
	free(replicas);
	free(condemned);
	cJSON_Delete(cur_set);
	cJSON_Delete(upd_set);
}

/* --- status and history ---------------------------------------------------------- */

static void write_status(struct stssync *s)
{
	const char *cur = rev_name(s->cur_rev), *upd = rev_name(s->upd_rev);
	const char *type = cj_str(cj_path(s->spec, "updateStrategy", NULL), "type");
	/* completeRollingUpdate */
	int64_t want = cj_int(s->spec, "replicas", 1);
	if (type && strcmp(type, "RollingUpdate") == 0 && s->st.updated == want &&
	    s->st.ready == want && s->st.replicas == want) {
		s->st.current = s->st.updated;
		cur = upd;
	}
	const struct simobj *o = simstore_get(s->c->sim->store, s->c->sets, s->ns, s->name);
	if (!o)
		return;
	cJSON *obj = simobj_copy(o);
	cJSON *old = cJSON_DetachItemFromObjectCaseSensitive(obj, "status");
	cJSON *st = cJSON_AddObjectToObject(obj, "status");
	int64_t gen = cj_int(cj_path(s->set, "metadata", NULL), "generation", 0);
	if (gen)
		cj_set_int(st, "observedGeneration", gen);
	cj_set_int(st, "replicas", s->st.replicas);
	if (s->st.ready)
		cj_set_int(st, "readyReplicas", s->st.ready);
	if (s->st.current)
		cj_set_int(st, "currentReplicas", s->st.current);
	if (s->st.updated)
		cj_set_int(st, "updatedReplicas", s->st.updated);
	if (*cur)
		cJSON_AddStringToObject(st, "currentRevision", cur);
	if (*upd)
		cJSON_AddStringToObject(st, "updateRevision", upd);
	cj_set_int(st, "collisionCount", s->collisions);
	cj_set_int(st, "availableReplicas", s->st.available);
	const cJSON *conds = cJSON_GetObjectItemCaseSensitive(old, "conditions");
	if (conds)
		cJSON_AddItemToObject(st, "conditions", cJSON_Duplicate(conds, 1));
	cJSON_Delete(old);
	simstore_update(s->c->sim->store, s->c->sets, obj, 0, NULL);
}

/* truncateHistory: drop the oldest revisions no pod and no status uses. */
static void truncate_history(struct stssync *s)
{
	int64_t limit = cj_int(s->spec, "revisionHistoryLimit", 10);
	if (limit < 0)
		return;
	const char **hist = xcalloc(s->nrevs + 1, sizeof(*hist));
	size_t nh = 0;
	for (size_t i = 0; i < s->nrevs; i++) {
		const char *n = s->revs[i].name;
		bool live =
		    strcmp(n, rev_name(s->cur_rev)) == 0 || strcmp(n, rev_name(s->upd_rev)) == 0;
		for (size_t k = 0; k < s->npods && !live; k++)
			live = strcmp(pod_revision(s->pods[k].pod), n) == 0;
		if (!live)
			hist[nh++] = n;
	}
	for (size_t i = 0; nh > (size_t)limit && i < nh - (size_t)limit; i++)
		simstore_delete(s->c->sim->store, s->c->crs, s->ns, hist[i], 0, NULL);
	free(hist);
}

void stsctl_sync(struct stsctl *c, const char *key)
{
	struct stssync s;
	if (!load(&s, c, key)) {
		unload(&s);
		return;
	}
	revisions(&s);
	update_set(&s);
	write_status(&s);
	truncate_history(&s);
	int32_t want = (int32_t)cj_int(s.spec, "replicas", 1);
	if (s.min_ready > 0 && s.st.available != want) {
		int64_t at = s.next_wake > 0 ? s.next_wake : s.now + (int64_t)s.min_ready * 1000;
		stsctl_wake_at(c, key, at);
	}
	unload(&s);
}
