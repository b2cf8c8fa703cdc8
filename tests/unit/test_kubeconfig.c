#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "podscope/buf.h"
#include "podscope/xalloc.h"

#include "kube/kubeconfig_int.h"
#include "test_kubeconfig.h"

/* conn bytes == the fixture file's bytes */
static void assert_bytes_file(const unsigned char *data, size_t len, const char *rel)
{
	char *path = kct_fx(rel);
	size_t n;
	char *want = test_slurp_len(path, &n);
	ck_assert_msg(want != NULL, "cannot read %s", path);
	ck_assert_ptr_nonnull(data);
	ck_assert_uint_eq(len, n);
	ck_assert(memcmp(data, want, n) == 0);
	ck_assert_int_eq(data[len], '\0');
	free(want);
	free(path);
}

START_TEST(path_clean_like_go)
{
	/* clang-format off */
	static const char *const cases[][2] = {
		{"", "."}, {"abc", "abc"}, {"abc/def", "abc/def"}, {"a/b/c", "a/b/c"}, {".", "."},
		{"..", ".."}, {"../..", "../.."}, {"../../abc", "../../abc"}, {"/abc", "/abc"},
		{"/", "/"}, {"abc/", "abc"}, {"//abc//def//", "/abc/def"}, {"abc/./def", "abc/def"},
		{"/./abc/def", "/abc/def"}, {"abc/.", "abc"}, {"abc/def/..", "abc"},
		{"abc/def/../..", "."}, {"/abc/def/../..", "/"}, {"abc/def/../../..", ".."},
		{"/abc/def/../../..", "/"}, {"abc/def/../../../ghi/jkl/../../../mno", "../../mno"},
		{"/../abc", "/abc"}, {"abc/./../def", "def"}, {"abc//./../def", "def"},
		{"abc/../../././../def", "../../def"},
	};
	/* clang-format on */
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *got = kc_path_clean(cases[i][0]);
		ck_assert_msg(!strcmp(got, cases[i][1]), "Clean(%s) = %s, want %s", cases[i][0],
			      got, cases[i][1]);
		free(got);
	}
	char *r = kc_path_resolve("/base/dir", "../x/./y");
	ck_assert_str_eq(r, "/base/x/y");
	free(r);
	r = kc_path_resolve("/base", "/abs/path");
	ck_assert_str_eq(r, "/abs/path");
	free(r);
}
END_TEST

START_TEST(cluster_file_fields_and_relative_paths)
{
	char *f = kct_fx("full.yaml");
	struct kc_conn *c = kct_load(f, NULL); /* current-context: files */
	ck_assert_str_eq(c->context, "files");
	ck_assert_str_eq(c->cluster_name, "files");
	ck_assert_str_eq(c->user_name, "certfiles");
	ck_assert_str_eq(c->server, "https://files.example:6443"); /* trailing slash gone */
	ck_assert_str_eq(c->namespace, "team-a");
	ck_assert_int_eq(c->auth, KC_AUTH_CLIENT_CERT);
	assert_bytes_file(c->ca_data, c->ca_len, "certs/ca.pem");
	assert_bytes_file(c->cert_data, c->cert_len, "certs/client.pem");
	assert_bytes_file(c->key_data, c->key_len, "certs/client-key.pem");
	ck_assert(!c->insecure_skip_tls_verify);
	ck_assert_ptr_null(c->token);
	ck_assert_uint_eq(c->nsources, 1);
	ck_assert_str_eq(c->sources[0], f);
	kc_conn_free(c);
	free(f);
}
END_TEST

