#include "config.h"

#include <string.h>

#include "podscope/model.h"
#include "podscope/policy.h"

/*
 * Every pointer of every model struct, in one place. Adding a pointer field
 * to model.h means adding it here, or the store leaks interned strings (its
 * tests count them) or keeps pointers into a freed arena.
 */

static void *arr(struct model_walk *w, void *p, size_t size)
{
	if (w->arr && p && size)
		w->arr(w, &p, size);
	return p;
}

static void us(struct model_walk *w, const char **s)
{
	if (w->ustr && *s)
		w->ustr(w, s);
}

static void is(struct model_walk *w, const char **s)
{
	if (w->istr && *s)
		w->istr(w, s);
}

static bool shared(struct model_walk *w, enum model_share what, void *field, uint16_t n)
{
	void *p;
	if (!w->share || !n)
		return false;
	memcpy(&p, field, sizeof(p));
	if (!p || !w->share(w, what, &p, n))
		return false;
	memcpy(field, &p, sizeof(p));
	return true;
}

static void walk_kv(struct model_walk *w, struct model_kv **kv, uint16_t n)
{
	if (shared(w, MODEL_SHARE_KV, kv, n))
		return;
	*kv = arr(w, *kv, sizeof(**kv) * n);
	for (uint16_t i = 0; i < n; i++) {
		is(w, &(*kv)[i].key);
		is(w, &(*kv)[i].value);
	}
}

/* A Deployment's or ReplicaSet's conditions. */
static void walk_dconds(struct model_walk *w, struct deploy_condition **c, uint16_t n)
{
	*c = arr(w, *c, sizeof(**c) * n);
	for (uint16_t i = 0; i < n; i++) {
		is(w, &(*c)[i].type);
		is(w, &(*c)[i].reason);
		us(w, &(*c)[i].message);
	}
}

static void walk_owners(struct model_walk *w, struct owner_ref **o, uint16_t n)
{
	if (shared(w, MODEL_SHARE_OWNERS, o, n))
		return;
	*o = arr(w, *o, sizeof(**o) * n);
	for (uint16_t i = 0; i < n; i++) {
		is(w, &(*o)[i].kind);
		is(w, &(*o)[i].name);
		is(w, &(*o)[i].uid);
	}
}

static void walk_strs(struct model_walk *w, const char ***v, uint16_t n)
{
	*v = arr(w, (void *)*v, sizeof(**v) * n);
	for (uint16_t i = 0; i < n; i++)
		is(w, &(*v)[i]);
}

static void walk_intstr(struct model_walk *w, struct intstr *v)
{
	if (v->type == INTSTR_STRING)
		is(w, &v->sval);
}

static void walk_probe(struct model_walk *w, struct probe **p)
{
	if (!*p)
		return;
	*p = arr(w, *p, sizeof(**p));
	is(w, &(*p)->target);
	is(w, &(*p)->port_name);
}

static void walk_hook(struct model_walk *w, struct hook **h)
{
	if (!*h)
		return;
	*h = arr(w, *h, sizeof(**h));
	is(w, &(*h)->target);
}

static void walk_specs(struct model_walk *w, struct container_spec **specs, uint16_t n)
{
	if (shared(w, MODEL_SHARE_SPECS, specs, n))
		return;
	*specs = arr(w, *specs, sizeof(**specs) * n);
	for (uint16_t i = 0; i < n; i++) {
		struct container_spec *c = &(*specs)[i];
		is(w, &c->name);
		is(w, &c->image);
		walk_probe(w, &c->startup);
		walk_probe(w, &c->readiness);
		walk_probe(w, &c->liveness);
		walk_hook(w, &c->post_start);
		walk_hook(w, &c->pre_stop);
	}
}

static void walk_state(struct model_walk *w, struct container_state *st)
{
	is(w, &st->reason);
	us(w, &st->message);
}

