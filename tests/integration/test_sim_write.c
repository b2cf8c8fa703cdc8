#include "config.h"

#include <check.h>

#include "test_sim_write.h"
#include "testutil.h"

/* The API server's write path: create, replace, patch, delete, /scale, /status. */

static void setup(void)
{
	tw_start(1000);
}

#define PODS    "/api/v1/namespaces/default/pods"
#define DEPLOYS "/apis/apps/v1/namespaces/default/deployments"

static const char *deploy_json =
    "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"web\"},"
    "\"spec\":{\"replicas\":2,\"selector\":{\"matchLabels\":{\"app\":\"web\"}},"
    "\"template\":{\"metadata\":{\"labels\":{\"app\":\"web\"}},\"spec\":{\"containers\":["
    "{\"name\":\"nginx\",\"image\":\"nginx:1.27\"},{\"name\":\"side\",\"image\":\"busybox\"}]}}},"
    "\"status\":{\"replicas\":99}}";

START_TEST(test_create_defaults_and_errors)
{
	tw_mkpod("default", "p1", NULL, NULL);
	cJSON *j = tw_get(PODS "/p1");
	ck_str(j, "spec.restartPolicy", "Always");
	ck_assert_int_eq((int)tw_jnum(j, "spec.terminationGracePeriodSeconds"), 30);
	ck_str(j, "spec.containers.0.imagePullPolicy", "IfNotPresent");
	ck_str(j, "status.phase", "Pending");
	ck_str(j, "status.qosClass", "BestEffort");
	ck_assert_int_eq((int)strlen(tw_jstr(j, "metadata.uid")), 36);
	ck_assert_ptr_nonnull(tw_jstr(j, "metadata.creationTimestamp"));
	cJSON_Delete(j);

	/* The same name again: 409 AlreadyExists. */
	j = tw("POST", PODS, JSON,
	       "{\"metadata\":{\"name\":\"p1\"},\"spec\":{\"containers\":[{\"name\":\"c\","
	       "\"image\":\"x\"}]}}",
	       409);
	ck_status(j, 409, "AlreadyExists", "pods \"p1\" already exists");
	cJSON_Delete(j);
	/* A namespace that does not exist: 404. */
	j = tw("POST", "/api/v1/namespaces/nope/pods", JSON,
	       "{\"metadata\":{\"name\":\"p\"},\"spec\":{\"containers\":[{\"name\":\"c\","
	       "\"image\":\"x\"}]}}",
	       404);
	ck_status(j, 404, "NotFound", "namespaces \"nope\" not found");
	cJSON_Delete(j);
	/* Invalid: 422 naming the field. */
	j = tw("POST", PODS, JSON,
	       "{\"metadata\":{\"name\":\"Bad_Name\"},\"spec\":{\"containers\":[{\"name\":\"c\","
	       "\"image\":\"x\"}]}}",
	       422);
	ck_status(j, 422, "Invalid", "Pod \"Bad_Name\" is invalid: metadata.name: Invalid value");
	cJSON_Delete(j);
	j = tw("POST", DEPLOYS, JSON,
	       "{\"metadata\":{\"name\":\"d\"},\"spec\":{\"replicas\":-1,\"selector\":{"
	       "\"matchLabels\":{\"a\":\"b\"}},\"template\":{\"metadata\":{\"labels\":{\"a\":"
	       "\"c\"}},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"x\"}]}}}}",
	       422);
	ck_status(j, 422, "Invalid", "spec.replicas: Invalid value: -1: must be greater than or");
	ck_assert_ptr_nonnull(strstr(tw_jstr(j, "message"), "`selector` does not match template"));
	cJSON_Delete(j);
	/* Bad JSON: 400; a kind that is not the URL's: 400. */
	j = tw("POST", PODS, JSON, "{\"metadata\":", 400);
	ck_status(j, 400, "BadRequest", "");
	cJSON_Delete(j);
	j = tw("POST", PODS, JSON, "{\"kind\":\"Service\",\"metadata\":{\"name\":\"x\"}}", 400);
	ck_status(j, 400, "BadRequest", "does not match");
	cJSON_Delete(j);
	/* generateName. */
	j = tw("POST", PODS, JSON,
	       "{\"metadata\":{\"generateName\":\"gen-\"},\"spec\":{\"containers\":[{\"name\":"
	       "\"c\",\"image\":\"x\"}]}}",
	       201);
	ck_assert_int_eq((int)strlen(tw_jstr(j, "metadata.name")), 9);
	ck_assert(strncmp(tw_jstr(j, "metadata.name"), "gen-", 4) == 0);
	cJSON_Delete(j);
	/* dryRun stores nothing. */
	cJSON_Delete(tw("POST", PODS "?dryRun=All", JSON,
			"{\"metadata\":{\"name\":\"dry\"},\"spec\":{\"containers\":[{\"name\":"
			"\"c\",\"image\":\"x\"}]}}",
			201));
	ck_assert_ptr_null(tw_get(PODS "/dry"));
}
END_TEST

