#include "config.h"

#define _GNU_SOURCE 1 /* memmem */

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>
#include <cjson/cJSON.h>

#include "podscope/recfile.h"
#include "podscope/store.h"
#include "podscope/xalloc.h"
#include "testutil.h"

/* The recording format: what goes in comes out, appends and torn tails
 * lose nothing before them, and no byte pattern crashes the reader. */

/* The fixtures' pods: the "pod" member of each JSON file in tests/fixtures/pods. */
static cJSON *pods[64];
static int n_pods;

static void load_pods(void)
{
	if (n_pods)
		return;
	char dir[512];
	snprintf(dir, sizeof(dir), "%s/tests/fixtures/pods", test_srcdir());
	DIR *d = opendir(dir);
	ck_assert_ptr_nonnull(d);
	for (struct dirent *e; (e = readdir(d)) && n_pods < 64;) {
		size_t n = strlen(e->d_name);
		if (n < 6 || strcmp(e->d_name + n - 5, ".json") != 0)
			continue;
		char path[1024];
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		char *text = test_slurp(path);
		ck_assert_ptr_nonnull(text);
		cJSON *doc = cJSON_Parse(text);
		free(text);
		cJSON *pod = cJSON_DetachItemFromObject(doc, "pod");
		cJSON_Delete(doc);
		if (pod)
			pods[n_pods++] = pod;
	}
	closedir(d);
	ck_assert_int_ge(n_pods, 10);
}

static void free_pods(void)
{
	for (int i = 0; i < n_pods; i++)
		cJSON_Delete(pods[i]);
	n_pods = 0;
}

/* Event i of a made-up session: lists, upserts, deletes, statuses, clock. */
static struct rec_event event_of(int i, int64_t t0)
{
	struct rec_event ev = {.t_ms = t0 + i * 137 - (i % 7 == 3 ? 400 : 0)};
	switch (i % 9) {
	case 0:
		ev.op = REC_LIST_BEGIN;
		ev.kind = STORE_PODS;
		break;
	case 4:
		ev.op = REC_DELETE;
		ev.kind = STORE_PODS;
		ev.object = pods[i % n_pods];
		break;
	case 5:
		ev.op = REC_STATUS;
		ev.kind = STORE_DEPLOYMENTS;
		ev.value = 4;
		ev.text = i % 2 ? "connection refused" : "";
		break;
	case 6:
		ev.op = REC_CLOCK;
		ev.value = -300000 - i;
		break;
	case 8:
		ev.op = REC_LIST_END;
		ev.kind = STORE_PODS;
		break;
	default:
		ev.op = REC_UPSERT;
		ev.kind = STORE_PODS;
		ev.object = pods[(i * 5) % n_pods];
	}
	return ev;
}

static void expect_event(const struct rec_event *got, const struct rec_event *want)
{
	ck_assert_int_eq(got->t_ms, want->t_ms);
	ck_assert_uint_eq(got->op, want->op);
	ck_assert_uint_eq(got->kind, want->kind);
	ck_assert_int_eq(got->value, want->value);
	if (want->op == REC_STATUS)
		ck_assert_str_eq(got->text, want->text);
	if (want->object)
		ck_assert(cJSON_Compare(got->object, want->object, true));
	else
		ck_assert_ptr_null(got->object);
}

static void write_events(struct rec_writer *w, struct buf *out, int from, int to, int64_t t0)
{
	for (int i = from; i < to; i++) {
		struct rec_event ev = event_of(i, t0);
		ck_assert(rec_writer_event(w, &ev, out));
	}
}

/* Reads data to the end: the events read, the damage in *damage. */
static int read_all(const char *data, size_t len, unsigned long *damage)
{
	struct rec_reader *r = rec_reader_new((const uint8_t *)data, len);
	struct rec_event ev;
	int n = 0, rc;
	while ((rc = rec_reader_next(r, &ev, NULL)) == 1)
		n++;
	ck_assert_int_eq(rc, 0);
	if (damage)
		*damage = rec_reader_damage(r);
	rec_reader_free(r);
	return n;
}

