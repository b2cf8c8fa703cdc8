#include "config.h"

#include <stdio.h>
#include <string.h>

#include <check.h>
#include <cjson/cJSON.h>

#include "podscope/report.h"
#include "podscope/store.h"

#include "testutil.h"

/* The post-mortem report from a synthetic store sequence: the series per
 * generation, the pods' bars, the Warning events, the why lines, the
 * audit log's actions; the escaping of hostile strings; the caps. */

#define T0 1714564800000LL /* 2024-05-01T12:00:00Z */

static void put(struct store *st, enum store_kind k, const char *json)
{
	cJSON *o = cJSON_Parse(json);
	ck_assert_msg(o != NULL, "bad JSON: %s", json);
	struct perr err = {0};
	ck_assert_int_ge(store_upsert_json(st, k, o, &err), 0);
	cJSON_Delete(o);
}

static void deploy(struct store *st, const char *rev, const char *image, int avail)
{
	char j[2048];
	snprintf(
	    j, sizeof(j),
	    "{\"metadata\":{\"name\":\"web\",\"namespace\":\"shop\",\"uid\":\"d1\","
	    "\"generation\":%s,\"annotations\":{\"deployment.kubernetes.io/revision\":\"%s\"}},"
	    "\"spec\":{\"replicas\":3,\"selector\":{\"matchLabels\":{\"app\":\"web\"}},"
	    "\"strategy\":{\"type\":\"RollingUpdate\",\"rollingUpdate\":{\"maxSurge\":1,"
	    "\"maxUnavailable\":0}},\"template\":{\"spec\":{\"containers\":[{\"name\":\"web\","
	    "\"image\":\"%s\"}]}}},\"status\":{\"observedGeneration\":%s,\"replicas\":3,"
	    "\"availableReplicas\":%d,\"readyReplicas\":%d}}",
	    rev, rev, image, rev, avail, avail);
	put(st, STORE_DEPLOYMENTS, j);
}

static void rs(struct store *st, const char *name, const char *rev, const char *image, int spec,
	       int ready, int avail, const char *owner)
{
	char j[2048];
	snprintf(j, sizeof(j),
		 "{\"metadata\":{\"name\":\"%s\",\"namespace\":\"shop\",\"uid\":\"uid-%s\","
		 "\"annotations\":{\"deployment.kubernetes.io/revision\":\"%s\"},"
		 "\"ownerReferences\":[{\"kind\":\"Deployment\",\"name\":\"%s\",\"uid\":\"%s\","
		 "\"controller\":true}]},\"spec\":{\"replicas\":%d,\"template\":{\"spec\":{"
		 "\"containers\":[{\"name\":\"web\",\"image\":\"%s\"}]}}},\"status\":{"
		 "\"replicas\":%d,\"readyReplicas\":%d,\"availableReplicas\":%d}}",
		 name, name, rev, owner, strcmp(owner, "web") == 0 ? "d1" : "d2", spec, image, spec,
		 ready, avail);
	put(st, STORE_REPLICASETS, j);
}

static void pod(struct store *st, const char *name, const char *rs_name, bool ready)
{
	char j[2048];
	snprintf(
	    j, sizeof(j),
	    "{\"metadata\":{\"name\":\"%s\",\"namespace\":\"shop\",\"uid\":\"uid-%s\","
	    "\"creationTimestamp\":\"2024-05-01T12:00:00Z\",\"ownerReferences\":[{\"kind\":"
	    "\"ReplicaSet\",\"name\":\"%s\",\"uid\":\"uid-%s\",\"controller\":true}]},"
	    "\"spec\":{\"nodeName\":\"n1\",\"containers\":[{\"name\":\"web\",\"image\":\"x\"}]},"
	    "\"status\":{\"phase\":\"Running\",\"conditions\":[{\"type\":\"PodScheduled\","
	    "\"status\":\"True\"},{\"type\":\"Ready\",\"status\":\"%s\"}],"
	    "\"containerStatuses\":[{\"name\":\"web\",\"ready\":%s,\"restartCount\":0,"
	    "\"state\":{\"running\":{\"startedAt\":\"2024-05-01T12:00:01Z\"}}}]}}",
	    name, name, rs_name, rs_name, ready ? "True" : "False", ready ? "true" : "false");
	put(st, STORE_PODS, j);
}

