#include "config.h"

#include <errno.h>

#include "podscope/client.h"
#include "podscope/sanitize.h"

#include "client_priv.h"
#include "kstatus.h"
#include "netdiag.h"

#include "testutil.h"

#define DASH " \xe2\x80\x94 "

static void expect_msg(char *got, const char *want)
{
	ck_assert_ptr_nonnull(got);
	ck_assert_msg(strcmp(got, want) == 0, "\n got: %s\nwant: %s", got, want);
	free(got);
}

static void expect_has(char *got, const char *const *parts)
{
	ck_assert_ptr_nonnull(got);
	for (; *parts; parts++)
		ck_assert_msg(strstr(got, *parts), "\"%s\" not in: %s", *parts, got);
	ck_assert_msg(!strchr(got, '\n'), "not one line: %s", got);
	free(got);
}

/* Bodies as a real API server sends them. */
static const char forbidden[] =
    "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
    "\"message\":\"deployments.apps \\\"web\\\" is forbidden: User "
    "\\\"system:serviceaccount:default:viewer\\\" cannot patch resource \\\"deployments\\\" in "
    "API group \\\"apps\\\" in the namespace \\\"default\\\"\",\"reason\":\"Forbidden\","
    "\"details\":{\"name\":\"web\",\"group\":\"apps\",\"kind\":\"deployments\"},\"code\":403}\n";

START_TEST(status_forbidden)
{
	expect_msg(kstatus_message(403, forbidden, strlen(forbidden), "PATCH",
				   "/apis/apps/v1/namespaces/default/deployments/web"),
		   "deployments.apps \"web\" is forbidden: User "
		   "\"system:serviceaccount:default:viewer\" cannot patch resource \"deployments\" "
		   "in API group \"apps\" in the namespace \"default\" (Forbidden, HTTP 403)");
}
END_TEST

START_TEST(status_forbidden_cluster_scope)
{
	const char *b =
	    "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\","
	    "\"message\":\"User \\\"alice\\\" cannot list resource \\\"nodes\\\" at the "
	    "cluster scope\",\"reason\":\"Forbidden\",\"code\":403}";
	expect_msg(kstatus_message(403, b, strlen(b), "GET", "/api/v1/nodes"),
		   "forbidden: User \"alice\" cannot list resource \"nodes\" at the cluster scope "
		   "(Forbidden, HTTP 403)");
}
END_TEST

START_TEST(status_not_found_and_gone)
{
	const char *nf =
	    "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":"
	    "\"Failure\",\"message\":\"pods \\\"nope\\\" not found\",\"reason\":"
	    "\"NotFound\",\"details\":{\"name\":\"nope\",\"kind\":\"pods\"},\"code\":404}";
	expect_msg(kstatus_message(404, nf, strlen(nf), "GET", "/api/v1/namespaces/x/pods/nope"),
		   "pods \"nope\" not found (NotFound, HTTP 404)");
	const char *gone = "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":"
			   "\"Failure\",\"message\":\"too old resource version: 123 (4567)\","
			   "\"reason\":\"Expired\",\"code\":410}";
	expect_msg(kstatus_message(410, gone, strlen(gone), "GET", "/api/v1/pods?watch=1"),
		   "too old resource version: 123 (4567) (Expired, HTTP 410)");
}
END_TEST

START_TEST(status_invalid_and_conflict)
{
	const char *inv =
	    "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"message\":"
	    "\"Deployment.apps \\\"web\\\" is invalid: spec.replicas: Invalid value: -1: must be "
	    "greater than or equal to 0\",\"reason\":\"Invalid\",\"details\":{\"causes\":[{"
	    "\"reason\":\"FieldValueInvalid\",\"field\":\"spec.replicas\"}]},\"code\":422}";
	expect_msg(kstatus_message(422, inv, strlen(inv), "PATCH", "/x"),
		   "Deployment.apps \"web\" is invalid: spec.replicas: Invalid value: -1: must be "
		   "greater than or equal to 0 (Invalid, HTTP 422)");
	const char *conf =
	    "{\"kind\":\"Status\",\"status\":\"Failure\",\"message\":\"Operation cannot be "
	    "fulfilled on deployments.apps \\\"web\\\": the object has been modified; please "
	    "apply your changes to the latest version and try again\",\"reason\":\"Conflict\","
	    "\"code\":409}";
	const char *parts[] = {"the object has been modified", "(Conflict, HTTP 409)", NULL};
	expect_has(kstatus_message(409, conf, strlen(conf), "PUT", "/x"), parts);
}
END_TEST

