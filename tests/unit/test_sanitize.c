#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <check.h>
#include <cjson/cJSON.h>

#include "podscope/actions_kube.h"
#include "podscope/buf.h"
#include "podscope/err.h"
#include "podscope/sanitize.h"
#include "podscope/xalloc.h"
#include "testutil.h"

/* The sequences of issue 10, as a hostile termination message carries
 * them, with what each must turn into. */
static const struct {
	const char *in;
	const char *out;
} seqs[] = {
    {"\x1b]0;pwned\x07", "\\x1b]0;pwned\\x07"},                     /* OSC 0: window title */
    {"\x1b]52;c;ZWNobyBoaQ==\x07", "\\x1b]52;c;ZWNobyBoaQ==\\x07"}, /* OSC 52: clipboard */
    {"\x1b]8;;http://evil/\x1b\\x\x1b]8;;\x1b\\",                   /* OSC 8: hyperlink */
     "\\x1b]8;;http://evil/\\x1b\\x\\x1b]8;;\\x1b\\"},
    {"\x1b[2J", "\\x1b[2J"},   /* CSI 2J */
    {"\x1b[6n", "\\x1b[6n"},   /* CSI 6n: answerback */
    {"\x1b[21t", "\\x1b[21t"}, /* CSI 21t: title report */
    {"a\xc2\x9b"
     "2Jb",
     "a\\u009b2Jb"}, /* U+009B: C1 CSI */
    {"a\x9b"
     "2Jb",
     "a\\x9b2Jb"},                                         /* a raw C1 byte */
    {"ok\bX", "ok\\x08X"},                                 /* BS */
    {"line\rfake", "line\\rfake"},                         /* CR */
    {"name\n2026-01-01 Pod x", "name\\n2026-01-01 Pod x"}, /* LF: a forged line */
    {"tab\there", "tab\\there"},
    {"del\x7f", "del\\x7f"},
    {"evil\xe2\x80\xaetxt.exe", "evil\\u202etxt.exe"},             /* RLO */
    {"\xe2\x81\xa6x\xe2\x81\xa9", "\\u2066x\\u2069"},              /* LRI .. PDI */
    {"\xe2\x80\x8e\xe2\x80\x8f\xd8\x9c", "\\u200e\\u200f\\u061c"}, /* LRM RLM ALM */
    {"a\xe2\x80\x8b"
     "b\xe2\x80\x8c"
     "c\xe2\x80\x8d"
     "d\xe2\x81\xa0"
     "e\xef\xbb\xbf",
     "a\\u200bb\\u200cc\\u200dd\\u2060e\\ufeff"}, /* zero-width */
    {"\xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x91\xa9", "\xf0\x9f\x91\xa8\\u200d\xf0\x9f\x91\xa9"},
    {"ls\xe2\x80\xa8ps\xe2\x80\xa9", "ls\\u2028ps\\u2029"},
    {"tag\xf3\xa0\x81\x81", "tag\\U000e0041"},
    {"bad\xff\xfe", "bad\\xff\\xfe"},             /* invalid UTF-8 */
    {"\xc0\x80", "\\xc0\\x80"},                   /* overlong NUL */
    {"\xed\xa0\x80", "\\xed\\xa0\\x80"},          /* a surrogate */
    {"cut\xe2\x82", "cut\\xe2\\x82"},             /* cut short */
    {"\xf4\x90\x80\x80", "\\xf4\\x90\\x80\\x80"}, /* > U+10FFFF */
    {"caf\xc3\xa9 \xe4\xb8\xad\xe6\x96\x87 \xf0\x9f\x98\x80",
     "caf\xc3\xa9 \xe4\xb8\xad\xe6\x96\x87 \xf0\x9f\x98\x80"},
    {"back\\slash \\x1b", "back\\slash \\x1b"},
};

/* No C0 but none at all, no DEL, no C1, no invalid UTF-8, no bidi or
 * zero-width character: what hcheck demands of output. */
static void assert_clean(const char *s)
{
	struct sanitize_unit u;
	for (const char *p = s; *p; p += u.len) {
		sanitize_next(p, 0, &u);
		ck_assert_msg(u.esc[0] == '\0', "\"%s\" still holds %s at byte %zu", s, u.esc,
			      (size_t)(p - s));
	}
}

static char *esc(const char *s)
{
	return sanitize_dup(s);
}

START_TEST(test_sequences)
{
	for (size_t i = 0; i < sizeof(seqs) / sizeof(seqs[0]); i++) {
		char *got = esc(seqs[i].in);
		ck_assert_str_eq(got, seqs[i].out);
		assert_clean(got);
		free(got);
	}
}
END_TEST

