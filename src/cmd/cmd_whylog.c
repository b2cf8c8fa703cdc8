#include "config.h"

#include "podscope/loop.h"
#include "podscope/why.h"
#include "podscope/whylog.h"

#include "cmd_common.h"
#include "cmd_get.h"

/* `get`'s last log lines for its why lines: asked for once over the
 * snapshot, then waited for on the loop (whylog.h) before printing. */

size_t get_whylog_start(struct get_snap *s)
{
	struct why why;
	for (size_t i = 0; i < s->n_deps; i++)
		why_deployment(s->st, s->deps[i], s->now, whylog_line, s->wl, &why);
	for (size_t i = 0; i < s->n_wls; i++)
		why_set(s->st, s->wls[i].kind, s->wls[i].obj, s->now, whylog_line, s->wl, &why);
	return whylog_inflight(s->wl);
}

void cmd_whylog_wait(struct cmd_session *ses, struct whylog *wl)
{
	int64_t deadline = ploop_now_ms() + GET_WHYLOG_WAIT_MS;
	while (whylog_inflight(wl)) {
		int64_t left = deadline - ploop_now_ms();
		if (left <= 0)
			break;
		ploop_run_once(ses->loop, (int)left);
	}
}