static void warning(struct store *st, const char *name, const char *kind, const char *obj,
		    const char *msg_json)
{
	char j[2048];
	snprintf(j, sizeof(j),
		 "{\"metadata\":{\"name\":\"%s\",\"namespace\":\"shop\",\"uid\":\"ev-%s\"},"
		 "\"involvedObject\":{\"kind\":\"%s\",\"namespace\":\"shop\",\"name\":\"%s\","
		 "\"uid\":\"uid-%s\"},\"type\":\"Warning\",\"reason\":\"BackOff\",\"message\":%s,"
		 "\"count\":4,\"firstTimestamp\":\"2024-05-01T12:00:02Z\",\"lastTimestamp\":"
		 "\"2024-05-01T12:00:03Z\"}",
		 name, name, kind, obj, obj, msg_json);
	put(st, STORE_EVENTS, j);
}

/* The rollout: revision 1 with 3 pods, then revision 2 surging in. */
static struct report *rollout(struct store *st)
{
	struct report *r = report_new("shop", "web");
	report_set_source(r, "test", false);
	report_attach(r, st);
	deploy(st, "1", "web:1", 3);
	rs(st, "web-a", "1", "web:1", 3, 3, 3, "web");
	rs(st, "other-a", "1", "other:1", 2, 2, 2, "other");
	pod(st, "web-a-1", "web-a", true);
	pod(st, "web-a-2", "web-a", true);
	pod(st, "web-a-3", "web-a", true);
	report_sample(r, st, T0 + 1000);
	report_sample(r, st, T0 + 1500); /* nothing changed: no new sample */
	deploy(st, "2", "web:2", 3);
	rs(st, "web-b", "2", "web:2", 1, 0, 0, "web");
	pod(st, "web-b-1", "web-b", false);
	warning(st, "web-b-1.e1", "Pod", "web-b-1",
		"\"<script>alert('x')</script> \\u001b[31mred \\u202e & \\\"q\\\"\"");
	warning(st, "other-a.e1", "ReplicaSet", "other-a", "\"not ours\"");
	report_sample(r, st, T0 + 2000);
	rs(st, "web-b", "2", "web:2", 1, 1, 1, "web");
	rs(st, "web-a", "1", "web:1", 2, 2, 2, "web");
	pod(st, "web-b-1", "web-b", true);
	store_delete(st, STORE_PODS, "shop", "web-a-1");
	report_sample(r, st, T0 + 3000);
	report_detach(r, st);
	report_finish(r, T0 + 4000);
	return r;
}