START_TEST(test_idempotent)
{
	for (size_t i = 0; i < sizeof(seqs) / sizeof(seqs[0]); i++) {
		char *once = esc(seqs[i].in);
		char *twice = esc(once);
		ck_assert_str_eq(once, twice);
		free(once);
		free(twice);
	}
	/* Random bytes, a few thousand times. */
	unsigned seed = 1;
	char raw[64];
	for (int n = 0; n < 4000; n++) {
		size_t len = 1 + (seed = seed * 1103515245u + 12345u) % 60;
		for (size_t i = 0; i < len; i++) {
			seed = seed * 1103515245u + 12345u;
			raw[i] = (char)(1 + (seed >> 16) % 255);
		}
		raw[len] = '\0';
		char *once = esc(raw);
		char *twice = esc(once);
		assert_clean(once);
		ck_assert_str_eq(once, twice);
		free(once);
		free(twice);
	}
}
END_TEST

START_TEST(test_width)
{
	ck_assert_uint_eq(sanitize_width("abc", SIZE_MAX), 3);
	ck_assert_uint_eq(sanitize_width(NULL, SIZE_MAX), 0);
	ck_assert_uint_eq(sanitize_width("\xe4\xb8\xad\xe6\x96\x87", SIZE_MAX), 4); /* CJK */
	ck_assert_uint_eq(sanitize_width("\xf0\x9f\x98\x80", SIZE_MAX), 2);         /* emoji */
	ck_assert_uint_eq(sanitize_width("e\xcc\x81", SIZE_MAX), 1);                /* e + U+0301 */
	ck_assert_uint_eq(sanitize_width("\x1b[2J", SIZE_MAX), 7);                  /* \x1b[2J */
	ck_assert_uint_eq(sanitize_width("\xe2\x80\xae", SIZE_MAX), 6);             /* \u202e */
	/* A ZWJ family: drawn as man \u200d woman, and measured as drawn. */
	const char *fam = "\xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x91\xa9";
	char *shown = esc(fam);
	ck_assert_uint_eq(sanitize_width(fam, SIZE_MAX), 2 + 6 + 2);
	ck_assert_uint_eq(sanitize_width(shown, SIZE_MAX), 2 + 6 + 2);
	free(shown);
	ck_assert_uint_eq(sanitize_width("abcdef", 4), 4);
	ck_assert_int_eq(sanitize_cp_width(0x4e2d), 2);
	ck_assert_int_eq(sanitize_cp_width(0x301), 0);
	ck_assert_int_eq(sanitize_cp_width(0x41), 1);
	ck_assert_int_eq(sanitize_cp_width(0x1f600), 2);
	ck_assert_int_eq(sanitize_cp_width(0x30000), 2);
}
END_TEST

static char *fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));
static char *fmt(const char *f, ...)
{
	struct buf b = BUF_INIT;
	va_list ap;
	va_start(ap, f);
	sanitize_vprintf(&b, f, ap);
	va_end(ap);
	return buf_steal(&b);
}

#define FMT_EQ(want, ...)                                                                          \
	do {                                                                                       \
		char *got_ = fmt(__VA_ARGS__);                                                     \
		ck_assert_str_eq(got_, want);                                                      \
		free(got_);                                                                        \
	} while (0)

START_TEST(test_printf_columns)
{
	const char *cjk = "\xe4\xb8\xad\xe6\x96\x87"; /* 2 characters, 4 columns */
	FMT_EQ("\xe4\xb8\xad\xe6\x96\x87  |", "%-6s|", cjk);
	FMT_EQ("  \xe4\xb8\xad\xe6\x96\x87|", "%6s|", cjk);
	FMT_EQ("\xe4\xb8\xad\xe6\x96\x87  |", "%-*s|", 6, cjk);
	FMT_EQ("  \xe4\xb8\xad\xe6\x96\x87|", "%*s|", 6, cjk);
	FMT_EQ("\xe4\xb8\xad\xe6\x96\x87  |", "%*s|", -6, cjk);
	FMT_EQ("\xf0\x9f\x98\x80x  |", "%-5s|", "\xf0\x9f\x98\x80x");
	/* Escapes pad by what they show. */
	FMT_EQ("\\x1b[2J |", "%-8s|", "\x1b[2J");
	/* Precision in columns, a cut field ends with ~ and never splits a
	 * character. */
	FMT_EQ("abc~|", "%.4s|", "abcdef");
	FMT_EQ("abcd|", "%.4s|", "abcd");
	FMT_EQ("\xe4\xb8\xad\xe6\x96\x87~|", "%.*s|", 5, "\xe4\xb8\xad\xe6\x96\x87\xe5\xad\x97");
	FMT_EQ("\xe4\xb8\xad~|", "%.*s|", 4, "\xe4\xb8\xad\xe6\x96\x87\xe5\xad\x97");
	FMT_EQ("\xe4\xb8\xad~  |", "%-5.4s|", "\xe4\xb8\xad\xe6\x96\x87\xe5\xad\x97");
	/* An escape is shown whole or not at all. */
	FMT_EQ("~|", "%.4s|", "\x1b[2J");
	FMT_EQ("\\x1b~|", "%.5s|", "\x1b[2J");
	FMT_EQ("|", "%.0s|", "abc");
	const char *volatile none = NULL; /* hidden from the format checker */
	FMT_EQ("[]", "[%s]", none);
	/* The format is ours: copied as it is, newline included. */
	FMT_EQ("a\tb\n", "a\t%s\n", "b");
}
END_TEST

