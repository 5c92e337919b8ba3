/*
 * cmd_report_format: the three ways `pooltop report` writes its rows —
 * an aligned text table per shift, CSV (RFC 4180) and JSON — from cells
 * formatted once for all of them.  Numbers are written with '.' whatever
 * the locale.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd_report_int.h"
#include "pooltop/cmd_report.h"
#include "pooltop/fmt.h"
#include "pooltop/utf8.h"

#define CMD_REPORT_NAME_COLS_MAX 40

static int cmd_report_json_table_clock(FILE *out, const struct cmd_report_table *t,
                                       const struct cmd_report *rep, bool clock);

/* ------------------------------------------------------------ cells */

/* The column order of CSV and JSON; the text table has its own labels. */
enum cmd_report_field {
	F_TENANT, F_SHIFT, F_START, F_OFFERED, F_ANSWERED, F_ABANDONED, F_SL, F_ASA, F_AHT,
	F_ABN, F_OCC, F_COST, F_REQUIRED, F_STAFFED,
	/* --columns full only, after the fields scripts already read */
	F_NAME, F_TARGET_SL, F_TARGET_S, F_MET, F_STATUS, F__COUNT
};
#define F__BASIC F_NAME

static const char *const cmd_report_field_names[F__COUNT] = {
	"tenant", "shift", "start", "offered", "answered", "abandoned", "service_level_pct",
	"asa_s", "aht_s", "abandon_pct", "occupancy_pct", "cost", "required_agents",
	"staffed_agents", "name", "target_sl_pct", "target_s", "met", "status"
};

/* Every time is cmd_report_iso8601's; a row's times are the server's
 * floor clock (simulated at --speed), "generated" the reader's wall
 * clock: said once, up front, so no one mistakes one for the other. */
#define CMD_REPORT_CLOCK "floor clock (generated: wall clock), local time with UTC offset (ISO 8601)"

/* A figure to `decimals` places with '.', or false when it is unknown
 * (NaN, or infinite from a broken source: never print "inf"). */
bool
cmd_report_num(char *buf, size_t len, double v, int decimals)
{
	if (!isfinite(v)) {
		buf[0] = '\0';
		return false;
	}
	/* A tiny negative must not print as "-0.0". */
	if (v < 0 && v > -0.5 * pow(10.0, -decimals))
		v = 0;
	snprintf(buf, len, "%.*f", decimals, v);
	return true;
}

void
cmd_report_cell_num(struct cmd_report_cell *c, double v, int decimals)
{
	c->kind = cmd_report_num(c->num, sizeof c->num, v, decimals) ? CELL_NUM : CELL_NONE;
	c->str = c->num;
}

void
cmd_report_cell_uint(struct cmd_report_cell *c, uint64_t v)
{
	snprintf(c->num, sizeof c->num, "%llu", (unsigned long long)v);
	c->kind = CELL_NUM;
	c->str = c->num;
}

static void
cmd_report_cell_str(struct cmd_report_cell *c, const char *s)
{
	c->kind = s ? CELL_STR : CELL_NONE;
	c->str = s ? s : "";
}

/* name, target, met or missed, status.  A total has no one target; a
 * row with no service level yet (nothing offered) has not met or
 * missed it. */
static void
cmd_report_full_cells(const struct cmd_report_row *row, const struct cmd_report_figures *fg,
                      struct cmd_report_cell cells[F__COUNT])
{
	const struct proto_tenant *t = row->tenant;

	cmd_report_cell_str(&cells[F_NAME], row->total ? "All tenants" : t ? t->name : NULL);
	if (t) {
		cmd_report_cell_num(&cells[F_TARGET_SL], t->sl_pct, 1);
		cmd_report_cell_uint(&cells[F_TARGET_S], t->sl_sec);
	} else {
		cmd_report_cell_num(&cells[F_TARGET_SL], NAN, 1);
		cmd_report_cell_num(&cells[F_TARGET_S], NAN, 0);
	}
	if (t && isfinite(fg->service_level_pct)) {
		char got[CMD_REPORT_CELL_MAX], want[CMD_REPORT_CELL_MAX];

		/* Judged on the figures as printed, so 79.96 % shown as 80.0
		 * against an 80.0 target reads as met, as it looks. */
		cmd_report_num(got, sizeof got, fg->service_level_pct, 1);
		cmd_report_num(want, sizeof want, t->sl_pct, 1);
		cmd_report_cell_str(&cells[F_MET], strtod(got, NULL) >= strtod(want, NULL) ? "met" : "missed");
	} else {
		cmd_report_cell_str(&cells[F_MET], NULL);
	}
	cmd_report_cell_str(&cells[F_STATUS], cmd_report_status(row));
}