START_TEST(cluster_data_fields)
{
	char *f = kct_fx("full.yaml");
	struct kc_conn *c = kct_load(f, "data");
	ck_assert_str_eq(c->server, "https://data.example:6443");
	assert_bytes_file(c->ca_data, c->ca_len, "certs/ca.pem");
	assert_bytes_file(c->cert_data, c->cert_len, "certs/client.pem");
	assert_bytes_file(c->key_data, c->key_len, "certs/client-key.pem");
	ck_assert_str_eq(c->tls_server_name, "api.internal");
	ck_assert_str_eq(c->proxy_url, "socks5://proxy.example:1080");
	ck_assert_str_eq(c->namespace, "default");
	ck_assert_int_eq(c->auth, KC_AUTH_CLIENT_CERT);
	kc_conn_free(c);
	c = kct_load(f, "token");
	ck_assert(c->insecure_skip_tls_verify);
	ck_assert_ptr_null(c->ca_data);
	ck_assert_ptr_null(c->tls_server_name);
	ck_assert_ptr_null(c->proxy_url);
	ck_assert_str_eq(c->namespace, "tok");
	kc_conn_free(c);
	free(f);
}
END_TEST

START_TEST(users_tokens_and_basic)
{
	char *f = kct_fx("full.yaml");
	char *tokfile = kct_fx_clean("tokens/token");
	struct kc_conn *c = kct_load(f, "token");
	ck_assert_int_eq(c->auth, KC_AUTH_TOKEN);
	ck_assert_str_eq(c->token, "fixture-static-token");
	ck_assert_ptr_null(c->token_file);
	kc_conn_free(c);

	c = kct_load(f, "tokenfile");
	ck_assert_int_eq(c->auth, KC_AUTH_TOKEN_FILE);
	ck_assert_str_eq(c->token_file, tokfile);
	ck_assert_ptr_null(c->token); /* the auth layer reads the file */
	kc_conn_free(c);

	/* client-go: the file wins and is re-read; the static token is the
	 * fallback when the file cannot be read. */
	c = kct_load(f, "tokenboth");
	ck_assert_int_eq(c->auth, KC_AUTH_TOKEN_FILE);
	ck_assert_str_eq(c->token_file, tokfile);
	ck_assert_str_eq(c->token, "fixture-static-token");
	kc_conn_free(c);

	c = kct_load(f, "basic");
	ck_assert_int_eq(c->auth, KC_AUTH_BASIC);
	ck_assert_str_eq(c->username, "fixture-user");
	ck_assert_str_eq(c->password, "fixture-password");
	ck_assert_ptr_null(c->token);
	kc_conn_free(c);

	/* A certificate and a token: both are used, the token names auth. */
	c = kct_load(f, "certtoken");
	ck_assert_int_eq(c->auth, KC_AUTH_TOKEN);
	ck_assert_str_eq(c->token, "fixture-static-token");
	assert_bytes_file(c->cert_data, c->cert_len, "certs/client.pem");
	ck_assert_ptr_nonnull(c->key_data);
	kc_conn_free(c);

	c = kct_load(f, "nouser");
	ck_assert_str_eq(c->user_name, "");
	ck_assert_int_eq(c->auth, KC_AUTH_NONE);
	kc_conn_free(c);
	free(tokfile);
	free(f);
}
END_TEST

START_TEST(plain_http_sends_no_credentials)
{
	char *f = kct_fx("full.yaml");
	struct kc_conn *c = kct_load(f, "plain");
	/* client-go's DefaultServerURL: no scheme means http://, and kubectl
	 * only reads credentials for an https server. */
	ck_assert_str_eq(c->server, "http://plain.example:8080");
	ck_assert_str_eq(c->user_name, "token");
	ck_assert_int_eq(c->auth, KC_AUTH_NONE);
	ck_assert_ptr_null(c->token);
	kc_conn_free(c);
	free(f);
}
END_TEST

