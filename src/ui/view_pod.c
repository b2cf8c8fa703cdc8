#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "podscope/duration.h"
#include "glyphs.h"
#include "logpane.h"
#include "podscope/lifecycle.h"
#include "podscope/pod_status.h"
#include "podscope/sanitize.h"
#include "podscope/store.h"
#include "podscope/xalloc.h"
#include "pager.h"
#include "stage.h"
#include "ui_int.h"

/*
 * Pod: each container (init containers first, in order) with its state,
 * probes and hooks; the pod's timeline as a waterfall; its events.
 */

struct podview {
	char ns[254];
	char name[254];
	struct pager pg;
	struct logpane *pane; /* the log pane when open (L) */
};

static void *pv_open(struct ui *ui, const char *ns, const char *name)
{
	(void)ui;
	struct podview *v = xcalloc(1, sizeof(*v));
	snprintf(v->ns, sizeof(v->ns), "%s", ns);
	snprintf(v->name, sizeof(v->name), "%s", name);
	return v;
}

static void pv_close(void *st)
{
	struct podview *v = st;
	logpane_free(v->pane);
	free(st);
}

static const char *probe_kind(uint8_t k)
{
	switch (k) {
	case PROBE_HTTP:
		return "http";
	case PROBE_TCP:
		return "tcp";
	case PROBE_EXEC:
		return "exec";
	case PROBE_GRPC:
		return "grpc";
	default:
		return "?";
	}
}

static const char *hook_kind(uint8_t k)
{
	switch (k) {
	case HOOK_HTTP:
		return "http";
	case HOOK_TCP:
		return "tcp";
	case HOOK_EXEC:
		return "exec";
	case HOOK_SLEEP:
		return "sleep";
	default:
		return "?";
	}
}

static void probe_line(struct ui *ui, struct pager *pg, const char *what, const struct probe *p)
{
	if (!p)
		return;
	char port[32] = "";
	if (p->port_name && *p->port_name)
		snprintf(port, sizeof(port), " :%s", p->port_name);
	else if (p->port)
		snprintf(port, sizeof(port), " :%d", p->port);
	int y = pager_row(pg);
	if (y >= 0)
		draw_textf(
		    y, 6, ui->cols - 7, ROLE_DIM,
		    "%s probe %s%s %s  delay %ds period %ds timeout %ds failure %d success %d",
		    what, probe_kind(p->kind), port, p->target ? p->target : "", p->initial_delay_s,
		    p->period_s, p->timeout_s, p->failure_threshold, p->success_threshold);
}

static void hook_line(struct ui *ui, struct pager *pg, const char *what, const struct hook *h)
{
	if (!h)
		return;
	int y = pager_row(pg);
	if (y < 0)
		return;
	if (h->kind == HOOK_SLEEP)
		draw_textf(y, 6, ui->cols - 7, ROLE_DIM, "%s hook: sleep %ds", what, h->port);
	else
		draw_textf(y, 6, ui->cols - 7, ROLE_DIM, "%s hook: %s %s", what, hook_kind(h->kind),
			   h->target ? h->target : "");
}

static const struct container_status *status_of(const struct container_status *st, int n,
						const char *name)
{
	for (int i = 0; i < n; i++)
		if (strcmp(st[i].name, name) == 0)
			return &st[i];
	return NULL;
}

static void state_text(const struct container_status *cs, char *buf, size_t n)
{
	if (!cs) {
		snprintf(buf, n, "no status yet");
		return;
	}
	const struct container_state *s = &cs->state;
	switch (s->kind) {
	case CSTATE_WAITING:
		snprintf(buf, n, "Waiting: %s", *s->reason ? s->reason : "-");
		break;
	case CSTATE_RUNNING:
		snprintf(buf, n, "Running%s", cs->ready ? ", ready" : ", not ready");
		break;
	case CSTATE_TERMINATED:
		snprintf(buf, n, "Terminated: %s, exit code %d", *s->reason ? s->reason : "-",
			 s->exit_code);
		break;
	default:
		snprintf(buf, n, "no state");
		break;
	}
	size_t len = strlen(buf);
	const struct container_state *prev = model_last_terminated(cs);
	if (prev && len + 1 < n)
		snprintf(buf + len, n - len, "  (last: %s, exit code %d)",
			 *prev->reason ? prev->reason : "-", prev->exit_code);
}

