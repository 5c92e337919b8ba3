/*
 * floor: the model of one contact-center floor — tenants, pools, agents,
 * queues and per-tenant counters for the current shift and closed shifts.
 *
 * floor_apply() is the one way state changes, in pooltopd and in the
 * dashboard alike: both feed it the same events, so both hold the same
 * floor.  A snapshot converts to and from a floor.
 */
#ifndef POOLTOP_FLOOR_H
#define POOLTOP_FLOOR_H

#include <stdbool.h>
#include <stdint.h>

#include "pooltop/proto.h"
#include "pooltop/strindex.h"

#define FLOOR_INTERVAL_MS (15 * 60 * 1000)
/* Timestamps a floor accepts, in ms since the Unix epoch: 0 up to about
 * the year 33658.  Anything else is an error on the wire, and keeping out
 * of int64's ends means differences of two timestamps cannot overflow. */
#define FLOOR_TS_MAX 1000000000000000LL
#define FLOOR_SHORT_ABANDON_MS 5000   /* abandons quicker than this are "short" */

/* Raw counters of one tenant over one shift (or part of one). */
struct floor_counters {
	uint64_t offered;
	uint64_t answered;
	uint64_t answered_in_sl;
	uint64_t abandoned;
	uint64_t abandoned_short;
	uint64_t handled;              /* contacts wrapped */
	uint64_t wait_ms;              /* of answered contacts */
	uint64_t talk_ms;
	uint64_t wrap_ms;
	uint64_t dedicated_staffed_ms; /* closed intervals only; see floor_staffed_ms */
	uint64_t dedicated_busy_ms;    /* of it, busy or wrapping (closed intervals) */
	uint64_t dedicated_break_ms;   /* of it, on break (closed intervals) */
	uint64_t shared_handle_ms;
	uint32_t intervals[PROTO_INTERVALS_MAX]; /* offered per 15 min of the shift */
	/* answered, in SL, abandoned, wait per 15 min: service level now,
	 * not only since the shift began */
	struct proto_sl_interval sl[PROTO_INTERVALS_MAX];
};

struct floor_queued {
	uint64_t contact;
	int64_t ts;
	enum proto_channel channel;
};

struct floor_tenant {
	struct proto_tenant def;
	int dedicated_pool;            /* index into pools, -1 if none */
	/* queue: waiting contacts, oldest first (a ring would not help: abandons
	 * remove from the middle, and queues are short) */
	uint32_t n_waiting;
	uint32_t cap_waiting;
	struct floor_queued *waiting;
	struct floor_counters cur;     /* the current shift */
};

struct floor_pool {
	struct proto_pool def;
	int tenant;                    /* dedicated: index of its tenant, else -1 */
};

struct floor_agent {
	struct proto_agent def;        /* def.pool / def.tenant kept current */
	int pool;                      /* index into pools */
	int serving;                   /* tenant index being served, -1 = none */
	int handling_pool;             /* pool the current contact started in, -1 */
	int home;                      /* home pool (def.home), -1 unknown */
	uint32_t handled;              /* this shift */
};

/* A closed shift of one tenant, as history keeps it. */
struct floor_history_row {
	struct proto_stats_row row;
};

struct floor {
	uint64_t epoch;
	uint64_t seq;                  /* last applied event */
	int64_t ts;                    /* floor clock of the last event */

	char shift_name[PROTO_ID_MAX + 1];
	int64_t shift_start_ts;
	int64_t shift_end_ts;

	uint32_t n_shifts;
	struct proto_shift_def *shifts;

	uint32_t n_tenants;
	struct floor_tenant *tenants;
	uint32_t n_pools;
	struct floor_pool *pools;
	uint32_t n_agents;
	struct floor_agent *agents;

	struct strindex tenant_ix;
	struct strindex pool_ix;
	struct strindex agent_ix;

	/* closed shifts seen by this floor, oldest first, and beside each
	 * row its per-interval service-level counters (history_sl[i] goes
	 * with history[i]; cap_history entries of each) */
	uint32_t n_history;
	uint32_t cap_history;
	struct proto_stats_row *history;
	struct proto_sl_row *history_sl;

