#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>
#include <cjson/cJSON.h>

#include "ctrl_deployment_util.h"
#include "podcols.h"
#include "printer.h"
#include "testutil.h"
#include "util.h"

/*
 * The simulator's own server-side printer and deployment conditions,
 * checked against upstream's test tables, restated as data:
 * - kubernetes pkg/printers/internalversion/printers_test.go: TestPrintPod,
 *   TestPrintPodWithRestartableInitContainer, TestPrintPodwide (readiness
 *   gates), TestPrintDeployment, TestPrintReplicaSet;
 * - apimachinery pkg/util/duration/duration_test.go: TestHumanDuration,
 *   TestHumanDurationBoundaries;
 * - kubernetes pkg/controller/deployment/util/deployment_util_test.go:
 *   TestDeploymentComplete, TestDeploymentProgressing, TestDeploymentTimedOut.
 * Upstream's "time.Now() - 10s" is NOW minus ten seconds here; JSON is written
 * with single quotes for legibility.
 */

#define NOW "2026-01-01T00:10:00Z"

static cJSON *json(const char *single_quoted)
{
	char *s = strdup(single_quoted);
	for (char *p = s; *p; p++)
		if (*p == '\'')
			*p = '"';
	cJSON *j = cJSON_Parse(s);
	ck_assert_msg(j != NULL, "bad test JSON: %s", s);
	free(s);
	return j;
}

/* --- printPod ------------------------------------------------------------- */

struct pod_case {
	const char *name, *pod, *ready, *status, *restarts;
	enum podcols_row row;
};

/* Restart times: 10s, 20s and 2m before NOW, then 5, 10 and 20 days. */
#define AGO10S  "'lastState':{'terminated':{'finishedAt':'2026-01-01T00:09:50Z'}}"
#define AGO20S  "'lastState':{'terminated':{'finishedAt':'2026-01-01T00:09:40Z'}}"
#define AGO2M   "'lastState':{'terminated':{'finishedAt':'2026-01-01T00:08:00Z'}}"
#define AGO5D   "'lastState':{'terminated':{'finishedAt':'2025-12-27T00:10:00Z'}}"
#define AGO10D  "'lastState':{'terminated':{'finishedAt':'2025-12-22T00:10:00Z'}}"
#define AGO20D  "'lastState':{'terminated':{'finishedAt':'2025-12-12T00:10:00Z'}}"
#define TWO     "'spec':{'containers':[{},{}]}"
#define ONE     "'spec':{'containers':[{}]}"
#define RUN     "'state':{'running':{}}"
#define DELETED "'metadata':{'deletionTimestamp':'2026-01-01T00:09:50Z'}"

