#ifndef PODSCOPE_SIMLAUNCH_H
#define PODSCOPE_SIMLAUNCH_H

#include "podscope/err.h"

/*
 * Start podscope-sim as a child process for `podscope --demo`: on a free
 * loopback port, with TLS, writing its kubeconfig into a private directory
 * (mode 0700) that is removed again on stop. The child dies with us, even
 * when we crash (PR_SET_PDEATHSIG).
 */
struct simlaunch;

/* Where podscope-sim is: $PODSCOPE_SIM_BIN, next to this binary, or PATH. */
char *simlaunch_find(void);

/* Start it with the given extra arguments (NULL-terminated) and wait until
 * it listens, at most timeout_ms. */
struct simlaunch *simlaunch_start(const char *const *extra_args, int timeout_ms, struct perr *err);
const char *simlaunch_kubeconfig(const struct simlaunch *s);
const char *simlaunch_url(const struct simlaunch *s);
int simlaunch_pid(const struct simlaunch *s);

/*
 * Remove what earlier demos left in dir ($XDG_RUNTIME_DIR, $TMPDIR or
 * /tmp) when they were killed before they could clean up: only directories
 * named podscope-demo.PID-START.XXXXXX, owned by us, not symbolic links,
 * whose process (PID started at START) is gone; in them only the files a
 * demo writes. simlaunch_start calls it first.
 */
void simlaunch_clean_stale(const char *dir);

/* SIGTERM, wait, remove the private directory, free. */
void simlaunch_stop(struct simlaunch *s);

#endif
