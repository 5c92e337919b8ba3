/*
 * test_erlang_a: Erlang A (M/M/n+M) against published values, against an
 * independent solution of the same birth-and-death chain (brute force:
 * the stationary distribution summed state by state, the answered-within-t
 * probability by uniformisation of each waiting caller's own chain), its
 * Erlang C limit, and its stability at hundreds and thousands of agents.
 */
#include "pooltop/erlang.h"
#include "pooltop/erlang_a.h"

#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/*
 * The case quoted in issue 12 from the Erlang A literature (the same
 * floor as the Erlang C pyworkforce example in test_erlang.c, with a
 * 5-minute mean patience): 100 calls in 30 minutes, AHT 3 min, patience
 * 5 min, target 80/20.  Published: 13 agents, P(wait) 0.226, P(abandon)
 * 0.025 (Erlang C asks 14 for the same target).  Garnett, Mandelbaum &
 * Reiman, "Designing a call center with impatient customers", M&SOM 4(3)
 * 2002, give the model; the figures were reproduced here to the printed
 * precision, and by the brute force below to 1e-9.
 */
START_TEST(test_published_13_agents)
{
	struct erlang_target tg = { 0.8, 20, 0 };
	struct erlang_a r;

	ck_assert_uint_eq(erlang_a_agents(10.0, 180, 300, &tg, 1000), 13);
	ck_assert_uint_eq(erlang_agents(10.0, 180, &tg, 1000), 14);
	ck_assert_int_eq(erlang_a_eval(13, 10.0, 180, 300, 20, &r), 0);
	ck_assert_double_eq_tol(r.p_wait, 0.226, 0.0005);
	ck_assert_double_eq_tol(r.p_abandon, 0.025, 0.0005);
	ck_assert(r.sl >= 0.8);
	/* 12 agents miss the target */
	ck_assert_int_eq(erlang_a_eval(12, 10.0, 180, 300, 20, &r), 0);
	ck_assert(r.sl < 0.8);
	/* carried load over agents: 10 x (1 - 0.025) / 13 */
	ck_assert_int_eq(erlang_a_eval(13, 10.0, 180, 300, 20, &r), 0);
	ck_assert_double_eq_tol(r.occupancy, 10.0 * (1 - r.p_abandon) / 13, 1e-12);
}
END_TEST

/* ---- brute force ---------------------------------------------------- */

#define BF_STATES 4000

struct bf {
	double p_wait, p_abandon, sl, asa_s;
};

/*
 * The chain in handle times: births a, deaths min(k,n) + theta (k-n)+.
 * A caller finding n+j ahead waits in a chain of its own: from "j ahead"
 * to "j-1 ahead" at n + j theta, from 0 ahead to answered at n, and to
 * "hung up" at theta from everywhere.  Uniformised over t.
 */
static void
bf_solve(uint32_t n, double a, double aht, double patience, double t, struct bf *out)
{
	static double pi[BF_STATES];
	double th = aht / patience, tt = t / aht, sum = 0, q = 0;

	pi[0] = 1;
	for (uint32_t k = 1; k < BF_STATES; k++) {
		double d = k <= n ? (double)k : (double)n + (double)(k - n) * th;

		pi[k] = pi[k - 1] * a / d;
		/* rescale to keep the numbers in range */
		if (pi[k] > 1e200) {
			for (uint32_t i = 0; i <= k; i++)
				pi[i] *= 1e-200;
		}
	}
	for (uint32_t k = 0; k < BF_STATES; k++)
		sum += pi[k];
	out->p_wait = 0;
	for (uint32_t k = n; k < BF_STATES; k++) {
		out->p_wait += pi[k] / sum;
		q += (double)(k - n) * pi[k] / sum;
	}
	out->p_abandon = th * q / a;
	/* SL and ASA from each waiting caller's chain */
	double in_t = 0, wait = 0, served = 0;
	uint32_t jmax = BF_STATES - n - 1;

	if (jmax > 300)
		jmax = 300;
	for (uint32_t j = 0; j <= jmax; j++) {
		double pj = pi[n + j] / sum;
		double lam = (double)n + (double)(j + 1) * th;   /* largest exit rate */
		double v[302] = { 0 }, got = 0;

		if (pj < 1e-15)
			continue;
		/* mean wait when answered, and answered at all, by first step */
		double sv = (double)n / ((double)n + th), w = 1.0 / ((double)n + th);
		for (uint32_t i = 1; i <= j; i++) {
			double r = (double)n + (double)i * th;

			w = 1.0 / (r + th) + w;
			sv = sv * r / (r + th);
		}
		served += pj * sv;
		/* E[W 1{answered}] = P(answered) x sum of 1/(rate + theta) */
		wait += pj * sv * w;
		/* uniformisation: state i = i ahead (0..j) */
		v[j] = 1;
		double lt = lam * tt, pois = exp(-lt), cum = 0;

		for (uint32_t step = 0; step < 20000 && cum < 1 - 1e-13; step++) {
			/* P(answered by the end | step jumps) */
			double nv[302] = { 0 };

			for (uint32_t i = 0; i <= j; i++) {
				double r = i == 0 ? (double)n : (double)n + (double)i * th;
				double stay = 1 - (r + th) / lam;

				nv[i] += v[i] * stay;
				if (i > 0)
					nv[i - 1] += v[i] * r / lam;
			}
			/* mass answered in this jump */
			double ans = v[0] * (double)n / lam;
			/* answered at jump step+1, which happens before t with
			 * probability P(Poisson(lt) >= step + 1) */
			cum += pois;
			got += ans * (1 - cum);
			pois *= lt / (double)(step + 1);
			memcpy(v, nv, sizeof v);
		}
		in_t += pj * got;
	}
	out->sl = (1 - out->p_wait) + in_t;
	out->asa_s = wait / (1 - out->p_wait + served) * aht;
}