START_TEST(test_printf_cap)
{
	size_t n = 1 << 20;
	char *huge = xmalloc(n + 1);
	memset(huge, 'x', n);
	huge[n] = '\0';
	/* A 1 MB name in a padded column: the column is capped, so is the name. */
	char *got = fmt("%-*s|", (int)n, huge);
	ck_assert_uint_eq(strlen(got), SANITIZE_COL_MAX + 1);
	ck_assert_str_eq(got + SANITIZE_COL_MAX - 1, SANITIZE_CUT "|");
	free(got);
	got = fmt("%-10s|", huge);
	ck_assert_uint_eq(strlen(got), SANITIZE_COL_MAX + 1);
	free(got);
	/* Unpadded, it is cut at the text cap. */
	got = fmt("%s", huge);
	ck_assert_uint_eq(strlen(got), SANITIZE_TEXT_MAX);
	free(got);
	/* Width alone is capped too: no 1 MB of spaces. */
	got = fmt("%*s|", 1 << 20, "a");
	ck_assert_uint_eq(strlen(got), SANITIZE_COL_MAX + 1);
	free(got);
	/* Every escape counts: a megabyte of ESC is cut, still clean. */
	memset(huge, '\x1b', n);
	got = fmt("%s", huge);
	ck_assert_uint_le(strlen(got), SANITIZE_TEXT_MAX);
	assert_clean(got);
	free(got);
	struct buf b = BUF_INIT;
	ck_assert_uint_eq(sanitize_add_cut(&b, huge, 9), 9);
	ck_assert_str_eq(b.data, "\\x1b\\x1b~");
	buf_free(&b);
	free(huge);
}
END_TEST

START_TEST(test_printf_passthrough)
{
	char want[256];
	snprintf(want, sizeof(want), "%d %u %lld %zu %5.2f %c %% %x %-4d| %03d %ld %s", -3, 7u,
		 -1234567890123LL, (size_t)42, 3.14159, 'q', 255u, 9, 5, 77L, "end");
	FMT_EQ(want, "%d %u %lld %zu %5.2f %c %% %x %-4d| %03d %ld %s", -3, 7u, -1234567890123LL,
	       (size_t)42, 3.14159, 'q', 255u, 9, 5, 77L, "end");
	snprintf(want, sizeof(want), "[%*d] [%-*d] [%.*f]", 5, 1, 4, 2, 1, 2.25);
	FMT_EQ(want, "[%*d] [%-*d] [%.*f]", 5, 1, 4, 2, 1, 2.25);
	FMT_EQ("[   -1] x", "[%*d] %s", 5, -1, "x");
}
END_TEST

START_TEST(test_ascii)
{
	struct sanitize_unit u;
	sanitize_next("\xc3\xa9", SANITIZE_ASCII, &u);
	ck_assert_str_eq(u.esc, "\\u00e9");
	ck_assert_int_eq(u.width, 6);
	sanitize_next("\xf0\x9f\x98\x80", SANITIZE_ASCII, &u);
	ck_assert_str_eq(u.esc, "\\U0001f600");
	sanitize_next("\xc3\xa9", 0, &u);
	ck_assert_str_eq(u.esc, "");
	ck_assert_int_eq(u.width, 1);
	ck_assert_uint_eq(u.cp, 0xe9);
	ck_assert_uint_eq(u.len, 2);
}
END_TEST

static char *json(const char *s)
{
	struct buf b = BUF_INIT;
	sanitize_json_string(&b, s);
	return buf_steal(&b);
}

