/*
 * fuzz_decode: libFuzzer entry feeding every input to all three decoders
 * (replies once per op).  Beyond "no crash, no leak", anything that
 * decodes must survive a round trip: encode it, decode that, encode again
 * and get the same bytes.  A decoder that accepts what the encoder cannot
 * say, or loses a field, aborts here.
 *
 * Built with clang -fsanitize=fuzzer by `make fuzz`, and with gcc plus
 * tests/fuzz/replay.c as the corpus replayer of `make check`.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pooltop/proto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
fuzz_same(const struct proto_buf *a, const struct proto_buf *b, const char *what)
{
	if (a->len != b->len || memcmp(a->data, b->data, a->len) != 0) {
		fprintf(stderr, "fuzz: %s does not survive a round trip\n", what);
		abort();
	}
}

static void
fuzz_event(const uint8_t *data, size_t size)
{
	struct proto_event ev, again;
	struct proto_buf b1, b2;

	if (proto_decode_event(data, size, &ev) != PROTO_OK)
		return;
	proto_buf_init(&b1);
	proto_buf_init(&b2);
	if (proto_encode_event(&b1, &ev) != PROTO_OK ||
	    proto_decode_event(b1.data, b1.len, &again) != PROTO_OK ||
	    proto_encode_event(&b2, &again) != PROTO_OK)
		abort();
	fuzz_same(&b1, &b2, "event");
	proto_buf_free(&b1);
	proto_buf_free(&b2);
}

static void
fuzz_request(const uint8_t *data, size_t size)
{
	struct proto_request rq, again;
	struct proto_buf b1, b2;
	int rc = proto_decode_request(data, size, &rq);

	if (rc != PROTO_OK) {
		if (rq.agents != NULL || strlen(rq.id) > PROTO_REQID_MAX)
			abort();
		return;
	}
	proto_buf_init(&b1);
	proto_buf_init(&b2);
	if (proto_encode_request(&b1, &rq) != PROTO_OK ||
	    proto_decode_request(b1.data, b1.len, &again) != PROTO_OK ||
	    proto_encode_request(&b2, &again) != PROTO_OK)
		abort();
	fuzz_same(&b1, &b2, "request");
	proto_request_free(&again);
	proto_request_free(&rq);
	proto_buf_free(&b1);
	proto_buf_free(&b2);
}

static void
fuzz_reply(const uint8_t *data, size_t size, enum proto_op op)
{
	struct proto_reply rp, again;
	struct proto_buf b1, b2;

	if (proto_decode_reply(data, size, op, &rp) != PROTO_OK) {
		if (rp.snapshot != NULL || rp.rows != NULL || rp.audit != NULL)
			abort();
		return;
	}
	proto_buf_init(&b1);
	proto_buf_init(&b2);
	if (proto_encode_reply(&b1, &rp) != PROTO_OK ||
	    proto_decode_reply(b1.data, b1.len, op, &again) != PROTO_OK ||
	    proto_encode_reply(&b2, &again) != PROTO_OK)
		abort();
	fuzz_same(&b1, &b2, "reply");
	proto_reply_free(&again);
	proto_reply_free(&rp);
	proto_buf_free(&b1);
	proto_buf_free(&b2);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_event(data, size);
	fuzz_request(data, size);
	for (int op = 0; op < PROTO_OP__COUNT; op++)
		fuzz_reply(data, size, (enum proto_op)op);
	return 0;
}
