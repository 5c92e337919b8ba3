/*
 * cmd_report_totals: what `--columns full` adds to a row of `pooltop
 * report` beyond its counters: its status (current, closed or partial)
 * and, after each shift, a totals row of all its tenants.  A total is
 * made from summed raw counters, never by averaging percentages, so its
 * service level weighs every contact the same.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cmd_report_int.h"
#include "pooltop/cmd_report.h"
#include "pooltop/stats.h"

const char *
cmd_report_status(const struct cmd_report_row *row)
{
	if (row->current)
		return "current";
	return stats_row_partial(&row->stats) ? "partial" : "closed";
}

bool
cmd_report_same_shift(const struct cmd_report_row *a, const struct cmd_report_row *b)
{
	return a->current == b->current && a->stats.start_ts == b->stats.start_ts &&
	       strcmp(a->stats.shift, b->stats.shift) == 0;
}

static void
cmd_report_total_add(struct cmd_report_row *tot, const struct cmd_report_row *r)
{
	struct proto_stats_row *t = &tot->stats;
	const struct proto_stats_row *s = &r->stats;
	struct cmd_report_figures fg;

	t->offered += s->offered;
	t->answered += s->answered;
	t->answered_in_sl += s->answered_in_sl;
	t->abandoned += s->abandoned;
	t->abandoned_short += s->abandoned_short;
	t->wait_ms += s->wait_ms;
	t->handled += s->handled;
	t->talk_ms += s->talk_ms;
	t->wrap_ms += s->wrap_ms;
	t->dedicated_staffed_ms += s->dedicated_staffed_ms;
	t->shared_handle_ms += s->shared_handle_ms;
	/* The total's occupancy is the readable one only when every row
	 * carried busy and break time (closed rows recorded before they were
	 * kept do not); otherwise the first formula, on the sums. */
	t->has_busy = t->has_busy && s->has_busy;
	t->dedicated_busy_ms += s->dedicated_busy_ms;
	t->dedicated_break_ms += s->dedicated_break_ms;
	/* Each tenant's cost at its own rates: the total has none. */
	cmd_report_figures(r, &fg);
	if (isfinite(fg.cost))
		t->cost += fg.cost;
	/* The shortest cover: the total is partial when any of it is. */
	if (strcmp(cmd_report_status(r), "partial") == 0 &&
	    (t->covered_ms == 0 || s->covered_ms < t->covered_ms))
		t->covered_ms = s->covered_ms;
	tot->advised = tot->advised && r->advised;
	if (r->advised) {
		tot->required += r->required;
		tot->staffed += r->staffed;
	}
}

static void
cmd_report_total_start(struct cmd_report_row *tot, const struct cmd_report_row *first)
{
	memset(tot, 0, sizeof *tot);
	proto_strlcpy(tot->stats.tenant, "*", sizeof tot->stats.tenant);
	proto_strlcpy(tot->stats.shift, first->stats.shift, sizeof tot->stats.shift);
	tot->stats.start_ts = first->stats.start_ts;
	tot->stats.end_ts = first->stats.end_ts;
	tot->current = first->current;
	tot->total = true;
	tot->advised = true;
	tot->stats.has_busy = true;
}

int
cmd_report_totals(const struct cmd_report *rep, struct cmd_report *out)
{
	uint32_t k = 0, n = 0;

	*out = *rep;
	/* the rows copied point into rep's sl_intervals: rep keeps them */
	out->cur_sl = NULL;
	out->n_cur_sl = 0;
	out->rows = calloc((size_t)rep->n_rows * 2 + 1, sizeof *out->rows);
	if (!out->rows)
		return -1;
	while (k < rep->n_rows) {
		uint32_t e = k;
		struct cmd_report_row *tot;

		while (e < rep->n_rows && cmd_report_same_shift(&rep->rows[k], &rep->rows[e]))
			out->rows[n++] = rep->rows[e++];
		tot = &out->rows[n++];
		cmd_report_total_start(tot, &rep->rows[k]);
		for (uint32_t i = k; i < e; i++)
			cmd_report_total_add(tot, &rep->rows[i]);
		if (!tot->advised)
			tot->staffed = NAN;
		k = e;
	}
	out->n_rows = n;
	return 0;
}
