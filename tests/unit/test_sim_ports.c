#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <check.h>
#include <cjson/cJSON.h>

#include "kintstr.h"
#include "kubelet_backoff.h"
#include "kubelet_phase.h"
#include "testutil.h"

/*
 * The simulator's own ports of upstream arithmetic
 * (src/sim/controllers/kintstr.c, src/sim/kubelet/kubelet_phase.c and
 * kubelet_backoff.c), checked against upstream's test tables restated as
 * data:
 * - kubernetes pkg/controller/deployment/util/deployment_util_test.go:
 *   TestResolveFenceposts, TestNewRSNewReplicas, TestMaxUnavailable,
 *   TestMinAvailable, TestGetNonNegativeInt32FromAnnotation,
 *   TestGetReplicaSetFraction;
 * - apimachinery pkg/util/intstr/intstr_test.go: TestGetIntFromIntOrPercent
 *   (GetScaledValueFromIntOrPercent) and TestGetValueFromIntOrPercentNil;
 * - kubernetes pkg/kubelet/kubelet_pods_test.go: TestPodPhaseWithRestart*
 *   (Always, AlwaysInitContainers, AlwaysRestartableInitContainers,
 *   AlwaysAndPodHasRun, Never, NeverInitContainers,
 *   NeverRestartableInitContainers, OnFailure);
 * - client-go util/flowcontrol/backoff_test.go: TestSlowBackoff,
 *   TestBackoffReset, TestBackoffHighWaterMark, TestBackoffGC.
 */

/* --- intstr_test.go ---------------------------------------------------------- */

START_TEST(test_scaled_value)
{
	static const struct {
		struct kintstr in;
		int64_t total;
		bool round_up, ok;
		int64_t want;
	} rows[] = {
	    {KINTSTR_INT(123), 0, false, true, 123},      {KINTSTR_STR("90%"), 100, true, true, 90},
	    {KINTSTR_STR("90%"), 95, true, true, 86},     {KINTSTR_STR("90%"), 95, false, true, 85},
	    {KINTSTR_STR("%"), 0, false, false, 0},       {KINTSTR_STR("90#"), 0, false, false, 0},
	    {KINTSTR_STR("#%"), 0, false, false, 0},      {KINTSTR_STR("90"), 0, false, false, 0},
	    {{.type = KINTSTR_NONE}, 0, false, false, 0}, /* TestGetValueFromIntOrPercentNil */
	};
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		int64_t got = -7;
		bool ok = kintstr_scaled(&rows[i].in, rows[i].total, rows[i].round_up, &got);
		ck_assert_msg(ok == rows[i].ok, "row %zu: ok %d", i, ok);
		ck_assert_msg(got == rows[i].want, "row %zu: got %lld want %lld", i, (long long)got,
			      (long long)rows[i].want);
	}
	/* What a JSON value reads as: numbers are ints, strings strings, the rest nil. */
	cJSON *j =
	    cJSON_Parse("[3, \"25%\", null, 1e12, \"" /* 70 bytes: longer than sval */
			"0000000000000000000000000000000000000000000000000000000000000000025%"
			"\"]");
	struct kintstr v;
	int64_t got;
	kintstr_from_json(cJSON_GetArrayItem(j, 0), &v);
	ck_assert(kintstr_scaled(&v, 10, true, &got) && got == 3);
	kintstr_from_json(cJSON_GetArrayItem(j, 1), &v);
	ck_assert(kintstr_scaled(&v, 10, true, &got) && got == 3);
	kintstr_from_json(cJSON_GetArrayItem(j, 2), &v);
	ck_assert(!kintstr_scaled(&v, 10, true, &got));
	kintstr_from_json(cJSON_GetArrayItem(j, 3), &v); /* clamped to int32 */
	ck_assert(kintstr_scaled(&v, 10, true, &got) && got == INT32_MAX);
	kintstr_from_json(cJSON_GetArrayItem(j, 4), &v);
	ck_assert(v.too_long && !kintstr_scaled(&v, 10, true, &got));
	cJSON_Delete(j);
}
END_TEST

/* --- deployment_util_test.go ------------------------------------------------- */

