#ifndef PODSCOPE_REPORT_H
#define PODSCOPE_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "podscope/buf.h"

/*
 * The post-mortem report of one Deployment's rollout (doc/report.md): the
 * store is sampled at every recorded moment (report_sample) and the report
 * keeps, per generation (ReplicaSet), the desired, ready and available pods
 * over time with the rolling update's budgets, a lifecycle bar for every
 * pod, the Warning events, the why-line history, the actions taken and the
 * gaps where nothing was recorded. Then it writes itself as a
 * self-contained HTML page or an SVG chart. Pure: no I/O, the caller gives
 * the times. Every string is escaped on output (report_html_escape).
 */

/* Caps: beyond them the report says how many were left out. */
#define REPORT_MAX_GENS    12          /* generations drawn */
#define REPORT_MAX_SAMPLES 20000       /* moments of the chart */
#define REPORT_MAX_PODS    500         /* pods given a bar */
#define REPORT_MAX_SEGS    64          /* stage changes of one pod */
#define REPORT_MAX_MARKS   32          /* restarts marked on one pod */
#define REPORT_MAX_EVENTS  300         /* Warning events */
#define REPORT_MAX_WHY     200         /* distinct why lines */
#define REPORT_MAX_ACTIONS 300         /* audit entries */
#define REPORT_MAX_GAPS    200         /* outages */
#define REPORT_MAX_TEXT    512         /* bytes kept of any message */
#define REPORT_MAX_OUTPUT  (32u << 20) /* bytes of a page */

struct store;
struct report;

/* A report on the Deployment ns/name. */
struct report *report_new(const char *ns, const char *name);
void report_free(struct report *r);

/* Watch st's changes (Warning events of the deployment, its ReplicaSets
 * and pods) until report_detach. */
void report_attach(struct report *r, struct store *st);
void report_detach(struct report *r, struct store *st);

/* The store as it was at t_ms (ms since the epoch, the server's clock).
 * Attached to st, a sample is skipped when nothing the report reads (the
 * deployments, ReplicaSets, pods and events of its namespace) changed. */
void report_sample(struct report *r, const struct store *st, int64_t t_ms);
/* Nothing was recorded from begin_ms to end_ms (an outage). */
void report_gap(struct report *r, int64_t begin_ms, int64_t end_ms, const char *why);
/* An action taken at t_ms (an audit log entry). */
void report_action(struct report *r, int64_t t_ms, const char *what, const char *object,
		   const char *outcome);
/* The entries of an audit log (text[0..len), src/kube/audit.c's lines) about
 * the deployment, its ReplicaSets and pods, within the report's span and of
 * context (NULL or "": any): added as actions. The log's times are this
 * machine's: skew_ms (the server clock's skew) puts them on the report's
 * axis. Call after the samples. Returns how many were added. Malformed
 * lines are skipped. */
size_t report_audit(struct report *r, const char *text, size_t len, const char *context,
		    int64_t skew_ms);
/* A live report: the series and bars reconstructed from st, listed once
 * (the deployment, its ReplicaSets, pods and events), from since_ms to
 * now_ms. -1 when st does not hold the deployment. Coarser than sampling
 * a recording (doc/report.md). */
int report_live_build(struct report *r, const struct store *st, int64_t since_ms, int64_t now_ms);
/* Where the report came from ("recording x.rec", "live cluster ...") and
 * whether it was reconstructed from a live cluster (coarser). */
void report_set_source(struct report *r, const char *source, bool live);
/* The recording ends at end_ms: open bars and lines end there. */
void report_finish(struct report *r, int64_t end_ms);

/* What the report holds (for the command's messages and tests). */
struct report_counts {
	size_t gens, samples, pods, events, why, actions, gaps;
	size_t pods_left_out, events_left_out, why_left_out, actions_left_out;
	bool samples_capped;
};
void report_counts(const struct report *r, struct report_counts *c);
/* Sample i's value for generation g: 'd'esired, 'r'eady, 'a'vailable; -1 outside. */
int32_t report_series(const struct report *r, size_t g, size_t i, char which);
/* Which sample holds at t_ms (the last one at or before it); -1 before the first. */
long report_sample_at(const struct report *r, int64_t t_ms);
/* Generation g's ReplicaSet name and revision (NULL outside). */
const char *report_gen_name(const struct report *r, size_t g, int64_t *revision);
/* The i-th why line and when it held (NULL outside). */
const char *report_why(const struct report *r, size_t i, int64_t *from, int64_t *to);

/* Append s to b for HTML text or a quoted attribute: the sanitiser's
 * escapes for controls, bidi and invalid UTF-8, then & < > " ' as
 * entities; at most max bytes of s are read (0: REPORT_MAX_TEXT). */
void report_html_escape(struct buf *b, const char *s, size_t max);

/* The whole page (HTML5, inline SVG and CSS, no script needed). */
void report_write_html(const struct report *r, struct buf *out);
/* The rolling-update chart alone, as a standalone SVG document. */
void report_write_svg(const struct report *r, struct buf *out);

#endif
