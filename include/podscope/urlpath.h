#ifndef PODSCOPE_URLPATH_H
#define PODSCOPE_URLPATH_H

#include <stdbool.h>
#include <stddef.h>

struct buf;

/*
 * What goes between the slashes of an API path. Names come from the cluster
 * (hostile), so every segment is percent-encoded, and the actions refuse a
 * name that Kubernetes itself would never have accepted before they build
 * any request with it.
 */

/* Append s to b with every byte but RFC 3986's unreserved ones (A-Z a-z 0-9
 * - . _ ~) as %XX: right for a path segment and a query value alike, so a
 * '/', '?', '%' or "../" in s can never change which path is asked for. */
void urlpath_escape(struct buf *b, const char *s);

/* The rules apimachinery's validation applies to object names. */
enum urlpath_rule {
	URLPATH_DNS1123_SUBDOMAIN, /* pods, deployments, replicasets: at most 253 */
	URLPATH_DNS1123_LABEL,     /* namespaces: at most 63, no dots */
	URLPATH_DNS1035_LABEL,     /* services: a label that starts with a letter */
};

/*
 * Whether name follows rule (IsDNS1123Subdomain, IsDNS1123Label,
 * IsDNS1035Label in k8s.io/apimachinery/pkg/util/validation). When it does
 * not, why gets apimachinery's messages, joined by ", " as the API joins
 * them ("must be no more than 63 characters, a lowercase RFC 1123 label
 * must consist of ..."), cut to n bytes.
 */
bool urlpath_name_valid(const char *name, enum urlpath_rule rule, char *why, size_t n);

#endif
