#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "app.h"
#include "kubelet.h"
#include "simwrite.h"

void tw_start(double speed)
{
	struct sim_config cfg;
	struct perr err = {0};
	simapp_defaults(&cfg);
	cfg.speed = speed;
	cfg.nodes = 0;
	ck_assert_msg(th_start_cfg(&cfg, &err) == 0, "%s", perr_msg(&err));
	kubelet_stop(&th_sim); /* safe to stop again in simapp_stop */
}

void tw_stop(void)
{
	th_stop();
}

struct th_req *tw_do_as(const char *method, const char *path, const char *ctype, const char *body,
			const char *token)
{
	struct th_req *r = th_begin(method, path, NULL, NULL, token);
	if (body)
		th_set_body(r, ctype, body, strlen(body));
	ck_assert_msg(th_wait(r, NULL, 10000), "no answer to %s %s", method, path);
	return r;
}

struct th_req *tw_do(const char *method, const char *path, const char *ctype, const char *body)
{
	return tw_do_as(method, path, ctype, body, NULL);
}

cJSON *tw_json(struct th_req *r, long want_status)
{
	cJSON *j = cJSON_Parse(r->body.data ? r->body.data : "");
	ck_assert_msg(j != NULL, "not JSON: %s", r->body.data ? r->body.data : "(empty)");
	ck_assert_msg(r->status == want_status, "status %ld, wanted %ld: %s", r->status,
		      want_status, r->body.data);
	th_free(r);
	return j;
}

cJSON *tw(const char *method, const char *path, const char *ctype, const char *body,
	  long want_status)
{
	return tw_json(tw_do(method, path, ctype, body), want_status);
}

const char *tw_jstr(const cJSON *j, const char *path)
{
	const cJSON *v = tj_get(j, path);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

double tw_jnum(const cJSON *j, const char *path)
{
	const cJSON *v = tj_get(j, path);
	return cJSON_IsNumber(v) ? v->valuedouble : -12345;
}

cJSON *tw_get(const char *path)
{
	struct th_req *r = th_get(path);
	if (r->status == 404) {
		th_free(r);
		return NULL;
	}
	return tw_json(r, 200);
}

bool tw_until(const char *path, bool (*pred)(const cJSON *j, const void *ud), const void *ud,
	      int timeout_ms)
{
	long long end = th_ms() + timeout_ms;
	do {
		cJSON *j = tw_get(path);
		bool ok = pred(j, ud);
		cJSON_Delete(j);
		if (ok)
			return true;
		th_pump(10);
	} while (th_ms() < end);
	return false;
}

bool tw_gone(const cJSON *j, const void *ud)
{
	(void)ud;
	return j == NULL;
}

void tw_mkpod(const char *ns, const char *name, const char *labels, const char *extra_spec)
{
	char body[2048];
	snprintf(body, sizeof(body),
		 "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"%s\","
		 "\"labels\":%s},\"spec\":{\"nodeName\":\"test-node\",%s\"containers\":[{\"name\":"
		 "\"c\",\"image\":\"nginx:1.27\",\"ports\":[{\"name\":\"http\","
		 "\"containerPort\":8080}]}]}}",
		 name, labels ? labels : "{}", extra_spec ? extra_spec : "");
	char path[256];
	snprintf(path, sizeof(path), "/api/v1/namespaces/%s/pods", ns);
	cJSON_Delete(tw("POST", path, "application/json", body, 201));
}

void tw_mkns(const char *ns)
{
	char body[256];
	snprintf(body, sizeof(body), "{\"metadata\":{\"name\":\"%s\"}}", ns);
	cJSON_Delete(tw("POST", "/api/v1/namespaces", "application/json", body, 201));
}
