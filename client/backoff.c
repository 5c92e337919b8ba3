/*
 * Exponential backoff with jitter: the one rule every retry in the
 * client follows (requests held after a refusal, snapshots after doubt,
 * pings while offline, reopening the feed).
 */
#include <time.h>
#include <unistd.h>

#include "pooltop/backoff.h"

void
backoff_init(struct backoff *b, int min_ms, int max_ms, uint32_t seed)
{
	b->min_ms = min_ms > 0 ? min_ms : 1;
	b->max_ms = max_ms > b->min_ms ? max_ms : b->min_ms;
	b->cur_ms = 0;
	b->x = seed ? seed : 0x9e3779b9u;
}

int
backoff_spread(struct backoff *b, int ms)
{
	uint32_t x = b->x;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	b->x = x;
	return ms > 0 ? (int)(x % (uint32_t)(ms + 1)) : 0;
}

int
backoff_jitter(struct backoff *b, int ms)
{
	return ms * 3 / 4 + backoff_spread(b, ms / 2);
}

int
backoff_next(struct backoff *b)
{
	int wait = b->cur_ms ? backoff_jitter(b, b->cur_ms) : 0;

	b->cur_ms = b->cur_ms ? b->cur_ms * 2 : b->min_ms;
	if (b->cur_ms > b->max_ms)
		b->cur_ms = b->max_ms;
	return wait;
}

void
backoff_reset(struct backoff *b)
{
	b->cur_ms = 0;
}

uint32_t
backoff_seed(void)
{
	struct timespec ts;
	uint32_t s;

	clock_gettime(CLOCK_REALTIME, &ts);
	s = (uint32_t)ts.tv_nsec ^ ((uint32_t)ts.tv_sec << 7) ^ ((uint32_t)getpid() << 16) ^ 0x9e3779b9u;
	return s ? s : 1;
}
