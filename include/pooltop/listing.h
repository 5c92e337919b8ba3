/*
 * listing: what each dashboard list shows — which rows, in what order,
 * with which figures — computed from the floor replica alone, so sorting,
 * filtering and thresholds are tested without a terminal.
 */
#ifndef POOLTOP_LISTING_H
#define POOLTOP_LISTING_H

#include <stdbool.h>
#include <stdint.h>

#include "pooltop/floor.h"
#include "pooltop/stats.h"

/* ---------------------------------------------------------- tenants */

enum listing_tenant_col {
	LT_NAME, LT_MODEL, LT_WAITING, LT_OLDEST, LT_SL_NOW, LT_SL, LT_ASA, LT_ABANDON, LT_AHT,
	LT_DEDICATED, LT_SHARED, LT_OFFERED, LT__COUNT
};

#define LISTING_SL_WINDOWS 3   /* 15, 30 and 60 minutes */
extern const uint32_t listing_sl_window_iv[LISTING_SL_WINDOWS];   /* 1, 2, 4 */

struct listing_tenant {
	uint32_t tenant;         /* floor index */
	uint32_t waiting;
	int64_t oldest_ms;       /* how long the oldest has waited; -1 none */
	struct stats stats;      /* current shift, staffed time up to now */
	enum stats_level level;  /* service level against target */
	double sl_gap;           /* service level minus target, in points (NaN: none);
	                            the SL column sorts by it */
	uint32_t ded_busy;       /* dedicated agents busy or wrapping */
	uint32_t ded_idle;
	uint32_t ded_on;         /* dedicated agents on duty (not offline) */
	uint32_t shared_serving; /* shared-pool agents serving this tenant now */
	uint64_t offered;
	uint64_t handled;        /* contacts wrapped: what the AHT rests on */
	/* Service level now: over the last 1, 2 and 4 quarter hours of the
	 * shift (15, 30, 60 minutes; the current quarter hour so far is the
	 * first), 0..1, NaN with nothing to judge or no shift. */
	double sl_recent[LISTING_SL_WINDOWS];
	enum stats_level recent_level;   /* the last 15 minutes against target */
	double recent_gap;       /* its points above (below) target; the SLnow
	                            column sorts by it */
	int trend;               /* last 15 minutes against the shift so far:
	                            +1 more than LISTING_SL_WARN_PTS above, -1
	                            as far below, 0 level or unknown */
	enum stats_level oldest_level;   /* the oldest wait against the tenant's
	                                    SL seconds (listing_oldest_level) */
};

/* How long the oldest contact has waited, against the tenant's SL
 * seconds: STATS_NONE with none waiting, STATS_OK below
 * LISTING_OLDEST_WARN_FRAC of them, STATS_WARN from there (it is still
 * inside the target but half of it is gone), STATS_CRIT once past them
 * (that contact can no longer count as answered in time). */
#define LISTING_OLDEST_WARN_FRAC 0.5
enum stats_level listing_oldest_level(int64_t oldest_ms, uint32_t sl_sec);

/* Offered per quarter hour of tenant t's current shift up to now, for
 * the Offered/15m sparkline: out (PROTO_INTERVALS_MAX) gets the n values
 * returned (at least 1).  The quarter hour under way is scaled to a full
 * one at its rate so far (its first minute counts as a minute), so an
 * unfinished interval does not read as a drop. */
uint32_t listing_offered_series(const struct floor *f, uint32_t t, int64_t now, uint32_t *out);

/* Service level of the quarter hours [first, last] of a tenant's
 * counters (0..1, NaN when nothing counts). */
double listing_sl_span(const struct floor_counters *c, uint32_t first, uint32_t last);

/* Warn band below target, in percentage points. */
#define LISTING_SL_WARN_PTS 5.0

void listing_tenant_row(const struct floor *f, uint32_t t, int64_t now, struct listing_tenant *out);
/* Every tenant's row (out has f->n_tenants), in one pass over the agents
 * rather than one per tenant.  0, or -1 on no memory. */
int listing_tenant_rows(const struct floor *f, int64_t now, struct listing_tenant *out);
/* Rows matching `filter` (id, name or model, case-insensitive), sorted by
 * column `sort` (ties by name); out has room for f->n_tenants. */
uint32_t listing_tenants(const struct floor *f, int64_t now, int sort, bool desc,
                         const char *filter, uint32_t *out);
/* The same, sorting by rows the caller already has from
 * listing_tenant_rows (a frame that draws them need not compute twice). */
uint32_t listing_tenants_from(const struct floor *f, const struct listing_tenant *rows, int sort,
                              bool desc, const char *filter, uint32_t *out);
const char *listing_tenant_col_name(int col);
/* One tenant against a filter, and tenants put in order: the pieces
 * listing_tenants is made of, for the list engine.  rows (by tenant
 * index, from listing_tenant_rows) may be NULL: figures are computed per
 * compare at `now` then. */
bool listing_tenant_match(const struct floor *f, uint32_t t, const char *filter);
void listing_tenants_order(const struct floor *f, const struct listing_tenant *rows, int64_t now, int sort,
                           bool desc, uint32_t *order, uint32_t n);

/* Display columns of the longest tenant, agent and pool id on the floor
 * (0 when there is none): what an id column needs so that an id a user
 * types into :move is never shown cut. */
int listing_tenant_id_cols(const struct floor *f);
int listing_agent_id_cols(const struct floor *f);
int listing_pool_id_cols(const struct floor *f);

/* ---------------------------------------------------------- agents */

enum listing_agent_col {
	LA_ID, LA_NAME, LA_POOL, LA_STATE, LA_TENANT, LA_TIME, LA_HANDLED, LA__COUNT
};

/* State as shown: "moving" while a contact started in the old pool is in
 * progress, else the state's name.  The State column sorts by work, not
 * by name: busy, moving (busy, finishing in the old pool), wrap, idle,
 * break, offline (listing_agent_state_rank). */
const char *listing_agent_state(const struct floor *f, uint32_t a);
int listing_agent_state_rank(const struct floor *f, uint32_t a);
/* Filter matches id, name, pool, state (as shown) or tenant, as a
 * case-insensitive substring; "pool:ID" means exactly that pool's agents
 * and "tenant:ID" the agents of that tenant's dedicated pool or serving it. */
uint32_t listing_agents(const struct floor *f, int64_t now, int sort, bool desc,
                        const char *filter, uint32_t *out);
const char *listing_agent_col_name(int col);
bool listing_agent_match(const struct floor *f, uint32_t a, const char *filter);
void listing_agents_order(const struct floor *f, int64_t now, int sort, bool desc, uint32_t *rows,
                          uint32_t n);

/* ---------------------------------------------------------- pools */

struct listing_pool {
	uint32_t pool;
	uint32_t counts[PROTO_AS__COUNT];
	uint32_t members;
	double occupancy;        /* (busy + wrap) / (idle + busy + wrap); NaN if none */
};

void listing_pool_row(const struct floor *f, uint32_t p, struct listing_pool *out);
/* Every pool's row (out has f->n_pools), in one pass over the agents. */
void listing_pool_rows(const struct floor *f, struct listing_pool *out);
/* Shared pools first, then dedicated, each by id; filter on id, kind,
 * tenant or served tenant ids. */
uint32_t listing_pools(const struct floor *f, const char *filter, uint32_t *out);
bool listing_pool_match(const struct floor *f, uint32_t p, const char *filter);
int listing_pool_compare(const struct floor *f, uint32_t a, uint32_t b);

#endif
