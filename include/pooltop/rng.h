/*
 * rng: xoshiro256** — small, fast and, above all, reproducible: the same
 * seed gives the same floor on every machine, which is what makes a
 * simulation run a test fixture.
 */
#ifndef POOLTOP_RNG_H
#define POOLTOP_RNG_H

#include <stdint.h>

struct rng {
	uint64_t s[4];
};

void rng_seed(struct rng *r, uint64_t seed);
uint64_t rng_next(struct rng *r);
/* Uniform in (0, 1): never 0, so log() of it is always finite. */
double rng_uniform(struct rng *r);
double rng_exp(struct rng *r, double mean);
/* Lognormal with the given mean and coefficient of variation. */
double rng_lognormal(struct rng *r, double mean, double cv);
/* A retry wait of about ms, jittered to 50-150 % so that peers that
 * failed together do not retry together. */
int64_t rng_jitter(struct rng *r, int64_t ms);
/* Index drawn from weights w[0..n-1] (sum > 0). */
uint32_t rng_pick(struct rng *r, const double *w, uint32_t n);

#endif
