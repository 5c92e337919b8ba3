/*
 * `pooltop report` without pooltopd: the figures against hand-computed
 * values, CSV quoting and empty cells, JSON structure and escaping, the
 * text table's alignment with UTF-8 names, the row order built from a
 * snapshot and history, and the request loop against a fake ROUTER that
 * refuses, stays silent, or ignores the first try.
 */
#include <check.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <zmq.h>

#include "pooltop/advice.h"
#include "pooltop/cmd_report.h"
#include "pooltop/fmt.h"
#include "pooltop/proto.h"

/* 2026-11-24T05:00:00Z; main() sets TZ to UTC+1 without DST. */
#define T0 (INT64_C(1795496400) * 1000)
#define T0_LOCAL "2026-11-24T06:00:00+01:00"
#define HOUR_MS INT64_C(3600000)

static struct proto_tenant
mk_tenant(const char *id, const char *name)
{
	struct proto_tenant t;

	memset(&t, 0, sizeof t);
	proto_strlcpy(t.id, id, PROTO_ID_MAX);
	proto_strlcpy(t.name, name, PROTO_NAME_MAX);
	t.sl_pct = 80;
	t.sl_sec = 20;
	t.dedicated_rate = 30.0;
	t.shared_rate = 45.0;
	return t;
}

/* 5 offered; answered after 5 s, 19 s, 25 s (sl 20 s); abandoned after
 * 3 s (short) and 40 s.  SL = 2 / (3 + 2 - 1) = 50 %, ASA = 49/3 s,
 * AHT = 360 s / 2, abandon 2/5, occupancy 360 s / 2.5 h, cost 2 h x 30 +
 * 0.5 h x 45 = 82.50. */
static struct cmd_report_row
mk_row(const struct proto_tenant *t, const char *shift, int64_t start)
{
	struct cmd_report_row r;

	memset(&r, 0, sizeof r);
	proto_strlcpy(r.stats.tenant, t ? t->id : "gone", PROTO_ID_MAX);
	proto_strlcpy(r.stats.shift, shift, PROTO_ID_MAX);
	r.stats.start_ts = start;
	r.stats.end_ts = start + 8 * HOUR_MS;
	r.stats.offered = 5;
	r.stats.answered = 3;
	r.stats.answered_in_sl = 2;
	r.stats.abandoned = 2;
	r.stats.abandoned_short = 1;
	r.stats.wait_ms = 5000 + 19000 + 25000;
	r.stats.handled = 2;
	r.stats.talk_ms = 300000;
	r.stats.wrap_ms = 60000;
	r.stats.dedicated_staffed_ms = 2 * HOUR_MS;
	r.stats.shared_handle_ms = HOUR_MS / 2;
	r.stats.cost = 999.0;   /* what the server recorded; used only without a tenant */
	r.tenant = t;
	r.advised = t != NULL;
	r.required = 4;
	r.staffed = 2.5;
	return r;
}

/* A row whose every ratio has nothing to divide by. */
static struct cmd_report_row
mk_empty_row(const struct proto_tenant *t, const char *shift, int64_t start)
{
	struct cmd_report_row r;

	memset(&r, 0, sizeof r);
	proto_strlcpy(r.stats.tenant, t->id, PROTO_ID_MAX);
	proto_strlcpy(r.stats.shift, shift, PROTO_ID_MAX);
	r.stats.start_ts = start;
	r.tenant = t;
	r.advised = true;
	r.required = 0;
	r.staffed = NAN;
	return r;
}

/* Run a formatter into a string (caller frees). */
static char *
render(int (*fn)(FILE *, const struct cmd_report *), const struct cmd_report *rep)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(fn(f, rep), 0);
	fclose(f);
	return buf;
}

/* The n-th line (0-based) of s, copied into dst. */
static const char *
line_of(const char *s, int n, char *dst, size_t len)
{
	for (int i = 0; i < n && s; i++) {
		s = strchr(s, '\n');
		if (s)
			s++;
	}
	ck_assert_ptr_nonnull(s);
	snprintf(dst, len, "%.*s", (int)strcspn(s, "\n"), s);
	return dst;
}

