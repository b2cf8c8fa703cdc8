#ifndef PODSCOPE_SANITIZE_H
#define PODSCOPE_SANITIZE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct buf;

/*
 * The one sanitiser for text from outside (API objects and errors,
 * kubeconfig, config files, plugin output) on its way to a terminal, a log
 * or a JSON document. Every printer uses it, headless or not, so that no
 * byte from a cluster can move the cursor, set the window title, write the
 * clipboard, ask the terminal to answer, forge a line or reorder text.
 *
 * What is escaped, into visible ASCII:
 *   C0 controls        \t \n \r, else \x00..\x1f ("\x1b")
 *   DEL                \x7f
 *   C1 (U+0080..009F)  \u0080..\u009f ("\u009b")
 *   invalid UTF-8      \xNN for each byte that does not start a valid,
 *                      shortest-form sequence (surrogates included)
 *   bidi controls      U+061C U+200E U+200F U+202A..202E U+2066..2069
 *   invisible format   U+200B..200D U+2060..2064 U+FEFF U+FFF9..FFFB,
 *                      U+2028 U+2029 and the tags U+E0000..E007F:
 *                      \u202e, or \U000e0041 beyond the BMP
 * Everything else is valid, printable UTF-8 and is kept. A backslash is
 * kept as it is, so escaping is idempotent: escaping an escaped string
 * changes nothing (the price: a literal "\x1b" in a name reads like an
 * escape; names from a valid object never hold a backslash).
 *
 * Widths are display columns, with a table built in (Unicode as glibc 2.36
 * knows it), not the locale's wcwidth: headless output must not depend on
 * LANG. An escape takes one column per byte; a zero-width joiner is
 * escaped, so an emoji ZWJ sequence is shown (and measured) as its parts.
 */

/* SANITIZE_ASCII: escape every non-ASCII character too ("\u00e9"), for
 * terminals that do not speak UTF-8. */
#define SANITIZE_ASCII 1u

/* A padded field (one with a width) is never wider than this many columns. */
#define SANITIZE_COL_MAX 256
/* Any other %s field is cut at this many columns. */
#define SANITIZE_TEXT_MAX 16384
/* What ends a field that was cut. */
#define SANITIZE_CUT "~"

/* One unit of input: a character shown as itself (esc empty, cp set) or
 * an escape standing for one character or one invalid byte. */
struct sanitize_unit {
	uint32_t cp;  /* the code point; an invalid byte's value */
	size_t len;   /* input bytes it takes (>= 1) */
	int width;    /* display columns (0 for a combining mark) */
	char esc[12]; /* "" or the escape, NUL-terminated */
};

/* The unit at s (which must not be at its NUL). Returns u->len. */
size_t sanitize_next(const char *s, unsigned flags, struct sanitize_unit *u);

/* Columns a printable code point takes: 0, 1 or 2 (no escapes here). */
int sanitize_cp_width(uint32_t cp);

/* Columns s takes once escaped, counting no further than max (so a huge
 * string costs at most max units). NULL is "". */
size_t sanitize_width(const char *s, size_t max);

/* Append s escaped, whole. NULL is "". */
void sanitize_add(struct buf *b, const char *s);

/* Append s escaped and cut to at most max columns (the last of them
 * SANITIZE_CUT when it was cut). Returns the columns added. */
size_t sanitize_add_cut(struct buf *b, const char *s, size_t max);

/* Where url's user information is: "user:pass@" of "https://user:pass@h/",
 * from *start, *len bytes with the '@'. false when it has none. */
bool sanitize_url_userinfo(const char *url, size_t *start, size_t *len);

/* A copy of url without its user information, not escaped yet
 * ("https://user:pass@host/p" -> "https://host/p"): a password in a server
 * URL must not be shown. NULL is "". Free it. */
char *sanitize_strip_userinfo(const char *url);

/* s escaped, in a new heap string. */
char *sanitize_dup(const char *s);

/*
 * printf into b, where every %s argument is outside text: it is escaped,
 * and its width and precision (%-*s, %.*s, %20s) count display columns,
 * not bytes. A field with a width is capped at SANITIZE_COL_MAX columns
 * (text and padding alike, so a table stays aligned); a field without one
 * at SANITIZE_TEXT_MAX; a precision caps it further. A cut field ends with
 * SANITIZE_CUT. NULL prints as "". The format itself is trusted (it is
 * copied as it is); other conversions are printf's. %n is ignored.
 */
void sanitize_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sanitize_vprintf(struct buf *b, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

/*
 * Append s as a JSON string literal, quotes included, that is safe to print
 * on a terminal: on top of what JSON requires, DEL, C1, the bidi and
 * invisible characters above and U+2028/2029 are written as \u escapes
 * (surrogate pairs beyond the BMP); invalid UTF-8 becomes \ufffd. NULL is "".
 */
void sanitize_json_string(struct buf *b, const char *s);

#endif
