#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <check.h>
#include <cjson/cJSON.h>

#include "evloop.h"
#include "podreq.h"
#include "resources.h"
#include "simkubelet.h"
#include "simobj.h"
#include "store.h"
#include "testutil.h"

/*
 * The sim's scheduler by requests against node allocatable (NodeResourcesFit),
 * in-process on the stepped clock (tests/lib/simkubelet.h): three nodes of
 * 8 cpu and 32Gi, FitError's exact v1.33 wording with the DefaultPreemption
 * part, and a new attempt when a node or a bound pod changes.
 */

static void setup(void)
{
	tk_setup();
}

static void teardown(void)
{
	tk_teardown();
}

static void pod(const char *name, const char *cpu, const char *mem)
{
	char y[512];
	snprintf(y, sizeof(y),
		 "apiVersion: v1\nkind: Pod\nmetadata:\n  name: %s\nspec:\n  containers:\n"
		 "  - name: app\n    image: 'nginx:1'\n    resources:\n      requests:\n"
		 "        cpu: '%s'\n        memory: '%s'\n",
		 name, cpu, mem);
	tk_create(y);
}

static bool scheduled(const char *name)
{
	return strcmp(tk_condition(name, "PodScheduled"), "True") == 0;
}

static bool refused(const char *name)
{
	return strcmp(tk_condition(name, "PodScheduled"), "False") == 0;
}

static const char *message(const char *name)
{
	const cJSON *c;
	cJSON_ArrayForEach(c, tj_get(tk_pod(name), "status.conditions"))
	{
		if (strcmp(tk_str(c, "type"), "PodScheduled") == 0)
			return tk_str(c, "message");
	}
	return "";
}

static void patch_node(const char *node, const char *part, const char *key, const char *json)
{
	const struct simres *nodes = simres_find("", "v1", "nodes");
	struct simobj *o = simstore_get(tk_sim.store, nodes, NULL, node);
	ck_assert_ptr_nonnull(o);
	cJSON *n = simobj_copy(o);
	cJSON *p = simjson_object(n, part);
	cJSON_DeleteItemFromObjectCaseSensitive(p, key);
	cJSON_AddItemToObject(p, key, cJSON_Parse(json));
	ck_assert_int_eq(simstore_update(tk_sim.store, nodes, n, 0, NULL), SIMSTORE_OK);
	evloop_run_once(tk_sim.loop, 0);
}

START_TEST(test_quantities)
{
	int64_t m;
	ck_assert(simq_milli("500m", &m) && m == 500);
	ck_assert(simq_milli("2", &m) && m == 2000);
	ck_assert(simq_milli("1.5", &m) && m == 1500);
	ck_assert(simq_milli("128Mi", &m) && m == 128LL * 1048576 * 1000);
	ck_assert(simq_milli("1G", &m) && m == 1000000000000LL);
	ck_assert(simq_milli("1e3", &m) && m == 1000000);
	ck_assert(!simq_milli("", &m));
	ck_assert(!simq_milli("abc", &m));
	ck_assert(!simq_milli("1Qi", &m));
	ck_assert(!simq_milli("0x10", &m));
	ck_assert(!simq_milli("nan", &m));
	/* The largest init container against the sum of the others. */
	cJSON *spec = cJSON_Parse(
	    "{\"containers\":[{\"resources\":{\"requests\":{\"cpu\":\"100m\"}}},"
	    "{\"resources\":{\"limits\":{\"cpu\":\"200m\"}}}],"
	    "\"initContainers\":[{\"resources\":{\"requests\":{\"cpu\":\"1\"}}}],"
	    "\"overhead\":{\"cpu\":\"10m\"}}");
	ck_assert_int_eq(simpod_request(spec, "cpu"), 1010);
	ck_assert_int_eq(simpod_request(spec, "memory"), 0);
	cJSON_Delete(spec);
}
END_TEST