/* Every field of a row, formatted once for CSV and JSON alike. */
static void
cmd_report_cells(const struct cmd_report_row *row, struct cmd_report_cell cells[F__COUNT])
{
	struct cmd_report_figures fg;

	cmd_report_figures(row, &fg);
	cells[F_TENANT].kind = CELL_STR;
	cells[F_TENANT].str = row->stats.tenant;
	cells[F_SHIFT].kind = CELL_STR;
	cells[F_SHIFT].str = row->stats.shift;
	/* Counters gathered before any shift began have no start. */
	if (row->stats.start_ts > 0) {
		cmd_report_iso8601(cells[F_START].num, sizeof cells[F_START].num, row->stats.start_ts);
		cells[F_START].kind = CELL_STR;
	} else {
		cells[F_START].num[0] = '\0';
		cells[F_START].kind = CELL_NONE;
	}
	cells[F_START].str = cells[F_START].num;
	cmd_report_cell_uint(&cells[F_OFFERED], row->stats.offered);
	cmd_report_cell_uint(&cells[F_ANSWERED], row->stats.answered);
	cmd_report_cell_uint(&cells[F_ABANDONED], row->stats.abandoned);
	cmd_report_cell_num(&cells[F_SL], fg.service_level_pct, 1);
	cmd_report_cell_num(&cells[F_ASA], fg.asa_s, 1);
	cmd_report_cell_num(&cells[F_AHT], fg.aht_s, 1);
	cmd_report_cell_num(&cells[F_ABN], fg.abandon_pct, 1);
	cmd_report_cell_num(&cells[F_OCC], fg.occupancy_pct, 1);
	cmd_report_cell_num(&cells[F_COST], fg.cost, 2);
	if (row->advised) {
		cmd_report_cell_uint(&cells[F_REQUIRED], row->required);
		cmd_report_cell_num(&cells[F_STAFFED], row->staffed, 1);
	} else {
		cmd_report_cell_num(&cells[F_REQUIRED], NAN, 0);
		cmd_report_cell_num(&cells[F_STAFFED], NAN, 1);
	}
	cmd_report_full_cells(row, &fg, cells);
}

char *
cmd_report_iso8601(char *buf, size_t len, int64_t ts_ms)
{
	/* Floor division: a time before 1970 still names its own second. */
	time_t t = (time_t)(ts_ms / 1000 - (ts_ms % 1000 < 0 ? 1 : 0));
	struct tm tm;
	long off, a;
	char day[32];

	if (!buf || len == 0)
		return buf;
	if (localtime_r(&t, &tm) == NULL) {
		buf[0] = '\0';
		return buf;
	}
	strftime(day, sizeof day, "%Y-%m-%dT%H:%M:%S", &tm);
	/* strftime's %z has no colon ("+0100"); ISO 8601 extended wants one. */
	off = tm.tm_gmtoff;
	a = off < 0 ? -off : off;
	snprintf(buf, len, "%s%c%02ld:%02ld", day, off < 0 ? '-' : '+', a / 3600, a / 60 % 60);
	return buf;
}


int
cmd_report_stream_status(FILE *out)
{
	return ferror(out) ? -1 : 0;
}

/* ------------------------------------------------------------ CSV */

/* RFC 4180: a field with a comma, quote or line break is quoted, and
 * quotes inside are doubled. */
void
cmd_report_csv_field(FILE *out, const char *s)
{
	if (strpbrk(s, ",\"\r\n") == NULL) {
		fputs(s, out);
		return;
	}
	fputc('"', out);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', out);
		fputc(*s, out);
	}
	fputc('"', out);
}

int
cmd_report_csv_table(FILE *out, const struct cmd_report_table *t)
{
	struct fmt_c_numeric loc;
	struct cmd_report_cell cells[CMD_REPORT_FIELDS_MAX];

	fmt_c_numeric_enter(&loc);
	for (int k = 0; k < t->n_fields; k++)
		fprintf(out, "%s%s", k ? "," : "", t->names[k]);
	fputc('\n', out);
	for (uint32_t i = 0; i < t->n_rows; i++) {
		t->cells(t->ctx, i, cells);
		for (int k = 0; k < t->n_fields; k++) {
			if (k)
				fputc(',', out);
			/* An unknown figure is an empty cell: spreadsheets leave it
			 * out of averages, where a 0 would drag them down. */
			if (cells[k].kind != CELL_NONE)
				cmd_report_csv_field(out, cells[k].str);
		}
		fputc('\n', out);
	}
	fmt_c_numeric_leave(&loc);
	return cmd_report_stream_status(out);
}