START_TEST(test_resolve_fenceposts)
{
	static const struct {
		const char *surge, *unavail; /* NULL: a nil pointer */
		int32_t desired, want_surge, want_unavail;
		bool err;
	} rows[] = {
	    {"0%", "0%", 0, 0, 1, false},    {"39%", "39%", 10, 4, 3, false},
	    {"oops", "39%", 10, 0, 0, true}, {"55%", "urg", 10, 0, 0, true},
	    {NULL, "39%", 10, 0, 3, false},  {"39%", NULL, 10, 4, 0, false},
	    {NULL, NULL, 10, 0, 1, false},
	};
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct kintstr s = {0}, u = {0};
		if (rows[i].surge) {
			s.type = KINTSTR_STRING;
			snprintf(s.sval, sizeof(s.sval), "%s", rows[i].surge);
		}
		if (rows[i].unavail) {
			u.type = KINTSTR_STRING;
			snprintf(u.sval, sizeof(u.sval), "%s", rows[i].unavail);
		}
		int32_t gs = -7, gu = -7;
		bool ok = kintstr_fenceposts(rows[i].surge ? &s : NULL, rows[i].unavail ? &u : NULL,
					     rows[i].desired, &gs, &gu);
		ck_assert_msg(ok == !rows[i].err, "row %zu: ok %d", i, ok);
		ck_assert_msg(gs == rows[i].want_surge && gu == rows[i].want_unavail,
			      "row %zu: got %d:%d want %d:%d", i, gs, gu, rows[i].want_surge,
			      rows[i].want_unavail);
	}
}
END_TEST

START_TEST(test_new_rs_new_replicas)
{
	/* allRSs is the one RS rs5 (5 replicas); maxUnavailable 1. */
	static const struct {
		uint8_t type;
		int32_t dep, new_rs, surge, want;
	} rows[] = {
	    {KSTRATEGY_ROLLING_UPDATE, 1, 5, 1, 5},  /* can not scale up - to newRSReplicas */
	    {KSTRATEGY_ROLLING_UPDATE, 6, 2, 10, 6}, /* scale up - to depReplicas */
	    {KSTRATEGY_RECREATE, 3, 1, 1, 3},        /* recreate - to depReplicas */
	};
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct kstrategy s = {.type = rows[i].type,
				      .max_surge = KINTSTR_INT(rows[i].surge),
				      .max_unavailable = KINTSTR_INT(1)};
		int32_t got = -7;
		ck_assert(kstrategy_new_rs_replicas(&s, rows[i].dep, 5, rows[i].new_rs, &got));
		ck_assert_msg(got == rows[i].want, "row %zu: got %d want %d", i, got, rows[i].want);
	}
	struct kstrategy other = {.type = KSTRATEGY_OTHER};
	int32_t got;
	ck_assert(!kstrategy_new_rs_replicas(&other, 3, 0, 0, &got));
}
END_TEST

START_TEST(test_max_unavailable)
{
	/* maxSurge 1; the Recreate row has neither replicas nor rollingUpdate. */
	static const struct {
		uint8_t type;
		int32_t replicas;
		struct kintstr unavail;
		int32_t want_max_unavailable, want_min_available;
	} rows[] = {
	    {KSTRATEGY_ROLLING_UPDATE, 10, KINTSTR_INT(5), 5, 5},
	    {KSTRATEGY_ROLLING_UPDATE, 10, KINTSTR_INT(10), 10, 0},
	    {KSTRATEGY_ROLLING_UPDATE, 5, KINTSTR_INT(10), 5, 0},
	    {KSTRATEGY_ROLLING_UPDATE, 0, KINTSTR_INT(10), 0, 0},
	    {KSTRATEGY_RECREATE, 0, {0}, 0, 0},
	    {KSTRATEGY_ROLLING_UPDATE, 10, KINTSTR_STR("50%"), 5, 5},
	    {KSTRATEGY_ROLLING_UPDATE, 10, KINTSTR_STR("100%"), 10, 0},
	    {KSTRATEGY_ROLLING_UPDATE, 5, KINTSTR_STR("100%"), 5, 0},
	    {KSTRATEGY_ROLLING_UPDATE, 10, KINTSTR_STR("60%"), 6, 4}, /* TestMinAvailable */
	};
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct kstrategy s = {.type = rows[i].type,
				      .max_surge = KINTSTR_INT(1),
				      .max_unavailable = rows[i].unavail};
		int32_t got = kstrategy_max_unavailable(&s, rows[i].replicas);
		ck_assert_msg(got == rows[i].want_max_unavailable, "row %zu: got %d", i, got);
		/* MinAvailable: replicas - MaxUnavailable under RollingUpdate, else 0. */
		int32_t min = s.type == KSTRATEGY_ROLLING_UPDATE ? rows[i].replicas - got : 0;
		ck_assert_msg(min == rows[i].want_min_available, "row %zu: min %d", i, min);
	}
	struct kstrategy recreate10 = {.type = KSTRATEGY_RECREATE};
	ck_assert_int_eq(kstrategy_max_unavailable(&recreate10, 10), 0);
	ck_assert_int_eq(kstrategy_max_surge(&recreate10, 10), 0);
}
END_TEST