#define NO_VICTIMS(n) "preemption: 0/3 nodes are available: " n " No preemption victims found for incoming pod."

START_TEST(test_insufficient_then_room)
{
	pod("a", "5", "1Gi");
	pod("b", "5", "1Gi");
	pod("c", "5", "1Gi");
	ck_assert(tk_wait(scheduled, "a", 5) && tk_wait(scheduled, "b", 5) &&
		  tk_wait(scheduled, "c", 5));
	/* Each node has 3 cpu left. */
	pod("big", "4", "1Gi");
	ck_assert(tk_wait(refused, "big", 5));
	ck_assert_str_eq(message("big"),
			 "0/3 nodes are available: 3 Insufficient cpu. " NO_VICTIMS("3"));
	ck_assert_int_ge(tk_events("big", "FailedScheduling",
				   "0/3 nodes are available: 3 Insufficient cpu."),
			 1);
	ck_assert_str_eq(tk_status("big"), "Pending");
	/* Memory too, and a cordoned node: sorted as strings, counts first. */
	pod("huge", "4", "40Gi");
	patch_node("sim-node-3", "spec", "unschedulable", "true");
	ck_assert(tk_wait(refused, "huge", 5));
	pod("huge2", "4", "40Gi");
	ck_assert(tk_wait(refused, "huge2", 5));
	ck_assert_str_eq(message("huge2"),
			 "0/3 nodes are available: 1 node(s) were unschedulable, 2 Insufficient "
			 "cpu, 2 Insufficient memory. preemption: 0/3 nodes are available: 1 "
			 "Preemption is not helpful for scheduling, 2 No preemption victims found "
			 "for incoming pod.");
	/* A bound pod goes: its room lets "big" in, on that node. */
	const char *node_a = tk_str(tk_pod("a"), "spec.nodeName");
	char want[32];
	snprintf(want, sizeof(want), "%s", node_a);
	ck_assert_int_eq(simstore_delete(tk_sim.store, simres_find("", "v1", "pods"), "default",
					 "a", 0, NULL),
			 SIMSTORE_OK);
	ck_assert(tk_wait(scheduled, "big", 5));
	ck_assert_str_eq(tk_str(tk_pod("big"), "spec.nodeName"), want);
	ck_assert(refused("huge2"));
}
END_TEST

START_TEST(test_node_grows)
{
	pod("p", "10", "1Gi");
	ck_assert(tk_wait(refused, "p", 5));
	ck_assert_str_eq(message("p"),
			 "0/3 nodes are available: 3 Insufficient cpu. " NO_VICTIMS("3"));
	/* A node's allocatable grows (a NodeUpdate event): tried again. */
	patch_node("sim-node-2", "status", "allocatable",
		   "{\"cpu\":\"16\",\"memory\":\"32Gi\",\"pods\":\"110\"}");
	ck_assert(tk_wait(scheduled, "p", 5));
	ck_assert_str_eq(tk_str(tk_pod("p"), "spec.nodeName"), "sim-node-2");
	/* Too many pods: a node that takes one pod only. */
	patch_node("sim-node-2", "status", "allocatable", "{\"cpu\":\"16\",\"pods\":\"1\"}");
	patch_node("sim-node-1", "spec", "unschedulable", "true");
	patch_node("sim-node-3", "spec", "unschedulable", "true");
	pod("q", "1", "1Gi");
	ck_assert(tk_wait(refused, "q", 5));
	ck_assert_str_eq(message("q"),
			 "0/3 nodes are available: 1 Too many pods, 2 node(s) were "
			 "unschedulable. preemption: 0/3 nodes are available: 1 No preemption "
			 "victims found for incoming pod, 2 Preemption is not helpful for "
			 "scheduling.");
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("sim_fit");
	TCase *tc = tcase_create("fit");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_quantities);
	tcase_add_test(tc, test_insufficient_then_room);
	tcase_add_test(tc, test_node_grows);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return test_run_suite(suite());
}
