#ifndef PODSCOPE_SIMLAUNCH_H
#define PODSCOPE_SIMLAUNCH_H

#include <stdbool.h>

#include "podscope/err.h"

/*
 * Start podscope-sim as a child process, for `podscope --demo` and for the
 * tests: on a loopback port, writing its kubeconfig into a private directory
 * (mode 0700) that is removed again on stop. The child dies with us, even
 * when we crash (PR_SET_PDEATHSIG).
 */
struct simlaunch;

/* How to start it. All zero is the demo's way for every field but args. */
struct simlaunch_opts {
	/* Arguments after the launcher's own (--port, --write-kubeconfig,
	 * --request-log); NULL-terminated, may be NULL. */
	const char *const *args;
	/* The binary; NULL: simlaunch_find(). */
	const char *bin;
	/* Words, split at blanks, put in front of the command and looked up
	 * in PATH (the tests pass $PODSCOPE_SIM_WRAPPER, e.g. "valgrind -q
	 * --error-exitcode=99"); NULL: none. */
	const char *wrapper;
	/* Where the private directory goes; NULL: $XDG_RUNTIME_DIR when
	 * writable, else $TMPDIR, else /tmp. */
	const char *tmpdir;
	/* The port; 0: a free one. */
	int port;
	/* How long to wait until it listens and has written its kubeconfig;
	 * 0: 10 s. */
	int timeout_ms;
	/* --request-log DIR/requests.log (see simlaunch_request_log). */
	bool request_log;
	/* Its stderr stays ours (a test's log shows a wrapper's report)
	 * instead of going to DIR/sim.log, whose last line an error quotes. */
	bool keep_stderr;
};

/* Where podscope-sim is: $PODSCOPE_SIM_BIN, next to this binary, or PATH. */
char *simlaunch_find(void);

/*
 * Start it and wait until it says it listens and its kubeconfig is there.
 * NULL with err set when the binary (or the wrapper) cannot be run, when it
 * exits first (its exit status and last words) or at the deadline.
 */
struct simlaunch *simlaunch_start(const struct simlaunch_opts *o, struct perr *err);
/* "http://127.0.0.1:PORT", or https with --tls among the arguments. */
const char *simlaunch_url(const struct simlaunch *s);
int simlaunch_port(const struct simlaunch *s);
const char *simlaunch_kubeconfig(const struct simlaunch *s);
/* NULL unless opts.request_log. */
const char *simlaunch_request_log(const struct simlaunch *s);
/* The private directory (tests keep their own files there: stop removes
 * all it holds). */
const char *simlaunch_dir(const struct simlaunch *s);
int simlaunch_pid(const struct simlaunch *s);

/*
 * Remove what earlier demos left in dir ($XDG_RUNTIME_DIR, $TMPDIR or
 * /tmp) when they were killed before they could clean up: only directories
 * named podscope-demo.PID-START.XXXXXX, owned by us, not symbolic links,
 * whose process (PID started at START) is gone; in them only the files a
 * demo writes. simlaunch_start calls it first.
 */
void simlaunch_clean_stale(const char *dir);

/*
 * SIGTERM, wait (SIGKILL after 20 s), remove the private directory, free.
 * Returns the exit status, or 128 + the signal that ended it; -1 when s is
 * NULL or the status is lost.
 */
int simlaunch_stop(struct simlaunch *s);

#endif
