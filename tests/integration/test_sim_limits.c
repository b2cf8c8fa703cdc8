#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include "podscope/simlaunch.h"
#include "podscope/xalloc.h"

#include "store.h"
#include "test_sim_write.h"
#include "testutil.h"
#include "watch.h"

/*
 * What a client can send that kube-apiserver refuses, and the simulator's
 * own limits: integers that do not fit their field, annotations over 256
 * KiB, idle connections, too many watches, SIGTERM while a controller works.
 */

#define DEPLOYS "/apis/apps/v1/namespaces/default/deployments"
#define RSS     "/apis/apps/v1/namespaces/default/replicasets"

static char *deployment(const char *name, const char *replicas)
{
	return xasprintf("{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{"
			 "\"name\":\"%s\"},\"spec\":{\"replicas\":%s,\"selector\":{"
			 "\"matchLabels\":{\"app\":\"%s\"}},\"template\":{\"metadata\":{"
			 "\"labels\":{\"app\":\"%s\"}},\"spec\":{\"containers\":[{\"name\":\"c\","
			 "\"image\":\"nginx\"}]}}}}",
			 name, replicas, name, name);
}

static const char *message(const cJSON *status)
{
	const cJSON *m = cJSON_GetObjectItemCaseSensitive(status, "message");
	ck_assert_msg(cJSON_IsString(m), "no message");
	return m->valuestring;
}

static void healthy(void)
{
	struct th_req *r = th_get("/healthz");
	ck_assert_int_eq(r->status, 200);
	th_free(r);
}

START_TEST(test_int32_on_create)
{
	tw_start(1);
	static const char *const bad[] = {"2147483648", "4294967297", "1e400", "1.5",
					  "9223372036854775808", "1.0"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char *body = deployment("web", bad[i]);
		cJSON *j = tw("POST", DEPLOYS, JSON, body, 400);
		char *want = xasprintf("Deployment in version \"v1\" cannot be handled as a "
				       "Deployment: json: cannot unmarshal number %s into Go "
				       "struct field DeploymentSpec.spec.replicas of type int32",
				       bad[i]);
		ck_assert_str_eq(message(j), want);
		free(want);
		cJSON_Delete(j);
		free(body);
		healthy();
	}
	char *body = deployment("web", "-1");
	cJSON *j = tw("POST", DEPLOYS, JSON, body, 422);
	ck_assert_str_eq(message(j), "Deployment.apps \"web\" is invalid: spec.replicas: Invalid "
				     "value: -1: must be greater than or equal to 0");
	cJSON_Delete(j);
	free(body);
	/* Nothing was stored. */
	j = tw("GET", DEPLOYS "/web", NULL, NULL, 404);
	cJSON_Delete(j);
	tw_stop();
}
END_TEST

