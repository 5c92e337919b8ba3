/*
 * erlang: Erlang C staffing maths (DESIGN §4).
 *
 * Everything is built on the Erlang B recurrence B0 = 1,
 * Bk = A*B(k-1) / (k + A*B(k-1)): each step is a ratio of numbers no
 * larger than A + k, so it neither overflows nor underflows where A^N/N!
 * would, and Bk stays in [0, 1] for any load and any number of agents.
 *
 * A load of zero (or less) means no contacts: nobody waits, whatever
 * the staffing, so P(wait) = 0, SL = 1 and ASA = 0 even with no agents.
 * NaN inputs give NaN (the views show "-"), never a made-up figure.
 */
#include "pooltop/erlang.h"

#include <math.h>

/* Counting erlangs and probabilities, not money: a relative slack of
 * 1e-12 is far above the rounding of one division and far below any
 * difference a staffing decision could hinge on. */
#define ERLANG_REL_EPS 1e-12

double erlang_load(double contacts, double aht_s, double interval_s)
{
	if (!isfinite(contacts) || !isfinite(aht_s) || !isfinite(interval_s))
		return NAN;
	if (contacts < 0 || aht_s < 0 || interval_s <= 0)
		return NAN;
	return contacts * aht_s / interval_s;
}

/* One step of the recurrence, from B(k-1) to B(k). */
static double erlang_b_step(double b, uint32_t k, double a)
{
	double ab = a * b;

	return ab / ((double)k + ab);
}

double erlang_b(uint32_t n, double a)
{
	if (isnan(a))
		return NAN;
	if (n == 0)
		return 1.0;
	if (a <= 0)
		return 0.0;
	if (isinf(a))
		return 1.0;
	double b = 1.0;
	for (uint32_t k = 1; k <= n; k++)
		b = erlang_b_step(b, k, a);
	return b;
}

/* P(wait) from B(n); the caller has checked 0 < a < n. */
static double erlang_c_from_b(uint32_t n, double a, double b)
{
	double nn = (double)n;
	double pw = nn * b / (nn - a * (1.0 - b));

	/* Mathematically in (0, 1); rounding must not push it outside. */
	if (pw > 1.0)
		pw = 1.0;
	if (pw < 0.0)
		pw = 0.0;
	return pw;
}

double erlang_c(uint32_t n, double a)
{
	if (isnan(a))
		return NAN;
	if (a <= 0)
		return 0.0;
	if ((double)n <= a)
		return 1.0;
	return erlang_c_from_b(n, a, erlang_b(n, a));
}

/* SL from P(wait); the caller has checked 0 < a < n and aht, t valid. */
static double erlang_sl_from_c(uint32_t n, double a, double pw, double aht_s, double t_s)
{
	double sl = 1.0 - pw * exp(-((double)n - a) * t_s / aht_s);

	return sl < 0.0 ? 0.0 : sl;
}

/* An AHT of zero would divide by zero, and a negative wait threshold
 * has no meaning: both make the service level undefined. */
static int erlang_times_valid(double aht_s, double t_s)
{
	return isfinite(aht_s) && aht_s > 0 && !isnan(t_s) && t_s >= 0;
}

double erlang_sl(uint32_t n, double a, double aht_s, double t_s)
{
	if (isnan(a) || !erlang_times_valid(aht_s, t_s))
		return NAN;
	if (a <= 0)
		return 1.0;
	if ((double)n <= a)
		return 0.0;
	return erlang_sl_from_c(n, a, erlang_c(n, a), aht_s, t_s);
}

double erlang_asa(uint32_t n, double a, double aht_s)
{
	if (isnan(a) || !isfinite(aht_s) || aht_s <= 0)
		return NAN;
	if (a <= 0)
		return 0.0;
	if ((double)n <= a)
		return INFINITY;
	return erlang_c(n, a) * aht_s / ((double)n - a);
}

double erlang_occupancy(uint32_t n, double a)
{
	if (isnan(a))
		return NAN;
	if (a <= 0)
		return 0.0;
	if (n == 0 || (double)n <= a)
		return 1.0;
	return a / (double)n;
}

static int erlang_meets(uint32_t n, double a, double pw, double aht_s,
                        const struct erlang_target *tg)
{
	if (tg->max_occupancy > 0 && a / (double)n > tg->max_occupancy * (1.0 + ERLANG_REL_EPS))
		return 0;
	if (tg->sl > 0) {
		double sl = erlang_sl_from_c(n, a, pw, aht_s, tg->t_s);

		if (sl < tg->sl * (1.0 - ERLANG_REL_EPS))
			return 0;
	}
	return 1;
}

uint32_t erlang_agents(double a, double aht_s, const struct erlang_target *tg, uint32_t limit)
{
	static const struct erlang_target none = { 0, 0, 0 };

	if (!(a > 0))
		return 0;
	if (!tg)
		tg = &none;
	if (isnan(tg->sl) || isnan(tg->max_occupancy))
		return 0;
	if (tg->sl > 0 && !erlang_times_valid(aht_s, tg->t_s))
		return 0;
	/* No n <= limit can exceed a load this large; also keeps the
	 * uint32_t conversion below in range. */
	if (a >= (double)limit)
		return 0;

	/* Walk B up to the first n > a once, then one step per candidate:
	 * O(answer) work in all, however large the load. */
	uint32_t first = (uint32_t)floor(a) + 1;
	double b = 1.0;

	for (uint32_t k = 1; k < first; k++)
		b = erlang_b_step(b, k, a);
	for (uint32_t n = first; n <= limit; n++) {
		b = erlang_b_step(b, n, a);
		if (erlang_meets(n, a, erlang_c_from_b(n, a, b), aht_s, tg))
			return n;
		if (n == UINT32_MAX)
			break;
	}
	return 0;
}

uint32_t erlang_scheduled(uint32_t n, double shrinkage)
{
	if (n == 0)
		return 0;
	if (isnan(shrinkage) || shrinkage <= 0)
		return n;
	if (shrinkage >= 1)
		return 0;
	double x = (double)n / (1.0 - shrinkage);

	/* 21 / (1 - 0.3) is 30.000000000000004 in binary floating point; a
	 * bare ceil() would schedule a 31st agent nobody needs. */
	double s = ceil(x - x * ERLANG_REL_EPS);

	if (s > (double)UINT32_MAX)
		return 0;
	return (uint32_t)s;
}