static int
count_lines(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

/* ------------------------------------------------------------ figures */

START_TEST(test_figures_hand_computed)
{
	struct proto_tenant t = mk_tenant("acme", "Acme");
	struct cmd_report_row r = mk_row(&t, "Early", T0);
	struct cmd_report_figures fg;

	cmd_report_figures(&r, &fg);
	ck_assert_double_eq_tol(fg.service_level_pct, 50.0, 1e-9);
	ck_assert_double_eq_tol(fg.asa_s, 49.0 / 3.0, 1e-9);
	ck_assert_double_eq_tol(fg.aht_s, 180.0, 1e-9);
	ck_assert_double_eq_tol(fg.abandon_pct, 40.0, 1e-9);
	ck_assert_double_eq_tol(fg.occupancy_pct, 360000.0 / 9000000.0 * 100.0, 1e-9);
	ck_assert_double_eq_tol(fg.cost, 82.5, 1e-9);

	/* Without the tenant's rates, the cost the server recorded. */
	r.tenant = NULL;
	cmd_report_figures(&r, &fg);
	ck_assert_double_eq_tol(fg.cost, 999.0, 1e-9);

	r = mk_empty_row(&t, "Early", T0);
	cmd_report_figures(&r, &fg);
	ck_assert(isnan(fg.service_level_pct));
	ck_assert(isnan(fg.asa_s));
	ck_assert(isnan(fg.aht_s));
	ck_assert(isnan(fg.abandon_pct));
	ck_assert(isnan(fg.occupancy_pct));
	ck_assert_double_eq_tol(fg.cost, 0.0, 1e-12);
}
END_TEST

START_TEST(test_iso8601_offsets)
{
	char buf[64];

	ck_assert_str_eq(cmd_report_iso8601(buf, sizeof buf, T0), T0_LOCAL);
	setenv("TZ", "XST5", 1);
	tzset();
	ck_assert_str_eq(cmd_report_iso8601(buf, sizeof buf, T0), "2026-11-24T00:00:00-05:00");
	setenv("TZ", "YST-5:30", 1);
	tzset();
	ck_assert_str_eq(cmd_report_iso8601(buf, sizeof buf, T0 + 999), "2026-11-24T10:30:00+05:30");
	setenv("TZ", "UTC0", 1);
	tzset();
	ck_assert_str_eq(cmd_report_iso8601(buf, sizeof buf, T0), "2026-11-24T05:00:00+00:00");
	setenv("TZ", "ZZZ-1", 1);
	tzset();
}
END_TEST

/* ------------------------------------------------------------ CSV */

START_TEST(test_csv)
{
	struct proto_tenant a = mk_tenant("acme", "Acme"), b = mk_tenant("bolt", "Bolt");
	struct cmd_report_row rows[4];
	struct cmd_report rep = { "tcp://h:7702", T0, 4, rows, 0, NULL };
	char *out, line[512];

	rows[0] = mk_row(&a, "Early", T0);
	rows[1] = mk_empty_row(&b, "Late, \"really\"", T0 + 8 * HOUR_MS);
	rows[2] = mk_row(NULL, "Two\nlines", T0);
	rows[3] = mk_row(&a, "Now", T0);
	rows[3].current = true;
	out = render(cmd_report_csv, &rep);
	ck_assert_str_eq(line_of(out, 0, line, sizeof line),
	                 "tenant,shift,start,offered,answered,abandoned,service_level_pct,asa_s,"
	                 "aht_s,abandon_pct,occupancy_pct,cost,required_agents,staffed_agents");
	ck_assert_str_eq(line_of(out, 1, line, sizeof line),
	                 "acme,Early," T0_LOCAL ",5,3,2,50.0,16.3,180.0,40.0,4.0,82.50,4,2.5");
	/* Quotes doubled inside a quoted field; unknown figures are empty. */
	ck_assert_str_eq(line_of(out, 2, line, sizeof line),
	                 "bolt,\"Late, \"\"really\"\"\",2026-11-24T14:00:00+01:00,0,0,0,,,,,,0.00,0,");
	/* A line break inside a field stays inside its quotes; a tenant the
	 * floor lost keeps the server's cost and has no advice. */
	ck_assert_ptr_nonnull(strstr(out, "\ngone,\"Two\nlines\"," T0_LOCAL
	                                  ",5,3,2,50.0,16.3,180.0,40.0,4.0,999.00,,\n"));
	ck_assert_int_eq(count_lines(out), 6);   /* header, 4 rows, one embedded break */
	free(out);
}
END_TEST

/* ------------------------------------------------------------ JSON */

/* Balanced braces and brackets outside strings, strings closed, no raw
 * control characters inside them, nothing after the top-level value but
 * a newline. */
static void
json_check_structure(const char *s)
{
	int depth = 0, top_closed = 0;
	int in_str = 0;

	for (const char *p = s; *p; p++) {
		unsigned char c = (unsigned char)*p;

		if (in_str) {
			ck_assert_msg(c >= 0x20, "raw control byte 0x%02x in a string", c);
			if (c == '\\') {
				ck_assert_ptr_nonnull(strchr("\"\\/bfnrtu", p[1]));
				p++;
			} else if (c == '"') {
				in_str = 0;
			}
			continue;
		}
		ck_assert_msg(!top_closed || c == '\n', "bytes after the document: %s", p);
		if (c == '"')
			in_str = 1;
		else if (c == '{' || c == '[')
			depth++;
		else if (c == '}' || c == ']') {
			depth--;
			ck_assert_int_ge(depth, 0);
			top_closed = depth == 0;
		}
	}
	ck_assert(!in_str);
	ck_assert_int_eq(depth, 0);
	ck_assert(top_closed);
}

/* Every key of a row object appears, in order, between from and the
 * object's closing brace. */
static const char *
json_check_row_keys(const char *from)
{
	static const char *const keys[] = {
		"\"tenant\": ", "\"shift\": ", "\"start\": ", "\"offered\": ", "\"answered\": ",
		"\"abandoned\": ", "\"service_level_pct\": ", "\"asa_s\": ", "\"aht_s\": ",
		"\"abandon_pct\": ", "\"occupancy_pct\": ", "\"cost\": ", "\"required_agents\": ",
		"\"staffed_agents\": ",
	};
	const char *p = strstr(from, "{\"tenant\": ");
	const char *end;

	ck_assert_ptr_nonnull(p);
	end = strstr(p, "}");
	ck_assert_ptr_nonnull(end);
	for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
		const char *q = strstr(p, keys[k]);

		ck_assert_msg(q != NULL && q < end, "key %s missing or out of order", keys[k]);
		p = q + strlen(keys[k]);
	}
	return end;
}

