#ifndef PODSCOPE_CMD_FLEET_H
#define PODSCOPE_CMD_FLEET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "cmd_common.h"

/*
 * Many clusters in the headless commands (--context a,b,c, --contexts
 * REGEX, --all-contexts): one cmd_session per context, all on one loop,
 * each with its own connection, client, store, informers, back-off and
 * errors. A context whose kubeconfig entry is broken, whose server is down,
 * silent or refuses us is named on stderr with why and dropped; it never
 * stalls or hides the others.
 */

/* A context that brought no page for this long before its first complete
 * list is given up ("no answer"): a silent server, not a slow one. */
#define CMD_FLEET_STALL_MS 15000

struct cmd_fleet_member {
	char *context; /* as the kubeconfig spells it */
	char *shown;   /* the same, escaped for a terminal */
	char *label;   /* "get: prod-us", for the session's messages */
	struct cmd_session ses;
	bool live;     /* its session is open and has not failed */
	bool failed;   /* named on stderr as failed */
	char *why;     /* then why (as in the kubeconfig's text, not escaped) */
	bool synced;
	int64_t progress_ms; /* when its last page (or a synced kind) arrived */
	uint64_t progress;   /* what counted as progress then */
};

struct cmd_fleet {
	const char *cmd;
	struct ploop *loop;
	struct cmd_fleet_member *m;
	size_t n;
	size_t n_failed;
	size_t n_timed_out; /* of those, still listing at cmd_fleet_sync's deadline */
	int width; /* display columns of the widest shown name */
};

/*
 * The contexts the flags name, each opened (not started) on one loop.
 * Returns 0 with f->n 0 when one context is meant (use cmd_session_open);
 * 0 with f->n > 0 for a fleet, its members that could not be opened
 * already named on stderr and counted in n_failed; 2 (usage or config,
 * said) when the flags conflict, a listed context is missing or none can
 * be opened.
 */
int cmd_fleet_open(struct cmd_fleet *f, struct cli *cli, const char *cmd, unsigned kinds,
		   bool one_shot);

/*
 * Start every member and run the loop until each has listed everything
 * once, failed (cmd_session_sync's rules), or brought nothing for
 * CMD_FLEET_STALL_MS; a failed member is named on stderr ("podscope get:
 * prod-us: connection refused") and closed. deadline_ms (ploop clock, 0:
 * none): the members still listing then fail. Returns the live members.
 */
size_t cmd_fleet_sync(struct cmd_fleet *f, int64_t deadline_ms);

/* Name member i as failed (why on stderr, through cmd_printf) and close it. */
void cmd_fleet_fail(struct cmd_fleet *f, size_t i, const char *why);

void cmd_fleet_close(struct cmd_fleet *f);

/* get over a fleet (cmd_get_fleet.c): get's exit status. */
int get_fleet(struct cmd_fleet *f, const char *kind, const char *name, const char *out);

/* Refuse several contexts for a command that works on one (exit 2 after
 * the message), 0 when one context is meant. */
int cmd_fleet_refuse(struct cli *cli, const char *cmd);

/*
 * What one member prints, captured: between begin and end, stdout and
 * stderr go to memory; end writes the captured lines to the real streams,
 * each stdout line after out_prefix, each stderr line as "podscope CMD:
 * CTX: ..." when it was "podscope CMD: ...", else after "CTX: ". The
 * prefixes must already be escaped. (glibc lets stdout and stderr be
 * assigned; the printers keep writing to "stdout".)
 */
struct cmd_capture {
	FILE *out, *err; /* the real streams */
	FILE *mout, *merr;
	char *bout, *berr;
	size_t lout, lerr;
};
void cmd_capture_begin(struct cmd_capture *c);
/* The same for stderr only: stdout stays the real one. */
void cmd_capture_begin_err(struct cmd_capture *c);
/* After cmd_capture_begin_err: the captured stderr written as end does. */
void cmd_capture_end_err(struct cmd_capture *c, const char *cmd, const char *ctx);
void cmd_capture_end(struct cmd_capture *c, const char *out_prefix, const char *cmd,
		     const char *ctx);
/* The captured stdout without writing it (end's out_prefix NULL): the
 * caller owns *text (free it); stderr is written as end does. */
char *cmd_capture_take(struct cmd_capture *c, size_t *len, const char *cmd, const char *ctx);

#endif
