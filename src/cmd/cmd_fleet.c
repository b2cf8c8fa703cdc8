#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "podscope/informer.h"
#include "podscope/kubeconfig.h"
#include "podscope/loop.h"
#include "podscope/sanitize.h"
#include "podscope/store.h"
#include "podscope/xalloc.h"

#include "cmd_fleet.h"
#include "cmd_print.h"

int cmd_fleet_refuse(struct cli *cli, const char *cmd)
{
	struct perr err = {0};
	char **names = NULL;
	size_t n = kc_fleet_contexts(&cli->kc, cli->contexts, cli->all_contexts, &names, &err);
	kc_free_names(names);
	if (perr_msg(&err) && *perr_msg(&err)) {
		cmd_printf(stderr, "podscope %s: %s\n", cmd, perr_msg(&err));
		int rc = perr_exit_status(&err);
		perr_clear(&err);
		return rc ? rc : 2;
	}
	if (n == 0)
		return 0;
	fprintf(stderr,
		"podscope %s: works on one context; --context a,b,c, --contexts and "
		"--all-contexts are for get, wait and watch (give one --context)\n",
		cmd);
	return 2;
}

static void restore(struct cmd_capture *c)
{
	fflush(stdout);
	if (c->mout)
		fclose(c->mout);
	fclose(c->merr);
	stdout = c->out;
	stderr = c->err;
}

int cmd_fleet_open(struct cmd_fleet *f, struct cli *cli, const char *cmd, unsigned kinds,
		   bool one_shot)
{
	memset(f, 0, sizeof(*f));
	f->cmd = cmd;
	struct perr err = {0};
	char **names = NULL;
	size_t n = kc_fleet_contexts(&cli->kc, cli->contexts, cli->all_contexts, &names, &err);
	if (!names) {
		if (!perr_msg(&err) || !*perr_msg(&err))
			return 0; /* one context */
		cmd_printf(stderr, "podscope %s: %s\n", cmd, perr_msg(&err));
		int rc = perr_exit_status(&err);
		perr_clear(&err);
		return rc ? rc : 2;
	}
	f->loop = ploop_new();
	f->m = xcalloc(n, sizeof(*f->m));
	f->n = n;
	int first_rc = 0;
	for (size_t i = 0; i < n; i++) {
		struct cmd_fleet_member *m = &f->m[i];
		m->context = xstrdup(names[i]);
		m->shown = sanitize_dup(names[i]);
		size_t len = strlen(cmd) + strlen(m->shown) + 3;
		m->label = xmalloc(len);
		snprintf(m->label, len, "%s: %s", cmd, m->shown);
		int w = (int)sanitize_width(m->shown, SANITIZE_COL_MAX);
		if (w > f->width)
			f->width = w;
		/* Its own message (a broken kubeconfig entry) is kept as why. */
		struct cmd_capture cap;
		cmd_capture_begin(&cap);
		int rc = cmd_session_open_on(&m->ses, cli, m->label, kinds, one_shot, f->loop,
					     m->context);
		restore(&cap);
		free(cap.bout);
		if (rc) {
			char *why = cap.berr ? cap.berr : xstrdup("");
			size_t skip = strlen("podscope ") + strlen(m->label) + 2;
			size_t wl = strlen(why);
			while (wl && why[wl - 1] == '\n')
				why[--wl] = '\0';
			cmd_fleet_fail(f, i, wl > skip ? why + skip : why);
			free(why);
			if (!first_rc)
				first_rc = rc;
			continue;
		}
		free(cap.berr);
		m->live = true;
	}
	kc_free_names(names);
	if (f->n_failed == f->n) {
		cmd_fleet_close(f);
		return first_rc;
	}
	return 0;
}

void cmd_fleet_fail(struct cmd_fleet *f, size_t i, const char *why)
{
	struct cmd_fleet_member *m = &f->m[i];
	cmd_printf(stderr, "podscope %s: %s: %s\n", f->cmd, m->shown, why);
	/* why may be the session's own text: kept before it goes. */
	free(m->why);
	m->why = xstrdup(why);
	if (m->live)
		cmd_session_close(&m->ses);
	m->live = false;
	m->failed = true;
	f->n_failed++;
}

/* Pages and synced kinds so far: a member that adds none for
 * CMD_FLEET_STALL_MS has stopped answering. */
static uint64_t progress_of(const struct cmd_session *s)
{
	uint64_t p = 0;
	for (int k = 0; k < STORE_NKINDS; k++) {
		const struct informer_status *st = informer_set_status(s->inf, (enum store_kind)k);
		if (!st)
			continue;
		p += store_kind_generation(s->store, (enum store_kind)k) + st->synced + st->errors;
	}
	return p;
}

