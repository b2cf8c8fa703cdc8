#include "config.h"

#include <check.h>

#include "test_sim_write.h"
#include "testutil.h"

/* Endpoints and EndpointSlices following readiness, namespace lifecycle, the
 * garbage collector. */

static void setup(void)
{
	tw_start(1000);
}

#define NS "/api/v1/namespaces/shop"

static void set_ready(const char *pod, const char *ip, bool ready)
{
	char path[256], body[512];
	snprintf(path, sizeof(path), NS "/pods/%s/status", pod);
	snprintf(body, sizeof(body),
		 "{\"status\":{\"phase\":\"Running\",\"podIP\":\"%s\",\"conditions\":[{\"type\":"
		 "\"Ready\",\"status\":\"%s\"}]}}",
		 ip, ready ? "True" : "False");
	cJSON_Delete(tw("PATCH", path, SMP, body, 200));
}

/* The Endpoints' "ready|notready" IPs, e.g. "10.0.0.1:8080,|10.0.0.2:8080,". */
static void ep_summary(const cJSON *ep, char *out, size_t n)
{
	struct buf b = BUF_INIT;
	const char *keys[] = {"addresses", "notReadyAddresses"};
	for (int k = 0; k < 2; k++) {
		if (k)
			buf_addc(&b, '|');
		const cJSON *ss, *a;
		cJSON_ArrayForEach(ss, cJSON_GetObjectItem(ep, "subsets"))
		{
			cJSON_ArrayForEach(a, cJSON_GetObjectItem(ss, keys[k]))
			{
				buf_printf(&b, "%s:%d,", tw_jstr(a, "ip"),
					   (int)tw_jnum(ss, "ports.0.port"));
			}
		}
	}
	snprintf(out, n, "%s", b.data ? b.data : "");
	buf_free(&b);
}

static bool ep_is(const cJSON *j, const void *ud)
{
	char s[512];
	if (!j)
		return false;
	ep_summary(j, s, sizeof(s));
	return strcmp(s, ud) == 0;
}

/* The first slice of the service: "ip:ready:serving:terminating,...". */
static bool slice_is(const cJSON *j, const void *ud)
{
	const cJSON *items = cJSON_GetObjectItem(j, "items");
	if (cJSON_GetArraySize(items) != 1)
		return false;
	const cJSON *sl = cJSON_GetArrayItem(items, 0), *e;
	struct buf b = BUF_INIT;
	cJSON_ArrayForEach(e, cJSON_GetObjectItem(sl, "endpoints"))
	{
		buf_printf(&b, "%s:%d:%d:%d,", tw_jstr(e, "addresses.0"),
			   cJSON_IsTrue(tj_get(e, "conditions.ready")),
			   cJSON_IsTrue(tj_get(e, "conditions.serving")),
			   cJSON_IsTrue(tj_get(e, "conditions.terminating")));
	}
	bool ok = strcmp(b.data ? b.data : "", ud) == 0 &&
		  (!*(const char *)ud || tw_jnum(sl, "ports.0.port") == 8080);
	buf_free(&b);
	return ok;
}

static bool no_items(const cJSON *j, const void *ud)
{
	(void)ud;
	return j && cJSON_GetArraySize(cJSON_GetObjectItem(j, "items")) == 0;
}

