#include "config.h"

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hserver.h"

/*
 * Issue 10, High: text from a hostile cluster that must reach no terminal
 * as control bytes. Every string podscope prints carries terminal
 * sequences (OSC 0, 52 and 8, CSI 2J, 6n and 21t), C1 both as U+009B and
 * as a raw byte, BS, CR and LF, bidi and zero-width characters, and bytes
 * that are not UTF-8. (JSON text below: \\u001b is ESC once parsed.)
 */

#define ESCS                                                                                       \
	"\\u001b]0;pwned-title\\u0007 \\u001b]52;c;ZWNobyBoaQ==\\u0007 "                           \
	"\\u001b]8;;http://evil.example/\\u001b\\\\link\\u001b]8;;\\u001b\\\\ \\u001b[2J "         \
	"\\u001b[6n \\u001b[21t \\u009b31m \xc2\x9b"                                               \
	"32m \x9b"                                                                                 \
	"33m B\\bS R\\rF "                                                                         \
	"N\\nforged-line I\\u202eexe.txt\\u2066 Z\\u200d\\u200b\\ufeff bad\xff\xfe"
/* A message, a reason, an image, a node: all the same kind of text. */
#define MSG    "msg " ESCS
#define REASON "Reason\\u001b[2J\\u009b"
#define IMAGE  "busybox\\u001b]0;img\\u0007\\u202e"
#define NODE   "node\\u001b[6n\\r\\n"
/* Names that try to forge a line of `watch -o text` of their own. */
#define FORGE "\\r\\n2026-01-01T00:00:00Z Pod default/forged Running -> deleted"
#define RSNAME                                                                                     \
	"web-\\u001b[21t\\u009b"                                                                   \
	"5d8f\\u200b"
#define PODNAME "evil\\u001b]0;pwned-title\\u0007" FORGE "\\u202e"

static const char deployments[] =
    "[{\"metadata\":{\"name\":\"web\",\"namespace\":\"default\",\"uid\":\"d-1\","
    "\"generation\":1,\"creationTimestamp\":\"2026-01-01T00:00:00Z\","
    "\"annotations\":{\"deployment.kubernetes.io/revision\":\"1\"}},"
    "\"spec\":{\"replicas\":1,\"selector\":{\"matchLabels\":{\"app\":\"web\"}},"
    "\"strategy\":{\"type\":\"RollingUpdate\",\"rollingUpdate\":{\"maxSurge\":1,"
    "\"maxUnavailable\":0}},\"template\":{\"metadata\":{\"labels\":{\"app\":\"web\"}},"
    "\"spec\":{\"containers\":[{\"name\":\"app\",\"image\":\"" IMAGE "\"}]}}},"
    "\"status\":{\"observedGeneration\":1,\"replicas\":1,\"updatedReplicas\":1,"
    "\"readyReplicas\":1,\"availableReplicas\":1,\"conditions\":["
    "{\"type\":\"Available\",\"status\":\"True\",\"reason\":\"" REASON "\",\"message\":\"" MSG
    "\",\"lastUpdateTime\":\"2026-01-01T00:00:00Z\"},"
    "{\"type\":\"Progressing\",\"status\":\"True\",\"reason\":\"NewReplicaSetAvailable\","
    "\"message\":\"" MSG "\",\"lastUpdateTime\":\"2026-01-01T00:00:00Z\"}]}},"
    "{\"metadata\":{\"name\":\"dep\\u001b]0;t\\u0007\\u202e" FORGE "\",\"namespace\":\"default\","
    "\"uid\":\"d-2\",\"generation\":2,\"creationTimestamp\":\"2026-01-01T00:00:00Z\","
    "\"annotations\":{\"deployment.kubernetes.io/revision\":\"7\\u001b[2J\"}},"
    "\"spec\":{\"replicas\":1,\"paused\":true,\"selector\":{\"matchLabels\":{\"app\":\"x\"}},"
    "\"strategy\":{\"type\":\"Recreate\"},\"template\":{\"metadata\":{\"labels\":{\"app\":\"x\"}},"
    "\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"" IMAGE "\"}]}}},"
    "\"status\":{\"observedGeneration\":1}}]";

static const char replicasets[] =
    "[{\"metadata\":{\"name\":\"" RSNAME "\",\"namespace\":\"default\",\"uid\":\"r-1\","
    "\"creationTimestamp\":\"2026-01-01T00:00:00Z\","
    "\"labels\":{\"app\":\"web\",\"pod-template-hash\":\"5d8f\\u001b[2J\"},"
    "\"annotations\":{\"deployment.kubernetes.io/revision\":\"1\"},"
    "\"ownerReferences\":[{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"name\":\"web\","
    "\"uid\":\"d-1\",\"controller\":true}]},"
    "\"spec\":{\"replicas\":1,\"selector\":{\"matchLabels\":{\"app\":\"web\"}},"
    "\"template\":{\"metadata\":{\"labels\":{\"app\":\"web\"}},"
    "\"spec\":{\"containers\":[{\"name\":\"app\",\"image\":\"" IMAGE "\"}]}}},"
    "\"status\":{\"replicas\":1,\"readyReplicas\":1,\"availableReplicas\":1}}]";

