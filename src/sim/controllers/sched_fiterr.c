#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "podscope/xalloc.h"

#include "sched_fiterr.h"

void sched_why_add(struct sched_why *why, size_t *nwhy, size_t cap, const char *text)
{
	size_t k = 0;
	while (k < *nwhy && strcmp(why[k].text, text) != 0)
		k++;
	if (k == *nwhy) {
		if (k == cap)
			return;
		snprintf(why[(*nwhy)++].text, sizeof(why->text), "%s", text);
	}
	why[k].n++;
}

int sched_by_string(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* FitError.Error()'s histogram: "N reason" strings sorted as strings (so by
 * the count's digits first), joined by ", ", then ".". */
static int sched_histogram(char *msg, size_t size, int off, struct sched_why *why, size_t nwhy)
{
	char **lines = xcalloc(nwhy + 1, sizeof(*lines));
	for (size_t i = 0; i < nwhy; i++)
		lines[i] = xasprintf("%zu %s", why[i].n, why[i].text);
	qsort(lines, nwhy, sizeof(*lines), sched_by_string);
	for (size_t i = 0; i < nwhy; i++) {
		if (off > 0 && (size_t)off < size)
			off += snprintf(msg + off, size - (size_t)off, "%s%s", i ? ", " : " ",
					lines[i]);
		free(lines[i]);
	}
	free(lines);
	if (off > 0 && (size_t)off < size)
		off += snprintf(msg + off, size - (size_t)off, ".");
	return off;
}

/*
 * The scheduler's FitError: "0/N nodes are available:" and each reason with
 * its count, then the DefaultPreemption PostFilter's own FitError: with every
 * pod at the same priority there is never a victim, so a node that failed
 * only for resources (Unschedulable) gives "No preemption victims found for
 * incoming pod" (SelectVictimsOnNode) and every other node "Preemption is not
 * helpful for scheduling" (SetAbsentNodesStatus).
 */
void sched_fit_error(char *msg, size_t size, struct sched_why *why, size_t nwhy,
			    size_t resolvable, size_t nn)
{
	int off = snprintf(msg, size, "0/%zu nodes are available:", nn);
	off = sched_histogram(msg, size, off, why, nwhy);
	struct sched_why pre[2];
	size_t npre = 0;
	if (resolvable) {
		snprintf(pre[npre].text, sizeof(pre->text), "No preemption victims found for incoming pod");
		pre[npre++].n = resolvable;
	}
	if (nn > resolvable) {
		snprintf(pre[npre].text, sizeof(pre->text), "Preemption is not helpful for scheduling");
		pre[npre++].n = nn - resolvable;
	}
	if (off > 0 && (size_t)off < size)
		off += snprintf(msg + off, size - (size_t)off,
				" preemption: 0/%zu nodes are available:", nn);
	sched_histogram(msg, size, off, pre, npre);
}

