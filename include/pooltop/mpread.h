/*
 * mpread: a bounded msgpack reader over untrusted bytes.
 *
 * A reader is two pointers into a caller-owned buffer; nothing is copied
 * or allocated.  Every function returns PROTO_OK or a negative enum
 * proto_err and advances the reader only on success, so a caller can
 * retry the same value as another type (e.g. mpread_is_nil, then
 * mpread_str).  Container headers are checked against the bytes that
 * remain (an element needs at least one byte, a map entry two), so a
 * count returned by mpread_map or mpread_array is always small enough to
 * loop over or allocate for.
 *
 * The small readers are inline because decoding an event is a hot path
 * and each value is usually a single tag byte or two.
 */
#ifndef POOLTOP_MPREAD_H
#define POOLTOP_MPREAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "pooltop/proto.h"

struct mpread {
	const uint8_t *p;    /* next byte to read */
	const uint8_t *end;  /* one past the last byte */
};

static inline void
mpread_init(struct mpread *r, const uint8_t *buf, size_t len)
{
	r->p = buf;
	r->end = buf + len;
}

static inline size_t
mpread_left(const struct mpread *r)
{
	return (size_t)(r->end - r->p);
}

static inline uint16_t
mpread_be16(const uint8_t *p)
{
	return (uint16_t)((unsigned)p[0] << 8 | p[1]);
}

static inline uint32_t
mpread_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static inline uint64_t
mpread_be64(const uint8_t *p)
{
	return (uint64_t)mpread_be32(p) << 32 | mpread_be32(p + 4);
}

/* The error for a tag that is not the type asked for: 0xc1 is never valid
 * msgpack, anything else is merely the wrong type. */
static inline int
mpread_mismatch(const struct mpread *r)
{
	return *r->p == 0xc1 ? PROTO_E_INVALID : PROTO_E_TYPE;
}

/* Reads a container header of `hdr` bytes whose count sits after the tag.
 * `unit` is the minimum bytes per counted element (1 array, 2 map). */
static inline int
mpread_count(struct mpread *r, size_t hdr, uint32_t n, unsigned unit, uint32_t *out)
{
	if ((uint64_t)n * unit > mpread_left(r) - hdr)
		return PROTO_E_TRUNCATED;
	r->p += hdr;
	*out = n;
	return PROTO_OK;
}

static inline int
mpread_map(struct mpread *r, uint32_t *n)
{
	size_t left = mpread_left(r);

	if (left == 0)
		return PROTO_E_TRUNCATED;
	if ((*r->p & 0xf0) == 0x80)
		return mpread_count(r, 1, *r->p & 0x0fu, 2, n);
	if (*r->p == 0xde)
		return left < 3 ? PROTO_E_TRUNCATED : mpread_count(r, 3, mpread_be16(r->p + 1), 2, n);
	if (*r->p == 0xdf)
		return left < 5 ? PROTO_E_TRUNCATED : mpread_count(r, 5, mpread_be32(r->p + 1), 2, n);
	return mpread_mismatch(r);
}

static inline int
mpread_array(struct mpread *r, uint32_t *n)
{
	size_t left = mpread_left(r);

	if (left == 0)
		return PROTO_E_TRUNCATED;
	if ((*r->p & 0xf0) == 0x90)
		return mpread_count(r, 1, *r->p & 0x0fu, 1, n);
	if (*r->p == 0xdc)
		return left < 3 ? PROTO_E_TRUNCATED : mpread_count(r, 3, mpread_be16(r->p + 1), 1, n);
	if (*r->p == 0xdd)
		return left < 5 ? PROTO_E_TRUNCATED : mpread_count(r, 5, mpread_be32(r->p + 1), 1, n);
	return mpread_mismatch(r);
}

/* A str value: *s points into the buffer and is NOT NUL-terminated. */
static inline int
mpread_str(struct mpread *r, const char **s, uint32_t *len)
{
	size_t left = mpread_left(r);
	size_t hdr;
	uint32_t n;

	if (left == 0)
		return PROTO_E_TRUNCATED;
	if ((*r->p & 0xe0) == 0xa0) {
		hdr = 1;
		n = *r->p & 0x1fu;
	} else if (*r->p == 0xd9) {
		if (left < 2)
			return PROTO_E_TRUNCATED;
		hdr = 2;
		n = r->p[1];
	} else if (*r->p == 0xda) {
		if (left < 3)
			return PROTO_E_TRUNCATED;
		hdr = 3;
		n = mpread_be16(r->p + 1);
	} else if (*r->p == 0xdb) {
		if (left < 5)
			return PROTO_E_TRUNCATED;
		hdr = 5;
		n = mpread_be32(r->p + 1);
	} else {
		return mpread_mismatch(r);
	}
	if (n > left - hdr)
		return PROTO_E_TRUNCATED;
	*s = (const char *)r->p + hdr;
	*len = n;
	r->p += hdr + n;
	return PROTO_OK;
}

/* Bytes that follow tag byte `c` of an int or float, or 0 if c is not a
 * number tag with a payload. */
