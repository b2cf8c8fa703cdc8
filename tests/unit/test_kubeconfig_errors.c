#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "podscope/buf.h"
#include "podscope/xalloc.h"

#include "test_kubeconfig.h"

/* Each error names what is wrong and where, on one line, with no secret
 * (kct_load_err checks that and the PERR_CONFIG kind / exit status 2). */

START_TEST(yaml_error_has_file_line_column)
{
	char *f = kct_fx("errors/bad-yaml.yaml");
	char *msg = kct_load_err(f, NULL);
	char *want = xasprintf("%s:6:22: ", f);
	ck_assert_contains(msg, want);
	ck_assert_contains(msg, "mapping values are not allowed");
	free(want);
	free(msg);

	/* A broken file anywhere in $KUBECONFIG is fatal, as for kubectl. */
	char *good = kct_fx("full.yaml");
	char *env = xasprintf("%s:%s", good, f);
	setenv("KUBECONFIG", env, 1);
	msg = kct_load_err(NULL, NULL);
	ck_assert_contains(msg, "bad-yaml.yaml:6:22: ");
	free(msg);
	free(env);
	free(good);
	free(f);
}
END_TEST

START_TEST(file_level_errors)
{
	/* clang-format off */
	static const struct {
		const char *file;
		const char *want[2];
	} cases[] = {
		{"errors/bad-base64.yaml", {"client-key-data is not valid base64", "users[0]"}},
		{"errors/duplicate.yaml", {"contexts[0] and contexts[2]", "\"dup\""}},
		{"errors/wrong-type.yaml",
		 {"clusters[0].cluster.insecure-skip-tls-verify must be a boolean",
		  "not a string"}},
		{"errors/top-list.yaml", {"not a kubeconfig", "a list"}},
		{"errors/no-current.yaml",
		 {"no current-context and no --context", "(contexts: \"a-ctx\", \"b-ctx\")"}},
	};
	/* clang-format on */
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *f = kct_fx(cases[i].file);
		char *msg = kct_load_err(f, NULL);
		ck_assert_contains(msg, f);
		for (size_t k = 0; k < 2; k++)
			ck_assert_contains(msg, cases[i].want[k]);
		free(msg);
		free(f);
	}
	/* The base64 text may be a key: it is never quoted. */
	char *f = kct_fx("errors/bad-base64.yaml");
	char *msg = kct_load_err(f, NULL);
	ck_assert(strstr(msg, "secret*key") == NULL);
	free(msg);
	free(f);
}
END_TEST