static void walk_statuses(struct model_walk *w, struct container_status **cs, uint16_t n)
{
	*cs = arr(w, *cs, sizeof(**cs) * n);
	for (uint16_t i = 0; i < n; i++) {
		is(w, &(*cs)[i].name);
		walk_state(w, &(*cs)[i].state);
		if ((*cs)[i].last) {
			(*cs)[i].last = arr(w, (*cs)[i].last, sizeof(*(*cs)[i].last));
			walk_state(w, (*cs)[i].last);
		}
	}
}

void model_walk_pod(struct pod *p, struct model_walk *w)
{
	is(w, &p->namespace);
	us(w, &p->name);
	us(w, &p->uid);
	is(w, &p->phase);
	is(w, &p->reason);
	us(w, &p->message);
	is(w, &p->node_name);
	is(w, &p->nominated_node_name);
	us(w, &p->pod_ip);
	p->conditions = arr(w, p->conditions, sizeof(*p->conditions) * p->n_conditions);
	for (uint16_t i = 0; i < p->n_conditions; i++) {
		struct pod_condition *c = &p->conditions[i];
		is(w, &c->type);
		if (c->text) {
			c->text = arr(w, c->text, sizeof(*c->text));
			is(w, &c->text->reason);
			us(w, &c->text->message);
		}
	}
	walk_specs(w, &p->init_specs, p->n_init_specs);
	walk_specs(w, &p->specs, p->n_specs);
	walk_statuses(w, &p->init_statuses, p->n_init_statuses);
	walk_statuses(w, &p->statuses, p->n_statuses);
	walk_strs(w, &p->readiness_gates, p->n_readiness_gates);
	walk_kv(w, &p->labels, p->n_labels);
	walk_owners(w, &p->owners, p->n_owners);
}

static void walk_exprs(struct model_walk *w, struct label_expr **exprs, uint16_t n)
{
	*exprs = arr(w, *exprs, sizeof(**exprs) * n);
	for (uint16_t i = 0; i < n; i++) {
		is(w, &(*exprs)[i].key);
		is(w, &(*exprs)[i].op);
		walk_strs(w, &(*exprs)[i].values, (*exprs)[i].n_values);
	}
}

/* A label selector: matchLabels and matchExpressions. */
static void walk_selector(struct model_walk *w, struct model_kv **labels, uint16_t n_labels,
			  struct label_expr **exprs, uint16_t n_exprs)
{
	walk_kv(w, labels, n_labels);
	walk_exprs(w, exprs, n_exprs);
}

void model_walk_deployment(struct deployment *d, struct model_walk *w)
{
	is(w, &d->namespace);
	us(w, &d->name);
	us(w, &d->uid);
	is(w, &d->revision);
	is(w, &d->change_cause);
	is(w, &d->restarted_at);
	walk_intstr(w, &d->strategy.max_surge);
	walk_intstr(w, &d->strategy.max_unavailable);
	walk_dconds(w, &d->conditions, d->n_conditions);
	walk_kv(w, &d->labels, d->n_labels);
	walk_selector(w, &d->match_labels, d->n_match_labels, &d->match_exprs, d->n_match_exprs);
	walk_strs(w, &d->images, d->n_images);
	walk_strs(w, &d->init_images, d->n_init_images);
}

/* A StatefulSet's or DaemonSet's common part: as the Deployment's. */
static void walk_workload(struct model_walk *w, struct workload *wl)
{
	is(w, &wl->namespace);
	us(w, &wl->name);
	us(w, &wl->uid);
	walk_kv(w, &wl->labels, wl->n_labels);
	walk_selector(w, &wl->match_labels, wl->n_match_labels, &wl->match_exprs,
		      wl->n_match_exprs);
	walk_strs(w, &wl->images, wl->n_images);
	walk_strs(w, &wl->init_images, wl->n_init_images);
}

void model_walk_statefulset(struct statefulset *s, struct model_walk *w)
{
	walk_workload(w, &s->w);
	is(w, &s->pod_management_policy);
	is(w, &s->service_name);
	us(w, &s->current_revision);
	us(w, &s->update_revision);
	walk_intstr(w, &s->max_unavailable);
}

