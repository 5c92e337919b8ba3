#include <math.h>

#include "pooltop/rng.h"

static uint64_t
rng_rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

/* splitmix64 spreads a small seed over the whole state, as the xoshiro
 * authors recommend; a zero state would be a fixed point. */
void
rng_seed(struct rng *r, uint64_t seed)
{
	for (int i = 0; i < 4; i++) {
		uint64_t z = (seed += 0x9e3779b97f4a7c15ULL);
		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
		z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
		r->s[i] = z ^ (z >> 31);
	}
}

uint64_t
rng_next(struct rng *r)
{
	uint64_t *s = r->s;
	uint64_t result = rng_rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rng_rotl(s[3], 45);
	return result;
}

double
rng_uniform(struct rng *r)
{
	return ((double)(rng_next(r) >> 11) + 0.5) * 0x1.0p-53;
}

double
rng_exp(struct rng *r, double mean)
{
	return -mean * log(rng_uniform(r));
}

/* Box-Muller; one of the pair is thrown away to keep the state simple. */
static double
rng_normal(struct rng *r)
{
	double u1 = rng_uniform(r), u2 = rng_uniform(r);

	return sqrt(-2.0 * log(u1)) * cos(2.0 * M_PI * u2);
}

double
rng_lognormal(struct rng *r, double mean, double cv)
{
	double s2, mu;

	if (cv <= 0)
		return mean;
	s2 = log(1.0 + cv * cv);
	mu = log(mean) - s2 / 2.0;
	return exp(mu + sqrt(s2) * rng_normal(r));
}

uint32_t
rng_pick(struct rng *r, const double *w, uint32_t n)
{
	double sum = 0, x;

	for (uint32_t i = 0; i < n; i++)
		sum += w[i];
	x = rng_uniform(r) * sum;
	for (uint32_t i = 0; i < n; i++) {
		if (x < w[i])
			return i;
		x -= w[i];
	}
	return n - 1;
}

int64_t
rng_jitter(struct rng *r, int64_t ms)
{
	if (ms <= 0)
		return 0;
	return ms / 2 + (int64_t)(rng_next(r) % (uint64_t)(ms + 1));
}