START_TEST(series)
{
	struct store *st = store_new();
	struct report *r = rollout(st);
	struct report_counts c;
	report_counts(r, &c);
	ck_assert_uint_eq(c.gens, 2);
	ck_assert_uint_eq(c.samples, 3);
	ck_assert_uint_eq(c.pods, 4);
	ck_assert_uint_eq(c.events, 1); /* the other deployment's is not ours */
	int64_t rev;
	ck_assert_str_eq(report_gen_name(r, 0, &rev), "web-a");
	ck_assert_int_eq(rev, 1);
	ck_assert_str_eq(report_gen_name(r, 1, &rev), "web-b");
	ck_assert_int_eq(rev, 2);
	/* web-a: 3/3/3, 3/3/3, 2/2/2; web-b: absent, 1/0/0, 1/1/1 */
	ck_assert_int_eq(report_series(r, 0, 0, 'a'), 3);
	ck_assert_int_eq(report_series(r, 0, 2, 'd'), 2);
	ck_assert_int_eq(report_series(r, 1, 0, 'd'), -1);
	ck_assert_int_eq(report_series(r, 1, 1, 'd'), 1);
	ck_assert_int_eq(report_series(r, 1, 1, 'r'), 0);
	ck_assert_int_eq(report_series(r, 1, 2, 'a'), 1);
	ck_assert_int_eq(report_series(r, 2, 0, 'a'), -1);
	struct buf b = BUF_INIT;
	report_write_html(r, &b);
	ck_assert_ptr_nonnull(strstr(b.data, "<!DOCTYPE html>"));
	ck_assert_ptr_nonnull(strstr(b.data, "revision 2: web-b"));
	ck_assert_ptr_nonnull(strstr(b.data, "web:2"));
	/* the hostile message: escaped, never raw */
	ck_assert_ptr_null(strstr(b.data, "<script"));
	ck_assert_ptr_nonnull(strstr(b.data, "&lt;script&gt;alert(&#39;x&#39;)"));
	ck_assert_ptr_nonnull(strstr(b.data, "\\x1b[31mred \\u202e &amp; &quot;q&quot;"));
	ck_assert_ptr_null(strchr(b.data, 0x1b));
	ck_assert_ptr_null(strstr(b.data, "not ours"));
	ck_assert_ptr_null(strstr(b.data, "url(#gap)"));
	buf_reset(&b);
	/* gaps: overlapping ones are one, its reason escaped */
	report_gap(r, T0 + 2100, T0 + 2500, "pods informer: <refused>");
	report_gap(r, T0 + 2200, T0 + 2700, "deployments informer: x");
	report_gap(r, T0 + 3100, T0 + 3200, "between two runs");
	struct report_counts gc;
	report_counts(r, &gc);
	ck_assert_uint_eq(gc.gaps, 2);
	report_write_html(r, &b);
	ck_assert_ptr_nonnull(strstr(b.data, "fill=\"url(#gap)\""));
	ck_assert_ptr_nonnull(strstr(b.data, "<td>pods informer: &lt;refused&gt;</td>"));
	ck_assert_ptr_null(strstr(b.data, "<refused>"));
	buf_reset(&b);
	report_write_svg(r, &b);
	ck_assert_ptr_nonnull(strstr(b.data, "<?xml"));
	ck_assert_ptr_null(strstr(b.data, "<html"));
	ck_assert_ptr_nonnull(strstr(b.data, "stroke=\"#ff7f0e\""));
	ck_assert_ptr_nonnull(strstr(b.data, "stroke=\"#1f77b4\""));
	buf_free(&b);
	report_free(r);
	store_free(st);
}
END_TEST

static const char *esc(const char *s, size_t max)
{
	static struct buf b = BUF_INIT;
	buf_reset(&b);
	report_html_escape(&b, s, max);
	return b.data ? b.data : "";
}

START_TEST(escaping)
{
	ck_assert_str_eq(esc("<a href='x'>\"&</a>", 0),
			 "&lt;a href=&#39;x&#39;&gt;&quot;&amp;&lt;/a&gt;");
	ck_assert_str_eq(esc("a\x1b[2Jb\x7f", 0), "a\\x1b[2Jb\\x7f");
	ck_assert_str_eq(esc("\xc2\x9b"
			     "1m",
			     0),
			 "\\u009b1m");                          /* C1 CSI */
	ck_assert_str_eq(esc("ok\xff\xfe", 0), "ok\\xff\\xfe"); /* invalid UTF-8 */
	ck_assert_str_eq(esc("\xe2\x80\xae"
			     "evil",
			     0),
			 "\\u202eevil");
	ck_assert_str_eq(esc("caf\xc3\xa9", 0), "caf\xc3\xa9"); /* valid UTF-8 kept */
	ck_assert_str_eq(esc("abcdef", 3), "abc~");
	ck_assert_str_eq(esc(NULL, 0), "");
}
END_TEST

START_TEST(audit)
{
	struct store *st = store_new();
	struct report *r = rollout(st);
	const char log[] = "2024-05-01T12:00:02Z\tctx\tme\trestart\tshop/deploy/web\tok\n"
			   "2024-05-01T12:00:03Z\tctx\tme\tdelete\tshop/pod/web-b-1\tok\n"
			   "2024-05-01T12:00:03Z\tctx\tme\tdelete\tshop/pod/other-1\tok\n"
			   "2024-05-01T12:00:03Z\tctx\tme\tdelete\tprod/pod/web-1\tok\n"
			   "2024-05-01T12:00:03Z\tother\tme\tdelete\tshop/pod/web-a-2\tok\n"
			   "2024-05-01T13:00:00Z\tctx\tme\tscale\tshop/deploy/web\tok\n"
			   "garbage line\n\t\t\t\n"
			   "2024-05-01T12:00:03Z\tctx\tme\tscale\tshop/deploy/web\t<b>x</b>";
	ck_assert_uint_eq(report_audit(r, log, sizeof(log) - 1, "ctx", 0), 3);
	struct report_counts c;
	report_counts(r, &c);
	ck_assert_uint_eq(c.actions, 3);
	struct buf b = BUF_INIT;
	report_write_html(r, &b);
	ck_assert_ptr_nonnull(strstr(b.data, "shop/pod/web-b-1"));
	ck_assert_ptr_nonnull(strstr(b.data, "&lt;b&gt;x&lt;/b&gt;"));
	ck_assert_ptr_null(strstr(b.data, "other-1"));
	buf_free(&b);
	report_free(r);
	store_free(st);
}
END_TEST

