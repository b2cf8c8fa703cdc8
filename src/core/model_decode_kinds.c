#include "config.h"

#include <string.h>

#include "model_dec.h"

/* StatefulSets and DaemonSets (apps/v1). */

#define SSPEC   "StatefulSetSpec"
#define SSTATUS "StatefulSetStatus"
#define SROLL   "RollingUpdateStatefulSetStrategy"
#define DSPEC   "DaemonSetSpec"
#define DSTATUS "DaemonSetStatus"
#define DROLL   "RollingUpdateDaemonSet"

static uint8_t dec_update_type(const cJSON *strategy)
{
	const cJSON *type = dec_key(strategy, "type");

	if (!cJSON_IsString(type) || !type->valuestring || !*type->valuestring)
		return UPDATE_STRATEGY_NONE;
	if (strcmp(type->valuestring, "RollingUpdate") == 0)
		return UPDATE_ROLLING_UPDATE;
	if (strcmp(type->valuestring, "OnDelete") == 0)
		return UPDATE_ON_DELETE;
	return UPDATE_STRATEGY_OTHER;
}

/* spec.selector: matchLabels and matchExpressions. */
static void dec_selector(const struct dec *d, const cJSON *spec, struct model_kv **labels,
			 uint16_t *n_labels, struct label_expr **exprs, uint16_t *n_exprs)
{
	const cJSON *sel = obj_item(spec, "selector");
	*labels = dec_kv(d, obj_item(sel, "matchLabels"), n_labels);
	*exprs = dec_label_exprs(d, sel, n_exprs);
}

/*
 * The parts both kinds share; *spec, *status and *ru (the strategy's
 * rollingUpdate) are set for the caller. Go names the status struct st.
 */
static void dec_workload(const struct dec *d, const cJSON *obj, struct workload *w, const char *st,
			 const cJSON **spec, const cJSON **status, const cJSON **ru,
			 uint8_t *update_strategy)
{
	const cJSON *meta = obj_item(obj, "metadata");
	const cJSON *pspec;
	const cJSON *strategy;

	*spec = obj_item(obj, "spec");
	*status = obj_item(obj, "status");
	pspec = obj_item(obj_item(*spec, "template"), "spec");
	strategy = obj_item(*spec, "updateStrategy");
	*ru = obj_item(strategy, "rollingUpdate");
	*update_strategy = dec_update_type(strategy);

	dec_meta(d, obj, &w->namespace, &w->name, &w->uid, &w->created);
	w->generation = dec_int(d, meta, "generation", "ObjectMeta", DEC_INT64, 0, NULL);
	w->labels = dec_kv(d, obj_item(meta, "labels"), &w->n_labels);
	dec_selector(d, *spec, &w->match_labels, &w->n_match_labels, &w->match_exprs,
		     &w->n_match_exprs);
	w->images = dec_images(d, pspec, "containers", &w->n_images);
	w->init_images = dec_images(d, pspec, "initContainers", &w->n_init_images);
	w->observed_generation = dec_int(d, *status, "observedGeneration", st, DEC_INT64, 0, NULL);
}

int model_decode_statefulset(const struct cJSON *obj, struct statefulset *s,
			     struct model_arena *arena, const struct model_decode_opts *opts,
			     struct perr *err)
{
	struct dec_fail fail = {err, false};
	const struct dec d = {arena, opts, &fail};
	const cJSON *spec, *status, *ru;

	memset(s, 0, sizeof(*s));
	if (dec_not_object(obj, "StatefulSet", err) < 0)
		return -1;
	dec_workload(&d, obj, &s->w, SSTATUS, &spec, &status, &ru, &s->update_strategy);

	s->spec_replicas =
	    (int32_t)dec_int(&d, spec, "replicas", SSPEC, DEC_INT32, 0, &s->has_spec_replicas);
	s->min_ready_seconds =
	    (int32_t)dec_int(&d, spec, "minReadySeconds", SSPEC, DEC_INT32, 0, NULL);
	s->ordinals_start = (int32_t)dec_int(&d, obj_item(spec, "ordinals"), "start",
					     "StatefulSetOrdinals", DEC_INT32, 0, NULL);
	s->pod_management_policy = dec_str(&d, spec, "podManagementPolicy");
	s->service_name = dec_str(&d, spec, "serviceName");
	s->has_rolling_update = ru != NULL;
	s->partition =
	    (int32_t)dec_int(&d, ru, "partition", SROLL, DEC_INT32, 0, &s->has_partition);
	dec_intstr(&d, ru, "maxUnavailable", SROLL, &s->max_unavailable);

