#include "config.h"

#include <limits.h>
#include <string.h>

#include "podscope/warnfold.h"

/* Distinct objects per reason: counted up to this many uids, then "more". */
#define OBJ_TRACK 32

struct acc {
	struct warnfold w;
	const char *uids[OBJ_TRACK];
};

static bool same(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

static void note_object(struct acc *a, const char *uid)
{
	int n = a->w.objects < OBJ_TRACK ? a->w.objects : OBJ_TRACK;
	for (int i = 0; i < n; i++)
		if (same(a->uids[i], uid))
			return;
	if (a->w.objects < OBJ_TRACK)
		a->uids[a->w.objects] = uid;
	a->w.objects++;
}

size_t warnfold(const struct event *const *ev, size_t n, struct warnfold *out, size_t max)
{
	/* Reasons beyond WARNFOLD_MAX * 2 are rare: the oldest give way. */
	struct acc acc[WARNFOLD_MAX * 2];
	size_t na = 0;
	if (max > WARNFOLD_MAX)
		max = WARNFOLD_MAX;
	for (size_t i = 0; i < n; i++) {
		const struct event *e = ev[i];
		if (!e || !e->warning)
			continue;
		const char *reason = e->reason && *e->reason ? e->reason : "Warning";
		struct acc *a = NULL;
		for (size_t k = 0; k < na && !a; k++)
			if (same(acc[k].w.reason, reason))
				a = &acc[k];
		if (!a) {
			if (na < sizeof(acc) / sizeof(acc[0])) {
				a = &acc[na++];
			} else {
				/* Replace the entry heard from least recently. */
				a = &acc[0];
				for (size_t k = 1; k < na; k++)
					if (acc[k].w.last < a->w.last)
						a = &acc[k];
				if (a->w.last > e->last)
					continue;
			}
			memset(a, 0, sizeof(*a));
			a->w.reason = reason;
			a->w.last = -1;
		}
		long c = e->count > 0 ? e->count : 1;
		a->w.count = a->w.count > LONG_MAX - c ? LONG_MAX : a->w.count + c;
		note_object(a, e->involved_uid && *e->involved_uid ? e->involved_uid : e->involved_name);
		if (e->last >= a->w.last) {
			a->w.last = e->last;
			a->w.message = e->message ? e->message : "";
		}
	}
	/* Latest first (insertion sort: at most 16). */
	for (size_t i = 1; i < na; i++)
		for (size_t k = i; k > 0 && acc[k].w.last > acc[k - 1].w.last; k--) {
			struct acc t = acc[k];
			acc[k] = acc[k - 1];
			acc[k - 1] = t;
		}
	size_t m = na < max ? na : max;
	for (size_t i = 0; i < m; i++)
		out[i] = acc[i].w;
	return m;
}