/* A crash-looping pod: every field podscope shows about it is hostile. */
static void pod_json(FILE *f, const char *name, const char *uid, bool owned)
{
	fprintf(f,
		"{\"metadata\":{\"name\":\"%s\",\"namespace\":\"default\",\"uid\":\"%s\","
		"\"creationTimestamp\":\"2026-01-01T00:00:00Z\",\"labels\":{\"app\":\"web\"}",
		name, uid);
	if (owned)
		fputs(",\"ownerReferences\":[{\"apiVersion\":\"apps/v1\",\"kind\":\"ReplicaSet\","
		      "\"name\":\"" RSNAME "\",\"uid\":\"r-1\",\"controller\":true}]",
		      f);
	else
		fputs(
		    ",\"ownerReferences\":[{\"apiVersion\":\"batch/v1\",\"kind\":\"Job\\u001b[2J\","
		    "\"name\":\"job\\u001b]0;t\\u0007" FORGE
		    "\",\"uid\":\"j-1\",\"controller\":true}]",
		    f);
	fputs("},\"spec\":{\"nodeName\":\"" NODE "\",\"containers\":[{\"name\":\"app\\u001b[2J\","
	      "\"image\":\"" IMAGE "\"}]},"
	      "\"status\":{\"phase\":\"Running\",\"podIP\":\"10.0.0.1\\u001b[6n\","
	      "\"reason\":\"" REASON "\",\"message\":\"" MSG "\","
	      "\"conditions\":[{\"type\":\"Ready\",\"status\":\"False\",\"reason\":\"" REASON
	      "\",\"message\":\"" MSG "\"}],"
	      "\"containerStatuses\":[{\"name\":\"app\\u001b[2J\",\"image\":\"" IMAGE "\","
	      "\"ready\":false,\"restartCount\":3,\"state\":{\"waiting\":{\"reason\":"
	      "\"CrashLoopBackOff\",\"message\":\"back-off 40s restarting " MSG "\"}},"
	      "\"lastState\":{\"terminated\":{\"exitCode\":1,\"reason\":\"" REASON "\","
	      "\"message\":\"" MSG "\",\"startedAt\":\"2026-01-01T00:00:00Z\","
	      "\"finishedAt\":\"2026-01-01T00:00:01Z\"}}}]}}",
	      f);
}

static const char events[] =
    "[{\"metadata\":{\"name\":\"ev1\",\"namespace\":\"default\",\"uid\":\"e-1\"},"
    "\"involvedObject\":{\"kind\":\"Pod\",\"name\":\"victim\",\"namespace\":\"default\","
    "\"uid\":\"p-1\"},\"reason\":\"" REASON "\",\"message\":\"" MSG "\",\"type\":\"Warning\","
    "\"count\":3,\"firstTimestamp\":\"2026-01-01T00:00:00Z\","
    "\"lastTimestamp\":\"2026-01-01T00:00:01Z\"}]";

static int list_of(struct hs_conn *c, const struct hs_req *r, const char *res)
{
	if (strcmp(res, "deployments") == 0)
		return hs_list(c, r, deployments, "10", NULL);
	if (strcmp(res, "replicasets") == 0)
		return hs_list(c, r, replicasets, "10", NULL);
	if (strcmp(res, "events") == 0)
		return hs_list(c, r, events, "10", NULL);
	char *items = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&items, &len);
	if (!f)
		return -1;
	fputc('[', f);
	pod_json(f, "victim", "p-1", true);
	fputc(',', f);
	pod_json(f, PODNAME, "p-2", false);
	fputc(']', f);
	fclose(f);
	int rc = hs_list(c, r, items, "10", NULL);
	free(items);
	return rc;
}

/* A pods watch: a new hostile pod every 300 ms until podscope hangs up, so
 * that `watch` has transitions to print whenever its informers synced. */
static void pod_events(struct hs_conn *c)
{
	if (hs_chunked_begin(c, 200, NULL, NULL) < 0)
		return;
	for (int i = 0; i < 200 && !c->closed; i++) {
		char *ev = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&ev, &len);
		if (!f)
			return;
		char name[256], uid[32];
		snprintf(name, sizeof(name), "new%d\\u001b]0;t\\u0007" FORGE, i);
		snprintf(uid, sizeof(uid), "n-%d", i);
		fputs("{\"type\":\"ADDED\",\"object\":", f);
		pod_json(f, name, uid, i % 2 == 0);
		fputs("}\n", f);
		fclose(f);
		int rc = hs_chunk(c, ev, len);
		free(ev);
		if (rc < 0)
			return;
		struct pollfd p = {.fd = c->fd, .events = POLLIN};
		if (poll(&p, 1, 300) > 0)
			return; /* podscope spoke or hung up: done */
	}
	hs_chunked_end(c);
}

