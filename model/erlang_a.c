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

/* A tail term below 4e-18 of the largest changes no figure a double
 * prints; the cap bounds the work when patience is thousands of handle
 * times and n far below a (the answer is then Erlang C's). */
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

/*
 * The tail's terms t_j = prod_{i<=j} a / (n + i theta) rise while
 * n + j theta < a and fall after: its largest is at j* = ceil((a - n) /
 * theta) (0 when n >= a).  log t_j* is the one sum of logarithms taken;
 * every other term is a product from its neighbour, relative to t_j*, so
 * nothing overflows and the loop costs a few multiplications per term.
 */
static double
erlang_a_log_peak(uint32_t n, double a, double th, uint32_t *peak)
{
	double l = 0;
	uint32_t j = 0;

	while (j < ERLANG_A_TERMS_MAX && (double)n + (double)(j + 1) * th < a) {
		j++;
		l += log(a / ((double)n + (double)j * th));
	}
	*peak = j;
	return l;
}

/* Negative binomial NB(b, x) term by term: NB_0 = (1-x)^b, then
 * NB_i = NB_{i-1} (i - 1 + b) / i x.  Multiplied while NB_0 is a normal
 * double; in logarithms when it would underflow (thousands of agents and
 * a threshold of several handle times), where a product of zeros would
 * lose the terms that matter. */
struct erlang_a_nb {
	double b, x, log_x, term, log_term, cdf;
	int logs;
	uint32_t i;
};

static void
erlang_a_nb_init(struct erlang_a_nb *nb, double b, double th, double tt)
{
	nb->b = b;
	nb->x = -expm1(-th * tt);
	nb->log_x = log(nb->x);
	nb->log_term = -b * th * tt;
	nb->logs = nb->log_term < -700;
	nb->term = nb->logs ? 0 : exp(nb->log_term);
	nb->cdf = nb->logs ? exp(nb->log_term) : nb->term;
	nb->i = 0;
}

/* Advance to term i + 1; returns the cdf up to it. */
static double
erlang_a_nb_next(struct erlang_a_nb *nb)
{
	double r;

	nb->i++;
	r = ((double)nb->i - 1.0 + nb->b) / (double)nb->i;
	if (nb->logs) {
		nb->log_term += log(r) + nb->log_x;
		nb->cdf += exp(nb->log_term);
	} else {
		nb->term *= r * nb->x;
		nb->cdf += nb->term;
	}
	return nb->cdf;
}

static void
erlang_a_tail_sums(uint32_t n, double a, double th, double tt, struct erlang_a_tail *s)
{
	uint32_t peak;
	double m = erlang_a_log_peak(n, a, th, &peak);
	double w, sum = 0, sq = 0, sv = 0, st = 0, sw = 0, h = 0;
	struct erlang_a_nb nb;
	uint32_t j;

	/* t_0 relative to the peak is e^-m; terms below e^-700 of the peak
	 * count as nothing, and are walked in logarithms until they matter
	 * (a product started from an underflowed zero would stay zero) */
	double lw = -m;

	w = lw > -700 ? exp(lw) : 0;
	erlang_a_nb_init(&nb, (double)n / th + 1.0, th, tt);
	for (j = 0; j < ERLANG_A_TERMS_MAX; j++) {
		double d1 = (double)n + (double)(j + 1) * th;
		double c = (double)n / d1;
		double cdf = j == 0 ? nb.cdf : erlang_a_nb_next(&nb);

		if (j > 0 && w > 0) {
			w *= a / ((double)n + (double)j * th);
		} else if (j > 0) {
			lw += log(a / ((double)n + (double)j * th));
			w = lw > -700 ? exp(lw) : 0;
		}
		h += 1.0 / d1;
		sum += w;
		sq += w * (double)j;
		sv += w * c;
		st += w * c * (cdf < 1.0 ? 1.0 - cdf : 0.0);
		sw += w * c * h;
		if (j >= peak && w < 4e-18)
			break;
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
 * bracketed from a first guess near the load (where answers are: a plus
 * a few times its square root) by doubling steps, then found by
 * bisection: O(log sqrt(a)) evaluations of O(n + tail) each, never a walk
 * from 1 (O(n^2) at 500 agents) nor a first look at `limit`.
 */
uint32_t
erlang_a_agents(double a, double aht_s, double patience_s,
                const struct erlang_target *tg, uint32_t limit)
{
	static const struct erlang_target none = { 0, 0, 0 };
	uint32_t lo, hi, step = 1;
	double guess;

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
	guess = ceil(a + sqrt(a));
	hi = guess >= (double)limit ? limit : (uint32_t)guess;
	if (hi == 0)
		hi = 1;
	if (erlang_a_meets(hi, a, aht_s, patience_s, tg)) {
		/* down: lo never meets the target */
		lo = hi;
		do {
			hi = lo;
			lo = lo > step ? lo - step : 0;
			step *= 2;
		} while (lo > 0 && erlang_a_meets(lo, a, aht_s, patience_s, tg));
	} else {
		/* up: hi meets it */
		do {
			if (hi >= limit)
				return 0;
			lo = hi;
			hi = hi > limit - step ? limit : hi + step;
			step *= 2;
		} while (!erlang_a_meets(hi, a, aht_s, patience_s, tg));
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
