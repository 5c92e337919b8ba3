/*
 * staffing_load: what the advice believes about each tenant's traffic —
 * contacts per hour, handle time and patience — from the forecast and
 * what the floor has seen, and whether the tenant is in business hours.
 *
 * Issue 12 measured the old estimate (last 15 minutes' arrivals, AHT of
 * whatever was handled) off by 2 or more agents a third of the time, and
 * by an order of magnitude in a shift's first minutes.  Every estimate
 * here starts from a prior and moves to the measurement only as the
 * measurement gains contacts: a gamma-Poisson update for the rate, and
 * pseudo-counts for AHT and patience.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "pooltop/staffing.h"

#define STAFFING_DAY_S 86400LL
#define STAFFING_QUARTERS 96
#define STAFFING_QUARTER_MS (15LL * 60 * 1000)
/* Pseudo-contacts the prior is worth: with 20 handled contacts the
 * measured AHT has half the say; with 10 abandons the measured patience. */
#define STAFFING_AHT_K 20.0
#define STAFFING_PATIENCE_K 10.0
/* Under this much floor time an arrival count says nothing on its own. */
#define STAFFING_SPAN_MIN_MS (60LL * 1000)

static int64_t
staffing_local_s(int64_t now, int32_t tz_offset_s)
{
	int64_t s = now / 1000 + tz_offset_s;

	return ((s % STAFFING_DAY_S) + STAFFING_DAY_S) % STAFFING_DAY_S;
}

bool
staffing_open(const struct proto_tenant *t, int64_t now, int32_t tz_offset_s)
{
	unsigned oh, om, ch, cm;
	int64_t m = staffing_local_s(now, tz_offset_s) / 60;
	int64_t o, c;

	if (!t->open[0] || !t->close[0])
		return true;
	if (sscanf(t->open, "%u:%u", &oh, &om) != 2 || sscanf(t->close, "%u:%u", &ch, &cm) != 2)
		return true;
	o = oh * 60 + om;
	c = ch * 60 + cm;
	if (o == c)
		return true;
	return o < c ? (m >= o && m < c) : (m >= o || m < c);
}

double
staffing_forecast(const double *q, int64_t now, int32_t tz_offset_s)
{
	if (!q)
		return -1;
	return q[staffing_local_s(now, tz_offset_s) / 900 % STAFFING_QUARTERS];
}

/* Integral of the piecewise-constant forecast over [from, now), in
 * contacts; at most a day is walked, a quarter at a time.  -1 when a
 * quarter in it has no forecast (negative). */
double
staffing_forecast_over(const double *q, int64_t from, int64_t now, int32_t tz_offset_s)
{
	double sum = 0;
	int64_t t = from;

	if (!q)
		return -1;
	if (now - from > STAFFING_DAY_S * 1000)
		t = now - STAFFING_DAY_S * 1000;
	while (t < now) {
		int64_t into = (staffing_local_s(t, tz_offset_s) % 900) * 1000 + t % 1000;
		int64_t end = t + (STAFFING_QUARTER_MS - into);
		double r = staffing_forecast(q, t, tz_offset_s);

		if (r < 0)
			return -1;
		if (end > now)
			end = now;
		if (end <= t)
			end = t + 1;
		sum += r * (double)(end - t) / 3.6e6;
		t = end;
	}
	return sum;
}

static int
staffing_weekday(int64_t ts, int32_t tz_offset_s)
{
	int64_t days = (ts / 1000 + tz_offset_s) / STAFFING_DAY_S;

	/* 1970-01-01 was a Thursday */
	return (int)(((days + 4) % 7 + 7) % 7);
}

/*
 * A forecast from the floor's own closed shifts: each quarter of the day
 * takes the arrivals of the newest history row of tenant t that covers it,
 * preferring rows of the same weekday as `now` (a Monday looks like the
 * Monday before more than like Sunday).  Quarters no row covers are -1.
 */
