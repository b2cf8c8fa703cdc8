#include "config.h"

#include <errno.h>
#include <signal.h>
#include <limits.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include <curses.h>
#include <term.h>

#include "glyphs.h"
#include "ui_int.h"
#include "uifile.h"

static attr_t role_attrs[ROLE_COUNT];
static SCREEN *scr;
/* No-display mode: curses writes here (/dev/null) and reads nothing. */
static FILE *nd_out, *nd_in;

static attr_t curses_attrs(unsigned a)
{
	attr_t r = 0;
	if (a & THEME_BOLD)
		r |= A_BOLD;
	if (a & THEME_DIM)
		r |= A_DIM;
	if (a & THEME_UNDERLINE)
		r |= A_UNDERLINE;
	if (a & THEME_REVERSE)
		r |= A_REVERSE;
	if (a & THEME_ITALIC)
		r |= A_ITALIC;
	if (a & THEME_BLINK)
		r |= A_BLINK;
	return r;
}

/* A crash must not leave the terminal in raw mode with the alternate screen
 * on: give it back, then die of the same signal. endwin() is not
 * async-signal-safe, but the process is lost anyway (htop does the same). */
static void on_crash(int signo)
{
	endwin();
	raise(signo);
}

/* Only where nothing else (a sanitizer, a debugger's runtime) took the signal. */
static void catch_crashes(void)
{
	static const int sigs[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		struct sigaction old;
		if (sigaction(sigs[i], NULL, &old) != 0 || old.sa_handler != SIG_DFL ||
		    (old.sa_flags & SA_SIGINFO))
			continue;
		struct sigaction sa;
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_crash;
		sa.sa_flags = (int)SA_RESETHAND;
		sigemptyset(&sa.sa_mask);
		sigaction(sigs[i], &sa, NULL);
	}
}

bool screen_no_display(int *cols, int *rows)
{
	const char *s = getenv("PODSCOPE_NO_DISPLAY");
	if (!s || !*s)
		return false;
	char *end;
	long c = strtol(s, &end, 10);
	if (*end != 'x' || c < SCREEN_NODISPLAY_MIN || c > SCREEN_NODISPLAY_MAX)
		return *cols = *rows = 0, true;
	long r = strtol(end + 1, &end, 10);
	if (*end || r < SCREEN_NODISPLAY_MIN || r > SCREEN_NODISPLAY_MAX)
		return *cols = *rows = 0, true;
	*cols = (int)c;
	*rows = (int)r;
	return true;
}

/* The same curses screen as on a terminal, of a size given, drawn into
 * /dev/null: every view draws through the same code, and the screen can
 * still be read back (screen_save, screen_find). ncurses takes the size
 * from LINES and COLUMNS when the output is not a terminal. */
static SCREEN *no_display_term(int cols, int rows)
{
	char buf[16];
	snprintf(buf, sizeof(buf), "%d", rows);
	setenv("LINES", buf, 1);
	snprintf(buf, sizeof(buf), "%d", cols);
	setenv("COLUMNS", buf, 1);
	nd_out = fopen("/dev/null", "w");
	nd_in = fopen("/dev/null", "r");
	const char *term = getenv("TERM");
	SCREEN *s = nd_out && nd_in ? newterm(term && *term ? term : "xterm", nd_out, nd_in) : NULL;
	if (s) {
		set_term(s);
		resizeterm(rows, cols);
		return s;
	}
	if (nd_out)
		fclose(nd_out);
	if (nd_in)
		fclose(nd_in);
	nd_out = nd_in = NULL;
	return NULL;
}

bool screen_start(struct ui *ui)
{
	int cols = 0, rows = 0;
	if (screen_no_display(&cols, &rows))
		scr = cols > 0 ? no_display_term(cols, rows) : NULL;
	else
		scr = newterm(NULL, stdout, stdin);
	if (!scr)
		return false;
	set_term(scr);
	ui->curses_on = true;
	catch_crashes();
	cbreak();
	noecho();
	nonl();
	intrflush(stdscr, FALSE);
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	/* The cursor is hidden: moving it home after every frame costs bytes
	 * and shows nothing. */
	leaveok(stdscr, TRUE);
	/* Presses, not clicks: curses would otherwise wait to tell a click
	 * from a double click, and we want no waiting in input. */
	mouseinterval(0);
	mousemask(BUTTON1_PRESSED | BUTTON4_PRESSED | BUTTON5_PRESSED, NULL);
	const char *nc = getenv("NO_COLOR");
	/* Low bandwidth from the start: the terminal's own colours, so no
	 * colour set-up is sent either. */
	ui->color = has_colors() && !(nc && *nc) && !ui->lowbw;
	if (ui->color) {
		start_color();
		use_default_colors();
	}
	getmaxyx(stdscr, ui->rows, ui->cols);
	screen_apply_theme(ui);
	return true;
}

