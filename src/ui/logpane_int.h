#ifndef PODSCOPE_UI_LOGPANE_INT_H
#define PODSCOPE_UI_LOGPANE_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "logpane.h"
#include "theme.h"

/* Between view_podlog.c (the pane, its follows) and logpane_draw.c. */

/* The pane's store: at most these, whatever the pods print. */
#define LOGPANE_LINES 5000u
#define LOGPANE_BYTES (4u << 20)
/* The merged pane: pods followed at once, and lines kept per pod. */
#define LOGPANE_MAX_PODS 32
#define LOGPANE_POD_LINES 1000u
/* Lines asked for when a log is opened (tailLines); per pod when merged. */
#define LOGPANE_TAIL 1000
#define LOGPANE_POD_TAIL 200
/* Rows one wrapped line may take. */
#define LOGPANE_WRAP_ROWS 64

struct logline;
struct logstore;
struct logstream;
struct logfollow;

/* One pod's log: the follow, and the lines taken from it once each. */
struct lsrc {
	struct logpane *lp;
	char pod[254], container[254], tag[64];
	enum theme_role role; /* the tag's colour */
	struct logfollow *f;
	struct logstream *shown;
	bool live;   /* still listed (sync) */
	bool gone;   /* no longer listed: its follow stopped, its lines kept */
	bool is_new; /* of the new generation, when last listed */
	bool in_gen; /* of the generation chosen: its lines are shown */
};

/* A line of the merged order. */
struct mref {
	const struct logline *l;
	const struct lsrc *s;
};

struct logpane {
	struct ui *ui;
	char ns[254], name[254]; /* the pod, or the workload when merged */
	bool merged;
	logpane_pods_fn pods_fn;
	void *pods_ud;
	enum logpane_gen gen;
	size_t listed; /* pods the last sync listed (more than followed: capped) */
	size_t shown;    /* pods followed of the generation chosen */
	bool capped;     /* pods left out for the cap */
	unsigned serial; /* makes each source's stream keys its own */
	struct logstore *st;
	struct lsrc *src[LOGPANE_MAX_PODS];
	size_t nsrc;
	struct mref *m; /* every source's lines in time order */
	size_t nm, mcap;
	bool dirty;         /* m is to be built again */
	int cidx;           /* the pod pane's container: index in spec.containers */
	bool previous, follow, wrap, ts;
	uint64_t top; /* first line shown (dropped + index) when not following */
	int rows;     /* rows of lines in the last drawing */
	char error[256];
};

/* The merged order, built again when lines came or sources changed. */
void logpane_merge(struct logpane *lp);
/* Lines dropped from every source, which top counts from. */
uint64_t logpane_dropped(const struct logpane *lp);
/* Search: the next (dir 1) or previous (-1) line matching the search from
 * the line shown first; moves there and stops following. False: none. */
bool logpane_find(struct ui *ui, struct logpane *lp, int dir);

#endif