START_TEST(test_roundtrip)
{
	load_pods();
	struct rec_writer *w = rec_writer_new("prod-eu");
	struct buf out = BUF_INIT;
	int64_t t0 = 1764930000000;
	write_events(w, &out, 0, 400, t0);
	struct rec_reader *r = rec_reader_new((const uint8_t *)out.data, out.len);
	struct rec_event ev;
	for (int i = 0; i < 400; i++) {
		ck_assert_int_eq(rec_reader_next(r, &ev, NULL), 1);
		struct rec_event want = event_of(i, t0);
		expect_event(&ev, &want);
		ck_assert_str_eq(rec_reader_context(r), "prod-eu");
	}
	ck_assert_int_eq(rec_reader_next(r, &ev, NULL), 0);
	ck_assert_uint_eq(rec_reader_damage(r), 0);
	ck_assert_str_eq(rec_reader_last_damage(r), "");
	rec_reader_free(r);
	rec_writer_free(w);
	buf_free(&out);
	free_pods();
}
END_TEST

/* Watch events of the same pods over and over: each string said once. */
START_TEST(test_compact)
{
	load_pods();
	struct rec_writer *w = rec_writer_new("c");
	struct buf out = BUF_INIT;
	size_t json = 0;
	for (int i = 0; i < 2000; i++) {
		cJSON *p = cJSON_Duplicate(pods[i % n_pods], true);
		char rv[32];
		snprintf(rv, sizeof(rv), "%d", 100000 + i);
		cJSON *meta = cJSON_GetObjectItem(p, "metadata");
		cJSON_DeleteItemFromObject(meta, "resourceVersion");
		cJSON_AddStringToObject(meta, "resourceVersion", rv);
		char *text = cJSON_PrintUnformatted(p);
		json += strlen(text);
		free(text);
		struct rec_event ev = {.t_ms = 1000 + i * 50, .op = REC_UPSERT,
				       .kind = STORE_PODS, .object = p};
		ck_assert(rec_writer_event(w, &ev, &out));
		cJSON_Delete(p);
	}
	printf("recfile: %zu bytes of JSON in %zu bytes (%.1f%%)\n", json, out.len,
	       100.0 * (double)out.len / (double)json);
	ck_assert_uint_lt(out.len * 5, json);
	ck_assert_int_eq(read_all(out.data, out.len, NULL), 2000);
	rec_writer_free(w);
	buf_free(&out);
	free_pods();
}
END_TEST

/* Two runs appended to one file, and a rotation inside the first. */
START_TEST(test_append)
{
	load_pods();
	struct buf out = BUF_INIT;
	struct rec_writer *a = rec_writer_new("prod-eu");
	write_events(a, &out, 0, 50, 1000);
	rec_writer_restart(a);
	write_events(a, &out, 50, 100, 1000);
	rec_writer_free(a);
	struct rec_writer *b = rec_writer_new("staging");
	write_events(b, &out, 0, 30, 900000);
	rec_writer_free(b);

	struct rec_reader *r = rec_reader_new((const uint8_t *)out.data, out.len);
	struct rec_event ev;
	for (int i = 0; i < 130; i++) {
		ck_assert_int_eq(rec_reader_next(r, &ev, NULL), 1);
		struct rec_event want = i < 100 ? event_of(i, 1000) : event_of(i - 100, 900000);
		expect_event(&ev, &want);
		ck_assert_str_eq(rec_reader_context(r), i < 100 ? "prod-eu" : "staging");
	}
	ck_assert_int_eq(rec_reader_next(r, &ev, NULL), 0);
	ck_assert_uint_eq(rec_reader_damage(r), 0);
	rec_reader_free(r);
	buf_free(&out);
	free_pods();
}
END_TEST

/* Segments are numbered and say where their header is; a reader from
 * there reads that segment on its own (replay's jumps). */