START_TEST(test_nonneg_int32_annotation)
{
	static const struct {
		const char *in; /* NULL: no annotation */
		bool ok;
		int32_t want;
	} rows[] = {
	    {NULL, false, 0},         {"invalid", false, 0},    {"-1", false, 0},
	    {"0", true, 0},           {"13", true, 13},         {"2147483647", true, INT32_MAX},
	    {"2147483648", false, 0}, {"4294967296", false, 0},
	};
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		int32_t got = -7;
		bool ok = kint_parse_nonneg_int32(rows[i].in, &got);
		ck_assert_msg(ok == rows[i].ok && got == rows[i].want, "row %zu: %d %d", i, ok,
			      got);
	}
}
END_TEST

START_TEST(test_replicaset_fraction)
{
	/* maxUnavailable 1; the fraction shows as GetProportion with room to spare. */
	static const struct {
		int32_t d, d_status, surge, rs;
		const char *max_annot;
		int32_t want;
	} rows[] = {
	    {0, 0, 0, 10, NULL, -10},    /* empty deployment always scales to 0 */
	    {10, 0, 0, 5, NULL, 0},      /* unsynced, annotation missing */
	    {10, 0, 0, 5, "0", 0},       /* unsynced, annotation 0 */
	    {120, 100, 0, 50, NULL, 10}, /* scale up by 1/5, annotation missing */
	    {120, 100, 0, 50, "0", 10},  /* scale up by 1/5, annotation 0 */
	    {120, 0, 0, 50, "100", 10},  /* scale up by 1/5 */
	    {120, 0, 10, 50, "110", 9},  /* scale up with maxSurge */
	    {10, 0, 0, 6, "12", -1},     /* scale down by 1/6 */
	    {100, 0, 10, 50, "130", -8}, /* scale down with maxSurge */
	};
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct kstrategy s = {.type = KSTRATEGY_ROLLING_UPDATE,
				      .max_surge = KINTSTR_INT(rows[i].surge),
				      .max_unavailable = KINTSTR_INT(1)};
		int32_t room = rows[i].want < 0 ? -1000 : 1000;
		int32_t got = kstrategy_proportion(&s, rows[i].rs, rows[i].max_annot, rows[i].d,
						   rows[i].d_status, room, 0);
		ck_assert_msg(got == rows[i].want, "row %zu: got %d want %d", i, got, rows[i].want);
	}
	/* GetProportion's clamps: no room left, or less room than the fraction. */
	struct kstrategy s = {.type = KSTRATEGY_ROLLING_UPDATE, .max_unavailable = KINTSTR_INT(1)};
	ck_assert_int_eq(kstrategy_proportion(&s, 50, "100", 120, 0, 5, 5), 0);
	ck_assert_int_eq(kstrategy_proportion(&s, 50, "100", 120, 0, 5, 2), 3);
	ck_assert_int_eq(kstrategy_proportion(&s, 6, "12", 10, 0, -3, -3), 0);
	ck_assert_int_eq(kstrategy_proportion(&s, 0, "12", 10, 0, -3, 0), 0);
}
END_TEST

/* --- kubelet_pods_test.go ---------------------------------------------------- */

/*
 * A row's containers are names, init containers ending in '*' are sidecars
 * (restartPolicy Always); statuses are NAME:STATE with R running, T running
 * and started, S exited 0, F exited -1, W waiting, L0 / L1 waiting with a
 * last termination exiting 0 / 1 (upstream's runningState, startedState,
 * succeededState, failedState, waitingState,
 * waitingStateWithLastTermination, waitingStateWithNonZeroTermination).
 */
struct phase_row {
	const char *upstream, *name, *policy, *init, *containers, *init_st, *st;
	bool terminal, initialized;
	const char *want;
};

