#include "config.h"

#include <stdio.h>
#include <string.h>

#include "podscope/duration.h"
#include "podscope/lifecycle.h"
#include "podscope/sanitize.h"
#include "report_int.h"

/*
 * Writing the report: one time axis shared by the rolling-update chart
 * (report_chart) and the timeline below it (report_html_lanes.c), both
 * inline SVG, then tables. No script, no external asset: the page is one
 * file that any browser shows as it is.
 */

void report_html_escape(struct buf *b, const char *s, size_t max)
{
	if (!s)
		return;
	if (!max)
		max = REPORT_MAX_TEXT;
	size_t used = 0;
	struct sanitize_unit u;
	while (*s && used < max) {
		size_t n = sanitize_next(s, 0, &u);
		if (u.esc[0])
			buf_adds(b, u.esc); /* visible ASCII: \x1b, \u202e, \xff */
		else if (u.cp == '&')
			buf_adds(b, "&amp;");
		else if (u.cp == '<')
			buf_adds(b, "&lt;");
		else if (u.cp == '>')
			buf_adds(b, "&gt;");
		else if (u.cp == '"')
			buf_adds(b, "&quot;");
		else if (u.cp == '\'')
			buf_adds(b, "&#39;");
		else
			buf_add(b, s, n);
		s += n;
		used += n;
	}
	if (*s)
		buf_adds(b, SANITIZE_CUT);
}

/* ---- the time axis ---- */

void rpt_axis_init(const struct report *r, struct rpt_axis *ax)
{
	ax->t0 = r->t0;
	ax->t1 = r->t1 > r->t0 ? r->t1 : r->t0 + 1000;
	ax->left = RPT_LEFT;
	ax->width = RPT_WIDTH - RPT_LEFT - RPT_RIGHT;
}

int rpt_x(const struct rpt_axis *ax, int64_t t)
{
	if (t < ax->t0)
		t = ax->t0;
	if (t > ax->t1)
		t = ax->t1;
	return ax->left + (int)((double)(t - ax->t0) * ax->width / (double)(ax->t1 - ax->t0));
}

void rpt_clock(int64_t t, char *buf, size_t n)
{
	char full[40];
	duration_format_rfc3339(t, 0, full, sizeof(full));
	/* 2024-05-01T12:34:56Z -> 12:34:56 */
	snprintf(buf, n, "%.8s", strlen(full) >= 19 ? full + 11 : full);
}

/* Ticks and their labels along y (from top to bottom) across the plot. */
void rpt_ticks(struct buf *b, const struct rpt_axis *ax, int top, int bottom)
{
	static const int64_t steps[] = {1000,    2000,    5000,     10000,    15000,   30000,
					60000,   120000,  300000,   600000,   900000,  1800000,
					3600000, 7200000, 21600000, 43200000, 86400000};
	int64_t span = ax->t1 - ax->t0, step = steps[sizeof(steps) / sizeof(steps[0]) - 1];
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++)
		if (span / steps[i] <= 10) {
			step = steps[i];
			break;
		}
	int64_t t = (ax->t0 / step + 1) * step;
	buf_adds(b, "<g class=\"ticks\">");
	for (int n = 0; t < ax->t1 && n < 40; t += step, n++) {
		int x = rpt_x(ax, t);
		char c[16];
		rpt_clock(t, c, sizeof(c));
		buf_printf(b,
			   "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#dddddd\"/>"
			   "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>",
			   x, top, x, bottom, x, bottom + 14, c);
	}
	buf_adds(b, "</g>");
}

