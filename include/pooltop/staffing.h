/*
 * staffing: the advice a workforce planner would accept (issue 12).
 *
 * Replaces advice.h's Erlang C per-tenant arithmetic with:
 *   - queues as the floor routes them now: a dedicated pool carries its
 *     tenant in business hours; a shared pool is ONE pooled queue of
 *     everything routed to it (shared tenants, hybrid tenants outside
 *     their hours, and what overflows from dedicated pools);
 *   - Erlang A (callers hang up) with each tenant's patience estimated
 *     from its own waits and abandons;
 *   - a load per tenant for the current 15 minutes blending the forecast
 *     with the arrivals, weighted by how much has arrived; AHT likewise;
 *   - who may work where: an agent may be put only into a pool all of
 *     whose tenants its home pool is trained for;
 *   - hysteresis in plain state the caller keeps (struct staffing_memory):
 *     a suggestion is shown only once it has held for several evaluations,
 *     agents moved within the hold time are never proposed;
 *   - every suggestion with the SL before and after of the tenant it helps
 *     and of every tenant the giving pool serves, and its cost per hour;
 *     none without a gain, and a reason when there is none.
 *
 * Pure functions of the floor plus the caller's memory: tested without a
 * server, and the same in pooltopd, the dashboard and the bench.
 */
#ifndef POOLTOP_STAFFING_H
#define POOLTOP_STAFFING_H

#include <stdbool.h>
#include <stdint.h>

#include "pooltop/floor.h"

#define STAFFING_MOVES_MAX 16
#define STAFFING_MOVE_AGENTS 16
#define STAFFING_GIVER_TENANTS 8      /* giving-pool tenants listed per move */
#define STAFFING_HOLD_MS (60LL * 60 * 1000) /* moved agents rest this long */
#define STAFFING_STREAK 3             /* evaluations a move must hold */
#define STAFFING_DEFAULT_AHT_S 300.0  /* with neither forecast nor contacts */
#define STAFFING_DEFAULT_PATIENCE_S 120.0

/* ------------------------------------------------------------ inputs */

/*
 * Who may work where.  trained[p] lists the tenants (floor indexes,
 * ascending) that agents whose HOME is pool p are trained for: by default
 * a dedicated pool's tenant, a shared pool's serves; widened by the
 * scenario's `trained = TENANT, ...` on [pool].
 */
struct staffing_skills {
	uint32_t n_pools;
	uint32_t *off;           /* n_pools + 1 offsets into tenant */
	uint32_t *tenant;
};

/* One extra (pool, tenant) pair from `trained`. */
struct staffing_trained {
	uint32_t pool;
	uint32_t tenant;
};

/* Defaults from the floor plus `extra` pairs.  0, or -1 on no memory. */
int staffing_skills_init(struct staffing_skills *sk, const struct floor *f,
                         const struct staffing_trained *extra, uint32_t n_extra);
void staffing_skills_free(struct staffing_skills *sk);
/* The same with the extra pairs every pool's def.trained lists (what a
 * scenario's `trained` puts on the floor and a snapshot carries). */
int staffing_skills_from_floor(struct staffing_skills *sk, const struct floor *f);
/* Agents of home pool `home` may work in pool `to`: `to` is home, or every
 * tenant `to` serves is in home's trained set (an empty shared pool is
 * open to all). */
bool staffing_skills_allow(const struct staffing_skills *sk, const struct floor *f,
                           uint32_t home, uint32_t to);
/* The first tenant (floor index) `to` serves that home's agents are not
 * trained for, or -1 when staffing_skills_allow. */
int staffing_skills_missing(const struct staffing_skills *sk, const struct floor *f,
                            uint32_t home, uint32_t to);

/* Per-tenant figures the floor does not hold, all optional. */
struct staffing_prior {
	const double *quarter_per_h; /* 96 forecast rates (contacts/h), one per
	                                local quarter hour from 00:00 (a scenario's
	                                profile, or staffing_history_forecast);
	                                NULL or a negative entry: none there */
	double aht_s;            /* scenario / history AHT, <= 0: none */
	double patience_s;       /* scenario patience, <= 0: none */
};

/*
 * State the caller keeps between evaluations (plain data, no pointers to
 * the floor): patience observations per tenant (fed by events), when each
 * agent was last moved, and the streak of each candidate suggestion.
 */
struct staffing_tenant_obs {
	uint64_t waited;         /* contacts that waited (answered after a wait or abandoned) */
	uint64_t abandoned;
	double wait_s;           /* total time waited by every contact seen */
};

struct staffing_streak {
	uint32_t from_pool, to_pool;
	uint32_t count;          /* consecutive evaluations it was proposed */
	bool seen;               /* proposed this evaluation */
};

struct staffing_memory {
	uint32_t n_tenants;
	struct staffing_tenant_obs *obs;
	uint32_t n_agents;
	int64_t *moved_ts;       /* last agent.moved, INT64_MIN never */
	uint32_t n_pools;
	int64_t *gave_ts;        /* per pool: last agent moved out of it */
	int64_t *got_ts;         /* per pool: last agent moved into it */
	uint32_t n_streaks;
	struct staffing_streak streaks[STAFFING_MOVES_MAX * 4];
	bool have_top;
	uint32_t top_from, top_to;
};

int staffing_memory_init(struct staffing_memory *m, const struct floor *f);
void staffing_memory_free(struct staffing_memory *m);
/* Feed every event the floor applies (after floor_apply): abandons and
 * answers teach patience, agent.moved starts the agent's hold time. */