START_TEST(test_segment_offset)
{
	load_pods();
	struct buf out = BUF_INIT;
	struct rec_writer *a = rec_writer_new("prod-eu");
	write_events(a, &out, 0, 20, 1000);
	size_t second = out.len;
	rec_writer_restart(a);
	write_events(a, &out, 20, 40, 1000);
	rec_writer_free(a);
	struct rec_reader *r = rec_reader_new((const uint8_t *)out.data, out.len);
	struct rec_event ev;
	for (int i = 0; i < 40; i++) {
		ck_assert_int_eq(rec_reader_next(r, &ev, NULL), 1);
		ck_assert_uint_eq(rec_reader_segment(r), (i < 20 ? 1 : 2));
		ck_assert_uint_eq(rec_reader_segment_offset(r), (i < 20 ? 0 : second));
	}
	rec_reader_free(r);
	r = rec_reader_new((const uint8_t *)out.data + second, out.len - second);
	for (int i = 20; i < 40; i++) {
		ck_assert_int_eq(rec_reader_next(r, &ev, NULL), 1);
		struct rec_event want = event_of(i, 1000);
		expect_event(&ev, &want);
	}
	ck_assert_int_eq(rec_reader_next(r, &ev, NULL), 0);
	ck_assert_uint_eq(rec_reader_damage(r), 0);
	rec_reader_free(r);
	buf_free(&out);
	free_pods();
}
END_TEST

/* A crash mid-write: every cut keeps all events before the torn frame, and
 * a run appended after the torn bytes is read whole. */
START_TEST(test_torn_tail)
{
	load_pods();
	struct buf out = BUF_INIT;
	struct rec_writer *w = rec_writer_new("x");
	write_events(w, &out, 0, 20, 5000);
	size_t before_last = out.len;
	write_events(w, &out, 20, 21, 5000);
	rec_writer_free(w);
	for (size_t cut = before_last; cut < out.len; cut++) {
		unsigned long damage;
		ck_assert_int_eq(read_all(out.data, cut, &damage), 20);
		ck_assert_uint_eq(damage, cut > before_last ? 1 : 0);
	}
	/* Torn, then a new run appended. */
	struct buf f = BUF_INIT;
	buf_add(&f, out.data, before_last + (out.len - before_last) / 2);
	struct rec_writer *again = rec_writer_new("x");
	write_events(again, &f, 0, 10, 9000);
	rec_writer_free(again);
	unsigned long damage;
	ck_assert_int_eq(read_all(f.data, f.len, &damage), 30);
	ck_assert_uint_eq(damage, 1);
	buf_free(&f);
	buf_free(&out);
	free_pods();
}
END_TEST

/* A flipped byte costs the rest of its segment, not the next one, and the
 * reader says where. */
START_TEST(test_corrupt_middle)
{
	load_pods();
	struct buf out = BUF_INIT;
	struct rec_writer *w = rec_writer_new("one");
	write_events(w, &out, 0, 40, 1000);
	size_t seg2 = out.len;
	rec_writer_restart(w);
	write_events(w, &out, 40, 60, 1000);
	rec_writer_free(w);
	size_t at = seg2 / 2;
	out.data[at] ^= 0x55;
	struct rec_reader *r = rec_reader_new((const uint8_t *)out.data, out.len);
	struct rec_event ev;
	int n = 0, last = -1;
	while (rec_reader_next(r, &ev, NULL) == 1) {
		n++;
		if (ev.t_ms == event_of(59, 1000).t_ms)
			last = n;
	}
	ck_assert_int_lt(n, 60);
	ck_assert_int_ge(n, 20);
	ck_assert_int_eq(last, n); /* the second segment whole, to its end */
	ck_assert_uint_eq(rec_reader_damage(r), 1);
	ck_assert_ptr_nonnull(strstr(rec_reader_last_damage(r), "byte "));
	rec_reader_free(r);
	buf_free(&out);
	free_pods();
}
END_TEST

START_TEST(test_not_a_recording)
{
	struct perr err = {0};
	const char *json = "{\"kind\":\"Pod\"}";
	struct rec_reader *r = rec_reader_new((const uint8_t *)json, strlen(json));
	struct rec_event ev;
	ck_assert_int_eq(rec_reader_next(r, &ev, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "not a podscope recording"));
	perr_clear(&err);
	rec_reader_free(r);
	r = rec_reader_new(NULL, 0);
	ck_assert_int_eq(rec_reader_next(r, &ev, NULL), 0);
	rec_reader_free(r);
}
END_TEST

/* Hand-made frames: over-deep nesting, counts past the frame, references
 * past the dictionary, unknown tags and operations. */
static void frame(struct buf *b, const uint8_t *payload, size_t n);

