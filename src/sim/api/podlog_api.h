#ifndef PODSCOPE_SIM_PODLOG_API_H
#define PODSCOPE_SIM_PODLOG_API_H

#include "http.h"

/*
 * GET /api/v1/namespaces/NS/pods/NAME/log: the container logs the kubelet
 * keeps (podlog.h), with PodLogOptions' container, previous, follow,
 * tailLines, sinceSeconds, sinceTime, timestamps and limitBytes, and the
 * API server's and the kubelet's errors. A follow stream is served like a
 * watch: suspended while nothing is new, resumed by the log, ended with
 * the container. Plain text.
 */

/* Follow streams open at most; one more is answered 429 as a watch is. */
#define SIMLOG_FOLLOW_MAX 100

void simpodlog_handle(struct simreq *r, const char *ns, const char *name);
/* End every follow stream of sim (before the server stops). */
void simpodlog_shutdown(struct sim *sim);
/* Follow streams open (tests). */
size_t simpodlog_follow_count(void);

#endif
