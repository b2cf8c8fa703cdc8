#ifndef PODSCOPE_SIM_SERVER_H
#define PODSCOPE_SIM_SERVER_H

#include "podscope/err.h"

#include "sim.h"

/*
 * The HTTP(S) server: libmicrohttpd without threads of its own, driven from
 * sim->loop through its epoll descriptor. Binds 127.0.0.1 only. Requests go
 * to simapi_handle() once their body is in.
 */

/* Listen on sim->cfg.port (0: any). 0 or -1 with err set. */
int simsrv_start(struct sim *sim, struct perr *err);

/* The port actually bound. */
int simsrv_port(const struct sim *sim);

/* "http://127.0.0.1:PORT" or "https://..."; static storage of the server. */
const char *simsrv_url(const struct sim *sim);

/* Let MHD process whatever is ready (after resuming connections). */
void simsrv_run(struct sim *sim);

/* Close every connection and free the server. */
void simsrv_stop(struct sim *sim);

#endif