START_TEST(test_hostile_frames)
{
	static const uint8_t magic[8] = {0x89, 'P', 'S', 'R', 'E', 'C', '1', '\n'};
	static const uint8_t header[] = {0x00, 7, 0};
	uint8_t deep[2 + 3 + 2 * 100];
	size_t n = 0;
	deep[n++] = 0, deep[n++] = REC_UPSERT, deep[n++] = STORE_PODS;
	for (int i = 0; i < 100; i++)
		deep[n++] = 8, deep[n++] = 1; /* T_ARR of one */
	static const uint8_t big_count[] = {0, REC_UPSERT, 0, 9, 0xff, 0xff, 0xff, 0xff, 0x0f, 1};
	static const uint8_t bad_ref[] = {0, REC_UPSERT, 0, 6, 5};
	static const uint8_t bad_tag[] = {0, REC_UPSERT, 0, 42};
	static const uint8_t bad_op[] = {0, 99, 0};
	static const uint8_t long_varint[] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
					      0xff, 0xff, 0x01, REC_CLOCK, 0, 0};
	static const uint8_t good[] = {2, REC_CLOCK, 0, 3};
	const struct {
		const uint8_t *p;
		size_t n;
	} cases[] = {{deep, n},
		     {big_count, sizeof(big_count)},
		     {bad_ref, sizeof(bad_ref)},
		     {bad_tag, sizeof(bad_tag)},
		     {bad_op, sizeof(bad_op)},
		     {long_varint, sizeof(long_varint)}};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct buf b = BUF_INIT;
		buf_add(&b, magic, 8);
		frame(&b, header, sizeof(header));
		frame(&b, cases[i].p, cases[i].n);
		buf_add(&b, magic, 8);
		frame(&b, header, sizeof(header));
		frame(&b, good, sizeof(good));
		struct rec_reader *r = rec_reader_new((const uint8_t *)b.data, b.len);
		struct rec_event ev;
		ck_assert_int_eq(rec_reader_next(r, &ev, NULL), 1);
		ck_assert_uint_eq(ev.op, REC_CLOCK);
		ck_assert_int_eq(ev.value, -2);
		ck_assert_int_eq(ev.t_ms, 1);
		ck_assert_int_eq(rec_reader_next(r, &ev, NULL), 0);
		ck_assert_uint_eq(rec_reader_damage(r), 1);
		rec_reader_free(r);
		buf_free(&b);
	}
}
END_TEST

/* Random damage anywhere: the reader ends cleanly every time (ASan and
 * valgrind watch the memory). */
START_TEST(test_mutations)
{
	load_pods();
	struct buf out = BUF_INIT;
	struct rec_writer *w = rec_writer_new("m");
	write_events(w, &out, 0, 60, 1000);
	rec_writer_free(w);
	char *copy = xmalloc(out.len);
	uint32_t seed = 12345;
	for (int round = 0; round < 300; round++) {
		memcpy(copy, out.data, out.len);
		for (int k = 0; k < 1 + round % 8; k++) {
			seed = seed * 1103515245u + 12345u;
			copy[(seed >> 8) % out.len] = (char)(seed >> 24);
		}
		int got = read_all(copy, out.len - (round % 5) * 3, NULL);
		ck_assert_int_le(got, 60);
	}
	free(copy);
	buf_free(&out);
	free_pods();
}
END_TEST

/* A deeper object than the cap is written with null below the cap, and the
 * event still reads back. */