START_TEST(test_replace_conflict_generation)
{
	cJSON *j = tw("POST", DEPLOYS, JSON, deploy_json, 201);
	ck_assert_int_eq((int)tw_jnum(j, "metadata.generation"), 1);
	ck_str(j, "spec.strategy.type", "RollingUpdate");
	ck_str(j, "spec.strategy.rollingUpdate.maxSurge", "25%");
	ck_assert_int_eq((int)tw_jnum(j, "spec.revisionHistoryLimit"), 10);
	ck_assert_int_eq((int)tw_jnum(j, "spec.progressDeadlineSeconds"), 600);
	ck_assert_ptr_null(tj_get(j, "status.replicas")); /* status is the controllers' */
	char *rv = strdup(tw_jstr(j, "metadata.resourceVersion"));

	/* Replace with the current resourceVersion: spec changed, generation 2. The
	 * deployment controller writes status too, so retry on conflict as
	 * clients do. */
	char *body = NULL;
	struct th_req *r = NULL;
	for (int tries = 0; tries < 20; tries++) {
		cJSON_Delete(j);
		j = tw_get(DEPLOYS "/web");
		cJSON *spec = cJSON_GetObjectItem(j, "spec");
		cJSON_ReplaceItemInObject(spec, "replicas", cJSON_CreateNumber(5));
		cJSON_ReplaceItemInObject(j, "status", cJSON_Parse("{\"replicas\":77}"));
		free(body);
		body = cJSON_PrintUnformatted(j);
		r = tw_do("PUT", DEPLOYS "/web", JSON, body);
		if (r->status != 409)
			break;
		th_free(r);
		th_pump(20);
	}
	cJSON *k = tw_json(r, 200);
	ck_assert_int_eq((int)tw_jnum(k, "metadata.generation"), 2);
	ck_assert_int_eq((int)tw_jnum(k, "spec.replicas"), 5);
	ck_assert(tw_jnum(k, "status.replicas") != 77);
	ck_assert_str_ne(tw_jstr(k, "metadata.resourceVersion"), rv);
	cJSON_Delete(k);

	/* The same body again carries a stale resourceVersion now: 409 Conflict. */
	k = tw("PUT", DEPLOYS "/web", JSON, body, 409);
	ck_status(k, 409, "Conflict",
		  "Operation cannot be fulfilled on deployments.apps \"web\": the object has been "
		  "modified; please apply your changes to the latest version and try again");
	cJSON_Delete(k);
	/* A metadata-only change keeps the generation. */
	k = tw("PATCH", DEPLOYS "/web", MERGE, "{\"metadata\":{\"labels\":{\"x\":\"y\"}}}", 200);
	ck_assert_int_eq((int)tw_jnum(k, "metadata.generation"), 2);
	ck_str(k, "metadata.labels.x", "y");
	cJSON_Delete(k);
	/* Name in the body differs from the URL: 400; the selector is immutable: 422. */
	k = tw("PUT", DEPLOYS "/other", JSON, body, 400);
	ck_status(k, 400, "BadRequest", "does not match the name on the URL (other)");
	cJSON_Delete(k);
	k = tw("PATCH", DEPLOYS "/web", MERGE,
	       "{\"spec\":{\"selector\":{\"matchLabels\":{\"app\":\"x\"}},\"template\":{"
	       "\"metadata\":{\"labels\":{\"app\":\"x\"}}}}}",
	       422);
	ck_status(k, 422, "Invalid", "spec.selector: Invalid value");
	cJSON_Delete(k);
	free(body);
	free(rv);
	cJSON_Delete(j);
}
END_TEST