START_TEST(exec_fields)
{
	char *f = kct_fx("full.yaml");
	char *dir = kct_fx_clean(".");
	char *cmd = kct_fx_clean("bin/plugin");
	struct kc_conn *c = kct_load(f, "exec");
	ck_assert_int_eq(c->auth, KC_AUTH_EXEC);
	const struct kc_exec *x = c->exec;
	ck_assert_ptr_nonnull(x);
	ck_assert_str_eq(x->api_version, "client.authentication.k8s.io/v1");
	ck_assert_str_eq(x->command, cmd); /* has a slash: resolved */
	ck_assert_uint_eq(x->nargs, 3);
	ck_assert_str_eq(x->args[0], "--cluster");
	ck_assert_str_eq(x->args[2], "two words");
	ck_assert_ptr_null(x->args[3]);
	ck_assert_uint_eq(x->nenv, 2);
	ck_assert_str_eq(x->env[0].name, "PLUGIN_MODE");
	ck_assert_str_eq(x->env[0].value, "test");
	ck_assert_str_eq(x->env[1].name, "EMPTY");
	ck_assert_str_eq(x->env[1].value, "");
	ck_assert_str_eq(x->install_hint, "install the fixture plugin");
	ck_assert(x->provide_cluster_info);
	ck_assert_str_eq(x->interactive_mode, "Never");
	ck_assert_str_eq(x->dir, dir);
	kc_conn_free(c);

	c = kct_load(f, "execbeta");
	x = c->exec;
	ck_assert_str_eq(x->command, "kc-test-plugin");       /* no slash: left for $PATH */
	ck_assert_str_eq(x->interactive_mode, "IfAvailable"); /* v1beta1 default */
	ck_assert_uint_eq(x->nargs, 0);
	ck_assert_ptr_null(x->args[0]);
	ck_assert(!x->provide_cluster_info);
	kc_conn_free(c);
	free(cmd);
	free(dir);
	free(f);
}
END_TEST

START_TEST(flags_override_the_context)
{
	char *f = kct_fx("full.yaml");
	struct kc_options opt = {.kubeconfig = f,
				 .context = "files",
				 .cluster = "insecure",
				 .user = "basic",
				 .namespace = "override",
				 .all_namespaces = true};
	struct perr err = {0};
	struct kc_conn *c = kc_load(&opt, &err);
	ck_assert_msg(c != NULL, "%s", perr_msg(&err));
	ck_assert_str_eq(c->context, "files");
	ck_assert_str_eq(c->cluster_name, "insecure");
	ck_assert_str_eq(c->server, "https://insecure.example");
	ck_assert_str_eq(c->user_name, "basic");
	ck_assert_int_eq(c->auth, KC_AUTH_BASIC);
	ck_assert_str_eq(c->namespace, "override");
	ck_assert(c->all_namespaces);
	ck_assert(c->insecure_skip_tls_verify);
	kc_conn_free(c);

	/* --cluster alone, with no context anywhere: no user, "default". */
	char *nc = kct_fx("errors/no-current.yaml");
	struct kc_options o2 = {.kubeconfig = nc, .cluster = "a"};
	c = kc_load(&o2, &err);
	ck_assert_msg(c != NULL, "%s", perr_msg(&err));
	ck_assert_str_eq(c->context, "");
	ck_assert_str_eq(c->cluster_name, "a");
	ck_assert_str_eq(c->server, "https://a");
	ck_assert_str_eq(c->namespace, "default");
	ck_assert_int_eq(c->auth, KC_AUTH_NONE);
	kc_conn_free(c);
	free(nc);
	free(f);
}
END_TEST

