#include "config.h"

/*
 * The hold-out set (tests/holdout/README.md): cases taken from Kubernetes'
 * own tests that podscope's other tests never saw. Every object is loaded
 * into one podscope-sim started with --no-controllers (a scenario file keeps
 * the status as written), then the real `podscope get -o json` and, where
 * kubectl is installed, the real `kubectl get pods` and `kubectl rollout
 * status --watch=false` run against it. Each case prints one line with the
 * upstream value, podscope's and kubectl's.
 */

#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <check.h>
#include <cjson/cJSON.h>

#include "podscope/simlaunch.h"

#include "test_holdout.h"
#include "testutil.h"

#define NAMESPACE "holdout"
#define MAX_CASES 256

enum kind { CASE_POD, CASE_ROLLOUT };

struct hcase {
	enum kind kind;
	char *file; /* "pods/NAME.json" */
	char *name; /* the checked object's name: NAME */
	cJSON *doc;
	const cJSON *expect;
	const char *source; /* source.repo, for the summary */
	const char *okind;  /* the checked object's kind: Pod, Deployment, StatefulSet, DaemonSet */
};

static struct hcase cases[MAX_CASES];
static size_t n_cases;

/* ---- the cases ---- */

static const char *jstr(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static const cJSON *jget(const cJSON *o, const char *key)
{
	return cJSON_GetObjectItemCaseSensitive(o, key);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The objects of a case: "object", or the array "objects". */
static void for_objects(cJSON *doc, void (*fn)(cJSON *obj, void *ctx), void *ctx)
{
	cJSON *one = cJSON_GetObjectItemCaseSensitive(doc, "object"), *o;
	if (one)
		fn(one, ctx);
	cJSON_ArrayForEach(o, cJSON_GetObjectItemCaseSensitive(doc, "objects")) fn(o, ctx);
}

struct find {
	const char *kind;
	const cJSON *found;
};

static void find_kind(cJSON *obj, void *ctx)
{
	struct find *f = ctx;
	const char *k = jstr(obj, "kind");
	if (!f->found && k && strcmp(k, f->kind) == 0)
		f->found = obj;
}

static void load_case(const char *dir, const char *sub, const char *fname, enum kind kind)
{
	ck_assert_msg(n_cases < MAX_CASES, "more than %d hold-out cases", MAX_CASES);
	struct hcase *c = &cases[n_cases++];
	char path[8192];
	snprintf(path, sizeof(path), "%s/%s/%s", dir, sub, fname);
	char *text = test_slurp(path);
	ck_assert_msg(text != NULL, "cannot read %s", path);
	c->doc = cJSON_Parse(text);
	free(text);
	ck_assert_msg(c->doc != NULL, "%s/%s: not JSON", sub, fname);
	c->kind = kind;
	ck_assert(asprintf(&c->file, "%s/%s", sub, fname) > 0);
	c->name = strndup(fname, strlen(fname) - strlen(".json"));

	/* Where it comes from is part of every case. */
	const cJSON *src = jget(c->doc, "source");
	static const char *const need[] = {"repo", "path", "test", "case", "upstream_expected"};
	for (size_t i = 0; i < sizeof(need) / sizeof(need[0]); i++)
		ck_assert_msg(jstr(src, need[i]) != NULL, "%s: no source.%s", c->file, need[i]);
	c->source = jstr(src, "repo");
	c->expect = jget(c->doc, "expect");
	ck_assert_msg(cJSON_IsObject(c->expect), "%s: no expect", c->file);
	if (kind == CASE_POD) {
		ck_assert_msg(jstr(c->expect, "ready") && jstr(c->expect, "status") &&
				  jstr(c->expect, "restarts"),
			      "%s: expect needs ready, status and restarts", c->file);
	} else {
		ck_assert_msg(jstr(c->expect, "message") && cJSON_IsBool(jget(c->expect, "done")) &&
				  cJSON_IsBool(jget(c->expect, "failed")),
			      "%s: expect needs message, done and failed", c->file);
	}
	/* The checked object is named after its file, so names cannot clash.
	 * A rollout case checks its Deployment, StatefulSet or DaemonSet. */
	static const char *const rollout_kinds[] = {"Deployment", "StatefulSet", "DaemonSet"};
	struct find f = {"Pod", NULL};
	for (size_t i = 0; kind == CASE_ROLLOUT && !f.found && i < 3; i++) {
		f.kind = rollout_kinds[i];
		for_objects(c->doc, find_kind, &f);
	}
	if (kind == CASE_POD)
		for_objects(c->doc, find_kind, &f);
	ck_assert_msg(f.found != NULL, "%s: no %s object", c->file,
		      kind == CASE_POD ? "Pod" : "Deployment, StatefulSet or DaemonSet");
	c->okind = f.kind;
	const char *oname = jstr(jget(f.found, "metadata"), "name");
	ck_assert_msg(oname && strcmp(oname, c->name) == 0, "%s: the %s is named %s, not %s",
		      c->file, f.kind, oname ? oname : "(nothing)", c->name);
}

static void load_dir(const char *dir, const char *sub, enum kind kind)
{
	char path[8192];
	snprintf(path, sizeof(path), "%s/%s", dir, sub);
	DIR *d = opendir(path);
	ck_assert_msg(d != NULL, "cannot open %s", path);
	char *names[MAX_CASES];
	size_t n = 0;
	struct dirent *e;
	while ((e = readdir(d)) && n < MAX_CASES) {
		size_t len = strlen(e->d_name);
		if (len > 5 && strcmp(e->d_name + len - 5, ".json") == 0)
			names[n++] = strdup(e->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(names[0]), cmp_str);
	for (size_t i = 0; i < n; i++) {
		load_case(dir, sub, names[i], kind);
		free(names[i]);
	}
}

/* ---- building the scenario ---- */

/* "@now" or "@now-N[smhd]": the load time, as RFC 3339. */
static void subst_now(cJSON *node, time_t now)
{
	cJSON *it;
	cJSON_ArrayForEach(it, node)
	{
		if (cJSON_IsString(it) && strncmp(it->valuestring, "@now", 4) == 0) {
			const char *s = it->valuestring + 4;
			long off = 0;
			if (*s == '-') {
				char *end;
				off = strtol(s + 1, &end, 10);
				long unit = *end == 's'   ? 1
					    : *end == 'm' ? 60
					    : *end == 'h' ? 3600
					    : *end == 'd' ? 86400
							  : 0;
				ck_assert_msg(unit != 0 && end[1] == '\0', "bad time %s",
					      it->valuestring);
				off *= unit;
			} else {
				ck_assert_msg(*s == '\0', "bad time %s", it->valuestring);
			}
			time_t t = now - off;
			struct tm tm;
			gmtime_r(&t, &tm);
			char buf[32];
			strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
			cJSON_SetValuestring(it, buf);
		} else if (cJSON_IsObject(it) || cJSON_IsArray(it)) {
			subst_now(it, now);
		}
	}
}

static void add_item(cJSON *obj, void *ctx)
{
	cJSON *copy = cJSON_Duplicate(obj, 1);
	cJSON *md = cJSON_GetObjectItemCaseSensitive(copy, "metadata");
	ck_assert_msg(cJSON_IsObject(md), "an object without metadata");
	if (!cJSON_GetObjectItemCaseSensitive(md, "namespace"))
		cJSON_AddStringToObject(md, "namespace", NAMESPACE);
	cJSON_AddItemToArray(ctx, copy);
}

static char *write_scenario(const char *dir)
{
	cJSON *list = cJSON_CreateObject();
	cJSON_AddStringToObject(list, "apiVersion", "v1");
	cJSON_AddStringToObject(list, "kind", "List");
	cJSON *items = cJSON_AddArrayToObject(list, "items");
	for (size_t i = 0; i < n_cases; i++)
		for_objects(cases[i].doc, add_item, items);
	subst_now(items, time(NULL));
	char *text = cJSON_Print(list);
	cJSON_Delete(list);
	char *path;
	ck_assert(asprintf(&path, "%s/holdout-scenario.json", dir) > 0);
	FILE *f = fopen(path, "w");
	ck_assert_msg(f != NULL, "cannot write %s", path);
	fputs(text, f);
	ck_assert(fclose(f) == 0);
	free(text);
	return path;
}

/* ---- reading the answers ---- */

/* The element of an array whose "name" is name. */
static const cJSON *named(const cJSON *array, const char *name)
{
	const cJSON *it;
	cJSON_ArrayForEach(it, array)
	{
		const char *n = jstr(it, "name");
		if (n && strcmp(n, name) == 0)
			return it;
	}
	return NULL;
}

/* A POD of the snapshot: standalone or owned (groups), or in a Deployment's generation. */
static const cJSON *podscope_pod(const cJSON *snap, const char *name)
{
	const cJSON *g, *d, *p;
	cJSON_ArrayForEach(g, jget(snap, "groups"))
	{
		if ((p = named(jget(g, "pods"), name)))
			return p;
	}
	cJSON_ArrayForEach(d, jget(snap, "deployments"))
	{
		cJSON_ArrayForEach(g, jget(d, "generations"))
		{
			if ((p = named(jget(g, "pods"), name)))
				return p;
		}
	}
	return NULL;
}

/* ---- the test ---- */

struct tally {
	const char *source;
	int pass, fail;
};

static void count(struct tally *t, size_t *nt, const char *source, bool ok)
{
	size_t i = 0;
	while (i < *nt && strcmp(t[i].source, source) != 0)
		i++;
	if (i == *nt)
		t[(*nt)++] = (struct tally){source, 0, 0};
	if (ok)
		t[i].pass++;
	else
		t[i].fail++;
}

static const char *state_of(const cJSON *expect)
{
	if (cJSON_IsTrue(jget(expect, "failed")))
		return "failed";
	return cJSON_IsTrue(jget(expect, "done")) ? "complete" : "progressing";
}

struct env {
	const char *kubectl; /* NULL: not installed */
	const char *kubeconfig, *cache;
	const cJSON *snap;  /* podscope get -o json */
	const char *ktable; /* kubectl get pods */
};

/* One pod case: fills line, returns whether all three agree. */
static bool check_pod(const struct hcase *c, const struct env *e, char *line, size_t linesz)
{
	bool ok = true;
	const cJSON *snap = e->snap;
	bool have_kubectl = e->kubectl != NULL;
	const char *ur = jstr(c->expect, "ready"), *us = jstr(c->expect, "status"),
		   *ut = jstr(c->expect, "restarts");
	const cJSON *p = podscope_pod(snap, c->name);
	const char *pr_ = p ? jstr(p, "ready") : NULL, *ps = p ? jstr(p, "status") : NULL,
		   *pt = p ? jstr(p, "restarts") : NULL;
	if (!p || !pr_ || !ps || !pt || strcmp(pr_, ur) || strcmp(ps, us) || strcmp(pt, ut))
		ok = false;
	/* The sim must have kept the status it was given. */
	struct find f = {"Pod", NULL};
	for_objects(c->doc, find_kind, &f);
	const char *want_phase = jstr(jget(f.found, "status"), "phase");
	const char *got_phase = p ? jstr(p, "phase") : NULL;
	bool kept = !want_phase || (got_phase && strcmp(want_phase, got_phase) == 0);
	ok = ok && kept;
	char kcol[512] = "-";
	if (have_kubectl) {
		struct krow row;
		if (holdout_kubectl_row(e->ktable, c->name, &row)) {
			snprintf(kcol, sizeof(kcol), "%s %s %s", row.ready, row.status,
				 row.restarts);
			if (strcmp(row.ready, ur) || strcmp(row.status, us) ||
			    strcmp(row.restarts, ut))
				ok = false;
		} else {
			snprintf(kcol, sizeof(kcol), "(no row)");
			ok = false;
		}
	}
	snprintf(line, linesz, "%s %s: upstream [%s %s %s] podscope [%s %s %s] kubectl [%s]%s",
		 ok ? "PASS" : "FAIL", c->file, ur, us, ut, pr_ ? pr_ : "?", ps ? ps : "?",
		 pt ? pt : "?", kcol, kept ? "" : " (the simulator did not keep the status phase)");
	return ok;
}

/* One rollout case: fills line, returns whether all three agree. */
static bool check_rollout(const struct hcase *c, const struct env *e, char *line, size_t linesz)
{
	bool ok = true;
	const char *umsg = jstr(c->expect, "message");
	const char *ustate = state_of(c->expect);
	const char *array = strcmp(c->okind, "StatefulSet") == 0 ? "statefulsets"
			    : strcmp(c->okind, "DaemonSet") == 0 ? "daemonsets"
								 : "deployments";
	const cJSON *d = named(jget(e->snap, array), c->name);
	const cJSON *ro = d ? jget(d, "rollout") : NULL;
	const char *pstate = jstr(ro, "state"), *pmsg = jstr(ro, "message");
	/* podscope's JSON message has no trailing newline (doc/json.md). */
	size_t ul = strlen(umsg);
	size_t cmpl = ul && umsg[ul - 1] == '\n' ? ul - 1 : ul;
	if (!pstate || !pmsg || strcmp(pstate, ustate) || strlen(pmsg) != cmpl ||
	    strncmp(pmsg, umsg, cmpl))
		ok = false;
	char *kcol = strdup("-");
	if (e->kubectl) {
		const char *kargs[32];
		int n = 0;
		kargs[n++] = e->kubectl;
		kargs[n++] = "--kubeconfig";
		kargs[n++] = e->kubeconfig;
		kargs[n++] = "--cache-dir";
		kargs[n++] = e->cache;
		kargs[n++] = "-n";
		kargs[n++] = NAMESPACE;
		const cJSON *custom = jget(c->doc, "kubectl"), *a;
		char target[512];
		if (custom) {
			cJSON_ArrayForEach(a, custom)
			{
				if (cJSON_IsString(a) && n < 28)
					kargs[n++] = a->valuestring;
			}
		} else {
			snprintf(target, sizeof(target), "%s/%s",
				 strcmp(array, "statefulsets") == 0 ? "statefulset"
				 : strcmp(array, "daemonsets") == 0 ? "daemonset"
								    : "deployment",
				 c->name);
			kargs[n++] = "rollout";
			kargs[n++] = "status";
			kargs[n++] = target;
		}
		kargs[n++] = "--watch=false";
		kargs[n] = NULL;
		struct run kr;
		holdout_run(kargs, &kr);
		/* A failed rollout is an error: "error: MESSAGE" on stderr, exit 1. */
		bool want_fail = cJSON_IsTrue(jget(c->expect, "failed"));
		char *kmsg = NULL;
		if (want_fail)
			ck_assert(asprintf(&kmsg, "error: %s", umsg) > 0);
		const char *got = want_fail ? kr.err : kr.out;
		if ((want_fail ? kr.status == 0 : kr.status != 0) ||
		    strcmp(got, want_fail ? kmsg : umsg))
			ok = false;
		char *g = holdout_oneline(got);
		free(kcol);
		ck_assert(asprintf(&kcol, "exit %d \"%s\"", kr.status, g) > 0);
		free(g);
		free(kmsg);
		holdout_run_free(&kr);
	}
	char *u = holdout_oneline(umsg);
	snprintf(line, linesz, "%s %s: upstream [%s \"%s\"] podscope [%s \"%s\"] kubectl [%s]",
		 ok ? "PASS" : "FAIL", c->file, ustate, u, pstate ? pstate : "?", pmsg ? pmsg : "?",
		 kcol);
	free(u);
	free(kcol);
	return ok;
}

START_TEST(test_holdout)
{
	const char *podscope = getenv("PODSCOPE");
	const char *kubectl = getenv("KUBECTL");
	if (!podscope || !*podscope)
		podscope = "./podscope";
	bool have_kubectl = kubectl && *kubectl && access(kubectl, X_OK) == 0;
	if (!have_kubectl)
		printf("SKIP (part): kubectl is not installed ($KUBECTL is empty); the kubectl "
		       "column is not checked\n");

	char dir[4096];
	snprintf(dir, sizeof(dir), "%s/tests/holdout", test_srcdir());
	load_dir(dir, "pods", CASE_POD);
	load_dir(dir, "rollout", CASE_ROLLOUT);
	ck_assert_msg(n_cases > 0, "no hold-out cases in %s", dir);

	const char *tmp = getenv("TMPDIR");
	char work[4096];
	snprintf(work, sizeof(work), "%s/podscope-holdout-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	ck_assert_msg(mkdtemp(work) != NULL, "mkdtemp: %s", strerror(errno));
	char *scenario = write_scenario(work);
	char cache[4200];
	snprintf(cache, sizeof(cache), "%s/kubectl-cache", work);

	long long t0 = holdout_now_ms();
	const char *args[] = {"--tls", "--no-controllers", "--scenario", scenario, NULL};
	struct simlaunch_opts o = {.args = args,
				   .wrapper = getenv("PODSCOPE_SIM_WRAPPER"),
				   .timeout_ms = 60000,
				   .keep_stderr = true};
	struct perr err = {0};
	struct simlaunch *sim = simlaunch_start(&o, &err);
	ck_assert_msg(sim != NULL, "podscope-sim did not start: %s", perr_msg(&err));
	const char *kc = simlaunch_kubeconfig(sim);

	/* podscope: one snapshot of the namespace has every case. */
	const char *pget[] = {podscope,  "--kubeconfig", kc,     "get", "-n",
			      NAMESPACE, "-o",           "json", NULL};
	struct run pr;
	holdout_run(pget, &pr);
	cJSON *snap = cJSON_Parse(pr.out);
	ck_assert_msg(pr.status == 0 && snap != NULL, "podscope get exited %d: %s", pr.status,
		      pr.err);
	/* Under --enable-sanitizers a report need not change the exit status. */
	ck_assert_msg(!strstr(pr.err, "Sanitizer") && !strstr(pr.err, "runtime error:"),
		      "podscope get: sanitizer report: %s", pr.err);

	struct run kp = {0};
	if (have_kubectl) {
		const char *kget[] = {kubectl, "--kubeconfig", kc,   "--cache-dir", cache,
				      "get",   "pods",         "-n", NAMESPACE,     NULL};
		holdout_run(kget, &kp);
		ck_assert_msg(kp.status == 0, "kubectl get pods exited %d: %s", kp.status, kp.err);
	}

	struct tally tally[MAX_CASES];
	size_t ntally = 0;
	int passed = 0, failed = 0;
	for (size_t i = 0; i < n_cases; i++) {
		struct hcase *c = &cases[i];
		char line[2048];
		const struct env e = {have_kubectl ? kubectl : NULL, kc, cache, snap,
				      have_kubectl ? kp.out : NULL};
		bool ok = c->kind == CASE_POD ? check_pod(c, &e, line, sizeof(line))
					      : check_rollout(c, &e, line, sizeof(line));
		printf("%s\n", line);
		count(tally, &ntally, c->source, ok);
		if (ok)
			passed++;
		else
			failed++;
	}
	for (size_t i = 0; i < ntally; i++)
		printf("holdout: from %s: %d passed, %d failed\n", tally[i].source, tally[i].pass,
		       tally[i].fail);
	printf("holdout: %d passed, %d failed (%lld ms)\n", passed, failed, holdout_now_ms() - t0);
	fflush(stdout);

	cJSON_Delete(snap);
	holdout_run_free(&pr);
	if (have_kubectl)
		holdout_run_free(&kp);
	ck_assert_int_eq(simlaunch_stop(sim), 0);
	remove(scenario);
	free(scenario);
	holdout_rmtree(work); /* kubectl's cache too */
	for (size_t i = 0; i < n_cases; i++) {
		cJSON_Delete(cases[i].doc);
		free(cases[i].file);
		free(cases[i].name);
	}
	n_cases = 0;
	ck_assert_msg(failed == 0, "%d hold-out case(s) failed (see the FAIL lines above)", failed);
}
END_TEST

int main(void)
{
	const char *podscope = getenv("PODSCOPE");
	const char *sim = getenv("PODSCOPE_SIM_BIN");
	if (!podscope || !*podscope)
		podscope = "./podscope";
	if (!sim || !*sim)
		sim = "./podscope-sim";
	if (access(podscope, X_OK) != 0 || access(sim, X_OK) != 0) {
		printf("SKIP: podscope (%s) or podscope-sim (%s) is not built\n", podscope, sim);
		return 77;
	}
	Suite *s = suite_create("holdout");
	TCase *tc = tcase_create("holdout");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_holdout);
	suite_add_tcase(s, tc);
	return test_run_suite(s);
}