void rpt_gaps(struct buf *b, const struct report *r, const struct rpt_axis *ax, int top, int height)
{
	for (size_t i = 0; i < r->ngaps; i++) {
		const struct rgap *g = &r->gaps[i];
		int x0 = rpt_x(ax, g->from), x1 = rpt_x(ax, g->to);
		char a[16], c[16];
		rpt_clock(g->from, a, sizeof(a));
		rpt_clock(g->to, c, sizeof(c));
		buf_printf(b,
			   "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"url(#gap)\" "
			   "stroke=\"#999999\"><title>nothing recorded %s to %s: ",
			   x0, top, x1 > x0 ? x1 - x0 : 1, height, a, c);
		report_html_escape(b, g->why, 0);
		buf_adds(b, "</title></rect>");
	}
}

const char *rpt_gen_colour(size_t g)
{
	static const char *const palette[REPORT_MAX_GENS] = {
	    "#1f77b4", "#ff7f0e", "#8c564b", "#e377c2", "#393b79", "#637939",
	    "#843c39", "#7b4173", "#3182bd", "#e6550d", "#31a354", "#756bb1"};
	return palette[g % REPORT_MAX_GENS];
}

/* Generations ordered by revision (then as first seen): order[i] is an index. */
void rpt_gen_order(const struct report *r, size_t *order)
{
	for (size_t i = 0; i < r->ngens; i++)
		order[i] = i;
	for (size_t i = 1; i < r->ngens; i++)
		for (size_t j = i;
		     j > 0 && r->gens[order[j - 1]].revision > r->gens[order[j]].revision; j--) {
			size_t t = order[j];
			order[j] = order[j - 1];
			order[j - 1] = t;
		}
}

/* The colour of generation g: by its place in revision order. */
const char *rpt_colour_of(const struct report *r, int g)
{
	size_t order[REPORT_MAX_GENS];
	rpt_gen_order(r, order);
	for (size_t i = 0; i < r->ngens; i++)
		if ((int)order[i] == g)
			return rpt_gen_colour(i);
	return "#999999";
}

/* ---- the rolling-update chart ---- */

static int32_t sample_val(const struct rsample *s, int g, int k)
{
	if (g < 0)
		return k == 0 ? s->desired : k == 1 ? s->surge_top : s->floor;
	return s->v[g][k];
}

/* A step line of series (g, k): absent values break it. */
static void step_path(struct buf *b, const struct report *r, const struct rpt_axis *ax, int g,
		      int k, int top, int ph, int32_t ymax)
{
	bool pen = false;
	for (size_t i = 0; i < r->nsamples; i++) {
		int32_t v = sample_val(&r->samples[i], g, k);
		int64_t t_end = i + 1 < r->nsamples ? r->samples[i + 1].t : ax->t1;
		int x0 = rpt_x(ax, r->samples[i].t), x1 = rpt_x(ax, t_end);
		if (v < 0) {
			pen = false;
			continue;
		}
		int y = top + ph - (int)((int64_t)v * ph / ymax);
		if (!pen)
			buf_printf(b, "M%d %d", x0, y);
		else
			buf_printf(b, "V%d", y);
		buf_printf(b, "H%d", x1);
		pen = true;
	}
}

/* A band between two step series of the deployment (k_lo, k_hi). */
static void band(struct buf *b, const struct report *r, const struct rpt_axis *ax, int k_lo,
		 int k_hi, int top, int ph, int32_t ymax, const char *fill, const char *title)
{
	if (!r->nsamples)
		return;
	buf_printf(b, "<path fill=\"%s\" stroke=\"none\" d=\"", fill);
	for (size_t i = 0; i < r->nsamples; i++) {
		int64_t t_end = i + 1 < r->nsamples ? r->samples[i + 1].t : ax->t1;
		int y = top + ph - (int)((int64_t)sample_val(&r->samples[i], -1, k_hi) * ph / ymax);
		buf_printf(b, "%c%d %dH%d", i ? 'L' : 'M', rpt_x(ax, r->samples[i].t), y,
			   rpt_x(ax, t_end));
	}
	for (size_t i = r->nsamples; i-- > 0;) {
		int64_t t_end = i + 1 < r->nsamples ? r->samples[i + 1].t : ax->t1;
		int y = top + ph - (int)((int64_t)sample_val(&r->samples[i], -1, k_lo) * ph / ymax);
		buf_printf(b, "L%d %dH%d", rpt_x(ax, t_end), y, rpt_x(ax, r->samples[i].t));
	}
	buf_printf(b, "Z\"><title>%s</title></path>", title);
}

int rpt_chart_height(const struct report *r)
{
	return RPT_CHART_TOP + RPT_CHART_PH + 40 + 18 * (int)(r->ngens ? r->ngens : 1) + 40;
}

void rpt_chart(struct buf *b, const struct report *r)
{
	struct rpt_axis ax;
	rpt_axis_init(r, &ax);
	int top = RPT_CHART_TOP, ph = RPT_CHART_PH, h = rpt_chart_height(r);
	int32_t ymax = 1;
	for (size_t i = 0; i < r->nsamples; i++) {
		const struct rsample *s = &r->samples[i];
		if (s->surge_top > ymax)
			ymax = s->surge_top;
		for (size_t g = 0; g < r->ngens; g++)
			for (int k = 0; k < 3; k++)
				if (s->v[g][k] > ymax)
					ymax = s->v[g][k];
	}
	if (ymax > 1000000)
		ymax = 1000000;
	ymax += ymax / 10 + 1; /* headroom above the surge budget */
	buf_printf(b,
		   "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"chart\" width=\"%d\" "
		   "height=\"%d\" viewBox=\"0 0 %d %d\" style=\"font:11px sans-serif\" "
		   "><defs><pattern id=\"gap\" width=\"6\" height=\"6\" "
		   "patternUnits=\"userSpaceOnUse\"><path d=\"M0 6L6 0\" stroke=\"#aaaaaa\"/>"
		   "</pattern></defs>",
		   RPT_WIDTH, h, RPT_WIDTH, h);
	buf_printf(b,
		   "<rect class=\"plot\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" "
		   "fill=\"" RPT_PLOT_BG "\" stroke=\"#cccccc\"/>",
		   ax.left, top, ax.width, ph);
	rpt_ticks(b, &ax, top, top + ph);
	/* y axis: 0, the top, and a few between */
	int32_t ystep = ymax <= 10 ? 1 : ymax <= 50 ? 5 : ymax <= 200 ? 20 : ymax / 10;
	for (int32_t v = 0; v <= ymax; v += ystep) {
		int y = top + ph - (int)((int64_t)v * ph / ymax);
		buf_printf(b,
			   "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%d</text><line x1=\"%d\" "
			   "y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#eeeeee\"/>",
			   ax.left - 4, y + 4, v, ax.left, y, ax.left + ax.width, y);
	}
	buf_printf(b,
		   "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" transform=\"rotate(-90 %d "
		   "%d)\">pods</text>",
		   ax.left - 36, top + ph / 2, ax.left - 36, top + ph / 2);
	band(b, r, &ax, 0, 1, top, ph, ymax, "#f4a582",
	     "surge budget: desired to desired + maxSurge");
	band(b, r, &ax, 2, 0, top, ph, ymax, "#abd9e9",
	     "unavailability budget: desired - maxUnavailable to desired");
	buf_adds(b, "<path fill=\"none\" stroke=\"#333333\" stroke-width=\"1\" "
		    "stroke-dasharray=\"4 4\" d=\"");
	step_path(b, r, &ax, -1, 0, top, ph, ymax);
	buf_adds(b, "\"><title>the deployment's desired replicas</title></path>");
	rpt_gaps(b, r, &ax, top, ph);
	size_t order[REPORT_MAX_GENS];
	rpt_gen_order(r, order);
	static const char *const what[3] = {"desired", "ready", "available"};
	static const char *const dash[3] = {"2 3", "7 3", "none"};
	static const char *const width[3] = {"1.5", "2", "4"};
	for (size_t oi = 0; oi < r->ngens; oi++) {
		int g = (int)order[oi];
		const char *c = rpt_gen_colour(oi);
		for (int k = 0; k < 3; k++) {
			buf_printf(b,
				   "<path class=\"gen%zu\" fill=\"none\" stroke=\"%s\" "
				   "stroke-width=\"%s\" stroke-dasharray=\"%s\" "
				   "shape-rendering=\"crispEdges\" d=\"",
				   oi, c, width[k], dash[k]);
			step_path(b, r, &ax, g, k, top, ph, ymax);
			buf_printf(b,
				   "\"><title>revision %lld %s: ", (long long)r->gens[g].revision,
				   what[k]);
			report_html_escape(b, r->gens[g].name, 0);
			buf_adds(b, "</title></path>");
		}
	}
	rpt_marks(b, r, &ax, top, top + ph);
	/* legend */
	int y = top + ph + 34;
	buf_printf(b,
		   "<g class=\"legend\"><text x=\"%d\" y=\"%d\">lines: dotted desired, dashed "
		   "ready, solid available; bands: surge budget (orange), unavailability budget "
		   "(blue); hatched: nothing recorded</text>",
		   ax.left, y);
	for (size_t oi = 0; oi < r->ngens; oi++) {
		const struct rgen *g = &r->gens[order[oi]];
		y += 18;
		buf_printf(b,
			   "<rect x=\"%d\" y=\"%d\" width=\"24\" height=\"8\" fill=\"%s\"/>"
			   "<text x=\"%d\" y=\"%d\">revision %lld: ",
			   ax.left, y - 8, rpt_gen_colour(oi), ax.left + 30, y,
			   (long long)g->revision);
		report_html_escape(b, g->name, 0);
		buf_adds(b, " \xe2\x80\x94 ");
		report_html_escape(b, g->image, 0);
		buf_adds(b, "</text>");
	}
	buf_adds(b, "</g></svg>\n");
}

void report_write_svg(const struct report *r, struct buf *out)
{
	buf_adds(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	rpt_chart(out, r);
}
