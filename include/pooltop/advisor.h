/*
 * advisor: the dashboard's side of the staffing model (staffing.h).  It
 * keeps the caller-held memory the model's hysteresis needs, fed by every
 * event the replica applies, and evaluates the replica's floor with the
 * skills and home pools the snapshot carries (pools[].trained,
 * agents[].home) and a forecast from the floor's own closed shifts.
 *
 * Hysteresis counts evaluations, and the bench (bench/bench_advice.c)
 * measured it at one evaluation per floor minute; the dashboard evaluates
 * whenever the floor changed.  So only the first evaluation of a floor
 * minute advances the streaks; later ones within the minute are computed
 * on a copy of the streaks as they were before it, so they show what that
 * minute's evaluation would have shown on the floor as it is now.
 * ncurses-free: tested in tests/test_advisor.c.
 */
#ifndef POOLTOP_ADVISOR_H
#define POOLTOP_ADVISOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pooltop/floor.h"
#include "pooltop/staffing.h"

struct advisor {
	bool have_mem;
	struct staffing_memory mem;
	struct staffing_memory base; /* mem before this minute's evaluation */
	/* the floor the memory was sized for: another one starts afresh */
	uint64_t epoch;
	uint32_t n_tenants, n_pools, n_agents;
	int64_t minute;          /* floor minute of the last committing evaluation */
	uint64_t evaluations;    /* that advanced the streaks */
};

void advisor_init(struct advisor *ad);
void advisor_free(struct advisor *ad);
/* After floor_apply of ev (every applied event). */
void advisor_observe(struct advisor *ad, const struct floor *f, const struct proto_event *ev);
/* Evaluate f at floor time now (ms) with local offset tz_offset_s.  0, or
 * -1 on no memory.  Free out with staffing_free. */
int advisor_compute(struct advisor *ad, const struct floor *f, int64_t now, int32_t tz_offset_s,
                    struct staffing *out);

/* One suggestion as a line: who moves where for whom, the receiving
 * tenant's SL before -> after, every giving-pool tenant's, cost per hour. */
void advisor_move_text(const struct floor *f, const struct staffing_move *m, char *buf, size_t len);
/* A percentage of an expected SL (0..1), "-" when there is no load (NaN). */
void advisor_sl_text(double sl, char *buf, size_t len);

#endif
