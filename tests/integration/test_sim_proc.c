#include "config.h"

#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <check.h>
#include <cjson/cJSON.h>
#include <curl/curl.h>

#include "podscope/buf.h"
#include "podscope/err.h"
#include "podscope/simlaunch.h"
#include "podscope/yamljson.h"

#include "testutil.h"

/* podscope-sim as a process: the kubeconfig it writes, TLS, users, the request log. */

/* The whole file; fails the test when it cannot be read. */
static char *slurp(const char *path)
{
	char *text = test_slurp(path);
	ck_assert_msg(text != NULL, "cannot read %s", path);
	return text;
}

static cJSON *load_kubeconfig(const struct simlaunch *p)
{
	char *text = slurp(simlaunch_kubeconfig(p));
	struct perr err = {0};
	cJSON *k = yamljson_parse("kubeconfig", text, strlen(text), &err);
	ck_assert_msg(k != NULL, "%s", perr_msg(&err));
	free(text);
	return k;
}

/* The entry of a kubeconfig list (clusters, users, contexts) by name. */
static cJSON *entry(cJSON *k, const char *list, const char *name, const char *field)
{
	cJSON *it;
	cJSON_ArrayForEach(it, cJSON_GetObjectItem(k, list))
	{
		if (strcmp(cJSON_GetObjectItem(it, "name")->valuestring, name) == 0)
			return cJSON_GetObjectItem(it, field);
	}
	return NULL;
}

static const char *field(cJSON *o, const char *key)
{
	cJSON *v = cJSON_GetObjectItem(o, key);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static char *unbase64(const char *s, size_t *len)
{
	static const char a[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	char *out = malloc(strlen(s) + 1);
	unsigned acc = 0;
	int bits = 0;
	size_t o = 0;
	for (; *s && *s != '='; s++) {
		const char *p = strchr(a, *s);
		ck_assert_ptr_nonnull(p);
		acc = (acc << 6) | (unsigned)(p - a);
		if ((bits += 6) >= 8)
			out[o++] = (char)((acc >> (bits -= 8)) & 0xff);
	}
	out[o] = '\0';
	*len = o;
	return out;
}

struct resp {
	long status;
	CURLcode rc;
	struct buf body;
};

static size_t collect(char *p, size_t size, size_t n, void *ud)
{
	buf_add(ud, p, size * n);
	return size * n;
}

struct tls {
	char *ca, *cert, *key;
	size_t ca_len, cert_len, key_len;
};

static void request(const struct simlaunch *p, const char *method, const char *path,
                    const char *token, const struct tls *tls, struct resp *out)
{
	CURL *c = curl_easy_init();
	char url[512], auth[512];
	snprintf(url, sizeof(url), "%s%s", simlaunch_url(p), path);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &out->body);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 20L);
	if (strcmp(method, "POST") == 0)
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, "{}");
	struct curl_slist *h = curl_slist_append(NULL, "Content-Type: application/json");
	if (token) {
		snprintf(auth, sizeof(auth), "Authorization: Bearer %s", token);
		h = curl_slist_append(h, auth);
	}
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	if (tls) {
		struct curl_blob ca = {tls->ca, tls->ca_len, CURL_BLOB_COPY};
		curl_easy_setopt(c, CURLOPT_CAINFO_BLOB, &ca);
		if (tls->cert) {
			struct curl_blob cert = {tls->cert, tls->cert_len, CURL_BLOB_COPY};
			struct curl_blob key = {tls->key, tls->key_len, CURL_BLOB_COPY};
			curl_easy_setopt(c, CURLOPT_SSLCERT_BLOB, &cert);
			curl_easy_setopt(c, CURLOPT_SSLCERTTYPE, "PEM");
			curl_easy_setopt(c, CURLOPT_SSLKEY_BLOB, &key);
			curl_easy_setopt(c, CURLOPT_SSLKEYTYPE, "PEM");
		}
	}
	out->rc = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &out->status);
	curl_slist_free_all(h);
	curl_easy_cleanup(c);
}

static void resp_free(struct resp *r)
{
	buf_free(&r->body);
	memset(r, 0, sizeof(*r));
}

static struct simlaunch *launch(const char *const *args, struct perr *err)
{
	struct simlaunch_opts o = {.args = args,
				   .wrapper = getenv("PODSCOPE_SIM_WRAPPER"),
				   .timeout_ms = 60000,
				   .request_log = true,
				   .keep_stderr = true};
	return simlaunch_start(&o, err);
}

static struct simlaunch *start(const char *const *args)
{
	struct perr err = {0};
	struct simlaunch *p = launch(args, &err);
	ck_assert_msg(p != NULL, "simlaunch_start: %s", perr_msg(&err));
	return p;
}