static void
assert_matches_bf(uint32_t n, double a, double aht, double patience, double t)
{
	struct erlang_a r;
	struct bf b;

	ck_assert_int_eq(erlang_a_eval(n, a, aht, patience, t, &r), 0);
	bf_solve(n, a, aht, patience, t, &b);
	ck_assert_double_eq_tol(r.p_wait, b.p_wait, 1e-9);
	ck_assert_double_eq_tol(r.p_abandon, b.p_abandon, 1e-9);
	ck_assert_double_eq_tol(r.sl, b.sl, 1e-7);
	ck_assert_double_eq_tol(r.asa_s, b.asa_s, 1e-6 * (1 + b.asa_s));
}

START_TEST(test_matches_brute_force)
{
	assert_matches_bf(13, 10.0, 180, 300, 20);
	assert_matches_bf(8, 10.0, 180, 300, 20);     /* n < a: stable with abandons */
	assert_matches_bf(3, 2.0, 300, 60, 30);
	assert_matches_bf(20, 18.0, 240, 90, 15);
	assert_matches_bf(1, 0.5, 120, 600, 60);
}
END_TEST

/* With patience ever longer, Erlang A tends to Erlang C; INFINITY is it. */
START_TEST(test_erlang_c_limit)
{
	struct erlang_a r;

	ck_assert_int_eq(erlang_a_eval(13, 10.0, 180, INFINITY, 20, &r), 0);
	ck_assert_double_eq_tol(r.p_wait, erlang_c(13, 10.0), 1e-15);
	ck_assert_double_eq_tol(r.sl, erlang_sl(13, 10.0, 180, 20), 1e-15);
	ck_assert_double_eq(r.p_abandon, 0);
	ck_assert_int_eq(erlang_a_eval(13, 10.0, 180, 1e9, 20, &r), 0);
	ck_assert_double_eq_tol(r.p_wait, erlang_c(13, 10.0), 1e-6);
	ck_assert_double_eq_tol(r.sl, erlang_sl(13, 10.0, 180, 20), 1e-6);
	ck_assert_double_eq_tol(r.asa_s, erlang_asa(13, 10.0, 180), 1e-4);
	/* abandons only help those who stay: Erlang A never asks more */
	for (double a = 1; a < 60; a += 3.7) {
		struct erlang_target tg = { 0.8, 20, 0 };

		ck_assert_uint_le(erlang_a_agents(a, 200, 120, &tg, 1000), erlang_agents(a, 200, &tg, 1000));
	}
}
END_TEST

/* Overloaded: the fluid limit says a fraction (a - n)/a hangs up. */
START_TEST(test_overload_fluid)
{
	struct erlang_a r;

	ck_assert_int_eq(erlang_a_eval(400, 500, 180, 120, 20, &r), 0);
	ck_assert_double_eq_tol(r.p_abandon, 0.2, 1e-3);
	ck_assert(r.p_wait > 0.999);
	ck_assert_double_eq_tol(r.occupancy, 1.0, 1e-3);
}
END_TEST

