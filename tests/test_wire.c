/*
 * test_wire: what the encoder lets onto the wire whatever the model
 * holds — no NaN or infinity in any float field (PROTOCOL.md §2).
 */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pooltop/proto.h"

START_TEST(test_no_nan_on_the_wire)
{
	struct proto_reply rp, back;
	struct proto_stats_row rows[3];
	struct proto_snapshot *s = calloc(1, sizeof *s);
	struct proto_tenant t;
	struct proto_buf b;
	const double bad[3] = { NAN, INFINITY, -INFINITY };

	/* history rows with a cost that is not a number */
	memset(&rp, 0, sizeof rp);
	memset(rows, 0, sizeof rows);
	rp.ok = true;
	rp.op = PROTO_OP_HISTORY;
	strcpy(rp.id, "h");
	for (int i = 0; i < 3; i++) {
		strcpy(rows[i].tenant, "t");
		strcpy(rows[i].shift, "A");
		rows[i].cost = bad[i];
	}
	rp.rows = rows;
	rp.n_rows = 3;
	proto_buf_init(&b);
	ck_assert_int_eq(proto_encode_reply(&b, &rp), 0);
	ck_assert_int_eq(proto_decode_reply(b.data, b.len, PROTO_OP_HISTORY, &back), PROTO_OK);
	ck_assert_uint_eq(back.n_rows, 3);
	for (int i = 0; i < 3; i++) {
		ck_assert(isfinite(back.rows[i].cost));
		ck_assert(back.rows[i].cost == 0);
	}
	proto_reply_free(&back);

	/* a snapshot whose tenant has a target and rates that are not numbers */
	memset(&t, 0, sizeof t);
	strcpy(t.id, "t");
	strcpy(t.name, "T");
	t.sl_pct = NAN;
	t.dedicated_rate = INFINITY;
	t.shared_rate = -INFINITY;
	s->tenants = &t;
	s->n_tenants = 1;
	memset(&rp, 0, sizeof rp);
	rp.ok = true;
	rp.op = PROTO_OP_SNAPSHOT;
	strcpy(rp.id, "s");
	rp.snapshot = s;
	proto_buf_reset(&b);
	ck_assert_int_eq(proto_encode_reply(&b, &rp), 0);
	ck_assert_int_eq(proto_decode_reply(b.data, b.len, PROTO_OP_SNAPSHOT, &back), PROTO_OK);
	ck_assert_uint_eq(back.snapshot->n_tenants, 1);
	ck_assert(back.snapshot->tenants[0].sl_pct == 0);
	ck_assert(back.snapshot->tenants[0].dedicated_rate == 0);
	ck_assert(back.snapshot->tenants[0].shared_rate == 0);
	proto_reply_free(&back);
	free(s);
	proto_buf_free(&b);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("wire");
	TCase *tc = tcase_create("floats");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_no_nan_on_the_wire);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