static const struct pod_case print_pod[] = {
    {"test1",
     "{" TWO ",'status':{'phase':'podPhase','containerStatuses':["
     "{'ready':true,'restartCount':3," RUN "},{'restartCount':3}]}}",
     "1/2", "podPhase", "6", PODCOLS_ROW_ACTIVE},
    {"test2: a container error overwrites the phase",
     "{" TWO ",'status':{'phase':'podPhase','containerStatuses':["
     "{'ready':true,'restartCount':3," RUN "},"
     "{'state':{'waiting':{'reason':'ContainerWaitingReason'}},'restartCount':3}]}}",
     "1/2", "ContainerWaitingReason", "6", PODCOLS_ROW_ACTIVE},
    {"test3: the first container has the last word",
     "{" TWO ",'status':{'phase':'podPhase','containerStatuses':["
     "{'state':{'waiting':{'reason':'ContainerWaitingReason'}},'restartCount':3},"
     "{'state':{'terminated':{'reason':'ContainerTerminatedReason'}},'restartCount':3}]}}",
     "0/2", "ContainerWaitingReason", "6", PODCOLS_ROW_ACTIVE},
    {"test4: ready is not enough for running",
     "{" TWO ",'status':{'phase':'podPhase','containerStatuses':["
     "{'ready':true,'restartCount':3," RUN "},{'ready':true,'restartCount':3}]}}",
     "1/2", "podPhase", "6", PODCOLS_ROW_ACTIVE},
    {"test5: the pod's reason",
     "{" TWO ",'status':{'reason':'podReason','phase':'podPhase','containerStatuses':["
     "{'ready':true,'restartCount':3," RUN "},{'ready':true,'restartCount':3}]}}",
     "1/2", "podReason", "6", PODCOLS_ROW_ACTIVE},
    {"test6: running and completed, no Ready condition",
     "{" TWO ",'status':{'phase':'Running','reason':'','containerStatuses':["
     "{'ready':true,'restartCount':3,'state':{'terminated':{'reason':'Completed','exitCode':0}}},"
     "{'ready':true,'restartCount':3," RUN "}]}}",
     "1/2", "NotReady", "6", PODCOLS_ROW_ACTIVE},
    {"test6: running and completed, Ready condition",
     "{" TWO ",'status':{'phase':'Running','reason':'','containerStatuses':["
     "{'ready':true,'restartCount':3,'state':{'terminated':{'reason':'Completed','exitCode':0}}},"
     "{'ready':true,'restartCount':3," RUN "}],"
     "'conditions':[{'type':'Ready','status':'True'}]}}",
     "1/2", "Running", "6", PODCOLS_ROW_ACTIVE},
    {"test7: an init container restarting",
     "{'spec':{'initContainers':[{}],'containers':[{}]},'status':{'phase':'podPhase',"
     "'initContainerStatuses':[{'ready':false,'restartCount':3," RUN "," AGO10S "}],"
     "'containerStatuses':[{'ready':false,'restartCount':0,'state':{'waiting':{}}}]}}",
     "0/1", "Init:0/1", "3 (10s ago)", PODCOLS_ROW_ACTIVE},
    {"test8: two init containers, the first restarting",
     "{'spec':{'initContainers':[{},{}],'containers':[{}]},'status':{'phase':'podPhase',"
     "'initContainerStatuses':[{'ready':false,'restartCount':3," RUN "," AGO10S "},"
     "{'ready':false,'state':{'waiting':{}}}],"
     "'containerStatuses':[{'ready':false,'state':{'waiting':{}}}]}}",
     "0/1", "Init:0/2", "3 (10s ago)", PODCOLS_ROW_ACTIVE},
    {"test9: the first init container done, the second restarting",
     "{'spec':{'initContainers':[{},{}],'containers':[{}]},'status':{'phase':'podPhase',"
     "'initContainerStatuses':[{'ready':false,'state':{'terminated':{}}},"
     "{'ready':false,'restartCount':3," RUN "," AGO10S "}],"
     "'containerStatuses':[{'ready':false,'state':{'waiting':{}}}]}}",
     "0/1", "Init:1/2", "3 (10s ago)", PODCOLS_ROW_ACTIVE},
    {"test10: both init containers restarted",
     "{'spec':{'initContainers':[{},{}],'containers':[{}]},'status':{'phase':'podPhase',"
     "'initContainerStatuses':[{'ready':false,'restartCount':2,'state':{'terminated':{}}," AGO2M
     "},{'ready':false,'restartCount':3," RUN "," AGO10S "}],"
     "'containerStatuses':[{'ready':false,'state':{'waiting':{}}}]}}",
     "0/1", "Init:1/2", "5 (10s ago)", PODCOLS_ROW_ACTIVE},
    {"test11: init restarts drop out once initialised",
     "{'spec':{'initContainers':[{}],'containers':[{}]},'status':{'phase':'Running',"
     "'initContainerStatuses':[{'ready':false,'restartCount':2,'state':{'terminated':{}}," AGO2M
     "}],'containerStatuses':[{'ready':false,'restartCount':4," RUN "," AGO20S "}]}}",
     "0/1", "Running", "4 (20s ago)", PODCOLS_ROW_ACTIVE},
    {"test12: restarted five days ago",
     "{" ONE ",'status':{'phase':'Running','containerStatuses':["
     "{'ready':true,'restartCount':3," RUN "," AGO5D "}]}}",
     "1/1", "Running", "3 (5d ago)", PODCOLS_ROW_ACTIVE},
    {"test13: one never restarted, one ten days ago",
     "{" TWO ",'status':{'phase':'Running','containerStatuses':["
     "{'ready':true,'restartCount':0," RUN "},"
     "{'ready':true,'restartCount':3," RUN "," AGO10D "}]}}",
     "2/2", "Running", "3 (10d ago)", PODCOLS_ROW_ACTIVE},
    {"test14: the latest restart counts",
     "{" TWO ",'status':{'phase':'Running','containerStatuses':["
     "{'ready':true,'restartCount':6," RUN "," AGO5D "},"
     "{'ready':true,'restartCount':3," RUN "," AGO20D "}]}}",
     "2/2", "Running", "9 (5d ago)", PODCOLS_ROW_ACTIVE},
    {"test15: scheduling gated",
     "{" TWO ",'status':{'phase':'podPhase','conditions':["
     "{'type':'PodScheduled','status':'False','reason':'SchedulingGated'}]}}",
     "0/2", "SchedulingGated", "0", PODCOLS_ROW_ACTIVE},
    {"test16: succeeded",
     "{" ONE ",'status':{'phase':'Succeeded','containerStatuses':[{'ready':false,"
     "'restartCount':0,'state':{'terminated':{'reason':'Completed','exitCode':0}}}]}}",
     "0/1", "Completed", "0", PODCOLS_ROW_SUCCEEDED},
    {"test17: failed",
     "{" ONE ",'status':{'phase':'Failed','containerStatuses':[{'ready':false,"
     "'restartCount':0,'state':{'terminated':{'reason':'Error','exitCode':1}}}]}}",
     "0/1", "Error", "0", PODCOLS_ROW_FAILED},
    {"test18: succeeded, then deleted",
     "{" DELETED "," ONE ",'status':{'phase':'Succeeded','containerStatuses':[{'ready':false,"
     "'restartCount':0,'state':{'terminated':{'reason':'Completed','exitCode':0}}}]}}",
     "0/1", "Completed", "0", PODCOLS_ROW_SUCCEEDED},
    {"test19: running, then deleted",
     "{" DELETED "," ONE ",'status':{'phase':'Running','containerStatuses':[{'ready':false,"
     "'restartCount':0," RUN "}]}}",
     "0/1", "Terminating", "0", PODCOLS_ROW_ACTIVE},
    {"test20: pending, then deleted", "{" DELETED "," ONE ",'status':{'phase':'Pending'}}", "0/1",
     "Terminating", "0", PODCOLS_ROW_ACTIVE},
};

