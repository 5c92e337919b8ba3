/*
 * erlang_a: Erlang A (Palm's M/M/n+M) staffing maths — Erlang C plus
 * callers who hang up after an exponentially distributed patience.
 *
 * Erlang C assumes nobody ever leaves the queue, so it asks for more
 * agents than a real floor needs and, below that staffing, predicts a
 * service level far worse than the floor does (issue 12: Fjord at 14:00,
 * Erlang C 39 %, Erlang A 78 %, the floor 82.5 %).  With abandonment a
 * queue is stable at any staffing, so n <= a is a valid question here.
 *
 * Numerically stable for thousands of agents: every sum is taken in
 * logarithms relative to its largest term, never as A^n/n!.
 */
#ifndef POOLTOP_ERLANG_A_H
#define POOLTOP_ERLANG_A_H

#include <stdint.h>

#include "pooltop/erlang.h"

struct erlang_a {
	double p_wait;     /* an arriving contact finds every agent busy */
	double p_abandon;  /* it hangs up before an agent answers */
	double sl;         /* answered within t, of all offered (0..1) */
	double asa_s;      /* mean wait of the contacts answered */
	double occupancy;  /* carried load a x (1 - p_abandon) / n, at most 1 */
};

/*
 * n agents, load a erlangs, mean handle time aht_s, mean patience
 * patience_s (INFINITY: nobody hangs up, the Erlang C figures), service
 * level threshold t_s.  0, or -1 with every field NaN when an input is
 * invalid (NaN, aht <= 0, patience <= 0, t < 0).  a <= 0: nobody waits.
 * n = 0 with load: everybody hangs up (p_wait = p_abandon = 1, sl = 0,
 * asa NaN: nobody is answered).
 */
int erlang_a_eval(uint32_t n, double a, double aht_s, double patience_s, double t_s,
                  struct erlang_a *out);

/* Fewest agents (1..limit) meeting the target by Erlang A; 0 when a <= 0
 * (nothing to staff), an input is invalid, or no n up to limit does.
 * Unlike Erlang C this may be below a: callers who hang up are load
 * that never needs an agent. */
uint32_t erlang_a_agents(double a, double aht_s, double patience_s,
                         const struct erlang_target *tg, uint32_t limit);

#endif