static void
cmd_report_shift_cells(const void *ctx, uint32_t i, struct cmd_report_cell *cells)
{
	cmd_report_cells(&((const struct cmd_report *)ctx)->rows[i], cells);
}

/* Every field's cells are made either way; without full the table just
 * stops before the added ones. */
static struct cmd_report_table
cmd_report_shift_table(const struct cmd_report *rep, bool full)
{
	struct cmd_report_table t = { full ? F__COUNT : F__BASIC, cmd_report_field_names,
	                              rep->n_rows, cmd_report_shift_cells, rep };

	return t;
}

/* fn on rep, or with --columns full on rep with its totals rows. */
static int
cmd_report_with_totals(FILE *out, const struct cmd_report *rep, bool full, bool utf8,
                       int (*fn)(FILE *, const struct cmd_report *, bool, bool))
{
	struct cmd_report all;
	int rc;

	if (!full)
		return fn(out, rep, false, utf8);
	if (cmd_report_totals(rep, &all) != 0)
		return -1;
	rc = fn(out, &all, true, utf8);
	cmd_report_free(&all);
	return rc;
}

static int
cmd_report_csv_rows(FILE *out, const struct cmd_report *rep, bool full, bool utf8)
{
	(void)utf8;   /* CSV and JSON are UTF-8 whatever the locale */
	struct cmd_report_table t = cmd_report_shift_table(rep, full);

	return cmd_report_csv_table(out, &t);
}

int
cmd_report_csv_cols(FILE *out, const struct cmd_report *rep, bool full)
{
	return cmd_report_with_totals(out, rep, full, true, cmd_report_csv_rows);
}

int
cmd_report_csv(FILE *out, const struct cmd_report *rep)
{
	return cmd_report_csv_cols(out, rep, false);
}

/* ------------------------------------------------------------ JSON */

/* A JSON string: UTF-8 passes through; quote, backslash and control
 * characters are escaped; a byte that is not UTF-8 (names come off the
 * wire unchecked) becomes U+FFFD so the document stays parseable. */
void
cmd_report_json_str(FILE *out, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;

	fputc('"', out);
	while (*s) {
		uint32_t cp;
		size_t n = utf8_decode((const char *)s, &cp);

		if (n == 0) {
			fputs("\\ufffd", out);
			s++;
		} else if (*s == '"' || *s == '\\') {
			fputc('\\', out);
			fputc(*s++, out);
		} else if (*s < 0x20 || *s == 0x7F) {
			fprintf(out, "\\u%04x", *s++);
		} else {
			fwrite(s, 1, n, out);
			s += n;
		}
	}
	fputc('"', out);
}

int
cmd_report_json_table(FILE *out, const struct cmd_report_table *t, const struct cmd_report *rep)
{
	return cmd_report_json_table_clock(out, t, rep, false);
}

static int
cmd_report_json_table_clock(FILE *out, const struct cmd_report_table *t,
                            const struct cmd_report *rep, bool clock)
{
	struct fmt_c_numeric loc;
	struct cmd_report_cell cells[CMD_REPORT_FIELDS_MAX];
	char when[64];

	fmt_c_numeric_enter(&loc);
	cmd_report_iso8601(when, sizeof when, rep->generated_ms);
	fputs("{\"generated\": ", out);
	cmd_report_json_str(out, when);
	fputs(", \"server\": ", out);
	cmd_report_json_str(out, rep->server ? rep->server : "");
	if (clock) {
		fputs(", \"clock\": ", out);
		cmd_report_json_str(out, CMD_REPORT_CLOCK);
	}
	fputs(", \"rows\": [", out);
	for (uint32_t i = 0; i < t->n_rows; i++) {
		t->cells(t->ctx, i, cells);
		fputs(i ? ",\n  {" : "\n  {", out);
		for (int k = 0; k < t->n_fields; k++) {
			fprintf(out, "%s\"%s\": ", k ? ", " : "", t->names[k]);
			if (cells[k].kind == CELL_NONE)
				fputs("null", out);
			else if (cells[k].kind == CELL_STR)
				cmd_report_json_str(out, cells[k].str);
			else
				fputs(cells[k].str, out);
		}
		fputc('}', out);
	}
	fputs(t->n_rows ? "\n]}\n" : "]}\n", out);
	fmt_c_numeric_leave(&loc);
	return cmd_report_stream_status(out);
}