/* The lifecycle's view of one container (probe failures), or NULL. */
static const struct lc_container *lc_of(const struct lc_pod *lp, const char *name, bool init)
{
	for (size_t i = 0; i < lp->n_containers; i++)
		if (lp->containers[i].init == init && strcmp(lp->containers[i].name, name) == 0)
			return &lp->containers[i];
	return NULL;
}

static void container(struct ui *ui, struct pager *pg, const struct container_spec *spec,
		      const struct container_status *cs, const struct lc_container *lc,
		      const char *label)
{
	char st[256];
	state_text(cs, st, sizeof(st));
	int y = pager_row(pg);
	enum theme_role r = !cs                                             ? ROLE_DIM
			    : cs->state.kind == CSTATE_RUNNING && cs->ready ? ROLE_OK
			    : cs->state.kind == CSTATE_TERMINATED && cs->state.exit_code == 0
				? ROLE_POD_DONE
			    : cs->state.kind == CSTATE_RUNNING ? ROLE_POD_PROBING
							       : ROLE_WARNING;
	if (cs && cs->state.kind == CSTATE_WAITING &&
	    (strstr(cs->state.reason, "BackOff") || strstr(cs->state.reason, "Err")))
		r = ROLE_ERROR;
	if (y >= 0) {
		int x = 2 + draw_textf(y, 2, ui->cols - 3, ROLE_HEADER, "%s %s", label, spec->name);
		x += draw_textf(y, x, ui->cols - x - 1, ROLE_DIM, "  %s", spec->image);
		draw_textf(y, x, ui->cols - x - 1, ROLE_NORMAL, "  restarts %d",
			   cs ? cs->restart_count : 0);
	}
	if ((y = pager_row(pg)) >= 0)
		draw_text(y, 4, ui->cols - 5, r, st);
	if (cs && cs->state.message && *cs->state.message && (y = pager_row(pg)) >= 0)
		draw_text(y, 6, ui->cols - 7, ROLE_DIM, cs->state.message);
	if (lc && lc->probe_failures > 0 && (y = pager_row(pg)) >= 0)
		draw_textf(y, 6, ui->cols - 7, ROLE_WARNING, "%s probe failed %d of %d: %s",
			   lc_probe_name((enum lc_probe)lc->probe), lc->probe_failures,
			   lc->probe_threshold, lc->message ? lc->message : "");
	probe_line(ui, pg, "startup", spec->startup);
	probe_line(ui, pg, "readiness", spec->readiness);
	probe_line(ui, pg, "liveness", spec->liveness);
	hook_line(ui, pg, "postStart", spec->post_start);
	hook_line(ui, pg, "preStop", spec->pre_stop);
}

/* One waterfall row: a bar from start to end on a scale of [t0, t1]. */
static void step(struct ui *ui, struct pager *pg, const char *what, int64_t start, int64_t end,
		 int64_t t0, int64_t t1, enum theme_role role)
{
	int y = pager_row(pg);
	if (y < 0)
		return;
	char off[DURATION_BUF], dur[DURATION_BUF] = "";
	duration_human(start - t0, off, sizeof(off));
	if (end > start)
		duration_human(end - start, dur, sizeof(dur));
	draw_textf(y, 2, 30, ROLE_NORMAL, "%s", what);
	draw_textf(y, 32, 16, ROLE_DIM, "+%s %s", off, dur);
	int bx = 49, bw = ui->cols - bx - 2;
	if (bw < 4 || t1 <= t0)
		return;
	int a = (int)((start - t0) * bw / (t1 - t0));
	int b = end > start ? (int)((end - t0) * bw / (t1 - t0)) : a;
	if (b <= a)
		b = a + 1;
	for (int i = a; i < b && i < bw; i++)
		draw_text(y, bx + i, 1, role, glyph(GLYPH_BAR_FULL));
}

