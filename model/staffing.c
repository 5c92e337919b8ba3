/*
 * staffing: the floor's queues as routing makes them now, each staffed by
 * Erlang A (see staffing.h).  This file builds the figures; the
 * suggestions are staffing_moves.c's.
 *
 * Routing (floor/sim.c, DESIGN §4): a dedicated or hybrid tenant in its
 * hours is answered by its dedicated pool, and what has waited
 * overflow_sec there becomes eligible for the shared pools serving it; a
 * shared tenant, or a hybrid one outside its hours, goes to the shared
 * pools at once.  A shared pool is one queue of all of that: Issue 12
 * found the old per-tenant count asking 3-4 agents where a pooled count
 * of the same traffic needs 9-11.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pooltop/erlang_a.h"
#include "staffing_int.h"

#define STAFFING_AGENTS_LIMIT 100000u
#define STAFFING_MS_PER_H 3.6e6

/* ------------------------------------------------------------ tenants */

static const struct staffing_prior *
staffing_prior_of(const struct staffing_input *in, uint32_t t)
{
	return in->prior ? &in->prior[t] : NULL;
}

static void
staffing_tenant_fill(const struct staffing_ctx *cx, uint32_t t)
{
	const struct floor *f = cx->f;
	const struct floor_tenant *ft = &f->tenants[t];
	const struct staffing_prior *pr = staffing_prior_of(cx->in, t);
	const struct staffing_tenant_obs *obs =
		cx->mem && t < cx->mem->n_tenants ? &cx->mem->obs[t] : NULL;
	struct staffing_tenant *st = &cx->out->tenants[t];
	const double *q = pr ? pr->quarter_per_h : NULL;
	double arrived, span, fc = -1, expected = -1;

	st->open = staffing_open(&ft->def, cx->in->now, cx->in->tz_offset_s);
	staffing_load_window(f, t, cx->in->now, &arrived, &span);
	if (q) {
		fc = staffing_forecast(q, cx->in->now, cx->in->tz_offset_s);
		expected = staffing_forecast_over(q, cx->in->now - (int64_t)span, cx->in->now,
		                                  cx->in->tz_offset_s);
	}
	st->rate_per_h = staffing_load_blend(fc, expected, arrived, span);
	st->aht_s = staffing_aht(&ft->cur, pr ? pr->aht_s : 0);
	st->patience_s = staffing_patience(obs, pr ? pr->patience_s : 0);
	st->load = st->rate_per_h * st->aht_s / 3600.0;
	st->queue = -1;
	st->sl = NAN;
}

/* A shared tenant, or a hybrid one outside its hours, queues for the
 * shared pools at once. */
static bool
staffing_routes_shared(const struct floor *f, const struct staffing *s, uint32_t t)
{
	enum proto_model m = f->tenants[t].def.model;

	if (f->tenants[t].dedicated_pool < 0)
		return true;
	return m == PROTO_MODEL_SHARED || (m == PROTO_MODEL_HYBRID && !s->tenants[t].open);
}

/* ------------------------------------------------------------ routes */

/* Which shared pools serve each tenant, from the pools' serves lists
 * (one hash lookup per entry, not a string scan per tenant and pool). */
static int
staffing_shared_index(struct staffing_ctx *cx)
{
	const struct floor *f = cx->f;
	uint32_t *fill = NULL;

	cx->shared_off = calloc((size_t)f->n_tenants + 1, sizeof(*cx->shared_off));
	if (!cx->shared_off)
		return -1;
	for (int pass = 0; pass < 2; pass++) {
		for (uint32_t p = 0; p < f->n_pools; p++) {
			const struct floor_pool *fp = &f->pools[p];

			if (fp->def.kind != PROTO_POOL_SHARED)
				continue;
			for (uint32_t i = 0; i < fp->def.n_serves; i++) {
				int t = floor_tenant_find(f, fp->def.serves[i]);

				if (t < 0)
					continue;
				if (pass == 0)
					cx->shared_off[t + 1]++;
				else
					cx->shared_pool[cx->shared_off[t] + fill[t]++] = p;
			}
		}
		if (pass == 1)
			break;
		for (uint32_t t = 0; t < f->n_tenants; t++)
			cx->shared_off[t + 1] += cx->shared_off[t];
		cx->shared_pool = calloc(cx->shared_off[f->n_tenants] ? cx->shared_off[f->n_tenants] : 1,
		                         sizeof(*cx->shared_pool));
		fill = calloc(f->n_tenants ? f->n_tenants : 1, sizeof(*fill));
		if (!cx->shared_pool || !fill) {
			free(fill);
			return -1;
		}
	}
	free(fill);
	return 0;
}

