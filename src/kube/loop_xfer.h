#ifndef PODSCOPE_LOOP_XFER_H
#define PODSCOPE_LOOP_XFER_H

#include <stdbool.h>

#include <curl/curl.h>

/*
 * Private contract between loop.c and client.c. Every easy handle added to
 * the loop's multi handle carries a struct ploop_xfer as its CURLOPT_PRIVATE;
 * when curl says the transfer is done, the loop calls xfer->done. The done
 * function owns the easy handle from then on (it removes it from the multi
 * handle, or re-adds it to retry).
 */
struct ploop_xfer {
	void (*done)(struct ploop_xfer *x, CURLcode result);
};

struct ploop;

/* True while the loop is inside curl_multi_socket_action(), that is inside a
 * curl callback: then curl_multi_remove_handle() must not be called. */
bool ploop_in_curl(const struct ploop *l);

#endif