	/* events rejected by floor_apply (unknown ids, impossible transitions) */
	uint64_t n_rejected;
	/* Bumped by every change (an applied event, a snapshot, a definition,
	 * a trim, floor_free): what a cache of figures from this floor keys
	 * on, so it is rebuilt only when the floor really changed. */
	uint64_t gen;
};

/* Result of floor_apply. */
enum floor_apply_result {
	FLOOR_APPLIED = 0,
	FLOOR_IGNORED = 1,   /* hb, or an event older than seq (already applied) */
	FLOOR_RESYNC = 2,    /* gap in seq, new epoch or floor.reset: take a snapshot */
	FLOOR_REJECTED = -1, /* names something the floor does not have, or a
	                        ts/start_ts/end_ts outside 0..FLOOR_TS_MAX */
};

void floor_init(struct floor *f);
void floor_free(struct floor *f);

/* Definition (used by pooltopd when building from a scenario). Each returns
 * the new index, or -1 on a duplicate id or no memory. */
int floor_add_shift(struct floor *f, const struct proto_shift_def *s);
int floor_add_tenant(struct floor *f, const struct proto_tenant *t);
int floor_add_pool(struct floor *f, const struct proto_pool *p);
int floor_add_agent(struct floor *f, const struct proto_agent *a);

int floor_tenant_find(const struct floor *f, const char *id);
int floor_pool_find(const struct floor *f, const char *id);
int floor_agent_find(const struct floor *f, const char *id);

/*
 * Apply one event.  With `check_seq`, events must arrive in order: an
 * event with seq <= f->seq is IGNORED, one with seq > f->seq + 1 or another
 * epoch returns RESYNC and changes nothing.  pooltopd applies the events it
 * makes itself with check_seq false after setting seq.
 */
enum floor_apply_result floor_apply(struct floor *f, const struct proto_event *ev,
                                    bool check_seq);

/* Replace the whole floor with a snapshot (the floor must be initialised).
 * -1 (and an empty floor) when it names what it does not define or holds
 * a timestamp outside 0..FLOOR_TS_MAX. */
int floor_from_snapshot(struct floor *f, const struct proto_snapshot *s);
/* Build a snapshot of the floor as of f->ts.  Free with proto_snapshot_free. */
int floor_to_snapshot(const struct floor *f, struct proto_snapshot *s);

/* Counters of tenant t for the current shift, with staffed time of agents
 * still on duty accrued up to `now`; as a history row. */
/* The tenant's per-interval service-level counters, the first n
 * intervals (as many as its row's `intervals`), copied into out (which
 * must hold a row or be zeroed); -1, out left empty, when out of memory. */
int floor_row_sl(const struct floor *f, uint32_t t, uint32_t n, struct proto_sl_row *out);
void floor_stats_row(const struct floor *f, uint32_t t, int64_t now,
                     struct proto_stats_row *out);

/* floor_stats_row for every tenant at once (out has n_tenants rows), in
 * one pass over the agents.  0, or -1 on no memory. */
int floor_stats_rows(const struct floor *f, int64_t now, struct proto_stats_row *out);

/* Dedicated staffed ms of tenant t including the open intervals up to now. */
uint64_t floor_staffed_ms(const struct floor *f, uint32_t t, int64_t now);

/* Keep only the newest `keep` rows of f->history (floor_apply appends a
 * row per tenant at every shift.started, so a long-running replica must
 * trim).  Capacity is kept for the rows to come. */
void floor_history_trim(struct floor *f, uint32_t keep);

/* to - from in ms, saturated to int64's range instead of overflowing (a
 * history row or a clock from elsewhere may hold any value). */
int64_t floor_span_ms(int64_t from, int64_t to);

/* 0 <= ts <= FLOOR_TS_MAX. */
bool floor_ts_valid(int64_t ts);

/* Count agents of pool p in each state (array of PROTO_AS__COUNT). */
void floor_pool_counts(const struct floor *f, uint32_t p, uint32_t counts[PROTO_AS__COUNT]);

/* Agent a is serving a contact that started in another pool ("moving"). */
bool floor_agent_moving(const struct floor *f, uint32_t a);

/* Agent a's home pool: def.home, or its current pool when unknown (a
 * snapshot from a server that does not say). */
uint32_t floor_agent_home(const struct floor *f, uint32_t a);

#endif