#define SIDECARS                                                                                   \
	"'spec':{'initContainers':[{'name':'restartable-init-1','restartPolicy':'Always'},"        \
	"{'name':'restartable-init-2','restartPolicy':'Always'}],'containers':[{}]}"

static const struct pod_case restartable_init[] = {
    {"test1: the first sidecar running, not started",
     "{" SIDECARS ",'status':{'phase':'Pending','initContainerStatuses':["
     "{'name':'restartable-init-1','ready':false,'restartCount':3," RUN ",'started':false," AGO10S
     "},{'name':'restartable-init-2','ready':false,'state':{'waiting':{}},"
     "'started':false}],'containerStatuses':[{'ready':false,'restartCount':0,"
     "'state':{'waiting':{}}}],'conditions':[{'type':'Initialized','status':'False'}]}}",
     "0/3", "Init:0/2", "3 (10s ago)", PODCOLS_ROW_ACTIVE},
    {"test1: the first sidecar started, the second running",
     "{" SIDECARS ",'status':{'phase':'Pending','initContainerStatuses':["
     "{'name':'restartable-init-1','ready':false,'restartCount':3," RUN ",'started':true," AGO10S
     "},{'name':'restartable-init-2','ready':false," RUN ",'started':false}],"
     "'containerStatuses':[{'ready':false,'restartCount':0,'state':{'waiting':{}}}],"
     "'conditions':[{'type':'Initialized','status':'False'}]}}",
     "0/3", "Init:1/2", "3 (10s ago)", PODCOLS_ROW_ACTIVE},
    {"test2: both sidecars started, the container running",
     "{" SIDECARS ",'status':{'phase':'Running','initContainerStatuses':["
     "{'name':'restartable-init-1','ready':false,'restartCount':3," RUN ",'started':true," AGO10S
     "},{'name':'restartable-init-2','ready':false," RUN ",'started':true}],"
     "'containerStatuses':[{'ready':true,'restartCount':4," RUN "," AGO20S "}],"
     "'conditions':[{'type':'Initialized','status':'True'}]}}",
     "1/3", "Running", "7 (10s ago)", PODCOLS_ROW_ACTIVE},
    {"test3: sidecars failed, the container completed",
     "{" SIDECARS ",'status':{'phase':'Succeeded','initContainerStatuses':["
     "{'name':'restartable-init-1','ready':false,'restartCount':3,"
     "'state':{'terminated':{'reason':'Error','exitCode':137}},'started':false," AGO10S "},"
     "{'name':'restartable-init-2','ready':false,"
     "'state':{'terminated':{'reason':'Error','exitCode':137}},'started':false}],"
     "'containerStatuses':[{'ready':false,'restartCount':4,"
     "'state':{'terminated':{'reason':'Completed','exitCode':0}}," AGO20S "}],"
     "'conditions':[{'type':'Initialized','status':'True'}]}}",
     "0/3", "Completed", "7 (10s ago)", PODCOLS_ROW_SUCCEEDED},
    {"test4: statuses for containers the spec does not have",
     "{'spec':{'initContainers':[{'name':'init1','image':'initimage'},"
     "{'name':'sidecar1','image':'sidecarimage','restartPolicy':'Always'}],"
     "'containers':[{'name':'container1','image':'containerimage'}]},"
     "'status':{'phase':'Running','initContainerStatuses':[{'name':'initinvalid'},"
     "{'name':'init1'},{'name':'sidecar1'}],'containerStatuses':[{'name':'containerinvalid'},"
     "{'name':'container1'}]}}",
     "0/2", "Init:0/2", "0", PODCOLS_ROW_ACTIVE},
};

