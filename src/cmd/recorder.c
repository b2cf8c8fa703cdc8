#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd_print.h"
#include "podscope/buf.h"
#include "podscope/informer.h"
#include "podscope/loop.h"
#include "podscope/recfile.h"
#include "podscope/serverclock.h"
#include "podscope/store.h"
#include "podscope/xalloc.h"
#include "recorder.h"

/* The recorder: see recorder.h. Encoded as it comes, written once a second
 * and at the end. */

#define FLUSH_MS 1000
/* Skew changes smaller than this are the estimate's noise, not news. */
#define CLOCK_STEP_MS 500
/* A state no informer has: the next poll records every informer's. */
#define STATE_UNSEEN 0xff

struct recorder {
	struct ploop *loop;
	struct store *store;
	struct informer_set *inf;
	struct rec_writer *w;
	struct buf pending;
	int fd;
	char *path;
	const char *who;
	int64_t max_bytes;
	int64_t size; /* of the file now written to */
	int failed;   /* errno of a failed write */
	unsigned rotations;
	void (*on_fail)(void *ud);
	void *ud;
	struct ptimer *flush_timer;
	uint8_t state[STORE_NKINDS];
	char *error[STORE_NKINDS];
	int64_t skew;
	bool skew_said;
	unsigned long events;
	int64_t floor_ms; /* events after a mark are later than it */
	/* Lists begun and not ended; whether this file holds a complete
	 * list yet (it rotates only then: a cap smaller than one list would
	 * otherwise make the informers list again every second). */
	uint64_t open_lists;
	bool listed;
};

static void add(struct recorder *r, struct rec_event *ev)
{
	if (r->failed || !r->w)
		return;
	ev->t_ms = serverclock_wall_ms();
	if (ev->t_ms <= r->floor_ms)
		ev->t_ms = r->floor_ms + 1;
	if (!rec_writer_event(r->w, ev, &r->pending))
		fprintf(stderr, "%s: an object of %s over %u MiB left out\n", r->who,
			store_kind_name((enum store_kind)ev->kind), REC_MAX_FRAME >> 20);
	else
		r->events++;
}

static void on_input(void *ud, enum store_input op, enum store_kind k, const struct cJSON *obj)
{
	struct recorder *r = ud;
	static const uint8_t ops[] = {[STORE_IN_UPSERT] = REC_UPSERT,
				      [STORE_IN_DELETE] = REC_DELETE,
				      [STORE_IN_LIST_BEGIN] = REC_LIST_BEGIN,
				      [STORE_IN_LIST_END] = REC_LIST_END};
	struct rec_event ev = {.op = ops[op], .kind = (uint8_t)k, .object = (struct cJSON *)obj};
	add(r, &ev);
	uint64_t bit = (unsigned)k < 64 ? 1ull << k : 0;
	if (op == STORE_IN_LIST_BEGIN)
		r->open_lists |= bit;
	if (op == STORE_IN_LIST_END) {
		r->open_lists &= ~bit;
		if (!r->open_lists)
			r->listed = true;
	}
}

void recorder_poll_status(struct recorder *r)
{
	for (int k = 0; r->inf && k < STORE_NKINDS; k++) {
		const struct informer_status *st = informer_set_status(r->inf, (enum store_kind)k);
		if (!st)
			continue;
		const char *err = st->last_error ? st->last_error : "";
		if (st->state == r->state[k] && r->error[k] && strcmp(r->error[k], err) == 0)
			continue;
		r->state[k] = (uint8_t)st->state;
		free(r->error[k]);
		r->error[k] = xstrdup(err);
		struct rec_event ev = {.op = REC_STATUS, .kind = (uint8_t)k, .value = st->state,
				       .text = err};
		add(r, &ev);
	}
	int64_t skew = serverclock_skew_ms();
	if (!r->skew_said || llabs(skew - r->skew) >= CLOCK_STEP_MS) {
		r->skew = skew;
		r->skew_said = true;
		struct rec_event ev = {.op = REC_CLOCK, .value = skew};
		add(r, &ev);
	}
}

