/*
 * erlang_a: Erlang A (M/M/n+M), after Palm (1943) and Garnett, Mandelbaum
 * & Reiman, "Designing a call center with impatient customers", M&SOM
 * 4(3), 2002; Mandelbaum & Zeltyn, "The Palm/Erlang-A queue, with
 * applications to call centers" (Technion, 2007).
 *
 * Time is measured in handle times (mu = 1), so theta = aht / patience
 * and the threshold is t / aht.  The number in the system is a birth and
 * death chain: births at a, deaths at min(k, n) + theta x max(k - n, 0).
 * Relative to state n:
 *   below n, the states sum to 1 / B(n, a) (the Erlang B loss system has
 *   the same ratios), found with B's stable recurrence;
 *   above n, state n + j weighs t_j = prod_{i=1..j} a / (n + i theta).
 * An arrival sees the stationary state (PASTA), so with J = sum t_j:
 *   P(wait) = J / (1/B + J - 1);
 *   an arrival finding j waiting ahead reaches an agent after a sum of
 *   exponentials of rates n + i theta (i = j..0) while its own patience
 *   runs at theta.  The Laplace transform telescopes: it is answered
 *   with probability c_j = n / (n + (j+1) theta), its wait when answered
 *   has mean H_j = sum_{i=1..j+1} 1 / (n + i theta), and it is answered
 *   within t with probability c_j x I_x(j + 1, n/theta + 1), x = 1 -
 *   e^(-theta t), I the regularised incomplete beta: a sum of exponentials
 *   of rates b, b+theta, ... is the time for m of b/theta + m lifetimes
 *   to end.  I_x(m, b) = 1 - sum_{i<m} NB_i, NB the negative binomial,
 *   one more term per j.
 * Every weight is carried as a logarithm relative to the largest, so
 * neither A^n/n! nor the tail's growth when n < a can overflow.
 */
#include "pooltop/erlang_a.h"

#include <math.h>

/* A tail term below e^-40 of the largest (4e-18) changes no figure a
 * double prints; the cap bounds the work when patience is thousands of
 * handle times and n far below a (the answer is then Erlang C's). */
#define ERLANG_A_CUT 40.0
#define ERLANG_A_TERMS_MAX (1u << 22)
#define ERLANG_A_REL_EPS 1e-12

struct erlang_a_tail {
	double log_j;      /* log sum t_j */
	double mean_q;     /* E[j | all agents busy] */
	double served;     /* E[c_j | busy] */
	double served_t;   /* E[c_j I_x(j+1, b) | busy] */
	double wait_served;/* E[c_j H_j | busy], in handle times */
};

static void
erlang_a_nan(struct erlang_a *out)
{
	out->p_wait = out->p_abandon = out->sl = out->asa_s = out->occupancy = NAN;
}

/* log(1/B(n, a)) by 1/B_k = 1 + (k/a) / B_{k-1}.  Past 1e250 the value is
 * kept as r x e^lg so thousands of agents on a small load cannot
 * overflow; the "1 +" then shrinks by the same scale. */
static double
erlang_a_log_inv_b(uint32_t n, double a)
{
	double r = 1.0, lg = 0.0, one = 1.0;

	for (uint32_t k = 1; k <= n; k++) {
		r = one + (double)k / a * r;
		if (r > 1e250) {
			lg += log(r);
			one /= r;
			r = 1.0;
		}
	}
	return lg + log(r);
}

/* Where the tail is cut, and its largest log-term. */
static uint32_t
erlang_a_tail_end(uint32_t n, double a, double th, double *max)
{
	double l = 0, m = 0;
	uint32_t j;

	for (j = 1; j < ERLANG_A_TERMS_MAX; j++) {
		double d = (double)n + (double)j * th;

		l += log(a / d);
		if (l > m)
			m = l;
		if (d > a && l < m - ERLANG_A_CUT)
			break;
	}
	*max = m;
	return j;
}

static void
erlang_a_tail_sums(uint32_t n, double a, double th, double tt, struct erlang_a_tail *s)
{
	double m, l = 0, sum = 0, sq = 0, sv = 0, st = 0, sw = 0, h = 0;
	uint32_t end = erlang_a_tail_end(n, a, th, &m);
	double b = (double)n / th + 1.0;
	/* negative binomial NB(b, x): log of its term i, and its cdf */
	double log_x = log(-expm1(-th * tt));
	double log_nb = -b * th * tt;      /* b log(1 - x) */
	double cdf = 0;

	for (uint32_t j = 0; j <= end; j++) {
		double w, d1 = (double)n + (double)(j + 1) * th;
		double c = (double)n / d1;

		if (j > 0) {
			l += log(a / ((double)n + (double)j * th));
			log_nb += log(((double)j - 1.0 + b) / (double)j) + log_x;
		}
		cdf += exp(log_nb);
		h += 1.0 / d1;
		w = exp(l - m);
		sum += w;
		sq += w * (double)j;
		sv += w * c;
		st += w * c * (cdf < 1.0 ? 1.0 - cdf : 0.0);
		sw += w * c * h;
	}
	s->log_j = m + log(sum);
	s->mean_q = sq / sum;
	s->served = sv / sum;
	s->served_t = st / sum;
	s->wait_served = sw / sum;
}