START_TEST(test_patch_flavours)
{
	cJSON_Delete(tw("POST", DEPLOYS, JSON, deploy_json, 201));
	/* Strategic merge: containers merge by name, the other container stays. */
	cJSON *j = tw("PATCH", DEPLOYS "/web", SMP,
		      "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"nginx\","
		      "\"image\":\"nginx:1.28\"}]}}}}",
		      200);
	ck_str(j, "spec.template.spec.containers.0.image", "nginx:1.28");
	ck_str(j, "spec.template.spec.containers.1.name", "side");
	ck_assert_int_eq((int)tw_jnum(j, "metadata.generation"), 2);
	cJSON_Delete(j);
	/* Merge patch replaces lists whole. */
	j = tw("PATCH", DEPLOYS "/web", MERGE,
	       "{\"metadata\":{\"annotations\":{\"a\":\"1\"}},\"spec\":{\"replicas\":4}}", 200);
	ck_str(j, "metadata.annotations.a", "1");
	ck_assert_int_eq((int)tw_jnum(j, "spec.replicas"), 4);
	cJSON_Delete(j);
	/* JSON patch. */
	j = tw("PATCH", DEPLOYS "/web", JSONPATCH,
	       "[{\"op\":\"replace\",\"path\":\"/spec/replicas\",\"value\":3},"
	       "{\"op\":\"add\",\"path\":\"/metadata/labels\",\"value\":{\"l\":\"v\"}}]",
	       200);
	ck_assert_int_eq((int)tw_jnum(j, "spec.replicas"), 3);
	ck_str(j, "metadata.labels.l", "v");
	cJSON_Delete(j);
	j = tw("PATCH", DEPLOYS "/web", JSONPATCH,
	       "[{\"op\":\"test\",\"path\":\"/spec/replicas\",\"value\":9}]", 422);
	cJSON_Delete(j);
	/* Every flavour validates. */
	j = tw("PATCH", DEPLOYS "/web", MERGE, "{\"spec\":{\"replicas\":-3}}", 422);
	ck_status(j, 422, "Invalid", "spec.replicas: Invalid value: -3");
	cJSON_Delete(j);
	j = tw("PATCH", DEPLOYS "/web", SMP, "{\"spec\":{\"replicas\":-3}}", 422);
	cJSON_Delete(j);
	/* A patch carrying a stale resourceVersion: 409. */
	j = tw("PATCH", DEPLOYS "/web", MERGE,
	       "{\"metadata\":{\"resourceVersion\":\"1\"},\"spec\":{\"replicas\":1}}", 409);
	ck_status(j, 409, "Conflict", "the object has been modified");
	cJSON_Delete(j);
	/* Unknown patch type: 415; missing object: 404. */
	j = tw("PATCH", DEPLOYS "/web", "text/plain", "{}", 415);
	ck_status(j, 415, "UnsupportedMediaType", "application/merge-patch+json");
	cJSON_Delete(j);
	j = tw("PATCH", DEPLOYS "/nope", MERGE, "{}", 404);
	ck_status(j, 404, "NotFound", "deployments.apps \"nope\" not found");
	cJSON_Delete(j);
	/* A pod's spec is mostly immutable; its image is not. */
	tw_mkpod("default", "p", NULL, NULL);
	j = tw("PATCH", PODS "/p", SMP,
	       "{\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"nginx:1.28\"}]}}", 200);
	ck_str(j, "spec.containers.0.image", "nginx:1.28");
	cJSON_Delete(j);
	j = tw("PATCH", PODS "/p", MERGE, "{\"spec\":{\"restartPolicy\":\"Never\"}}", 422);
	ck_status(j, 422, "Invalid", "pod updates may not change fields");
	cJSON_Delete(j);
}
END_TEST

