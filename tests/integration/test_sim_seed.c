#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <check.h>
#include <cjson/cJSON.h>
#include <curl/curl.h>

#include "podscope/buf.h"
#include "podscope/simlaunch.h"

#include "testutil.h"

/*
 * Every built-in scenario of the seed, run by podscope-sim as a process at a
 * high --speed, ends in the state the seed describes. Each check polls the
 * API with a deadline.
 */

static struct simlaunch *sim;

static size_t on_data(char *p, size_t size, size_t n, void *ud)
{
	buf_add(ud, p, size * n);
	return size * n;
}

static cJSON *get(const char *path)
{
	char url[512];
	snprintf(url, sizeof(url), "%s%s", simlaunch_url(sim), path);
	struct buf b = BUF_INIT;
	CURL *c = curl_easy_init();
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 10L);
	CURLcode rc = curl_easy_perform(c);
	long status = 0;
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_cleanup(c);
	cJSON *j = rc == CURLE_OK && status == 200 && b.data ? cJSON_Parse(b.data) : NULL;
	buf_free(&b);
	return j;
}

/* POST body to the control interface; the HTTP status. */
static long act(const char *body)
{
	char url[512];
	snprintf(url, sizeof(url), "%s/podscope-sim/v1/actions", simlaunch_url(sim));
	struct buf b = BUF_INIT;
	CURL *c = curl_easy_init();
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 10L);
	long status = 0;
	if (curl_easy_perform(c) == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_cleanup(c);
	if (status != 200)
		fprintf(stderr, "POST %s: %ld %s\n", body, status, b.data ? b.data : "");
	buf_free(&b);
	return status;
}

static void start(const char *scenario, const char *speed)
{
	const char *args[] = {"--allow-anonymous", "--speed", speed, "--scenario", scenario, NULL};
	struct simlaunch_opts o = {.args = args,
				   .wrapper = getenv("PODSCOPE_SIM_WRAPPER"),
				   .timeout_ms = 60000,
				   .keep_stderr = true};
	struct perr err = {0};
	sim = simlaunch_start(&o, &err);
	ck_assert_msg(sim != NULL, "podscope-sim did not start: %s", perr_msg(&err));
}

static void stop(void)
{
	ck_assert_int_eq(simlaunch_stop(sim), 0);
	sim = NULL;
}

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Dig: path of keys and [N] indexes separated by dots, e.g. "status.containerStatuses.0". */
static const cJSON *dig(const cJSON *j, const char *path)
{
	char *copy = strdup(path), *save;
	for (char *t = strtok_r(copy, ".", &save); t && j; t = strtok_r(NULL, ".", &save))
		j = (*t >= '0' && *t <= '9') ? cJSON_GetArrayItem(j, atoi(t))
					     : cJSON_GetObjectItemCaseSensitive(j, t);
	free(copy);
	return j;
}

static const char *str(const cJSON *j, const char *path)
{
	const cJSON *v = dig(j, path);
	return cJSON_IsString(v) ? v->valuestring : "";
}

static int num(const cJSON *j, const char *path)
{
	const cJSON *v = dig(j, path);
	return cJSON_IsNumber(v) ? v->valueint : -1;
}

typedef bool (*cond_fn)(const cJSON *j, void *ud);

/* Poll path until cond holds (true) or timeout_s passes (false). */
static bool eventually(const char *path, cond_fn cond, void *ud, int timeout_s)
{
	long long end = now_ms() + timeout_s * 1000LL;
	do {
		cJSON *j = get(path);
		bool ok = j && cond(j, ud);
		cJSON_Delete(j);
		if (ok)
			return true;
		struct timespec ts = {0, 50 * 1000000};
		nanosleep(&ts, NULL);
	} while (now_ms() < end);
	return false;
}

/* --- pods that finish ----------------------------------------------------- */

struct finish {
	const char *phase, *reason;
	int code;
};

static bool finished(const cJSON *pod, void *ud)
{
	const struct finish *f = ud;
	return !strcmp(str(pod, "status.phase"), f->phase) &&
	       !strcmp(str(pod, "status.containerStatuses.0.state.terminated.reason"), f->reason) &&
	       num(pod, "status.containerStatuses.0.state.terminated.exitCode") == f->code &&
	       num(pod, "status.containerStatuses.0.restartCount") == 0;
}

