#include "config.h"

#include <stdio.h>

#include "cmd_report.h"

int report_live(struct cli *cli, const char *name)
{
	(void)cli;
	(void)name;
	fprintf(stderr, "podscope report: a live report is not available yet: record the "
			"rollout (podscope record) and report on the recording\n");
	return 2;
}
