#ifndef PODSCOPE_RECFILE_H
#define PODSCOPE_RECFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "podscope/buf.h"
#include "podscope/err.h"

/*
 * The recording format (doc/recording.md): what the informers gave the
 * store, event by event, with the time each arrived. Pure: events in, bytes
 * out, and back; the file, its flushing and rotation belong to the caller.
 *
 * A file is one or more segments, each a header and then frames. A frame
 * is its payload's length, a CRC-32 of the payload, and the payload: the
 * time since the previous frame, an operation, a kind, and the object as a
 * compact binary JSON whose strings are said once per segment and then
 * referred to by number. Appending is starting a new segment; a reader
 * that meets a torn or corrupt frame skips to the next segment header, so
 * a crash costs at most what was not yet written.
 */

struct cJSON;

enum rec_op {
	REC_LIST_BEGIN = 1, /* a list of kind starts: a replace-all follows */
	REC_UPSERT,         /* object added or changed (list item or watch event) */
	REC_DELETE,         /* object deleted */
	REC_LIST_END,       /* the list is complete: what it did not name is gone */
	REC_STATUS,         /* the informer of kind changed state: value, text */
	REC_CLOCK,          /* the server clock's estimate: value = skew in ms */
	REC_OP_MAX = REC_CLOCK
};

struct rec_event {
	int64_t t_ms;         /* when it arrived, ms since the epoch (this machine) */
	uint8_t op;           /* enum rec_op */
	uint8_t kind;         /* enum store_kind; 0 for REC_CLOCK */
	int64_t value;        /* REC_STATUS: the informer state; REC_CLOCK: skew ms */
	const char *text;     /* REC_STATUS: its last error ("" or NULL: none) */
	struct cJSON *object; /* REC_UPSERT, REC_DELETE: as the API server sent it */
};

/* Caps, shared by writer and reader: a reader refuses more. */
#define REC_MAX_FRAME (64u << 20)     /* bytes in one frame's payload */
#define REC_MAX_DEPTH 64              /* nesting of objects and arrays */
#define REC_MAX_DICT 262144u          /* strings in one segment's dictionary */
#define REC_MAX_DICT_BYTES (32u << 20) /* their bytes */
#define REC_MAX_CONTEXT 253            /* the context name in a header */

struct rec_writer;

/* A writer for the kubeconfig context named context (capped, may be ""). */
struct rec_writer *rec_writer_new(const char *context);
/* Append ev's frame to out, after a segment header when one is due (the
 * first event, and when the dictionary is full). false, with nothing of
 * the event written, when its frame would pass REC_MAX_FRAME. */
bool rec_writer_event(struct rec_writer *w, const struct rec_event *ev, struct buf *out);
/* Lean (off by default): leave out of objects what podscope's store never
 * reads and what may hold a password: metadata.managedFields, the
 * kubectl.kubernetes.io/last-applied-configuration annotation, and the env
 * and envFrom of containers, init containers and ephemeral containers. */
void rec_writer_set_lean(struct rec_writer *w, bool lean);
/* Start a new segment at the next event (a new file after rotation). */
void rec_writer_restart(struct rec_writer *w);
void rec_writer_free(struct rec_writer *w);

struct rec_reader;

/* A reader of data[0..len), which must outlive it. */
struct rec_reader *rec_reader_new(const uint8_t *data, size_t len);
/*
 * The next event: 1 with *ev filled (ev->object, when set, and ev->text
 * belong to the reader until the next call), 0 at the end, -1 when the
 * data does not begin as a recording (err says why). A damaged frame is
 * skipped with the rest of its segment: rec_reader_damage counts them and
 * rec_reader_last_damage says where and what the last was ("" when none).
 */
int rec_reader_next(struct rec_reader *r, struct rec_event *ev, struct perr *err);
/* The context of the segment the last event came from. */
const char *rec_reader_context(const struct rec_reader *r);
/* How many segment headers were read so far: the last event's segment
 * number (1 for the first); a change means a new segment (an appended
 * run, a rotation, a damaged frame skipped). */
unsigned long rec_reader_segment(const struct rec_reader *r);
/* The byte at which that segment's header begins: a reader of the data
 * from there reads that segment and what follows (a jump into a file). */
size_t rec_reader_segment_offset(const struct rec_reader *r);
unsigned long rec_reader_damage(const struct rec_reader *r);
const char *rec_reader_last_damage(const struct rec_reader *r);
void rec_reader_free(struct rec_reader *r);

struct store;
/*
 * Give ev to the store as the informers gave it live: 1 when it was a store
 * event (list begin or end, upsert, delete), 0 for status and clock events
 * (the caller's), -1 for a kind this podscope does not know (a newer
 * recording), which changes nothing.
 */
int rec_apply(struct store *s, const struct rec_event *ev);

#endif