static enum theme_role step_role(uint8_t kind)
{
	switch (kind) {
	case LC_STEP_PULL:
		return ROLE_POD_PULLING;
	case LC_STEP_INIT:
		return ROLE_POD_INIT;
	case LC_STEP_STARTED:
	case LC_STEP_POST_START:
		return ROLE_POD_STARTING;
	case LC_STEP_READY:
		return ROLE_POD_READY;
	case LC_STEP_DELETED:
		return ROLE_POD_TERMINATING;
	case LC_STEP_FINISHED:
		return ROLE_POD_DONE;
	case LC_STEP_BACKOFF:
		return ROLE_POD_CRASH;
	default:
		return ROLE_POD_PENDING;
	}
}

/* "run 3 web exit 1 Error", "pull web", "back-off web". */
static void step_label(const struct lc_step *s, char *out, size_t n)
{
	const char *c = s->container ? s->container : "";
	if (s->kind != LC_STEP_RUN) {
		snprintf(out, n, "%s%s%.60s", lc_step_name((enum lc_step_kind)s->kind), *c ? " " : "",
			 c);
		return;
	}
	char num[16] = "";
	if (s->run)
		snprintf(num, sizeof(num), " %u", (unsigned)s->run);
	if (s->signal)
		snprintf(out, n, "run%s %.40s signal %d", num, c, (int)s->signal);
	else
		snprintf(out, n, "run%s %.40s exit %d%s%.20s", num, c, (int)s->exit_code,
			 *s->reason ? " " : "", s->reason);
}

static void timeline(struct ui *ui, struct pager *pg, const struct pod *p,
		     const struct event *const *ev, size_t n_ev, int64_t now)
{
	size_t n = lifecycle_timeline_runs(p, ev, n_ev, ui->runs, NULL, 0);
	struct lc_step *steps = xcalloc(n ? n : 1, sizeof(*steps));
	n = lifecycle_timeline_runs(p, ev, n_ev, ui->runs, steps, n);
	int64_t t0 = p->created, t1 = now;
	for (size_t i = 0; i < n; i++) {
		if (steps[i].start_ms && (!t0 || steps[i].start_ms < t0))
			t0 = steps[i].start_ms;
		if (steps[i].end_ms > t1)
			t1 = steps[i].end_ms;
	}
	for (size_t i = 0; i < n; i++) {
		const struct lc_step *s = &steps[i];
		char what[96];
		step_label(s, what, sizeof(what));
		if (!s->start_ms) {
			int y = pager_row(pg);
			if (y >= 0)
				draw_textf(y, 2, ui->cols - 3, ROLE_DIM, "%s (time unknown)", what);
			continue;
		}
		/* A step still under way lasts until now. */
		int64_t end =
		    s->end_ms ? s->end_ms
		    : (!s->done && s->kind != LC_STEP_CREATED && s->kind != LC_STEP_READY &&
		       s->kind != LC_STEP_STARTED && s->kind != LC_STEP_SCHEDULED)
			? now
			: 0;
		enum theme_role role = step_role(s->kind);
		if (s->kind == LC_STEP_RUN)
			role = s->exit_code || s->signal ? ROLE_POD_FAILED : ROLE_POD_DONE;
		step(ui, pg, what, s->start_ms, end, t0, t1, role);
	}
	free(steps);
}

/* The pod's events, newest first. */
static int by_last_desc(const void *a, const void *b)
{
	const struct event *x = *(const struct event *const *)a,
			   *y = *(const struct event *const *)b;
	return x->last < y->last ? 1 : x->last > y->last ? -1 : 0;
}

