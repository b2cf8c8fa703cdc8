#ifndef PODSCOPE_UI_OVERVIEW_H
#define PODSCOPE_UI_OVERVIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "badge.h"

struct ui;

/* The overview's rows (view_overview.c builds them), shared with the
 * low-bandwidth table (overview_lean.c). */
enum row_kind { ROW_DEPLOY, ROW_GROUP, ROW_POD, ROW_SET };

struct row {
	enum row_kind kind;
	const void *obj;  /* deployment, pod, statefulset or daemonset */
	uint8_t set_kind; /* ROW_SET: STORE_STATEFULSETS, _DAEMONSETS, _JOBS or _CRONJOBS */
	uint8_t sub;      /* ROW_SET: a CronJob's Job, under its CronJob's row */
	uint8_t cluster;  /* many contexts: its cluster (ui_cluster.h) */
	uint8_t trouble;  /* ROW_GROUP: a cluster that is stale or refuses */
	struct badge_info badge;
	char group[200]; /* ROW_GROUP: "Job pi" */
	char key[300];
};

struct overview {
	struct row *rows;
	size_t n, cap;
	size_t sel, top;
	char sel_key[300];
	int height;
};

/* The KIND column's word for a row ("" for a group); short: kubectl's short
 * names (deploy, sts, ds; pod). */
const char *overview_row_kind(const struct row *r, bool short_name);

/* A set's, Job's or CronJob's creation time (ROW_SET). */
int64_t overview_set_created(const struct row *r);

/* view_overview.c: a new row at the end. */
struct row *overview_add_row(struct overview *ov, enum row_kind k, const void *obj);

/* overview_fleet.c, many contexts: the rows of every cluster, each after a
 * line saying so when it is stale, forbidden or still listing (build: one
 * cluster's rows, with ui->store etc. pointing at it); the CONTEXT cell of
 * a row (its cluster's name, in the error colour when it is stale); after
 * drawing or moving, the current cluster back, that of the selected row. */
void overview_fleet_rows(struct ui *ui, struct overview *ov, int64_t now,
			 void (*build)(struct ui *ui, struct overview *ov, int64_t now));
void overview_fleet_cell(struct ui *ui, const struct row *r, int y, int x, int w, bool sel);
void overview_fleet_done(struct ui *ui, const struct overview *ov);

/* Draw the rows as the low-bandwidth table: a header at top, then rows up
 * to top + height - 1. ov->n > 0. */
void overview_lean_draw(struct ui *ui, struct overview *ov, int top, int height, int64_t now);

#endif