size_t cmd_fleet_sync(struct cmd_fleet *f, int64_t deadline_ms)
{
	int64_t now = ploop_now_ms();
	for (size_t i = 0; i < f->n; i++)
		if (f->m[i].live) {
			informer_set_start(f->m[i].ses.inf);
			f->m[i].progress_ms = now;
		}
	for (;;) {
		size_t going = 0, live = 0;
		now = ploop_now_ms();
		for (size_t i = 0; i < f->n; i++) {
			struct cmd_fleet_member *m = &f->m[i];
			if (!m->live || m->synced) {
				live += m->live;
				continue;
			}
			const char *why;
			int st = cmd_session_poll(&m->ses, &why);
			if (st > 0) {
				cmd_fleet_fail(f, i, why);
				continue;
			}
			live++;
			if (st == 0) {
				m->synced = true;
				cmd_session_note_refused(&m->ses);
				continue;
			}
			uint64_t p = progress_of(&m->ses);
			if (p != m->progress) {
				m->progress = p;
				m->progress_ms = now;
			}
			if (now - m->progress_ms >= CMD_FLEET_STALL_MS) {
				char why2[96];
				snprintf(why2, sizeof(why2), "no answer from its API server for %d s",
					 CMD_FLEET_STALL_MS / 1000);
				cmd_fleet_fail(f, i, why2);
				live--;
				continue;
			}
			if (deadline_ms && now >= deadline_ms) {
				cmd_fleet_fail(f, i, "timed out listing");
				f->n_timed_out++;
				live--;
				continue;
			}
			going++;
		}
		if (!going)
			return live;
		int wait = 1000;
		if (deadline_ms && deadline_ms - now < wait)
			wait = deadline_ms - now > 0 ? (int)(deadline_ms - now) : 0;
		ploop_run_once(f->loop, wait);
	}
}

void cmd_fleet_close(struct cmd_fleet *f)
{
	for (size_t i = 0; i < f->n; i++) {
		struct cmd_fleet_member *m = &f->m[i];
		if (m->live)
			cmd_session_close(&m->ses);
		free(m->context);
		free(m->shown);
		free(m->label);
		free(m->why);
	}
	free(f->m);
	if (f->loop)
		ploop_free(f->loop);
	memset(f, 0, sizeof(*f));
}

/* out: where stdout goes meanwhile, NULL for memory. */
static void capture_begin(struct cmd_capture *c, FILE *out)
{
	memset(c, 0, sizeof(*c));
	fflush(stdout);
	fflush(stderr);
	c->out = stdout;
	c->err = stderr;
	c->mout = out ? NULL : open_memstream(&c->bout, &c->lout);
	c->merr = open_memstream(&c->berr, &c->lerr);
	if ((!out && !c->mout) || !c->merr) {
		fprintf(stderr, "podscope: out of memory\n");
		exit(1);
	}
	stdout = out ? out : c->mout;
	stderr = c->merr;
}

void cmd_capture_begin(struct cmd_capture *c)
{
	capture_begin(c, NULL);
}

void cmd_capture_begin_err(struct cmd_capture *c)
{
	capture_begin(c, stdout);
}

/* Each line of text[0..len) to to, after prefix. */
static void put_lines(FILE *to, const char *text, size_t len, const char *prefix)
{
	size_t i = 0;
	while (i < len) {
		const char *nl = memchr(text + i, '\n', len - i);
		size_t end = nl ? (size_t)(nl - text) + 1 : len;
		fputs(prefix, to);
		fwrite(text + i, 1, end - i, to);
		if (!nl)
			fputc('\n', to);
		i = end;
	}
}

static void put_err_lines(FILE *to, const char *text, size_t len, const char *cmd,
			  const char *ctx)
{
	char head[64];
	snprintf(head, sizeof(head), "podscope %s: ", cmd);
	size_t hl = strlen(head);
	size_t i = 0;
	while (i < len) {
		const char *nl = memchr(text + i, '\n', len - i);
		size_t end = nl ? (size_t)(nl - text) + 1 : len;
		size_t skip = 0;
		if (end - i >= hl && memcmp(text + i, head, hl) == 0) {
			fputs(head, to);
			skip = hl;
		}
		fprintf(to, "%s: ", ctx);
		fwrite(text + i + skip, 1, end - i - skip, to);
		if (!nl)
			fputc('\n', to);
		i = end;
	}
}


char *cmd_capture_take(struct cmd_capture *c, size_t *len, const char *cmd, const char *ctx)
{
	restore(c);
	put_err_lines(stderr, c->berr, c->lerr, cmd, ctx);
	free(c->berr);
	fflush(stderr);
	*len = c->lout;
	return c->bout;
}

void cmd_capture_end_err(struct cmd_capture *c, const char *cmd, const char *ctx)
{
	size_t len;
	free(cmd_capture_take(c, &len, cmd, ctx));
}

void cmd_capture_end(struct cmd_capture *c, const char *out_prefix, const char *cmd,
		     const char *ctx)
{
	size_t len;
	char *text = cmd_capture_take(c, &len, cmd, ctx);
	put_lines(stdout, text, len, out_prefix);
	free(text);
	fflush(stdout);
}
