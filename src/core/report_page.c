#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "podscope/duration.h"
#include "podscope/lifecycle.h"
#include "report_int.h"

/* The page: the chart, the timeline (Warning events, actions, why lines,
 * a bar for every pod) on the chart's time axis, then the tables. */

#define LANE 16 /* pixels of a timeline row */

struct stage_look {
	const char *colour, *word;
};

static struct stage_look stage_look(uint8_t s)
{
	switch (s) {
	case LC_UNSCHEDULED:
		return (struct stage_look){"#cccccc", "not scheduled"};
	case LC_SCHEDULED:
		return (struct stage_look){"#999999", "scheduled"};
	case LC_PULLING:
		return (struct stage_look){"#9467bd", "image pull"};
	case LC_INIT_RUNNING:
	case LC_INIT_WAITING:
		return (struct stage_look){"#c49c94", "init containers"};
	case LC_POST_START:
		return (struct stage_look){"#17becf", "postStart"};
	case LC_STARTING:
	case LC_WAITING_READY:
	case LC_RUNNING:
		return (struct stage_look){"#f2c14e", "probes: not ready yet"};
	case LC_NOT_READY:
		return (struct stage_look){"#ff9896", "probes failing"};
	case LC_READY:
		return (struct stage_look){"#2ca02c", "ready"};
	case LC_TERMINATING:
		return (struct stage_look){"#555555", "terminating"};
	case LC_COMPLETED:
		return (struct stage_look){"#7f7f7f", "completed"};
	case LC_ERROR:
	case LC_CRASH_LOOP:
	case LC_IMAGE_PULL_BACKOFF:
	case LC_EVICTED:
	case LC_INIT_FAILED:
		return (struct stage_look){"#d62728", "failing"};
	default:
		return (struct stage_look){"#eeeeee", "unknown"};
	}
}

static void when(struct buf *b, int64_t t)
{
	char s[40];
	duration_format_rfc3339(t, 1, s, sizeof(s));
	/* milliseconds are enough: 2024-05-01T12:34:56.123Z */
	if (strlen(s) == 27)
		snprintf(s + 23, sizeof(s) - 23, "Z");
	buf_adds(b, s);
}

void rpt_marks(struct buf *b, const struct report *r, const struct rpt_axis *ax, int top,
	       int line_to)
{
	for (size_t i = 0; i < r->nevents; i++) {
		const struct revent *e = &r->events[i];
		int x0 = rpt_x(ax, e->first), x1 = rpt_x(ax, e->last), y = top - 22;
		buf_printf(b,
			   "<g class=\"event\"><line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" "
			   "stroke=\"#d62728\" stroke-width=\"2\"/><path d=\"M%d %dl-5 -8h10z\" "
			   "fill=\"#d62728\"/><title>",
			   x0, y, x1 > x0 ? x1 : x0 + 1, y, x0, y);
		report_html_escape(b, e->reason, 0);
		buf_printf(b, " \xc3\x97%d on ", e->count);
		report_html_escape(b, e->object, 0);
		buf_adds(b, ": ");
		report_html_escape(b, e->message, 0);
		buf_adds(b, "</title></g>");
	}
	for (size_t i = 0; i < r->nactions; i++) {
		const struct raction *a = &r->actions[i];
		int x = rpt_x(ax, a->t), y = top - 8;
		buf_printf(
		    b,
		    "<g class=\"action\"><path d=\"M%d %dl5 5l-5 5l-5 -5z\" fill=\"#1f3f8f\"/>"
		    "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#1f3f8f\" "
		    "stroke-dasharray=\"1 3\"/><title>",
		    x, y - 5, x, y + 5, x, line_to);
		report_html_escape(b, a->what, 0);
		buf_adds(b, " ");
		report_html_escape(b, a->object, 0);
		buf_adds(b, ": ");
		report_html_escape(b, a->outcome, 0);
		buf_adds(b, "</title></g>");
	}
}

static void lane_label(struct buf *b, int y, const char *text, const char *title)
{
	buf_printf(b, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">", RPT_LEFT - 6, y + 11);
	if (title) {
		buf_adds(b, "<title>");
		report_html_escape(b, title, 0);
		buf_adds(b, "</title>");
	}
	report_html_escape(b, text, 28);
	buf_adds(b, "</text>");
}