static void events(struct ui *ui, struct pager *pg, const struct event **ev, size_t n, int64_t now)
{
	if (n > 1)
		qsort(ev, n, sizeof(*ev), by_last_desc);
	int y;
	if (n == 0 && (y = pager_row(pg)) >= 0)
		draw_text(y, 2, ui->cols - 3, ROLE_DIM, "no events");
	for (size_t i = 0; i < n; i++) {
		if ((y = pager_row(pg)) < 0)
			continue;
		char age[DURATION_BUF];
		duration_since(ev[i]->last, now, age, sizeof(age));
		int x = 2 + draw_textf(y, 2, 8, ROLE_DIM, "%s", age);
		x = 10;
		x += draw_textf(y, x, 22, ev[i]->warning ? ROLE_WARNING : ROLE_INFO, "%s ",
				ev[i]->reason);
		x = 32;
		if (ev[i]->count > 1)
			x += draw_textf(y, x, 8, ROLE_DIM, "x%d ", ev[i]->count);
		draw_text(y, x, ui->cols - x - 1, ROLE_NORMAL, ev[i]->message);
	}
}

/* Text over as many lines as it needs, broken at spaces, measured as
 * draw_text shows it (escapes included), never inside a character. */
static void wrap(struct ui *ui, struct pager *pg, int x, enum theme_role role, const char *s)
{
	int w = ui->cols - x - 1;
	while (*s && w > 10) {
		size_t cut = 0, space = 0, used = 0;
		while (s[cut]) {
			struct sanitize_unit u;
			size_t k = sanitize_next(s + cut, 0, &u);
			size_t uw = u.esc[0] ? strlen(u.esc) : (size_t)u.width;
			if (used + uw > (size_t)w)
				break;
			if (s[cut] == ' ')
				space = cut;
			used += uw;
			cut += k;
		}
		if (s[cut] && space > 0)
			cut = space;
		if (cut == 0) /* one escape wider than the line */
			cut = sanitize_next(s, 0, &(struct sanitize_unit){0});
		char line[2048];
		snprintf(line, sizeof(line), "%.*s", (int)(cut < sizeof(line) ? cut : sizeof(line) - 1),
			 s);
		int y = pager_row(pg);
		if (y >= 0)
			draw_text(y, x, w, role, line);
		s += cut;
		while (*s == ' ')
			s++;
	}
}