static void check_pods(const struct pod_case *c, size_t n)
{
	time_t now = simutil_parse_rfc3339(NOW);
	for (size_t i = 0; i < n; i++) {
		cJSON *pod = json(c[i].pod);
		struct podcols pc;
		simpod_columns(pod, now, &pc);
		ck_assert_msg(strcmp(pc.ready, c[i].ready) == 0, "%s: READY %s, want %s", c[i].name,
			      pc.ready, c[i].ready);
		ck_assert_msg(strcmp(pc.status, c[i].status) == 0, "%s: STATUS %s, want %s",
			      c[i].name, pc.status, c[i].status);
		ck_assert_msg(strcmp(pc.restarts, c[i].restarts) == 0, "%s: RESTARTS %s, want %s",
			      c[i].name, pc.restarts, c[i].restarts);
		ck_assert_msg(pc.row == c[i].row, "%s: row condition %d, want %d", c[i].name,
			      (int)pc.row, (int)c[i].row);
		cJSON_Delete(pod);
	}
}

START_TEST(test_print_pod)
{
	check_pods(print_pod, sizeof(print_pod) / sizeof(print_pod[0]));
}
END_TEST

START_TEST(test_print_pod_restartable_init)
{
	check_pods(restartable_init, sizeof(restartable_init) / sizeof(restartable_init[0]));
}
END_TEST