START_TEST(test_int32_on_patch_and_scale)
{
	tw_start(1);
	char *body = deployment("web", "1");
	cJSON_Delete(tw("POST", DEPLOYS, JSON, body, 201));
	free(body);

	cJSON *j = tw("PATCH", DEPLOYS "/web", MERGE, "{\"spec\":{\"replicas\":2147483648}}", 422);
	ck_assert_ptr_nonnull(strstr(message(j), " \"\" is invalid: patch: Invalid value: \"{"));
	ck_assert_ptr_nonnull(strstr(message(j), "\": json: cannot unmarshal number 2147483648 "
						 "into Go struct field DeploymentSpec.spec."
						 "replicas of type int32"));
	cJSON_Delete(j);
	j = tw("PATCH", DEPLOYS "/web", JSONPATCH,
	       "[{\"op\":\"replace\",\"path\":\"/spec/replicas\",\"value\":1e400}]", 422);
	ck_assert_ptr_nonnull(strstr(message(j), "cannot unmarshal number 1e400 into"));
	cJSON_Delete(j);
	/* kubectl scale: a merge patch of the Scale. */
	j = tw("PATCH", DEPLOYS "/web/scale", MERGE, "{\"spec\":{\"replicas\":4294967297}}", 422);
	ck_assert_ptr_nonnull(strstr(message(j), "json: cannot unmarshal number 4294967297 into "
						 "Go struct field ScaleSpec.spec.replicas of "
						 "type int32"));
	cJSON_Delete(j);
	j = tw("PUT", DEPLOYS "/web/scale", JSON,
	       "{\"kind\":\"Scale\",\"apiVersion\":\"autoscaling/v1\",\"metadata\":{\"name\":"
	       "\"web\"},\"spec\":{\"replicas\":1.5}}",
	       400);
	ck_assert_str_eq(message(j), "Scale in version \"v1\" cannot be handled as a Scale: json: "
				     "cannot unmarshal number 1.5 into Go struct field "
				     "ScaleSpec.spec.replicas of type int32");
	cJSON_Delete(j);
	/* Strategic merge: upstream's converter wraps, then validation answers. */
	j = tw("PATCH", DEPLOYS "/web", SMP, "{\"spec\":{\"replicas\":2147483648}}", 422);
	ck_assert_str_eq(message(j), "Deployment.apps \"web\" is invalid: spec.replicas: Invalid "
				     "value: -2147483648: must be greater than or equal to 0");
	cJSON_Delete(j);
	j = tw("PATCH", DEPLOYS "/web", SMP, "{\"spec\":{\"replicas\":1.5}}", 422);
	ck_assert_str_eq(message(j), " \"\" is invalid: patch: Invalid value: "
				     "\"map[spec:map[replicas:1.5]]\": cannot convert float64 to "
				     "int32");
	cJSON_Delete(j);
	j = tw("PATCH", DEPLOYS "/web", SMP, "{\"spec\":{\"replicas\":1e400}}", 400);
	ck_assert_str_eq(message(j),
			 "json: cannot unmarshal number 1e400 into Go value of type float64");
	cJSON_Delete(j);
	j = tw("PATCH", DEPLOYS "/web", SMP, "{\"spec\":{\"replicas\":4294967297}}", 200);
	ck_assert_int_eq(cJSON_GetObjectItem(cJSON_GetObjectItem(j, "spec"), "replicas")->valueint,
			 1);
	cJSON_Delete(j);
	/* A float elsewhere with the value of a stored integer is no integer field's. */
	j = tw("PATCH", DEPLOYS "/web", MERGE,
	       "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"c\","
	       "\"image\":\"nginx\",\"resources\":{\"limits\":{\"cpu\":1.0}}}]}}}}",
	       200);
	cJSON_Delete(j);
	/* An IntOrString and an int64. */
	j = tw("PATCH", DEPLOYS "/web", MERGE,
	       "{\"spec\":{\"strategy\":{\"rollingUpdate\":{\"maxSurge\":99999999999}}}}", 422);
	ck_assert_ptr_nonnull(strstr(message(j), "cannot unmarshal number 99999999999 into Go "
						 "struct field RollingUpdateDeployment.spec."
						 "strategy.rollingUpdate.maxSurge of type int32"));
	cJSON_Delete(j);
	j = tw("PATCH", DEPLOYS "/web", MERGE,
	       "{\"spec\":{\"template\":{\"spec\":{\"terminationGracePeriodSeconds\":1e19}}}}",
	       422);
	ck_assert_ptr_nonnull(strstr(message(j), "cannot unmarshal number 1e19 into Go struct "
						 "field PodSpec.spec.template.spec."
						 "terminationGracePeriodSeconds of type int64"));
	cJSON_Delete(j);
	healthy();
	tw_stop();
}
END_TEST

static char *annotated(const char *value)
{
	return xasprintf("{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{"
			 "\"name\":\"big\",\"annotations\":{\"a\":\"%s\"}},\"spec\":{"
			 "\"ports\":[{\"port\":80}]}}",
			 value);
}