START_TEST(test_endpoints_follow_readiness)
{
	tw_mkns("shop");
	tw_mkpod("shop", "a", "{\"app\":\"web\"}", NULL);
	tw_mkpod("shop", "b", "{\"app\":\"web\"}", "\"terminationGracePeriodSeconds\":100000,");
	tw_mkpod("shop", "other", "{\"app\":\"db\"}", NULL);
	cJSON *svc = tw("POST", NS "/services", JSON,
			"{\"metadata\":{\"name\":\"web\",\"labels\":{\"team\":\"x\"}},\"spec\":{"
			"\"selector\":{\"app\":\"web\"},\"ports\":[{\"port\":80,\"targetPort\":"
			"\"http\"}]}}",
			201);
	const char *ip = tw_jstr(svc, "spec.clusterIP");
	ck_assert_msg(ip && strncmp(ip, "10.", 3) == 0, "clusterIP %s", ip ? ip : "(none)");
	ck_str(svc, "spec.type", "ClusterIP");
	cJSON_Delete(svc);

	/* No pod has an IP yet: Endpoints with no subsets, a slice with no endpoints. */
	ck_assert(tw_until(NS "/endpoints/web", ep_is, "|", 5000));
	ck_assert(tw_until("/apis/discovery.k8s.io/v1/namespaces/shop/endpointslices?"
			   "labelSelector=kubernetes.io/service-name%3Dweb",
			   slice_is, "", 5000));
	set_ready("a", "10.244.0.5", true);
	set_ready("b", "10.244.0.6", false);
	set_ready("other", "10.244.0.7", true);
	ck_assert(tw_until(NS "/endpoints/web", ep_is, "10.244.0.5:8080,|10.244.0.6:8080,", 5000));
	cJSON *ep = tw_get(NS "/endpoints/web");
	ck_str(ep, "metadata.labels.team", "x");
	ck_str(ep, "subsets.0.addresses.0.nodeName", "test-node");
	ck_str(ep, "subsets.0.addresses.0.targetRef.kind", "Pod");
	ck_str(ep, "subsets.0.addresses.0.targetRef.name", "a");
	cJSON_Delete(ep);
	ck_assert(tw_until("/apis/discovery.k8s.io/v1/namespaces/shop/endpointslices", slice_is,
			   "10.244.0.5:1:1:0,10.244.0.6:0:0:0,", 5000));

	/* Readiness flips: the endpoints follow. */
	set_ready("a", "10.244.0.5", false);
	set_ready("b", "10.244.0.6", true);
	ck_assert(tw_until(NS "/endpoints/web", ep_is, "10.244.0.6:8080,|10.244.0.5:8080,", 5000));
	/* A terminating pod leaves the Endpoints; the slice shows it terminating. */
	cJSON_Delete(tw("DELETE", NS "/pods/b", NULL, NULL, 200));
	ck_assert(tw_until(NS "/endpoints/web", ep_is, "|10.244.0.5:8080,", 5000));
	ck_assert(tw_until("/apis/discovery.k8s.io/v1/namespaces/shop/endpointslices", slice_is,
			   "10.244.0.5:0:0:0,10.244.0.6:0:1:1,", 5000));
	/* The selector switches (blue-green): other pods. */
	cJSON_Delete(tw("PATCH", NS "/services/web", MERGE,
			"{\"spec\":{\"selector\":{\"app\":\"db\"},\"ports\":[{\"port\":80,"
			"\"targetPort\":9090}]}}",
			200));
	ck_assert(tw_until(NS "/endpoints/web", ep_is, "10.244.0.7:9090,|", 5000));
	/* The Service goes: so do its Endpoints and slices. */
	cJSON_Delete(tw("DELETE", NS "/services/web", NULL, NULL, 200));
	ck_assert(tw_until(NS "/endpoints/web", tw_gone, NULL, 5000));
	ck_assert(tw_until("/apis/discovery.k8s.io/v1/namespaces/shop/endpointslices", no_items,
			   NULL, 5000));
}
END_TEST

START_TEST(test_namespace_lifecycle)
{
	tw_mkns("shop");
	tw_mkpod("shop", "p", NULL, "\"terminationGracePeriodSeconds\":30,");
	cJSON_Delete(tw("POST", NS "/services", JSON,
			"{\"metadata\":{\"name\":\"s\"},\"spec\":{\"ports\":[{\"port\":80}]}}",
			201));
	/* A finalizer holds its object, and so the namespace, until removed. */
	cJSON_Delete(tw("POST", NS "/services", JSON,
			"{\"metadata\":{\"name\":\"held\",\"finalizers\":[\"example.com/x\"]},"
			"\"spec\":{\"ports\":[{\"port\":80}]}}",
			201));
	cJSON *j = tw("DELETE", "/api/v1/namespaces/shop", JSON,
		      "{\"propagationPolicy\":\"Background\"}", 200);
	ck_str(j, "status.phase", "Terminating");
	ck_assert_ptr_nonnull(tw_jstr(j, "metadata.deletionTimestamp"));
	cJSON_Delete(j);
	/* Nothing new may be created in it. */
	j = tw("POST", NS "/services", JSON,
	       "{\"metadata\":{\"name\":\"t\"},\"spec\":{\"ports\":[{\"port\":80}]}}", 403);
	ck_status(j, 403, "Forbidden",
		  "unable to create new content in namespace shop because it is being terminated");
	cJSON_Delete(j);
	/* Its objects go (the pod after its grace period); the held one waits. */
	ck_assert(tw_until(NS "/pods", no_items, NULL, 20000));
	ck_assert(tw_until(NS "/services/s", tw_gone, NULL, 20000));
	j = tw_get(NS "/services/held");
	ck_assert_ptr_nonnull(tw_jstr(j, "metadata.deletionTimestamp"));
	cJSON_Delete(j);
	j = tw_get("/api/v1/namespaces/shop");
	ck_str(j, "status.phase", "Terminating");
	cJSON_Delete(j);
	/* The finalizer removed: the object, then the namespace, go. */
	cJSON_Delete(tw("PATCH", NS "/services/held", JSONPATCH,
			"[{\"op\":\"remove\",\"path\":\"/metadata/finalizers\"}]", 200));
	ck_assert(tw_until("/api/v1/namespaces/shop", tw_gone, NULL, 20000));
	/* The built-in namespaces may not be deleted. */
	j = tw("DELETE", "/api/v1/namespaces/default", NULL, NULL, 403);
	ck_status(j, 403, "Forbidden",
		  "namespaces \"default\" is forbidden: this namespace may "
		  "not be deleted");
	cJSON_Delete(j);
}
END_TEST