START_TEST(test_json)
{
	struct proto_tenant a = mk_tenant("q\"b\\s\nl", "Odd"), b = mk_tenant("bolt", "Bolt");
	struct cmd_report_row rows[3];
	struct cmd_report rep = { "tcp://h\"x:7702", T0, 3, rows, 0, NULL };
	char *out;
	const char *p;

	rows[0] = mk_row(&a, "Früh", T0);
	rows[1] = mk_empty_row(&b, "Bad\xff\x01", T0);
	rows[2] = mk_row(&a, "Früh", 0);   /* no shift yet: no start */
	out = render(cmd_report_json, &rep);
	json_check_structure(out);
	ck_assert_ptr_nonnull(strstr(out, "{\"generated\": \"" T0_LOCAL "\", \"server\": \"tcp://h\\\"x:7702\", \"rows\": ["));
	p = out;
	for (int i = 0; i < 3; i++)
		p = json_check_row_keys(p);
	ck_assert_ptr_null(strstr(p, "\"tenant\": "));
	/* Quote, backslash and newline escaped; UTF-8 as it is. */
	ck_assert_ptr_nonnull(strstr(out, "\"tenant\": \"q\\\"b\\\\s\\u000al\", \"shift\": \"Früh\""));
	ck_assert_ptr_nonnull(strstr(out, "\"service_level_pct\": 50.0, \"asa_s\": 16.3, \"aht_s\": 180.0, "
	                                  "\"abandon_pct\": 40.0, \"occupancy_pct\": 4.0, \"cost\": 82.50, "
	                                  "\"required_agents\": 4, \"staffed_agents\": 2.5}"));
	/* A byte that is not UTF-8 and a control byte. */
	ck_assert_ptr_nonnull(strstr(out, "\"shift\": \"Bad\\ufffd\\u0001\""));
	ck_assert_ptr_nonnull(strstr(out, "\"service_level_pct\": null, \"asa_s\": null, \"aht_s\": null, "
	                                  "\"abandon_pct\": null, \"occupancy_pct\": null, \"cost\": 0.00, "
	                                  "\"required_agents\": 0, \"staffed_agents\": null}"));
	ck_assert_ptr_nonnull(strstr(out, "\"start\": null"));
	free(out);

	rep.n_rows = 0;
	out = render(cmd_report_json, &rep);
	json_check_structure(out);
	ck_assert_ptr_nonnull(strstr(out, "\"rows\": []}"));
	free(out);
}
END_TEST

/* ------------------------------------------------------------ text */

/* Display columns of line up to the end of the first occurrence of
 * needle at or after byte `from`. */
static int
col_after(const char *line, const char *needle, size_t from)
{
	const char *p = strstr(line + from, needle);
	char pre[512];

	ck_assert_msg(p != NULL, "'%s' not in '%s'", needle, line);
	snprintf(pre, sizeof pre, "%.*s", (int)(p - line + (long)strlen(needle)), line);
	return fmt_width(pre);
}

START_TEST(test_text_alignment)
{
	struct proto_tenant a = mk_tenant("hyb", "Hybrid Ä.G."), b = mk_tenant("tok", "東京 Ltd"),
	                    c = mk_tenant("ded", "Ded Co");
	struct cmd_report_row rows[4];
	struct cmd_report rep = { "tcp://h:7702", T0, 4, rows, 0, NULL };
	char *out, line[512], head[512];
	int width = -1, offered_col, sl_col;

	rows[0] = mk_row(&a, "A", T0);
	rows[1] = mk_empty_row(&b, "A", T0);
	rows[2] = mk_row(&c, "A", T0);
	rows[3] = mk_row(&c, "B", T0 + 8 * HOUR_MS);
	rows[3].current = true;
	rows[3].stats.end_ts = T0 + 9 * HOUR_MS;
	rows[3].stats.offered = 123456;
	out = render(cmd_report_text, &rep);
	ck_assert_str_eq(line_of(out, 0, line, sizeof line), "Shift A, started " T0_LOCAL " (closed)");
	line_of(out, 1, head, sizeof head);
	ck_assert_ptr_nonnull(strstr(head, "Tenant"));
	offered_col = col_after(head, "Offered", 0);
	sl_col = col_after(head, "SL%", 0);
	for (int i = 1; i <= 4; i++) {
		int w = fmt_width(line_of(out, i, line, sizeof line));

		/* Right-aligned columns: every line of a table is as wide. */
		if (width < 0)
			width = w;
		ck_assert_msg(w == width, "line %d is %d columns, not %d: '%s'", i, w, width, line);
	}
	/* The UTF-8 and the wide-character names push nothing out of line. */
	line_of(out, 2, line, sizeof line);
	ck_assert_int_eq(strncmp(line, "Hybrid Ä.G.", strlen("Hybrid Ä.G.")), 0);
	ck_assert_int_eq(col_after(line, "5", strlen("Hybrid Ä.G.")), offered_col);
	ck_assert_int_eq(col_after(line, "50.0", 0), sl_col);
	/* The widest name sets the column: two spaces, then Offered's 7. */
	ck_assert_msg(strncmp(line + strlen("Hybrid Ä.G."), "        5    3", 14) == 0, "'%s'", line);
	line_of(out, 3, line, sizeof line);
	ck_assert_int_eq(strncmp(line, "東京 Ltd", strlen("東京 Ltd")), 0);
	ck_assert_int_eq(col_after(line, "0", strlen("東京 Ltd")), offered_col);
	/* Unknown figures are "-", in their columns. */
	ck_assert_int_eq(col_after(line, "-", 0), sl_col);
	ck_assert_ptr_null(strstr(line, "nan"));

	/* The current shift gets its own table, after a blank line. */
	ck_assert_str_eq(line_of(out, 5, line, sizeof line), "");
	ck_assert_str_eq(line_of(out, 6, line, sizeof line),
	                 "Shift B, started 2026-11-24T14:00:00+01:00 (current, as of 2026-11-24T15:00:00+01:00)");
	/* Its columns widen for a bigger number, header included. */
	line_of(out, 7, head, sizeof head);
	line_of(out, 8, line, sizeof line);
	ck_assert_int_eq(col_after(line, "123456", 0), col_after(head, "Offered", 0));
	ck_assert_int_eq(fmt_width(head), fmt_width(line));
	ck_assert_int_eq(count_lines(out), 9);
	free(out);
}
END_TEST