START_TEST(merge_first_file_wins)
{
	char *a = kct_fx("a/config"), *b = kct_fx("b/config"), *cy = kct_fx("c.yaml");
	char *env = xasprintf("%s:%s:%s", a, b, cy);
	setenv("KUBECONFIG", env, 1);
	/* a sets no current-context, so b's wins over c's. */
	struct kc_conn *c = kct_load(NULL, NULL);
	ck_assert_str_eq(c->context, "ctx-b");
	ck_assert_str_eq(c->cluster_name, "only-b");
	ck_assert_str_eq(c->namespace, "from-b");
	ck_assert_int_eq(c->auth, KC_AUTH_TOKEN_FILE);
	char *tok = kct_fx_clean("tokens/token"); /* ../tokens/token from b/ */
	ck_assert_str_eq(c->token_file, tok);
	free(tok);
	assert_bytes_file(c->ca_data, c->ca_len, "b/certs/ca.pem"); /* relative to b/ */
	ck_assert_uint_eq(c->nsources, 3);
	ck_assert_str_eq(c->sources[0], a);
	ck_assert_str_eq(c->sources[2], cy);
	kc_conn_free(c);

	/* "shared" is defined by a and b: a's entries win whole, b's fields
	 * (tls-server-name) are not merged in; a's relative CA is a's. */
	c = kct_load(NULL, "shared");
	ck_assert_str_eq(c->cluster_name, "shared");
	ck_assert_str_eq(c->server, "https://a.example");
	ck_assert_ptr_null(c->tls_server_name);
	assert_bytes_file(c->ca_data, c->ca_len, "a/certs/ca.pem");
	ck_assert_str_eq(c->namespace, "from-a");
	ck_assert_int_eq(c->auth, KC_AUTH_TOKEN);
	ck_assert_str_eq(c->token, "fixture-token-a");
	kc_conn_free(c);

	/* c first: its current-context wins; its context refers to a's cluster. */
	free(env);
	env = xasprintf("%s:%s:%s", cy, a, b);
	setenv("KUBECONFIG", env, 1);
	c = kct_load(NULL, NULL);
	ck_assert_str_eq(c->context, "shared");
	ck_assert_str_eq(c->server, "https://a.example");
	kc_conn_free(c);
	c = kct_load(NULL, "ctx-c");
	ck_assert_str_eq(c->cluster_name, "only-a");
	ck_assert_str_eq(c->user_name, "");
	ck_assert_str_eq(c->namespace, "from-c");
	kc_conn_free(c);

	/* Empty entries, missing files and repeats are skipped. */
	free(env);
	env = xasprintf(":%s/missing::%s:%s:%s:", kct_tmp(), b, b, a);
	setenv("KUBECONFIG", env, 1);
	c = kct_load(NULL, NULL);
	ck_assert_str_eq(c->context, "ctx-b");
	ck_assert_uint_eq(c->nsources, 2);
	ck_assert_str_eq(c->sources[0], b);
	ck_assert_str_eq(c->sources[1], a);
	kc_conn_free(c);

	/* --kubeconfig replaces $KUBECONFIG: no merge. */
	c = kct_load(a, "shared");
	ck_assert_uint_eq(c->nsources, 1);
	kc_conn_free(c);
	free(env);
	free(a);
	free(b);
	free(cy);
}
END_TEST

START_TEST(home_config_and_relative_kubeconfig)
{
	char *f = kct_fx("full.yaml");
	char *text = test_slurp(f);
	ck_assert_msg(text != NULL, "cannot read %s", f);
	char *home = kct_write(".kube/config", text);
	/* Relative paths in ~/.kube/config resolve against ~/.kube. */
	char *tok = kct_write(".kube/tokens/token", "fixture-home-token\n");
	struct kc_conn *c = kct_load(NULL, "tokenfile");
	ck_assert_str_eq(c->token_file, tok);
	free(tok);
	ck_assert_str_eq(c->sources[0], home);
	kc_conn_free(c);

	/* A relative --kubeconfig: its directory is taken from the cwd. */
	char *cwd = getcwd(NULL, 0);
	char *dir = kct_fx("");
	ck_assert_int_eq(chdir(dir), 0);
	c = kct_load("./full.yaml", "files");
	ck_assert_str_eq(c->sources[0], "./full.yaml");
	assert_bytes_file(c->ca_data, c->ca_len, "certs/ca.pem");
	kc_conn_free(c);
	ck_assert_int_eq(chdir(cwd), 0);
	free(cwd);
	free(dir);
	free(home);
	free(text);
	free(f);
}
END_TEST

