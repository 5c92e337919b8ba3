/*
 * sim: the discrete-event traffic simulator behind pooltopd.  It owns the
 * contacts in flight and each agent's timers; it routes by DESIGN §4 and
 * reports what happens as protocol events through a callback.  It never
 * looks at the wall clock: sim_run_until() advances the floor clock to a
 * given instant, so the same seed and scenario give the same events at any
 * --speed.
 */
#ifndef POOLTOP_SIM_H
#define POOLTOP_SIM_H

#include <stdbool.h>
#include <stdint.h>

#include "pooltop/proto.h"
#include "pooltop/scenario.h"

struct sim;

/* Contacts one tenant's queue holds; an arrival beyond it is queued and
 * abandoned at once (wait 0), like a busy signal.  Well under
 * PROTO_QUEUE_CONTACTS_MAX, so a snapshot always lists every contact. */
#define SIM_QUEUE_MAX 20000u
/* How long an email waits for an agent before it counts as abandoned
 * (voice and chat draw their patience from the tenant's `patience`). */
#define SIM_EMAIL_PATIENCE_MS (24LL * 3600 * 1000)

/* Receives each event in floor-clock order (epoch/seq are the caller's). */
typedef void (*sim_emit_fn)(void *ctx, struct proto_event *ev);

/* start_ts: floor clock in ms since the Unix epoch; tz_offset_s: the
 * local-time offset used to place shifts and business hours on it. */
struct sim *sim_new(const struct scenario *sc, uint64_t seed, int64_t start_ts,
                    int32_t tz_offset_s, sim_emit_fn emit, void *ctx);
void sim_free(struct sim *s);

/* Emit the starting state (shift.started of the current shift, or of the
 * SCENARIO_GAP_SHIFT pseudo-shift in a gap; agents on duty); call once before
 * the first sim_run_until. */
void sim_start(struct sim *s);

/* Process every internal event with time <= until (at most `max_events`
 * of them when non-zero). Returns how many were processed. */
uint64_t sim_run_until(struct sim *s, int64_t until, uint64_t max_events);
/* Time of the next internal event (INT64_MAX when none). */
int64_t sim_next_ts(const struct sim *s);
int64_t sim_now(const struct sim *s);

/* Move an agent now: the pool changes at once; a contact in progress
 * finishes where it started.  The caller emits agent.moved itself.
 * Before sim_start it places persisted moves.  -1 on a bad index. */
int sim_move(struct sim *s, uint32_t agent, uint32_t pool);

/* Where things stand, for move validation. */
uint32_t sim_agent_pool(const struct sim *s, uint32_t agent);
bool sim_agent_on_duty(const struct sim *s, uint32_t agent);
/* Is tenant t inside its business hours at the current floor time? */
bool sim_tenant_open(const struct sim *s, uint32_t t);
/* Index of the shift in force now (-1 in a gap). */
int sim_shift(const struct sim *s);

struct sim_stats {
	uint64_t events;       /* internal events processed */
	uint64_t emitted;      /* protocol events emitted */
	uint64_t contacts;
	uint32_t waiting;
};
void sim_get_stats(const struct sim *s, struct sim_stats *st);

#endif
