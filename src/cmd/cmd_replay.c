#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cmd_get.h"
#include "cmd_print.h"
#include "podscope/duration.h"
#include "podscope/kfile.h"
#include "podscope/recfile.h"
#include "podscope/store.h"
#include "podscope/ui.h"
#include "podscope/xalloc.h"
#include "replay_driver.h"

#include <cjson/cJSON.h>

/*
 * podscope replay FILE [--at TIME] [get [TARGET]]: a recording (podscope
 * record) applied to an empty store up to a moment, then read as a live
 * store is read. Without get, the dashboard on the recording with a time
 * bar (replay_driver.c), or with -o text|json a summary of what it holds.
 */

/* The largest recording read (it is read whole). */
#define REPLAY_MAX_FILE ((size_t)1 << 30)

struct replay {
	const char *path;
	uint8_t *data;
	size_t len;
	const char *context; /* --context: the segments of that context only */
	int64_t first_ms, last_ms;
	int64_t skew_ms; /* the server clock's skew at the moment */
	unsigned long n_events, n_ops[REC_OP_MAX + 1], n_unknown;
	char contexts[4][REC_MAX_CONTEXT + 1];
	int n_contexts;     /* up to 4 names kept */
	bool more_contexts; /* more than that */
};

static void note_context(struct replay *rp, const char *ctx)
{
	for (int i = 0; i < rp->n_contexts; i++)
		if (strcmp(rp->contexts[i], ctx) == 0)
			return;
	if (rp->n_contexts == 4) {
		rp->more_contexts = true;
		return;
	}
	snprintf(rp->contexts[rp->n_contexts++], sizeof(rp->contexts[0]), "%s", ctx);
}

/*
 * Read the file to until_ms (INT64_MAX: all), applying events to st when it
 * is not NULL. Returns 0, or 1 after saying why on stderr.
 */
static int run(struct replay *rp, struct store *st, int64_t until_ms)
{
	struct rec_reader *r = rec_reader_new(rp->data, rp->len);
	struct perr err = {0};
	struct rec_event ev;
	int rc = 0, got;
	rp->first_ms = rp->last_ms = 0;
	while ((got = rec_reader_next(r, &ev, &err)) == 1) {
		const char *ctx = rec_reader_context(r);
		note_context(rp, ctx);
		if (rp->context && strcmp(ctx, rp->context) != 0)
			continue;
		if (!rp->n_events++)
			rp->first_ms = ev.t_ms;
		if (ev.t_ms > until_ms)
			break;
		rp->last_ms = ev.t_ms;
		rp->n_ops[ev.op]++;
		if (ev.op == REC_CLOCK)
			rp->skew_ms = ev.value;
		if (st && rec_apply(st, &ev) < 0)
			rp->n_unknown++;
	}
	if (got < 0) {
		cmd_printf(stderr, "podscope replay: %s: %s\n", rp->path, err.msg);
		rc = 1;
	} else if (rec_reader_damage(r)) {
		cmd_printf(stderr,
			   "podscope replay: %s: %lu damaged part%s skipped (the last at %s); what "
			   "they held is missing\n",
			   rp->path, rec_reader_damage(r), rec_reader_damage(r) == 1 ? "" : "s",
			   rec_reader_last_damage(r));
	}
	if (rp->n_unknown)
		fprintf(stderr,
			"podscope replay: %lu events of kinds this podscope does not know were left "
			"out\n",
			rp->n_unknown);
	perr_clear(&err);
	rec_reader_free(r);
	return rc;
}

