/*
 * mpread: the one out-of-line reader, mpread_skip.  Unknown fields can be
 * anything a sender chose, so skipping is where hostile nesting and
 * lying length headers arrive; it must stay iterative and bounded.
 */
#include "pooltop/mpread.h"

/* How a tag byte is laid out after the tag itself. */
struct mpread_shape {
	uint8_t lenbytes;   /* size of a big-endian length/count field */
	uint8_t fixed;      /* bytes of payload besides a counted one */
	uint8_t unit;       /* 0: length counts bytes; 1: array items; 2: map entries */
};

static int
mpread_shape(uint8_t c, struct mpread_shape *s, uint32_t *inline_n)
{
	*s = (struct mpread_shape){ 0, 0, 0 };
	*inline_n = 0;
	if (c <= 0x7f || c >= 0xe0 || c == 0xc0 || c == 0xc2 || c == 0xc3)
		return PROTO_OK;
	if (c <= 0x8f) {
		s->unit = 2;
		*inline_n = c & 0x0fu;
		return PROTO_OK;
	}
	if (c <= 0x9f) {
		s->unit = 1;
		*inline_n = c & 0x0fu;
		return PROTO_OK;
	}
	if (c <= 0xbf) {
		*inline_n = c & 0x1fu;
		return PROTO_OK;
	}
	switch (c) {
	case 0xc4: case 0xd9: s->lenbytes = 1; break;          /* bin8, str8 */
	case 0xc5: case 0xda: s->lenbytes = 2; break;          /* bin16, str16 */
	case 0xc6: case 0xdb: s->lenbytes = 4; break;          /* bin32, str32 */
	case 0xc7: s->lenbytes = 1; s->fixed = 1; break;       /* ext8 + type */
	case 0xc8: s->lenbytes = 2; s->fixed = 1; break;
	case 0xc9: s->lenbytes = 4; s->fixed = 1; break;
	case 0xcc: case 0xd0: s->fixed = 1; break;
	case 0xcd: case 0xd1: s->fixed = 2; break;
	case 0xca: case 0xce: case 0xd2: s->fixed = 4; break;
	case 0xcb: case 0xcf: case 0xd3: s->fixed = 8; break;
	case 0xd4: s->fixed = 2; break;                         /* fixext + type */
	case 0xd5: s->fixed = 3; break;
	case 0xd6: s->fixed = 5; break;
	case 0xd7: s->fixed = 9; break;
	case 0xd8: s->fixed = 17; break;
	case 0xdc: s->lenbytes = 2; s->unit = 1; break;
	case 0xdd: s->lenbytes = 4; s->unit = 1; break;
	case 0xde: s->lenbytes = 2; s->unit = 2; break;
	case 0xdf: s->lenbytes = 4; s->unit = 2; break;
	default: return PROTO_E_INVALID;                        /* 0xc1 */
	}
	return PROTO_OK;
}

static uint32_t
mpread_lenfield(const uint8_t *p, unsigned bytes)
{
	switch (bytes) {
	case 1: return p[0];
	case 2: return mpread_be16(p);
	case 4: return mpread_be32(p);
	default: return 0;
	}
}

/*
 * Each open container keeps a count of the values it still holds; a value
 * is consumed per loop turn and every turn reads at least its tag byte, so
 * the loop runs at most twice per input byte however large the counts.
 */
int
mpread_skip(struct mpread *r)
{
	const uint8_t *p = r->p;
	uint64_t rem[PROTO_DEPTH_MAX + 1];
	unsigned depth = 0;

	rem[0] = 1;
	for (;;) {
		struct mpread_shape s;
		uint32_t n;
		size_t left;
		int err;

		if (rem[depth] == 0) {
			if (depth == 0)
				break;
			depth--;
			continue;
		}
		rem[depth]--;
		if (p >= r->end)
			return PROTO_E_TRUNCATED;
		err = mpread_shape(*p++, &s, &n);
		if (err != PROTO_OK)
			return err;
		left = (size_t)(r->end - p);
		if (left < s.lenbytes)
			return PROTO_E_TRUNCATED;
		if (s.lenbytes) {
			n = mpread_lenfield(p, s.lenbytes);
			p += s.lenbytes;
			left -= s.lenbytes;
		}
		if (s.unit == 0) {
			if ((uint64_t)n + s.fixed > left)
				return PROTO_E_TRUNCATED;
			p += n + s.fixed;
			continue;
		}
		if ((uint64_t)n * s.unit > left)
			return PROTO_E_TRUNCATED;
		if (depth == PROTO_DEPTH_MAX)
			return PROTO_E_LIMIT;
		rem[++depth] = (uint64_t)n * s.unit;
	}
	r->p = p;
	return PROTO_OK;
}