/* TestPrintPodwide's readiness gates: the first condition of each gate's
 * type decides, a gate without a condition counts as not met. */
START_TEST(test_print_pod_readiness_gates)
{
	cJSON *pod = json("{'spec':{'containers':[{},{}],'nodeName':'test1','readinessGates':["
			  "{'conditionType':'condition1'},{'conditionType':'condition2'},"
			  "{'conditionType':'condition3'}]},'status':{'conditions':["
			  "{'type':'condition1','status':'False'},"
			  "{'type':'condition2','status':'True'}],'phase':'podPhase',"
			  "'podIPs':[{'ip':'1.1.1.1'}],'containerStatuses':[{'ready':true,"
			  "'restartCount':3,'state':{'running':{}}},{'restartCount':3}],"
			  "'nominatedNodeName':'node1'}}");
	struct podcols pc;
	simpod_columns(pod, simutil_parse_rfc3339(NOW), &pc);
	ck_assert_str_eq(pc.gates, "1/3");
	ck_assert_str_eq(pc.ready, "1/2");
	ck_assert_str_eq(pc.status, "podPhase");
	cJSON_Delete(pod);
	pod = json("{'spec':{'containers':[{}]},'status':{'phase':'Running'}}");
	simpod_columns(pod, simutil_parse_rfc3339(NOW), &pc);
	ck_assert_str_eq(pc.gates, "<none>");
	cJSON_Delete(pod);
}
END_TEST

/* Not from upstream: what the API would refuse still prints, without
 * undefined behaviour (numbers out of int32's range, nulls, wrong types). */
START_TEST(test_print_pod_hostile)
{
	static const struct pod_case t[] = {
	    {"huge restart count",
	     "{'spec':{'containers':[{}]},'status':{'phase':'Running','containerStatuses':["
	     "{'restartCount':1e300,'state':{'terminated':{'exitCode':-1e300}}}]}}",
	     "0/1", "ExitCode:-2147483648", "2147483647", PODCOLS_ROW_ACTIVE},
	    {"nulls and wrong types",
	     "{'metadata':{'deletionTimestamp':null},'spec':{'containers':{}},"
	     "'status':{'phase':'Running','containerStatuses':[{'state':null,'lastState':"
	     "{'terminated':null}},{'state':{'waiting':null,'running':null}}]}}",
	     "0/0", "Running", "0", PODCOLS_ROW_ACTIVE},
	    {"no status at all", "{}", "0/0", "", "0", PODCOLS_ROW_ACTIVE},
	};
	check_pods(t, sizeof(t) / sizeof(t[0]));
}
END_TEST

/* --- HumanDuration ---------------------------------------------------------- */

#define SEC  INT64_C(1000)
#define MIN  (60 * SEC)
#define HOUR (60 * MIN)
#define DAY  (24 * HOUR)
#define YEAR (365 * DAY)