static int
text_ascii(FILE *f, const struct cmd_report *rep)
{
	return cmd_report_text_in(f, rep, false, false, false);
}

/* A locale that is not UTF-8: names spelled in ASCII, what has no
 * spelling a '?' per column, every line pure ASCII and as wide. */
START_TEST(test_text_ascii)
{
	struct proto_tenant a = mk_tenant("hyb", "Hybrid Ä.G."), b = mk_tenant("tok", "東京 Ltd"),
	                    c = mk_tenant("wei", "Weiß & Jørgensen");
	struct cmd_report_row rows[3];
	struct cmd_report rep = { "tcp://h:7702", T0, 3, rows, 0, NULL };
	char *out, line[512];
	size_t width = 0;

	rows[0] = mk_row(&a, "Früh", T0);
	rows[1] = mk_empty_row(&b, "Früh", T0);
	rows[2] = mk_row(&c, "Früh", T0);
	out = render(text_ascii, &rep);
	for (const unsigned char *p = (const unsigned char *)out; *p; p++)
		ck_assert_msg(*p < 0x80, "a byte 0x%02x in '%s'", *p, out);
	ck_assert_str_eq(line_of(out, 0, line, sizeof line), "Shift Fruh, started " T0_LOCAL " (closed)");
	ck_assert_int_eq(strncmp(line_of(out, 2, line, sizeof line), "Hybrid A.G. ", 12), 0);
	ck_assert_int_eq(strncmp(line_of(out, 3, line, sizeof line), "???? Ltd ", 9), 0);
	ck_assert_int_eq(strncmp(line_of(out, 4, line, sizeof line), "Weiss & Jorgensen ", 18), 0);
	for (int i = 1; i <= 4; i++) {
		line_of(out, i, line, sizeof line);
		if (width == 0)
			width = strlen(line);
		ck_assert_msg(strlen(line) == width, "line %d: '%s'", i, line);
	}
	free(out);
	/* the UTF-8 text is as it was */
	out = render(cmd_report_text, &rep);
	ck_assert_ptr_nonnull(strstr(out, "Weiß & Jørgensen"));
	free(out);
}
END_TEST

static int
csv_full(FILE *f, const struct cmd_report *rep)
{
	return cmd_report_csv_cols(f, rep, true);
}

static int
json_full(FILE *f, const struct cmd_report *rep)
{
	return cmd_report_json_cols(f, rep, true);
}

static int
text_full(FILE *f, const struct cmd_report *rep)
{
	return cmd_report_text_cols(f, rep, true);
}

/* --columns full: name, target, met or missed, status after the usual
 * fields; a row whose covered_ms is short of its span is partial; each
 * shift ends with a total made from the summed counters. */
START_TEST(test_full_columns)
{
	struct proto_tenant a = mk_tenant("acme", "Acme"), b = mk_tenant("bolt", "Bolt, Inc");
	struct cmd_report_row rows[3];
	struct cmd_report rep = { "tcp://h:7702", T0, 3, rows, 0, NULL };
	char *out, line[512];

	b.sl_pct = 40;
	rows[0] = mk_row(&a, "A", T0);
	rows[0].stats.covered_ms = 4 * HOUR_MS;            /* down half the shift */
	rows[1] = mk_row(&b, "A", T0);
	rows[1].stats.covered_ms = 8 * HOUR_MS;            /* all of it: closed */
	rows[2] = mk_row(&a, "B", T0 + 8 * HOUR_MS);
	rows[2].current = true;
	rows[2].stats.covered_ms = HOUR_MS;                /* current wins */
	ck_assert_str_eq(cmd_report_status(&rows[0]), "partial");
	ck_assert_str_eq(cmd_report_status(&rows[1]), "closed");
	ck_assert_str_eq(cmd_report_status(&rows[2]), "current");
	out = render(csv_full, &rep);
	ck_assert_str_eq(line_of(out, 0, line, sizeof line),
	                 "tenant,shift,start,offered,answered,abandoned,service_level_pct,asa_s,"
	                 "aht_s,abandon_pct,occupancy_pct,cost,required_agents,staffed_agents,"
	                 "name,target_sl_pct,target_s,met,status");
	ck_assert_str_eq(line_of(out, 1, line, sizeof line),
	                 "acme,A," T0_LOCAL ",5,3,2,50.0,16.3,180.0,40.0,4.0,82.50,4,2.5,"
	                 "Acme,80.0,20,missed,partial");
	ck_assert_str_eq(line_of(out, 2, line, sizeof line),
	                 "bolt,A," T0_LOCAL ",5,3,2,50.0,16.3,180.0,40.0,4.0,82.50,4,2.5,"
	                 "\"Bolt, Inc\",40.0,20,met,closed");
	/* The total adds the counters (SL 4 of 8, not an average of
	 * percentages), the costs and the agents; partial when any row is. */
	ck_assert_str_eq(line_of(out, 3, line, sizeof line),
	                 "*,A," T0_LOCAL ",10,6,4,50.0,16.3,180.0,40.0,4.0,165.00,8,5.0,"
	                 "All tenants,,,,partial");
	ck_assert_str_eq(line_of(out, 4, line, sizeof line),
	                 "acme,B,2026-11-24T14:00:00+01:00,5,3,2,50.0,16.3,180.0,40.0,4.0,82.50,4,2.5,"
	                 "Acme,80.0,20,missed,current");
	ck_assert_str_eq(line_of(out, 5, line, sizeof line),
	                 "*,B,2026-11-24T14:00:00+01:00,5,3,2,50.0,16.3,180.0,40.0,4.0,82.50,4,2.5,"
	                 "All tenants,,,,current");
	ck_assert_int_eq(count_lines(out), 6);
	free(out);

	out = render(json_full, &rep);
	json_check_structure(out);
	ck_assert_ptr_nonnull(strstr(out, "\"server\": \"tcp://h:7702\", \"clock\": "
	                                  "\"floor clock (generated: wall clock), local time with UTC offset "
	                                  "(ISO 8601)\", \"rows\": ["));
	ck_assert_ptr_nonnull(strstr(out, "\"staffed_agents\": 2.5, \"name\": \"Acme\", "
	                                  "\"target_sl_pct\": 80.0, \"target_s\": 20, "
	                                  "\"met\": \"missed\", \"status\": \"partial\"}"));
	ck_assert_ptr_nonnull(strstr(out, "\"tenant\": \"*\", \"shift\": \"A\""));
	ck_assert_ptr_nonnull(strstr(out, "\"name\": \"All tenants\", \"target_sl_pct\": null, "
	                                  "\"target_s\": null, \"met\": null, \"status\": \"partial\"}"));
	free(out);

	out = render(text_full, &rep);
	line_of(out, 1, line, sizeof line);
	ck_assert_msg(strstr(line, "Target%  TargetS     Met   Status") != NULL, "'%s'", line);
	line_of(out, 2, line, sizeof line);
	ck_assert_msg(strstr(line, "80.0       20  missed  partial") != NULL, "'%s'", line);
	line_of(out, 4, line, sizeof line);
	ck_assert_int_eq(strncmp(line, "All tenants", strlen("All tenants")), 0);
	ck_assert_msg(strstr(line, "   10    6    4") != NULL, "'%s'", line);
	ck_assert_msg(strstr(line, "165.00") != NULL, "'%s'", line);
	free(out);
}
END_TEST