static void pod_bar(struct buf *b, const struct report *r, const struct rpt_axis *ax,
		    const struct rpod *p, int y)
{
	char title[600];
	snprintf(title, sizeof(title), "%s (revision %lld)", p->name,
		 p->gen >= 0 ? (long long)r->gens[p->gen].revision : 0LL);
	/* the name without the deployment's, which every pod shares */
	const char *shown = p->name;
	size_t nl = strlen(r->name);
	if (strncmp(shown, r->name, nl) == 0 && shown[nl] == '-' && shown[nl + 1])
		shown += nl + 1;
	lane_label(b, y, shown, title);
	buf_printf(b, "<rect x=\"%d\" y=\"%d\" width=\"4\" height=\"%d\" fill=\"%s\"/>",
		   RPT_LEFT - 4, y + 2, LANE - 4,
		   p->gen >= 0 ? rpt_colour_of(r, p->gen) : "#999999");
	for (int i = 0; i < p->nseg; i++) {
		const struct rseg *s = &p->seg[i];
		struct stage_look l = stage_look(s->stage);
		int x0 = rpt_x(ax, s->from), x1 = rpt_x(ax, s->to);
		buf_printf(b,
			   "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"><title>",
			   x0, y + 2, x1 > x0 ? x1 - x0 : 1, LANE - 4, l.colour);
		report_html_escape(b, p->name, 0);
		buf_printf(b, ": %s (%s) ", l.word, lc_stage_name(s->stage));
		when(b, s->from);
		buf_adds(b, " to ");
		when(b, s->to);
		buf_adds(b, "</title></rect>");
	}
	for (int i = 0; i < p->nmarks; i++) {
		int x = rpt_x(ax, p->marks[i]);
		buf_printf(b,
			   "<path d=\"M%d %dl4 7h-8z\" fill=\"#000000\"><title>a container "
			   "restarted</title></path>",
			   x, y + 1);
	}
	if (p->deleted) {
		int x = rpt_x(ax, p->deleted);
		buf_printf(b,
			   "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#000000\" "
			   "stroke-width=\"2\"><title>deletion requested</title></line>",
			   x, y, x, y + LANE);
	}
}

