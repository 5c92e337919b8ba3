#include <math.h>

#include "pooltop/floor.h"
#include "pooltop/stats.h"

#define STATS_MS_PER_HOUR 3.6e6

/* A ratio with nothing to divide by is unknown, not zero. */
static double
stats_ratio(double num, double den)
{
	return den > 0 ? num / den : NAN;
}

double
stats_cost(const struct proto_stats_row *row, const struct proto_tenant *t)
{
	if (!t)
		return NAN;
	return (double)row->dedicated_staffed_ms / STATS_MS_PER_HOUR * t->dedicated_rate +
	       (double)row->shared_handle_ms / STATS_MS_PER_HOUR * t->shared_rate;
}

void
stats_compute(const struct proto_stats_row *row, const struct proto_tenant *t,
              struct stats *out)
{
	double handle = (double)row->talk_ms + (double)row->wrap_ms;
	/* short abandons are callers who hung up before anyone could have
	 * answered: they neither help nor hurt the service level.  Counters
	 * from a faulty source could make this negative; that is no divisor. */
	double sl_den = (double)row->answered + (double)row->abandoned -
	                (double)row->abandoned_short;

	out->service_level = stats_ratio((double)row->answered_in_sl, sl_den);
	out->asa_s = stats_ratio((double)row->wait_ms, (double)row->answered) / 1000.0;
	out->aht_s = stats_ratio(handle, (double)row->handled) / 1000.0;
	out->abandon_rate = stats_ratio((double)row->abandoned, (double)row->offered);
	/* PROTOCOL.md §10.  With busy and break time the dedicated team's
	 * occupancy is the time it was busy of the time it was available (on
	 * duty and not on break), both cut at the shift's edges, so it never
	 * passes 100%; a tenant without a dedicated team has none to show.
	 * A row from a sender without them keeps the first formula. */
	if (row->has_busy)
		out->occupancy = row->dedicated_staffed_ms > row->dedicated_break_ms
		                 ? stats_ratio((double)row->dedicated_busy_ms,
		                               (double)(row->dedicated_staffed_ms - row->dedicated_break_ms))
		                 : NAN;
	else
		out->occupancy = stats_ratio(handle, (double)row->dedicated_staffed_ms +
		                                     (double)row->shared_handle_ms);
	out->cost = stats_cost(row, t);
}

bool
stats_aht_thin(uint64_t handled)
{
	return handled < STATS_AHT_MIN_HANDLED;
}

bool
stats_row_partial(const struct proto_stats_row *row)
{
	/* covered_ms is 0 when absent: the counters cover the whole span */
	return row->covered_ms > 0 && row->end_ts > row->start_ts &&
	       row->covered_ms < (uint64_t)floor_span_ms(row->start_ts, row->end_ts);
}

enum stats_level
stats_sl_level(double service_level, double target_pct, double warn_pts)
{
	/* 0.8 * 100 is not exactly 80 in binary; a level that prints as the
	 * target must count as meeting it */
	const double eps = 1e-9;
	double pct;

	if (isnan(service_level) || isnan(target_pct))
		return STATS_NONE;
	pct = service_level * 100.0;
	if (pct + eps >= target_pct)
		return STATS_OK;
	if (pct + eps >= target_pct - warn_pts)
		return STATS_WARN;
	return STATS_CRIT;
}
