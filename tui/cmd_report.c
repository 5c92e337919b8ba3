/*
 * cmd_report: `pooltop report`, the batch report of shift statistics.
 *
 * It asks pooltopd for a snapshot (tenants, the current shift's counters,
 * the floor) and for history, one request at a time on a DEALER, and
 * prints one row per tenant per shift.  Every figure is derived here from
 * the raw counters with stats_compute, the same code the dashboard uses,
 * so a report and the screen never disagree about what "service level"
 * means.
 *
 * It runs unattended (cron, CI, a shift manager's shell alias), so it
 * must never hang: the whole command has one time budget, and a server
 * that does not answer within it is a one-line error and exit 1.
 */
#include "pooltop/cmd_report.h"

#include <errno.h>
#include <getopt.h>
#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <zmq.h>

#include "pooltop/advice.h"
#include "pooltop/conn.h"
#include "pooltop/curve_client.h"
#include "pooltop/floor.h"
#include "pooltop/fmt.h"
#include "pooltop/stats.h"

#define CMD_REPORT_PROG "pooltop report"
#define CMD_REPORT_SHIFTS_MAX 1000        /* what pooltopd serves in one reply */
#define CMD_REPORT_TIMEOUT_MS_MAX 3600000
#define CMD_REPORT_EP_MAX 256
#define CMD_REPORT_HOST_MAX 200
/* Wide enough for any double printed with %.2f (DBL_MAX has 309 digits). */
#define CMD_REPORT_CELL_MAX 330
#define CMD_REPORT_NAME_COLS_MAX 40

enum cmd_report_status { CMD_REPORT_OK = 0, CMD_REPORT_FAIL = 1, CMD_REPORT_USAGE = 2 };
enum cmd_report_format { CMD_REPORT_TEXT, CMD_REPORT_CSV, CMD_REPORT_JSON };

enum cmd_report_opt {
	OPT_SERVER = 256, OPT_EVENTS, OPT_REQUESTS, OPT_FORMAT, OPT_SHIFTS, OPT_TIMEOUT, OPT_HELP,
	OPT_KEY, OPT_SERVER_PUBLIC
};

struct cmd_report_args {
	char requests_ep[CMD_REPORT_EP_MAX];
	enum cmd_report_format format;
	uint32_t shifts;
	int timeout_ms;
	const char *key;          /* --key, --server-public: NULL = defaults */
	const char *server_public;
};

static const struct option cmd_report_longopts[] = {
	{ "server", required_argument, NULL, OPT_SERVER },
	{ "events", required_argument, NULL, OPT_EVENTS },
	{ "requests", required_argument, NULL, OPT_REQUESTS },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "shifts", required_argument, NULL, OPT_SHIFTS },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "help", no_argument, NULL, OPT_HELP },
	{ "key", required_argument, NULL, OPT_KEY },
	{ "server-public", required_argument, NULL, OPT_SERVER_PUBLIC },
	{ NULL, 0, NULL, 0 }
};

/* ------------------------------------------------------------ figures */

/* The column order of CSV and JSON; the text table has its own labels. */
enum cmd_report_field {
	F_TENANT, F_SHIFT, F_START, F_OFFERED, F_ANSWERED, F_ABANDONED, F_SL, F_ASA, F_AHT,
	F_ABN, F_OCC, F_COST, F_REQUIRED, F_STAFFED, F__COUNT
};

static const char *const cmd_report_field_names[F__COUNT] = {
	"tenant", "shift", "start", "offered", "answered", "abandoned", "service_level_pct",
	"asa_s", "aht_s", "abandon_pct", "occupancy_pct", "cost", "required_agents",
	"staffed_agents"
};

enum cmd_report_kind { CELL_STR, CELL_NUM, CELL_NONE };

struct cmd_report_cell {
	enum cmd_report_kind kind;
	const char *str;                     /* CELL_STR: the text, CELL_NUM: num */
	char num[CMD_REPORT_CELL_MAX];
};

void
cmd_report_figures(const struct cmd_report_row *row, struct cmd_report_figures *out)
{
	struct stats st;

	stats_compute(&row->stats, row->tenant, &st);
	out->service_level_pct = st.service_level * 100.0;
	out->asa_s = st.asa_s;
	out->aht_s = st.aht_s;
	out->abandon_pct = st.abandon_rate * 100.0;
	out->occupancy_pct = st.occupancy * 100.0;
	/* Without the tenant's rates only the server's own figure is left. */
	out->cost = row->tenant ? st.cost : row->stats.cost;
}