static int
cmd_report_json_rows(FILE *out, const struct cmd_report *rep, bool full, bool utf8)
{
	(void)utf8;   /* CSV and JSON are UTF-8 whatever the locale */
	struct cmd_report_table t = cmd_report_shift_table(rep, full);

	return cmd_report_json_table_clock(out, &t, rep, full);
}

int
cmd_report_json_cols(FILE *out, const struct cmd_report *rep, bool full)
{
	return cmd_report_with_totals(out, rep, full, true, cmd_report_json_rows);
}

int
cmd_report_json(FILE *out, const struct cmd_report *rep)
{
	return cmd_report_json_cols(out, rep, false);
}

/* ------------------------------------------------------------ text */

enum cmd_report_col {
	C_TENANT, C_OFFERED, C_ANS, C_ABN, C_SL, C_ASA, C_AHT, C_ABNP, C_OCC, C_COST, C_REQ,
	C_STAFFED,
	/* --columns full only */
	C_TARGET, C_TARGET_S, C_MET, C_STATUS, C__COUNT
};
#define C__BASIC C_TARGET

static const char *const cmd_report_col_names[C__COUNT] = {
	"Tenant", "Offered", "Ans", "Abn", "SL%", "ASA", "AHT", "Abn%", "Occ%", "Cost", "Req",
	"Staffed", "Target%", "TargetS", "Met", "Status"
};

/* Which CSV field each numeric text column shows. */
static const enum cmd_report_field cmd_report_col_field[C__COUNT] = {
	F_TENANT, F_OFFERED, F_ANSWERED, F_ABANDONED, F_SL, F_ASA, F_AHT, F_ABN, F_OCC, F_COST,
	F_REQUIRED, F_STAFFED, F_TARGET_SL, F_TARGET_S, F_MET, F_STATUS
};

static const char *
cmd_report_display_name(const struct cmd_report_row *r)
{
	if (r->total)
		return "All tenants";
	return r->tenant && r->tenant->name[0] ? r->tenant->name : r->stats.tenant;
}

/* Text from the wire goes through fmt_fit, which shows control bytes and
 * broken UTF-8 as '?': a name must not move the cursor or colour the
 * terminal of whoever reads the report.  In a locale that is not UTF-8
 * names are spelled in ASCII (fmt_fit_text). */
static void
cmd_report_text_header(FILE *out, const struct cmd_report_row *r, bool utf8)
{
	char name[4 * PROTO_ID_MAX + 8], start[64], asof[64];

	fmt_fit_text(name, sizeof name, r->stats.shift, fmt_width_text(r->stats.shift, utf8), FMT_LEFT, utf8);
	if (r->stats.start_ts > 0)
		cmd_report_iso8601(start, sizeof start, r->stats.start_ts);
	else
		snprintf(start, sizeof start, "-");
	if (r->current) {
		cmd_report_iso8601(asof, sizeof asof, r->stats.end_ts);
		fprintf(out, "Shift %s, started %s (current, as of %s)\n", name[0] ? name : "-", start, asof);
	} else {
		fprintf(out, "Shift %s, started %s (closed)\n", name[0] ? name : "-", start);
	}
}

static void
cmd_report_text_table(FILE *out, const struct cmd_report_row *rows, uint32_t n, int n_cols, bool utf8)
{
	struct cmd_report_cell cells[F__COUNT];
	char fit[4 * CMD_REPORT_NAME_COLS_MAX + 8];
	int width[C__COUNT];

	for (int c = 0; c < n_cols; c++)
		width[c] = (int)strlen(cmd_report_col_names[c]);
	/* Columns as wide as their widest cell, so nothing is ever cut but
	 * an absurdly long name. */
	for (uint32_t i = 0; i < n; i++) {
		int w = fmt_width_text(cmd_report_display_name(&rows[i]), utf8);

		if (w > CMD_REPORT_NAME_COLS_MAX)
			w = CMD_REPORT_NAME_COLS_MAX;
		if (w > width[C_TENANT])
			width[C_TENANT] = w;
		cmd_report_cells(&rows[i], cells);
		for (int c = 1; c < n_cols; c++) {
			const struct cmd_report_cell *cl = &cells[cmd_report_col_field[c]];
			int cw = cl->kind == CELL_NONE ? 1 : (int)strlen(cl->str);

			if (cw > width[c])
				width[c] = cw;
		}
	}
	fputs(fmt_fit(fit, sizeof fit, cmd_report_col_names[C_TENANT], width[C_TENANT], FMT_LEFT, true), out);
	for (int c = 1; c < n_cols; c++)
		fprintf(out, "  %*s", width[c], cmd_report_col_names[c]);
	fputc('\n', out);
	for (uint32_t i = 0; i < n; i++) {
		cmd_report_cells(&rows[i], cells);
		fputs(fmt_fit_text(fit, sizeof fit, cmd_report_display_name(&rows[i]), width[C_TENANT],
		                   FMT_LEFT, utf8), out);
		for (int c = 1; c < n_cols; c++) {
			const struct cmd_report_cell *cl = &cells[cmd_report_col_field[c]];

			fprintf(out, "  %*s", width[c], cl->kind == CELL_NONE ? "-" : cl->str);
		}
		fputc('\n', out);
	}
}