START_TEST(test_writer_caps)
{
	cJSON *root = cJSON_CreateArray(), *cur = root;
	for (int i = 0; i < REC_MAX_DEPTH + 20; i++) {
		cJSON *next = cJSON_CreateArray();
		cJSON_AddItemToArray(cur, next);
		cur = next;
	}
	char name[400];
	memset(name, 'c', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	struct rec_writer *w = rec_writer_new(name);
	struct buf out = BUF_INIT;
	struct rec_event ev = {.t_ms = 5, .op = REC_UPSERT, .kind = STORE_PODS, .object = root};
	ck_assert(rec_writer_event(w, &ev, &out));
	struct rec_reader *r = rec_reader_new((const uint8_t *)out.data, out.len);
	struct rec_event got;
	ck_assert_int_eq(rec_reader_next(r, &got, NULL), 1);
	ck_assert_uint_eq(strlen(rec_reader_context(r)), REC_MAX_CONTEXT);
	int depth = 0;
	for (const cJSON *v = got.object; cJSON_IsArray(v); v = v->child)
		depth++;
	ck_assert_int_eq(depth, REC_MAX_DEPTH);
	rec_reader_free(r);
	rec_writer_free(w);
	buf_free(&out);
	cJSON_Delete(root);
}
END_TEST

/* A lean writer leaves out what the store never reads and what may hold a
 * password, there and only there. */
START_TEST(test_lean)
{
	const char *in =
	    "{\"metadata\":{\"name\":\"w\",\"managedFields\":[{\"manager\":\"kubectl\"}],"
	    "\"annotations\":{\"kubectl.kubernetes.io/last-applied-configuration\":\"{PASSWORD}\","
	    "\"a\":\"b\"}},\"spec\":{\"template\":{\"spec\":{\"initContainers\":[{\"name\":"
	    "\"i\",\"env\":[{\"name\":\"P\",\"value\":\"hunter2\"}]}],\"containers\":[{"
	    "\"name\":\"c\",\"image\":\"x\",\"env\":[{\"name\":\"P\",\"value\":\"hunter2\"}],"
	    "\"envFrom\":[{\"secretRef\":{\"name\":\"s\"}}]}]}}},\"status\":{\"env\":1,"
	    "\"managedFields\":2}}";
	const char *want =
	    "{\"metadata\":{\"name\":\"w\",\"annotations\":{\"a\":\"b\"}},\"spec\":{"
	    "\"template\":{\"spec\":{\"initContainers\":[{\"name\":\"i\"}],\"containers\":[{"
	    "\"name\":\"c\",\"image\":\"x\"}]}}},\"status\":{\"env\":1,\"managedFields\":2}}";
	cJSON *obj = cJSON_Parse(in), *exp = cJSON_Parse(want);
	for (int lean = 0; lean < 2; lean++) {
		struct rec_writer *w = rec_writer_new("l");
		rec_writer_set_lean(w, lean);
		struct buf out = BUF_INIT;
		struct rec_event ev = {.t_ms = 1, .op = REC_UPSERT, .kind = STORE_DEPLOYMENTS,
				       .object = obj};
		ck_assert(rec_writer_event(w, &ev, &out));
		ck_assert_int_eq(!memmem(out.data, out.len, "hunter2", 7), lean);
		struct rec_reader *r = rec_reader_new((const uint8_t *)out.data, out.len);
		struct rec_event got;
		ck_assert_int_eq(rec_reader_next(r, &got, NULL), 1);
		ck_assert(cJSON_Compare(got.object, lean ? exp : obj, true));
		rec_reader_free(r);
		rec_writer_free(w);
		buf_free(&out);
	}
	cJSON_Delete(obj);
	cJSON_Delete(exp);
}
END_TEST

static void frame(struct buf *b, const uint8_t *payload, size_t n)
{
	/* The CRC is recomputed here from the definition (IEEE 802.3,
	 * reflected), not taken from the code under test. */
	uint32_t c = 0xffffffffu;
	for (size_t i = 0; i < n; i++) {
		c ^= payload[i];
		for (int k = 0; k < 8; k++)
			c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
	}
	c ^= 0xffffffffu;
	ck_assert_uint_lt(n, 1u << 14);
	uint8_t head[6] = {(uint8_t)(n | 0x80), (uint8_t)(n >> 7), (uint8_t)c, (uint8_t)(c >> 8),
			   (uint8_t)(c >> 16), (uint8_t)(c >> 24)};
	buf_add(b, head, 6);
	buf_add(b, payload, n);
}

int main(void)
{
	Suite *s = suite_create("recfile");
	TCase *tc = tcase_create("recfile");
	tcase_add_test(tc, test_roundtrip);
	tcase_add_test(tc, test_compact);
	tcase_add_test(tc, test_append);
	tcase_add_test(tc, test_segment_offset);
	tcase_add_test(tc, test_torn_tail);
	tcase_add_test(tc, test_corrupt_middle);
	tcase_add_test(tc, test_not_a_recording);
	tcase_add_test(tc, test_hostile_frames);
	tcase_add_test(tc, test_mutations);
	tcase_add_test(tc, test_writer_caps);
	tcase_add_test(tc, test_lean);
	tcase_set_timeout(tc, 120);
	suite_add_tcase(s, tc);
	return test_run_suite(s);
}