START_TEST(test_kubeconfig_and_users)
{
	struct simlaunch *p = start(NULL);
	ck_assert(strncmp(simlaunch_url(p), "http://127.0.0.1:", 17) == 0);
	ck_assert_int_gt(simlaunch_port(p), 0);
	struct stat sb;
	ck_assert_int_eq(stat(simlaunch_kubeconfig(p), &sb), 0);
	ck_assert_int_eq(sb.st_mode & 0777, 0600);

	cJSON *k = load_kubeconfig(p);
	ck_assert_str_eq(field(k, "current-context"), "sim-admin");
	cJSON *cl = entry(k, "clusters", "podscope-sim", "cluster");
	ck_assert_str_eq(field(cl, "server"), simlaunch_url(p));
	ck_assert_ptr_null(field(cl, "certificate-authority-data"));
	const char *ctxs[] = {"sim-admin", "sim-readonly"};
	for (int i = 0; i < 2; i++) {
		cJSON *ctx = entry(k, "contexts", ctxs[i], "context");
		ck_assert_str_eq(field(ctx, "cluster"), "podscope-sim");
		ck_assert_str_eq(field(ctx, "user"), ctxs[i]);
		ck_assert_str_eq(field(ctx, "namespace"), "default");
	}
	char *admin = strdup(field(entry(k, "users", "sim-admin", "user"), "token"));
	char *ro = strdup(field(entry(k, "users", "sim-readonly", "user"), "token"));
	ck_assert_str_ne(admin, ro);
	cJSON_Delete(k);

	struct resp r = {0};
	request(p, "GET", "/api/v1/namespaces?limit=2", admin, NULL, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_ptr_nonnull(strstr(r.body.data, "\"kind\":\"NamespaceList\""));
	resp_free(&r);
	request(p, "DELETE", "/api/v1/namespaces/default", ro, NULL, &r);
	ck_assert_int_eq(r.status, 403);
	ck_assert_ptr_nonnull(strstr(r.body.data, "namespaces \\\"default\\\" is forbidden: User "
	                                          "\\\"sim-readonly\\\" cannot delete resource "
	                                          "\\\"namespaces\\\" in API group \\\"\\\" at the "
	                                          "cluster scope"));
	resp_free(&r);
	request(p, "GET", "/api/v1/pods", NULL, NULL, &r);
	ck_assert_int_eq(r.status, 401);
	ck_assert_ptr_nonnull(strstr(r.body.data, "\"reason\":\"Unauthorized\""));
	resp_free(&r);
	request(p, "GET", "/api/v1/pods", "wrong", NULL, &r);
	ck_assert_int_eq(r.status, 401);
	resp_free(&r);

	/* One line per request, in order, with who, what and the answer; no token. */
	char *log = slurp(simlaunch_request_log(p));
	const char *want[] = {
	    "sim-admin GET /api/v1/namespaces?limit=2 200",
	    "sim-readonly DELETE /api/v1/namespaces/default 403",
	    "system:anonymous GET /api/v1/pods 401",
	    "system:anonymous GET /api/v1/pods 401",
	};
	regex_t re;
	ck_assert_int_eq(regcomp(&re,
	                         "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z (.*)$",
	                         REG_EXTENDED),
	                 0);
	char *save, *line = strtok_r(log, "\n", &save);
	for (int i = 0; i < 4; i++, line = strtok_r(NULL, "\n", &save)) {
		ck_assert_msg(line != NULL, "log line %d missing", i);
		regmatch_t m[2];
		ck_assert_msg(regexec(&re, line, 2, m, 0) == 0, "bad log line: %s", line);
		ck_assert_str_eq(line + m[1].rm_so, want[i]);
	}
	ck_assert_ptr_null(line);
	regfree(&re);
	free(log);
	log = slurp(simlaunch_request_log(p));
	ck_assert_ptr_null(strstr(log, admin));
	ck_assert_ptr_null(strstr(log, ro));
	free(log);
	free(admin);
	free(ro);
	ck_assert_int_eq(simlaunch_stop(p), 0); /* SIGTERM ends it cleanly */
}
END_TEST

START_TEST(test_tls_client_certificate)
{
	const char *args[] = {"--tls", NULL};
	struct simlaunch *p = start(args);
	ck_assert(strncmp(simlaunch_url(p), "https://127.0.0.1:", 18) == 0);
	cJSON *k = load_kubeconfig(p);
	cJSON *cl = entry(k, "clusters", "podscope-sim", "cluster");
	cJSON *admin = entry(k, "users", "sim-admin", "user");
	struct tls t = {0};
	t.ca = unbase64(field(cl, "certificate-authority-data"), &t.ca_len);
	t.cert = unbase64(field(admin, "client-certificate-data"), &t.cert_len);
	t.key = unbase64(field(admin, "client-key-data"), &t.key_len);
	ck_assert_ptr_null(field(admin, "token"));
	ck_assert(strstr(t.ca, "BEGIN CERTIFICATE") && strstr(t.cert, "BEGIN CERTIFICATE"));
	ck_assert_ptr_nonnull(strstr(t.key, "PRIVATE KEY"));
	char *ro = strdup(field(entry(k, "users", "sim-readonly", "user"), "token"));
	cJSON_Delete(k);

	struct resp r = {0};
	request(p, "POST", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", NULL, &t, &r);
	ck_assert_int_eq(r.rc, CURLE_OK);
	ck_assert_int_eq(r.status, 422); /* known as sim-admin: the body is checked */
	resp_free(&r);
	request(p, "GET", "/api/v1/namespaces/default", NULL, &t, &r);
	ck_assert_int_eq(r.status, 200);
	resp_free(&r);

	/* The CA alone, with the read-only token. */
	struct tls ca_only = {t.ca, NULL, NULL, t.ca_len, 0, 0};
	request(p, "GET", "/api/v1/namespaces/default", ro, &ca_only, &r);
	ck_assert_int_eq(r.status, 200);
	resp_free(&r);
	request(p, "POST", "/api/v1/namespaces", ro, &ca_only, &r);
	ck_assert_int_eq(r.status, 403);
	resp_free(&r);
	request(p, "GET", "/api/v1/namespaces/default", NULL, &ca_only, &r);
	ck_assert_int_eq(r.status, 401);
	resp_free(&r);

	/* A client that does not trust the simulator's CA fails verification. */
	const char *other_ca =
	    "-----BEGIN "
	    "CERTIFICATE-----\nMIIBhTCCASugAwIBAgIQIRi6zePL6mKjOipn+dNuaTAKBggqhkjOPQQDAjASMRAw\n"
	    "-----END CERTIFICATE-----\n";
	struct tls wrong = {(char *)other_ca, NULL, NULL, strlen(other_ca), 0, 0};
	request(p, "GET", "/version", ro, &wrong, &r);
	ck_assert_int_ne(r.rc, CURLE_OK);
	resp_free(&r);

	char *log = slurp(simlaunch_request_log(p));
	ck_assert_ptr_nonnull(strstr(log, " sim-admin GET /api/v1/namespaces/default 200\n"));
	ck_assert_ptr_nonnull(strstr(log, " sim-readonly GET /api/v1/namespaces/default 200\n"));
	ck_assert_ptr_nonnull(
	    strstr(log, " system:anonymous GET /api/v1/namespaces/default 401\n"));
	free(log);
	free(t.ca);
	free(t.cert);
	memset(t.key, 0, t.key_len);
	free(t.key);
	free(ro);
	ck_assert_int_eq(simlaunch_stop(p), 0);
}
END_TEST

START_TEST(test_scenario_files)
{
	char fixture[1024];
	snprintf(fixture, sizeof(fixture), "%s/tests/fixtures/sim/shop.yaml", test_srcdir());
	const char *args[] = {"--scenario", fixture, "--allow-anonymous", NULL};
	struct simlaunch *p = start(args);
	struct resp r = {0};
	request(p, "GET", "/api/v1/namespaces/shop/pods", NULL, NULL, &r);
	ck_assert_int_eq(r.status, 200); /* anonymous is sim-admin here */
	cJSON *j = cJSON_Parse(r.body.data);
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(j, "items")), 4);
	cJSON_Delete(j);
	resp_free(&r);
	request(p, "GET", "/apis/apps/v1/namespaces/shop/deployments/web/scale", NULL, NULL, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_ptr_nonnull(strstr(r.body.data, "\"spec\":{\"replicas\":3}"));
	ck_assert_ptr_nonnull(strstr(r.body.data, "\"selector\":\"app=web\""));
	resp_free(&r);
	request(p, "GET", "/api/v1/namespaces/default/pods/hello", NULL, NULL, &r);
	ck_assert_int_eq(r.status, 200);
	resp_free(&r);
	request(p, "GET", "/api/v1/nodes", NULL, NULL, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_ptr_nonnull(strstr(r.body.data, "\"name\":\"sim-node-3\""));
	resp_free(&r);
	ck_assert_int_eq(simlaunch_stop(p), 0);

	/* A broken file: the simulator does not start at all. */
	snprintf(fixture, sizeof(fixture), "%s/tests/fixtures/sim/bad.yaml", test_srcdir());
	const char *bad[] = {"--scenario", fixture, NULL};
	struct perr err = {0};
	ck_assert_ptr_null(launch(bad, &err));
	ck_assert_msg(strstr(perr_msg(&err), "exited with status 2 before it listened"), "%s",
		      perr_msg(&err));
	const char *unknown[] = {"--scenario", "no-such-scenario", NULL};
	ck_assert_ptr_null(launch(unknown, &err));
	ck_assert_msg(strstr(perr_msg(&err), "exited with status"), "%s", perr_msg(&err));
	perr_clear(&err);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("sim_proc");
	TCase *tc = tcase_create("process");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_kubeconfig_and_users);
	tcase_add_test(tc, test_tls_client_certificate);
	tcase_add_test(tc, test_scenario_files);
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
