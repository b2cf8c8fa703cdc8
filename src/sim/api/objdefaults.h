#ifndef PODSCOPE_SIM_OBJDEFAULTS_H
#define PODSCOPE_SIM_OBJDEFAULTS_H

#include <cjson/cJSON.h>

/*
 * What the API server does to an object between receiving and storing it:
 * defaulting, then validation. Both are pure functions of the object, so
 * that POST, PUT and every PATCH flavour go through the same two calls.
 * Kinds: Deployment, ReplicaSet, Pod, Service, Namespace, Endpoints, Event;
 * other kinds pass through untouched.
 */

/* Fill in the defaults (SetDefaults_Deployment, SetDefaults_PodSpec,
 * SetDefaults_Probe, SetDefaults_Service...) in place. */
void objdefaults_apply(const char *kind, cJSON *obj);

/*
 * Validate. NULL when the object is valid; otherwise a Kubernetes Status
 * object (code 422, reason Invalid, details.causes naming each field), with
 * the message kubectl prints: `Deployment.apps "web" is invalid: spec.replicas:
 * Invalid value: -1: must be greater than or equal to 0`. group is "" for
 * the core group.
 */
cJSON *objvalidate(const char *kind, const char *group, const cJSON *obj);

/* Name rules, shared with the URL router. NULL when valid, else the reason. */
const char *objvalidate_dns1123_label(const char *s);
const char *objvalidate_dns1123_subdomain(const char *s);
const char *objvalidate_dns1035_label(const char *s);

#endif