	const struct dec_field counts[] = {
	    {"replicas", &s->replicas},
	    {"readyReplicas", &s->ready_replicas},
	    {"currentReplicas", &s->current_replicas},
	    {"updatedReplicas", &s->updated_replicas},
	    {"availableReplicas", &s->available_replicas},
	};
	dec_int32s(&d, status, SSTATUS, counts, sizeof(counts) / sizeof(counts[0]));
	s->collision_count = (int32_t)dec_int(&d, status, "collisionCount", SSTATUS, DEC_INT32, 0,
					      &s->has_collision_count);
	s->current_revision = dec_ustr(&d, status, "currentRevision");
	s->update_revision = dec_ustr(&d, status, "updateRevision");
	return dec_done(&d);
}

int model_decode_daemonset(const struct cJSON *obj, struct daemonset *ds, struct model_arena *arena,
			   const struct model_decode_opts *opts, struct perr *err)
{
	struct dec_fail fail = {err, false};
	const struct dec d = {arena, opts, &fail};
	const cJSON *spec, *status, *ru;

	memset(ds, 0, sizeof(*ds));
	if (dec_not_object(obj, "DaemonSet", err) < 0)
		return -1;
	dec_workload(&d, obj, &ds->w, DSTATUS, &spec, &status, &ru, &ds->update_strategy);

	ds->min_ready_seconds =
	    (int32_t)dec_int(&d, spec, "minReadySeconds", DSPEC, DEC_INT32, 0, NULL);
	dec_intstr(&d, ru, "maxUnavailable", DROLL, &ds->max_unavailable);
	dec_intstr(&d, ru, "maxSurge", DROLL, &ds->max_surge);

	const struct dec_field counts[] = {
	    {"currentNumberScheduled", &ds->current_number_scheduled},
	    {"numberMisscheduled", &ds->number_misscheduled},
	    {"desiredNumberScheduled", &ds->desired_number_scheduled},
	    {"numberReady", &ds->number_ready},
	    {"updatedNumberScheduled", &ds->updated_number_scheduled},
	    {"numberAvailable", &ds->number_available},
	    {"numberUnavailable", &ds->number_unavailable},
	};
	dec_int32s(&d, status, DSTATUS, counts, sizeof(counts) / sizeof(counts[0]));
	ds->collision_count = (int32_t)dec_int(&d, status, "collisionCount", DSTATUS, DEC_INT32, 0,
					       &ds->has_collision_count);
	dec_ds_placement(&d, obj_item(obj_item(spec, "template"), "spec"), ds);
	return dec_done(&d);
}

int model_decode_controller_revision(const struct cJSON *obj, struct controller_revision *cr,
				     struct model_arena *arena,
				     const struct model_decode_opts *opts, struct perr *err)
{
	struct dec_fail fail = {err, false};
	const struct dec d = {arena, opts, &fail};
	const cJSON *meta, *labels, *ref;

	memset(cr, 0, sizeof(*cr));
	if (dec_not_object(obj, "ControllerRevision", err) < 0)
		return -1;
	meta = obj_item(obj, "metadata");
	dec_meta(&d, obj, &cr->namespace, &cr->name, &cr->uid, &cr->created);
	labels = obj_item(meta, "labels");
	cr->hash = dec_str(&d, labels, "controller-revision-hash");
	if (!*cr->hash)
		cr->hash = dec_str(&d, labels, "controller.kubernetes.io/hash");
	/* Only the controller's uid: the owners array would cost more than
	 * the rest of the object. */
	cr->owner_uid = "";
	cJSON_ArrayForEach(ref, dec_key(meta, "ownerReferences"))
	{
		const cJSON *ctl = dec_key(ref, "controller");
		if (cJSON_IsTrue(ctl)) {
			cr->owner_uid = dec_str(&d, ref, "uid");
			break;
		}
	}
	cr->revision = dec_int(&d, obj, "revision", "ControllerRevision", DEC_INT64, 0, NULL);
	return dec_done(&d);
}