/* Split `rate` of tenant t over the shared pools serving it, in
 * proportion to the agents they have (evenly when none has any). */
static uint32_t
staffing_route_shared(struct staffing_ctx *cx, uint32_t t, double rate, bool overflow,
                      struct staffing_route *out)
{
	double total = 0;
	uint32_t n = 0;

	for (uint32_t i = cx->shared_off[t]; i < cx->shared_off[t + 1]; i++) {
		uint32_t p = cx->shared_pool[i];

		out[n].pool = p;
		out[n].tenant = t;
		out[n].overflow = overflow;
		out[n].rate = (double)cx->out->pools[p].available;
		total += out[n].rate;
		n++;
	}
	for (uint32_t i = 0; i < n; i++)
		out[i].rate = total > 0 ? rate * out[i].rate / total : rate / n;
	return n;
}

static int
staffing_route_cmp(const void *x, const void *y)
{
	const struct staffing_route *a = x, *b = y;

	if (a->pool != b->pool)
		return a->pool < b->pool ? -1 : 1;
	return a->tenant < b->tenant ? -1 : a->tenant > b->tenant;
}

/* The routes of a tenant's overflow from its dedicated pool: the share of
 * its contacts neither answered nor gone by overflow_sec. */
static double
staffing_overflow_rate(const struct staffing_ctx *cx, uint32_t t)
{
	const struct floor *f = cx->f;
	const struct staffing_tenant *st = &cx->out->tenants[t];
	int p = f->tenants[t].dedicated_pool;
	struct erlang_a r;
	double ov = f->tenants[t].def.overflow_sec;

	if (p < 0 || !(st->load > 0))
		return 0;
	if (erlang_a_eval(cx->out->pools[p].available, st->load, st->aht_s, st->patience_s, ov, &r) != 0)
		return 0;
	double gone = r.p_abandon * -expm1(-ov / st->patience_s);
	double left = 1.0 - r.sl - gone;

	return left > 0 ? st->rate_per_h * left : 0;
}

static int
staffing_routes_build(struct staffing_ctx *cx)
{
	const struct floor *f = cx->f;
	size_t cap = f->n_tenants;
	uint32_t n = 0;

	for (uint32_t p = 0; p < f->n_pools; p++)
		cap += 2 * (size_t)f->pools[p].def.n_serves;
	cx->routes = calloc(cap ? cap : 1, sizeof(*cx->routes));
	cx->route_req = calloc(cap ? cap : 1, sizeof(*cx->route_req));
	cx->route_off = calloc((size_t)f->n_pools + 1, sizeof(*cx->route_off));
	if (!cx->routes || !cx->route_req || !cx->route_off || staffing_shared_index(cx) != 0)
		return -1;
	for (uint32_t t = 0; t < f->n_tenants; t++) {
		const struct staffing_tenant *st = &cx->out->tenants[t];

		if (!(st->rate_per_h > 0))
			continue;
		if (staffing_routes_shared(f, cx->out, t)) {
			n += staffing_route_shared(cx, t, st->rate_per_h, false, cx->routes + n);
			continue;
		}
		cx->routes[n].pool = (uint32_t)f->tenants[t].dedicated_pool;
		cx->routes[n].tenant = t;
		cx->routes[n].rate = st->rate_per_h;
		n++;
		if (f->tenants[t].def.overflow_sec > 0) {
			double ov = staffing_overflow_rate(cx, t);

			if (ov > 0)
				n += staffing_route_shared(cx, t, ov, true, cx->routes + n);
		}
	}
	qsort(cx->routes, n, sizeof(*cx->routes), staffing_route_cmp);
	cx->n_routes = n;
	for (uint32_t i = 0; i < n; i++)
		cx->route_off[cx->routes[i].pool + 1]++;
	for (uint32_t p = 0; p < f->n_pools; p++)
		cx->route_off[p + 1] += cx->route_off[p];
	return 0;
}

/* ------------------------------------------------------------ pools */

