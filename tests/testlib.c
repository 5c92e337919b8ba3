#include <check.h>
#include <math.h>

#include "testlib.h"

void
testlib_row_eq(const struct proto_stats_row *a, const struct proto_stats_row *b)
{
	ck_assert_str_eq(a->tenant, b->tenant);
	ck_assert_str_eq(a->shift, b->shift);
	ck_assert_int_eq(a->start_ts, b->start_ts);
	ck_assert_int_eq(a->end_ts, b->end_ts);
	ck_assert_uint_eq(a->offered, b->offered);
	ck_assert_uint_eq(a->answered, b->answered);
	ck_assert_uint_eq(a->answered_in_sl, b->answered_in_sl);
	ck_assert_uint_eq(a->abandoned, b->abandoned);
	ck_assert_uint_eq(a->abandoned_short, b->abandoned_short);
	ck_assert_uint_eq(a->wait_ms, b->wait_ms);
	ck_assert_uint_eq(a->talk_ms, b->talk_ms);
	ck_assert_uint_eq(a->wrap_ms, b->wrap_ms);
	ck_assert_uint_eq(a->dedicated_staffed_ms, b->dedicated_staffed_ms);
	ck_assert_uint_eq(a->shared_handle_ms, b->shared_handle_ms);
	ck_assert_msg(a->cost == b->cost || (isnan(a->cost) && isnan(b->cost)), "cost %g != %g",
	              a->cost, b->cost);
	ck_assert_uint_eq(a->handled, b->handled);
	ck_assert_uint_eq(a->n_intervals, b->n_intervals);
	for (uint32_t i = 0; i < a->n_intervals && i < PROTO_INTERVALS_MAX; i++)
		ck_assert_uint_eq(a->intervals[i], b->intervals[i]);
}