START_TEST(status_unauthorized)
{
	const char *b = "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":"
			"\"Failure\",\"message\":\"Unauthorized\",\"reason\":\"Unauthorized\","
			"\"code\":401}";
	expect_msg(kstatus_format(401, b, strlen(b), "GET", "/api", "sim-readonly",
				  kstatus_hint_401(KSTATUS_AUTH_TOKEN)),
		   "unauthorized: the API server rejected the credentials of user \"sim-readonly\" "
		   "(Unauthorized, HTTP 401)" DASH
		   "has the token expired or been revoked? Get a new one for the kubeconfig");
	const char *parts[] = {"rejected the credentials", "HTTP 401", DASH, NULL};
	expect_has(kstatus_message(401, b, strlen(b), "GET", "/api"), parts);
}
END_TEST

START_TEST(not_a_status_body)
{
	const char *html = "<html><body><h1>502 Bad Gateway</h1></body></html>";
	expect_msg(kstatus_message(502, html, strlen(html), "GET", "/api/v1/pods?limit=500"),
		   "GET /api/v1/pods (Bad Gateway, HTTP 502)");
	const char *text = "internal error:\n  etcd is sad\n";
	expect_msg(kstatus_message(500, text, strlen(text), "POST", "/api/v1/x"),
		   "POST /api/v1/x: internal error: etcd is sad (Internal Server Error, HTTP 500)");
	expect_msg(kstatus_message(403, "", 0, "DELETE", "/api/v1/namespaces/a/pods/b"),
		   "forbidden: DELETE /api/v1/namespaces/a/pods/b (Forbidden, HTTP 403)");
	expect_msg(kstatus_message(418, NULL, 0, NULL, "/x"), "GET /x (HTTP 418)");
	/* JSON, but not a Status */
	const char *obj = "{\"kind\":\"Pod\"}";
	expect_msg(kstatus_message(500, obj, strlen(obj), "GET", "/p"),
		   "GET /p: {\"kind\":\"Pod\"} (Internal Server Error, HTTP 500)");
}
END_TEST

START_TEST(long_and_hostile_text_is_cut_to_one_line)
{
	char big[2000];
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	big[10] = '\n';
	big[20] = '\x1b';
	char *m = kstatus_message(500, big, strlen(big), "GET", "/x");
	ck_assert(!strchr(m, '\n'));
	ck_assert(!strchr(m, '\x1b'));
	ck_assert_int_lt(strlen(m), 400);
	ck_assert_ptr_nonnull(strstr(m, SANITIZE_CUT));
	free(m);
	/* C1 controls in a Status message: CSI as U+009B, NEL as U+0085 */
	const char *st =
	    "{\"kind\":\"Status\",\"message\":\"a\\u009b2Jb\\u0085c \\u00e9\",\"code\":500}";
	m = kstatus_message(500, st, strlen(st), "GET", "/x");
	ck_assert_str_eq(m, "a\\u009b2Jb\\u0085c \xc3\xa9 (Internal Server Error, HTTP 500)");
	free(m);
}
END_TEST

/* --- network failures --- */

START_TEST(net_refused)
{
	struct knet_fail f = {.rc = CURLE_COULDNT_CONNECT,
			      .errbuf = "Failed to connect",
			      .os_errno = ECONNREFUSED,
			      .server = "https://127.0.0.1:6443"};
	expect_msg(knet_explain(&f),
		   "cannot connect to https://127.0.0.1:6443: connection refused" DASH
		   "is the API server running and is the kubeconfig's server right?");
}
END_TEST

START_TEST(net_dns)
{
	struct knet_fail f = {.rc = CURLE_COULDNT_RESOLVE_HOST,
			      .errbuf = "Could not resolve host: k8s.example.invalid",
			      .server = "https://k8s.example.invalid:443"};
	const char *parts[] = {"cannot resolve the host name \"k8s.example.invalid\"", DASH, "DNS",
			       NULL};
	expect_has(knet_explain(&f), parts);
}
END_TEST

