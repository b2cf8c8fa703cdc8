#ifndef PODSCOPE_DURATION_H
#define PODSCOPE_DURATION_H

#include <stddef.h>
#include <stdint.h>

#include "podscope/err.h"

/*
 * Time as Kubernetes and kubectl write it, with no clock and no time zone
 * database: every function is pure. Times are int64 milliseconds since the
 * Unix epoch (UTC); 0 means "unset", as a zero metav1.Time does.
 *
 * Output buffers: DURATION_BUF bytes are always enough for every formatter
 * here; a smaller buffer gets a truncated, NUL-terminated string.
 */
#define DURATION_BUF 40

#define DURATION_MS_PER_SEC  INT64_C(1000)
#define DURATION_NS_PER_MS   INT64_C(1000000)
#define DURATION_NS_PER_SEC  INT64_C(1000000000)

/*
 * apimachinery's HumanDuration of d_ms (which may be negative): "30s",
 * "5m10s", "100m", "3h4m", "2d", "2d5h", "90d", "3y20d", "10y"; "0s" for
 * every negative duration, where kubectl prints "<invalid>" below -1.999s
 * (podscope corrects ages for the server's clock and never prints that).
 * Seconds are truncated toward zero, as Go's int(d.Seconds()) does.
 */
void duration_human(int64_t d_ms, char *buf, size_t n);

/*
 * kubectl's translateTimestampSince: "<unknown>" when t_ms is 0 (unset),
 * otherwise duration_human(now_ms - t_ms). Used for AGE and "N (X ago)".
 */
void duration_since(int64_t t_ms, int64_t now_ms, char *buf, size_t n);

/*
 * Go's time.Duration.String() of d_ns nanoseconds: "0s", "250ms", "1.5s",
 * "10s", "1m20s", "2m40s", "5m0s", "1h0m0s", "-3s", "1µs". The kubelet
 * prints back-off delays this way ("back-off 5m0s restarting ...").
 */
void duration_go_string(int64_t d_ns, char *buf, size_t n);

/*
 * Go's time.ParseDuration, as kubectl reads --timeout and similar flags:
 * "30s", "5m", "1h30m", "250ms", "1.5h", "-2m", "0"; units ns, us, µs, ms,
 * s, m, h. On success stores nanoseconds and returns 0. On error returns -1
 * and sets err (PERR_USAGE) to Go's message, e.g.
 * `time: missing unit in duration "30"`.
 */
int duration_parse(const char *s, int64_t *out_ns, struct perr *err);

/*
 * RFC 3339 timestamp to milliseconds since the epoch:
 * "2024-05-01T12:34:56Z", "2024-05-01T12:34:56.123456Z",
 * "2024-05-01T14:34:56+02:00" (t and z in lower case are accepted too).
 * Fractional seconds beyond milliseconds are truncated. Returns 0 on
 * success, -1 (err set to PERR_API) on a malformed or out-of-range value.
 */
int duration_parse_rfc3339(const char *s, int64_t *out_ms, struct perr *err);

/*
 * Milliseconds since the epoch to RFC 3339 in UTC. With micro == 0:
 * "2024-05-01T12:34:56Z" (metav1.Time, seconds truncated toward the past);
 * with micro != 0: "2024-05-01T12:34:56.123000Z" (metav1.MicroTime).
 */
void duration_format_rfc3339(int64_t t_ms, int micro, char *buf, size_t n);

/* Days since 1970-01-01 of a proleptic Gregorian date, and back. */
int64_t duration_days_from_civil(int64_t y, unsigned m, unsigned d);
void duration_civil_from_days(int64_t days, int64_t *y, unsigned *m, unsigned *d);

#endif
