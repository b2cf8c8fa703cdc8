#ifndef PODSCOPE_CMD_REPORT_H
#define PODSCOPE_CMD_REPORT_H

#include <stdint.h>

#include "cli.h"
#include "podscope/buf.h"

struct report;

/* The NAME of "deploy/NAME" (and deployment/, deployments/, ...), else NULL. */
const char *report_target_name(const char *arg);
/* 'h' for .html/.htm, 's' for .svg, 0 for anything else. */
int report_output_kind(const char *out);
/* b to out through a temporary file beside it, renamed over it (0644). */
int report_write(const char *out, const struct buf *b);
/* Add the audit log's actions (their times moved by skew_ms onto the
 * server's clock), write the page or chart to cli->output. */
int report_finish_write(struct cli *cli, struct report *rep, const char *context, int64_t skew_ms);
/* podscope report deploy/NAME --since D (cmd_report_live.c). */
int report_live(struct cli *cli, const char *name);

#endif
