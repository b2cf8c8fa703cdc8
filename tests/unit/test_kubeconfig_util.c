#include "config.h"

#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "podscope/xalloc.h"

#include "kube/kubeconfig_int.h"
#include "test_kubeconfig.h"

static char tmpdir[64];

char *kct_fx(const char *rel)
{
	return xasprintf("%s/tests/fixtures/kubeconfig/%s", test_srcdir(), rel);
}

char *kct_fx_clean(const char *rel)
{
	char *p = kct_fx(rel);
	char *dir = kc_path_abs_dir(p);
	const char *base = strrchr(p, '/') + 1;
	char *abs = kc_path_resolve(dir, base);
	free(dir);
	free(p);
	return abs;
}

void kct_setup(void)
{
	unsetenv("KUBECONFIG");
	unsetenv("KUBERNETES_SERVICE_HOST");
	unsetenv("KUBERNETES_SERVICE_PORT");
	unsetenv("POD_NAMESPACE");
	unsetenv("PODSCOPE_INCLUSTER_DIR");
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/podscope-kc-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
	setenv("HOME", tmpdir, 1);
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	return remove(path);
}

void kct_teardown(void)
{
	if (tmpdir[0])
		nftw(tmpdir, rm_one, 8, FTW_DEPTH | FTW_PHYS);
	tmpdir[0] = '\0';
}

const char *kct_tmp(void)
{
	return tmpdir;
}

char *kct_write(const char *rel, const char *content)
{
	char *path = xasprintf("%s/%s", tmpdir, rel);
	for (char *s = path + strlen(tmpdir) + 1; (s = strchr(s, '/')); s++) {
		*s = '\0';
		ck_assert(mkdir(path, 0700) == 0 || errno == EEXIST);
		*s = '/';
	}
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(content, f);
	ck_assert_int_eq(fclose(f), 0);
	return path;
}

struct kc_conn *kct_load(const char *file, const char *ctx)
{
	struct kc_options opt = {.kubeconfig = file, .context = ctx};
	struct perr err = {0};
	struct kc_conn *c = kc_load(&opt, &err);
	ck_assert_msg(c != NULL, "kc_load(%s, %s): %s", file ? file : "-", ctx ? ctx : "-",
		      perr_msg(&err));
	ck_assert_int_eq(err.kind, PERR_NONE);
	return c;
}

char *kct_load_opt_err(const struct kc_options *opt)
{
	struct perr err = {0};
	struct kc_conn *c = kc_load(opt, &err);
	ck_assert_msg(c == NULL, "kc_load(%s, %s) succeeded",
		      opt->kubeconfig ? opt->kubeconfig : "-", opt->context ? opt->context : "-");
	kc_conn_free(c);
	ck_assert_int_eq(err.kind, PERR_CONFIG);
	ck_assert_int_eq(perr_exit_status(&err), 2);
	char *msg = xstrdup(perr_msg(&err));
	perr_clear(&err);
	/* Every secret in the fixtures starts with "fixture-". */
	ck_assert_msg(strstr(msg, "fixture-") == NULL, "a secret leaked: %s", msg);
	ck_assert_msg(strchr(msg, '\n') == NULL, "not one line: %s", msg);
	return msg;
}

char *kct_load_err(const char *file, const char *ctx)
{
	struct kc_options opt = {.kubeconfig = file, .context = ctx};
	return kct_load_opt_err(&opt);
}