START_TEST(test_completed_and_error)
{
	start("completed-pod", "20");
	struct finish ok = {"Succeeded", "Completed", 0};
	ck_assert(eventually("/api/v1/namespaces/default/pods/completed-pod-restart-never",
			     finished, &ok, 30));
	stop();
	start("error-pod", "20");
	struct finish bad = {"Failed", "Error", 1};
	ck_assert(eventually("/api/v1/namespaces/default/pods/error-pod-restart-never", finished,
			     &bad, 30));
	stop();
}
END_TEST

static bool crashlooping(const cJSON *pod, void *ud)
{
	bool *seen = ud;
	if (!strcmp(str(pod, "status.containerStatuses.0.state.waiting.reason"),
		    "CrashLoopBackOff"))
		*seen = true;
	return *seen && num(pod, "status.containerStatuses.0.restartCount") >= 2;
}

START_TEST(test_crashloop)
{
	start("crashloop", "50");
	bool seen = false;
	ck_assert(eventually("/api/v1/namespaces/default/pods/completed-pod-restart-always",
			     crashlooping, &seen, 40));
	stop();
}
END_TEST

/* --- init containers, hooks, probes ----------------------------------------- */

static bool init_waiting(const cJSON *pod, void *ud)
{
	return !strcmp(str(pod, "status.phase"), "Pending") &&
	       dig(pod, "status.initContainerStatuses.0.state.running") != NULL;
}

static bool pod_ready(const cJSON *pod, void *ud)
{
	const bool *want = ud;
	const cJSON *c;
	cJSON_ArrayForEach(c, dig(pod, "status.conditions"))
	{
		if (!strcmp(str(c, "type"), "Ready"))
			return !strcmp(str(c, "status"), *want ? "True" : "False");
	}
	return false;
}

START_TEST(test_init_container)
{
	start("init-container", "5"); /* the Service comes after 30 s: 6 s here */
	const char *pod = "/api/v1/namespaces/default/pods/init-container-usecase";
	ck_assert(eventually(pod, init_waiting, NULL, 5));
	bool yes = true;
	ck_assert(eventually(pod, pod_ready, &yes, 40));
	stop();
}
END_TEST

/* An event with this reason (and, when given, message part) about this object. */
struct evq {
	const char *name, *reason, *msg;
};

static bool has_event(const cJSON *list, void *ud)
{
	const struct evq *q = ud;
	const cJSON *e;
	cJSON_ArrayForEach(e, dig(list, "items"))
	{
		if (!strcmp(str(e, "involvedObject.name"), q->name) &&
		    !strcmp(str(e, "reason"), q->reason) &&
		    (!q->msg || strstr(str(e, "message"), q->msg)))
			return true;
	}
	return false;
}

START_TEST(test_poststart)
{
	start("poststart", "20");
	bool yes = true;
	ck_assert(
	    eventually("/api/v1/namespaces/default/pods/poststart-hook", pod_ready, &yes, 30));
	struct evq q = {"poststart-hook-failing", "FailedPostStartHook", NULL};
	ck_assert(eventually("/api/v1/namespaces/default/events", has_event, &q, 30));
	stop();
}
END_TEST

static bool restarted(const cJSON *pod, void *ud)
{
	return num(pod, "status.containerStatuses.0.restartCount") >= 1;
}

START_TEST(test_liveness)
{
	start("liveness", "20");
	ck_assert(
	    eventually("/api/v1/namespaces/default/pods/livenessprobe-pod", restarted, NULL, 40));
	struct evq q = {"livenessprobe-pod", "Unhealthy", "Liveness probe failed"};
	ck_assert(eventually("/api/v1/namespaces/default/events", has_event, &q, 10));
	/* a fresh filesystem: the restarted container passes again */
	bool yes = true;
	ck_assert(
	    eventually("/api/v1/namespaces/default/pods/livenessprobe-pod", pod_ready, &yes, 30));
	stop();
}
END_TEST

/* The Endpoints' ready (true) or not-ready (false) addresses name the pod. */
static bool endpoint_has(const cJSON *ep, void *ud)
{
	const bool *ready = ud;
	const cJSON *a;
	cJSON_ArrayForEach(a,
			   dig(ep, *ready ? "subsets.0.addresses" : "subsets.0.notReadyAddresses"))
	{
		if (!strcmp(str(a, "targetRef.name"), "readinessprobe-pod"))
			return true;
	}
	return false;
}

