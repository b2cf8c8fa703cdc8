#ifndef PODSCOPE_SIM_PBUF_H
#define PODSCOPE_SIM_PBUF_H

#include <stddef.h>
#include <stdint.h>

/*
 * Just enough protobuf to read what kubectl's typed clients send
 * (Content-Type: application/vnd.kubernetes.protobuf): the "k8s\0" envelope
 * (runtime.Unknown) and a field-by-field reader for the message inside.
 * Answers are always JSON, which those clients also accept.
 */

struct pbuf {
	const uint8_t *p, *end;
};

struct pbuf_field {
	uint32_t num;
	int wire;            /* 0 varint, 1 fixed64, 2 bytes, 5 fixed32 */
	uint64_t varint;     /* wire 0 (and the fixed ones) */
	const uint8_t *data; /* wire 2 */
	size_t len;
};

/* 1 and the next field, 0 at the end, -1 on malformed input. */
int pbuf_next(struct pbuf *r, struct pbuf_field *f);

/*
 * Unwrap the envelope: 0 with *msg set to the encoded object (and kind into
 * kind[64] when not NULL), -1 when body is not a Kubernetes protobuf.
 */
int pbuf_unwrap(const void *body, size_t len, struct pbuf *msg, char *kind);

/* Copy a wire-2 field as a string into out (NUL-terminated, cut to size). */
void pbuf_string(const struct pbuf_field *f, char *out, size_t size);

#endif