static bool is_terminating(const cJSON *j, const void *ud)
{
	(void)ud;
	return j && tw_jstr(j, "metadata.deletionTimestamp");
}

START_TEST(test_delete_grace)
{
	/* 2000 s at --speed 1000: two seconds of real time. */
	tw_mkpod("default", "slow", NULL, "\"terminationGracePeriodSeconds\":2000,");
	cJSON *j = tw("DELETE", PODS "/slow", JSON,
		      "{\"kind\":\"DeleteOptions\",\"apiVersion\":\"v1\",\"propagationPolicy\":"
		      "\"Background\"}",
		      200);
	ck_assert_ptr_nonnull(tw_jstr(j, "metadata.deletionTimestamp"));
	ck_assert_int_eq((int)tw_jnum(j, "metadata.deletionGracePeriodSeconds"), 2000);
	cJSON_Delete(j);
	ck_assert(tw_until(PODS "/slow", is_terminating, NULL, 100));
	/* A second delete with a longer grace changes nothing. */
	j = tw("DELETE", PODS "/slow?gracePeriodSeconds=6000", NULL, NULL, 200);
	ck_assert_int_eq((int)tw_jnum(j, "metadata.deletionGracePeriodSeconds"), 2000);
	cJSON_Delete(j);
	ck_assert(tw_until(PODS "/slow", tw_gone, NULL, 20000));

	/* Grace 0 (kubectl delete --grace-period=0 --force): gone at once. */
	tw_mkpod("default", "fast", NULL, NULL);
	cJSON_Delete(tw("DELETE", PODS "/fast", JSON, "{\"gracePeriodSeconds\":0}", 200));
	ck_assert_ptr_null(tw_get(PODS "/fast"));
	/* An unbound pod goes at once too. */
	cJSON_Delete(tw("POST", PODS, JSON,
			"{\"metadata\":{\"name\":\"unbound\"},\"spec\":{\"containers\":[{"
			"\"name\":\"c\",\"image\":\"x\"}]}}",
			201));
	cJSON_Delete(tw("DELETE", PODS "/unbound", NULL, NULL, 200));
	ck_assert_ptr_null(tw_get(PODS "/unbound"));
	/* 404, and preconditions. */
	j = tw("DELETE", PODS "/unbound", NULL, NULL, 404);
	ck_status(j, 404, "NotFound", "pods \"unbound\" not found");
	cJSON_Delete(j);
	tw_mkpod("default", "pre", NULL, NULL);
	j = tw("DELETE", PODS "/pre", JSON, "{\"preconditions\":{\"uid\":\"nope\"}}", 409);
	ck_status(j, 409, "Conflict", "Precondition failed: UID in precondition: nope");
	cJSON_Delete(j);
	/* A collection, by label. */
	tw_mkpod("default", "c1", "{\"batch\":\"x\"}", NULL);
	tw_mkpod("default", "c2", "{\"batch\":\"x\"}", NULL);
	j = tw("DELETE", PODS "?labelSelector=batch%3Dx", JSON, "{\"gracePeriodSeconds\":0}", 200);
	ck_str(j, "kind", "PodList");
	ck_assert_int_eq(cJSON_GetArraySize(tj_get(j, "items")), 2);
	cJSON_Delete(j);
	ck_assert_ptr_null(tw_get(PODS "/c1"));
	ck_assert_ptr_null(tw_get(PODS "/c2"));
	ck_assert_ptr_nonnull(j = tw_get(PODS "/pre"));
	cJSON_Delete(j);
	/* Other kinds: Status Success. */
	cJSON_Delete(tw("POST", DEPLOYS, JSON, deploy_json, 201));
	j = tw("DELETE", DEPLOYS "/web", NULL, NULL, 200);
	ck_str(j, "status", "Success");
	ck_str(j, "details.name", "web");
	cJSON_Delete(j);
}
END_TEST