uint32_t
staffing_history_forecast(const struct floor *f, uint32_t t, int64_t now, int32_t tz_offset_s,
                          double q[96])
{
	int wd = staffing_weekday(now, tz_offset_s);
	uint32_t filled = 0;

	for (int i = 0; i < STAFFING_QUARTERS; i++)
		q[i] = -1;
	if (t >= f->n_tenants)
		return 0;
	/* two passes, other weekdays first, so the same weekday overwrites;
	 * within a pass oldest first, so the newest overwrites */
	for (int same = 0; same < 2; same++) {
		for (uint32_t h = 0; h < f->n_history; h++) {
			const struct proto_stats_row *r = &f->history[h];
			uint32_t n = r->n_intervals < PROTO_INTERVALS_MAX ? r->n_intervals : PROTO_INTERVALS_MAX;

			if (strcmp(r->tenant, f->tenants[t].def.id) != 0 ||
			    (staffing_weekday(r->start_ts, tz_offset_s) == wd) != (same == 1))
				continue;
			for (uint32_t k = 0; k < n; k++) {
				int64_t at = r->start_ts + (int64_t)k * STAFFING_QUARTER_MS;
				int64_t span = r->end_ts - at;
				int qi = (int)(staffing_local_s(at, tz_offset_s) / 900 % STAFFING_QUARTERS);

				if (span <= 0)
					break;
				if (span > STAFFING_QUARTER_MS)
					span = STAFFING_QUARTER_MS;
				/* a quarter cut short by the shift's end counts at its rate */
				q[qi] = (double)r->intervals[k] * 3.6e6 / (double)span;
			}
		}
	}
	for (int i = 0; i < STAFFING_QUARTERS; i++)
		filled += q[i] >= 0;
	return filled;
}

/*
 * The floor counts arrivals per 15 minutes of the shift; the window is the
 * current interval plus the whole previous one (15 to 30 minutes), so it
 * never rests on a minute's worth of contacts once a shift has run.
 */
void
staffing_load_window(const struct floor *f, uint32_t t, int64_t now,
                     double *arrived, double *span_ms)
{
	const uint32_t *iv = f->tenants[t].cur.intervals;
	int64_t el = floor_span_ms(f->shift_start_ts, now);
	int64_t ci;

	*arrived = 0;
	*span_ms = 0;
	if (!f->shift_name[0] || el <= 0)
		return;
	ci = el / FLOOR_INTERVAL_MS;
	if (ci > PROTO_INTERVALS_MAX - 1) {
		/* floor_apply piles later contacts into the last interval */
		ci = PROTO_INTERVALS_MAX - 1;
	}
	*arrived = iv[ci];
	*span_ms = (double)(el - ci * FLOOR_INTERVAL_MS);
	if (ci > 0) {
		*arrived += iv[ci - 1];
		*span_ms += FLOOR_INTERVAL_MS;
	}
}

double
staffing_load_blend(double forecast_per_h, double expected, double arrived, double span_ms)
{
	if (forecast_per_h >= 0 && expected >= 0)
		return forecast_per_h * (STAFFING_LOAD_K + arrived) / (STAFFING_LOAD_K + expected);
	if (span_ms < (double)STAFFING_SPAN_MIN_MS)
		return 0;
	return arrived * 3.6e6 / span_ms;
}

double
staffing_aht(const struct floor_counters *c, double prior_s)
{
	double handle_s = ((double)c->talk_ms + (double)c->wrap_ms) / 1000.0;
	double n = (double)c->handled;

	if (!(prior_s > 0))
		prior_s = STAFFING_DEFAULT_AHT_S;
	return (handle_s + prior_s * STAFFING_AHT_K) / (n + STAFFING_AHT_K);
}

/* Exponential patience, censored by answers: the maximum-likelihood mean
 * is time waited by everybody / abandons; the prior adds K abandons'
 * worth of its own mean. */
double
staffing_patience(const struct staffing_tenant_obs *o, double prior_s)
{
	if (!(prior_s > 0))
		prior_s = STAFFING_DEFAULT_PATIENCE_S;
	if (!o)
		return prior_s;
	return (o->wait_s + prior_s * STAFFING_PATIENCE_K) /
	       ((double)o->abandoned + STAFFING_PATIENCE_K);
}
