/*
 * stats: the figures a manager reads, derived from raw counters with the
 * formulas of DESIGN §4.  Every ratio whose divisor is zero is NaN, which
 * the views show as "-" rather than inventing a 0 % or 100 %.
 */
#ifndef POOLTOP_STATS_H
#define POOLTOP_STATS_H

#include "pooltop/proto.h"

struct stats {
	double service_level;  /* 0..1: answered_in_sl / (answered + abandoned - abandoned_short) */
	double asa_s;          /* wait_ms of answered / answered, in seconds */
	double aht_s;          /* (talk_ms + wrap_ms) / handled, in seconds */
	double abandon_rate;   /* abandoned / offered, 0..1 */
	double occupancy;      /* (talk + wrap) / (dedicated staffed + shared handle) */
	double cost;           /* staffed h x dedicated_rate + shared handle h x shared_rate */
};

void stats_compute(const struct proto_stats_row *row, const struct proto_tenant *t,
                   struct stats *out);
double stats_cost(const struct proto_stats_row *row, const struct proto_tenant *t);

/* An AHT from fewer handled contacts than this means little (one long
 * call in the first minute of a shift is not the tenant's handle time):
 * it is shown with its count, dimmed. */
#define STATS_AHT_MIN_HANDLED 10
/* true when an AHT rests on too few contacts to be read as one */
bool stats_aht_thin(uint64_t handled);

/* A row whose counters cover only part of its span (covered_ms set and
 * short of end_ts - start_ts: the server started late or was down), which
 * the report and the Shifts view both call "partial". */
bool stats_row_partial(const struct proto_stats_row *row);

enum stats_level { STATS_OK, STATS_WARN, STATS_CRIT, STATS_NONE };
/* Service level against the tenant's target: OK at or above target, WARN
 * within `warn_pts` percentage points below it, CRIT further below, NONE
 * when there is nothing to judge yet (NaN). */
enum stats_level stats_sl_level(double service_level, double target_pct, double warn_pts);

#endif
