/* netallow (floor/netallow.c): --allow's parser, and the filters libzmq
 * takes from it. */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <zmq.h>

#include "pooltop/netallow.h"
#include "testlib.h"

START_TEST(test_parse_forms)
{
	struct netallow al;
	char why[160];

	ck_assert_int_eq(netallow_parse(&al, "10.1.0.0/16, 192.168.5.7,fd00::/8,::1", why, sizeof why), 0);
	ck_assert_uint_eq(al.n, 4);
	/* without a prefix, the whole address */
	ck_assert(strcmp(al.net[0].addr, "10.1.0.0") == 0 && al.net[0].bits == 16);
	ck_assert(strcmp(al.net[1].addr, "192.168.5.7") == 0 && al.net[1].bits == 32);
	ck_assert(strcmp(al.net[2].addr, "fd00::") == 0 && al.net[2].bits == 8);
	ck_assert(strcmp(al.net[3].addr, "::1") == 0 && al.net[3].bits == 128);
	ck_assert(!al.net[0].v6 && !al.net[1].v6 && al.net[2].v6 && al.net[3].v6);
	ck_assert_int_eq(netallow_parse(&al, "127.0.0.1", why, sizeof why), 0);
	ck_assert(al.n == 1 && !al.net[0].v6);
}
END_TEST

START_TEST(test_parse_errors_name_the_piece)
{
	static const struct { const char *in, *want; } bad[] = {
		{ "10.0.0.0/33", "'10.0.0.0/33'" },
		{ "::/129", "'::/129'" },
		{ "10.0.0.0/x", "'10.0.0.0/x'" },
		{ "example.com", "'example.com' is not an IPv4 or IPv6 address" },
		{ "10.0.0.1,,10.0.0.2", "got ''" },
		{ "10.0.0.1,", "got ''" },
		{ "300.1.1.1", "'300.1.1.1'" },
		/* longer than any address: refused whole, never cut to one */
		{ "0000:0000:0000:0000:0000:0000:0000:0000:0001", "is not an IPv4 or IPv6 address" },
	};
	struct netallow al;
	char why[160], many[40 * 12] = "";

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		ck_assert_msg(netallow_parse(&al, bad[i].in, why, sizeof why) == -1, "%s accepted", bad[i].in);
		ck_assert_msg(strstr(why, bad[i].want) != NULL, "%s: '%s'", bad[i].in, why);
	}
	for (int i = 0; i <= NETALLOW_MAX; i++)
		strcat(many, i ? ",10.0.0.1" : "10.0.0.1");
	ck_assert_int_eq(netallow_parse(&al, many, why, sizeof why), -1);
	ck_assert_ptr_nonnull(strstr(why, "at most"));
}
END_TEST

/* What the parser hands over, libzmq takes, IPv4 alone and with IPv6
 * (then the IPv4 networks go in their mapped form). */
START_TEST(test_apply_to_socket)
{
	void *ctx = zmq_ctx_new(), *s4 = zmq_socket(ctx, ZMQ_ROUTER), *s6 = zmq_socket(ctx, ZMQ_ROUTER);
	struct netallow al;
	char why[160];
	int v6 = 0;
	size_t len = sizeof v6;

	ck_assert_int_eq(netallow_parse(&al, "10.1.0.0/16,127.0.0.1", why, sizeof why), 0);
	ck_assert_int_eq(netallow_apply(&al, s4), 0);
	ck_assert_int_eq(zmq_getsockopt(s4, ZMQ_IPV6, &v6, &len), 0);
	ck_assert_int_eq(v6, 0);
	ck_assert_int_eq(netallow_parse(&al, "10.1.0.0/16,fd00::/8", why, sizeof why), 0);
	ck_assert_int_eq(netallow_apply(&al, s6), 0);
	ck_assert_int_eq(zmq_getsockopt(s6, ZMQ_IPV6, &v6, &len), 0);
	ck_assert_int_eq(v6, 1);
	zmq_close(s4);
	zmq_close(s6);
	zmq_ctx_term(ctx);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("netallow");
	TCase *tc = tcase_create("netallow");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_parse_forms);
	tcase_add_test(tc, test_parse_errors_name_the_piece);
	tcase_add_test(tc, test_apply_to_socket);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
