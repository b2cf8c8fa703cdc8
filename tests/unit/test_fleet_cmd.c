#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "cmd_fleet.h"
#include "testutil.h"

/* What one context prints with several contexts (cmd_fleet.h): captured,
 * then each stdout line after its prefix, each stderr line naming the
 * context after "podscope CMD: " or before the line. */

struct streams {
	FILE *out, *err;
	char *bout, *berr;
	size_t lout, lerr;
	FILE *real_out, *real_err;
};

/* stdout and stderr into memory, as the real streams the capture returns to. */
static void streams_begin(struct streams *s)
{
	memset(s, 0, sizeof(*s));
	s->real_out = stdout;
	s->real_err = stderr;
	s->out = open_memstream(&s->bout, &s->lout);
	s->err = open_memstream(&s->berr, &s->lerr);
	ck_assert(s->out && s->err);
	stdout = s->out;
	stderr = s->err;
}

static void streams_end(struct streams *s)
{
	fclose(s->out);
	fclose(s->err);
	stdout = s->real_out;
	stderr = s->real_err;
}

START_TEST(test_capture_prefixes)
{
	struct streams s;
	struct cmd_capture c;
	streams_begin(&s);
	printf("before\n");
	cmd_capture_begin(&c);
	printf("Waiting for deployment \"web\"\n  pod web-1: ready\nno newline at the end");
	fprintf(stderr, "podscope wait: not found\nerror: deployments.apps \"web\" not found\n");
	cmd_capture_end(&c, "prod-us: ", "wait", "prod-us");
	printf("after\n");
	streams_end(&s);
	ck_assert_str_eq(s.bout, "before\n"
				 "prod-us: Waiting for deployment \"web\"\n"
				 "prod-us:   pod web-1: ready\n"
				 "prod-us: no newline at the end\n"
				 "after\n");
	ck_assert_str_eq(s.berr, "podscope wait: prod-us: not found\n"
				 "prod-us: error: deployments.apps \"web\" not found\n");
	free(s.bout);
	free(s.berr);
}
END_TEST

START_TEST(test_capture_take_and_empty)
{
	struct streams s;
	struct cmd_capture c;
	size_t len;
	streams_begin(&s);
	cmd_capture_begin(&c);
	printf("{\"kind\":\"Snapshot\"}\n");
	char *text = cmd_capture_take(&c, &len, "get", "staging");
	ck_assert_uint_eq(len, strlen("{\"kind\":\"Snapshot\"}\n"));
	ck_assert_str_eq(text, "{\"kind\":\"Snapshot\"}\n");
	free(text);
	/* Nothing printed: nothing written, not an empty prefixed line. */
	cmd_capture_begin(&c);
	cmd_capture_end(&c, "staging  ", "get", "staging");
	streams_end(&s);
	ck_assert_uint_eq(s.lout, 0);
	ck_assert_uint_eq(s.lerr, 0);
	free(s.bout);
	free(s.berr);
}
END_TEST

/* Capturing stderr only (get over several contexts): stdout goes straight
 * out, stderr is still captured and named. */
START_TEST(test_capture_err)
{
	struct streams s;
	struct cmd_capture c;
	streams_begin(&s);
	cmd_capture_begin_err(&c);
	printf("line\n");
	fprintf(stderr, "No resources found\n");
	cmd_capture_end_err(&c, "get", "staging");
	streams_end(&s);
	ck_assert_str_eq(s.bout, "line\n");
	ck_assert_str_eq(s.berr, "staging: No resources found\n");
	free(s.bout);
	free(s.berr);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("fleet_cmd");
	TCase *tc = tcase_create("capture");
	tcase_add_test(tc, test_capture_prefixes);
	tcase_add_test(tc, test_capture_take_and_empty);
	tcase_add_test(tc, test_capture_err);
	suite_add_tcase(s, tc);
	return test_run_suite(s);
}
