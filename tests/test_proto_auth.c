/* The request fields keys brought (proto/encode.c, proto/decode.c):
 * `feed` on ping, `client` on any op; absent, the bytes are as before. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "pooltop/proto.h"
#include "testlib.h"

static void
test_roundtrip(const struct proto_request *in, struct proto_request *out, struct proto_buf *b)
{
	proto_buf_reset(b);
	ck_assert_int_eq(proto_encode_request(b, in), PROTO_OK);
	ck_assert_int_eq(proto_decode_request(b->data, b->len, out), PROTO_OK);
}

START_TEST(test_feed_and_client)
{
	struct proto_request rq, out;
	struct proto_buf b, plain;
	char agents[1][PROTO_ID_MAX + 1] = { "a1" };

	proto_buf_init(&b);
	proto_buf_init(&plain);
	memset(&rq, 0, sizeof rq);
	rq.op = PROTO_OP_PING;
	strcpy(rq.id, "p-1");
	ck_assert_int_eq(proto_encode_request(&plain, &rq), PROTO_OK);
	rq.feed = true;
	test_roundtrip(&rq, &out, &b);
	ck_assert(out.feed);
	ck_assert_str_eq(out.client, "");
	ck_assert_uint_gt(b.len, plain.len);
	proto_request_free(&out);

	strcpy(rq.client, "0123456789abcdef0123456789abcdef");
	test_roundtrip(&rq, &out, &b);
	ck_assert(out.feed);
	ck_assert_str_eq(out.client, rq.client);
	proto_request_free(&out);

	/* feed is a ping's: other ops leave it out */
	rq.op = PROTO_OP_SNAPSHOT;
	test_roundtrip(&rq, &out, &b);
	ck_assert(!out.feed);
	ck_assert_str_eq(out.client, rq.client);
	proto_request_free(&out);

	memset(&rq, 0, sizeof rq);
	rq.op = PROTO_OP_MOVE;
	strcpy(rq.id, "m-1");
	rq.n_agents = 1;
	rq.agents = agents;
	strcpy(rq.to, "p");
	strcpy(rq.reason, "r");
	proto_buf_reset(&plain);
	ck_assert_int_eq(proto_encode_request(&plain, &rq), PROTO_OK);
	strcpy(rq.client, "me");
	test_roundtrip(&rq, &out, &b);
	ck_assert_str_eq(out.client, "me");
	ck_assert_uint_eq(out.n_agents, 1);
	ck_assert_uint_eq(b.len, plain.len + 1 + 6 + 1 + 2);   /* "client": "me" */
	proto_request_free(&out);

	/* wrong types are refused like any field's */
	{
		static const uint8_t bad[] = { 0x84, 0xa1, 'v', 0x01, 0xa2, 'i', 'd', 0xa1, 'x',
		                               0xa2, 'o', 'p', 0xa4, 'p', 'i', 'n', 'g',
		                               0xa4, 'f', 'e', 'e', 'd', 0xa3, 'y', 'e', 's' };
		ck_assert_int_eq(proto_decode_request(bad, sizeof bad, &out), PROTO_E_TYPE);
	}
	proto_buf_free(&b);
	proto_buf_free(&plain);
}
END_TEST

static Suite *
proto_auth_suite(void)
{
	Suite *s = suite_create("proto_auth");
	TCase *tc = tcase_create("fields");

	tcase_add_test(tc, test_feed_and_client);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(proto_auth_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