static inline size_t
mpread_num_size(uint8_t c)
{
	switch (c) {
	case 0xcc: case 0xd0: return 1;
	case 0xcd: case 0xd1: return 2;
	case 0xce: case 0xd2: case 0xca: return 4;
	case 0xcf: case 0xd3: case 0xcb: return 8;
	default: return 0;
	}
}

/* The raw payload of a number value with tag c (size from mpread_num_size),
 * sign-extended for the int tags. */
static inline uint64_t
mpread_num_bits(uint8_t c, const uint8_t *p)
{
	switch (c) {
	case 0xcc: return p[0];
	case 0xcd: return mpread_be16(p);
	case 0xce: case 0xca: return mpread_be32(p);
	case 0xd0: return (uint64_t)(int64_t)(int8_t)p[0];
	case 0xd1: return (uint64_t)(int64_t)(int16_t)mpread_be16(p);
	case 0xd2: return (uint64_t)(int64_t)(int32_t)mpread_be32(p);
	default: return mpread_be64(p);
	}
}

/*
 * An integer of any msgpack int encoding as raw 64 bits; *neg tells
 * whether it came from a signed tag with a negative value.  Floats are
 * not integers here.
 */
static inline int
mpread_intbits(struct mpread *r, uint64_t *v, bool *neg)
{
	uint8_t c;
	size_t n;

	if (r->p >= r->end)
		return PROTO_E_TRUNCATED;
	c = *r->p;
	if (c < 0x80 || c >= 0xe0) {
		*v = (uint64_t)(int64_t)(int8_t)c;
		*neg = c >= 0xe0;
		r->p++;
		return PROTO_OK;
	}
	if (c < 0xcc || c > 0xd3)
		return mpread_mismatch(r);
	n = mpread_num_size(c);
	if (mpread_left(r) - 1 < n)
		return PROTO_E_TRUNCATED;
	*v = mpread_num_bits(c, r->p + 1);
	*neg = c >= 0xd0 && (int64_t)*v < 0;
	r->p += 1 + n;
	return PROTO_OK;
}

/* A non-negative integer; a negative one is PROTO_E_VALUE. */
static inline int
mpread_uint(struct mpread *r, uint64_t *v)
{
	const uint8_t *save = r->p;
	bool neg;
	int err;

	if (r->p < r->end && *r->p < 0x80) {
		*v = *r->p++;
		return PROTO_OK;
	}
	err = mpread_intbits(r, v, &neg);
	if (err == PROTO_OK && neg) {
		r->p = save;
		return PROTO_E_VALUE;
	}
	return err;
}

/* A signed integer; a uint64 above INT64_MAX is PROTO_E_VALUE. */
static inline int
mpread_int(struct mpread *r, int64_t *v)
{
	const uint8_t *save = r->p;
	uint64_t u;
	bool neg;
	int err = mpread_intbits(r, &u, &neg);

	if (err != PROTO_OK)
		return err;
	if (!neg && u > (uint64_t)INT64_MAX) {
		r->p = save;
		return PROTO_E_VALUE;
	}
	*v = (int64_t)u;
	return PROTO_OK;
}

static inline int
mpread_bool(struct mpread *r, bool *v)
{
	if (r->p >= r->end)
		return PROTO_E_TRUNCATED;
	if (*r->p != 0xc2 && *r->p != 0xc3)
		return mpread_mismatch(r);
	*v = *r->p++ == 0xc3;
	return PROTO_OK;
}

static inline bool
mpread_is_nil(const struct mpread *r)
{
	return r->p < r->end && *r->p == 0xc0;
}

static inline int
mpread_nil(struct mpread *r)
{
	if (r->p >= r->end)
		return PROTO_E_TRUNCATED;
	if (*r->p != 0xc0)
		return mpread_mismatch(r);
	r->p++;
	return PROTO_OK;
}

/* A float32, float64 or any integer, as a double (large integers round). */
static inline int
mpread_double(struct mpread *r, double *v)
{
	uint64_t bits;
	bool neg;
	uint8_t c;
	int err;

	if (r->p >= r->end)
		return PROTO_E_TRUNCATED;
	c = *r->p;
	if (c == 0xca || c == 0xcb) {
		size_t n = mpread_num_size(c);

		if (mpread_left(r) - 1 < n)
			return PROTO_E_TRUNCATED;
		bits = mpread_num_bits(c, r->p + 1);
		if (c == 0xca) {
			uint32_t b32 = (uint32_t)bits;
			float f;

			memcpy(&f, &b32, sizeof f);
			*v = f;
		} else {
			memcpy(v, &bits, sizeof *v);
		}
		r->p += 1 + n;
		return PROTO_OK;
	}
	err = mpread_intbits(r, &bits, &neg);
	if (err != PROTO_OK)
		return err;
	*v = neg ? (double)(int64_t)bits : (double)bits;
	return PROTO_OK;
}

/*
 * Skips one value of any type.  Containers inside it may nest at most
 * PROTO_DEPTH_MAX deep (PROTO_E_LIMIT beyond); the work done is linear in
 * the bytes skipped, whatever the headers claim.
 */
int mpread_skip(struct mpread *r);

#endif