START_TEST(caps)
{
	struct store *st = store_new();
	struct report *r = report_new("shop", "web");
	deploy(st, "1", "web:1", 3);
	rs(st, "web-a", "1", "web:1", 600, 600, 600, "web");
	for (int i = 0; i < REPORT_MAX_PODS + 100; i++) {
		char n[32];
		snprintf(n, sizeof(n), "web-a-%d", i);
		pod(st, n, "web-a", true);
	}
	report_sample(r, st, T0);
	report_sample(r, st, T0 + 1);
	report_finish(r, T0 + 2);
	struct report_counts c;
	report_counts(r, &c);
	ck_assert_uint_eq(c.pods, REPORT_MAX_PODS);
	ck_assert_uint_eq(c.pods_left_out, 100);
	struct buf b = BUF_INIT;
	report_write_html(r, &b);
	ck_assert_ptr_nonnull(strstr(b.data, "100 more pods not drawn"));
	ck_assert_uint_lt(b.len, REPORT_MAX_OUTPUT);
	report_free(r);
	store_free(st);
	/* more changes than the cap: the first ones are charted */
	st = store_new();
	r = report_new("shop", "web");
	deploy(st, "1", "web:1", 3);
	for (int i = 1; i <= REPORT_MAX_SAMPLES + 10; i++) {
		rs(st, "web-a", "1", "web:1", 3, i % 2 ? 2 : 3, 3, "web");
		report_sample(r, st, T0 + i);
	}
	report_finish(r, T0 + REPORT_MAX_SAMPLES + 20);
	report_counts(r, &c);
	ck_assert_uint_eq(c.samples, REPORT_MAX_SAMPLES);
	ck_assert(c.samples_capped);
	buf_reset(&b);
	report_write_html(r, &b);
	ck_assert_ptr_nonnull(strstr(b.data, "Only the first 20000 changes are charted"));
	buf_free(&b);
	report_free(r);
	store_free(st);
}
END_TEST

static void event(struct store *st, const char *name, const char *kind, const char *obj,
		  const char *reason, const char *msg, const char *when)
{
	char j[2048];
	snprintf(j, sizeof(j),
		 "{\"metadata\":{\"name\":\"%s\",\"namespace\":\"shop\",\"uid\":\"ev-%s\"},"
		 "\"involvedObject\":{\"kind\":\"%s\",\"namespace\":\"shop\",\"name\":\"%s\"},"
		 "\"type\":\"Normal\",\"reason\":\"%s\",\"message\":\"%s\",\"count\":1,"
		 "\"firstTimestamp\":\"2024-05-01T12:00:%sZ\",\"lastTimestamp\":"
		 "\"2024-05-01T12:00:%sZ\"}",
		 name, name, kind, obj, reason, msg, when, when);
	put(st, STORE_EVENTS, j);
}

static int32_t at(const struct report *r, size_t g, int64_t t, char which)
{
	long i = report_sample_at(r, t);
	return i < 0 ? -9 : report_series(r, g, (size_t)i, which);
}

/* The live report: revision 1's pods are gone (known from events), revision
 * 2's pod exists; the desired counts come from ScalingReplicaSet events. */