void model_walk_daemonset(struct daemonset *ds, struct model_walk *w)
{
	walk_workload(w, &ds->w);
	walk_intstr(w, &ds->max_unavailable);
	walk_intstr(w, &ds->max_surge);
	walk_kv(w, &ds->node_selector, ds->n_node_selector);
	ds->tolerations = arr(w, ds->tolerations, sizeof(*ds->tolerations) * ds->n_tolerations);
	for (uint16_t i = 0; i < ds->n_tolerations; i++) {
		is(w, &ds->tolerations[i].key);
		is(w, &ds->tolerations[i].op);
		is(w, &ds->tolerations[i].value);
		is(w, &ds->tolerations[i].effect);
	}
	ds->node_terms = arr(w, ds->node_terms, sizeof(*ds->node_terms) * ds->n_node_terms);
	for (uint16_t i = 0; i < ds->n_node_terms; i++) {
		walk_exprs(w, &ds->node_terms[i].exprs, ds->node_terms[i].n_exprs);
		walk_exprs(w, &ds->node_terms[i].fields, ds->node_terms[i].n_fields);
	}
	is(w, &ds->tmpl_node_name);
}

void model_walk_node(struct node *n, struct model_walk *w)
{
	us(w, &n->name);
	us(w, &n->uid);
	walk_kv(w, &n->labels, n->n_labels);
	n->taints = arr(w, n->taints, sizeof(*n->taints) * n->n_taints);
	for (uint16_t i = 0; i < n->n_taints; i++) {
		is(w, &n->taints[i].key);
		is(w, &n->taints[i].value);
		is(w, &n->taints[i].effect);
	}
}

void model_walk_controller_revision(struct controller_revision *cr, struct model_walk *w)
{
	is(w, &cr->namespace);
	us(w, &cr->name);
	us(w, &cr->uid);
	is(w, &cr->owner_uid);
	is(w, &cr->hash);
}

void model_walk_job(struct job *j, struct model_walk *w)
{
	walk_workload(w, &j->w);
	walk_owners(w, &j->owners, j->n_owners);
	us(w, &j->completed_indexes);
	us(w, &j->failed_indexes);
	j->conditions = arr(w, j->conditions, sizeof(*j->conditions) * j->n_conditions);
	for (uint16_t i = 0; i < j->n_conditions; i++) {
		is(w, &j->conditions[i].type);
		is(w, &j->conditions[i].reason);
		us(w, &j->conditions[i].message);
	}
}

void model_walk_cronjob(struct cronjob *cj, struct model_walk *w)
{
	is(w, &cj->namespace);
	us(w, &cj->name);
	us(w, &cj->uid);
	is(w, &cj->schedule);
	is(w, &cj->time_zone);
	is(w, &cj->concurrency_policy);
	walk_kv(w, &cj->labels, cj->n_labels);
	cj->active = arr(w, cj->active, sizeof(*cj->active) * cj->n_active);
	for (uint16_t i = 0; i < cj->n_active; i++) {
		is(w, &cj->active[i].namespace);
		us(w, &cj->active[i].name);
		us(w, &cj->active[i].uid);
	}
	walk_strs(w, &cj->images, cj->n_images);
}

/* owner_uid and pod_template_hash alias strings of owners and labels: not visited. */
void model_walk_replicaset(struct replicaset *rs, struct model_walk *w)
{
	is(w, &rs->namespace);
	us(w, &rs->name);
	us(w, &rs->uid);
	is(w, &rs->revision);
	walk_kv(w, &rs->labels, rs->n_labels);
	walk_owners(w, &rs->owners, rs->n_owners);
	walk_strs(w, &rs->images, rs->n_images);
	walk_strs(w, &rs->init_images, rs->n_init_images);
	walk_dconds(w, &rs->conditions, rs->n_conditions);
}