static bool
staffing_state_available(enum proto_agent_state s)
{
	return s == PROTO_AS_IDLE || s == PROTO_AS_BUSY || s == PROTO_AS_WRAP;
}

/* Head counts and the agents of each pool, in one pass over the agents. */
static int
staffing_members(struct staffing_ctx *cx)
{
	const struct floor *f = cx->f;

	cx->member_off = calloc((size_t)f->n_pools + 1, sizeof(*cx->member_off));
	cx->members = calloc(f->n_agents ? f->n_agents : 1, sizeof(*cx->members));
	if (!cx->member_off || !cx->members)
		return -1;
	for (uint32_t i = 0; i < f->n_agents; i++) {
		const struct floor_agent *a = &f->agents[i];
		struct staffing_pool *sp = &cx->out->pools[a->pool];

		cx->member_off[a->pool + 1]++;
		if (a->def.state != PROTO_AS_OFFLINE)
			sp->on_duty++;
		if (staffing_state_available(a->def.state))
			sp->available++;
	}
	for (uint32_t p = 0; p < f->n_pools; p++)
		cx->member_off[p + 1] += cx->member_off[p];
	{
		uint32_t *fill = calloc(f->n_pools ? f->n_pools : 1, sizeof(*fill));

		if (!fill)
			return -1;
		for (uint32_t i = 0; i < f->n_agents; i++) {
			uint32_t p = (uint32_t)f->agents[i].pool;

			cx->members[cx->member_off[p] + fill[p]++] = i;
		}
		free(fill);
	}
	return 0;
}

double
staffing_pool_sl(const struct staffing_ctx *cx, uint32_t p, uint32_t n, uint32_t t)
{
	const struct staffing_pool *sp = &cx->out->pools[p];
	struct erlang_a r;

	if (!(sp->load > 0))
		return NAN;
	if (erlang_a_eval(n, sp->load, sp->aht_s, sp->patience_s,
	                  (double)cx->f->tenants[t].def.sl_sec, &r) != 0)
		return NAN;
	return r.sl;
}

/* Routed tenants mostly share a few thresholds: each distinct one is
 * evaluated once. */
double
staffing_pool_good(const struct staffing_ctx *cx, uint32_t p, uint32_t n)
{
	double good = 0, sl[8];
	uint32_t sec[8], n_sec = 0;

	for (uint32_t i = cx->route_off[p]; i < cx->route_off[p + 1]; i++) {
		uint32_t t = cx->routes[i].tenant, s = cx->f->tenants[t].def.sl_sec, k;
		double v;

		for (k = 0; k < n_sec && sec[k] != s; k++)
			;
		if (k < n_sec) {
			v = sl[k];
		} else {
			v = staffing_pool_sl(cx, p, n, t);
			if (n_sec < 8) {
				sec[n_sec] = s;
				sl[n_sec++] = v;
			}
		}
		if (!isnan(v))
			good += cx->routes[i].rate * v;
	}
	return good;
}

double
staffing_pool_rate(const struct floor *f, uint32_t p)
{
	int t = f->pools[p].tenant;

	return t >= 0 ? f->tenants[t].def.dedicated_rate : 0;
}

static uint32_t
staffing_required(const struct staffing_pool *sp, const struct proto_tenant *t)
{
	struct erlang_target tg = { t->sl_pct / 100.0, (double)t->sl_sec, 0 };

	return erlang_a_agents(sp->load, sp->aht_s, sp->patience_s, &tg, STAFFING_AGENTS_LIMIT);
}

/*
 * Pool p as one queue: rates add; AHT and patience are contact-weighted
 * so load = rate x AHT still holds; it needs what its strictest routed
 * target needs (targets repeat, so each distinct one is computed once).
 */