static void pv_draw(struct ui *ui, void *stp, int top, int height)
{
	struct podview *v = stp;
	const struct pod *p = store_get_pod(ui->store, v->ns, v->name);
	if (!p) {
		draw_textf(top + 1, 2, ui->cols - 4, ROLE_WARNING,
			   "pod %s/%s is gone (Esc goes back)", v->ns, v->name);
		return;
	}
	if (v->pane && height >= 4) {
		/* The pod's page above, the log pane below. */
		int pod_rows = height >= 18 ? height / 3 : 0;
		logpane_draw(ui, v->pane, top + pod_rows, height - pod_rows);
		height = pod_rows;
		if (height == 0)
			return;
	}
	int64_t now = ui_clock(NULL);
	struct pager *pg = &v->pg;
	pager_begin(pg, top, height);
	const struct event *ev[256];
	size_t nev = 0;
	struct store_iter it;
	store_iter_children(&it, ui->store, STORE_EVENTS, p->uid);
	const struct event *e;
	while ((e = store_iter_next(&it)) && nev < 256)
		ev[nev++] = e;
	struct lc_pod lp;
	lifecycle_pod(p, ev, nev, now, &lp);
	struct uistage st;
	uistage_pod(ui->store, p, now, &st);
	struct pod_row row;
	pod_status_row(p, now, &row);
	ui_age(ui, p->created, now, row.age, sizeof(row.age));
	int y = pager_row(pg);
	if (y >= 0) {
		int x = 1 + draw_text(y, 1, 2, st.role, glyph(st.glyph));
		x += draw_textf(y, x + 1, ui->cols - x - 2, ROLE_RS_NEW, "pod/%s", p->name);
		draw_textf(y, x + 2, ui->cols - x - 3, ROLE_NORMAL,
			   "  %s  ready %s  restarts %s  age %s  node %s  ip %s", row.status,
			   row.ready, row.restarts, row.age, row.node, row.ip);
	}
	char why[256];
	snprintf(why, sizeof(why), "%s: %s", st.label, st.why);
	wrap(ui, pg, 3, st.role, why);
	pager_row(pg);
	if ((y = pager_row(pg)) >= 0)
		draw_text(y, 1, ui->cols - 2, ROLE_HEADER, "CONTAINERS");
	for (int i = 0; i < p->n_init_specs; i++) {
		char label[32];
		snprintf(label, sizeof(label), "init %d/%d", i + 1, p->n_init_specs);
		container(ui, pg, &p->init_specs[i],
			  status_of(p->init_statuses, p->n_init_statuses, p->init_specs[i].name),
			  lc_of(&lp, p->init_specs[i].name, true), label);
	}
	for (int i = 0; i < p->n_specs; i++)
		container(ui, pg, &p->specs[i],
			  status_of(p->statuses, p->n_statuses, p->specs[i].name),
			  lc_of(&lp, p->specs[i].name, false), "container");
	pager_row(pg);
	if ((y = pager_row(pg)) >= 0)
		draw_text(y, 1, ui->cols - 2, ROLE_HEADER, "TIMELINE");
	timeline(ui, pg, p, ev, nev, now);
	pager_row(pg);
	if ((y = pager_row(pg)) >= 0)
		draw_text(y, 1, ui->cols - 2, ROLE_HEADER, "EVENTS");
	events(ui, pg, ev, nev, now);
	pager_end(pg);
	lifecycle_pod_free(&lp);
}

static unsigned pv_action(struct ui *ui, void *stp, enum action_id a)
{
	struct podview *v = stp;
	if (a == ACT_DELETE_POD)
		return ui_act_pod(ui, v->ns, v->name);
	if (v->pane && !store_get_pod(ui->store, v->ns, v->name)) {
		/* The pod went (its page says so): its log pane goes with it. */
		logpane_free(v->pane);
		v->pane = NULL;
	}
	if (a == ACT_LOGS || (a == ACT_BACK && v->pane)) {
		if (v->pane) {
			logpane_free(v->pane);
			v->pane = NULL;
		} else {
			v->pane = logpane_new(ui, v->ns, v->name);
		}
		return UI_DRAW;
	}
	if (v->pane)
		return logpane_action(ui, v->pane, a);
	if (!(logpane_closed_action(ui, a) & UI_UNHANDLED))
		return UI_DRAW;
	return pager_action(&v->pg, a);
}

static int64_t pv_next_tick(struct ui *ui, void *stp, int64_t mono)
{
	struct podview *v = stp;
	const struct pod *p = store_get_pod(ui->store, v->ns, v->name);
	if (!p)
		return 0;
	(void)mono;
	int64_t mq, wall = ui_clock(&mq);
	struct uistage st;
	uistage_pod(ui->store, p, wall, &st);
	int64_t next = ui_age_tick(ui, p->created, wall, mq);
	/* The pod shown is the selected object: its countdowns always run. */
	if (st.next_ms)
		next = ui_tick_min(next, ui_tick_align(mq + (st.next_ms - wall)));
	return next;
}

const struct view_ops view_pod = {
    .name = "pod",
    .mask = VIEWMASK_POD,
    .open = pv_open,
    .close = pv_close,
    .draw = pv_draw,
    .action = pv_action,
    .next_tick = pv_next_tick,
    .hint = "{up}/{down} scroll  {logs} logs  {events} events  {back} back",
};