/* A shift's totals row reads occupancy from the summed busy and break
 * time when every row carried them (closed rows recorded since they
 * are kept), and falls back to the first formula when one did not. */
START_TEST(test_total_occupancy)
{
	struct proto_tenant a = mk_tenant("acme", "Acme"), b = mk_tenant("bolt", "Bolt");
	struct cmd_report_row rows[2];
	struct cmd_report rep = { "x", T0, 2, rows, 0, NULL }, tot;
	struct cmd_report_figures fg;

	rows[0] = mk_row(&a, "A", T0);
	rows[1] = mk_row(&b, "A", T0);
	for (int i = 0; i < 2; i++) {
		rows[i].stats.has_busy = true;
		rows[i].stats.dedicated_break_ms = HOUR_MS / 2;
	}
	rows[0].stats.dedicated_busy_ms = HOUR_MS;          /* 1 of 1.5 h */
	rows[1].stats.dedicated_busy_ms = HOUR_MS / 2;      /* 0.5 of 1.5 h */
	ck_assert_int_eq(cmd_report_totals(&rep, &tot), 0);
	ck_assert_uint_eq(tot.n_rows, 3);
	ck_assert(tot.rows[2].total);
	cmd_report_figures(&tot.rows[2], &fg);
	ck_assert_double_eq_tol(fg.occupancy_pct, 150.0 / 3.0, 1e-9);   /* 1.5 h of 3 h */
	cmd_report_free(&tot);

	rows[1].stats.has_busy = false;
	ck_assert_int_eq(cmd_report_totals(&rep, &tot), 0);
	cmd_report_figures(&tot.rows[2], &fg);
	/* (talk + wrap) / (staffed + shared handle), on the sums: 12 min of 5 h */
	ck_assert_double_eq_tol(fg.occupancy_pct, 720000.0 / (5 * HOUR_MS) * 100.0, 1e-9);
	cmd_report_free(&tot);
}
END_TEST

/* A name with an escape sequence must not reach the terminal as one. */
START_TEST(test_text_controls)
{
	struct proto_tenant a = mk_tenant("evil", "Ev\x1b[31mil");
	struct cmd_report_row rows[1];
	struct cmd_report rep = { "x", T0, 1, rows, 0, NULL };
	char *out;

	rows[0] = mk_row(&a, "S\x07", T0);
	out = render(cmd_report_text, &rep);
	ck_assert_ptr_null(strchr(out, '\x1b'));
	ck_assert_ptr_null(strchr(out, '\x07'));
	ck_assert_ptr_nonnull(strstr(out, "Ev?[31mil"));
	free(out);
}
END_TEST

/* ------------------------------------------------------------ build */

struct snap_fixture {
	struct proto_snapshot snap;
	struct proto_tenant tenants[3];
	struct proto_pool pools[1];
	struct proto_agent agents[1];
	struct proto_stats_row stats[3];
};

/* Tenants deliberately not in alphabetical order; tenant "b" has a
 * dedicated pool with one agent on duty since B's start + 1 s. */