START_TEST(test_scale_subresource)
{
	cJSON_Delete(tw("POST", DEPLOYS, JSON, deploy_json, 201));
	cJSON *j = tw("GET", DEPLOYS "/web/scale", NULL, NULL, 200);
	ck_str(j, "kind", "Scale");
	ck_str(j, "apiVersion", "autoscaling/v1");
	ck_assert_int_eq((int)tw_jnum(j, "spec.replicas"), 2);
	ck_str(j, "status.selector", "app=web");
	cJSON_Delete(j);
	/* PATCH as kubectl scale sends it. */
	j = tw("PATCH", DEPLOYS "/web/scale", MERGE, "{\"spec\":{\"replicas\":6}}", 200);
	ck_str(j, "kind", "Scale");
	ck_assert_int_eq((int)tw_jnum(j, "spec.replicas"), 6);
	char *rv = strdup(tw_jstr(j, "metadata.resourceVersion"));
	cJSON_Delete(j);
	j = tw_get(DEPLOYS "/web");
	ck_assert_int_eq((int)tw_jnum(j, "spec.replicas"), 6);
	ck_assert_int_eq((int)tw_jnum(j, "metadata.generation"), 2);
	cJSON_Delete(j);
	/* PUT with the current (retrying on conflict) and a stale resourceVersion. */
	char body[256];
	struct th_req *r = NULL;
	for (int tries = 0; tries < 20; tries++) {
		j = tw_get(DEPLOYS "/web/scale");
		snprintf(body, sizeof(body),
			 "{\"kind\":\"Scale\",\"apiVersion\":\"autoscaling/v1\",\"metadata\":{"
			 "\"name\":\"web\",\"resourceVersion\":\"%s\"},\"spec\":{\"replicas\":1}}",
			 tw_jstr(j, "metadata.resourceVersion"));
		cJSON_Delete(j);
		r = tw_do("PUT", DEPLOYS "/web/scale", JSON, body);
		if (r->status != 409)
			break;
		th_free(r);
		th_pump(20);
	}
	j = tw_json(r, 200);
	ck_assert_int_eq((int)tw_jnum(j, "spec.replicas"), 1);
	cJSON_Delete(j);
	snprintf(body, sizeof(body),
		 "{\"kind\":\"Scale\",\"apiVersion\":\"autoscaling/v1\",\"metadata\":{\"name\":"
		 "\"web\",\"resourceVersion\":\"%s\"},\"spec\":{\"replicas\":1}}",
		 rv);
	j = tw("PUT", DEPLOYS "/web/scale", JSON, body, 409);
	ck_status(j, 409, "Conflict", "the object has been modified");
	cJSON_Delete(j);
	j = tw("PATCH", DEPLOYS "/web/scale", MERGE, "{\"spec\":{\"replicas\":-1}}", 422);
	ck_status(j, 422, "Invalid",
		  "Scale.autoscaling \"web\" is invalid: spec.replicas: Invalid value: -1: must be "
		  "greater than or equal to 0");
	cJSON_Delete(j);
	j = tw("GET", DEPLOYS "/nope/scale", NULL, NULL, 404);
	cJSON_Delete(j);
	j = tw("GET", PODS "/x/scale", NULL, NULL, 404);
	cJSON_Delete(j);
	free(rv);
}
END_TEST