static const struct phase_row phase_rows[] = {
    {"TestPodPhaseWithRestartAlways", "waiting", "Always", "", "A B", "", "", false, false,
     "Pending"},
    {"TestPodPhaseWithRestartAlways", "all running", "Always", "", "A B", "", "A:R B:R", false,
     false, "Running"},
    {"TestPodPhaseWithRestartAlways", "all stopped with restart always", "Always", "", "A B", "",
     "A:S B:S", false, false, "Running"},
    {"TestPodPhaseWithRestartAlways", "all succeeded with restart always, but the pod is terminal",
     "Always", "", "A B", "", "A:S B:S", true, false, "Succeeded"},
    {"TestPodPhaseWithRestartAlways", "all stopped with restart always, but the pod is terminal",
     "Always", "", "A B", "", "A:S B:F", true, false, "Failed"},
    {"TestPodPhaseWithRestartAlways", "mixed state #1", "Always", "", "A B", "", "A:R B:S", false,
     false, "Running"},
    {"TestPodPhaseWithRestartAlways", "mixed state #2", "Always", "", "A B", "", "A:R", false,
     false, "Pending"},
    {"TestPodPhaseWithRestartAlways", "mixed state #3", "Always", "", "A B", "", "A:R B:W", false,
     false, "Pending"},
    {"TestPodPhaseWithRestartAlways", "backoff crashloop container", "Always", "", "A B", "",
     "A:R B:L0", false, false, "Running"},
    {"TestPodPhaseWithRestartAlwaysInitContainers", "empty, waiting", "Always", "X", "A B", "", "",
     false, false, "Pending"},
    {"TestPodPhaseWithRestartAlwaysInitContainers", "init container running", "Always", "X", "A B",
     "X:R", "", false, false, "Pending"},
    {"TestPodPhaseWithRestartAlwaysInitContainers", "init container terminated non-zero", "Always",
     "X", "A B", "X:F", "", false, false, "Pending"},
    {"TestPodPhaseWithRestartAlwaysInitContainers", "init container waiting, terminated zero",
     "Always", "X", "A B", "X:L0", "", false, false, "Pending"},
    {"TestPodPhaseWithRestartAlwaysInitContainers", "init container waiting, terminated non-zero",
     "Always", "X", "A B", "X:L1", "", false, false, "Pending"},
    {"TestPodPhaseWithRestartAlwaysInitContainers", "init container waiting, not terminated",
     "Always", "X", "A B", "X:W", "", false, false, "Pending"},
    {"TestPodPhaseWithRestartAlwaysInitContainers", "init container succeeded", "Always", "X",
     "A B", "X:S", "A:R B:R", false, false, "Running"},
    {"TestPodPhaseWithRestartAlwaysRestartableInitContainers", "empty, waiting", "Always", "X*",
     "A B", "", "", false, false, "Pending"},
    {"TestPodPhaseWithRestartAlwaysRestartableInitContainers", "restartable init container running",
     "Always", "X*", "A B", "X:R", "", false, false, "Pending"},
    {"TestPodPhaseWithRestartAlwaysRestartableInitContainers", "restartable init container stopped",
     "Always", "X*", "A B", "X:S", "", false, false, "Pending"},
    {"TestPodPhaseWithRestartAlwaysRestartableInitContainers",
     "restartable init container waiting, terminated zero", "Always", "X*", "A B", "X:L0", "",
     false, false, "Pending"},
    {"TestPodPhaseWithRestartAlwaysRestartableInitContainers",
     "restartable init container waiting, terminated non-zero", "Always", "X*", "A B", "X:L1", "",
     false, false, "Pending"},
    {"TestPodPhaseWithRestartAlwaysRestartableInitContainers",
     "restartable init container waiting, not terminated", "Always", "X*", "A B", "X:W", "", false,
     false, "Pending"},
    {"TestPodPhaseWithRestartAlwaysRestartableInitContainers",
     "started, 1/2 regular container running", "Always", "X*", "A B", "X:T", "A:R", false, true,
     "Pending"},
    {"TestPodPhaseWithRestartAlwaysRestartableInitContainers",
     "started, all regular containers running", "Always", "X*", "A B", "X:T", "A:R B:R", false,
     true, "Running"},
    {"TestPodPhaseWithRestartAlwaysRestartableInitContainers",
     "running, all regular containers running", "Always", "X*", "A B", "X:R", "A:R B:R", false,
     true, "Running"},
    {"TestPodPhaseWithRestartAlwaysRestartableInitContainers",
     "stopped, all regular containers running", "Always", "X*", "A B", "X:S", "A:R B:R", false,
     true, "Running"},
    {"TestPodPhaseWithRestartAlwaysRestartableInitContainers",
     "backoff crashloop, all regular containers running", "Always", "X*", "A B", "X:L0", "A:R B:R",
     false, true, "Running"},
    {"TestPodPhaseWithRestartAlwaysRestartableInitContainers",
     "regular succeeded, sidecar failed, pod terminal", "Always", "X*", "A B", "X:F", "A:S B:S",
     true, true, "Succeeded"},
    {"TestPodPhaseWithRestartAlwaysRestartableInitContainers",
     "regular succeeded, sidecar succeeded, pod terminal", "Always", "X*", "A B", "X:S", "A:S B:S",
     true, true, "Succeeded"},
    {"TestPodPhaseWithRestartAlwaysRestartableInitContainers",
     "re-initializing the pod after the sandbox is recreated", "Always", "X*", "A B", "X:R",
     "A:R B:R", false, false, "Pending"},
    {"TestPodPhaseWithRestartAlwaysAndPodHasRun",
     "regular init, sidecar and regular container all running", "Always", "X Y*", "A", "X:R Y:R",
     "A:R", false, false, "Pending"},
    {"TestPodPhaseWithRestartAlwaysAndPodHasRun",
     "regular container stopped, sidecar and regular init running", "Always", "X Y*", "A",
     "X:R Y:R", "A:S", false, false, "Pending"},
    {"TestPodPhaseWithRestartAlwaysAndPodHasRun",
     "re-created sandbox, init succeeded, sidecar running, old container stopped", "Always", "X Y*",
     "A", "X:S Y:R", "A:S", false, false, "Pending"},
    {"TestPodPhaseWithRestartAlwaysAndPodHasRun",
     "init succeeded, sidecar running, regular container stopped", "Always", "X Y*", "A", "X:S Y:R",
     "A:S", false, true, "Running"},
    {"TestPodPhaseWithRestartAlwaysAndPodHasRun",
     "init succeeded, sidecar and regular container running", "Always", "X Y*", "A", "X:S Y:R",
     "A:R", false, true, "Running"},
    {"TestPodPhaseWithRestartNever", "waiting", "Never", "", "A B", "", "", false, false,
     "Pending"},
    {"TestPodPhaseWithRestartNever", "all running", "Never", "", "A B", "", "A:R B:R", false, false,
     "Running"},
    {"TestPodPhaseWithRestartNever", "all succeeded", "Never", "", "A B", "", "A:S B:S", false,
     false, "Succeeded"},
    {"TestPodPhaseWithRestartNever", "all failed", "Never", "", "A B", "", "A:F B:F", false, false,
     "Failed"},
    {"TestPodPhaseWithRestartNever", "mixed state #1", "Never", "", "A B", "", "A:R B:S", false,
     false, "Running"},
    {"TestPodPhaseWithRestartNever", "mixed state #2", "Never", "", "A B", "", "A:R", false, false,
     "Pending"},
    {"TestPodPhaseWithRestartNever", "mixed state #3", "Never", "", "A B", "", "A:R B:W", false,
     false, "Pending"},
    {"TestPodPhaseWithRestartNeverInitContainers", "empty, waiting", "Never", "X", "A B", "", "",
     false, false, "Pending"},
    {"TestPodPhaseWithRestartNeverInitContainers", "init container running", "Never", "X", "A B",
     "X:R", "", false, false, "Pending"},
    {"TestPodPhaseWithRestartNeverInitContainers", "init container terminated non-zero", "Never",
     "X", "A B", "X:F", "", false, false, "Failed"},
    {"TestPodPhaseWithRestartNeverInitContainers", "init container waiting, terminated zero",
     "Never", "X", "A B", "X:L0", "", false, false, "Pending"},
    {"TestPodPhaseWithRestartNeverInitContainers", "init container waiting, terminated non-zero",
     "Never", "X", "A B", "X:L1", "", false, false, "Failed"},
    {"TestPodPhaseWithRestartNeverInitContainers", "init container waiting, not terminated",
     "Never", "X", "A B", "X:W", "", false, false, "Pending"},
    {"TestPodPhaseWithRestartNeverInitContainers", "init container succeeded", "Never", "X", "A B",
     "X:S", "A:R B:R", false, false, "Running"},
    {"TestPodPhaseWithRestartNeverRestartableInitContainers", "empty, waiting", "Never", "X*",
     "A B", "", "", false, false, "Pending"},
    {"TestPodPhaseWithRestartNeverRestartableInitContainers", "running", "Never", "X*", "A B",
     "X:R", "", false, false, "Pending"},
    {"TestPodPhaseWithRestartNeverRestartableInitContainers", "stopped", "Never", "X*", "A B",
     "X:S", "", false, false, "Pending"},
    {"TestPodPhaseWithRestartNeverRestartableInitContainers", "waiting, terminated zero", "Never",
     "X*", "A B", "X:L0", "", false, false, "Pending"},
    {"TestPodPhaseWithRestartNeverRestartableInitContainers", "waiting, terminated non-zero",
     "Never", "X*", "A B", "X:L1", "", false, false, "Pending"},
    {"TestPodPhaseWithRestartNeverRestartableInitContainers", "waiting, not terminated", "Never",
     "X*", "A B", "X:W", "", false, false, "Pending"},
    {"TestPodPhaseWithRestartNeverRestartableInitContainers", "started, one main container running",
     "Never", "X*", "A B", "X:T", "A:R", false, true, "Pending"},
    {"TestPodPhaseWithRestartNeverRestartableInitContainers", "started, main containers succeeded",
     "Never", "X*", "A B", "X:T", "A:S B:S", false, true, "Running"},
    {"TestPodPhaseWithRestartNeverRestartableInitContainers",
     "re-running, main containers succeeded", "Never", "X*", "A B", "X:R", "A:S B:S", false, true,
     "Running"},
    {"TestPodPhaseWithRestartNeverRestartableInitContainers", "all containers succeeded", "Never",
     "X*", "A B", "X:S", "A:S B:S", false, true, "Succeeded"},
    {"TestPodPhaseWithRestartNeverRestartableInitContainers",
     "sidecar terminated non-zero, main containers succeeded", "Never", "X*", "A B", "X:F",
     "A:S B:S", false, true, "Succeeded"},
    {"TestPodPhaseWithRestartNeverRestartableInitContainers",
     "backoff crashloop sidecar, main containers succeeded", "Never", "X*", "A B", "X:L0",
     "A:S B:S", false, true, "Succeeded"},
    {"TestPodPhaseWithRestartNeverRestartableInitContainers",
     "backoff crashloop non-zero sidecar, main containers succeeded", "Never", "X*", "A B", "X:L1",
     "A:S B:S", false, true, "Succeeded"},
    {"TestPodPhaseWithRestartOnFailure", "waiting", "OnFailure", "", "A B", "", "", false, false,
     "Pending"},
    {"TestPodPhaseWithRestartOnFailure", "all running", "OnFailure", "", "A B", "", "A:R B:R",
     false, false, "Running"},
    {"TestPodPhaseWithRestartOnFailure", "all succeeded", "OnFailure", "", "A B", "", "A:S B:S",
     false, false, "Succeeded"},
    {"TestPodPhaseWithRestartOnFailure", "all failed", "OnFailure", "", "A B", "", "A:F B:F", false,
     false, "Running"},
    {"TestPodPhaseWithRestartOnFailure", "mixed state #1", "OnFailure", "", "A B", "", "A:R B:S",
     false, false, "Running"},
    {"TestPodPhaseWithRestartOnFailure", "mixed state #2", "OnFailure", "", "A B", "", "A:R", false,
     false, "Pending"},
    {"TestPodPhaseWithRestartOnFailure", "mixed state #3", "OnFailure", "", "A B", "", "A:R B:W",
     false, false, "Pending"},
    {"TestPodPhaseWithRestartOnFailure", "backoff crashloop container", "OnFailure", "", "A B", "",
     "A:R B:L0", false, false, "Running"},
};

