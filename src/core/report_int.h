#ifndef PODSCOPE_REPORT_INT_H
#define PODSCOPE_REPORT_INT_H

/* The report's insides, shared by report.c (collecting) and report_html.c
 * (writing). Every string here is a heap copy, capped, not yet escaped. */

#include "podscope/report.h"

struct rgen {
	char *name, *uid, *image;
	int64_t revision;
	int64_t first_ms, last_ms; /* when it was seen */
};

struct rsample {
	int64_t t;
	int32_t desired, surge_top, floor; /* the deployment's; -1 unknown */
	int32_t v[REPORT_MAX_GENS][3];     /* desired, ready, available; -1: absent */
};

struct rseg {
	uint8_t stage; /* enum lc_stage */
	int64_t from, to;
};

struct rpod {
	char *name, *uid;
	int gen; /* index into gens, -1 unknown */
	int64_t first_ms, last_ms, created, deleted;
	bool gone;
	int32_t restarts;
	struct rseg seg[REPORT_MAX_SEGS];
	int nseg;
	int64_t marks[REPORT_MAX_MARKS];
	int nmarks;
	uint64_t stamp;
};

struct revent {
	char *key; /* ns/name of the Event object */
	char *object, *reason, *message;
	int32_t count;
	int64_t first, last;
};

struct rwhy {
	char *line;
	int64_t from, to;
};

struct raction {
	int64_t t;
	char *what, *object, *outcome;
};

struct rgap {
	int64_t from, to;
	char *why;
};

struct report {
	const struct store *st; /* attached to (report_attach) */
	bool dirty;             /* st changed in ways the report reads since the last sample */
	char *ns, *name, *uid, *source;
	bool live, finished;
	char *strategy;
	int64_t t0, t1;
	struct rgen gens[REPORT_MAX_GENS];
	size_t ngens;
	struct rsample *samples;
	size_t nsamples, capsamples;
	bool samples_capped;
	struct rpod *pods;
	size_t npods, pods_left_out, pods_left_now;
	uint64_t stamp;
	struct revent *events;
	size_t nevents, events_left_out;
	struct rwhy *why;
	size_t nwhy, why_left_out;
	struct raction *actions;
	size_t nactions, actions_left_out;
	struct rgap gaps[REPORT_MAX_GAPS];
	size_t ngaps;
};

/* ---- writing (report_html.c, report_page.c) ---- */

#define RPT_WIDTH     1240 /* the SVGs' width */
#define RPT_LEFT      190  /* room for labels */
#define RPT_RIGHT     30
#define RPT_CHART_TOP 40        /* room for the event and action marks */
#define RPT_CHART_PH  260       /* the plot's height */
#define RPT_PLOT_BG   "#fbfbf3" /* the plot's background (tests find the chart by it) */

struct rpt_axis {
	int64_t t0, t1;
	int left, width;
};

void rpt_axis_init(const struct report *r, struct rpt_axis *ax);
int rpt_x(const struct rpt_axis *ax, int64_t t);
void rpt_clock(int64_t t, char *buf, size_t n); /* "12:34:56" UTC */
void rpt_ticks(struct buf *b, const struct rpt_axis *ax, int top, int bottom);
void rpt_gaps(struct buf *b, const struct report *r, const struct rpt_axis *ax, int top,
	      int height);
const char *rpt_gen_colour(size_t place);
void rpt_gen_order(const struct report *r, size_t *order);
const char *rpt_colour_of(const struct report *r, int g);
int rpt_chart_height(const struct report *r);
void rpt_chart(struct buf *b, const struct report *r);
/* The Warning events and actions as marks above the plot (report_page.c). */
void rpt_marks(struct buf *b, const struct report *r, const struct rpt_axis *ax, int top,
	       int line_to);

/* ---- collecting (report.c), shared with report_live.c ---- */
struct replicaset;
struct event;
/* The generation of rs (added, first seen at t, when new); -1 past the cap. */
int report_gen_add(struct report *r, const struct replicaset *rs, int64_t t);
/* Keep s unless it repeats the last sample's counts. */
void report_add_sample(struct report *r, const struct rsample *s);
/* Keep (or update) a Warning event. */
void report_event(struct report *r, const struct event *e);

/* A heap copy of s cut at REPORT_MAX_TEXT bytes (NULL is ""). */
char *report_strdup(const char *s);

#endif