static void summary_json(struct replay *rp)
{
	char a[40], b[40];
	duration_format_rfc3339(rp->first_ms, 1, a, sizeof(a));
	duration_format_rfc3339(rp->last_ms, 1, b, sizeof(b));
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "file", rp->path);
	cJSON_AddStringToObject(o, "from", a);
	cJSON_AddStringToObject(o, "to", b);
	cJSON_AddNumberToObject(o, "durationMs", (double)(rp->last_ms - rp->first_ms));
	cJSON *ctx = cJSON_AddArrayToObject(o, "contexts");
	for (int i = 0; i < rp->n_contexts; i++)
		cJSON_AddItemToArray(ctx, cJSON_CreateString(rp->contexts[i]));
	cJSON_AddBoolToObject(o, "moreContexts", rp->more_contexts);
	cJSON *ev = cJSON_AddObjectToObject(o, "events");
	cJSON_AddNumberToObject(ev, "total", (double)rp->n_events);
	cJSON_AddNumberToObject(ev, "lists", (double)rp->n_ops[REC_LIST_BEGIN]);
	cJSON_AddNumberToObject(ev, "upserts", (double)rp->n_ops[REC_UPSERT]);
	cJSON_AddNumberToObject(ev, "deletes", (double)rp->n_ops[REC_DELETE]);
	cJSON_AddNumberToObject(ev, "informerStates", (double)rp->n_ops[REC_STATUS]);
	cJSON_AddNumberToObject(ev, "clockEstimates", (double)rp->n_ops[REC_CLOCK]);
	char *txt = cJSON_PrintUnformatted(o);
	if (txt)
		printf("%s\n", txt);
	free(txt);
	cJSON_Delete(o);
}

/* The dashboard on the recording, with the time bar (replay_driver.c). */
static int dashboard(struct cli *cli, struct replay *rp)
{
	long speed = 1;
	if (cli->speed) {
		char *end;
		speed = strtol(cli->speed, &end, 10);
		if (*end || end == cli->speed || speed < 1 || speed > 100) {
			cmd_printf(stderr, "podscope replay: --speed %s: a whole number from 1 to "
					   "100\n", cli->speed);
			return 2;
		}
	}
	struct perr err = {0};
	struct replay_driver *d =
	    replay_driver_new(rp->path, rp->data, rp->len, rp->context, (int)speed, &err);
	rp->data = NULL; /* the driver's */
	if (!d) {
		cmd_printf(stderr, "podscope replay: %s\n", perr_msg(&err));
		int rc = err.kind == PERR_USAGE && strstr(perr_msg(&err), "--context") ? 2 : 1;
		perr_clear(&err);
		return rc;
	}
	const char *ns = cli->kc.all_namespaces ? NULL : cli->kc.namespace;
	struct ui_options opt = {
	    .all_namespaces = !ns,
	    .readonly = true,
	    .ascii = cli->ascii,
	    .low_bandwidth = cli->low_bandwidth,
	    .theme = cli->theme,
	    .replay = replay_driver_hooks(d, ns),
	};
	int rc = ui_run(&opt);
	replay_driver_free(d);
	return rc;
}

static void summary(struct replay *rp)
{
	char a[40], b[40], span[32];
	duration_format_rfc3339(rp->first_ms, 1, a, sizeof(a));
	duration_format_rfc3339(rp->last_ms, 1, b, sizeof(b));
	duration_human(rp->last_ms - rp->first_ms, span, sizeof(span));
	cmd_printf(stdout, "%s\n  from %s\n  to   %s (%s)\n  contexts:", rp->path, a, b, span);
	for (int i = 0; i < rp->n_contexts; i++)
		cmd_printf(stdout, " %s", *rp->contexts[i] ? rp->contexts[i] : "\"\"");
	cmd_printf(stdout, "%s\n", rp->more_contexts ? " and more" : "");
	printf("  %lu events: %lu lists, %lu upserts, %lu deletes, %lu informer states, %lu "
	       "clock estimates\n",
	       rp->n_events, rp->n_ops[REC_LIST_BEGIN], rp->n_ops[REC_UPSERT],
	       rp->n_ops[REC_DELETE], rp->n_ops[REC_STATUS], rp->n_ops[REC_CLOCK]);
}