START_TEST(net_tls)
{
	struct knet_fail f = {.rc = CURLE_PEER_FAILED_VERIFICATION,
			      .errbuf = "SSL certificate problem: unable to get local issuer "
					"certificate",
			      .server = "https://10.0.0.1:6443",
			      .tls_name = "10.0.0.1"};
	const char *ca[] = {"certificate signed by unknown authority", "certificate-authority",
			    DASH, NULL};
	expect_has(knet_explain(&f), ca);
	f.errbuf = "SSL certificate problem: self-signed certificate in certificate chain";
	expect_has(knet_explain(&f), ca);

	f.errbuf = "SSL: no alternative certificate subject name matches target host name "
		   "'10.0.0.1'";
	const char *name[] = {"not valid for the name \"10.0.0.1\"", "tls-server-name", NULL};
	expect_has(knet_explain(&f), name);

	f.errbuf = "SSL certificate problem: certificate has expired";
	const char *exp[] = {"expired", "clock", NULL};
	expect_has(knet_explain(&f), exp);

	struct knet_fail g = {.rc = CURLE_RECV_ERROR,
			      .errbuf = "OpenSSL SSL_read: error:0A000418:SSL routines::tlsv1 "
					"alert unknown ca, errno 0",
			      .server = "https://k:1",
			      .have_cert = true};
	const char *rej[] = {"rejected the client certificate", DASH, NULL};
	expect_has(knet_explain(&g), rej);
	g.have_cert = false;
	g.errbuf = "OpenSSL SSL_read: error:0A00045C:SSL routines::tlsv13 alert certificate "
		   "required, errno 0";
	const char *none[] = {"asked for a client certificate and none was given", NULL};
	expect_has(knet_explain(&g), none);

	struct knet_fail h = {.rc = CURLE_SSL_CONNECT_ERROR,
			      .errbuf = "error:0A00010B:SSL routines::wrong version number",
			      .server = "https://k:80"};
	const char *plain[] = {"does not speak TLS", NULL};
	expect_has(knet_explain(&h), plain);
}
END_TEST

START_TEST(net_timeout_and_other)
{
	struct knet_fail f = {.rc = CURLE_OPERATION_TIMEDOUT,
			      .server = "https://k:1",
			      .connected = false,
			      .timeout_ms = 30000,
			      .errbuf = "Connection timed out after 10001 milliseconds"};
	const char *c[] = {"cannot connect to https://k:1: timed out", DASH, NULL};
	expect_has(knet_explain(&f), c);
	f.connected = true;
	f.errbuf = "Operation timed out after 30000 milliseconds with 5 bytes received";
	const char *t[] = {"within 30 s", NULL};
	expect_has(knet_explain(&f), t);

	f.errbuf = "SSL connection timeout";
	const char *h[] = {"TLS handshake with https://k:1 timed out", NULL};
	expect_has(knet_explain(&f), h);

	struct knet_fail g = {.rc = CURLE_GOT_NOTHING, .server = "https://k:1"};
	const char *n[] = {"closed the connection without answering", NULL};
	expect_has(knet_explain(&g), n);
}
END_TEST

START_TEST(urls_lose_userinfo)
{
	char *s = knet_safe_url("https://bob:hunter2@proxy.example:3128/p?q=secret#f");
	ck_assert_str_eq(s, "https://proxy.example:3128/p");
	free(s);
	s = knet_url_host("https://bob:hunter2@[::1]:6443/");
	ck_assert_str_eq(s, "::1");
	free(s);
	s = knet_url_host("https://api.example.com");
	ck_assert_str_eq(s, "api.example.com");
	free(s);
	struct knet_fail f = {.rc = CURLE_COULDNT_RESOLVE_PROXY,
			      .server = "https://k:1",
			      .proxy = "http://bob:hunter2@proxy.invalid:3128"};
	char *m = knet_explain(&f);
	ck_assert_ptr_null(strstr(m, "hunter2"));
	ck_assert_ptr_nonnull(strstr(m, "proxy.invalid"));
	free(m);
}
END_TEST

START_TEST(retry_after)
{
	ck_assert_int_eq(kclient_parse_retry_after("7", 0), 7);
	ck_assert_int_eq(kclient_parse_retry_after("0", 0), 0);
	ck_assert_int_eq(kclient_parse_retry_after("", 0), -1);
	ck_assert_int_eq(kclient_parse_retry_after("soon", 0), -1);
	/* Sun, 06 Nov 1994 08:49:37 GMT = 784111777 */
	ck_assert_int_eq(kclient_parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", 784111770), 7);
	ck_assert_int_eq(kclient_parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", 784111800), 0);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("kstatus");
	TCase *tc = tcase_create("status");
	tcase_add_test(tc, status_forbidden);
	tcase_add_test(tc, status_forbidden_cluster_scope);
	tcase_add_test(tc, status_not_found_and_gone);
	tcase_add_test(tc, status_invalid_and_conflict);
	tcase_add_test(tc, status_unauthorized);
	tcase_add_test(tc, not_a_status_body);
	tcase_add_test(tc, long_and_hostile_text_is_cut_to_one_line);
	suite_add_tcase(s, tc);
	tc = tcase_create("network");
	tcase_add_test(tc, net_refused);
	tcase_add_test(tc, net_dns);
	tcase_add_test(tc, net_tls);
	tcase_add_test(tc, net_timeout_and_other);
	tcase_add_test(tc, urls_lose_userinfo);
	tcase_add_test(tc, retry_after);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return test_run_suite(suite());
}