static void
snap_fixture(struct snap_fixture *fx, int64_t start_b, int64_t now)
{
	static const char *const ids[] = { "b", "a", "c" };

	memset(fx, 0, sizeof *fx);
	for (int i = 0; i < 3; i++) {
		fx->tenants[i] = mk_tenant(ids[i], ids[i]);
		proto_strlcpy(fx->stats[i].tenant, ids[i], PROTO_ID_MAX);
		proto_strlcpy(fx->stats[i].shift, "B", PROTO_ID_MAX);
		fx->stats[i].start_ts = start_b;
		fx->stats[i].end_ts = start_b + 12 * HOUR_MS;
		fx->stats[i].offered = 10u * (unsigned)(i + 1);
		fx->stats[i].answered = 8;
		fx->stats[i].handled = 6;
		fx->stats[i].talk_ms = 600000;
		fx->stats[i].wrap_ms = 60000;
	}
	fx->tenants[0].model = PROTO_MODEL_DEDICATED;
	fx->stats[0].dedicated_staffed_ms = 5000;   /* closed intervals */
	proto_strlcpy(fx->pools[0].id, "pb", PROTO_ID_MAX);
	fx->pools[0].kind = PROTO_POOL_DEDICATED;
	proto_strlcpy(fx->pools[0].tenant, "b", PROTO_ID_MAX);
	proto_strlcpy(fx->agents[0].id, "x1", PROTO_ID_MAX);
	proto_strlcpy(fx->agents[0].name, "X One", PROTO_NAME_MAX);
	proto_strlcpy(fx->agents[0].pool, "pb", PROTO_ID_MAX);
	fx->agents[0].state = PROTO_AS_IDLE;
	fx->agents[0].since_ts = start_b + 1000;
	fx->agents[0].acc_ts = start_b + 1000;
	fx->snap.epoch = 1;
	fx->snap.seq = 42;
	fx->snap.ts = now;
	proto_strlcpy(fx->snap.shift_name, "B", PROTO_ID_MAX);
	fx->snap.shift_start_ts = start_b;
	fx->snap.shift_end_ts = start_b + 12 * HOUR_MS;
	fx->snap.n_tenants = 3;
	fx->snap.tenants = fx->tenants;
	fx->snap.n_pools = 1;
	fx->snap.pools = fx->pools;
	fx->snap.n_agents = 1;
	fx->snap.agents = fx->agents;
	fx->snap.n_stats = 3;
	fx->snap.stats = fx->stats;
}

static struct proto_stats_row
hist_row(const char *tenant, const char *shift, int64_t start, uint64_t offered)
{
	struct proto_stats_row r;

	memset(&r, 0, sizeof r);
	proto_strlcpy(r.tenant, tenant, PROTO_ID_MAX);
	proto_strlcpy(r.shift, shift, PROTO_ID_MAX);
	r.start_ts = start;
	r.end_ts = start + 12 * HOUR_MS;
	r.offered = offered;
	r.dedicated_staffed_ms = 3 * HOUR_MS;
	r.cost = 7.0;
	return r;
}

START_TEST(test_build_order_and_current)
{
	struct snap_fixture fx;
	int64_t day1 = T0, day2 = T0 + 12 * HOUR_MS, start_b = T0 + 24 * HOUR_MS;
	int64_t now = start_b + 61000;
	/* As a server might send them: newest shift first, tenants by id,
	 * and one tenant ("old") the floor no longer has. */
	struct proto_stats_row hist[7] = {
		hist_row("a", "A", day2, 21), hist_row("b", "A", day2, 22), hist_row("c", "A", day2, 23),
		hist_row("a", "B", day1, 11), hist_row("b", "B", day1, 12), hist_row("c", "B", day1, 13),
		hist_row("old", "B", day1, 14),
	};
	static const char *const want_tenant[] = { "b", "a", "c", "old", "b", "a", "c", "b", "a", "c" };
	static const uint64_t want_offered[] = { 12, 11, 13, 14, 22, 21, 23, 10, 20, 30 };
	struct cmd_report rep;
	struct proto_stats_row cur;
	uint32_t req;
	double staffed;

	snap_fixture(&fx, start_b, now);
	ck_assert_int_eq(cmd_report_build(&rep, &fx.snap, hist, 7), 0);
	ck_assert_uint_eq(rep.n_rows, 10);
	for (uint32_t i = 0; i < rep.n_rows; i++) {
		ck_assert_str_eq(rep.rows[i].stats.tenant, want_tenant[i]);
		ck_assert_uint_eq(rep.rows[i].stats.offered, want_offered[i]);
		ck_assert(rep.rows[i].current == (i >= 7));
	}
	ck_assert_ptr_null(rep.rows[3].tenant);
	ck_assert(!rep.rows[3].advised);
	ck_assert_ptr_eq(rep.rows[0].tenant, &fx.tenants[0]);
	ck_assert_ptr_eq(rep.rows[8].tenant, &fx.tenants[1]);

	/* Closed shifts: advice over the shift as recorded. */
	advice_row(&hist[4], &fx.tenants[0], &req, &staffed);
	ck_assert(rep.rows[0].advised);
	ck_assert_uint_eq(rep.rows[0].required, req);
	ck_assert_double_eq_tol(rep.rows[0].staffed, staffed, 1e-12);
	ck_assert_double_eq_tol(rep.rows[0].staffed, 0.25, 1e-12);

	/* The current shift: staffed time includes the agent on duty since
	 * start + 1 s up to the snapshot, and the span ends at the snapshot. */
	ck_assert_str_eq(rep.rows[7].stats.shift, "B");
	ck_assert_int_eq(rep.rows[7].stats.start_ts, start_b);
	ck_assert_int_eq(rep.rows[7].stats.end_ts, now);
	ck_assert_uint_eq(rep.rows[7].stats.dedicated_staffed_ms, 5000 + 60000);
	cur = fx.stats[0];
	cur.dedicated_staffed_ms = 65000;
	cur.end_ts = now;
	advice_row(&cur, &fx.tenants[0], &req, &staffed);
	ck_assert_uint_eq(rep.rows[7].required, req);
	ck_assert_uint_gt(req, 0);
	ck_assert_double_eq_tol(rep.rows[7].staffed, staffed, 1e-12);
	ck_assert_double_eq_tol(rep.rows[7].staffed, 65000.0 / 61000.0, 1e-12);
	cmd_report_free(&rep);

	/* No history at all: just the current shift. */
	ck_assert_int_eq(cmd_report_build(&rep, &fx.snap, NULL, 0), 0);
	ck_assert_uint_eq(rep.n_rows, 3);
	ck_assert(rep.rows[0].current);
	cmd_report_free(&rep);
}
END_TEST