START_TEST(context_level_errors)
{
	/* clang-format off */
	static const struct {
		const char *ctx;
		const char *want[2];
	} cases[] = {
		{"missing-cluster", {"names cluster \"nope\", which does not exist", "\"ok\""}},
		{"missing-user",
		 {"names user \"nobody\", which does not exist", "\"token-basic\""}},
		{"no-cluster", {"context \"no-cluster\"", "names no cluster"}},
		{"no-server", {"cluster \"noserver\"", "has no server"}},
		{"ca-both",
		 {"certificate-authority and certificate-authority-data", "\"cafile-and-data\""}},
		{"insecure-ca",
		 {"insecure-skip-tls-verify together with a certificate authority",
		  "\"insecure-ca\""}},
		{"ca-missing",
		 {"cannot read certificate-authority ",
		  "certs/missing-ca.pem for cluster \"ca-missing\": No such file or directory"}},
		{"bad-proxy", {"proxy-url ftp://REDACTED@proxy.example", "http, https or socks5"}},
		{"gcp",
		 {"user \"gcp\"",
		  "uses auth-provider \"gcp\", which podscope does not support; use an "
		  "exec credential plugin (for example gke-gcloud-auth-plugin) instead"}},
		{"oidc", {"auth-provider \"oidc\"", "not support"}},
		{"exec-no-mode", {"user \"exec-no-mode\"", "needs interactiveMode"}},
		{"exec-bad-version", {"\"client.authentication.k8s.io/v2\"", "not supported"}},
		{"exec-no-command", {"user \"exec-no-command\"", "needs a command"}},
		{"token-basic", {"user \"token-basic\"", "both a token and username/password"}},
		{"tokenfile-basic",
		 {"user \"tokenfile-basic\"", "both a token and username/password"}},
		{"cert-no-key", {"user \"cert-no-key\"", "no client-key"}},
		{"cert-both",
		 {"user \"cert-both\"", "client-certificate and client-certificate-data"}},
		{"cert-missing",
		 {"cannot read client-certificate ",
		  "certs/missing.pem for user \"cert-missing\": No such file or directory"}},
		{"key-missing",
		 {"cannot read client-key ",
		  "certs/missing-key.pem for user \"key-missing\": No such file or directory"}},
		{"tokenfile-dir",
		 {"cannot read tokenFile ", "tokens for user \"tokenfile-dir\": Is a directory"}},
		{"tokenfile-missing",
		 {"cannot read tokenFile ",
		  "tokens/missing for user \"tokenfile-missing\": No such file"}},
		{"tokenfile-empty", {"tokens/empty", "is empty"}},
		{"impersonate",
		 {"user \"impersonate\"",
		  "sets as (impersonation), which podscope does not support"}},
		{"gone",
		 {"context \"gone\" (from --context) does not exist",
		  "contexts that exist: \"bad-proxy\", \"ca-both\""}},
	};
	/* clang-format on */
	char *f = kct_fx("errors/contexts.yaml");
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *msg = kct_load_err(f, cases[i].ctx);
		for (size_t k = 0; k < 2; k++)
			ck_assert_contains(msg, cases[i].want[k]);
		free(msg);
	}
	/* current-context names a context that is not there. */
	char *msg = kct_load_err(f, NULL);
	ck_assert_contains(msg, "current-context \"gone\" (set in ");
	ck_assert_contains(msg,
			   "contexts.yaml) does not exist; contexts that exist: \"bad-proxy\"");
	ck_assert_contains(msg, "\"tokenfile-missing\"");
	free(msg);
	/* --cluster and --user that do not exist. */
	struct kc_options opt = {.kubeconfig = f, .context = "gcp", .cluster = "nope"};
	msg = kct_load_opt_err(&opt);
	ck_assert_contains(msg, "cluster \"nope\" (from --cluster) does not exist");
	ck_assert_contains(msg, "clusters that exist: \"bad-proxy\", \"ca-missing\"");
	free(msg);
	opt.cluster = NULL;
	opt.user = "nobody";
	msg = kct_load_opt_err(&opt);
	ck_assert_contains(msg, "user \"nobody\" (from --user) does not exist");
	free(msg);
	free(f);
}
END_TEST

START_TEST(nothing_found_names_every_path)
{
	char *env = xasprintf("%s/one:%s/two", kct_tmp(), kct_tmp());
	setenv("KUBECONFIG", env, 1);
	char *msg = kct_load_err(NULL, NULL);
	char *want = xasprintf("tried %s/one, %s/two (from $KUBECONFIG)", kct_tmp(), kct_tmp());
	ck_assert_contains(msg, want);
	ck_assert_contains(msg, "KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT are not");
	free(want);
	free(msg);
	free(env);

	unsetenv("KUBECONFIG");
	msg = kct_load_err(NULL, NULL);
	want = xasprintf("tried %s/.kube/config", kct_tmp());
	ck_assert_contains(msg, want);
	free(want);
	free(msg);

	/* In-cluster variables set, but no token where it should be. */
	setenv("KUBERNETES_SERVICE_HOST", "10.0.0.1", 1);
	setenv("KUBERNETES_SERVICE_PORT", "443", 1);
	struct kc_options opt = {.incluster_dir = kct_tmp()};
	msg = kct_load_opt_err(&opt);
	want = xasprintf("%s/token is missing", kct_tmp());
	ck_assert_contains(msg, want);
	free(want);
	free(msg);

	/* --context with no kubeconfig at all: no in-cluster fallback. */
	opt.context = "prod";
	opt.incluster_dir = NULL;
	msg = kct_load_opt_err(&opt);
	ck_assert_contains(msg, "context \"prod\" (from --context) does not exist in the "
				"kubeconfig (no file was found)");
	free(msg);

	/* --kubeconfig must exist, and be readable. */
	char *path = xasprintf("%s/absent.yaml", kct_tmp());
	msg = kct_load_err(path, NULL);
	ck_assert_contains(msg, path);
	ck_assert_contains(msg, "does not exist");
	free(msg);
	free(path);
	msg = kct_load_err(kct_tmp(), NULL);
	ck_assert_contains(msg, "cannot read kubeconfig");
	ck_assert_contains(msg, "Is a directory");
	free(msg);
}
END_TEST

