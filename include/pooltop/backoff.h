/*
 * backoff: how long to wait before asking again.  Doubles from a floor to
 * a ceiling, each wait jittered by +-25 % so a floor of dashboards that
 * lost their server at the same moment do not come back in step.
 */
#ifndef POOLTOP_BACKOFF_H
#define POOLTOP_BACKOFF_H

#include <stdint.h>

struct backoff {
	int min_ms;
	int max_ms;
	int cur_ms;          /* the next wait before jitter; 0 = at once */
	uint32_t x;          /* xorshift state */
};

/* The first wait is none, then min_ms, doubling up to max_ms. */
void backoff_init(struct backoff *b, int min_ms, int max_ms, uint32_t seed);
/* The wait to use now (jittered), and the next one doubles. */
int backoff_next(struct backoff *b);
/* Back to no wait at all: things went well. */
void backoff_reset(struct backoff *b);
/* ms +-25 %. */
int backoff_jitter(struct backoff *b, int ms);
/* Uniform in 0..ms. */
int backoff_spread(struct backoff *b, int ms);
/* A seed that differs between processes and runs. */
uint32_t backoff_seed(void);

#endif
