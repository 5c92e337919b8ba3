/*
 * scenario: a floor definition read from an INI file (inih) — shifts,
 * tenants with their traffic profiles, pools, and agents with the shifts
 * they work.  The format is documented in scenarios/README.md.
 */
#ifndef POOLTOP_SCENARIO_H
#define POOLTOP_SCENARIO_H

#include <stddef.h>
#include <stdint.h>

#include "pooltop/proto.h"
#include "pooltop/strindex.h"

/* The name pooltopd's shift.started carries for a gap between shifts, so
 * the gap's traffic gets a statistics row of its own; reserved. */
#define SCENARIO_GAP_SHIFT "off"

struct scenario_shift {
	struct proto_shift_def def;  /* name, "HH:MM" start and end */
	uint32_t start_min;          /* minutes after midnight */
	uint32_t end_min;            /* may be < start_min: crosses midnight */
};

struct scenario_tenant {
	struct proto_tenant def;     /* id, name, model, sl, rates, min_dedicated,
	                                overflow_sec, open/close ("" = always open) */
	uint32_t open_min, close_min;/* business hours in minutes; equal = 24 h */
	double rate_per_hour[24];    /* contacts offered per hour, by hour of day */
	double talk_mean_s;          /* lognormal talk time */
	double talk_cv;              /* its coefficient of variation */
	double wrap_mean_s;
	double patience_mean_s;      /* exponential patience per contact */
	double channel_mix[PROTO_CH__COUNT]; /* sums to 1 */
	char *queues;                /* --source asterisk: `queues`, as written;
	                                NULL = the tenant id */
};

struct scenario_pool {
	struct proto_pool def;       /* id, kind, tenant, serves */
	/* addition: `trained = TENANT, ...`, whom its agents may also serve */
	uint32_t n_trained;
	char (*trained)[PROTO_ID_MAX + 1];
};

struct scenario_agent {
	char id[PROTO_ID_MAX + 1];
	char name[PROTO_NAME_MAX + 1];
	uint32_t pool;               /* index into pools */
	uint32_t shift_mask;         /* bit i: on duty in shifts[i] */
	char *aliases;               /* --source asterisk: other queue_log names, as
	                                written; NULL = none */
};

struct scenario {
	char path[256];
	char name[PROTO_NAME_MAX + 1];
	uint32_t break_every_min;    /* an agent takes a break after this long on duty, 0 = none */
	uint32_t break_min;          /* for this long */
	uint32_t aux_min;            /* addition: more off-phone minutes added to each break */
	char acw_reasons[256];       /* pause reasons that extend wrap-up (asterisk) */
	uint32_t n_shifts;
	struct scenario_shift shifts[PROTO_SHIFTS_MAX];
	uint32_t n_tenants;
	struct scenario_tenant *tenants;
	uint32_t n_pools;
	struct scenario_pool *pools;
	uint32_t n_agents;
	struct scenario_agent *agents;
	struct strindex tenant_ix;   /* tenant id -> index (scenario_tenant_find) */
	struct strindex pool_ix;     /* pool id -> index (scenario_pool_find) */
};

/* 0 on success; -1 with `err` holding "FILE:LINE: what is wrong". */
int scenario_load(const char *path, struct scenario *sc, char *err, size_t errlen);
/* SCENARIO_F_ACD: the floor is fed by an ACD (pooltopd --source asterisk),
 * so tenants need no traffic model: `traffic` and `talk` become optional. */
#define SCENARIO_F_ACD 1u
int scenario_load_flags(const char *path, unsigned flags, struct scenario *sc,
                        char *err, size_t errlen);
int scenario_parse_flags(const char *text, const char *name, unsigned flags,
                         struct scenario *sc, char *err, size_t errlen);
/* The same from a string; `name` stands for the file in messages. */
int scenario_parse(const char *text, const char *name, struct scenario *sc,
                   char *err, size_t errlen);
void scenario_free(struct scenario *sc);

/* The floor the scenario describes, every agent offline in pool_of[i]
 * (NULL: its home pool), homes and `trained` lists set.  0, or -1 on no
 * memory. */
struct floor;
int scenario_floor(const struct scenario *sc, struct floor *f, uint64_t epoch, const uint32_t *pool_of,
                   int64_t now);

/* Index of the shift covering minute-of-day m (0..1439), or -1 (a gap). */
int scenario_shift_at(const struct scenario *sc, uint32_t minute);
int scenario_tenant_find(const struct scenario *sc, const char *id);
int scenario_pool_find(const struct scenario *sc, const char *id);

#endif