static void fail(struct recorder *r, const char *what, int e)
{
	r->failed = e ? e : EIO;
	cmd_printf(stderr, "%s: %s: %s%s\n", r->who, r->path, what, strerror(r->failed));
	recorder_attach(r, NULL);
	if (r->on_fail)
		r->on_fail(r->ud);
}

/* FILE.(i) to FILE.(i+1), the oldest dropped; FILE to FILE.1. */
static int shift_old(const char *path)
{
	size_t n = strlen(path) + 16;
	char *from = xmalloc(n), *to = xmalloc(n);
	int rc = 0;
	for (int i = RECORDER_KEEP - 1; i >= 1 && rc == 0; i--) {
		snprintf(from, n, "%s.%d", path, i);
		snprintf(to, n, "%s.%d", path, i + 1);
		if (rename(from, to) < 0 && errno != ENOENT)
			rc = -1;
	}
	snprintf(to, n, "%s.1", path);
	if (rc == 0 && rename(path, to) < 0)
		rc = -1;
	free(from);
	free(to);
	return rc;
}

static int open_file(struct recorder *r)
{
	/* 0600: a recording holds the cluster's objects as the API gave them. */
	r->fd = open(r->path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOCTTY, 0600);
	if (r->fd < 0)
		return -1;
	struct stat sb;
	r->size = fstat(r->fd, &sb) == 0 ? (int64_t)sb.st_size : 0;
	return 0;
}

/* Past the cap: a new file with a new segment, and a full list in it. */
static void rotate(struct recorder *r)
{
	if (close(r->fd) < 0) {
		r->fd = -1;
		fail(r, "", errno);
		return;
	}
	r->fd = -1;
	if (shift_old(r->path) < 0 || open_file(r) < 0) {
		fail(r, "rotating: ", errno);
		return;
	}
	r->rotations++;
	r->listed = false;
	r->open_lists = 0;
	rec_writer_restart(r->w);
	/* The new file says every informer's state and the clock again... */
	for (int k = 0; k < STORE_NKINDS; k++)
		r->state[k] = STATE_UNSEEN;
	r->skew_said = false;
	recorder_poll_status(r);
	/* ...and holds a full list: the informers list everything again. */
	if (r->inf)
		informer_set_relist(r->inf);
}

static void flush(struct recorder *r)
{
	size_t off = 0;
	while (off < r->pending.len && !r->failed) {
		ssize_t n = write(r->fd, r->pending.data + off, r->pending.len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			fail(r, "", n < 0 ? errno : EIO);
			break;
		}
		off += (size_t)n;
	}
	r->size += (int64_t)off;
	buf_reset(&r->pending);
	if (!r->failed && r->max_bytes > 0 && r->size >= r->max_bytes && r->listed)
		rotate(r);
}

static void on_flush(void *ud)
{
	struct recorder *r = ud;
	r->flush_timer = NULL;
	recorder_poll_status(r);
	flush(r);
	if (!r->failed)
		r->flush_timer = ploop_timer_in(r->loop, FLUSH_MS, on_flush, r);
}

struct recorder *recorder_open(const struct recorder_opts *o, struct perr *err)
{
	struct recorder *r = xcalloc(1, sizeof(*r));
	r->who = o->who ? o->who : "podscope";
	r->on_fail = o->on_fail;
	r->ud = o->ud;
	r->fd = -1;
	for (int k = 0; k < STORE_NKINDS; k++)
		r->state[k] = STATE_UNSEEN;
	if (!o->path || strcmp(o->path, "-") == 0) {
		if (isatty(STDOUT_FILENO)) {
			perr_set(err, PERR_USAGE,
				 "a recording is binary: -o FILE, or redirect standard output");
			free(r);
			return NULL;
		}
		r->fd = STDOUT_FILENO;
		r->path = xstrdup("standard output");
	} else {
		r->path = xstrdup(o->path);
		r->max_bytes = o->max_bytes > 0 ? o->max_bytes : RECORDER_MAX_DEFAULT;
		if (open_file(r) < 0) {
			perr_set(err, PERR_SYSTEM, "%s: %s", o->path, strerror(errno));
			free(r->path);
			free(r);
			return NULL;
		}
	}
	return r;
}