void staffing_memory_observe(struct staffing_memory *m, const struct floor *f,
                             const struct proto_event *ev);

/* ------------------------------------------------------------ outputs */

enum staffing_reason {
	STAFFING_R_MOVES = 0,     /* there are suggestions */
	STAFFING_R_ON_TARGET,     /* every tenant with load meets its target */
	STAFFING_R_UNTRAINED,     /* spare agents exist, none trained for the short tenants */
	STAFFING_R_CONTRACT,      /* spare agents only below contract minimums */
	STAFFING_R_NO_SPARE,      /* nobody can be spared */
	STAFFING_R_SETTLING,      /* a move is forming; not yet held long enough */
	STAFFING_R_HELD,          /* the spare agents were moved within the hold time */
};
const char *staffing_reason_text(enum staffing_reason r);

struct staffing_tenant {
	double rate_per_h;       /* blended load estimate, contacts/h */
	double aht_s;
	double patience_s;
	double load;             /* erlangs */
	bool open;               /* inside business hours (or no hours) */
	int queue;               /* pool that answers it first now, -1 none */
	double sl;               /* expected SL of its queue now (NaN: no load) */
	uint32_t required;       /* agents its queue needs for this tenant's target */
};

struct staffing_pool {
	uint32_t available;      /* members idle, busy or wrap */
	uint32_t on_duty;        /* members not offline (the contract counts these) */
	double load;             /* erlangs routed to it: pooled */
	double rate_per_h;
	double aht_s, patience_s;/* pooled (contact-weighted) */
	uint32_t required;       /* Erlang A for the strictest routed target */
	int32_t spare;           /* available - max(required, contract hold) */
};

struct staffing_sl {
	uint32_t tenant;
	double before, after;
};

struct staffing_move {
	uint32_t from_pool, to_pool;
	uint32_t tenant;         /* the receiving tenant it helps most */
	uint32_t n;
	uint32_t agents[STAFFING_MOVE_AGENTS];
	double sl_before, sl_after;           /* the receiving tenant */
	uint32_t n_giver;
	struct staffing_sl giver[STAFFING_GIVER_TENANTS]; /* tenants of from_pool */
	double cost_per_h;       /* change in the floor's hourly cost */
	double gain;             /* contacts/h newly answered within target */
	uint32_t streak;         /* evaluations it has held */
};

struct staffing {
	uint32_t n_tenants;
	struct staffing_tenant *tenants;
	uint32_t n_pools;
	struct staffing_pool *pools;
	uint32_t n_moves;        /* shown: held for STAFFING_STREAK evaluations */
	struct staffing_move moves[STAFFING_MOVES_MAX];
	enum staffing_reason reason;
};

struct staffing_input {
	const struct floor *f;
	int64_t now;
	int32_t tz_offset_s;                 /* local time for business hours */
	const struct staffing_skills *skills;
	const struct staffing_prior *prior;  /* n_tenants, or NULL */
	const uint32_t *home;                /* per agent home pool, or NULL: current */
};

/*
 * Evaluate the floor and update the memory's streaks (call once per floor
 * update, not per draw).  0, or -1 on no memory.  Free with staffing_free.
 * mem NULL: no hysteresis (every candidate shown at once) and the prior
 * patience; in->prior NULL: no forecast (arrivals alone, default AHT and
 * patience); in->home NULL: every agent's home is its current pool;
 * in->skills NULL: nobody is trained beyond home, so nothing moves.
 */
int staffing_compute(const struct staffing_input *in, struct staffing_memory *mem,
                     struct staffing *out);
void staffing_free(struct staffing *s);

/* ------------------------------------------------- pieces, for tests */

/* Length of the window of recent arrivals the load estimate looks at. */
#define STAFFING_WINDOW_MS (30LL * 60 * 1000)
/* Arrivals in the last STAFFING_WINDOW_MS of the shift (or since it began)
 * and the ms covered. */
void staffing_load_window(const struct floor *f, uint32_t t, int64_t now,
                          double *arrived, double *span_ms);
/* The blended rate: the forecast for now scaled by (K + arrived) /
 * (K + expected), `expected` the forecast's contacts over the same window,
 * K = STAFFING_LOAD_K contacts: the forecast rules until enough has
 * arrived to say otherwise.  arrived / span alone without a forecast
 * (forecast_per_h < 0). */
#define STAFFING_LOAD_K 30.0
double staffing_load_blend(double forecast_per_h, double expected, double arrived,
                           double span_ms);
/* Forecast contacts/h at `now`, and contacts expected over [from, now). */
double staffing_forecast(const double *quarter_per_h, int64_t now, int32_t tz_offset_s);
double staffing_forecast_over(const double *quarter_per_h, int64_t from, int64_t now,
                              int32_t tz_offset_s);
/* A forecast for tenant t from the floor's closed shifts (f->history): per
 * local quarter hour, the newest row covering it, rows of now's weekday
 * first; uncovered quarters are -1 (no forecast there).  Returns how many
 * quarters it filled.  For a live floor, where no scenario profile is
 * known. */
uint32_t staffing_history_forecast(const struct floor *f, uint32_t t, int64_t now,
                                   int32_t tz_offset_s, double q[96]);
/* AHT and patience: measured values shrunk to the prior by pseudo-counts. */
double staffing_aht(const struct floor_counters *c, double prior_s);
double staffing_patience(const struct staffing_tenant_obs *o, double prior_s);
/* Business hours ("" = always) at floor time now. */
bool staffing_open(const struct proto_tenant *t, int64_t now, int32_t tz_offset_s);

#endif