/* Any table as aligned text: the field names as the header, strings to
 * the left, numbers to the right, '-' for the unknown; control bytes in
 * strings shown as '?' (fmt_fit). */
int
cmd_report_text_table_of(FILE *out, const struct cmd_report_table *t, bool utf8)
{
	struct fmt_c_numeric loc;
	struct cmd_report_cell cells[CMD_REPORT_FIELDS_MAX];
	char fit[4 * CMD_REPORT_NAME_COLS_MAX + 8];
	int width[CMD_REPORT_FIELDS_MAX];

	fmt_c_numeric_enter(&loc);
	for (int k = 0; k < t->n_fields; k++)
		width[k] = (int)strlen(t->names[k]);
	for (uint32_t i = 0; i < t->n_rows; i++) {
		t->cells(t->ctx, i, cells);
		for (int k = 0; k < t->n_fields; k++) {
			int w = cells[k].kind == CELL_NONE ? 1 : fmt_width_text(cells[k].str, utf8);

			if (w > CMD_REPORT_NAME_COLS_MAX)
				w = CMD_REPORT_NAME_COLS_MAX;
			if (w > width[k])
				width[k] = w;
		}
	}
	for (int k = 0; k < t->n_fields; k++)
		fprintf(out, "%s%s", k ? "  " : "",
		        fmt_fit(fit, sizeof fit, t->names[k], width[k], FMT_LEFT, true));
	fputc('\n', out);
	for (uint32_t i = 0; i < t->n_rows; i++) {
		t->cells(t->ctx, i, cells);
		for (int k = 0; k < t->n_fields; k++) {
			const char *v = cells[k].kind == CELL_NONE ? "-" : cells[k].str;

			fprintf(out, "%s%s", k ? "  " : "",
			        fmt_fit_text(fit, sizeof fit, v, width[k],
			                     cells[k].kind == CELL_STR ? FMT_LEFT : FMT_RIGHT, utf8));
		}
		fputc('\n', out);
	}
	fmt_c_numeric_leave(&loc);
	return cmd_report_stream_status(out);
}

static int
cmd_report_text_rows(FILE *out, const struct cmd_report *rep, bool full, bool utf8)
{
	struct fmt_c_numeric loc;
	uint32_t k = 0;

	fmt_c_numeric_enter(&loc);
	if (rep->n_rows == 0)
		fputs("No tenants on the floor.\n", out);
	while (k < rep->n_rows) {
		uint32_t e = k + 1;

		while (e < rep->n_rows && cmd_report_same_shift(&rep->rows[k], &rep->rows[e]))
			e++;
		if (k)
			fputc('\n', out);
		cmd_report_text_header(out, &rep->rows[k], utf8);
		cmd_report_text_table(out, rep->rows + k, e - k, full ? C__COUNT : C__BASIC, utf8);
		k = e;
	}
	fmt_c_numeric_leave(&loc);
	return cmd_report_stream_status(out);
}


int
cmd_report_text_cols(FILE *out, const struct cmd_report *rep, bool full)
{
	return cmd_report_text_in(out, rep, full, false, true);
}

int
cmd_report_text_in(FILE *out, const struct cmd_report *rep, bool full, bool by_interval, bool utf8)
{
	if (by_interval)
		return cmd_report_text_intervals_in(out, rep, utf8);
	return cmd_report_with_totals(out, rep, full, utf8, cmd_report_text_rows);
}

int
cmd_report_text(FILE *out, const struct cmd_report *rep)
{
	return cmd_report_text_cols(out, rep, false);
}