START_TEST(live)
{
	struct store *st = store_new();
	deploy(st, "2", "web:2", 1);
	rs(st, "web-a", "1", "web:1", 0, 0, 0, "web");
	rs(st, "web-b", "2", "web:2", 1, 1, 1, "web");
	put(st, STORE_PODS,
	    "{\"metadata\":{\"name\":\"web-b-1\",\"namespace\":\"shop\",\"uid\":\"uid-web-b-1\","
	    "\"creationTimestamp\":\"2024-05-01T12:00:20Z\",\"ownerReferences\":[{\"kind\":"
	    "\"ReplicaSet\",\"name\":\"web-b\",\"uid\":\"uid-web-b\",\"controller\":true}]},"
	    "\"spec\":{\"nodeName\":\"n1\",\"containers\":[{\"name\":\"web\",\"image\":\"x\"}]},"
	    "\"status\":{\"phase\":\"Running\",\"conditions\":[{\"type\":\"PodScheduled\","
	    "\"status\":\"True\",\"lastTransitionTime\":\"2024-05-01T12:00:21Z\"},{\"type\":"
	    "\"Ready\",\"status\":\"True\",\"lastTransitionTime\":\"2024-05-01T12:00:25Z\"}]}}");
	event(st, "s1", "Deployment", "web", "ScalingReplicaSet",
	      "Scaled up replica set web-a to 2", "00");
	event(st, "c1", "ReplicaSet", "web-a", "SuccessfulCreate", "Created pod: web-a-1", "01");
	event(st, "c2", "ReplicaSet", "web-a", "SuccessfulCreate", "Created pod: web-a-2", "01");
	event(st, "p1", "Pod", "web-a-1", "Started", "Started container web", "03");
	event(st, "p2", "Pod", "web-a-2", "Started", "Started container web", "04");
	event(st, "s2", "Deployment", "web", "ScalingReplicaSet",
	      "Scaled up replica set web-b to 1 from 0", "20");
	event(st, "s3", "Deployment", "web", "ScalingReplicaSet",
	      "Scaled down replica set web-a to 0 from 2", "30");
	event(st, "d1", "ReplicaSet", "web-a", "SuccessfulDelete", "Deleted pod: web-a-1", "30");
	event(st, "d2", "ReplicaSet", "web-a", "SuccessfulDelete", "Deleted pod: web-a-2", "30");
	warning(st, "web-a-1.w", "Pod", "web-a-1", "\"gone but warned\"");

	struct report *none = report_new("shop", "nope");
	ck_assert_int_eq(report_live_build(none, st, T0, T0 + 60000), -1);
	report_free(none);

	struct report *r = report_new("shop", "web");
	report_set_source(r, "live", true);
	ck_assert_int_eq(report_live_build(r, st, T0 - 3600000, T0 + 60000), 0);
	struct report_counts c;
	report_counts(r, &c);
	ck_assert_uint_eq(c.gens, 2);
	ck_assert_uint_eq(c.pods, 3);
	ck_assert_uint_eq(c.events, 1);
	size_t a = strcmp(report_gen_name(r, 0, NULL), "web-a") == 0 ? 0 : 1, b = 1 - a;
	/* 12:00:10: revision 1's two pods, ready from their start */
	ck_assert_int_eq(at(r, a, T0 + 10000, 'd'), 2);
	ck_assert_int_eq(at(r, a, T0 + 10000, 'r'), 2);
	ck_assert_int_eq(at(r, a, T0 + 10000, 'a'), 2);
	ck_assert_int_eq(at(r, b, T0 + 10000, 'd'), -1);
	/* 12:00:22: the new pod is there, not ready */
	ck_assert_int_eq(at(r, b, T0 + 22000, 'd'), 1);
	ck_assert_int_eq(at(r, b, T0 + 22000, 'r'), 0);
	/* 12:00:31: the old ones deleted, the new one ready */
	ck_assert_int_eq(at(r, a, T0 + 31000, 'd'), 0);
	ck_assert_int_eq(at(r, a, T0 + 31000, 'r'), 0);
	ck_assert_int_eq(at(r, b, T0 + 31000, 'a'), 1);
	struct buf out = BUF_INIT;
	report_write_html(r, &out);
	ck_assert_ptr_nonnull(strstr(out.data, "A live report is reconstructed"));
	ck_assert_ptr_nonnull(strstr(out.data, "gone but warned"));
	buf_free(&out);
	report_free(r);
	store_free(st);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("report");
	TCase *tc = tcase_create("report");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, series);
	tcase_add_test(tc, escaping);
	tcase_add_test(tc, audit);
	tcase_add_test(tc, caps);
	tcase_add_test(tc, live);
	suite_add_tcase(s, tc);
	return test_run_suite(s);
}