START_TEST(test_human_duration)
{
	static const struct {
		int64_t ms;
		const char *want;
	} t[] = {
	    /* TestHumanDuration */
	    {SEC, "1s"},
	    {70 * SEC, "70s"},
	    {190 * SEC, "3m10s"},
	    {70 * MIN, "70m"},
	    {47 * HOUR, "47h"},
	    {49 * HOUR, "2d1h"},
	    {(8 * 24 + 2) * HOUR, "8d"},
	    {367 * DAY, "367d"},
	    {2 * YEAR + 25 * HOUR, "2y1d"},
	    {8 * YEAR + 2 * HOUR, "8y"},
	    /* TestHumanDurationBoundaries (to the millisecond) */
	    {-2 * SEC, "<invalid>"},
	    {-2 * SEC + 1, "0s"},
	    {0, "0s"},
	    {SEC - 1, "0s"},
	    {2 * MIN - 1, "119s"},
	    {2 * MIN, "2m"},
	    {2 * MIN + SEC, "2m1s"},
	    {10 * MIN - 1, "9m59s"},
	    {10 * MIN, "10m"},
	    {10 * MIN + SEC, "10m"},
	    {3 * HOUR - 1, "179m"},
	    {3 * HOUR, "3h"},
	    {3 * HOUR + MIN, "3h1m"},
	    {8 * HOUR - 1, "7h59m"},
	    {8 * HOUR, "8h"},
	    {8 * HOUR + 59 * MIN, "8h"},
	    {2 * DAY - 1, "47h"},
	    {2 * DAY, "2d"},
	    {2 * DAY + HOUR, "2d1h"},
	    {8 * DAY - 1, "7d23h"},
	    {8 * DAY, "8d"},
	    {8 * DAY + 23 * HOUR, "8d"},
	    {2 * YEAR - 1, "729d"},
	    {2 * YEAR, "2y"},
	    {2 * YEAR + 23 * HOUR + 59 * MIN, "2y"},
	    {2 * YEAR + DAY - 1, "2y"},
	    {2 * YEAR + DAY, "2y1d"},
	    {3 * YEAR, "3y"},
	    {7 * YEAR, "7y"},
	    {8 * YEAR - 1, "7y364d"},
	    {8 * YEAR, "8y"},
	    {8 * YEAR + 364 * DAY, "8y"},
	    {9 * YEAR, "9y"},
	};
	char out[SIMPRINT_TIME_LEN];
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		simprint_human_duration(t[i].ms, out);
		ck_assert_msg(strcmp(out, t[i].want) == 0, "%lld ms: %s, want %s",
			      (long long)t[i].ms, out, t[i].want);
	}
	/* translateTimestampSince: a zero (absent) time is "<unknown>". */
	int64_t now = simprint_time_ms(NOW);
	simprint_since(NULL, now, out);
	ck_assert_str_eq(out, "<unknown>");
	simprint_since("", now, out);
	ck_assert_str_eq(out, "<unknown>");
	simprint_since("2026-01-01T00:09:30Z", now, out);
	ck_assert_str_eq(out, "30s");
	simprint_since("2026-01-01T00:10:02Z", now, out);
	ck_assert_str_eq(out, "<invalid>");
}
END_TEST

/* --- Deployments and ReplicaSets ------------------------------------------- */

#define TEMPLATE                                                                                   \
	"'template':{'spec':{'containers':[{'name':'fake-container1','image':'fake-image1'},"      \
	"{'name':'fake-container2','image':'fake-image2'}]}},'selector':{'matchLabels':"           \
	"{'foo':'bar'}}"

static void check_cells(void (*cells)(struct buf *, const cJSON *, int64_t), const char *obj,
			const char *want)
{
	cJSON *o = json(obj);
	cJSON *w = json(want);
	char *want_s = cJSON_PrintUnformatted(w);
	struct buf b = BUF_INIT;
	buf_addc(&b, '[');
	buf_adds(&b, "\"name\"");
	cells(&b, o, simprint_time_ms(NOW));
	buf_addc(&b, ']');
	ck_assert_str_eq(b.data, want_s);
	buf_free(&b);
	free(want_s);
	cJSON_Delete(w);
	cJSON_Delete(o);
}

/* Upstream creates these 1.9s in the future, which still reads "0s". */
START_TEST(test_print_deployment)
{
	check_cells(simprint_deployment_cells,
		    "{'metadata':{'creationTimestamp':'2026-01-01T00:10:01Z'},'spec':{'replicas':"
		    "5," TEMPLATE
		    "},'status':{'replicas':10,'updatedReplicas':2,'availableReplicas':1,"
		    "'unavailableReplicas':4}}",
		    "['name','0/5',2,1,'0s','fake-container1,fake-container2',"
		    "'fake-image1,fake-image2','foo=bar']");
}
END_TEST