START_TEST(test_json)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
	    {"plain", "\"plain\""},
	    {"q\"b\\", "\"q\\\"b\\\\\""},
	    {"\x1b]0;t\x07\n\r\t\b\f", "\"\\u001b]0;t\\u0007\\n\\r\\t\\b\\f\""},
	    {"del\x7f", "\"del\\u007f\""},
	    {"\xc2\x9b"
	     "6n",
	     "\"\\u009b6n\""},
	    {"\xe2\x80\xae\xe2\x80\x8d\xef\xbb\xbf", "\"\\u202e\\u200d\\ufeff\""},
	    {"\xe2\x80\xa8", "\"\\u2028\""},
	    {"\xf3\xa0\x81\x81", "\"\\udb40\\udc41\""},
	    {"bad\xff\x9b", "\"bad\\ufffd\\ufffd\""},
	    {"caf\xc3\xa9 \xf0\x9f\x98\x80", "\"caf\xc3\xa9 \xf0\x9f\x98\x80\""},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *got = json(cases[i].in);
		ck_assert_str_eq(got, cases[i].out);
		/* Valid JSON, and clean for a terminal as it stands. */
		cJSON *v = cJSON_Parse(got);
		ck_assert_ptr_nonnull(v);
		ck_assert(cJSON_IsString(v));
		cJSON_Delete(v);
		assert_clean(got);
		free(got);
	}
	char *got = json(NULL);
	ck_assert_str_eq(got, "\"\"");
	free(got);
}
END_TEST

START_TEST(test_perr)
{
	struct perr e = {0};
	perr_set(&e, PERR_CONFIG, "context \"%s\" not found", "x\x1b]0;pwned\x07\xe2\x80\xae");
	ck_assert_str_eq(perr_msg(&e), "context \"x\\x1b]0;pwned\\x07\\u202e\" not found");
	perr_prefix(&e, "kubeconfig %s", "/tmp/a\nb");
	ck_assert_str_eq(perr_msg(&e),
			 "kubeconfig /tmp/a\\nb: context \"x\\x1b]0;pwned\\x07\\u202e\" not found");
	perr_clear(&e);
}
END_TEST

START_TEST(test_userinfo)
{
	static const char *const cases[][2] = {
	    {"https://user:pass@host:6443/p?q=a@b", "https://host:6443/p?q=a@b"},
	    {"https://a@b:p@ss@host", "https://host"},
	    {"https://host/x@y", "https://host/x@y"},
	    {"user:pw@host", "host"},
	    {"https://host", "https://host"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *got = sanitize_strip_userinfo(cases[i][0]);
		ck_assert_str_eq(got, cases[i][1]);
		free(got);
	}
	const char *volatile none = NULL;
	char *got = sanitize_strip_userinfo(none);
	ck_assert_str_eq(got, "");
	free(got);
}
END_TEST

/* The audit log records a hostile name escaped: one line, five tabs, no
 * control, C1 or bidi character. */
START_TEST(test_audit)
{
	char dir[] = "/tmp/podscope-audit.XXXXXX";
	ck_assert_ptr_nonnull(mkdtemp(dir));
	setenv("XDG_STATE_HOME", dir, 1);
	struct perr err = {0};
	ck_assert_int_eq(kact_audit_append("ctx\x1b]0;t\x07", "me", "delete",
					   "pod/x\xc2\x9b"
					   "2J\tfake\nline\xe2\x80\xae",
					   "ok\x7f", &err),
			 0);
	char *path = kact_audit_path();
	char *log = test_slurp(path);
	ck_assert_ptr_nonnull(log);
	const char *tab = strchr(log, '\t');
	ck_assert_ptr_nonnull(tab);
	ck_assert_str_eq(tab, "\tctx\\x1b]0;t\\x07\tme\tdelete\tpod/x\\u009b2J\\tfake\\nline\\u202e"
			      "\tok\\x7f\n");
	unlink(path);
	*strrchr(path, '/') = '\0';
	rmdir(path);
	rmdir(dir);
	free(path);
	free(log);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("sanitize");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_sequences);
	tcase_add_test(tc, test_idempotent);
	tcase_add_test(tc, test_width);
	tcase_add_test(tc, test_printf_columns);
	tcase_add_test(tc, test_printf_cap);
	tcase_add_test(tc, test_printf_passthrough);
	tcase_add_test(tc, test_ascii);
	tcase_add_test(tc, test_json);
	tcase_add_test(tc, test_perr);
	tcase_add_test(tc, test_userinfo);
	tcase_add_test(tc, test_audit);
	suite_add_tcase(s, tc);
	return test_run_suite(s);
}
