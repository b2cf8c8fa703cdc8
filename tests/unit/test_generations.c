#include "config.h"

#include <stdio.h>
#include <string.h>

#include <check.h>
#include <cjson/cJSON.h>

#include "podscope/generations.h"

#include "testutil.h"

/* Which ReplicaSet is new, the old ones, the budgets, kubectl's message. */

struct fix {
	struct model_arena arena;
	struct deployment d;
	struct replicaset rs[8];
	const struct replicaset *rsp[8];
	size_t n;
};

static void load_dep(struct fix *f, const char *json)
{
	memset(f, 0, sizeof(*f));
	cJSON *o = cJSON_Parse(json);
	ck_assert_ptr_nonnull(o);
	ck_assert_int_eq(model_decode_deployment(o, &f->d, &f->arena, NULL, NULL), 0);
	cJSON_Delete(o);
}

static void add_rs(struct fix *f, const char *name, const char *rev, const char *image, int spec,
		   int cur, int avail, const char *owner_uid)
{
	char json[2048];
	snprintf(
	    json, sizeof(json),
	    "{\"metadata\":{\"name\":\"%s\",\"namespace\":\"shop\",\"uid\":\"rs-%s\","
	    "\"creationTimestamp\":\"2024-05-01T12:00:0%zuZ\",\"labels\":{\"pod-template-hash\":"
	    "\"%s\"},\"annotations\":{\"deployment.kubernetes.io/revision\":\"%s\"},"
	    "\"ownerReferences\":[{\"kind\":\"Deployment\",\"name\":\"web\",\"uid\":\"%s\","
	    "\"controller\":true}]},\"spec\":{\"replicas\":%d,\"template\":{\"spec\":{"
	    "\"containers\":[{\"name\":\"web\",\"image\":\"%s\"}]}}},\"status\":{\"replicas\":%d,"
	    "\"readyReplicas\":%d,\"availableReplicas\":%d}}",
	    name, name, f->n, name + 4, rev, owner_uid, spec, image, cur, avail, avail);
	cJSON *o = cJSON_Parse(json);
	ck_assert_ptr_nonnull(o);
	ck_assert_int_eq(model_decode_replicaset(o, &f->rs[f->n], &f->arena, NULL, NULL), 0);
	cJSON_Delete(o);
	f->rsp[f->n] = &f->rs[f->n];
	f->n++;
}

static const char *dep_json(int gen, int observed, const char *rev, const char *image,
			    const char *strategy, int replicas, int updated, int avail)
{
	static char buf[2048];
	snprintf(
	    buf, sizeof(buf),
	    "{\"metadata\":{\"name\":\"web\",\"namespace\":\"shop\",\"uid\":\"d1\","
	    "\"generation\":%d,\"annotations\":{\"deployment.kubernetes.io/revision\":\"%s\"}},"
	    "\"spec\":{\"replicas\":10,\"strategy\":%s,\"template\":{\"spec\":{\"containers\":"
	    "[{\"name\":\"web\",\"image\":\"%s\"}]}}},\"status\":{\"observedGeneration\":%d,"
	    "\"replicas\":%d,\"updatedReplicas\":%d,\"readyReplicas\":%d,"
	    "\"availableReplicas\":%d}}",
	    gen, rev, strategy, image, observed, replicas, updated, avail, avail);
	return buf;
}

#define ROLLING                                                                                    \
	"{\"type\":\"RollingUpdate\",\"rollingUpdate\":{\"maxSurge\":\"25%\","                     \
	"\"maxUnavailable\":\"25%\"}}"

START_TEST(test_rolling_in_progress)
{
	struct fix f;
	load_dep(&f, dep_json(2, 2, "2", "nginx:1.27", ROLLING, 13, 5, 10));
	add_rs(&f, "web-bbbb", "2", "nginx:1.27", 5, 5, 2, "d1");
	add_rs(&f, "web-aaaa", "1", "nginx:1.26", 8, 8, 8, "d1");
	struct generations g;
	generations_build(&f.d, f.rsp, f.n, &g);
	ck_assert_uint_eq(g.n, 2);
	ck_assert_str_eq(g.rs[0].rs->name, "web-aaaa"); /* oldest revision first */
	ck_assert_int_eq(g.new_index, 1);
	ck_assert_str_eq(g.new_by, "revision");
	ck_assert(g.rs[1].is_new && !g.rs[0].is_new);
	ck_assert_int_eq(g.rs[1].revision, 2);
	ck_assert_int_eq(g.rs[1].desired, 5);
	ck_assert_int_eq(g.rs[1].available, 2);
	ck_assert_int_eq(g.old_current, 8);
	ck_assert_int_eq(g.old_available, 8);
	ck_assert_int_eq(g.budget.max_surge, 3);
	ck_assert_int_eq(g.budget.max_unavailable, 2);
	ck_assert_int_eq(g.budget.surge_used, 3);
	ck_assert_int_eq(g.budget.unavailable_used, 0);
	ck_assert_str_eq(g.status.msg, "Waiting for deployment \"web\" rollout to finish: 5 out of "
				       "10 new replicas have been updated...\n");
	ck_assert_ptr_eq(generations_new(&g), &g.rs[1]);
	ck_assert_ptr_eq(generations_find(&g, "web-aaaa"), &g.rs[0]);
	ck_assert_ptr_null(generations_find(&g, "nope"));
	generations_free(&g);
	model_arena_free(&f.arena);
}
END_TEST