START_TEST(test_status_subresource)
{
	tw_mkpod("default", "p", NULL, NULL);
	/* PATCH /status changes the status only. */
	cJSON *j =
	    tw("PATCH", PODS "/p/status", SMP,
	       "{\"metadata\":{\"labels\":{\"no\":\"pe\"}},\"status\":{\"phase\":\"Running\","
	       "\"podIP\":\"10.244.9.9\",\"conditions\":[{\"type\":\"Ready\",\"status\":"
	       "\"True\"}]}}",
	       200);
	ck_str(j, "status.phase", "Running");
	ck_str(j, "status.conditions.0.type", "Ready");
	ck_assert_ptr_null(tj_get(j, "metadata.labels.no"));
	cJSON_Delete(j);
	/* PUT /status: a changed spec in the body is ignored. */
	j = tw_get(PODS "/p");
	cJSON_ReplaceItemInObject(cJSON_GetObjectItem(j, "status"), "phase",
				  cJSON_CreateString("Succeeded"));
	cJSON_ReplaceItemInObject(cJSON_GetObjectItem(j, "spec"), "restartPolicy",
				  cJSON_CreateString("Never"));
	char *body = cJSON_PrintUnformatted(j);
	cJSON_Delete(j);
	j = tw("PUT", PODS "/p/status", JSON, body, 200);
	ck_str(j, "status.phase", "Succeeded");
	ck_str(j, "spec.restartPolicy", "Always");
	cJSON_Delete(j);
	/* And the main resource ignores status. */
	j = tw("PATCH", PODS "/p", MERGE, "{\"status\":{\"phase\":\"Failed\"}}", 200);
	ck_str(j, "status.phase", "Succeeded");
	cJSON_Delete(j);
	free(body);
}
END_TEST

START_TEST(test_readonly_forbidden)
{
	const char *tok = simauth_token(th_sim.auth, SIMUSER_READONLY);
	const char *verbs[][3] = {
	    {"POST", PODS, "create"},
	    {"PUT", PODS "/x", "update"},
	    {"PATCH", PODS "/x", "patch"},
	    {"DELETE", PODS "/x", "delete"},
	    {"DELETE", PODS, "deletecollection"},
	    {"PATCH", DEPLOYS "/x/scale", "patch"},
	};
	for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++) {
		struct th_req *r = tw_do_as(verbs[i][0], verbs[i][1], MERGE, "{}", tok);
		cJSON *j = tw_json(r, 403);
		char want[128];
		snprintf(want, sizeof(want), "cannot %s resource", verbs[i][2]);
		ck_status(j, 403, "Forbidden", want);
		cJSON_Delete(j);
	}
}
END_TEST

/* kubectl create namespace/deployment send protobuf (runtime.Unknown envelope). */
static size_t pb_str(unsigned char *out, int field, const char *s)
{
	size_t n = strlen(s);
	out[0] = (unsigned char)(field << 3 | 2);
	out[1] = (unsigned char)n;
	memcpy(out + 2, s, n);
	return n + 2;
}

START_TEST(test_protobuf_create)
{
	unsigned char meta[64], ns[80], tm[32], body[160];
	size_t m = pb_str(meta, 1, "pbns");
	ns[0] = 1 << 3 | 2;
	ns[1] = (unsigned char)m;
	memcpy(ns + 2, meta, m);
	size_t nsl = m + 2;
	size_t t = pb_str(tm, 1, "v1");
	t += pb_str(tm + t, 2, "Namespace");
	size_t b = 0;
	memcpy(body, "k8s", 4);
	b = 4;
	body[b++] = 1 << 3 | 2;
	body[b++] = (unsigned char)t;
	memcpy(body + b, tm, t);
	b += t;
	body[b++] = 2 << 3 | 2;
	body[b++] = (unsigned char)nsl;
	memcpy(body + b, ns, nsl);
	b += nsl;
	struct th_req *r = th_post_bytes("/api/v1/namespaces",
					 "application/vnd.kubernetes.protobuf", body, b, NULL);
	ck_assert(th_wait(r, NULL, 10000));
	cJSON *j = tw_json(r, 201);
	ck_str(j, "metadata.name", "pbns");
	ck_str(j, "status.phase", "Active");
	ck_str(j, "spec.finalizers.0", "kubernetes");
	const cJSON *l =
	    cJSON_GetObjectItem(tj_get(j, "metadata.labels"), "kubernetes.io/metadata.name");
	ck_assert(cJSON_IsString(l) && strcmp(l->valuestring, "pbns") == 0);
	cJSON_Delete(j);
}
END_TEST

/* POST a captured kubectl protobuf body from tests/fixtures/sim/pb; the
 * answer, after checking its status. */
