#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pooltop/stats.h"

static struct proto_tenant
tenant_fixture(void)
{
	struct proto_tenant t;

	memset(&t, 0, sizeof(t));
	strcpy(t.id, "acme");
	t.sl_pct = 80;
	t.sl_sec = 20;
	t.dedicated_rate = 30.0;
	t.shared_rate = 45.0;
	return t;
}

/* 5 offered; answered after 5 s, 19 s, 25 s (sl_sec 20); abandoned after
 * 3 s (short) and 40 s: SL = 2 / (3 + 2 - 1). */
START_TEST(test_compute)
{
	struct proto_tenant t = tenant_fixture();
	struct proto_stats_row r;
	struct stats st;

	memset(&r, 0, sizeof(r));
	r.offered = 5;
	r.answered = 3;
	r.answered_in_sl = 2;
	r.abandoned = 2;
	r.abandoned_short = 1;
	r.wait_ms = 5000 + 19000 + 25000;
	r.handled = 2;
	r.talk_ms = 300000;
	r.wrap_ms = 60000;
	r.dedicated_staffed_ms = 2 * 3600000;  /* 2 h */
	r.shared_handle_ms = 1800000;          /* 0.5 h */
	stats_compute(&r, &t, &st);
	ck_assert_double_eq_tol(st.service_level, 0.5, 1e-12);
	ck_assert_double_eq_tol(st.asa_s, 49.0 / 3.0, 1e-9);
	ck_assert_double_eq_tol(st.aht_s, 180.0, 1e-9);
	ck_assert_double_eq_tol(st.abandon_rate, 0.4, 1e-12);
	ck_assert_double_eq_tol(st.occupancy, 360000.0 / 9000000.0, 1e-12);
	ck_assert_double_eq_tol(st.cost, 2 * 30.0 + 0.5 * 45.0, 1e-9);
	ck_assert_double_eq_tol(stats_cost(&r, &t), 82.5, 1e-9);
}
END_TEST

START_TEST(test_nan)
{
	struct proto_tenant t = tenant_fixture();
	struct proto_stats_row r;
	struct stats st;

	memset(&r, 0, sizeof(r));
	stats_compute(&r, &t, &st);
	ck_assert(isnan(st.service_level));
	ck_assert(isnan(st.asa_s));
	ck_assert(isnan(st.aht_s));
	ck_assert(isnan(st.abandon_rate));
	ck_assert(isnan(st.occupancy));
	ck_assert_double_eq(st.cost, 0.0);

	/* only short abandons: nothing to judge the service level on */
	r.offered = 2;
	r.abandoned = 2;
	r.abandoned_short = 2;
	stats_compute(&r, &t, &st);
	ck_assert(isnan(st.service_level));
	ck_assert_double_eq_tol(st.abandon_rate, 1.0, 1e-12);

	/* inconsistent counters must not give a negative divisor */
	r.abandoned = 1;
	stats_compute(&r, &t, &st);
	ck_assert(isnan(st.service_level));

	/* one answer, no handled yet: ASA known, AHT not */
	memset(&r, 0, sizeof(r));
	r.offered = 1;
	r.answered = 1;
	r.answered_in_sl = 1;
	r.wait_ms = 4000;
	stats_compute(&r, &t, &st);
	ck_assert_double_eq_tol(st.service_level, 1.0, 1e-12);
	ck_assert_double_eq_tol(st.asa_s, 4.0, 1e-12);
	ck_assert(isnan(st.aht_s));
	ck_assert(isnan(st.occupancy));
	ck_assert(isnan(stats_cost(&r, NULL)));
}
END_TEST

START_TEST(test_cost)
{
	struct proto_tenant t = tenant_fixture();
	struct proto_stats_row r;

	memset(&r, 0, sizeof(r));
	r.dedicated_staffed_ms = 8 * 3600000ull;
	ck_assert_double_eq_tol(stats_cost(&r, &t), 240.0, 1e-9);
	r.dedicated_staffed_ms = 0;
	r.shared_handle_ms = 90 * 60000ull;
	ck_assert_double_eq_tol(stats_cost(&r, &t), 67.5, 1e-9);
	t.shared_rate = 0;
	ck_assert_double_eq(stats_cost(&r, &t), 0.0);
}
END_TEST

START_TEST(test_level)
{
	ck_assert_int_eq(stats_sl_level(NAN, 80, 5), STATS_NONE);
	ck_assert_int_eq(stats_sl_level(0.9, 80, 5), STATS_OK);
	ck_assert_int_eq(stats_sl_level(0.8, 80, 5), STATS_OK);
	/* 57/100 * 100 is 56.99999999999999 in binary: still on target */
	ck_assert(57.0 / 100.0 * 100.0 < 57.0);
	ck_assert_int_eq(stats_sl_level(57.0 / 100.0, 57, 5), STATS_OK);
	ck_assert_int_eq(stats_sl_level(0.79, 80, 5), STATS_WARN);
	ck_assert_int_eq(stats_sl_level(0.75, 80, 5), STATS_WARN);
	ck_assert_int_eq(stats_sl_level(0.749, 80, 5), STATS_CRIT);
	ck_assert_int_eq(stats_sl_level(0.0, 80, 5), STATS_CRIT);
	ck_assert_int_eq(stats_sl_level(0.79, 80, 0), STATS_CRIT);
}
END_TEST

/* The one rule the report and the Shifts view share: partial only when
 * covered_ms is there and short of the span. */
START_TEST(test_partial)
{
	struct proto_stats_row r;

	memset(&r, 0, sizeof r);
	r.start_ts = 1000;
	r.end_ts = 1000 + 12 * 3600 * 1000LL;
	ck_assert(!stats_row_partial(&r));              /* absent: all of it */
	r.covered_ms = 3600 * 1000;
	ck_assert(stats_row_partial(&r));
	r.covered_ms = 12 * 3600 * 1000;
	ck_assert(!stats_row_partial(&r));              /* exactly the span */
	r.covered_ms = 1;
	r.end_ts = r.start_ts;
	ck_assert(!stats_row_partial(&r));              /* no span to miss */
	r.start_ts = INT64_MIN;
	r.end_ts = INT64_MAX;
	r.covered_ms = UINT64_MAX;
	ck_assert(!stats_row_partial(&r));              /* saturates, no overflow */
	r.covered_ms = 5;
	ck_assert(stats_row_partial(&r));
}
END_TEST

static Suite *
stats_suite(void)
{
	Suite *s = suite_create("stats");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_compute);
	tcase_add_test(tc, test_nan);
	tcase_add_test(tc, test_cost);
	tcase_add_test(tc, test_level);
	tcase_add_test(tc, test_partial);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(stats_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