static void lanes(struct buf *b, const struct report *r)
{
	struct rpt_axis ax;
	rpt_axis_init(r, &ax);
	int rows = 2 + (int)r->nwhy + (int)r->npods;
	int top = 10, h = top + rows * LANE + 40;
	buf_printf(b,
		   "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"timeline\" width=\"%d\" "
		   "height=\"%d\" viewBox=\"0 0 %d %d\" style=\"font:11px sans-serif\" "
		   "><defs><pattern id=\"gap2\" width=\"6\" height=\"6\" "
		   "patternUnits=\"userSpaceOnUse\"><path d=\"M0 6L6 0\" stroke=\"#aaaaaa\"/>"
		   "</pattern></defs>",
		   RPT_WIDTH, h, RPT_WIDTH, h);
	rpt_ticks(b, &ax, top, top + rows * LANE);
	int y = top;
	lane_label(b, y, "Warning events", NULL);
	rpt_marks(b, r, &ax, y + 22 + 4, y + 2 * LANE);
	y += LANE;
	lane_label(b, y, "actions", NULL);
	y += LANE;
	for (size_t i = 0; i < r->nwhy; i++, y += LANE) {
		const struct rwhy *w = &r->why[i];
		lane_label(b, y, i ? "" : "why", NULL);
		int x0 = rpt_x(&ax, w->from), x1 = rpt_x(&ax, w->to ? w->to : ax.t1);
		/* the text runs right from its start, or left from the axis's end
		 * when it starts in the right half */
		bool right = x0 > ax.left + ax.width / 2;
		buf_printf(b,
			   "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#fdd0a2\"/>"
			   "<text x=\"%d\" y=\"%d\" text-anchor=\"%s\">",
			   x0, y + 2, x1 > x0 ? x1 - x0 : 1, LANE - 4,
			   right ? ax.left + ax.width : x0 + 2, y + 11, right ? "end" : "start");
		report_html_escape(b, w->line, 160);
		buf_adds(b, "</text>");
	}
	for (size_t i = 0; i < r->npods; i++, y += LANE)
		pod_bar(b, r, &ax, &r->pods[i], y);
	for (size_t i = 0; i < r->ngaps; i++) {
		const struct rgap *g = &r->gaps[i];
		int x0 = rpt_x(&ax, g->from), x1 = rpt_x(&ax, g->to);
		buf_printf(b,
			   "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"url(#gap2)\">"
			   "<title>nothing recorded</title></rect>",
			   x0, top, x1 > x0 ? x1 - x0 : 1, rows * LANE);
	}
	if (r->pods_left_out)
		buf_printf(b, "<text x=\"%d\" y=\"%d\">%zu more pods not drawn</text>", RPT_LEFT,
			   y + 28, r->pods_left_out);
	buf_adds(b, "</svg>\n");
}

static void stage_legend(struct buf *b)
{
	static const uint8_t show[] = {LC_UNSCHEDULED, LC_SCHEDULED, LC_PULLING,   LC_INIT_RUNNING,
				       LC_POST_START,  LC_STARTING,  LC_NOT_READY, LC_READY,
				       LC_TERMINATING, LC_ERROR};
	buf_adds(b, "<p class=\"legend\">");
	for (size_t i = 0; i < sizeof(show); i++) {
		struct stage_look l = stage_look(show[i]);
		buf_printf(b, "<span class=\"sw\" style=\"background:%s\">&#160;</span>%s ",
			   l.colour, l.word);
	}
	buf_adds(b, "<span class=\"sw\" style=\"background:#000\">&#160;</span>restart (triangle), "
		    "deletion (bar)</p>\n");
}

static void th(struct buf *b, const char *cols)
{
	buf_printf(b, "<table><thead><tr>%s</tr></thead><tbody>\n", cols);
}

static void td(struct buf *b, const char *s)
{
	buf_adds(b, "<td>");
	report_html_escape(b, s, 0);
	buf_adds(b, "</td>");
}

static void td_when(struct buf *b, int64_t t)
{
	buf_adds(b, "<td>");
	if (t)
		when(b, t);
	buf_adds(b, "</td>");
}

static void left_out(struct buf *b, size_t n, const char *what)
{
	if (n)
		buf_printf(b,
			   "<p>%zu more %s were left out (at most the first ones are kept).</p>\n",
			   n, what);
}

static void tables(struct buf *b, const struct report *r)
{
	size_t order[REPORT_MAX_GENS];
	rpt_gen_order(r, order);
	buf_adds(b, "<h2>Generations</h2>\n");
	th(b, "<th></th><th>revision</th><th>ReplicaSet</th><th>image</th><th>first seen</th>"
	      "<th>last seen</th>");
	for (size_t oi = 0; oi < r->ngens; oi++) {
		const struct rgen *g = &r->gens[order[oi]];
		buf_printf(b,
			   "<tr><td><span class=\"sw\" style=\"background:%s\">&#160;</span></td>"
			   "<td>%lld</td>",
			   rpt_gen_colour(oi), (long long)g->revision);
		td(b, g->name);
		td(b, g->image);
		td_when(b, g->first_ms);
		td_when(b, g->last_ms);
		buf_adds(b, "</tr>\n");
	}
	buf_adds(b, "</tbody></table>\n<h2>Why-line history</h2>\n");
	if (!r->nwhy)
		buf_adds(b, r->live
				? "<p>Nothing blocks the rollout now (a live report knows only "
				  "the present why line).</p>\n"
				: "<p>Nothing blocked the rollout at any recorded moment.</p>\n");
	else {
		th(b, "<th>from</th><th>to</th><th>why</th>");
		for (size_t i = 0; i < r->nwhy; i++) {
			buf_adds(b, "<tr>");
			td_when(b, r->why[i].from);
			td_when(b, r->why[i].to);
			td(b, r->why[i].line);
			buf_adds(b, "</tr>\n");
		}
		buf_adds(b, "</tbody></table>\n");
	}
	left_out(b, r->why_left_out, "why lines");
	buf_adds(b, "<h2>Warning events</h2>\n");
	if (!r->nevents)
		buf_adds(
		    b, "<p>No Warning events about the deployment, its ReplicaSets or pods.</p>\n");
	else {
		th(b, "<th>first</th><th>last</th><th>count</th><th>object</th><th>reason</th>"
		      "<th>message</th>");
		for (size_t i = 0; i < r->nevents; i++) {
			const struct revent *e = &r->events[i];
			buf_adds(b, "<tr>");
			td_when(b, e->first);
			td_when(b, e->last);
			buf_printf(b, "<td>%d</td>", e->count);
			td(b, e->object);
			td(b, e->reason);
			td(b, e->message);
			buf_adds(b, "</tr>\n");
		}
		buf_adds(b, "</tbody></table>\n");
	}
	left_out(b, r->events_left_out, "Warning events");
	buf_adds(b, "<h2>Actions taken</h2>\n");
	if (!r->nactions)
		buf_adds(b, "<p>No actions in the audit log during this time.</p>\n");
	else {
		th(b, "<th>time</th><th>action</th><th>object</th><th>outcome</th>");
		for (size_t i = 0; i < r->nactions; i++) {
			const struct raction *a = &r->actions[i];
			buf_adds(b, "<tr>");
			td_when(b, a->t);
			td(b, a->what);
			td(b, a->object);
			td(b, a->outcome);
			buf_adds(b, "</tr>\n");
		}
		buf_adds(b, "</tbody></table>\n");
	}
	left_out(b, r->actions_left_out, "actions");
	if (r->ngaps) {
		buf_adds(b, "<h2>Gaps</h2>\n");
		th(b, "<th>from</th><th>to</th><th>what happened</th>");
		for (size_t i = 0; i < r->ngaps; i++) {
			buf_adds(b, "<tr>");
			td_when(b, r->gaps[i].from);
			td_when(b, r->gaps[i].to);
			td(b, r->gaps[i].why);
			buf_adds(b, "</tr>\n");
		}
		buf_adds(b, "</tbody></table>\n");
	}
}

void report_write_html(const struct report *r, struct buf *out)
{
	struct buf *b = out;
	buf_adds(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
		    "<title>podscope report: deployment ");
	report_html_escape(b, r->ns, 0);
	buf_adds(b, "/");
	report_html_escape(b, r->name, 0);
	buf_adds(b,
		 "</title>\n<style>\n"
		 "body{font:13px sans-serif;margin:0;padding:8px 12px;color:#222;background:#fff}\n"
		 "h1{font-size:18px;margin:4px 0}h2{font-size:15px;margin:18px 0 6px}\n"
		 "table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:2px 6px;"
		 "text-align:left;vertical-align:top}\n"
		 ".sw{display:inline-block;width:14px;height:10px;margin:0 3px 0 8px}\n"
		 ".note{background:#fff3cd;padding:4px 8px}svg{display:block}\n"
		 "</style>\n</head>\n<body>\n<h1>Rollout of deployment ");
	report_html_escape(b, r->ns, 0);
	buf_adds(b, "/");
	report_html_escape(b, r->name, 0);
	buf_adds(b, "</h1>\n<p>");
	report_html_escape(b, r->source, 0);
	buf_adds(b, "; ");
	if (r->t0) {
		when(b, r->t0);
		buf_adds(b, " to ");
		when(b, r->t1);
		char span[32];
		duration_human(r->t1 - r->t0, span, sizeof(span));
		buf_printf(b, " (%s, times in UTC); strategy ", span);
		report_html_escape(b, r->strategy, 0);
	} else {
		buf_adds(b, "the deployment was not seen");
	}
	buf_adds(b, ".</p>\n");
	if (r->live)
		buf_adds(b,
			 "<p class=\"note\">A live report is reconstructed from what the API "
			 "still holds (creation times, conditions' transitions, containers' start "
			 "and finish times, events' first and last times): it is coarser than a "
			 "recording, and misses what the API has forgotten.</p>\n");
	if (r->samples_capped)
		buf_printf(b, "<p class=\"note\">Only the first %d changes are charted.</p>\n",
			   REPORT_MAX_SAMPLES);
	buf_adds(b, "<h2>Rolling update</h2>\n");
	rpt_chart(b, r);
	buf_adds(b, "<h2>Timeline</h2>\n");
	stage_legend(b);
	lanes(b, r);
	tables(b, r);
	buf_adds(b, "<p>Made by podscope report.</p>\n</body>\n</html>\n");
}
