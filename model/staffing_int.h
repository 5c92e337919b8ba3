/*
 * staffing internals shared by staffing.c (figures) and staffing_moves.c
 * (suggestions); not part of the public interface.
 */
#ifndef POOLTOP_STAFFING_INT_H
#define POOLTOP_STAFFING_INT_H

#include "pooltop/staffing.h"

/* Part of a tenant's traffic a pool answers first. */
struct staffing_route {
	uint32_t pool;
	uint32_t tenant;
	double rate;             /* contacts/h */
	bool overflow;           /* waited overflow_sec in its dedicated pool */
};

struct staffing_ctx {
	const struct staffing_input *in;
	const struct floor *f;
	struct staffing *out;
	struct staffing_memory *mem;
	uint32_t n_routes;
	struct staffing_route *routes;   /* sorted by pool */
	uint32_t *route_off;             /* per pool, n_pools + 1 */
	uint32_t *route_req;             /* per route: its pool's need for its target */
	uint32_t *member_off;            /* per pool, n_pools + 1 */
	uint32_t *members;               /* agents by current pool */
	uint32_t *shared_off;            /* per tenant, n_tenants + 1 */
	uint32_t *shared_pool;           /* shared pools serving each tenant */
};

/* Expected SL for tenant t's target threshold in pool p with n agents;
 * NaN when the pool carries no load. */
double staffing_pool_sl(const struct staffing_ctx *cx, uint32_t p, uint32_t n, uint32_t t);
/* Contacts/h answered within their tenants' thresholds by pool p at n. */
double staffing_pool_good(const struct staffing_ctx *cx, uint32_t p, uint32_t n);
/* Hourly cost of one agent staffed in pool p (dedicated: its tenant's
 * rate; shared pools bill handled time, which staffing does not change). */
double staffing_pool_rate(const struct floor *f, uint32_t p);

/* Plan, filter by hysteresis and fill out->moves and out->reason. */
int staffing_moves_plan(struct staffing_ctx *cx);

#endif