static cJSON *state_json(const char *code)
{
	cJSON *cs = cJSON_CreateObject();
	cJSON *state = cJSON_AddObjectToObject(cs, "state");
	switch (code[0]) {
	case 'T':
		cJSON_AddTrueToObject(cs, "started");
		/* fall through */
	case 'R':
		cJSON_AddObjectToObject(state, "running");
		break;
	case 'S':
	case 'F':
		cJSON_AddNumberToObject(cJSON_AddObjectToObject(state, "terminated"), "exitCode",
					code[0] == 'S' ? 0 : -1);
		break;
	default: /* W, L0, L1 */
		cJSON_AddObjectToObject(state, "waiting");
		if (code[0] == 'L')
			cJSON_AddNumberToObject(
			    cJSON_AddObjectToObject(cJSON_AddObjectToObject(cs, "lastState"),
						    "terminated"),
			    "exitCode", code[1] - '0');
	}
	return cs;
}

/* "A B*" as [{"name":"A"},{"name":"B","restartPolicy":"Always"}]. */
static void add_specs(cJSON *spec, const char *key, const char *list)
{
	cJSON *arr = cJSON_AddArrayToObject(spec, key);
	char buf[64];
	snprintf(buf, sizeof(buf), "%s", list);
	for (char *save = NULL, *t = strtok_r(buf, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
		cJSON *c = cJSON_CreateObject();
		size_t n = strlen(t);
		bool sidecar = t[n - 1] == '*';
		if (sidecar)
			t[n - 1] = '\0';
		cJSON_AddStringToObject(c, "name", t);
		if (sidecar)
			cJSON_AddStringToObject(c, "restartPolicy", "Always");
		cJSON_AddItemToArray(arr, c);
	}
}

static void add_statuses(cJSON *status, const char *key, const char *list)
{
	if (!*list)
		return;
	cJSON *arr = cJSON_AddArrayToObject(status, key);
	char buf[64];
	snprintf(buf, sizeof(buf), "%s", list);
	for (char *save = NULL, *t = strtok_r(buf, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
		char *colon = strchr(t, ':');
		*colon = '\0';
		cJSON *cs = state_json(colon + 1);
		cJSON_AddStringToObject(cs, "name", t);
		cJSON_AddItemToArray(arr, cs);
	}
}

static cJSON *phase_pod(const struct phase_row *r)
{
	cJSON *pod = cJSON_CreateObject();
	cJSON *spec = cJSON_AddObjectToObject(pod, "spec");
	cJSON_AddStringToObject(spec, "restartPolicy", r->policy);
	if (*r->init)
		add_specs(spec, "initContainers", r->init);
	add_specs(spec, "containers", r->containers);
	cJSON *status = cJSON_AddObjectToObject(pod, "status");
	add_statuses(status, "initContainerStatuses", r->init_st);
	add_statuses(status, "containerStatuses", r->st);
	return pod;
}

START_TEST(test_pod_phase)
{
	for (size_t i = 0; i < sizeof(phase_rows) / sizeof(phase_rows[0]); i++) {
		const struct phase_row *r = &phase_rows[i];
		cJSON *pod = phase_pod(r);
		const char *got = kphase_compute(pod, r->terminal, r->initialized);
		ck_assert_msg(strcmp(got, r->want) == 0, "%s: %s: got %s want %s", r->upstream,
			      r->name, got, r->want);
		cJSON_Delete(pod);
	}
}
END_TEST

START_TEST(test_pod_has_initialized)
{
	static const struct {
		const char *st;
		bool want;
	} rows[] = {{"", false}, {"A:W", false}, {"A:L1", true}, {"A:R", true}, {"A:S", true}};
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct phase_row r = {.policy = "Always",
				      .init = "",
				      .containers = "A",
				      .init_st = "",
				      .st = rows[i].st};
		cJSON *pod = phase_pod(&r);
		ck_assert_msg(kphase_has_initialized(pod) == rows[i].want, "row %zu", i);
		cJSON_Delete(pod);
	}
}
END_TEST

/* --- backoff_test.go ---------------------------------------------------------- */

#define SEC 1000

START_TEST(test_slow_backoff)
{
	/* step 1 s, max 50 s: Get before each Next, one step apart. */
	static const int64_t want[] = {0, 1, 2, 4, 8, 16, 32, 50, 50, 50};
	const struct kbackoff_policy p = {.initial_ms = SEC, .max_ms = 50 * SEC};
	struct kbackoff e = {0};
	int64_t now = 1000000;
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		now += SEC;
		ck_assert_msg(e.delay_ms == want[i] * SEC, "step %zu: %lld", i,
			      (long long)e.delay_ms);
		kbackoff_next(&p, &e, now, now);
	}
}
END_TEST