START_TEST(test_annotations_total)
{
	tw_start(1);
	size_t n = 256 * 1024 + 1 - strlen("a");
	char *v = malloc(n + 1);
	memset(v, 'x', n);
	v[n] = '\0';
	char *body = annotated(v);
	cJSON *j = tw("POST", "/api/v1/namespaces/default/services", JSON, body, 422);
	ck_assert_str_eq(message(j), "Service \"big\" is invalid: metadata.annotations: Too "
				     "long: must have at most 262144 bytes");
	cJSON_Delete(j);
	free(body);
	/* Exactly the limit is fine. */
	v[n - 1] = '\0';
	body = annotated(v);
	cJSON_Delete(tw("POST", "/api/v1/namespaces/default/services", JSON, body, 201));
	free(body);
	free(v);
	tw_stop();
}
END_TEST

START_TEST(test_idle_connections)
{
	th_start(0, 0);
	enum { IDLE = 1100 };
	int *fds = calloc(IDLE, sizeof(int));
	struct sockaddr_in a = {.sin_family = AF_INET};
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	a.sin_port = htons((uint16_t)simsrv_port(&th_sim));
	for (int i = 0; i < IDLE; i++) {
		fds[i] = socket(AF_INET, SOCK_STREAM, 0);
		ck_assert_int_ge(fds[i], 0);
		ck_assert_int_eq(connect(fds[i], (struct sockaddr *)&a, sizeof(a)), 0);
		if (i % 50 == 0)
			th_pump(1);
	}
	/* Without room for it, /healthz would wait for the idle ones' 300 s timeout;
	 * 20 s leaves room for valgrind. */
	struct th_req *r = th_begin("GET", "/healthz", NULL, NULL, NULL);
	ck_assert_msg(th_wait(r, NULL, 20000), "/healthz did not answer with %d idle connections",
		      IDLE);
	ck_assert_int_eq(r->status, 200);
	th_free(r);
	for (int i = 0; i < IDLE; i++)
		close(fds[i]);
	free(fds);
	th_stop();
}
END_TEST

static size_t hdr_retry(char *p, size_t size, size_t n, void *ud)
{
	if (size * n > 12 && strncasecmp(p, "Retry-After:", 12) == 0)
		*(int *)ud = atoi(p + 12);
	return size * n;
}

START_TEST(test_watch_limit)
{
	th_start(0, 0);
	struct th_req **w = calloc(SIMWATCH_MAX, sizeof(*w));
	for (int i = 0; i < SIMWATCH_MAX; i++) {
		w[i] = th_begin("GET", "/api/v1/namespaces/default/pods?watch=true", NULL, NULL,
				NULL);
		if (i % 20 == 0)
			th_pump(1);
	}
	long long end = th_ms() + 60000;
	while (watchset_count(th_sim.watches) < SIMWATCH_MAX && th_ms() < end)
		th_pump(5);
	ck_assert_int_eq(watchset_count(th_sim.watches), SIMWATCH_MAX);
	int retry = -1;
	struct th_req *r = th_begin("GET", "/api/v1/pods?watch=true", NULL, NULL, NULL);
	curl_multi_remove_handle(th_multi, r->easy);
	curl_easy_setopt(r->easy, CURLOPT_HEADERFUNCTION, hdr_retry);
	curl_easy_setopt(r->easy, CURLOPT_HEADERDATA, &retry);
	curl_multi_add_handle(th_multi, r->easy);
	ck_assert(th_wait(r, NULL, 10000));
	ck_assert_int_eq(r->status, 429);
	ck_assert_int_eq(retry, 1);
	ck_assert_str_eq(r->body.data, "Too many requests, please try again later.\n");
	th_free(r);
	/* Everything else is still served. */
	r = th_get("/api/v1/namespaces");
	ck_assert_int_eq(r->status, 200);
	th_free(r);
	for (int i = 0; i < SIMWATCH_MAX; i++) {
		curl_multi_remove_handle(th_multi, w[i]->easy);
		curl_easy_cleanup(w[i]->easy);
		curl_slist_free_all(w[i]->headers);
		buf_free(&w[i]->body);
		free(w[i]);
	}
	free(w);
	th_stop();
}
END_TEST