static void
staffing_pool_fill(struct staffing_ctx *cx, uint32_t p)
{
	const struct floor *f = cx->f;
	struct staffing_pool *sp = &cx->out->pools[p];
	double rate = 0, work = 0, pat = 0;
	int32_t keep;

	for (uint32_t i = cx->route_off[p]; i < cx->route_off[p + 1]; i++) {
		const struct staffing_route *r = &cx->routes[i];
		const struct staffing_tenant *st = &cx->out->tenants[r->tenant];

		rate += r->rate;
		work += r->rate * st->aht_s;
		pat += r->rate * st->patience_s;
	}
	sp->rate_per_h = rate;
	if (rate > 0) {
		sp->aht_s = work / rate;
		sp->patience_s = pat / rate;
		sp->load = work / 3600.0;
	}
	for (uint32_t i = cx->route_off[p]; sp->load > 0 && i < cx->route_off[p + 1]; i++) {
		const struct proto_tenant *t = &f->tenants[cx->routes[i].tenant].def;
		bool seen = false;

		for (uint32_t j = cx->route_off[p]; j < i && !seen; j++) {
			const struct proto_tenant *u = &f->tenants[cx->routes[j].tenant].def;

			if (u->sl_pct == t->sl_pct && u->sl_sec == t->sl_sec) {
				cx->route_req[i] = cx->route_req[j];
				seen = true;
			}
		}
		if (!seen)
			cx->route_req[i] = staffing_required(sp, t);
		if (cx->route_req[i] > sp->required)
			sp->required = cx->route_req[i];
	}
	keep = (int32_t)sp->required;
	/* the contract counts agents on duty, in business hours */
	if (f->pools[p].tenant >= 0) {
		const struct floor_tenant *ft = &f->tenants[f->pools[p].tenant];
		int32_t by_contract = (int32_t)sp->available -
		                      ((int32_t)sp->on_duty - (int32_t)ft->def.min_dedicated);

		if (cx->out->tenants[f->pools[p].tenant].open && by_contract > keep)
			keep = by_contract;
	}
	sp->spare = (int32_t)sp->available - keep;
}

/* Each tenant's figures from the pool that answers it first: its
 * dedicated pool, or the shared pool carrying most of it. */
static int
staffing_tenant_queue(struct staffing_ctx *cx)
{
	double *best = calloc(cx->f->n_tenants ? cx->f->n_tenants : 1, sizeof(*best));

	if (!best)
		return -1;
	for (uint32_t i = 0; i < cx->n_routes; i++) {
		const struct staffing_route *r = &cx->routes[i];
		struct staffing_tenant *st = &cx->out->tenants[r->tenant];

		if (r->overflow || r->rate <= best[r->tenant])
			continue;
		best[r->tenant] = r->rate;
		st->queue = (int)r->pool;
		st->required = cx->route_req[i];
	}
	free(best);
	for (uint32_t t = 0; t < cx->f->n_tenants; t++) {
		struct staffing_tenant *st = &cx->out->tenants[t];
		const struct staffing_pool *sp;

		if (st->queue < 0)
			continue;
		sp = &cx->out->pools[st->queue];
		st->sl = staffing_pool_sl(cx, (uint32_t)st->queue, sp->available, t);
	}
	return 0;
}

/* ------------------------------------------------------------ public */

static void
staffing_ctx_free(struct staffing_ctx *cx)
{
	free(cx->routes);
	free(cx->route_req);
	free(cx->route_off);
	free(cx->shared_off);
	free(cx->shared_pool);
	free(cx->member_off);
	free(cx->members);
}

int
staffing_compute(const struct staffing_input *in, struct staffing_memory *mem,
                 struct staffing *out)
{
	const struct floor *f = in->f;
	struct staffing_ctx cx = { .in = in, .f = f, .out = out, .mem = mem };
	int rc = -1;

	memset(out, 0, sizeof(*out));
	out->tenants = calloc(f->n_tenants ? f->n_tenants : 1, sizeof(*out->tenants));
	out->pools = calloc(f->n_pools ? f->n_pools : 1, sizeof(*out->pools));
	if (!out->tenants || !out->pools)
		goto done;
	out->n_tenants = f->n_tenants;
	out->n_pools = f->n_pools;
	if (staffing_members(&cx) != 0)
		goto done;
	for (uint32_t t = 0; t < f->n_tenants; t++)
		staffing_tenant_fill(&cx, t);
	if (staffing_routes_build(&cx) != 0)
		goto done;
	for (uint32_t p = 0; p < f->n_pools; p++)
		staffing_pool_fill(&cx, p);
	if (staffing_tenant_queue(&cx) != 0)
		goto done;
	rc = staffing_moves_plan(&cx);
done:
	staffing_ctx_free(&cx);
	if (rc != 0)
		staffing_free(out);
	return rc;
}

void
staffing_free(struct staffing *s)
{
	free(s->tenants);
	free(s->pools);
	memset(s, 0, sizeof(*s));
}