START_TEST(test_print_replicaset)
{
	check_cells(simprint_replicaset_cells,
		    "{'metadata':{'creationTimestamp':'2026-01-01T00:10:01Z'},'spec':{'replicas':"
		    "5," TEMPLATE "},'status':{'replicas':5,'readyReplicas':2}}",
		    "['name',5,5,2,'0s','fake-container1,fake-container2',"
		    "'fake-image1,fake-image2','foo=bar']");
}
END_TEST

/* Requirement.String() and LabelSelectorAsSelector: sorted by key, values
 * sorted, and the two ways the columns say "nothing" or "broken". */
START_TEST(test_selector)
{
	struct {
		const char *sel, *none, *want;
	} t[] = {
	    {"{'matchLabels':{'env':'prod'},'matchExpressions':[{'key':'tier','operator':'In',"
	     "'values':['b','a']},{'key':'app','operator':'Exists'},{'key':'old',"
	     "'operator':'DoesNotExist'},{'key':'zone','operator':'NotIn','values':['x']}]}",
	     "<none>", "app,env=prod,!old,tier in (a,b),zone notin (x)"},
	    {"{}", "<none>", "<none>"},
	    {"{}", "", ""},
	    {"{'matchExpressions':[{'key':'a','operator':'Gt','values':['1']}]}", "<none>",
	     "<error>"},
	    {"{'matchExpressions':[{'key':'a','operator':'In','values':[]}]}", "", "<invalid>"},
	    {"{'matchExpressions':[{'key':'a','operator':'Exists','values':['x']}]}", "",
	     "<invalid>"},
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		cJSON *sel = json(t[i].sel);
		struct buf b = BUF_INIT;
		simprint_selector(&b, sel, t[i].none);
		ck_assert_str_eq(b.len ? b.data : "", t[i].want);
		buf_free(&b);
		cJSON_Delete(sel);
	}
	struct buf b = BUF_INIT;
	simprint_selector(&b, NULL, "<none>");
	ck_assert_str_eq(b.data, "<none>");
	buf_free(&b);
}
END_TEST

/* --- deployment_util.go ----------------------------------------------------- */

static struct dl_status counts(int32_t replicas, int32_t updated, int32_t ready, int32_t available)
{
	struct dl_status st = {0};
	st.replicas = replicas;
	st.updated = updated;
	st.ready = ready;
	st.available = available;
	return st;
}

START_TEST(test_deployment_complete)
{
	/* deployment(desired, current, updated, available, maxUnavailable, maxSurge) */
	static const struct {
		int32_t desired, current, updated, available;
		bool want;
	} t[] = {
	    {5, 5, 5, 4, false}, /* min but not all pods become available */
	    {5, 5, 5, 3, false}, /* min availability is not honored */
	    {5, 5, 5, 5, true},  /* complete */
	    {5, 5, 4, 5, false}, /* all pods are available but not updated */
	    {1, 2, 1, 1, false}, /* still running old pods */
	    {1, 1, 1, 0, false}, /* one replica deployment never comes up */
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct dl_status st = counts(t[i].current, t[i].updated, 0, t[i].available);
		ck_assert_msg(dutil_complete(t[i].desired, 0, &st) == t[i].want, "case %zu", i);
	}
	/* The status must be for the current generation. */
	struct dl_status st = counts(5, 5, 5, 5);
	st.observed_generation = 2;
	ck_assert(dutil_complete(5, 2, &st));
	ck_assert(!dutil_complete(5, 3, &st));
}
END_TEST