TCase *kct_errors_tcase(void)
{
	TCase *tc = tcase_create("errors");
	tcase_add_checked_fixture(tc, kct_setup, kct_teardown);
	tcase_add_test(tc, yaml_error_has_file_line_column);
	tcase_add_test(tc, file_level_errors);
	tcase_add_test(tc, context_level_errors);
	tcase_add_test(tc, nothing_found_names_every_path);
	return tc;
}

/* In-cluster: the fixture directory stands in for the service account's. */

START_TEST(incluster_config)
{
	setenv("KUBERNETES_SERVICE_HOST", "10.0.0.1", 1);
	setenv("KUBERNETES_SERVICE_PORT", "443", 1);
	char *dir = kct_fx("incluster");
	char *token = kct_fx_clean("incluster/token");
	struct kc_options opt = {.incluster_dir = dir};
	struct perr err = {0};
	struct kc_conn *c = kc_load(&opt, &err);
	ck_assert_msg(c != NULL, "%s", perr_msg(&err));
	ck_assert_int_eq(c->auth, KC_AUTH_INCLUSTER);
	ck_assert_str_eq(c->server, "https://10.0.0.1:443");
	ck_assert_ptr_null(c->token); /* read (and re-read) by the auth layer */
	ck_assert_str_eq(c->token_file, token);
	ck_assert_ptr_nonnull(c->ca_data);
	ck_assert_contains((char *)c->ca_data, "BEGIN CERTIFICATE");
	ck_assert_str_eq(c->namespace, "kube-system"); /* trimmed */
	ck_assert_str_eq(c->context, "");
	ck_assert_uint_eq(c->nsources, 0);
	kc_conn_free(c);

	/* POD_NAMESPACE first, -n over everything; PODSCOPE_INCLUSTER_DIR. */
	setenv("POD_NAMESPACE", "from-env", 1);
	setenv("PODSCOPE_INCLUSTER_DIR", dir, 1);
	c = kct_load(NULL, NULL);
	ck_assert_str_eq(c->namespace, "from-env");
	kc_conn_free(c);
	struct kc_options o2 = {.namespace = "flag", .all_namespaces = true};
	c = kc_load(&o2, &err);
	ck_assert_ptr_nonnull(c);
	ck_assert_str_eq(c->namespace, "flag");
	ck_assert(c->all_namespaces);
	struct buf b = BUF_INIT;
	kc_conn_describe_json(c, &b);
	ck_assert_contains(b.data, "\"auth\":\"in-cluster\"");
	ck_assert(strstr(b.data, "fixture-") == NULL);
	buf_free(&b);
	kc_conn_free(c);

	/* IPv6 in brackets (net.JoinHostPort); no ca.crt: system CAs; no
	 * namespace file: "default". */
	unsetenv("POD_NAMESPACE");
	setenv("KUBERNETES_SERVICE_HOST", "fd00::1", 1);
	char *v6 = kct_fx("incluster-v6");
	opt.incluster_dir = v6;
	c = kc_load(&opt, &err);
	ck_assert_msg(c != NULL, "%s", perr_msg(&err));
	ck_assert_str_eq(c->server, "https://[fd00::1]:443");
	ck_assert_ptr_null(c->ca_data);
	ck_assert_str_eq(c->namespace, "default");
	kc_conn_free(c);

	/* A kubeconfig that chooses a context wins over in-cluster. */
	char *full = kct_fx("full.yaml");
	setenv("KUBECONFIG", full, 1);
	c = kct_load(NULL, NULL);
	ck_assert_str_eq(c->context, "files");
	kc_conn_free(c);
	/* One that chooses none does not (client-go's "default config"). */
	char *nc = kct_fx("errors/no-current.yaml");
	setenv("KUBECONFIG", nc, 1);
	c = kct_load(NULL, NULL);
	ck_assert_int_eq(c->auth, KC_AUTH_INCLUSTER);
	kc_conn_free(c);
	free(nc);
	free(full);
	free(v6);
	free(token);
	free(dir);
}
END_TEST

TCase *kct_incluster_tcase(void)
{
	TCase *tc = tcase_create("incluster");
	tcase_add_checked_fixture(tc, kct_setup, kct_teardown);
	tcase_add_test(tc, incluster_config);
	return tc;
}