void screen_stop(void)
{
	if (!scr)
		return;
	endwin();
	delscreen(scr);
	scr = NULL;
	if (nd_out)
		fclose(nd_out);
	if (nd_in)
		fclose(nd_in);
	nd_out = nd_in = NULL;
}

/* Colours the terminal can show: direct colour counts as 1 << 24. */
static int color_depth(void)
{
	int rgb = tigetflag("RGB");
	if (rgb > 0 || COLORS >= (1 << 24))
		return 1 << 24;
	return COLORS;
}

/* Low bandwidth: the terminal's own colours, reverse video for the
 * selection and bold for what failed. Every change of attributes between
 * two cells costs an escape sequence on the wire (about 8 bytes), and a
 * coloured background makes blanks cost as much as text. */
static attr_t lowbw_attrs(enum theme_role r)
{
	switch (r) {
	case ROLE_SELECTED:
		return A_REVERSE;
	case ROLE_ERROR:
	case ROLE_WARNING:
	case ROLE_BANNER:
	case ROLE_BADGE_FAILED:
	case ROLE_BADGE_STALLED:
	case ROLE_POD_CRASH:
	case ROLE_POD_FAILED:
	case ROLE_GAUGE_OVER:
		return A_BOLD;
	default:
		return A_NORMAL;
	}
}

void screen_apply_theme(struct ui *ui)
{
	int depth = ui->color ? color_depth() : 0;
	for (int r = 0; r < ROLE_COUNT; r++) {
		const struct theme_style *st = &ui->theme.roles[r];
		if (ui->lowbw) {
			role_attrs[r] = lowbw_attrs((enum theme_role)r);
			continue;
		}
		if (!ui->color || COLOR_PAIRS <= ROLE_COUNT) {
			role_attrs[r] =
			    curses_attrs(st->attrs | theme_mono_attrs((enum theme_role)r));
			continue;
		}
		unsigned fa = 0, ba = 0;
		int fg = theme_color_resolve(&st->fg, depth, &fa);
		int bg = theme_color_resolve(&st->bg, depth, &ba);
		init_extended_pair(r + 1, fg, bg);
		role_attrs[r] = COLOR_PAIR(r + 1) | curses_attrs(st->attrs | fa);
	}
	bkgdset(' ' | role_attrs[ROLE_NORMAL]);
}

unsigned long screen_attr(enum theme_role r)
{
	return (unsigned)r < ROLE_COUNT ? role_attrs[r] : A_NORMAL;
}

/* Row y of the screen as UTF-8 into line (room for cols * MB_LEN_MAX + 2
 * bytes), trailing blanks dropped; returns its length. */
static size_t row_text(int y, int cols, char *line)
{
	size_t len = 0, keep = 0;
	for (int x = 0; x < cols; x++) {
		cchar_t cc;
		wchar_t wch[CCHARW_MAX + 1] = {0};
		attr_t a;
		short pair;
		if (mvin_wch(y, x, &cc) == ERR || getcchar(&cc, wch, &a, &pair, NULL) == ERR)
			wch[0] = L' ';
		mbstate_t ms;
		memset(&ms, 0, sizeof(ms));
		size_t k = wch[0] ? wcrtomb(line + len, wch[0], &ms) : (size_t)-1;
		if (k == (size_t)-1) {
			line[len] = ' ';
			k = 1;
		}
		len += k;
		if (wch[0] && wch[0] != L' ')
			keep = len;
		int w = wcwidth(wch[0]);
		if (w > 1)
			x += w - 1;
	}
	line[keep] = '\0';
	return keep;
}

static char *line_buf(int *rows, int *cols)
{
	getmaxyx(stdscr, *rows, *cols);
	if (*cols < 1 || *cols > 10000)
		*cols = 1;
	return malloc((size_t)*cols * MB_LEN_MAX + 2);
}

bool screen_find(const regex_t *re)
{
	int rows, cols;
	char *line = line_buf(&rows, &cols);
	bool found = false;
	for (int y = 0; line && y < rows && !found; y++) {
		row_text(y, cols, line);
		found = regexec(re, line, 0, NULL, 0) == 0;
	}
	free(line);
	return found;
}

int screen_save(const char *path, char *errbuf, size_t n)
{
	struct perr err = {0};
	struct uifile_out *out = uifile_create(path, &err);
	if (!out) {
		snprintf(errbuf, n, "%s", perr_msg(&err));
		perr_clear(&err);
		return -1;
	}
	FILE *f = uifile_stream(out);
	int rows, cols;
	char *line = line_buf(&rows, &cols);
	if (!line) {
		uifile_abort(out);
		snprintf(errbuf, n, "out of memory");
		return -1;
	}
	for (int y = 0; y < rows; y++) {
		size_t keep = row_text(y, cols, line);
		fwrite(line, 1, keep, f);
		fputc('\n', f);
	}
	free(line);
	if (uifile_commit(out, &err) != 0) {
		snprintf(errbuf, n, "%s", perr_msg(&err));
		perr_clear(&err);
		return -1;
	}
	return 0;
}
