/*
 * cmd_report: `pooltop report`, per-tenant statistics of the current
 * shift and the closed shifts before it, as an aligned text table, CSV
 * or JSON, for spreadsheets, scripts and end-of-shift mail.
 *
 * Fetching (snapshot + history over the request socket, in
 * cli/cmd_report_fetch.c) is kept apart from building the rows
 * (cli/cmd_report_figures.c) and from formatting them
 * (cli/cmd_report_format.c), so the figures and every output format are
 * tested without a server.
 */
#ifndef POOLTOP_CMD_REPORT_H
#define POOLTOP_CMD_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "pooltop/proto.h"

#define CMD_REPORT_SHIFTS_DEFAULT 3
#define CMD_REPORT_TIMEOUT_MS_DEFAULT 3000

/* One tenant in one shift. */
struct cmd_report_row {
	/* Raw counters as the server keeps them.  For the current shift,
	 * end_ts is the snapshot's ts: the span the counters cover so far. */
	struct proto_stats_row stats;
	/* Rates, targets and display name; NULL for a tenant that history
	 * still has but the floor no longer does (its cost is then the one
	 * the server recorded, and required/staffed are unknown). */
	const struct proto_tenant *tenant;
	bool current;           /* the shift in progress, not a closed one */
	const struct proto_sl_row *sl;   /* its sl_intervals, NULL when not sent */
	bool advised;           /* required and staffed are known */
	uint32_t required;      /* advice_row: agents its average load needed */
	double staffed;         /* advice_row: average agents it had */
	bool total;             /* --columns full: the sum of its shift's rows */
};

struct cmd_report {
	const char *server;     /* the requests endpoint, as asked */
	int64_t generated_ms;   /* wall clock, ms since the epoch */
	uint32_t n_rows;
	/* Oldest shift first, the current one last; within a shift, tenants
	 * in snapshot order (tenants history alone knows follow). */
	struct cmd_report_row *rows;
	/* the current shift's sl_intervals, one per tenant, that the
	 * current rows point into */
	uint32_t n_cur_sl;
	struct proto_sl_row *cur_sl;
};

/* "current", "closed" or "partial" (closed, and covered_ms says the
 * counters cover less than start_ts..end_ts: the server was down). */
const char *cmd_report_status(const struct cmd_report_row *row);
/* The rows of rep with a totals row after each shift (tenant "*", name
 * "All tenants": counters summed, figures from the sums, cost, required
 * and staffed summed, no target).  out->rows is the caller's to free
 * with cmd_report_free.  0, or -1 on no memory. */
int cmd_report_totals(const struct cmd_report *rep, struct cmd_report *out);

/* The figures a row shows, from stats_compute: NaN where a divisor is 0. */
struct cmd_report_figures {
	double service_level_pct;   /* 0..100 */
	double asa_s;
	double aht_s;
	double abandon_pct;         /* 0..100 */
	double occupancy_pct;       /* 0..100 */
	double cost;
};

void cmd_report_figures(const struct cmd_report_row *row, struct cmd_report_figures *out);

/*
 * Rows from a snapshot (tenants, current counters, floor) and the rows of
 * a `history` reply, in report order.  The report points into snap's
 * tenants, so snap must outlive it.  0, or -1 on no memory.
 */
int cmd_report_build(struct cmd_report *rep, const struct proto_snapshot *snap,
                     const struct proto_stats_row *hist, uint32_t n_hist);
/* The same with the history rows' sl_intervals (NULL: none), which the
 * report points into too. */
int cmd_report_build_sl(struct cmd_report *rep, const struct proto_snapshot *snap,
                        const struct proto_stats_row *hist, const struct proto_sl_row *hist_sl,
                        uint32_t n_hist);
void cmd_report_free(struct cmd_report *rep);

/* One CSV field (RFC 4180 quoting) and one JSON string (escaped, bytes
 * that are not UTF-8 as U+FFFD): shared with `pooltop audit`. */
void cmd_report_csv_field(FILE *out, const char *s);
void cmd_report_json_str(FILE *out, const char *str);

/* ts (ms) as local time with its UTC offset: "2026-11-24T06:00:00+01:00". */
char *cmd_report_iso8601(char *buf, size_t len, int64_t ts_ms);

/*
 * The formats.  Numbers are written with '.' whatever the locale.  CSV:
 * a header row, then one row per tenant per shift, RFC 4180 quoting,
 * empty cells for unknown figures.  JSON: {"generated", "server", "rows"}
 * with null for unknown figures.  Text: a table per shift, "-" for
 * unknown figures.  Each returns 0, or -1 when the stream has an error.
 */
int cmd_report_csv(FILE *out, const struct cmd_report *rep);
int cmd_report_json(FILE *out, const struct cmd_report *rep);
int cmd_report_text(FILE *out, const struct cmd_report *rep);
/* The same with `--columns full` when full: each row also carries name,
 * target_sl_pct, target_s, met (met, missed, unknown before anything is
 * offered) and status (cmd_report_status), every shift ends with its
 * totals row (cmd_report_totals), and the JSON says its clock in a
 * top-level "clock".  Without full, exactly the output above. */
int cmd_report_csv_cols(FILE *out, const struct cmd_report *rep, bool full);
int cmd_report_json_cols(FILE *out, const struct cmd_report *rep, bool full);
int cmd_report_text_cols(FILE *out, const struct cmd_report *rep, bool full);

/* One 15-minute interval of a row (--by interval). */
struct cmd_report_interval {
	int64_t start_ts;
	uint32_t offered;
	bool known;                     /* the row carried sl_intervals */
	struct proto_sl_interval sl;
	double service_level_pct;       /* NaN where a divisor is 0 */
	double asa_s;
	double abandon_pct;             /* of this interval's offered: an abandon
	                                   counts where it happened, so a quarter
	                                   hour may lose callers it did not take */
};
void cmd_report_interval_figures(const struct cmd_report_row *row, uint32_t i,
                                 struct cmd_report_interval *out);
/* --by interval: one row per tenant per 15 minutes of each shift with
 * fields tenant, shift, interval_start, offered, answered, answered_in_sl,
 * abandoned, abandoned_short, service_level_pct, asa_s, abandon_pct. */
int cmd_report_csv_intervals(FILE *out, const struct cmd_report *rep);
int cmd_report_json_intervals(FILE *out, const struct cmd_report *rep);
int cmd_report_text_intervals(FILE *out, const struct cmd_report *rep);
/* The text formats (per shift, or by_interval) for a locale that is or
 * is not UTF-8: with utf8 false names are spelled in ASCII (translit:
 * é -> e, ß -> ss; '?' for what has none).  CSV and JSON stay UTF-8. */
int cmd_report_text_in(FILE *out, const struct cmd_report *rep, bool full, bool by_interval, bool utf8);

/* argv[0] is "report".  Returns the exit status: 0 done, 1 no answer, a
 * refusal or an output error, 2 bad usage. */
int cmd_report_main(int argc, char **argv);

#endif
