/*
 * tenantpage: what the tenant page shows (Enter on the Floor view) — the
 * queue by channel, the service level of each quarter hour of the shift,
 * and the agents who serve the tenant or can — computed from the floor
 * replica alone, so it is tested without a terminal.
 */
#ifndef POOLTOP_TENANTPAGE_H
#define POOLTOP_TENANTPAGE_H

#include <stdbool.h>
#include <stdint.h>

#include "pooltop/floor.h"
#include "pooltop/stats.h"

/* ---------------------------------------------------------- queue */

struct tenantpage_channel {
	uint32_t waiting;
	int64_t oldest_ms;       /* how long its oldest has waited; -1 none */
};

/* The tenant's waiting contacts by channel (PROTO_CH__COUNT entries). */
void tenantpage_queue(const struct floor *f, uint32_t t, int64_t now,
                      struct tenantpage_channel out[PROTO_CH__COUNT]);

/* ---------------------------------------------------------- chart */

struct tenantpage_interval {
	double sl;               /* 0..1 over this quarter hour; NaN: nothing counted */
	enum stats_level level;  /* STATS_OK met, STATS_CRIT missed, STATS_NONE */
	bool current;            /* the quarter hour now running (not finished) */
	int64_t start_ts;        /* floor clock of its start */
};

/* The quarter hours of the shift in force from its start up to the one
 * running at `now` (out has PROTO_INTERVALS_MAX), each met or missed
 * against the tenant's target.  Returns how many; 0 with no shift in
 * force.  *total: quarter hours of the whole shift (0 unknown). */
uint32_t tenantpage_intervals(const struct floor *f, uint32_t t, int64_t now,
                              struct tenantpage_interval *out, uint32_t *total);

/* ---------------------------------------------------------- agents */

/* Why an agent is on the page, in the order the page lists them. */
enum tenantpage_role {
	TP_DEDICATED,            /* in the tenant's dedicated pool */
	TP_SHARED,               /* in a shared pool that serves the tenant */
	TP_SERVING,              /* elsewhere, but on one of its contacts now */
	TP_LENT,                 /* its home pool serves the tenant; lent elsewhere */
	TP_TRAINED,              /* elsewhere, trained for a pool that serves it:
	                            may be moved in without forcing */
	TP__COUNT
};

const char *tenantpage_role_name(enum tenantpage_role r);

struct tenantpage_agent {
	uint32_t agent;          /* floor index */
	enum tenantpage_role role;
};

/* The agents who serve tenant t or can (out has room for f->n_agents),
 * in floor order; offline ones only when `offline`.  Returns how many. */
uint32_t tenantpage_agents(const struct floor *f, uint32_t t, bool offline,
                           struct tenantpage_agent *out);
/* Put handles rows[0..n) (indexes into items) in the page's order: role,
 * then state (busy, wrap, idle, break, offline), then id. */
void tenantpage_order(const struct floor *f, const struct tenantpage_agent *items, uint32_t *rows,
                      uint32_t n);
/* An item against a filter: the agent's id, name, pool, state or role
 * (case-insensitive substring). */
bool tenantpage_match(const struct floor *f, const struct tenantpage_agent *item, const char *filter);

#endif
