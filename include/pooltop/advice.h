/*
 * advice: staffing by Erlang C from what the floor shows — per tenant,
 * agents required for the current interval's load next to agents staffed,
 * and the moves that would close the gaps (from pools with surplus to
 * tenants in deficit, never below a contract minimum, never starving the
 * shared pool's own tenants), each with its expected effect on service
 * level.  Pure functions of the floor, so they are tested without a
 * server.
 */
#ifndef POOLTOP_ADVICE_H
#define POOLTOP_ADVICE_H

#include <stdbool.h>
#include <stdint.h>

#include "pooltop/floor.h"

#define ADVICE_DEFAULT_AHT_S 300.0   /* until a tenant has handled a contact */
#define ADVICE_MOVES_MAX 64

struct advice_tenant {
	uint32_t tenant;         /* floor index */
	double contacts_per_h;   /* offered rate used for the load */
	double aht_s;            /* this shift's AHT, or the default */
	double load;             /* erlangs */
	uint32_t required;       /* Erlang C agents for the SL target; 0 = no load */
	double staffed;          /* dedicated agents available + shared agents serving it now */
	uint32_t dedicated;      /* dedicated agents available (idle, busy, wrap) */
	double shared;           /* shared agents serving it now */
	double gap;              /* staffed - required: < 0 is a deficit */
	double sl_now;           /* Erlang C SL at the staffing it has (NaN: no load) */
};

struct advice_pool {
	uint32_t pool;
	uint32_t available;      /* members idle, busy or wrap */
	uint32_t required;       /* shared: for the tenants routed to it; dedicated: its tenant's */
	int32_t surplus;         /* available - required - what a contract keeps there */
};

struct advice_move {
	uint32_t from_pool;
	uint32_t to_pool;
	uint32_t tenant;         /* the tenant in deficit it helps */
	uint32_t n;              /* agents */
	uint32_t agents[16];     /* floor indexes, idle ones first */
	double sl_before;        /* the tenant's expected SL now (0..1) */
	double sl_after;         /* ... after the move */
};

struct advice {
	uint32_t n_tenants;
	struct advice_tenant *tenants;   /* one per floor tenant, floor order */
	uint32_t n_pools;
	struct advice_pool *pools;
	uint32_t n_moves;
	struct advice_move moves[ADVICE_MOVES_MAX];
};

/*
 * Load per tenant: offered in the last complete 15-minute interval of the
 * shift, or the current one scaled to 15 minutes once it is 5 minutes old
 * (whichever is higher: a surge shows at once), x AHT / 900 s.
 * 0, or -1 on no memory.  Free with advice_free.
 */
int advice_compute(const struct floor *f, int64_t now, struct advice *out);
void advice_free(struct advice *a);

/* For a closed shift's row: average agents required for its average load
 * (offered x AHT / duration) and average agents staffed
 * ((dedicated_staffed_ms + shared_handle_ms) / duration). */
void advice_row(const struct proto_stats_row *row, const struct proto_tenant *t,
                uint32_t *required, double *staffed);

#endif