/* Step a 1 s / 5 s back-off to its maximum, as the Reset, HighWaterMark and GC tests do. */
static int64_t to_max(const struct kbackoff_policy *p, struct kbackoff *e, int64_t now)
{
	for (int i = 0; i <= 5; i++) {
		now += SEC;
		kbackoff_next(p, e, now, now);
	}
	return now;
}

START_TEST(test_backoff_reset_highwater_gc)
{
	const struct kbackoff_policy p = {.initial_ms = SEC, .max_ms = 5 * SEC};
	struct kbackoff e = {0};

	/* TestBackoffReset */
	int64_t now = to_max(&p, &e, 1000000);
	ck_assert(kbackoff_in_backoff_since(&p, &e, now, now));
	int64_t last = now;
	now += 2 * p.max_ms + SEC;
	ck_assert(!kbackoff_in_backoff_since(&p, &e, last, now));

	/* TestBackoffHighWaterMark */
	e = (struct kbackoff){0};
	now = to_max(&p, &e, 1000000);
	now += p.max_ms + SEC;
	kbackoff_next(&p, &e, now, now);
	ck_assert_int_eq(e.delay_ms, p.max_ms);

	/* TestBackoffGC */
	e = (struct kbackoff){0};
	now = to_max(&p, &e, 1000000);
	now += p.max_ms + SEC;
	kbackoff_gc(&p, &e, now);
	ck_assert(e.delay_ms != 0);
	now += p.max_ms + SEC;
	kbackoff_gc(&p, &e, now);
	ck_assert(e.delay_ms == 0);
}
END_TEST