/* A blocking request to a simulator process; returns the status. */
static long proc_req(const struct simlaunch *p, const char *method, const char *path,
		     const char *body, struct buf *out)
{
	char url[512];
	snprintf(url, sizeof(url), "%s%s", simlaunch_url(p), path);
	CURL *e = curl_easy_init();
	struct curl_slist *h = curl_slist_append(NULL, "Content-Type: application/json");
	struct th_req r = {0};
	curl_easy_setopt(e, CURLOPT_URL, url);
	curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(e, CURLOPT_TIMEOUT, 10L);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, th_write);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, &r);
	if (body)
		curl_easy_setopt(e, CURLOPT_POSTFIELDS, body);
	long status = 0;
	if (curl_easy_perform(e) == CURLE_OK)
		curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_cleanup(e);
	curl_slist_free_all(h);
	if (out)
		*out = r.body;
	else
		buf_free(&r.body);
	return status;
}

START_TEST(test_sigterm_while_busy)
{
	const char *args[] = {"--allow-anonymous", NULL};
	const char *wrapper = getenv("PODSCOPE_SIM_WRAPPER");
	struct simlaunch_opts o = {
	    .args = args, .wrapper = wrapper, .timeout_ms = 60000, .keep_stderr = true};
	struct perr err = {0};
	struct simlaunch *p = simlaunch_start(&o, &err);
	ck_assert_msg(p != NULL, "%s", perr_msg(&err));
	const char *rs = "{\"apiVersion\":\"apps/v1\",\"kind\":\"ReplicaSet\",\"metadata\":{"
			 "\"name\":\"big\"},\"spec\":{\"replicas\":2147483647,\"selector\":{"
			 "\"matchLabels\":{\"app\":\"big\"}},\"template\":{\"metadata\":{"
			 "\"labels\":{\"app\":\"big\"}},\"spec\":{\"containers\":[{\"name\":"
			 "\"c\",\"image\":\"nginx\"}]}}}}";
	ck_assert_int_eq(proc_req(p, "POST", RSS, rs, NULL), 201);
	/* Wait until the controller is well into it, answering all the while. */
	long long end = th_ms() + 60000;
	bool busy = false;
	while (!busy && th_ms() < end) {
		struct buf b = BUF_INIT;
		ck_assert_int_eq(proc_req(p, "GET", "/api/v1/namespaces/default/pods?limit=1",
					  NULL, &b),
				 200);
		const char *c = b.data ? strstr(b.data, "\"remainingItemCount\":") : NULL;
		busy = c && atol(c + 21) >= 2000;
		buf_free(&b);
		usleep(100 * 1000);
	}
	ck_assert_msg(busy, "the ReplicaSet controller made no pods");
	long long t0 = th_ms();
	int status = simlaunch_stop(p);
	long long took = th_ms() - t0;
	/* Under a wrapper (valgrind) the exit includes its leak check. A loop
	 * that did not see the signal until the controller stopped would take
	 * far longer; 10 s leaves room for ASan on a loaded machine (5.5 s was
	 * seen there). */
	long long bound = wrapper ? 60000 : 10000;
	ck_assert_msg(took < bound, "SIGTERM took %lld ms", took);
	ck_assert_int_eq(status, 0);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("sim_limits");
	TCase *tc = tcase_create("limits");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_int32_on_create);
	tcase_add_test(tc, test_int32_on_patch_and_scale);
	tcase_add_test(tc, test_annotations_total);
	tcase_add_test(tc, test_idle_connections);
	tcase_add_test(tc, test_watch_limit);
	tcase_add_test(tc, test_sigterm_while_busy);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	curl_global_init(CURL_GLOBAL_ALL);
	int rc = test_run_suite(suite());
	curl_global_cleanup();
	return rc;
}