/* A figure to `decimals` places with '.', or false when it is unknown
 * (NaN, or infinite from a broken source: never print "inf"). */
static bool
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

static void
cmd_report_cell_num(struct cmd_report_cell *c, double v, int decimals)
{
	c->kind = cmd_report_num(c->num, sizeof c->num, v, decimals) ? CELL_NUM : CELL_NONE;
	c->str = c->num;
}

static void
cmd_report_cell_uint(struct cmd_report_cell *c, uint64_t v)
{
	snprintf(c->num, sizeof c->num, "%llu", (unsigned long long)v);
	c->kind = CELL_NUM;
	c->str = c->num;
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

/* ------------------------------------------------------------ building */

struct cmd_report_order {
	uint32_t i;
	int64_t start_ts;
};

static int
cmd_report_order_cmp(const void *pa, const void *pb)
{
	const struct cmd_report_order *a = pa, *b = pb;

	if (a->start_ts != b->start_ts)
		return a->start_ts < b->start_ts ? -1 : 1;
	/* The original position breaks ties, so qsort acts stable. */
	return a->i < b->i ? -1 : a->i > b->i;
}

static void
cmd_report_advise(struct cmd_report_row *r)
{
	r->advised = r->tenant != NULL;
	r->required = 0;
	r->staffed = NAN;
	if (r->advised)
		advice_row(&r->stats, r->tenant, &r->required, &r->staffed);
}

static void
cmd_report_push(struct cmd_report *rep, const struct proto_stats_row *row,
                const struct proto_tenant *t, bool current)
{
	struct cmd_report_row *r = &rep->rows[rep->n_rows++];

	memset(r, 0, sizeof *r);
	r->stats = *row;
	r->tenant = t;
	r->current = current;
	cmd_report_advise(r);
}

/* One closed shift: its rows in snapshot tenant order, then rows of
 * tenants the floor no longer has, as history gave them. */
static void
cmd_report_group(struct cmd_report *rep, const struct floor *f, const struct proto_snapshot *snap,
                 const struct proto_stats_row *hist, const struct cmd_report_order *ord,
                 uint32_t n, int32_t *slot)
{
	for (uint32_t t = 0; t < f->n_tenants; t++)
		slot[t] = -1;
	for (uint32_t k = 0; k < n; k++) {
		int t = floor_tenant_find(f, hist[ord[k].i].tenant);

		/* A tenant twice in one shift (a store that kept both copies) is
		 * shown twice rather than silently dropped. */
		if (t >= 0 && slot[t] < 0)
			slot[t] = (int32_t)k;
	}
	for (uint32_t t = 0; t < f->n_tenants; t++)
		if (slot[t] >= 0)
			cmd_report_push(rep, &hist[ord[slot[t]].i], &snap->tenants[t], false);
	for (uint32_t k = 0; k < n; k++) {
		int t = floor_tenant_find(f, hist[ord[k].i].tenant);

		if (t < 0 || slot[t] != (int32_t)k)
			cmd_report_push(rep, &hist[ord[k].i], t >= 0 ? &snap->tenants[t] : NULL, false);
	}
}

static int
cmd_report_closed(struct cmd_report *rep, const struct floor *f, const struct proto_snapshot *snap,
                  const struct proto_stats_row *hist, uint32_t n_hist)
{
	struct cmd_report_order *ord;
	int32_t *slot;
	uint32_t k = 0;

	if (n_hist == 0)
		return 0;
	ord = calloc(n_hist, sizeof *ord);
	slot = calloc(f->n_tenants ? f->n_tenants : 1, sizeof *slot);
	if (!ord || !slot) {
		free(ord);
		free(slot);
		return -1;
	}
	for (uint32_t i = 0; i < n_hist; i++) {
		ord[i].i = i;
		ord[i].start_ts = hist[i].start_ts;
	}
	qsort(ord, n_hist, sizeof *ord, cmd_report_order_cmp);
	while (k < n_hist) {
		uint32_t e = k + 1;

		while (e < n_hist && ord[e].start_ts == ord[k].start_ts &&
		       strcmp(hist[ord[e].i].shift, hist[ord[k].i].shift) == 0)
			e++;
		cmd_report_group(rep, f, snap, hist, ord + k, e - k, slot);
		k = e;
	}
	free(ord);
	free(slot);
	return 0;
}

int
cmd_report_build(struct cmd_report *rep, const struct proto_snapshot *snap,
                 const struct proto_stats_row *hist, uint32_t n_hist)
{
	struct floor f;
	size_t cap;

	rep->n_rows = 0;
	rep->rows = NULL;
	floor_init(&f);
	/* A floor, not the snapshot's rows as they are: those hold staffed
	 * time of closed intervals only, and floor_stats_row adds what agents
	 * on duty have earned up to the snapshot. */
	if (floor_from_snapshot(&f, snap) != 0)
		return -1;
	cap = (size_t)n_hist + f.n_tenants;
	rep->rows = calloc(cap ? cap : 1, sizeof *rep->rows);
	if (!rep->rows || cmd_report_closed(rep, &f, snap, hist, n_hist) != 0) {
		cmd_report_free(rep);
		floor_free(&f);
		return -1;
	}
	for (uint32_t t = 0; t < f.n_tenants; t++) {
		struct proto_stats_row row;

		floor_stats_row(&f, t, snap->ts, &row);
		/* The span counted so far, so required and staffed are averages
		 * over the same kind of window as a closed shift's. */
		row.end_ts = snap->ts;
		cmd_report_push(rep, &row, &snap->tenants[t], true);
	}
	floor_free(&f);
	return 0;
}

void
cmd_report_free(struct cmd_report *rep)
{
	free(rep->rows);
	rep->rows = NULL;
	rep->n_rows = 0;
}

static int
cmd_report_stream_status(FILE *out)
{
	return ferror(out) ? -1 : 0;
}

/* ------------------------------------------------------------ CSV */

/* RFC 4180: a field with a comma, quote or line break is quoted, and
 * quotes inside are doubled. */
static void
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
cmd_report_csv(FILE *out, const struct cmd_report *rep)
{
	struct fmt_c_numeric loc;
	struct cmd_report_cell cells[F__COUNT];

	fmt_c_numeric_enter(&loc);
	for (int k = 0; k < F__COUNT; k++)
		fprintf(out, "%s%s", k ? "," : "", cmd_report_field_names[k]);
	fputc('\n', out);
	for (uint32_t i = 0; i < rep->n_rows; i++) {
		cmd_report_cells(&rep->rows[i], cells);
		for (int k = 0; k < F__COUNT; k++) {
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

/* ------------------------------------------------------------ JSON */

/* Length of the valid UTF-8 sequence at s, or 0 if it is not one
 * (overlongs, surrogates and code points past U+10FFFF are not). */
static size_t
cmd_report_utf8_len(const unsigned char *s)
{
	unsigned char c = s[0], lo = 0x80, hi = 0xBF;
	size_t n;

	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF) {
		n = 2;
	} else if (c >= 0xE0 && c <= 0xEF) {
		n = 3;
		lo = c == 0xE0 ? 0xA0 : 0x80;
		hi = c == 0xED ? 0x9F : 0xBF;
	} else if (c >= 0xF0 && c <= 0xF4) {
		n = 4;
		lo = c == 0xF0 ? 0x90 : 0x80;
		hi = c == 0xF4 ? 0x8F : 0xBF;
	} else {
		return 0;
	}
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < n; i++)
		if (s[i] < 0x80 || s[i] > 0xBF)
			return 0;
	return n;
}

/* A JSON string: UTF-8 passes through; quote, backslash and control
 * characters are escaped; a byte that is not UTF-8 (names come off the
 * wire unchecked) becomes U+FFFD so the document stays parseable. */
static void
cmd_report_json_str(FILE *out, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;

	fputc('"', out);
	while (*s) {
		size_t n = cmd_report_utf8_len(s);

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
cmd_report_json(FILE *out, const struct cmd_report *rep)
{
	struct fmt_c_numeric loc;
	struct cmd_report_cell cells[F__COUNT];
	char when[64];

	fmt_c_numeric_enter(&loc);
	cmd_report_iso8601(when, sizeof when, rep->generated_ms);
	fputs("{\"generated\": ", out);
	cmd_report_json_str(out, when);
	fputs(", \"server\": ", out);
	cmd_report_json_str(out, rep->server ? rep->server : "");
	fputs(", \"rows\": [", out);
	for (uint32_t i = 0; i < rep->n_rows; i++) {
		cmd_report_cells(&rep->rows[i], cells);
		fputs(i ? ",\n  {" : "\n  {", out);
		for (int k = 0; k < F__COUNT; k++) {
			fprintf(out, "%s\"%s\": ", k ? ", " : "", cmd_report_field_names[k]);
			if (cells[k].kind == CELL_NONE)
				fputs("null", out);
			else if (cells[k].kind == CELL_STR)
				cmd_report_json_str(out, cells[k].str);
			else
				fputs(cells[k].str, out);
		}
		fputc('}', out);
	}
	fputs(rep->n_rows ? "\n]}\n" : "]}\n", out);
	fmt_c_numeric_leave(&loc);
	return cmd_report_stream_status(out);
}

/* ------------------------------------------------------------ text */

enum cmd_report_col {
	C_TENANT, C_OFFERED, C_ANS, C_ABN, C_SL, C_ASA, C_AHT, C_ABNP, C_OCC, C_COST, C_REQ,
	C_STAFFED, C__COUNT
};

static const char *const cmd_report_col_names[C__COUNT] = {
	"Tenant", "Offered", "Ans", "Abn", "SL%", "ASA", "AHT", "Abn%", "Occ%", "Cost", "Req",
	"Staffed"
};

/* Which CSV field each numeric text column shows. */
static const enum cmd_report_field cmd_report_col_field[C__COUNT] = {
	F_TENANT, F_OFFERED, F_ANSWERED, F_ABANDONED, F_SL, F_ASA, F_AHT, F_ABN, F_OCC, F_COST,
	F_REQUIRED, F_STAFFED
};

static const char *
cmd_report_display_name(const struct cmd_report_row *r)
{
	return r->tenant && r->tenant->name[0] ? r->tenant->name : r->stats.tenant;
}

static bool
cmd_report_same_shift(const struct cmd_report_row *a, const struct cmd_report_row *b)
{
	return a->current == b->current && a->stats.start_ts == b->stats.start_ts &&
	       strcmp(a->stats.shift, b->stats.shift) == 0;
}

/* Text from the wire goes through fmt_fit, which shows control bytes and
 * broken UTF-8 as '?': a name must not move the cursor or colour the
 * terminal of whoever reads the report. */
static void
cmd_report_text_header(FILE *out, const struct cmd_report_row *r)
{
	char name[4 * PROTO_ID_MAX + 8], start[64], asof[64];

	fmt_fit(name, sizeof name, r->stats.shift, fmt_width(r->stats.shift), FMT_LEFT, true);
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
cmd_report_text_table(FILE *out, const struct cmd_report_row *rows, uint32_t n)
{
	struct cmd_report_cell cells[F__COUNT];
	char fit[4 * CMD_REPORT_NAME_COLS_MAX + 8];
	int width[C__COUNT];

	for (int c = 0; c < C__COUNT; c++)
		width[c] = (int)strlen(cmd_report_col_names[c]);
	/* Columns as wide as their widest cell, so nothing is ever cut but
	 * an absurdly long name. */
	for (uint32_t i = 0; i < n; i++) {
		int w = fmt_width(cmd_report_display_name(&rows[i]));

		if (w > CMD_REPORT_NAME_COLS_MAX)
			w = CMD_REPORT_NAME_COLS_MAX;
		if (w > width[C_TENANT])
			width[C_TENANT] = w;
		cmd_report_cells(&rows[i], cells);
		for (int c = 1; c < C__COUNT; c++) {
			const struct cmd_report_cell *cl = &cells[cmd_report_col_field[c]];
			int cw = cl->kind == CELL_NONE ? 1 : (int)strlen(cl->str);

			if (cw > width[c])
				width[c] = cw;
		}
	}
	fputs(fmt_fit(fit, sizeof fit, cmd_report_col_names[C_TENANT], width[C_TENANT], FMT_LEFT, true), out);
	for (int c = 1; c < C__COUNT; c++)
		fprintf(out, "  %*s", width[c], cmd_report_col_names[c]);
	fputc('\n', out);
	for (uint32_t i = 0; i < n; i++) {
		cmd_report_cells(&rows[i], cells);
		fputs(fmt_fit(fit, sizeof fit, cmd_report_display_name(&rows[i]), width[C_TENANT],
		              FMT_LEFT, true), out);
		for (int c = 1; c < C__COUNT; c++) {
			const struct cmd_report_cell *cl = &cells[cmd_report_col_field[c]];

			fprintf(out, "  %*s", width[c], cl->kind == CELL_NONE ? "-" : cl->str);
		}
		fputc('\n', out);
	}
}

int
cmd_report_text(FILE *out, const struct cmd_report *rep)
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
		cmd_report_text_header(out, &rep->rows[k]);
		cmd_report_text_table(out, rep->rows + k, e - k);
		k = e;
	}
	fmt_c_numeric_leave(&loc);
	return cmd_report_stream_status(out);
}

/* ------------------------------------------------------------ usage */

static void
cmd_report_usage(FILE *f)
{
	fputs("usage: pooltop report [--server HOST | --events EP --requests EP]\n"
	      "                      [--format text|csv|json] [--shifts N] [--timeout MS]\n"
	      "\n"
	      "Per-tenant statistics of the current shift and the N closed shifts\n"
	      "before it, one row per tenant per shift, oldest shift first.\n"
	      "\n"
	      "  --server HOST        pooltopd on HOST (requests on port 7702)\n"
	      "  --requests EP        request endpoint (default " CMD_REPORT_REQUESTS_EP ")\n"
	      "  --events EP          accepted like the dashboard's; the report needs\n"
	      "                       only the requests endpoint\n"
	      "  --format text|csv|json  output format (default text)\n"
	      "  --shifts N           closed shifts to include, 0 to 1000 (default 3)\n"
	      "  --timeout MS         give up when the server has not answered\n"
	      "                       everything within MS ms (default 3000)\n"
	      "  --key PATH           CURVE secret key (default\n"
	      "                       ${XDG_CONFIG_HOME:-~/.config}/pooltop/client.key if present)\n"
	      "  --server-public K    the server's public key: a file or 40 Z85 characters\n"
	      "                       (default .../pooltop/server.pub)\n"
	      "  --help               show this help\n"
	      "\n"
	      "CSV and JSON fields: tenant, shift, start, offered, answered, abandoned,\n"
	      "service_level_pct, asa_s, aht_s, abandon_pct, occupancy_pct, cost,\n"
	      "required_agents, staffed_agents.  A figure with nothing to divide by is\n"
	      "an empty CSV cell, null in JSON and '-' in text.\n"
	      "\n"
	      "Exit status: 0 done, 1 no answer, a refusal or an output error,\n"
	      "2 bad usage.\n", f);
}

#ifdef __GNUC__
__attribute__((format(printf, 2, 3)))
#endif
static int
cmd_report_fail(int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs(CMD_REPORT_PROG ": ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	return status;
}

/* Digits only: strtoul would take " 3", "+3", "-1" (as a huge number)
 * and "3x" as a plausible count. */
static int
cmd_report_uint(const char *opt, const char *s, unsigned long lo, unsigned long hi, unsigned long *out)
{
	unsigned long v = 0;
	size_t i;

	for (i = 0; s[i]; i++) {
		if (s[i] < '0' || s[i] > '9')
			return cmd_report_fail(CMD_REPORT_USAGE, "--%s: '%s' is not a whole number", opt, s);
		/* Past hi it stays past hi, and never wraps around. */
		if (v <= hi)
			v = v * 10 + (unsigned long)(s[i] - '0');
	}
	if (i == 0)
		return cmd_report_fail(CMD_REPORT_USAGE, "--%s: '%s' is not a whole number", opt, s);
	if (v < lo || v > hi)
		return cmd_report_fail(CMD_REPORT_USAGE, "--%s: must be from %lu to %lu (got '%s')", opt, lo, hi, s);
	*out = v;
	return 0;
}

static int
cmd_report_endpoint(const char *opt, const char *v, char *dst)
{
	if (strstr(v, "://") == NULL || strlen(v) >= CMD_REPORT_EP_MAX)
		return cmd_report_fail(CMD_REPORT_USAGE, "--%s wants an endpoint like tcp://HOST:PORT, got '%s'",
		                       opt, v);
	if (dst)
		snprintf(dst, CMD_REPORT_EP_MAX, "%s", v);
	return 0;
}

static int
cmd_report_take(struct cmd_report_args *args, int opt, const char *name, const char *v)
{
	unsigned long n;
	int rc = 0;

	switch (opt) {
	case OPT_SERVER:
		if (v[0] == '\0' || strlen(v) > CMD_REPORT_HOST_MAX || strchr(v, '/'))
			return cmd_report_fail(CMD_REPORT_USAGE, "--%s wants a host name or address, got '%s'", name, v);
		snprintf(args->requests_ep, sizeof args->requests_ep, "tcp://%s:7702", v);
		break;
	case OPT_EVENTS:
		rc = cmd_report_endpoint(name, v, NULL);
		break;
	case OPT_KEY:
		args->key = v;
		break;
	case OPT_SERVER_PUBLIC:
		args->server_public = v;
		break;
	case OPT_REQUESTS:
		rc = cmd_report_endpoint(name, v, args->requests_ep);
		break;
	case OPT_FORMAT:
		if (strcmp(v, "text") == 0)
			args->format = CMD_REPORT_TEXT;
		else if (strcmp(v, "csv") == 0)
			args->format = CMD_REPORT_CSV;
		else if (strcmp(v, "json") == 0)
			args->format = CMD_REPORT_JSON;
		else
			rc = cmd_report_fail(CMD_REPORT_USAGE, "--%s: '%s' is not text, csv or json", name, v);
		break;
	case OPT_SHIFTS:
		rc = cmd_report_uint(name, v, 0, CMD_REPORT_SHIFTS_MAX, &n);
		if (!rc)
			args->shifts = (uint32_t)n;
		break;
	case OPT_TIMEOUT:
		rc = cmd_report_uint(name, v, 1, CMD_REPORT_TIMEOUT_MS_MAX, &n);
		if (!rc)
			args->timeout_ms = (int)n;
		break;
	default:
		break;
	}
	return rc;
}

/* Returns -1 when --help was shown, else an exit status. */
static int
cmd_report_parse(int argc, char **argv, struct cmd_report_args *args)
{
	snprintf(args->requests_ep, sizeof args->requests_ep, CMD_REPORT_REQUESTS_EP);
	args->format = CMD_REPORT_TEXT;
	args->shifts = CMD_REPORT_SHIFTS_DEFAULT;
	args->timeout_ms = CMD_REPORT_TIMEOUT_MS_DEFAULT;
	/* getopt keeps its position in globals: start afresh (glibc needs 0
	 * to also forget a half-scanned argument). */
#ifdef __GLIBC__
	optind = 0;
#else
	optind = 1;
#endif
	opterr = 0;
	for (;;) {
		int idx = -1;
		int opt = getopt_long(argc, argv, "+:h", cmd_report_longopts, &idx);
		int rc;

		if (opt == -1)
			break;
		if (opt == 'h' || opt == OPT_HELP) {
			cmd_report_usage(stdout);
			return -1;
		}
		if (opt == ':')
			return cmd_report_fail(CMD_REPORT_USAGE, "option '%s' needs a value", argv[optind - 1]);
		if (opt == '?') {
			if (optopt >= OPT_SERVER)
				return cmd_report_fail(CMD_REPORT_USAGE, "option '%s' takes no value", argv[optind - 1]);
			if (optopt > 0 && optopt < 128)
				return cmd_report_fail(CMD_REPORT_USAGE, "unknown option '-%c' (see --help)", optopt);
			return cmd_report_fail(CMD_REPORT_USAGE, "unknown or ambiguous option '%s' (see --help)",
			                       argv[optind - 1]);
		}
		rc = cmd_report_take(args, opt, cmd_report_longopts[idx].name, optarg);
		if (rc)
			return rc;
	}
	if (optind < argc)
		return cmd_report_fail(CMD_REPORT_USAGE, "unexpected argument '%s'", argv[optind]);
	return CMD_REPORT_OK;
}

/* ------------------------------------------------------------ requests */

struct cmd_report_link {
	void *zctx;
	void *sock;              /* DEALER */
	const char *ep;
	struct curve_client curve;
	int64_t deadline;        /* monotonic ms: the budget of the whole command */
	unsigned next_id;
	struct proto_buf reply;
};

/* A fresh DEALER: one that sent into the void still holds that request
 * and would deliver it, and any late answer, after the retry's. */
static int
cmd_report_link_socket(struct cmd_report_link *l)
{
	int linger = 0;
	int64_t maxmsg = (int64_t)PROTO_REPLY_BYTES_MAX;
	char err[128];

	if (l->sock)
		zmq_close(l->sock);
	l->sock = zmq_socket(l->zctx, ZMQ_DEALER);
	if (l->sock == NULL)
		return -1;
	/* Linger 0: closing must never wait for a server that is not there. */
	zmq_setsockopt(l->sock, ZMQ_LINGER, &linger, sizeof linger);
	zmq_setsockopt(l->sock, ZMQ_MAXMSGSIZE, &maxmsg, sizeof maxmsg);
	if (curve_client_apply(l->sock, &l->curve, err, sizeof err) < 0)
		return -1;
	return zmq_connect(l->sock, l->ep);
}

static void
cmd_report_link_close(struct cmd_report_link *l)
{
	if (l->sock)
		zmq_close(l->sock);
	if (l->zctx)
		zmq_ctx_term(l->zctx);
	proto_buf_free(&l->reply);
	l->sock = NULL;
	l->zctx = NULL;
}

/* The body of the next message (a REQ-style peer's delimiter, or any
 * extra frame, is skipped); 0, or -1. */
static int
cmd_report_recv(struct cmd_report_link *l)
{
	int more;
	size_t more_len = sizeof more;

	proto_buf_reset(&l->reply);
	do {
		zmq_msg_t m;

		zmq_msg_init(&m);
		if (zmq_msg_recv(&m, l->sock, ZMQ_DONTWAIT) < 0) {
			zmq_msg_close(&m);
			return -1;
		}
		if (zmq_msg_size(&m) > 0) {
			uint8_t *p = realloc(l->reply.data, zmq_msg_size(&m));

			if (p == NULL) {
				zmq_msg_close(&m);
				return -1;
			}
			l->reply.data = p;
			l->reply.cap = zmq_msg_size(&m);
			memcpy(p, zmq_msg_data(&m), zmq_msg_size(&m));
			l->reply.len = zmq_msg_size(&m);
		}
		zmq_msg_close(&m);
		more = 0;
		zmq_getsockopt(l->sock, ZMQ_RCVMORE, &more, &more_len);
	} while (more);
	return 0;
}

/* Waits for the reply to id until `until`: 1 got it (in l->reply), 0 time
 * is up, -1 the socket failed. */
static int
cmd_report_wait(struct cmd_report_link *l, const char *id, int64_t until)
{
	for (;;) {
		int64_t now = conn_mono_ms();
		zmq_pollitem_t it = { l->sock, 0, ZMQ_POLLIN, 0 };
		char got[PROTO_REQID_MAX + 1];
		int rc;

		if (now >= until)
			return 0;
		rc = zmq_poll(&it, 1, (long)(until - now));
		if (rc < 0) {
			if (zmq_errno() == EINTR)
				continue;
			return -1;
		}
		if (rc == 0 || !(it.revents & ZMQ_POLLIN))
			continue;
		if (cmd_report_recv(l) < 0)
			continue;
		/* Anything else is an answer to a request we gave up on. */
		if (proto_peek_id(l->reply.data, l->reply.len, got) == PROTO_OK && strcmp(got, id) == 0)
			return 1;
	}
}

/*
 * One request and its reply, Lazy-Pirate style: if half the remaining
 * budget passes in silence, the same request (same id, so a server that
 * did get it treats the second as a retry) goes again on a fresh socket.
 * Returns an exit status; rp is filled and ok only on CMD_REPORT_OK.
 */
static int
cmd_report_call(struct cmd_report_link *l, struct proto_request *rq, struct proto_reply *rp,
                int timeout_ms)
{
	struct proto_buf body;
	int got = 0, rc;

	snprintf(rq->id, sizeof rq->id, "report-%ld-%u", (long)getpid(), ++l->next_id);
	proto_buf_init(&body);
	if (proto_encode_request(&body, rq) != 0) {
		proto_buf_free(&body);
		return cmd_report_fail(CMD_REPORT_FAIL, "out of memory");
	}
	for (int try = 0; try < 2 && got == 0; try++) {
		int64_t now = conn_mono_ms();
		int64_t until = try == 0 ? now + (l->deadline - now) / 2 : l->deadline;

		if (try > 0 && cmd_report_link_socket(l) != 0)
			break;
		if (zmq_send(l->sock, body.data, body.len, ZMQ_DONTWAIT) < 0 && zmq_errno() != EAGAIN)
			break;
		got = cmd_report_wait(l, rq->id, until);
		if (got < 0)
			break;
	}
	proto_buf_free(&body);
	if (got <= 0)
		return cmd_report_fail(CMD_REPORT_FAIL, "no answer from %s after %.1f s (is pooltopd running?)",
		                       l->ep, timeout_ms / 1000.0);
	rc = proto_decode_reply(l->reply.data, l->reply.len, rq->op, rp);
	if (rc != PROTO_OK)
		return cmd_report_fail(CMD_REPORT_FAIL, "the %s reply from %s does not decode: %s",
		                       proto_op_name(rq->op), l->ep, proto_strerror(rc));
	if (!rp->ok) {
		cmd_report_fail(CMD_REPORT_FAIL, "%s refused: %s (%s)", proto_op_name(rq->op),
		                rp->msg[0] ? rp->msg : "no reason given", proto_reply_err_name(rp->err));
		proto_reply_free(rp);
		return CMD_REPORT_FAIL;
	}
	return CMD_REPORT_OK;
}

/* ------------------------------------------------------------ main */

static int
cmd_report_write(const struct cmd_report_args *args, const struct cmd_report *rep)
{
	int rc;

	switch (args->format) {
	case CMD_REPORT_CSV:
		rc = cmd_report_csv(stdout, rep);
		break;
	case CMD_REPORT_JSON:
		rc = cmd_report_json(stdout, rep);
		break;
	default:
		rc = cmd_report_text(stdout, rep);
		break;
	}
	if (rc != 0 || fflush(stdout) != 0 || ferror(stdout))
		return cmd_report_fail(CMD_REPORT_FAIL, "cannot write the report: %s", strerror(errno));
	return CMD_REPORT_OK;
}

static int
cmd_report_fetch(const struct cmd_report_args *args, struct cmd_report_link *l)
{
	struct proto_request rq;
	struct proto_reply snap, hist;
	struct cmd_report rep;
	int rc;

	memset(&rq, 0, sizeof rq);
	memset(&snap, 0, sizeof snap);
	memset(&hist, 0, sizeof hist);
	rq.op = PROTO_OP_SNAPSHOT;
	rc = cmd_report_call(l, &rq, &snap, args->timeout_ms);
	if (rc != CMD_REPORT_OK)
		return rc;
	if (args->shifts > 0) {
		memset(&rq, 0, sizeof rq);
		rq.op = PROTO_OP_HISTORY;
		rq.shifts = args->shifts;
		rc = cmd_report_call(l, &rq, &hist, args->timeout_ms);
		if (rc != CMD_REPORT_OK) {
			proto_reply_free(&snap);
			return rc;
		}
	}
	if (cmd_report_build(&rep, snap.snapshot, hist.rows, hist.n_rows) != 0) {
		rc = cmd_report_fail(CMD_REPORT_FAIL, "the snapshot from %s does not make a floor "
		                     "(inconsistent, or out of memory)", l->ep);
	} else {
		rep.server = args->requests_ep;
		rep.generated_ms = conn_real_ms();
		rc = cmd_report_write(args, &rep);
		cmd_report_free(&rep);
	}
	proto_reply_free(&snap);
	proto_reply_free(&hist);
	return rc;
}

static int
cmd_report_run(int argc, char **argv)
{
	struct cmd_report_args args;
	struct cmd_report_link l;
	char err[512];
	int rc;

	memset(&args, 0, sizeof args);
	rc = cmd_report_parse(argc, argv, &args);
	if (rc == -1)
		return fflush(stdout) == 0 ? CMD_REPORT_OK : CMD_REPORT_FAIL;
	if (rc)
		return rc;

	memset(&l, 0, sizeof l);
	proto_buf_init(&l.reply);
	l.ep = args.requests_ep;
	l.deadline = conn_mono_ms() + args.timeout_ms;
	if (curve_client_load(&l.curve, args.key, args.server_public, err, sizeof err) < 0) {
		proto_buf_free(&l.reply);
		return cmd_report_fail(CMD_REPORT_USAGE, "%s", err);
	}
	l.zctx = zmq_ctx_new();
	if (l.zctx == NULL) {
		rc = cmd_report_fail(CMD_REPORT_FAIL, "cannot start ZeroMQ: %s", zmq_strerror(zmq_errno()));
	} else if (cmd_report_link_socket(&l) != 0) {
		/* zmq_connect only fails on an endpoint it cannot parse or a
		 * transport it lacks: the user's value, not the network. */
		rc = cmd_report_fail(CMD_REPORT_USAGE, "cannot use endpoint '%s': %s", l.ep,
		                     zmq_strerror(zmq_errno()));
	} else {
		rc = cmd_report_fetch(&args, &l);
	}
	cmd_report_link_close(&l);
	return rc;
}

int
cmd_report_main(int argc, char **argv)
{
	struct fmt_c_numeric loc;
	int rc;

	/* Parsing and messages too, not just the formatters (which switch
	 * for themselves), print "3.0 s" whatever LANG says. */
	fmt_c_numeric_enter(&loc);
	rc = cmd_report_run(argc, argv);
	fmt_c_numeric_leave(&loc);
	return rc;
}