void recorder_start(struct recorder *r, struct ploop *loop, const char *context)
{
	if (r->w)
		return;
	r->loop = loop;
	r->w = rec_writer_new(context ? context : "");
	rec_writer_set_lean(r->w, true);
	r->flush_timer = ploop_timer_in(loop, FLUSH_MS, on_flush, r);
}

int64_t recorder_skew(const struct recorder *r)
{
	return r->skew;
}

void recorder_attach(struct recorder *r, struct store *st)
{
	if (r->store)
		store_set_input_observer(r->store, NULL, NULL);
	r->store = r->failed ? NULL : st;
	if (r->store)
		store_set_input_observer(r->store, on_input, r);
}

void recorder_set_informers(struct recorder *r, struct informer_set *inf)
{
	if (r->inf && !inf)
		recorder_poll_status(r); /* the old ones' last word */
	r->inf = inf;
}

int64_t recorder_mark(struct recorder *r)
{
	int64_t t = serverclock_wall_ms();
	if (t <= r->floor_ms)
		t = r->floor_ms + 1;
	r->floor_ms = t;
	return t;
}

int recorder_close(struct recorder *r)
{
	if (!r)
		return 0;
	if (r->w) {
		recorder_poll_status(r);
		r->max_bytes = 0; /* no rotation on the way out */
		flush(r);
	}
	recorder_attach(r, NULL);
	if (r->flush_timer)
		ploop_timer_cancel(r->loop, r->flush_timer);
	r->flush_timer = NULL;
	int rc = r->failed ? 1 : 0;
	if (r->fd > STDERR_FILENO && close(r->fd) < 0 && !rc) {
		cmd_printf(stderr, "%s: %s: %s\n", r->who, r->path, strerror(errno));
		rc = 1;
	}
	for (int k = 0; k < STORE_NKINDS; k++)
		free(r->error[k]);
	rec_writer_free(r->w);
	buf_free(&r->pending);
	free(r->path);
	free(r);
	return rc;
}

unsigned long recorder_events(const struct recorder *r)
{
	return r->events;
}

const char *recorder_path(const struct recorder *r)
{
	return r->path;
}

bool recorder_failed(const struct recorder *r)
{
	return r->failed != 0;
}

unsigned recorder_rotations(const struct recorder *r)
{
	return r->rotations;
}

int recorder_parse_size(const char *s, int64_t *out, struct perr *err)
{
	const char *p = s;
	int64_t v = 0;
	if (!s || !*s)
		goto bad;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (v > RECORDER_MAX_MAX)
			goto bad;
		v = v * 10 + (*p - '0');
	}
	if (p == s)
		goto bad;
	int shift = 0;
	switch (*p) {
	case 'K': case 'k': shift = 10; p++; break;
	case 'M': case 'm': shift = 20; p++; break;
	case 'G': case 'g': shift = 30; p++; break;
	default: break;
	}
	if (*p == 'i' || *p == 'B')
		p += (*p == 'i' && p[1] == 'B') ? 2 : 1;
	if (*p || v > (RECORDER_MAX_MAX >> shift))
		goto bad;
	v <<= shift;
	if (v < RECORDER_MAX_MIN || v > RECORDER_MAX_MAX)
		goto bad;
	*out = v;
	return 0;
bad:
	perr_set(err, PERR_USAGE, "\"%.40s\" is not a size from 4K to 1024G (64M, 512K, 1G)",
		 s ? s : "");
	return -1;
}