START_TEST(json_kubeconfig_and_base64_lines)
{
	char *f = kct_fx("kubeconfig.json");
	struct kc_conn *c = kct_load(f, NULL);
	ck_assert_str_eq(c->context, "json");
	ck_assert_str_eq(c->namespace, "from-json");
	ck_assert(c->insecure_skip_tls_verify);
	kc_conn_free(c);
	free(f);

	/* Base64 split over lines (a YAML block scalar) decodes as Go does. */
	char *k = kct_write("k.yaml", "current-context: x\n"
				      "clusters:\n- name: c\n  cluster:\n"
				      "    server: https://x\n"
				      "    certificate-authority-data: |\n"
				      "      aGVsbG8g\n      d29ybGQ=\n"
				      "contexts:\n- name: x\n  context: {cluster: c}\n");
	c = kct_load(k, NULL);
	ck_assert_uint_eq(c->ca_len, 11);
	ck_assert_str_eq((char *)c->ca_data, "hello world");
	kc_conn_free(c);
	free(k);

	/* Padding, and its absence, as Go's decoder sees them. */
	static const struct {
		const char *b64, *bytes; /* NULL bytes: invalid */
	} b64[] = {{"QUJD", "ABC"},    {"QUI=", "AB"},     {"QQ==", "A"},        {"QQ", NULL},
		   {"QQ=", NULL},      {"Q===", NULL},     {"QUJDRA==", "ABCD"}, {"QU=D", NULL},
		   {"QQ==QQ==", NULL}, {"Q\\r\\nQ==", "A"}};
	for (size_t i = 0; i < sizeof(b64) / sizeof(b64[0]); i++) {
		char *y = xasprintf("current-context: x\nclusters:\n- name: c\n  cluster:\n"
				    "    server: https://x\n"
				    "    certificate-authority-data: \"%s\"\n"
				    "contexts:\n- name: x\n  context: {cluster: c}\n",
				    b64[i].b64);
		char *p = kct_write("b64.yaml", y);
		struct kc_options o = {.kubeconfig = p};
		struct perr err = {0};
		c = kc_load(&o, &err);
		if (b64[i].bytes) {
			ck_assert_msg(c != NULL, "%s: %s", b64[i].b64, perr_msg(&err));
			ck_assert_str_eq((char *)c->ca_data, b64[i].bytes);
		} else {
			ck_assert_msg(c == NULL, "%s decoded", b64[i].b64);
			ck_assert_contains(perr_msg(&err), "is not valid base64");
		}
		kc_conn_free(c);
		perr_clear(&err);
		free(p);
		free(y);
	}

	/* An empty file, or one that says null, is an empty config, merged
	 * like any other. */
	char *e = kct_write("empty", "");
	char *nul = kct_write("null.yaml", "# nothing here\nnull\n");
	char *full = kct_fx("full.yaml");
	char *env = xasprintf("%s:%s:%s", e, nul, full);
	setenv("KUBECONFIG", env, 1);
	c = kct_load(NULL, NULL);
	ck_assert_str_eq(c->context, "files");
	ck_assert_uint_eq(c->nsources, 3);
	free(nul);
	kc_conn_free(c);
	free(env);
	free(full);
	free(e);
}
END_TEST

static cJSON *describe_json(const struct kc_conn *c)
{
	struct buf b = BUF_INIT;
	kc_conn_describe_json(c, &b);
	ck_assert_msg(strstr(b.data, "fixture-") == NULL, "secret in %s", b.data);
	cJSON *j = cJSON_Parse(b.data);
	ck_assert_msg(j != NULL, "not JSON: %s", b.data);
	buf_free(&b);
	return j;
}