static int
erlang_a_valid(double a, double aht_s, double patience_s, double t_s)
{
	return !isnan(a) && isfinite(aht_s) && aht_s > 0 && !isnan(patience_s) &&
	       patience_s > 0 && !isnan(t_s) && t_s >= 0;
}

/* Nobody hangs up: Erlang C, which needs n > a. */
static void
erlang_a_patient(uint32_t n, double a, double aht_s, double t_s, struct erlang_a *out)
{
	out->p_wait = erlang_c(n, a);
	out->p_abandon = 0;
	out->sl = erlang_sl(n, a, aht_s, t_s);
	out->asa_s = erlang_asa(n, a, aht_s);
	out->occupancy = erlang_occupancy(n, a);
}

int
erlang_a_eval(uint32_t n, double a, double aht_s, double patience_s, double t_s,
              struct erlang_a *out)
{
	struct erlang_a_tail s;
	double th, ab_busy, log_inv_b;

	if (!erlang_a_valid(a, aht_s, patience_s, t_s)) {
		erlang_a_nan(out);
		return -1;
	}
	if (a <= 0) {
		out->p_wait = out->p_abandon = out->asa_s = out->occupancy = 0;
		out->sl = 1;
		return 0;
	}
	if (n == 0 || isinf(a)) {
		out->p_wait = out->p_abandon = out->occupancy = 1;
		out->sl = 0;
		out->asa_s = NAN;
		if (n == 0)
			out->occupancy = 0;
		return 0;
	}
	if (isinf(patience_s)) {
		erlang_a_patient(n, a, aht_s, t_s, out);
		return 0;
	}
	th = aht_s / patience_s;
	erlang_a_tail_sums(n, a, th, t_s / aht_s, &s);
	log_inv_b = erlang_a_log_inv_b(n, a);
	/* J / (1/B + J - 1) = 1 / (1 + (1/B - 1) / J) */
	out->p_wait = 1.0 / (1.0 + expm1(log_inv_b) * exp(-s.log_j));
	ab_busy = 1.0 - s.served;
	out->p_abandon = out->p_wait * ab_busy;
	out->sl = (1.0 - out->p_wait) + out->p_wait * s.served_t;
	if (out->sl > 1)
		out->sl = 1;
	out->asa_s = out->p_wait * s.wait_served / (1.0 - out->p_abandon) * aht_s;
	out->occupancy = a * (1.0 - out->p_abandon) / (double)n;
	if (out->occupancy > 1)
		out->occupancy = 1;
	return 0;
}

static int
erlang_a_meets(uint32_t n, double a, double aht_s, double patience_s,
               const struct erlang_target *tg)
{
	struct erlang_a r;

	if (erlang_a_eval(n, a, aht_s, patience_s, tg->t_s, &r) != 0)
		return 0;
	if (tg->max_occupancy > 0 && r.occupancy > tg->max_occupancy * (1.0 + ERLANG_A_REL_EPS))
		return 0;
	return !(tg->sl > 0 && r.sl < tg->sl * (1.0 - ERLANG_A_REL_EPS));
}

/*
 * SL rises and occupancy falls with every agent added, so the answer is
 * bracketed by doubling from one agent and then found by bisection:
 * O(log n) evaluations of O(n + tail) each, never a walk from 1 (O(n^2)
 * at 500 agents) nor a first look at `limit` (a million in the CLI).
 */
uint32_t
erlang_a_agents(double a, double aht_s, double patience_s,
                const struct erlang_target *tg, uint32_t limit)
{
	static const struct erlang_target none = { 0, 0, 0 };
	uint32_t lo = 0, hi = 1;

	if (!(a > 0) || limit == 0)
		return 0;
	if (!tg)
		tg = &none;
	if (isnan(tg->sl) || isnan(tg->max_occupancy))
		return 0;
	if (!erlang_a_valid(a, aht_s, patience_s, tg->t_s > 0 ? tg->t_s : 0))
		return 0;
	if (isinf(patience_s))
		return erlang_agents(a, aht_s, tg, limit);
	/* lo never meets the target, hi does */
	while (!erlang_a_meets(hi, a, aht_s, patience_s, tg)) {
		if (hi >= limit)
			return 0;
		lo = hi;
		hi = hi > limit / 2 ? limit : hi * 2;
	}
	while (hi - lo > 1) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (erlang_a_meets(mid, a, aht_s, patience_s, tg))
			hi = mid;
		else
			lo = mid;
	}
	return hi;
}
