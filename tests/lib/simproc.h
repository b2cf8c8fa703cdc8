#ifndef PODSCOPE_SIMPROC_H
#define PODSCOPE_SIMPROC_H

#include <sys/types.h>

/*
 * Start podscope-sim for a test and stop it again.
 *
 * The binary is $PODSCOPE_SIM_BIN, else ./podscope-sim. It runs with
 *   --port 0 --write-kubeconfig DIR/kubeconfig --request-log DIR/requests.log
 * plus extra_args, DIR being a fresh temporary directory. When
 * $PODSCOPE_SIM_WRAPPER is set (e.g. "valgrind -q --error-exitcode=99"), its
 * words go in front of the command. simproc_start returns once the simulator
 * printed its "listening on" line (it writes the kubeconfig before that), or
 * NULL after a deadline (60 s) or when it exits first, with *errmsg set to a
 * heap string saying why (free it). Its stderr goes to the test's stderr.
 */
struct simproc;

struct simproc *simproc_start(const char *const *extra_args, char **errmsg);

/* "http://127.0.0.1:PORT" or "https://127.0.0.1:PORT". */
const char *simproc_url(const struct simproc *p);
int simproc_port(const struct simproc *p);
const char *simproc_kubeconfig(const struct simproc *p);
const char *simproc_request_log(const struct simproc *p);
/* The temporary directory (tests may put their own files there). */
const char *simproc_dir(const struct simproc *p);
pid_t simproc_pid(const struct simproc *p);

/*
 * SIGTERM, wait (SIGKILL after 20 s), remove the directory, free p. Returns
 * the exit status, or 128 + the signal that ended it. A NULL p returns -1.
 */
int simproc_stop(struct simproc *p);

#endif