START_TEST(test_template_changed_not_observed)
{
	struct fix f;
	/* A new image the controller has not seen: no ReplicaSet runs it yet. */
	load_dep(&f, dep_json(3, 2, "2", "nginx:1.28", ROLLING, 10, 10, 10));
	add_rs(&f, "web-aaaa", "1", "nginx:1.26", 0, 0, 0, "d1");
	add_rs(&f, "web-bbbb", "2", "nginx:1.27", 10, 10, 10, "d1");
	struct generations g;
	generations_build(&f.d, f.rsp, f.n, &g);
	ck_assert_int_eq(g.new_index, -1);
	ck_assert_ptr_null(generations_new(&g));
	ck_assert_str_eq(g.new_by, "");
	ck_assert_str_eq(g.status.msg, "Waiting for deployment spec update to be observed...\n");
	generations_free(&g);
	/* Then the ReplicaSet appears, before the deployment's status says so. */
	add_rs(&f, "web-cccc", "3", "nginx:1.28", 3, 0, 0, "d1");
	generations_build(&f.d, f.rsp, f.n, &g);
	ck_assert_int_ge(g.new_index, 0);
	ck_assert_str_eq(generations_new(&g)->rs->name, "web-cccc");
	ck_assert_str_eq(g.new_by, "images");
	generations_free(&g);
	model_arena_free(&f.arena);
}

END_TEST

START_TEST(test_rollback_by_revision)
{
	struct fix f;
	/* Undo: the old template's ReplicaSet got revision 3 and is new again. */
	load_dep(&f, dep_json(4, 4, "3", "nginx:1.26", ROLLING, 10, 10, 10));
	add_rs(&f, "web-aaaa", "3", "nginx:1.26", 10, 10, 10, "d1");
	add_rs(&f, "web-bbbb", "2", "nginx:1.27", 0, 0, 0, "d1");
	struct generations g;
	generations_build(&f.d, f.rsp, f.n, &g);
	ck_assert_str_eq(generations_new(&g)->rs->name, "web-aaaa");
	ck_assert_str_eq(g.rs[g.n - 1].rs->name, "web-aaaa");
	ck_assert_int_eq(g.status.state, ROLLOUT_DONE);
	generations_free(&g);
	model_arena_free(&f.arena);
}
END_TEST

START_TEST(test_recreate_budget)
{
	struct fix f;
	load_dep(&f, dep_json(1, 1, "1", "nginx:1.27", "{\"type\":\"Recreate\"}", 10, 10, 7));
	struct generations g;
	generations_build(&f.d, f.rsp, f.n, &g);
	ck_assert_uint_eq(g.n, 0);
	ck_assert_int_eq(g.new_index, -1);
	ck_assert_int_eq(g.budget.max_surge, 0);
	ck_assert_int_eq(g.budget.max_unavailable, 0);
	ck_assert_int_eq(g.budget.unavailable_used, 3);
	ck_assert_str_eq(generations_strategy_name(&f.d), "Recreate");
	generations_free(&g);
	model_arena_free(&f.arena);
}
END_TEST

START_TEST(test_owned_by)
{
	struct fix f;
	load_dep(&f, dep_json(1, 1, "1", "nginx:1.27", ROLLING, 10, 10, 10));
	add_rs(&f, "web-aaaa", "1", "nginx:1.27", 10, 10, 10, "d1");
	add_rs(&f, "web-bbbb", "1", "nginx:1.27", 10, 10, 10, "");    /* no uid: by name */
	add_rs(&f, "web-cccc", "1", "nginx:1.27", 10, 10, 10, "old"); /* an earlier "web" */
	ck_assert(generations_owned_by(&f.d, &f.rs[0]));
	ck_assert(generations_owned_by(&f.d, &f.rs[1]));
	ck_assert(!generations_owned_by(&f.d, &f.rs[2]));
	f.rs[0].namespace = "other";
	ck_assert(!generations_owned_by(&f.d, &f.rs[0]));
	f.rs[1].n_owners = 0;
	ck_assert(!generations_owned_by(&f.d, &f.rs[1]));
	model_arena_free(&f.arena);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("generations");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_rolling_in_progress);
	tcase_add_test(tc, test_template_changed_not_observed);
	tcase_add_test(tc, test_rollback_by_revision);
	tcase_add_test(tc, test_recreate_budget);
	tcase_add_test(tc, test_owned_by);
	suite_add_tcase(s, tc);
	return test_run_suite(s);
}
