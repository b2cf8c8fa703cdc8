#ifndef PODSCOPE_SUBPROC_H
#define PODSCOPE_SUBPROC_H

#include <stdbool.h>
#include <stddef.h>

#include "podscope/buf.h"

/*
 * Internal to src/kube: run a helper program (an exec credential plugin)
 * to completion without a shell and without touching the terminal: stdin is
 * /dev/null, stdout and stderr are captured, signals start at their
 * defaults.
 */

struct ksubproc_out {
	struct buf out; /* stdout, up to out_max bytes (more is read and dropped) */
	struct buf err; /* the last few KiB of stderr */
	int status;     /* from waitpid() */
	bool timed_out; /* its process group killed (SIGKILL) after timeout_ms */
};

/* Find command as kubectl does: with a slash it is a path, relative to dir
 * when relative; without one it is looked up in PATH. Heap path, or NULL
 * with *err = ENOENT (not found) or EACCES (found, not executable). */
char *ksubproc_find(const char *command, const char *dir, int *err);

/*
 * Run path with argv and envp on the loop, in a process group of its own:
 * the screen goes on while it runs (an exec plugin that logs in). fn gets the
 * outcome once, when the program has exited and been reaped (with what it
 * wrote before it exited, even if a child of it still holds its stdout), or
 * when its whole process group was killed (SIGKILL) after timeout_ms; the
 * ksubproc is gone by then, and out is freed after fn returns. NULL with
 * *err = the errno when it cannot start.
 */
struct ploop;
struct ksubproc;
typedef void (*ksubproc_done_fn)(void *ud, const struct ksubproc_out *out);
struct ksubproc *ksubproc_start(struct ploop *l, const char *path, char *const argv[],
				char *const envp[], long timeout_ms, size_t out_max,
				ksubproc_done_fn fn, void *ud, int *err);
/* Kill it (its process group) and reap it now; fn is not called. NULL is
 * allowed. */
void ksubproc_cancel(struct ksubproc *s);

/* Free both buffers; stdout is overwritten first (it may hold a secret). */
void ksubproc_out_free(struct ksubproc_out *out);

/* The last non-empty line of the captured stderr, control characters made
 * spaces (C1 ones too), at most 200 bytes. Heap string, "" when there is none. */
char *ksubproc_last_err_line(const struct ksubproc_out *out);

#endif
