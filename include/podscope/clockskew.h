#ifndef PODSCOPE_CLOCKSKEW_H
#define PODSCOPE_CLOCKSKEW_H

#include <stddef.h>
#include <stdint.h>

/*
 * How far the API server's clock is from ours, estimated from the Date
 * header of its responses (pure: the kube client feeds it, with the local
 * wall times at which each request started and its headers arrived).
 *
 * A Date has whole seconds, so a sample is Date + 0.5 s against the
 * midpoint of the request; a sample whose round trip took longer than
 * CLOCKSKEW_MAX_RTT_MS says little and is ignored, as is a Date that does
 * not parse or is more than CLOCKSKEW_MAX_MS off. The estimate is the
 * median of the last CLOCKSKEW_WINDOW samples, in whole seconds, and 0
 * while it is within CLOCKSKEW_NOISE_MS (the Date's own resolution):
 * a server in step is not "1 s off".
 */
#define CLOCKSKEW_WINDOW     15
#define CLOCKSKEW_MAX_MS     (INT64_C(30) * 86400 * 1000)
#define CLOCKSKEW_MAX_RTT_MS 5000
#define CLOCKSKEW_NOISE_MS   1500
/* The skew worth telling the user about ("server clock +2m13s"). */
#define CLOCKSKEW_SHOW_MS    5000

struct clockskew {
	int64_t sample[CLOCKSKEW_WINDOW]; /* server minus local, ms */
	unsigned n, next;
	int64_t estimate; /* ms, whole seconds */
};

/* An RFC 7231 IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT") to ms since
 * the epoch. Returns 0, or -1 when s is anything else. */
int clockskew_parse_date(const char *s, int64_t *out_ms);

/* One response: its Date header value (NULL: none), and the local wall
 * times (ms) when the request started and its headers came. Returns 0 when
 * the sample was used, -1 when ignored. */
int clockskew_add(struct clockskew *c, const char *date, int64_t start_ms, int64_t end_ms);

/* Server clock minus ours, ms (a multiple of 1000); 0 before any sample. */
int64_t clockskew_get(const struct clockskew *c);

/* "+2m13s", "-5m0s", "+1h0m0s" (Go's Duration.String with a sign) of
 * skew_ms in whole seconds. */
void clockskew_format(int64_t skew_ms, char *buf, size_t n);

#endif
