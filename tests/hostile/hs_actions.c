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
