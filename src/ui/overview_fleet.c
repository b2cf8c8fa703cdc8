#include "config.h"

#include <stdio.h>
#include <string.h>

#include "overview.h"
#include "ui_cluster.h"
#include "ui_int.h"

/*
 * The overview with many contexts: every cluster's rows, one cluster after
 * the other (in the order the contexts were named), a CONTEXT cell on each.
 * A cluster that is stale (its informers back off), forbidden or still
 * listing gets a line of its own above its rows saying so; its rows stay as
 * last seen, and the other clusters' go on being live.
 */

void overview_fleet_rows(struct ui *ui, struct overview *ov, int64_t now,
			 void (*build)(struct ui *ui, struct overview *ov, int64_t now))
{
	for (int i = 0; i < ui->n_clusters; i++) {
		size_t from = ov->n;
		char why[200];
		bool bad;
		const char *state = ui_cluster_state(ui, i, why, sizeof(why), &bad);
		/* Low bandwidth has no CONTEXT column: every cluster a line. */
		if (state || ui->lowbw) {
			struct row *h = overview_add_row(ov, ROW_GROUP, NULL);
			snprintf(h->group, sizeof(h->group), "context %s%s%s",
				 ui->clusters[i].context, state ? ": " : "", state ? state : "");
			h->trouble = bad;
			snprintf(h->key, sizeof(h->key), "cluster");
		}
		ui_cluster_use(ui, i);
		build(ui, ov, now);
		for (size_t k = from; k < ov->n; k++) {
			struct row *r = &ov->rows[k];
			/* Keys are short ("d/NS/NAME"): the cluster goes in front. */
			char key[sizeof(r->key) + 16];
			r->cluster = (uint8_t)i;
			snprintf(key, sizeof(key), "%d|%s", i, r->key);
			key[sizeof(r->key) - 1] = '\0';
			memcpy(r->key, key, sizeof(r->key));
		}
	}
	ui_cluster_use(ui, ui->cur);
}

void overview_fleet_cell(struct ui *ui, const struct row *r, int y, int x, int w, bool sel)
{
	char why[200];
	bool bad = false;
	const char *state = ui_cluster_state(ui, r->cluster, why, sizeof(why), &bad);
	enum theme_role role = sel ? ROLE_SELECTED : state && bad ? ROLE_ERROR : ROLE_DIM;
	draw_text(y, x, w, role, ui->clusters[r->cluster].context);
	/* The row is drawn from its own cluster's store. */
	ui_cluster_use(ui, r->cluster);
}

void overview_fleet_done(struct ui *ui, const struct overview *ov)
{
	if (!ui->n_clusters)
		return;
	int want = ov->sel < ov->n ? ov->rows[ov->sel].cluster : ui->cur;
	if (want != ui->cur) {
		ui_cluster_focus(ui, want);
		ui_request(ui, UI_DRAW); /* the title names it */
	} else {
		ui_cluster_use(ui, ui->cur);
	}
}
