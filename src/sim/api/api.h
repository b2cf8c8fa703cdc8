#ifndef PODSCOPE_SIM_API_H
#define PODSCOPE_SIM_API_H

#include <stdbool.h>

#include "http.h"
#include "resources.h"

/*
 * REST routing: authentication answers (401), authorization (403),
 * discovery, and the resource paths
 *   /api/v1[/namespaces/NS]/RESOURCE[/NAME[/SUBRESOURCE]]
 *   /apis/GROUP/VERSION[/namespaces/NS]/RESOURCE[/NAME[/SUBRESOURCE]]
 * (and the deprecated /api/v1/watch/... form). Exactly one answer is queued
 * for every request.
 */
void simapi_handle(struct simreq *r);

/* A resource request, parsed. */
struct simroute {
	const struct simres *res; /* NULL for selfsubjectaccessreviews */
	char group[64];
	char version[16];
	char resource[64]; /* the plural as requested */
	char *ns;          /* NULL: none in the path */
	char *name;        /* NULL: the collection */
	char *sub;         /* NULL: the object itself */
	const char *verb;  /* get, list, watch, create, update, patch, delete, deletecollection */
	bool watch;
};

/*
 * Parse method and path into a route; false when the path is not a resource
 * path at all. route->res stays NULL for resources that are not served.
 */
bool simapi_parse(const char *method, const char *path, bool watch_param, struct simroute *rt);
void simapi_route_free(struct simroute *rt);

/* The Forbidden message kube-apiserver's RBAC denial gives, e.g.
 * deployments.apps "web" is forbidden: User "sim-readonly" cannot patch
 * resource "deployments" in API group "apps" in the namespace "default". */
char *simapi_forbidden_message(const char *user, const char *verb, const char *group,
                               const char *resource, const char *sub, const char *ns,
                               const char *name);

/* 404 NotFound for one object: pods "x" not found. */
void simapi_not_found(struct simreq *r, const struct simres *res, const char *name);

#endif