static int objects(struct hs_conn *c, const struct hs_req *r)
{
	char res[64];
	if (strcmp(r->path, "/version") == 0)
		return hs_json(
		    c, 200,
		    "{\"major\":\"1\",\"minor\":\"30\",\"gitVersion\":\"v1.30.0\\u001b]0;"
		    "pwned-title\\u0007\\u001b[2J\\u009b\xc2\x9b\\r\\nforged\\u202e\xff\","
		    "\"platform\":\"linux/amd64\"}");
	if (strcmp(r->method, "GET") != 0 || strncmp(r->path, "/ap", 3) != 0)
		return 0;
	hs_resource(r, res, sizeof(res));
	if (strcmp(res, "deployments") && strcmp(res, "replicasets") && strcmp(res, "events") &&
	    strcmp(res, "pods"))
		return 0;
	if (hs_is_watch(r)) {
		if (strcmp(res, "pods") != 0)
			return 0;
		pod_events(c);
		return 1;
	}
	list_of(c, r, res);
	return 1;
}
HS_SCENARIO(text_objects,
	    "deployments, replicasets, pods and events whose names, messages, reasons, images "
	    "and nodes carry terminal sequences, C1, bidi and invalid UTF-8; /version too",
	    objects)

/* Every list fails, with a Status whose message is hostile. */
static int errors(struct hs_conn *c, const struct hs_req *r)
{
	if (strcmp(r->method, "GET") != 0 || strncmp(r->path, "/ap", 3) != 0 ||
	    strcmp(r->path, "/api") == 0 || strcmp(r->path, "/apis") == 0)
		return 0;
	hs_status(c, 500, "InternalError\\u001b[2J", "etcd is down: " ESCS);
	return 1;
}
HS_SCENARIO(text_errors, "every list fails (500) with a hostile Status message", errors)

/* /version answers that are no version: HTML, a JSON object without
 * gitVersion. `version` must fail, not print "unknown". */
static int version_html(struct hs_conn *c, const struct hs_req *r)
{
	if (strcmp(r->path, "/version") != 0)
		return 0;
	static const char page[] = "<html><body>Please log in\x1b]0;x\x07</body></html>";
	hs_reply(c, 200, "text/html", NULL, page, sizeof(page) - 1);
	return 1;
}
HS_SCENARIO(text_version_html, "/version answers with an HTML login page", version_html)

static int version_empty(struct hs_conn *c, const struct hs_req *r)
{
	if (strcmp(r->path, "/version") != 0)
		return 0;
	hs_json(c, 200, "{\"major\":\"1\"}");
	return 1;
}
HS_SCENARIO(text_version_empty, "/version answers a JSON object without gitVersion", version_empty)

/* Pods whose names are wide (CJK, emoji) or huge (1 MiB), for the widths of
 * `get`'s columns: padded by display width, and capped. */
static int wide(struct hs_conn *c, const struct hs_req *r)
{
	char res[64];
	if (strcmp(r->method, "GET") != 0 || hs_is_watch(r) ||
	    strcmp(hs_resource(r, res, sizeof(res)), "pods") != 0)
		return 0;
	static const char *const names[] = {"plain-pod", "cjk-\xe4\xb8\xad\xe6\x96\x87\xe5\x90\x8d",
					    "emoji-\xf0\x9f\x98\x80\xf0\x9f\x9a\x80",
					    "e\xcc\x81t\xc3\xa9", NULL};
	char *items = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&items, &len);
	if (!f)
		return 1;
	fputc('[', f);
	for (int i = 0; names[i] || i == 4; i++) {
		fprintf(f, "%s{\"metadata\":{\"name\":\"", i ? "," : "");
		if (names[i])
			fputs(names[i], f);
		else
			for (int k = 0; k < 1 << 20; k++)
				fputc('x', f);
		fprintf(f,
			"\",\"namespace\":\"default\",\"uid\":\"w-%d\","
			"\"creationTimestamp\":\"2026-01-01T00:00:00Z\"},"
			"\"spec\":{\"containers\":[{\"name\":\"app\",\"image\":\"busybox\"}]},"
			"\"status\":{\"phase\":\"Pending\"}}",
			i);
		if (!names[i])
			break;
	}
	fputc(']', f);
	fclose(f);
	hs_list(c, r, items, "10", NULL);
	free(items);
	return 1;
}
HS_SCENARIO(text_wide, "pods named in CJK, emoji, combining marks, and one 1 MiB name", wide)

/* /version redirects to a hostile host: `version` says so and fails. */
static int version_redirect(struct hs_conn *c, const struct hs_req *r)
{
	if (strcmp(r->path, "/version") != 0)
		return 0;
	hs_reply(c, 302, "text/html",
		 "Location: http://evil\x1b]0;pwned-title\x07\xc2\x9b.example/version\r\n", "", 0);
	return 1;
}
HS_SCENARIO(text_version_redirect, "/version answers 302 to a host with terminal sequences",
	    version_redirect)
