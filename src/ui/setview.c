#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "glyphs.h"
#include "podscope/eta.h"
#include "podscope/loop.h"
#include "podscope/pod_status.h"
#include "podscope/rollout.h"
#include "setview.h"
#include "stage.h"
#include "ui_int.h"

/* Column offsets inside setview_pod_cells. */
#define C_READY    0
#define C_STATUS   7
#define C_RESTARTS 26
#define C_AGE      37

void setview_cells_head(int y, int x, int w)
{
	static const struct {
		int at;
		const char *t;
	} h[] = {
	    {C_READY, "READY"}, {C_STATUS, "STATUS"}, {C_RESTARTS, "RESTARTS"}, {C_AGE, "AGE"}};
	for (size_t i = 0; i < sizeof(h) / sizeof(h[0]) && h[i].at < w; i++)
		draw_text(y, x + h[i].at, w - h[i].at, ROLE_HEADER, h[i].t);
}

void setview_pod_cells(struct ui *ui, const struct pod *p, const char *note, int y, int x, int w,
		       int64_t now, enum theme_role role)
{
	if (!p) {
		draw_text(y, x + C_READY, w - C_READY, ROLE_DIM, "-");
		if (w > C_STATUS)
			draw_text(y, x + C_STATUS, w - C_STATUS, ROLE_DIM, note);
		return;
	}
	struct pod_row pr;
	pod_status_row(p, now, &pr);
	ui_age(ui, p->created, now, pr.age, sizeof(pr.age));
	draw_text(y, x + C_READY, w - C_READY < 6 ? w - C_READY : 6, role, pr.ready);
	if (w > C_STATUS)
		draw_text(y, x + C_STATUS, (w < C_RESTARTS ? w : C_RESTARTS - 1) - C_STATUS, role,
			  pr.status);
	if (w > C_RESTARTS)
		draw_text(y, x + C_RESTARTS, (w < C_AGE ? w : C_AGE - 1) - C_RESTARTS, role,
			  pr.restarts);
	if (w > C_AGE)
		draw_text(y, x + C_AGE, w - C_AGE, role, pr.age);
}

void setview_pod_glyph(struct ui *ui, const struct pod *p, int y, int x, bool sel, int64_t now,
		       int64_t mono)
{
	if (!p) {
		draw_text(y, x, 1, ROLE_DIM, glyph(GLYPH_PENDING));
		return;
	}
	struct uistage st;
	uistage_pod(ui->store, p, now, &st);
	if (ui_flashing(ui, p->uid, mono) && (mono / 500) % 2)
		draw_text(y, x, 1, ROLE_BANNER, glyph(GLYPH_FLASH));
	else
		draw_text(y, x, 1, sel ? ROLE_SELECTED : st.role, glyph(st.glyph));
}

const char *setview_short_hash(const char *hash)
{
	if (!hash)
		return "";
	const char *dash = strrchr(hash, '-');
	return dash ? dash + 1 : hash;
}

int setview_rev_cell(int y, int x, int w, bool update, int64_t number, const char *hash, bool sel)
{
	enum theme_role r = sel ? ROLE_SELECTED : update ? ROLE_RS_NEW : ROLE_RS_OLD;
	int used = draw_text(y, x, w, r, glyph(update ? GLYPH_REV_NEW : GLYPH_REV_OLD));
	char num[24];
	if (number > 0)
		snprintf(num, sizeof(num), "%lld", (long long)number);
	else
		snprintf(num, sizeof(num), "?");
	used += draw_textf(y, x + used, w - used, r, " %s %s", num, setview_short_hash(hash));
	return used;
}

void setview_status_line(struct ui *ui, int y, int state, const char *msg)
{
	size_t len = strcspn(msg, "\n");
	enum theme_role r = state == ROLLOUT_DONE    ? ROLE_OK
			    : state == ROLLOUT_ERROR ? ROLE_WARNING
						     : ROLE_INFO;
	draw_textf(y, 1, ui->cols - 2, r, "%.*s", (int)len, msg);
}

int64_t setview_pod_tick(struct ui *ui, const struct pod *p, int64_t wall, int64_t mq, int64_t next)
{
	struct uistage st;
	uistage_pod(ui->store, p, wall, &st);
	next = ui_tick_min(next, ui_age_tick(ui, p->created, wall, mq));
	if (st.next_ms)
		next = ui_tick_min(next, ui_tick_align(mq + (st.next_ms - wall)));
	/* "restarts 3 (9s ago)" is an age too. */
	struct pod_row pr;
	pod_status_row(p, wall, &pr);
	if (pr.restart_count > 0 && pr.last_restart > 0)
		next = ui_tick_min(next, ui_tick_align(ui_age_next(pr.last_restart, wall, mq)));
	return next;
}

bool setview_move(enum action_id a, size_t *sel, int rows)
{
	size_t page = rows > 1 ? (size_t)rows - 1 : 1;
	switch (a) {
	case ACT_UP:
		*sel = *sel ? *sel - 1 : 0;
		return true;
	case ACT_DOWN:
		++*sel;
		return true;
	case ACT_PAGE_UP:
		*sel = *sel > page ? *sel - page : 0;
		return true;
	case ACT_PAGE_DOWN:
		*sel += page;
		return true;
	case ACT_FIRST:
		*sel = 0;
		return true;
	case ACT_LAST:
		*sel = SIZE_MAX / 2;
		return true;
	default:
		return false;
	}
}

int ui_draw_eta(struct ui *ui, enum store_kind k, const void *obj, int y, int x, int64_t now)
{
	struct eta e;
	char words[64];
	if (x >= ui->cols - 6)
		return 0;
	eta_store(ui->store, k, obj, now, &e);
	if (e.state == ETA_NONE)
		return 0;
	eta_format(&e, words, sizeof(words));
	return draw_textf(y, x, ui->cols - 1 - x,
			  e.state == ETA_STALLED ? ROLE_WARNING : e.state == ETA_UNKNOWN ? ROLE_DIM
											: ROLE_INFO,
			  "eta %s", words);
}

size_t setview_log_pods(struct ui *ui, void *src, enum logpane_gen g, const struct pod **out,
			size_t max)
{
	const struct setview_logsrc *ls = src;
	const void *obj = store_get(ui->store, ls->kind, ls->ns, ls->name);
	if (!obj)
		return 0;
	const struct workload *w = ls->kind == STORE_STATEFULSETS
				       ? &((const struct statefulset *)obj)->w
				       : &((const struct daemonset *)obj)->w;
	int64_t update = store_update_revision(ui->store, ls->kind, obj);
	struct store_iter it;
	store_iter_children(&it, ui->store, STORE_PODS, w->uid);
	size_t n = 0;
	const struct pod *p;
	while ((p = store_iter_next(&it))) {
		bool is_new = store_pod_revision(ui->store, p) == update;
		if ((g == LOGPANE_GEN_NEW && !is_new) || (g == LOGPANE_GEN_OLD && is_new))
			continue;
		if (n < max)
			out[n] = p;
		n++;
	}
	return n;
}
