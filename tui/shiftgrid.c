#include <math.h>
#include <stdio.h>
#include <string.h>

#include "pooltop/fmt.h"
#include "pooltop/shiftgrid.h"

const char *
shiftgrid_metric_name(int m)
{
	static const char *const names[SG__COUNT] = {
		"offered", "service level", "ASA", "AHT", "abandon %", "occupancy", "cost",
	};

	return m >= 0 && m < SG__COUNT ? names[m] : "?";
}

double
shiftgrid_value(const struct proto_stats_row *row, const struct proto_tenant *t, int m)
{
	struct stats st;

	stats_compute(row, t, &st);
	switch (m) {
	case SG_OFFERED:
		return (double)row->offered;
	case SG_SL:
		return st.service_level;
	case SG_ASA:
		return st.asa_s;
	case SG_AHT:
		return st.aht_s;
	case SG_ABANDON:
		return st.abandon_rate;
	case SG_OCCUPANCY:
		return st.occupancy;
	case SG_COST:
		/* The totals row has no one tenant's rates: its cost is the
		 * sum of the tenants' costs. */
		return t ? st.cost : row->cost;
	default:
		return NAN;
	}
}

char *
shiftgrid_format(char *buf, size_t len, double v, int m)
{
	if (isnan(v)) {
		snprintf(buf, len, "-");
		return buf;
	}
	switch (m) {
	case SG_OFFERED:
		snprintf(buf, len, "%.0f", v);
		return buf;
	case SG_SL:
	case SG_ABANDON:
	case SG_OCCUPANCY:
		return fmt_pct(buf, len, v, 0);
	case SG_ASA:
	case SG_AHT:
		return fmt_secs(buf, len, v);
	case SG_COST:
		return fmt_money(buf, len, v);
	default:
		snprintf(buf, len, "?");
		return buf;
	}
}

enum stats_level
shiftgrid_level(double v, const struct proto_tenant *t, int m)
{
	if (isnan(v) || t == NULL)
		return STATS_NONE;
	switch (m) {
	case SG_SL:
		return stats_sl_level(v, t->sl_pct, 5.0);
	case SG_ASA:
		return v > (double)t->sl_sec ? STATS_CRIT : STATS_OK;
	case SG_ABANDON:
		return v > 0.10 ? STATS_CRIT : v > 0.05 ? STATS_WARN : STATS_OK;
	default:
		return STATS_OK;
	}
}

void
shiftgrid_sum(struct proto_stats_row *d, const struct proto_stats_row *s)
{
	d->offered += s->offered;
	d->answered += s->answered;
	d->answered_in_sl += s->answered_in_sl;
	d->abandoned += s->abandoned;
	d->abandoned_short += s->abandoned_short;
	d->wait_ms += s->wait_ms;
	d->talk_ms += s->talk_ms;
	d->wrap_ms += s->wrap_ms;
	d->dedicated_staffed_ms += s->dedicated_staffed_ms;
	d->shared_handle_ms += s->shared_handle_ms;
	d->handled += s->handled;
	d->cost += s->cost;
}
