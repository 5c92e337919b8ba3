/*
 * cmd_report_interval: `pooltop report --by interval`, one row per tenant
 * per 15 minutes of each shift, from the rows' per-interval counters
 * (`intervals` and `sl_intervals`, PROTOCOL.md §6.4): what happened in
 * that quarter hour, not since the shift began.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd_report_int.h"
#include "pooltop/cmd_report.h"
#include "pooltop/fmt.h"

#define CMD_REPORT_IV_MS 900000LL

enum cmd_report_iv_field {
	I_TENANT, I_SHIFT, I_START, I_OFFERED, I_ANSWERED, I_IN_SL, I_ABANDONED, I_ABN_SHORT,
	I_SL, I_ASA, I_ABN, I__COUNT
};

static const char *const cmd_report_iv_names[I__COUNT] = {
	"tenant", "shift", "interval_start", "offered", "answered", "answered_in_sl", "abandoned",
	"abandoned_short", "service_level_pct", "asa_s", "abandon_pct"
};

/* Which report row and which of its intervals each output row is. */
struct cmd_report_iv_ix {
	uint32_t row, i;
};

struct cmd_report_iv_rows {
	const struct cmd_report *rep;
	struct cmd_report_iv_ix *ix;
	uint32_t n;
};

static uint32_t
cmd_report_iv_count(const struct cmd_report_row *row)
{
	uint32_t n = row->stats.n_intervals, nsl = row->sl ? row->sl->n : 0;

	if (nsl > n)
		n = nsl;
	return n > PROTO_INTERVALS_MAX ? PROTO_INTERVALS_MAX : n;
}

void
cmd_report_interval_figures(const struct cmd_report_row *row, uint32_t i,
                            struct cmd_report_interval *out)
{
	const struct proto_stats_row *r = &row->stats;
	const struct proto_sl_interval *v;
	double den;

	memset(out, 0, sizeof *out);
	out->start_ts = r->start_ts + (int64_t)i * CMD_REPORT_IV_MS;
	out->offered = i < r->n_intervals && i < PROTO_INTERVALS_MAX ? r->intervals[i] : 0;
	out->known = row->sl != NULL && i < row->sl->n && i < PROTO_INTERVALS_MAX;
	out->service_level_pct = out->asa_s = NAN;
	out->abandon_pct = NAN;
	if (!out->known)
		return;
	v = &row->sl->iv[i];
	out->sl = *v;
	/* PROTOCOL.md §10, on this interval's counters alone. */
	den = (double)v->answered + (double)v->abandoned - (double)v->abandoned_short;
	if (den > 0)
		out->service_level_pct = (double)v->answered_in_sl / den * 100.0;
	if (v->answered)
		out->asa_s = (double)v->wait_ms / (double)v->answered / 1000.0;
	if (out->offered)
		out->abandon_pct = (double)v->abandoned / (double)out->offered * 100.0;
}

static void
cmd_report_iv_cells(const void *ctx, uint32_t k, struct cmd_report_cell *cells)
{
	const struct cmd_report_iv_rows *rows = ctx;
	const struct cmd_report_row *row = &rows->rep->rows[rows->ix[k].row];
	struct cmd_report_interval iv;

	cmd_report_interval_figures(row, rows->ix[k].i, &iv);
	cells[I_TENANT].kind = CELL_STR;
	cells[I_TENANT].str = row->stats.tenant;
	cells[I_SHIFT].kind = CELL_STR;
	cells[I_SHIFT].str = row->stats.shift;
	cmd_report_iso8601(cells[I_START].num, sizeof cells[I_START].num, iv.start_ts);
	cells[I_START].kind = CELL_STR;
	cells[I_START].str = cells[I_START].num;
	cmd_report_cell_uint(&cells[I_OFFERED], iv.offered);
	if (iv.known) {
		cmd_report_cell_uint(&cells[I_ANSWERED], iv.sl.answered);
		cmd_report_cell_uint(&cells[I_IN_SL], iv.sl.answered_in_sl);
		cmd_report_cell_uint(&cells[I_ABANDONED], iv.sl.abandoned);
		cmd_report_cell_uint(&cells[I_ABN_SHORT], iv.sl.abandoned_short);
	} else {
		/* an older server sent offered only: the rest is unknown, not 0 */
		for (int f = I_ANSWERED; f <= I_ABN_SHORT; f++)
			cmd_report_cell_num(&cells[f], NAN, 0);
	}
	cmd_report_cell_num(&cells[I_SL], iv.service_level_pct, 1);
	cmd_report_cell_num(&cells[I_ASA], iv.asa_s, 1);
	cmd_report_cell_num(&cells[I_ABN], iv.abandon_pct, 1);
}

/* Every interval of every row with a start, in report order. */
static int
cmd_report_iv_index(const struct cmd_report *rep, struct cmd_report_iv_rows *out)
{
	size_t n = 0;

	out->rep = rep;
	out->n = 0;
	for (uint32_t r = 0; r < rep->n_rows; r++)
		if (rep->rows[r].stats.start_ts > 0)
			n += cmd_report_iv_count(&rep->rows[r]);
	out->ix = calloc(n ? n : 1, sizeof *out->ix);
	if (out->ix == NULL)
		return -1;
	for (uint32_t r = 0; r < rep->n_rows; r++) {
		if (rep->rows[r].stats.start_ts <= 0)
			continue;
		for (uint32_t i = 0; i < cmd_report_iv_count(&rep->rows[r]); i++) {
			out->ix[out->n].row = r;
			out->ix[out->n++].i = i;
		}
	}
	return 0;
}

static int
cmd_report_iv_write(FILE *out, const struct cmd_report *rep, int format)   /* 0 CSV, 1 JSON, 2 text, 3 text in ASCII */
{
	struct cmd_report_iv_rows rows;
	struct cmd_report_table t;
	int rc;

	if (cmd_report_iv_index(rep, &rows) != 0)
		return -1;
	t.n_fields = I__COUNT;
	t.names = cmd_report_iv_names;
	t.n_rows = rows.n;
	t.cells = cmd_report_iv_cells;
	t.ctx = &rows;
	if (format == 0)
		rc = cmd_report_csv_table(out, &t);
	else if (format == 1)
		rc = cmd_report_json_table(out, &t, rep);
	else
		rc = cmd_report_text_table_of(out, &t, format != 3);
	free(rows.ix);
	return rc;
}

int
cmd_report_csv_intervals(FILE *out, const struct cmd_report *rep)
{
	return cmd_report_iv_write(out, rep, 0);
}

int
cmd_report_json_intervals(FILE *out, const struct cmd_report *rep)
{
	return cmd_report_iv_write(out, rep, 1);
}

int
cmd_report_text_intervals(FILE *out, const struct cmd_report *rep)
{
	return cmd_report_iv_write(out, rep, 2);
}

int
cmd_report_text_intervals_in(FILE *out, const struct cmd_report *rep, bool utf8)
{
	/* 3: text spelled in ASCII */
	return cmd_report_iv_write(out, rep, utf8 ? 2 : 3);
}