START_TEST(describe_json_and_text)
{
	/* clang-format off */
	static const char *const keys[] = {"context", "cluster", "server", "namespace", "user",
					   "auth", "insecure_skip_tls_verify", "all_namespaces",
					   "sources"};
	static const char *const ctxs[] = {"files", "data", "token", "tokenfile", "tokenboth",
					   "basic", "exec", "execbeta", "certtoken", "plain",
					   "nouser", "proxyauth"};
	static const char *const auths[] = {"client-certificate", "client-certificate", "token",
					    "token-file", "token-file", "basic", "exec", "exec",
					    "token", "none", "none", "none"};
	/* clang-format on */
	char *f = kct_fx("full.yaml");
	for (size_t i = 0; i < sizeof(ctxs) / sizeof(ctxs[0]); i++) {
		struct kc_conn *c = kct_load(f, ctxs[i]);
		cJSON *j = describe_json(c);
		ck_assert_int_eq(cJSON_GetArraySize(j), sizeof(keys) / sizeof(keys[0]));
		for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
			ck_assert_msg(cJSON_HasObjectItem(j, keys[k]), "no %s", keys[k]);
		ck_assert_str_eq(cJSON_GetObjectItem(j, "context")->valuestring, ctxs[i]);
		ck_assert_str_eq(cJSON_GetObjectItem(j, "auth")->valuestring, auths[i]);
		ck_assert_str_eq(cJSON_GetObjectItem(j, "server")->valuestring, c->server);
		ck_assert(cJSON_IsBool(cJSON_GetObjectItem(j, "insecure_skip_tls_verify")));
		const cJSON *src = cJSON_GetObjectItem(j, "sources");
		ck_assert_str_eq(cJSON_GetArrayItem(src, 0)->valuestring, f);
		cJSON_Delete(j);

		struct buf t = BUF_INIT;
		kc_conn_describe_text(c, &t);
		ck_assert_msg(strstr(t.data, "fixture-") == NULL, "secret in %s", t.data);
		char *want = xasprintf("auth:                     %s\n", auths[i]);
		ck_assert_contains(t.data, want);
		free(want);
		ck_assert_contains(t.data, "\ncluster:                  ");
		buf_free(&t);
		kc_conn_free(c);
	}
	struct kc_conn *c = kct_load(f, "proxyauth");
	struct buf t = BUF_INIT;
	kc_conn_describe_text(c, &t);
	ck_assert_contains(t.data,
			   "proxy-url:                http://REDACTED@proxy.example:3128\n");
	buf_free(&t);
	kc_conn_free(c);
	ck_assert_str_eq(kc_auth_name(KC_AUTH_INCLUSTER), "in-cluster");
	ck_assert_str_eq(kc_auth_name(KC_AUTH_NONE), "none");
	free(f);
}
END_TEST

START_TEST(list_contexts_sorted)
{
	char *a = kct_fx("a/config"), *b = kct_fx("b/config");
	char *env = xasprintf("%s:%s", a, b);
	setenv("KUBECONFIG", env, 1);
	char **names = NULL;
	struct perr err = {0};
	size_t n = kc_list_contexts(NULL, &names, &err);
	ck_assert_int_eq(err.kind, PERR_NONE);
	ck_assert_uint_eq(n, 3);
	ck_assert_str_eq(names[0], "ctx-a");
	ck_assert_str_eq(names[1], "ctx-b");
	ck_assert_str_eq(names[2], "shared");
	ck_assert_ptr_null(names[3]);
	kc_free_names(names);

	struct kc_options opt = {.kubeconfig = "/nonexistent/podscope/kubeconfig"};
	n = kc_list_contexts(&opt, &names, &err);
	ck_assert_uint_eq(n, 0);
	ck_assert_ptr_null(names);
	ck_assert_int_eq(err.kind, PERR_CONFIG);
	perr_clear(&err);
	free(env);
	free(a);
	free(b);
}
END_TEST

static Suite *kubeconfig_suite(void)
{
	Suite *s = suite_create("kubeconfig");
	TCase *tc = tcase_create("load");
	tcase_add_checked_fixture(tc, kct_setup, kct_teardown);
	tcase_add_test(tc, path_clean_like_go);
	tcase_add_test(tc, cluster_file_fields_and_relative_paths);
	tcase_add_test(tc, cluster_data_fields);
	tcase_add_test(tc, users_tokens_and_basic);
	tcase_add_test(tc, plain_http_sends_no_credentials);
	tcase_add_test(tc, exec_fields);
	tcase_add_test(tc, flags_override_the_context);
	tcase_add_test(tc, merge_first_file_wins);
	tcase_add_test(tc, home_config_and_relative_kubeconfig);
	tcase_add_test(tc, json_kubeconfig_and_base64_lines);
	tcase_add_test(tc, describe_json_and_text);
	tcase_add_test(tc, list_contexts_sorted);
	suite_add_tcase(s, tc);
	suite_add_tcase(s, kct_incluster_tcase());
	suite_add_tcase(s, kct_errors_tcase());
	suite_add_tcase(s, kct_files_tcase());
	return s;
}

int main(void)
{
	return test_run_suite(kubeconfig_suite());
}