void model_walk_service(struct service *s, struct model_walk *w)
{
	is(w, &s->namespace);
	us(w, &s->name);
	us(w, &s->uid);
	is(w, &s->type);
	us(w, &s->cluster_ip);
	walk_kv(w, &s->labels, s->n_labels);
	walk_kv(w, &s->selector, s->n_selector);
	s->ports = arr(w, s->ports, sizeof(*s->ports) * s->n_ports);
	for (uint16_t i = 0; i < s->n_ports; i++) {
		is(w, &s->ports[i].name);
		is(w, &s->ports[i].protocol);
		walk_intstr(w, &s->ports[i].target_port);
	}
}

void model_walk_endpoints(struct endpoints *e, struct model_walk *w)
{
	is(w, &e->namespace);
	us(w, &e->name);
	us(w, &e->uid);
	e->addresses = arr(w, e->addresses, sizeof(*e->addresses) * e->n_addresses);
	for (uint16_t i = 0; i < e->n_addresses; i++) {
		us(w, &e->addresses[i].ip);
		is(w, &e->addresses[i].target_kind);
		is(w, &e->addresses[i].target_name);
		is(w, &e->addresses[i].node_name);
	}
	e->ports = arr(w, e->ports, sizeof(*e->ports) * e->n_ports);
	for (uint16_t i = 0; i < e->n_ports; i++) {
		is(w, &e->ports[i].name);
		is(w, &e->ports[i].protocol);
	}
}

void model_walk_event(struct event *e, struct model_walk *w)
{
	is(w, &e->namespace);
	us(w, &e->name);
	us(w, &e->uid);
	is(w, &e->involved_kind);
	is(w, &e->involved_namespace);
	is(w, &e->involved_name);
	is(w, &e->involved_uid);
	is(w, &e->involved_field);
	is(w, &e->reason);
	us(w, &e->message);
	is(w, &e->source);
}

void model_walk_namespace(struct namespace_obj *n, struct model_walk *w)
{
	us(w, &n->name);
	us(w, &n->uid);
	is(w, &n->phase);
	walk_kv(w, &n->labels, n->n_labels);
}

void model_walk_shared(enum model_share what, void *array, uint16_t n, struct model_walk *w)
{
	/* Callbacks may cast w to their own larger struct: walk w itself. */
	bool (*share)(struct model_walk *, enum model_share, void **, uint16_t) = w->share;
	w->share = NULL;
	switch (what) {
	case MODEL_SHARE_KV: {
		struct model_kv *kv = array;
		walk_kv(w, &kv, n);
		break;
	}
	case MODEL_SHARE_OWNERS: {
		struct owner_ref *o = array;
		walk_owners(w, &o, n);
		break;
	}
	case MODEL_SHARE_SPECS: {
		struct container_spec *c = array;
		walk_specs(w, &c, n);
		break;
	}
	}
	w->share = share;
}

void model_walk_pdb(struct pdb *p, struct model_walk *w)
{
	is(w, &p->namespace);
	us(w, &p->name);
	us(w, &p->uid);
	walk_selector(w, &p->match_labels, p->n_match_labels, &p->match_exprs, p->n_match_exprs);
	walk_intstr(w, &p->min_available);
	walk_intstr(w, &p->max_unavailable);
}

void model_walk_resource_quota(struct resource_quota *q, struct model_walk *w)
{
	is(w, &q->namespace);
	us(w, &q->name);
	us(w, &q->uid);
	q->items = arr(w, q->items, sizeof(*q->items) * q->n_items);
	for (uint16_t i = 0; i < q->n_items; i++) {
		is(w, &q->items[i].resource);
		is(w, &q->items[i].hard);
		is(w, &q->items[i].used);
	}
}

void model_walk_hpa(struct hpa *h, struct model_walk *w)
{
	is(w, &h->namespace);
	us(w, &h->name);
	us(w, &h->uid);
	is(w, &h->target_kind);
	is(w, &h->target_name);
}
