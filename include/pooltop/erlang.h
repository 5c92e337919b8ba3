/*
 * erlang: Erlang C staffing maths.  P(wait) uses the stable Erlang B
 * recurrence B0 = 1, Bk = A*B(k-1) / (k + A*B(k-1)) so hundreds or
 * thousands of agents never overflow a factorial or a power.
 *
 * A load a <= 0 means no contacts: nobody waits whatever n is (P(wait) 0,
 * SL 1, ASA 0, occupancy 0); that takes precedence over "n <= a" below.
 * NaN in gives NaN out.
 */
#ifndef POOLTOP_ERLANG_H
#define POOLTOP_ERLANG_H

#include <stdint.h>

/* Offered load in erlangs: contacts x aht / interval (same time unit);
 * NaN when interval <= 0 or an input is negative or not finite. */
double erlang_load(double contacts, double aht_s, double interval_s);
/* Erlang B blocking for n servers at load a. */
double erlang_b(uint32_t n, double a);
/* Probability a contact waits; 1.0 when n <= a (the queue never drains). */
double erlang_c(uint32_t n, double a);
/* Fraction answered within t seconds. 0 when n <= a. */
double erlang_sl(uint32_t n, double a, double aht_s, double t_s);
/* Average speed of answer in seconds; INFINITY when n <= a. */
double erlang_asa(uint32_t n, double a, double aht_s);
/* a / n, capped at 1. */
double erlang_occupancy(uint32_t n, double a);

struct erlang_target {
	double sl;            /* 0..1, e.g. 0.8 */
	double t_s;           /* answered within, e.g. 20 */
	double max_occupancy; /* 0..1, or 0 for none */
};
/* Smallest n > a meeting the target; 0 if a <= 0 (nothing to staff) or no
 * n up to `limit` does. */
uint32_t erlang_agents(double a, double aht_s, const struct erlang_target *tg, uint32_t limit);
/* Agents to schedule so that n remain after shrinkage s (0..1): ceil(n/(1-s)).
 * s <= 0 gives n; s >= 1 (or a result beyond uint32_t) gives 0: no answer. */
uint32_t erlang_scheduled(uint32_t n, double shrinkage);

#endif
