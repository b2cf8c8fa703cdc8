#ifndef PODSCOPE_CMD_RECORDER_H
#define PODSCOPE_CMD_RECORDER_H

#include <stdbool.h>
#include <stdint.h>

#include "podscope/err.h"

/*
 * The one recorder (doc/recording.md), shared by `podscope record` and
 * `--record FILE` on the dashboard and the wallboard: the store's input
 * (every list, upsert and delete the informers apply), the informers'
 * states and the server clock, encoded as they come and written once a
 * second (a crash loses at most that second), the file mode 0600 and
 * opened for appending. Past max_bytes the file is renamed FILE.1 (FILE.1
 * to FILE.2 ..., keep old ones) and a new file begins; the informers list
 * everything again, so that each file holds a full list and replays on
 * its own.
 */

struct ploop;
struct store;
struct informer_set;

/* --record-max's default, and how many rotated files are kept. */
#define RECORDER_MAX_DEFAULT ((int64_t)64 << 20)
#define RECORDER_KEEP 3
/* The smallest and largest --record-max. */
#define RECORDER_MAX_MIN ((int64_t)4 << 10)
#define RECORDER_MAX_MAX ((int64_t)1 << 40)

struct recorder_opts {
	const char *path;    /* a file, or "-" / NULL for standard output (no rotation) */
	const char *who;     /* "podscope record", "podscope": the messages' prefix */
	int64_t max_bytes;   /* rotation (0: RECORDER_MAX_DEFAULT) */
	/* Called once after a write fails (the recording stops); NULL: none. */
	void (*on_fail)(void *ud);
	void *ud;
};

struct recorder;

/* Open the file. NULL with err (the file's name and why) when it cannot
 * be opened (or is standard output on a terminal). */
struct recorder *recorder_open(const struct recorder_opts *o, struct perr *err);
/* Start recording on loop for context: the flush timer. Before that,
 * nothing is recorded. */
void recorder_start(struct recorder *r, struct ploop *loop, const char *context);
/* Record st's input from now on (NULL: stop). */
void recorder_attach(struct recorder *r, struct store *st);
/* The informers whose states are recorded and which list again at a
 * rotation (NULL: none, e.g. while the dashboard makes new ones). */
void recorder_set_informers(struct recorder *r, struct informer_set *inf);
/* Record the informers' states and the clock estimate when they changed
 * (each flush does it too). */
void recorder_poll_status(struct recorder *r);
/* A moment between events: a time (ms) later than every event recorded,
 * and earlier than every event recorded after (the snapshots' times). */
int64_t recorder_mark(struct recorder *r);
/* Record and write what is pending, stop, close. Returns 0, or 1 after a
 * write or close failed (said on stderr). Frees r. */
int recorder_close(struct recorder *r);

unsigned long recorder_events(const struct recorder *r);
/* The file's name ("standard output"), or the error that stopped it. */
const char *recorder_path(const struct recorder *r);
bool recorder_failed(const struct recorder *r);
unsigned recorder_rotations(const struct recorder *r);
/* The server clock's skew as last recorded (what a replay applies). */
int64_t recorder_skew(const struct recorder *r);

/* "64M", "512K", "1G", "100000" (bytes) within RECORDER_MAX_MIN..MAX:
 * 0, or -1 with err. */
int recorder_parse_size(const char *s, int64_t *out, struct perr *err);

#endif