/* Hundreds and thousands of agents: finite, in range, monotone. */
START_TEST(test_stable_large)
{
	struct erlang_target tg = { 0.8, 20, 0 };
	double prev_sl = -1;

	for (uint32_t n = 440; n <= 560; n += 10) {
		struct erlang_a r;

		ck_assert_int_eq(erlang_a_eval(n, 500, 180, 120, 20, &r), 0);
		ck_assert(isfinite(r.p_wait) && r.p_wait >= 0 && r.p_wait <= 1);
		ck_assert(isfinite(r.p_abandon) && r.p_abandon >= 0 && r.p_abandon <= 1);
		ck_assert(isfinite(r.sl) && r.sl >= 0 && r.sl <= 1);
		ck_assert(isfinite(r.asa_s) && r.asa_s >= 0);
		ck_assert(r.sl > prev_sl);
		prev_sl = r.sl;
	}
	uint32_t n = erlang_a_agents(500, 180, 120, &tg, 100000);
	struct erlang_a r;

	ck_assert_uint_gt(n, 400);
	ck_assert_uint_lt(n, erlang_agents(500, 180, &tg, 100000));
	erlang_a_eval(n, 500, 180, 120, 20, &r);
	ck_assert(r.sl >= 0.8);
	erlang_a_eval(n - 1, 500, 180, 120, 20, &r);
	ck_assert(r.sl < 0.8);
	/* 10 000 agents on a small load: nobody waits, nothing overflows */
	ck_assert_int_eq(erlang_a_eval(10000, 50, 180, 120, 20, &r), 0);
	ck_assert_double_eq_tol(r.p_wait, 0, 1e-12);
	ck_assert_double_eq_tol(r.sl, 1, 1e-12);
	/* and 5000 on 5000 erlangs */
	ck_assert_int_eq(erlang_a_eval(5000, 5000, 180, 120, 20, &r), 0);
	ck_assert(isfinite(r.p_wait) && r.p_wait > 0 && r.p_wait < 1);
	ck_assert(r.sl > 0.9 && r.sl < 1);
}
END_TEST

START_TEST(test_edges_and_invalid)
{
	struct erlang_a r;
	struct erlang_target tg = { 0.8, 20, 0 };

	/* no load: nobody waits, even with no agents */
	ck_assert_int_eq(erlang_a_eval(0, 0, 180, 120, 20, &r), 0);
	ck_assert_double_eq(r.p_wait, 0);
	ck_assert_double_eq(r.sl, 1);
	ck_assert_uint_eq(erlang_a_agents(0, 180, 120, &tg, 100), 0);
	/* no agents: everyone hangs up */
	ck_assert_int_eq(erlang_a_eval(0, 3, 180, 120, 20, &r), 0);
	ck_assert_double_eq(r.p_abandon, 1);
	ck_assert_double_eq(r.sl, 0);
	/* invalid inputs: NaN everywhere, never a figure */
	ck_assert_int_eq(erlang_a_eval(3, NAN, 180, 120, 20, &r), -1);
	ck_assert(isnan(r.sl) && isnan(r.p_wait));
	ck_assert_int_eq(erlang_a_eval(3, 2, 0, 120, 20, &r), -1);
	ck_assert_int_eq(erlang_a_eval(3, 2, 180, 0, 20, &r), -1);
	ck_assert_int_eq(erlang_a_eval(3, 2, 180, -5, 20, &r), -1);
	ck_assert_int_eq(erlang_a_eval(3, 2, 180, 120, -1, &r), -1);
	ck_assert_uint_eq(erlang_a_agents(2, 180, NAN, &tg, 100), 0);
	/* unreachable within the limit */
	ck_assert_uint_eq(erlang_a_agents(50, 180, 120, &tg, 10), 0);
	/* max occupancy binds */
	struct erlang_target occ = { 0.5, 20, 0.7 };
	uint32_t n = erlang_a_agents(10, 180, 300, &occ, 1000);

	erlang_a_eval(n, 10, 180, 300, 20, &r);
	ck_assert(r.occupancy <= 0.7);
	erlang_a_eval(n - 1, 10, 180, 300, 20, &r);
	ck_assert(r.occupancy > 0.7 || r.sl < 0.5);
}
END_TEST

/* The bracketing search finds exactly what a walk from one agent finds. */
START_TEST(test_agents_is_smallest)
{
	static const double loads[] = { 0.05, 0.7, 2, 9.5, 31, 77 };
	static const double sls[] = { 0.2, 0.5, 0.8, 0.95 };

	for (size_t i = 0; i < sizeof loads / sizeof loads[0]; i++) {
		for (size_t k = 0; k < sizeof sls / sizeof sls[0]; k++) {
			struct erlang_target tg = { sls[k], 20, 0 };
			uint32_t want = 0;

			for (uint32_t n = 1; n < 400 && !want; n++) {
				struct erlang_a r;

				erlang_a_eval(n, loads[i], 240, 90, 20, &r);
				if (r.sl >= sls[k] * (1 - 1e-12))
					want = n;
			}
			ck_assert_uint_eq(erlang_a_agents(loads[i], 240, 90, &tg, 1000), want);
		}
	}
}
END_TEST

static Suite *erlang_a_suite(void)
{
	Suite *s = suite_create("erlang_a");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_published_13_agents);
	tcase_add_test(tc, test_matches_brute_force);
	tcase_add_test(tc, test_erlang_c_limit);
	tcase_add_test(tc, test_overload_fluid);
	tcase_add_test(tc, test_stable_large);
	tcase_add_test(tc, test_edges_and_invalid);
	tcase_add_test(tc, test_agents_is_smallest);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(erlang_a_suite());

	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);

	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