START_TEST(test_backoff_decide_kubelet)
{
	/* doBackOff with the kubelet's 10 s / 300 s: 10, 20, 40 s after each exit. */
	const struct kbackoff_policy p = KBACKOFF_KUBELET;
	struct kbackoff e = {0};
	int64_t at, t = 0;
	ck_assert(kbackoff_decide(&p, &e, t, t, &at) && at == t); /* the 1st exit restarts */
	int64_t want[] = {10, 20, 40, 80, 160, 300, 300};
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		int64_t fin = t + 1;
		ck_assert(!kbackoff_decide(&p, &e, fin, fin, &at));
		ck_assert_int_eq(at, fin + want[i] * SEC);
		t = at;
		ck_assert(kbackoff_decide(&p, &e, fin, t, &at) && at == t);
	}
	/* Ran more than 2*max after its last restart: the next crash starts at 10 s again
	 * (hasExpired, seen by Next before any GC). */
	int64_t fin = t + 2 * p.max_ms + 1;
	ck_assert(kbackoff_decide(&p, &e, fin, fin, &at) && at == fin);
	ck_assert_int_eq(e.delay_ms, p.initial_ms);
	e = (struct kbackoff){.delay_ms = p.max_ms, .last_update_ms = t};
	kbackoff_next(&p, &e, fin, t + 1);
	ck_assert_int_eq(e.delay_ms, p.initial_ms);
	e = (struct kbackoff){.delay_ms = p.max_ms, .last_update_ms = t};
	kbackoff_next(&p, &e, fin - 1, t + 1); /* exactly 2*max: not expired */
	ck_assert_int_eq(e.delay_ms, p.max_ms);
	char msg[160];
	kbackoff_message(&e, "app", "web", "default", "u1", msg, sizeof(msg));
	ck_assert_str_eq(msg, "back-off 5m0s restarting failed container=app pod=web_default(u1)");
	kbackoff_event_message("app", "web", "default", "u1", msg, sizeof(msg));
	ck_assert_str_eq(msg, "Back-off restarting failed container app in pod web_default(u1)");
}
END_TEST

static Suite *ports_suite(void)
{
	Suite *s = suite_create("sim_ports");
	TCase *tc = tcase_create("intstr_test.go");
	tcase_add_test(tc, test_scaled_value);
	suite_add_tcase(s, tc);
	tc = tcase_create("deployment_util_test.go");
	tcase_add_test(tc, test_resolve_fenceposts);
	tcase_add_test(tc, test_new_rs_new_replicas);
	tcase_add_test(tc, test_max_unavailable);
	tcase_add_test(tc, test_nonneg_int32_annotation);
	tcase_add_test(tc, test_replicaset_fraction);
	suite_add_tcase(s, tc);
	tc = tcase_create("kubelet_pods_test.go");
	tcase_add_test(tc, test_pod_phase);
	tcase_add_test(tc, test_pod_has_initialized);
	suite_add_tcase(s, tc);
	tc = tcase_create("backoff_test.go");
	tcase_add_test(tc, test_slow_backoff);
	tcase_add_test(tc, test_backoff_reset_highwater_gc);
	tcase_add_test(tc, test_backoff_decide_kubelet);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return test_run_suite(ports_suite());
}