/* ------------------------------------------------------------ requests */

enum fake_mode { FAKE_REFUSE, FAKE_SILENT, FAKE_DROP_FIRST };

static int64_t
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * A ROUTER standing in for pooltopd, in a child process.  Its exit status
 * says what it saw: 0 as expected, 3 the retry came with another id, 4
 * something did not decode.
 */
static void
fake_server(const char *ep, enum fake_mode mode)
{
	void *ctx = zmq_ctx_new();
	void *r = zmq_socket(ctx, ZMQ_ROUTER);
	int linger = 2000, status = 0, n = 0;
	char first[PROTO_REQID_MAX + 1] = "";
	int64_t until = mono_ms() + 8000;
	struct snap_fixture fx;

	snap_fixture(&fx, T0, T0 + 60000);
	zmq_setsockopt(r, ZMQ_LINGER, &linger, sizeof linger);
	if (zmq_bind(r, ep) != 0)
		_exit(5);
	while (mono_ms() < until) {
		zmq_pollitem_t it = { r, 0, ZMQ_POLLIN, 0 };
		zmq_msg_t id, body;
		struct proto_request rq;
		struct proto_reply rp;
		struct proto_buf out;
		bool done = false;

		if (zmq_poll(&it, 1, 100) <= 0)
			continue;
		zmq_msg_init(&id);
		zmq_msg_init(&body);
		zmq_msg_recv(&id, r, 0);
		zmq_msg_recv(&body, r, 0);
		if (proto_decode_request(zmq_msg_data(&body), zmq_msg_size(&body), &rq) != PROTO_OK)
			_exit(4);
		n++;
		memset(&rp, 0, sizeof rp);
		memcpy(rp.id, rq.id, sizeof rp.id);
		rp.op = rq.op;
		rp.ok = true;
		if (mode == FAKE_SILENT || (mode == FAKE_DROP_FIRST && n == 1)) {
			snprintf(first, sizeof first, "%s", rq.id);
			proto_request_free(&rq);
			zmq_msg_close(&id);
			zmq_msg_close(&body);
			continue;
		}
		if (mode == FAKE_DROP_FIRST && n == 2 && strcmp(first, rq.id) != 0)
			status = 3;
		if (mode == FAKE_REFUSE) {
			rp.ok = false;
			rp.err = PROTO_RE_UNAVAILABLE;
			snprintf(rp.msg, sizeof rp.msg, "the store is being rebuilt");
			done = true;
		} else if (rq.op == PROTO_OP_SNAPSHOT) {
			rp.snapshot = &fx.snap;
		} else {
			done = rq.op == PROTO_OP_HISTORY;
		}
		proto_buf_init(&out);
		proto_encode_reply(&out, &rp);
		zmq_send(r, zmq_msg_data(&id), zmq_msg_size(&id), ZMQ_SNDMORE);
		zmq_send(r, out.data, out.len, 0);
		proto_buf_free(&out);
		proto_request_free(&rq);
		zmq_msg_close(&id);
		zmq_msg_close(&body);
		if (done)
			break;
	}
	zmq_close(r);
	zmq_ctx_term(ctx);
	_exit(status);
}

struct run {
	int rc;
	int64_t ms;
	char out[8192];
	char err[2048];
};

static void
slurp(const char *path, char *dst, size_t len)
{
	FILE *f = fopen(path, "r");
	size_t n = f ? fread(dst, 1, len - 1, f) : 0;

	dst[n] = '\0';
	if (f)
		fclose(f);
}

/* cmd_report_main in this process with stdout and stderr captured
 * (check forks each test, so the redirection cannot leak). */