START_TEST(test_deployment_progressing)
{
	/* deployment(current, updated, ready, available) and the new status */
	static const struct {
		int32_t old[4], now[4];
		bool want;
	} t[] = {
	    {{10, 4, 4, 4}, {10, 6, 4, 4}, true},      /* updated pods */
	    {{10, 4, 4, 4}, {10, 4, 4, 4}, false},     /* not progressing */
	    {{10, 4, 6, 6}, {8, 4, 6, 6}, true},       /* old pods removed */
	    {{10, 7, 3, 3}, {10, 6, 3, 3}, false},     /* less new pods */
	    {{10, 4, 7, 7}, {8, 8, 5, 5}, true},       /* less overall but more new pods */
	    {{10, 10, 9, 8}, {10, 10, 10, 8}, true},   /* more ready pods */
	    {{10, 10, 10, 9}, {10, 10, 10, 10}, true}, /* more available pods */
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct dl_status o = counts(t[i].old[0], t[i].old[1], t[i].old[2], t[i].old[3]);
		struct dl_status n = counts(t[i].now[0], t[i].now[1], t[i].now[2], t[i].now[3]);
		ck_assert_msg(dutil_progressing(&o, &n) == t[i].want, "case %zu", i);
	}
}
END_TEST

START_TEST(test_deployment_timed_out)
{
	/* timeFn(min, sec) is 2016-01-01T00:min:sec; the Progressing condition
	 * was last updated at from. */
	const int64_t base = simprint_time_ms("2016-01-01T00:00:00Z");
#define AT(m, s) (base + (int64_t)(m)*60000 + (int64_t)(s)*1000)
	static const struct {
		int32_t pds; /* -1: nil */
		const char *reason;
		int m, s;         /* from */
		int now_m, now_s; /* nowFn */
		bool want;
	} t[] = {
	    {-1, "", 1, 9, 1, 20, false},        /* nil progressDeadlineSeconds */
	    {INT32_MAX, "", 1, 9, 1, 20, false}, /* infinite progressDeadlineSeconds */
	    {10, "", 1, 9, 1, 20, true},         /* 11s since the last progress */
	    {10, "", 1, 11, 1, 20, false},       /* 9s since */
	    {-1, "NewReplicaSetAvailable", 0, 0, 0, 0, false}, /* complete before */
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct dl_status st = {0};
		struct dl_cond c;
		dl_new_condition(&c, "Progressing", DL_COND_TRUE, t[i].reason, "",
				 AT(t[i].m, t[i].s));
		dl_set_condition(&st, &c);
		ck_assert_msg(dutil_timed_out(t[i].pds, &st, AT(t[i].now_m, t[i].now_s)) ==
				  t[i].want,
			      "case %zu", i);
	}
	/* Beyond upstream's table: a condition that has timed out stays so, a
	 * complete one never times out, and no condition gives no verdict. */
	struct dl_status st = {0};
	ck_assert(!dutil_timed_out(10, &st, AT(9, 0)));
	struct dl_cond c;
	dl_new_condition(&c, "Progressing", DL_COND_FALSE, "ProgressDeadlineExceeded", "",
			 AT(1, 0));
	dl_set_condition(&st, &c);
	ck_assert(dutil_timed_out(10, &st, AT(1, 1)));
	dl_new_condition(&c, "Progressing", DL_COND_TRUE, "NewReplicaSetAvailable", "", AT(1, 0));
	dl_set_condition(&st, &c);
	ck_assert(!dutil_timed_out(10, &st, AT(9, 0)));
#undef AT
}
END_TEST

static Suite *printer_suite(void)
{
	Suite *s = suite_create("sim_printer");
	TCase *tc = tcase_create("printers_test.go");
	tcase_add_test(tc, test_print_pod);
	tcase_add_test(tc, test_print_pod_restartable_init);
	tcase_add_test(tc, test_print_pod_readiness_gates);
	tcase_add_test(tc, test_print_pod_hostile);
	tcase_add_test(tc, test_human_duration);
	tcase_add_test(tc, test_print_deployment);
	tcase_add_test(tc, test_print_replicaset);
	tcase_add_test(tc, test_selector);
	suite_add_tcase(s, tc);
	tc = tcase_create("deployment_util_test.go");
	tcase_add_test(tc, test_deployment_complete);
	tcase_add_test(tc, test_deployment_progressing);
	tcase_add_test(tc, test_deployment_timed_out);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return test_run_suite(printer_suite());
}
