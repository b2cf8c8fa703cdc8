#include "config.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "podscope/rollout.h"
#include "podscope/sanitize.h"

/*
 * kubectl's StatefulSetStatusViewer and DaemonSetStatusViewer
 * (pkg/polymorphichelpers/rollout_status.go), restated.
 */

#define NOT_ROLLING "rollout status is only available for RollingUpdate strategy type"

/*
 * s as Go's %q writes it, cut to fit n bytes. ASCII is exact (\a \b \f \n
 * \r \t \v, \xNN, \" and \\); beyond ASCII, invalid bytes are \xNN and
 * the characters sanitize escapes (C1, bidi and invisible format
 * characters) are \uNNNN as in Go, while other characters are kept, where
 * Go would also escape the few other non-printing ones.
 */
static void go_quote(const char *s, char *out, size_t n)
{
	size_t o = 0;
	char tmp[16];
	struct sanitize_unit u;

	out[o++] = '"';
	while (s && *s) {
		unsigned char c = (unsigned char)*s;
		const char *piece = tmp;
		size_t len;
		if (c >= 0x80) {
			len = sanitize_next(s, 0, &u);
			if (u.esc[0]) {
				piece = u.esc;
			} else {
				memcpy(tmp, s, len);
				tmp[len] = '\0';
			}
			s += len;
		} else {
			static const char ctl[] = "abtnvfr";
			if (c == '"' || c == '\\')
				snprintf(tmp, sizeof(tmp), "\\%c", c);
			else if (c >= 7 && c <= 13)
				snprintf(tmp, sizeof(tmp), "\\%c", ctl[c - 7]);
			else if (c < 0x20 || c == 0x7f)
				snprintf(tmp, sizeof(tmp), "\\x%02x", c);
			else
				snprintf(tmp, sizeof(tmp), "%c", c);
			s++;
		}
		len = strlen(piece);
		if (o + len + 2 > n)
			break;
		memcpy(out + o, piece, len);
		o += len;
	}
	out[o++] = '"';
	out[o] = '\0';
}

/* Go's int32 a - b, which wraps around. */
static int32_t sub32(int32_t a, int32_t b)
{
	return (int32_t)(uint32_t)((uint32_t)a - (uint32_t)b);
}

/* The message into r; a message cut to fit still ends in its newline. */
static int say(struct rollout_result *r, enum rollout_state state, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int say(struct rollout_result *r, enum rollout_state state, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int len = vsnprintf(r->msg, sizeof(r->msg), fmt, ap);
	va_end(ap);
	if (state != ROLLOUT_ERROR && len >= (int)sizeof(r->msg))
		r->msg[sizeof(r->msg) - 2] = '\n';
	r->state = (uint8_t)state;
	return state;
}

int rollout_statefulset_status(const struct statefulset *s, struct rollout_result *r)
{
	r->msg[0] = '\0';
	if (s->update_strategy != UPDATE_ROLLING_UPDATE)
		return say(r, ROLLOUT_ERROR, "%s", NOT_ROLLING);
	if (s->w.observed_generation == 0 || s->w.generation > s->w.observed_generation)
		return say(r, ROLLOUT_WAITING,
			   "Waiting for statefulset spec update to be observed...\n");
	if (s->has_spec_replicas && s->ready_replicas < s->spec_replicas)
		return say(r, ROLLOUT_WAITING, "Waiting for %d pods to be ready...\n",
			   (int)sub32(s->spec_replicas, s->ready_replicas));
	if (s->has_rolling_update) {
		if (s->has_spec_replicas && s->has_partition) {
			int32_t want = sub32(s->spec_replicas, s->partition);
			if (s->updated_replicas < want)
				return say(
				    r, ROLLOUT_WAITING,
				    "Waiting for partitioned roll out to finish: %d out of %d "
				    "new pods have been updated...\n",
				    (int)s->updated_replicas, (int)want);
		}
		return say(r, ROLLOUT_DONE,
			   "partitioned roll out complete: %d new pods have been updated...\n",
			   (int)s->updated_replicas);
	}
	const char *cur = s->current_revision ? s->current_revision : "";
	const char *upd = s->update_revision ? s->update_revision : "";
	if (strcmp(upd, cur) != 0)
		return say(r, ROLLOUT_WAITING,
			   "waiting for statefulset rolling update to complete %d pods at revision "
			   "%s...\n",
			   (int)s->updated_replicas, upd);
	return say(r, ROLLOUT_DONE,
		   "statefulset rolling update complete %d pods at revision %s...\n",
		   (int)s->current_replicas, cur);
}

int rollout_daemonset_status(const struct daemonset *ds, struct rollout_result *r)
{
	char name[sizeof(r->msg)];

	r->msg[0] = '\0';
	if (ds->update_strategy != UPDATE_ROLLING_UPDATE)
		return say(r, ROLLOUT_ERROR, "%s", NOT_ROLLING);
	if (ds->w.generation > ds->w.observed_generation)
		return say(r, ROLLOUT_WAITING,
			   "Waiting for daemon set spec update to be observed...\n");
	go_quote(ds->w.name, name, sizeof(name));
	if (ds->updated_number_scheduled < ds->desired_number_scheduled)
		return say(
		    r, ROLLOUT_WAITING,
		    "Waiting for daemon set %s rollout to finish: %d out of %d new pods have "
		    "been updated...\n",
		    name, (int)ds->updated_number_scheduled, (int)ds->desired_number_scheduled);
	if (ds->number_available < ds->desired_number_scheduled)
		return say(r, ROLLOUT_WAITING,
			   "Waiting for daemon set %s rollout to finish: %d of %d updated pods are "
			   "available...\n",
			   name, (int)ds->number_available, (int)ds->desired_number_scheduled);
	return say(r, ROLLOUT_DONE, "daemon set %s successfully rolled out\n", name);
}