/* --at: RFC 3339, or +D from the first event. */
static int parse_at(const char *s, int64_t first_ms, int64_t *at_ms)
{
	struct perr err = {0};
	int rc = 0;
	if (*s == '+') {
		int64_t ns;
		if (duration_parse(s + 1, &ns, &err) < 0)
			rc = -1;
		else
			*at_ms = first_ms + ns / 1000000;
	} else if (duration_parse_rfc3339(s, at_ms, &err) < 0) {
		rc = -1;
	}
	if (rc)
		cmd_printf(stderr,
			   "podscope replay: --at %s: %s (a time such as 2026-12-07T15:51:03.250Z, "
			   "or +D from the recording's start)\n",
			   s, err.msg ? err.msg : "");
	perr_clear(&err);
	return rc;
}

int cmd_replay(struct cli *cli)
{
	if (cli->nargs < 1 || (cli->nargs > 1 && strcmp(cli->args[1], "get") != 0) ||
	    cli->nargs > 3) {
		fprintf(stderr, "usage: podscope replay FILE [--speed N] [-o text|json]\n"
				"       podscope replay FILE [--at TIME] get [TARGET] [-o "
				"text|wide|json]\n");
		return 2;
	}
	bool get = cli->nargs > 1;
	if (cli->at && !get) {
		fprintf(stderr, "podscope replay: --at is for replay FILE --at TIME get\n");
		return 2;
	}
	if (!get && cli->output && strcmp(cli->output, "text") != 0 &&
	    strcmp(cli->output, "json") != 0) {
		fprintf(stderr, "podscope replay: -o is text or json (the summary); replay FILE "
				"alone opens the dashboard\n");
		return 2;
	}
	if (get && cli->speed) {
		fprintf(stderr, "podscope replay: --speed is for the dashboard (replay FILE)\n");
		return 2;
	}
	struct replay rp = {.path = cli->args[0], .context = cli->kc.context};
	struct perr err = {0};
	rp.data = (uint8_t *)kfile_read(rp.path, REPLAY_MAX_FILE, &rp.len, &err, "recording %s",
					rp.path);
	if (!rp.data) {
		cmd_printf(stderr, "podscope replay: %s\n", err.msg);
		perr_clear(&err);
		return 1;
	}
	if (!get && !cli->output) {
		int rc = dashboard(cli, &rp);
		free(rp.data);
		return rc;
	}
	int rc = run(&rp, NULL, INT64_MAX);
	if (rc == 0 && !get && strcmp(cli->output, "json") == 0) {
		summary_json(&rp);
	} else if (rc == 0 && !get) {
		summary(&rp);
	} else if (rc == 0) {
		if (rp.n_contexts > 1 && !rp.context) {
			fprintf(stderr, "podscope replay: %s holds more than one context: choose one "
					"with --context\n",
				rp.path);
			rc = 2;
		} else if (!rp.n_events) {
			cmd_printf(stderr, "podscope replay: %s: no events%s%s\n", rp.path,
				   rp.context ? " of context " : "", rp.context ? rp.context : "");
			rc = 1;
		}
		int64_t at = rp.last_ms;
		if (rc == 0 && cli->at && parse_at(cli->at, rp.first_ms, &at) < 0)
			rc = 2;
		const char *kind = NULL, *name = NULL;
		if (rc == 0)
			rc = get_args("replay", cli->output, cli->nargs > 2 ? cli->args[2] : NULL, &kind,
				      &name);
		if (rc == 0) {
			struct store *st = store_new();
			rp.n_events = 0;
			rp.skew_ms = 0;
			rc = run(&rp, st, at);
			const char *ns = cli->kc.all_namespaces ? NULL : cli->kc.namespace;
			if (rc == 0)
				rc = get_print_store(st, ns, kind, name, cli->output,
						     at + rp.skew_ms);
			store_free(st);
		}
	}
	free(rp.data);
	return rc;
}