START_TEST(test_readiness)
{
	start("readiness", "10");
	const char *ep = "/api/v1/namespaces/default/endpoints/readinessprobe-svc";
	bool yes = true, no = false;
	ck_assert(eventually(ep, endpoint_has, &yes, 20));
	ck_assert(eventually(ep, endpoint_has, &no, 30)); /* index.html gone: out */
	ck_assert(
	    eventually("/api/v1/namespaces/default/pods/readinessprobe-pod", pod_ready, &no, 5));
	ck_assert(eventually(ep, endpoint_has, &yes, 30)); /* back */
	stop();
}
END_TEST

/* --- deployments ------------------------------------------------------------- */

struct rolled {
	const char *image;
	int replicas;
};

static bool complete(const cJSON *d, void *ud)
{
	const struct rolled *r = ud;
	const cJSON *ann = dig(d, "metadata.annotations");
	const cJSON *rev =
	    cJSON_GetObjectItemCaseSensitive(ann, "deployment.kubernetes.io/revision");
	return cJSON_IsString(rev) && !strcmp(rev->valuestring, "2") &&
	       !strcmp(str(d, "spec.template.spec.containers.0.image"), r->image) &&
	       num(d, "status.observedGeneration") == num(d, "metadata.generation") &&
	       num(d, "status.updatedReplicas") == r->replicas &&
	       num(d, "status.availableReplicas") == r->replicas &&
	       num(d, "status.replicas") == r->replicas;
}

/* Recreate: never old and new pods (not terminating) at once. */
static bool no_overlap(const cJSON *list, void *ud)
{
	char *first = NULL;
	bool *overlap = ud;
	const cJSON *p;
	cJSON_ArrayForEach(p, dig(list, "items"))
	{
		if (dig(p, "metadata.deletionTimestamp"))
			continue;
		const char *h = str(p, "metadata.labels.pod-template-hash");
		if (!first)
			first = strdup(h);
		else if (strcmp(first, h) != 0)
			*overlap = true;
	}
	free(first);
	return false;
}

START_TEST(test_recreate_and_rolling)
{
	start("recreate", "20");
	bool overlap = false;
	eventually("/api/v1/namespaces/default/pods", no_overlap, &overlap, 3); /* samples */
	struct rolled r = {"nginx:1.27", 3};
	ck_assert(eventually("/apis/apps/v1/namespaces/default/deployments/deployment-recreate",
			     complete, &r, 40));
	ck_assert_msg(!overlap, "Recreate ran old and new pods at once");
	stop();
	start("rolling-update", "20");
	ck_assert(
	    eventually("/apis/apps/v1/namespaces/default/deployments/deployment-rolling-update",
		       complete, &r, 40));
	stop();
}
END_TEST

/* Every ready address of the Service web is a web-green pod. */
static bool green(const cJSON *ep, void *ud)
{
	const cJSON *a;
	int n = 0;
	cJSON_ArrayForEach(a, dig(ep, "subsets.0.addresses"))
	{
		if (strncmp(str(a, "targetRef.name"), "web-green-", 10) != 0)
			return false;
		n++;
	}
	return n == 3;
}

START_TEST(test_blue_green)
{
	start("blue-green", "10");
	ck_assert(eventually("/api/v1/namespaces/default/endpoints/web", green, NULL, 30));
	stop();
}
END_TEST

static bool condition_reason(const cJSON *d, void *ud)
{
	const cJSON *c;
	cJSON_ArrayForEach(c, dig(d, "status.conditions"))
	{
		if (!strcmp(str(c, "type"), "Progressing"))
			return !strcmp(str(c, "reason"), ud);
	}
	return false;
}

START_TEST(test_stalled)
{
	start("stalled", "20");
	ck_assert(eventually("/apis/apps/v1/namespaces/default/deployments/stalled",
			     condition_reason, (void *)"ProgressDeadlineExceeded", 40));
	stop();
}
END_TEST

static bool pull_failing(const cJSON *list, void *ud)
{
	const cJSON *p;
	cJSON_ArrayForEach(p, dig(list, "items"))
	{
		const char *w = str(p, "status.containerStatuses.0.state.waiting.reason");
		if (!strcmp(w, "ImagePullBackOff"))
			return true;
	}
	return false;
}

