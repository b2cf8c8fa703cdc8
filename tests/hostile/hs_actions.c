#include "config.h"

#include <stdio.h>
#include <string.h>

#include "hserver.h"

/*
 * The actions' hostile cluster: names that would lead a request elsewhere
 * (issue 10, "Object names are not escaped in action URLs"). The server
 * plays along with the attack: any pod it is asked for exists and any
 * DELETE succeeds, so that only podscope's refusal stands between the key
 * and a deleted coredns. requests.log shows what podscope asked.
 */

#define HOSTILE_POD "victim2/../../../kube-system/pods/coredns"

static const char *pod_json(const char *ns, const char *name)
{
	static char buf[1024];
	snprintf(buf, sizeof(buf),
		 "{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"%s\","
		 "\"namespace\":\"%s\",\"uid\":\"uid-%s\",\"resourceVersion\":\"7\","
		 "\"creationTimestamp\":\"2026-01-01T00:00:00Z\"},\"spec\":{\"nodeName\":\"n1\","
		 "\"terminationGracePeriodSeconds\":30,\"containers\":[{\"name\":\"c\","
		 "\"image\":\"nginx:1.27\"}]},\"status\":{\"phase\":\"Running\","
		 "\"containerStatuses\":[{\"name\":\"c\",\"ready\":true,\"restartCount\":0,"
		 "\"image\":\"nginx:1.27\",\"state\":{\"running\":{\"startedAt\":"
		 "\"2026-01-01T00:00:01Z\"}}}]}}",
		 name, ns, strchr(name, '/') ? "hostile" : name);
	return buf;
}

static int path_names(struct hs_conn *c, const struct hs_req *r)
{
	if (strcmp(r->method, "DELETE") == 0)
		return hs_json(c, 200, pod_json("kube-system", "coredns"));
	if (strcmp(r->method, "GET") != 0 || hs_is_watch(r))
		return 0;
	if (strcmp(r->path, "/api/v1/namespaces/default/pods") == 0 ||
	    strcmp(r->path, "/api/v1/pods") == 0) {
		char items[2048];
		snprintf(items, sizeof(items), "[%s]", pod_json("default", HOSTILE_POD));
		return hs_list(c, r, items, "10", NULL);
	}
	/* Any one pod asked for is there (coredns too, when a path was bent). */
	const char *p = strstr(r->path, "/pods/");
	if (strncmp(r->path, "/api/v1/namespaces/", 19) == 0 && p) {
		char ns[256];
		snprintf(ns, sizeof(ns), "%.*s", (int)(strchr(r->path + 19, '/') - (r->path + 19)),
			 r->path + 19);
		return hs_json(c, 200, pod_json(ns, p + 6));
	}
	return 0;
}
HS_SCENARIO(path_names,
	    "a pod named " HOSTILE_POD " in default; every pod asked for exists, every DELETE "
	    "succeeds",
	    path_names)

/*
 * Numbers no Go type of their field holds (issue 10, "Hostile numbers"):
 * exit codes of 1e300, -1e300 and 1e400 (an exitCode of 1e300 showed as
 * "exited with code 0"), a maxSurge of 99999999999% (it showed as a
 * negative number), and, for contrast, a pod whose exit code is the
 * largest an int32 holds.
 */
static const char *term_pod(char *buf, size_t n, const char *name, const char *code)
{
	snprintf(buf, n,
		 "{\"metadata\":{\"name\":\"%s\",\"namespace\":\"default\",\"uid\":\"uid-%s\","
		 "\"resourceVersion\":\"5\",\"creationTimestamp\":\"2026-01-01T00:00:00Z\","
		 "\"labels\":{\"app\":\"web\"}},\"spec\":{\"nodeName\":\"n1\",\"restartPolicy\":"
		 "\"Never\",\"containers\":[{\"name\":\"c\",\"image\":\"busybox\"}]},\"status\":"
		 "{\"phase\":\"Failed\",\"containerStatuses\":[{\"name\":\"c\",\"ready\":false,"
		 "\"restartCount\":0,\"image\":\"busybox\",\"state\":{\"terminated\":"
		 "{\"exitCode\":%s,\"reason\":\"Error\",\"startedAt\":\"2026-01-01T00:00:01Z\","
		 "\"finishedAt\":\"2026-01-01T00:00:02Z\"}}}]}}",
		 name, name, code);
	return buf;
}

static int numbers(struct hs_conn *c, const struct hs_req *r)
{
	if (strcmp(r->method, "GET") != 0 || hs_is_watch(r))
		return 0;
	if (strcmp(r->path, "/api/v1/namespaces/default/pods") == 0) {
		char a[1024], b[1024], d[1024], e[1024], items[4200];
		snprintf(
		    items, sizeof(items), "[%s,%s,%s,%s]", term_pod(a, sizeof(a), "x", "1e300"),
		    term_pod(b, sizeof(b), "y", "-1e300"), term_pod(d, sizeof(d), "w", "1e400"),
		    term_pod(e, sizeof(e), "z", "2147483647"));
		return hs_list(c, r, items, "10", NULL);
	}
	if (strcmp(r->path, "/apis/apps/v1/namespaces/default/deployments") == 0)
		return hs_list(
		    c, r,
		    "[{\"metadata\":{\"name\":\"web\",\"namespace\":\"default\",\"uid\":\"d1\","
		    "\"resourceVersion\":\"3\",\"generation\":1,\"creationTimestamp\":"
		    "\"2026-01-01T00:00:00Z\"},\"spec\":{\"replicas\":3,\"selector\":{"
		    "\"matchLabels\":"
		    "{\"app\":\"web\"}},\"strategy\":{\"type\":\"RollingUpdate\",\"rollingUpdate\":"
		    "{\"maxSurge\":\"99999999999%\",\"maxUnavailable\":\"25%\"}},\"template\":"
		    "{\"metadata\":{\"labels\":{\"app\":\"web\"}},\"spec\":{\"containers\":"
		    "[{\"name\":\"c\",\"image\":\"busybox\"}]}}},\"status\":{"
		    "\"observedGeneration\":1,"
		    "\"replicas\":3,\"updatedReplicas\":3,\"readyReplicas\":3,"
		    "\"availableReplicas\":3}},"
		    "{\"metadata\":{\"name\":\"big\",\"namespace\":\"default\",\"uid\":\"d2\","
		    "\"resourceVersion\":\"4\",\"creationTimestamp\":\"2026-01-01T00:00:00Z\"},"
		    "\"spec\":{\"replicas\":2147483648,\"selector\":{\"matchLabels\":{\"app\":"
		    "\"big\"}}}}]",
		    "10", NULL);
	return 0;
}
HS_SCENARIO(numbers,
	    "pods with exitCode 1e300, -1e300, 1e400 and 2147483647; a deployment with maxSurge "
	    "99999999999%, another with replicas 2147483648",
	    numbers)