static cJSON *post_fixture(const char *path, const char *file, long want_status)
{
	char fn[1024];
	snprintf(fn, sizeof(fn), "%s/tests/fixtures/sim/pb/%s", test_srcdir(), file);
	size_t n;
	char *data = test_slurp_len(fn, &n);
	ck_assert_msg(data != NULL, "cannot read %s", fn);
	struct th_req *r =
	    th_post_bytes(path, "application/vnd.kubernetes.protobuf", data, n, NULL);
	free(data);
	ck_assert(th_wait(r, NULL, 10000));
	return tw_json(r, want_status);
}

START_TEST(test_protobuf_from_kubectl)
{
	cJSON *j = post_fixture(DEPLOYS, "create-deployment.bin", 201);
	ck_str(j, "metadata.name", "web");
	ck_str(j, "metadata.labels.app", "web");
	ck_assert_int_eq((int)tw_jnum(j, "spec.replicas"), 3);
	ck_str(j, "spec.selector.matchLabels.app", "web");
	ck_str(j, "spec.template.metadata.labels.app", "web");
	ck_str(j, "spec.template.spec.containers.0.name", "nginx");
	ck_str(j, "spec.template.spec.containers.0.image", "nginx:1.27");
	ck_assert_int_eq((int)tw_jnum(j, "spec.template.spec.containers.0.ports.0.containerPort"), 80);
	ck_str(j, "spec.template.spec.containers.0.ports.0.protocol", "TCP");
	ck_str(j, "spec.template.spec.containers.1.image", "busybox");
	ck_str(j, "spec.template.spec.containers.1.imagePullPolicy", "Always");
	ck_str(j, "spec.strategy.type", "RollingUpdate");
	ck_assert_int_eq((int)tw_jnum(j, "spec.revisionHistoryLimit"), 10);
	ck_assert_ptr_null(tj_get(j, "spec.paused"));
	cJSON_Delete(j);
	j = post_fixture(DEPLOYS, "create-deployment-command.bin", 201);
	ck_str(j, "spec.template.spec.containers.0.command.0", "sleep");
	ck_str(j, "spec.template.spec.containers.0.command.1", "3600");
	ck_assert_int_eq((int)tw_jnum(j, "spec.replicas"), 1);
	cJSON_Delete(j);
	j = post_fixture("/api/v1/namespaces/default/services", "create-service.bin", 201);
	ck_str(j, "metadata.name", "s1");
	ck_str(j, "spec.type", "ClusterIP");
	ck_str(j, "spec.selector.app", "s1");
	ck_str(j, "spec.ports.0.name", "80-8080");
	ck_assert_int_eq((int)tw_jnum(j, "spec.ports.0.port"), 80);
	ck_assert_int_eq((int)tw_jnum(j, "spec.ports.0.targetPort"), 8080);
	ck_str(j, "spec.ports.1.targetPort", "web");
	ck_assert_ptr_nonnull(tw_jstr(j, "spec.clusterIP"));
	ck_str(j, "spec.clusterIPs.0", tw_jstr(j, "spec.clusterIP"));
	cJSON_Delete(j);
	j = post_fixture("/api/v1/namespaces/default/services", "create-service-nodeport.bin", 201);
	ck_str(j, "spec.type", "NodePort");
	ck_assert_int_eq((int)tw_jnum(j, "spec.ports.0.nodePort"), 30080);
	ck_str(j, "spec.externalTrafficPolicy", "Cluster");
	cJSON_Delete(j);
	/* A protobuf body of the wrong kind: 415, nothing stored. */
	cJSON_Delete(post_fixture(DEPLOYS, "create-service.bin", 415));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("sim_write");
	TCase *tc = tcase_create("write");
	tcase_add_checked_fixture(tc, setup, tw_stop);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_create_defaults_and_errors);
	tcase_add_test(tc, test_replace_conflict_generation);
	tcase_add_test(tc, test_patch_flavours);
	tcase_add_test(tc, test_delete_grace);
	tcase_add_test(tc, test_scale_subresource);
	tcase_add_test(tc, test_status_subresource);
	tcase_add_test(tc, test_readonly_forbidden);
	tcase_add_test(tc, test_protobuf_create);
	tcase_add_test(tc, test_protobuf_from_kubectl);
	suite_add_tcase(s, tc);
	return test_run_suite(s);
}