START_TEST(test_bad_image)
{
	start("bad-image", "20");
	ck_assert(eventually("/api/v1/namespaces/default/pods?labelSelector=app%3Dbad-image",
			     pull_failing, NULL, 40));
	stop();
}
END_TEST

static bool revision_at_least_2(const cJSON *d, void *ud)
{
	const cJSON *rev = cJSON_GetObjectItemCaseSensitive(dig(d, "metadata.annotations"),
							    "deployment.kubernetes.io/revision");
	return cJSON_IsString(rev) && atoi(rev->valuestring) >= 2;
}

START_TEST(test_demo)
{
	start("demo", "50");
	ck_assert(eventually("/apis/apps/v1/namespaces/default/deployments/web",
			     revision_at_least_2, NULL, 30));
	ck_assert(eventually("/apis/apps/v1/namespaces/shop/deployments/frontend",
			     revision_at_least_2, NULL, 30));
	stop();
}
END_TEST

static bool killed_with_3(const cJSON *pod, void *ud)
{
	return num(pod, "status.containerStatuses.0.lastState.terminated.exitCode") == 3 &&
	       num(pod, "status.containerStatuses.0.restartCount") >= 1;
}

static bool gone(const cJSON *list, void *ud)
{
	const cJSON *p;
	cJSON_ArrayForEach(p, dig(list, "items"))
	{
		if (!strcmp(str(p, "metadata.name"), ud))
			return false;
	}
	return true;
}

/* The control interface's kubelet actions, seen in the pods. */
START_TEST(test_control_kubelet)
{
	start("readiness", "20");
	const char *pod = "/api/v1/namespaces/default/pods/readinessprobe-pod";
	bool yes = true, no = false;
	ck_assert(eventually(pod, pod_ready, &yes, 20));
	ck_assert_int_eq(act("{\"action\":\"break-probe\",\"target\":\"pod/readinessprobe-pod\","
			     "\"probe\":\"readiness\"}"),
			 200);
	ck_assert(eventually(pod, pod_ready, &no, 20));
	ck_assert_int_eq(act("{\"action\":\"heal-probe\",\"target\":\"pod/readinessprobe-pod\","
			     "\"probe\":\"readiness\"}"),
			 200);
	ck_assert(eventually(pod, pod_ready, &yes, 20));
	ck_assert_int_eq(act("{\"action\":\"kill\",\"target\":\"pod/readinessprobe-pod\","
			     "\"exitCode\":3}"),
			 200);
	ck_assert(eventually(pod, killed_with_3, NULL, 20));
	ck_assert_int_eq(act("{\"action\":\"exec\",\"target\":\"pod/nope\",\"command\":[\"ls\"]}"),
			 404);
	/* an image marked missing: the pod that wants it cannot pull */
	ck_assert_int_eq(act("{\"steps\":[{\"action\":\"mark-image-missing\",\"image\":"
			     "\"nginx:9.9\"},{\"action\":\"create\",\"object\":{\"apiVersion\":"
			     "\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"pull\",\"labels\":"
			     "{\"app\":\"bad-image\"}},\"spec\":{\"containers\":[{\"name\":\"c\","
			     "\"image\":\"nginx:9.9\"}]}}}]}"),
			 200);
	ck_assert(eventually("/api/v1/namespaces/default/pods?labelSelector=app%3Dbad-image",
			     pull_failing, NULL, 30));
	/* delete pod: Terminating, then gone */
	ck_assert_int_eq(act("{\"action\":\"delete\",\"target\":\"pod/readinessprobe-pod\"}"), 200);
	ck_assert(
	    eventually("/api/v1/namespaces/default/pods", gone, (void *)"readinessprobe-pod", 30));
	stop();
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("sim_seed");
	TCase *tc = tcase_create("seed");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_completed_and_error);
	tcase_add_test(tc, test_crashloop);
	tcase_add_test(tc, test_init_container);
	tcase_add_test(tc, test_poststart);
	tcase_add_test(tc, test_liveness);
	tcase_add_test(tc, test_readiness);
	tcase_add_test(tc, test_recreate_and_rolling);
	tcase_add_test(tc, test_blue_green);
	tcase_add_test(tc, test_stalled);
	tcase_add_test(tc, test_bad_image);
	tcase_add_test(tc, test_demo);
	tcase_add_test(tc, test_control_kubelet);
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