static char *mk_owner(const char *name)
{
	char body[256];
	snprintf(body, sizeof(body),
		 "{\"metadata\":{\"name\":\"%s\"},\"spec\":{\"ports\":[{\"port\":80}]}}", name);
	cJSON *j = tw("POST", "/api/v1/namespaces/default/services", JSON, body, 201);
	char *uid = strdup(tw_jstr(j, "metadata.uid"));
	cJSON_Delete(j);
	return uid;
}

static void mk_dependent(const char *name, const char *owner, const char *uid)
{
	char body[1024];
	snprintf(body, sizeof(body),
		 "{\"metadata\":{\"name\":\"%s\",\"ownerReferences\":[{\"apiVersion\":\"v1\","
		 "\"kind\":\"Service\",\"name\":\"%s\",\"uid\":\"%s\",\"controller\":true}]},"
		 "\"spec\":{\"nodeName\":\"test-node\",\"containers\":[{\"name\":\"c\",\"image\":"
		 "\"x\"}]}}",
		 name, owner, uid);
	cJSON_Delete(tw("POST", "/api/v1/namespaces/default/pods", JSON, body, 201));
}

static bool has_no_owner(const cJSON *j, const void *ud)
{
	(void)ud;
	return j && !tj_get(j, "metadata.ownerReferences");
}

START_TEST(test_garbage_collector)
{
	/* Background: the dependent goes (gracefully) after its owner. */
	char *uid = mk_owner("o1");
	mk_dependent("d1", "o1", uid);
	free(uid);
	cJSON_Delete(tw("DELETE", "/api/v1/namespaces/default/services/o1", NULL, NULL, 200));
	ck_assert(tw_until("/api/v1/namespaces/default/pods/d1", tw_gone, NULL, 10000));
	/* Orphan: the dependent stays without the reference. */
	uid = mk_owner("o2");
	mk_dependent("d2", "o2", uid);
	free(uid);
	cJSON_Delete(tw("DELETE", "/api/v1/namespaces/default/services/o2", JSON,
			"{\"propagationPolicy\":\"Orphan\"}", 200));
	ck_assert(tw_until("/api/v1/namespaces/default/pods/d2", has_no_owner, NULL, 5000));
	ck_assert_ptr_null(tw_get("/api/v1/namespaces/default/services/o2"));
	/* Foreground: the owner waits (finalizer) until its dependents are gone. */
	uid = mk_owner("o3");
	mk_dependent("d3", "o3", uid);
	free(uid);
	cJSON *j = tw("DELETE", "/api/v1/namespaces/default/services/o3", JSON,
		      "{\"propagationPolicy\":\"Foreground\"}", 200);
	ck_str(j, "metadata.finalizers.0", "foregroundDeletion");
	cJSON_Delete(j);
	ck_assert(tw_until("/api/v1/namespaces/default/pods/d3", tw_gone, NULL, 10000));
	ck_assert(tw_until("/api/v1/namespaces/default/services/o3", tw_gone, NULL, 10000));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("sim_write_ctrl");
	TCase *tc = tcase_create("ctrl");
	tcase_add_checked_fixture(tc, setup, tw_stop);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_endpoints_follow_readiness);
	tcase_add_test(tc, test_namespace_lifecycle);
	tcase_add_test(tc, test_garbage_collector);
	suite_add_tcase(s, tc);
	return test_run_suite(s);
}