static void
run_report(struct run *r, const char *const *args)
{
	char *argv[16];
	char op[64], ep[64];
	int argc = 0, so = dup(1), se = dup(2), fo, fe;
	int64_t t0;

	snprintf(op, sizeof op, "/tmp/pooltop-report-out-%d", (int)getpid());
	snprintf(ep, sizeof ep, "/tmp/pooltop-report-err-%d", (int)getpid());
	fo = open(op, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	fe = open(ep, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	argv[argc++] = (char *)"report";
	for (; *args; args++)
		argv[argc++] = (char *)*args;
	argv[argc] = NULL;
	fflush(stdout);
	fflush(stderr);
	dup2(fo, 1);
	dup2(fe, 2);
	t0 = mono_ms();
	r->rc = cmd_report_main(argc, argv);
	r->ms = mono_ms() - t0;
	fflush(stdout);
	fflush(stderr);
	dup2(so, 1);
	dup2(se, 2);
	close(so);
	close(se);
	close(fo);
	close(fe);
	slurp(op, r->out, sizeof r->out);
	slurp(ep, r->err, sizeof r->err);
	unlink(op);
	unlink(ep);
}

static pid_t
fake_start(char *ep, size_t len, enum fake_mode mode)
{
	pid_t pid;

	snprintf(ep, len, "ipc:///tmp/pooltop-report-fake-%d-%d.sock", (int)getpid(), (int)mode);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0)
		fake_server(ep, mode);
	return pid;
}

static int
fake_wait(pid_t pid, const char *ep)
{
	int st = 0;

	/* SIGKILL: check's own SIGTERM handler, inherited by the child,
	 * would take the whole process group down with it. */
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	unlink(ep + strlen("ipc://"));
	return st;
}

START_TEST(test_request_refused)
{
	char ep[128];
	pid_t pid = fake_start(ep, sizeof ep, FAKE_REFUSE);
	const char *args[] = { "--requests", ep, "--format", "csv", NULL };
	struct run r;
	int st;

	run_report(&r, args);
	st = 0;
	waitpid(pid, &st, 0);
	unlink(ep + strlen("ipc://"));
	ck_assert_int_eq(r.rc, 1);
	ck_assert_msg(strstr(r.err, "pooltop report: ") == r.err, "%s", r.err);
	ck_assert_ptr_nonnull(strstr(r.err, "the store is being rebuilt"));
	ck_assert_str_eq(r.out, "");
	ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}
END_TEST

START_TEST(test_request_silent_server)
{
	char ep[128];
	pid_t pid = fake_start(ep, sizeof ep, FAKE_SILENT);
	const char *args[] = { "--requests", ep, "--timeout", "400", NULL };
	char want[256];
	struct run r;

	run_report(&r, args);
	fake_wait(pid, ep);
	ck_assert_int_eq(r.rc, 1);
	snprintf(want, sizeof want, "pooltop report: no answer from %s after 0.4 s (is pooltopd running?)\n", ep);
	ck_assert_str_eq(r.err, want);
	ck_assert_int_ge(r.ms, 350);
	ck_assert_int_lt(r.ms, 1500);
	ck_assert_str_eq(r.out, "");
}
END_TEST

/* The first request is lost: the retry, with the same id on a fresh
 * socket, gets the answer well within the budget. */
START_TEST(test_request_retry)
{
	char ep[128];
	pid_t pid = fake_start(ep, sizeof ep, FAKE_DROP_FIRST);
	const char *args[] = { "--requests", ep, "--timeout", "2000", "--format", "csv", NULL };
	struct run r;
	int st = 0;

	run_report(&r, args);
	waitpid(pid, &st, 0);
	unlink(ep + strlen("ipc://"));
	ck_assert_msg(r.rc == 0, "rc %d: %s", r.rc, r.err);
	ck_assert(WIFEXITED(st));
	ck_assert_msg(WEXITSTATUS(st) == 0, "fake server status %d", WEXITSTATUS(st));
	ck_assert_int_ge(r.ms, 900);
	ck_assert_int_lt(r.ms, 2000);
	ck_assert_ptr_nonnull(strstr(r.out, "\nb,B," T0_LOCAL ",10,8,0,"));
	ck_assert_ptr_nonnull(strstr(r.out, "\na,B,"));
	ck_assert_ptr_nonnull(strstr(r.out, "\nc,B,"));
}
END_TEST

START_TEST(test_bad_usage)
{
	static const struct {
		const char *args[4];
		int rc;
		const char *says;
	} cases[] = {
		{ { "--format", "xml", NULL }, 2, "--format" },
		{ { "--shifts", "-1", NULL }, 2, "--shifts" },
		{ { "--shifts", "1001", NULL }, 2, "--shifts" },
		{ { "--timeout", "0", NULL }, 2, "--timeout" },
		{ { "--timeout", "3s", NULL }, 2, "--timeout" },
		{ { "--requests", "localhost", NULL }, 2, "--requests" },
		{ { "--server", "a/b", NULL }, 2, "--server" },
		{ { "--bogus", NULL }, 2, "--bogus" },
		{ { "--format", NULL }, 2, "--format" },
		{ { "stray", NULL }, 2, "stray" },
	};
	struct run r;

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		run_report(&r, cases[i].args);
		ck_assert_msg(r.rc == cases[i].rc, "case %zu: rc %d", i, r.rc);
		ck_assert_msg(strstr(r.err, cases[i].says) != NULL, "case %zu: '%s'", i, r.err);
		ck_assert_str_eq(r.out, "");
	}
	{
		const char *help[] = { "--help", NULL };
		run_report(&r, help);
		ck_assert_int_eq(r.rc, 0);
		ck_assert_ptr_nonnull(strstr(r.out, "usage: pooltop report"));
		ck_assert_str_eq(r.err, "");
	}
}
END_TEST

static Suite *
report_suite(void)
{
	Suite *s = suite_create("report");
	TCase *fmt = tcase_create("format");
	TCase *net = tcase_create("requests");

	tcase_add_test(fmt, test_figures_hand_computed);
	tcase_add_test(fmt, test_iso8601_offsets);
	tcase_add_test(fmt, test_csv);
	tcase_add_test(fmt, test_json);
	tcase_add_test(fmt, test_text_alignment);
	tcase_add_test(fmt, test_text_ascii);
	tcase_add_test(fmt, test_text_controls);
	tcase_add_test(fmt, test_full_columns);
	tcase_add_test(fmt, test_total_occupancy);
	tcase_add_test(fmt, test_build_order_and_current);
	tcase_set_timeout(net, 20);
	tcase_add_test(net, test_request_refused);
	tcase_add_test(net, test_request_silent_server);
	tcase_add_test(net, test_request_retry);
	tcase_add_test(net, test_bad_usage);
	suite_add_tcase(s, fmt);
	suite_add_tcase(s, net);
	return s;
}

int
main(void)
{
	SRunner *sr;
	int failed;

	/* A fixed zone an hour east of UTC and without DST, so the expected
	 * local times hold wherever the test runs. */
	setenv("TZ", "ZZZ-1", 1);
	tzset();
	signal(SIGPIPE, SIG_IGN);
	sr = srunner_create(report_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
