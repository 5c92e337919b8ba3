/*
 * cmd_audit: `pooltop audit` — the server's audit record through the
 * client library's one blocking call (pooltop/call.h), where pooltopd is
 * read by the one endpoint rule (pooltop/endpoint.h), numbers by
 * pooltop/parse.h, CSV and JSON written by the report's own writers.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pooltop/args.h"
#include "pooltop/call.h"
#include "pooltop/cmd_audit.h"
#include "pooltop/cmd_report.h"
#include "pooltop/endpoint.h"
#include "pooltop/fmt.h"
#include "pooltop/parse.h"

#define CMD_AUDIT_PROG "pooltop audit"
#define CMD_AUDIT_TIMEOUT_MS 3000

enum { OPT_SERVER = 256, OPT_EVENTS, OPT_REQUESTS, OPT_FORMAT, OPT_SINCE, OPT_TIMEOUT, OPT_HELP };

static const struct option cmd_audit_longopts[] = {
	{ "server", required_argument, NULL, OPT_SERVER },
	{ "events", required_argument, NULL, OPT_EVENTS },
	{ "requests", required_argument, NULL, OPT_REQUESTS },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "since", required_argument, NULL, OPT_SINCE },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "help", no_argument, NULL, OPT_HELP },
	{ NULL, 0, NULL, 0 }
};

static const char cmd_audit_usage[] =
"usage: pooltop audit [--server HOST | --events EP --requests EP]\n"
"                     [--since WHEN] [--format text|csv|json] [--timeout MS]\n"
"\n"
"The durable record of pool moves, oldest first: when, who asked, the\n"
"agent, from and to which pool, whether a contract minimum was forced,\n"
"and why.  For a compliance file.\n"
"\n"
"  --server HOST        pooltopd on HOST (requests on port 7702)\n"
"  --requests EP        request endpoint (default " ENDPOINT_REQUESTS_DEFAULT ")\n"
"  --events EP          accepted like the dashboard's (only requests are asked)\n"
"                       (--server and the endpoints are alternatives)\n"
"  --since WHEN         only moves at or after WHEN, local time:\n"
"                       2026-12-03, 2026-12-03T09:30 or '2026-12-03 09:30:15'\n"
"  --format text|csv|json  output format (default text)\n"
"  --timeout MS         give up after MS ms without an answer, 1 to 3600000\n"
"                       (default 3000)\n"
"  --help               show this help\n"
"\n"
"Times are the floor clock in local time with its UTC offset\n"
"(2026-12-03T09:30:15+01:00) in CSV and JSON, local date and time in text.\n"
"CSV and JSON fields: time, by, agent, from, to, forced, reason, request,\n"
"epoch, seq.\n"
"\n"
"Exit status: 0 done, 1 no answer, a refusal or an output error,\n"
"2 bad usage.\n";

/* Two to four digits of s[0..n) as a number, or -1. */
static int
cmd_audit_digits(const char *s, int n)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

int
cmd_audit_since(const char *s, int64_t *out_ms, char *why, size_t len)
{
	char w[PARSE_WHY_MAX];
	struct tm tm;
	uint32_t secs = 0;
	int y, mo, d;
	time_t t;

	if (strlen(s) < 10 || s[4] != '-' || s[7] != '-' || (y = cmd_audit_digits(s, 4)) < 1970 ||
	    (mo = cmd_audit_digits(s + 5, 2)) < 1 || mo > 12 || (d = cmd_audit_digits(s + 8, 2)) < 1 || d > 31) {
		snprintf(why, len, "must be a date YYYY-MM-DD, optionally with a time (T09:30 or ' 09:30:15')");
		return -1;
	}
	if (s[10] != '\0') {
		if ((s[10] != 'T' && s[10] != ' ') ||
		    parse_clock(s + 11, PARSE_CLOCK_SECONDS, &secs, w, sizeof w) != PARSE_OK) {
			snprintf(why, len, "must be a date YYYY-MM-DD, optionally with a time (T09:30 or ' 09:30:15')");
			return -1;
		}
	}
	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = (int)(secs / 3600);
	tm.tm_min = (int)(secs / 60 % 60);
	tm.tm_sec = (int)(secs % 60);
	tm.tm_isdst = -1;
	t = mktime(&tm);
	/* mktime moves 2026-02-31 to March: a day the month lacks is wrong. */
	if (t == (time_t)-1 || tm.tm_mday != d || tm.tm_mon != mo - 1) {
		snprintf(why, len, "is not a day of the calendar");
		return -1;
	}
	*out_ms = (int64_t)t * 1000;
	return 0;
}

/* ------------------------------------------------------------ output */

static void
cmd_audit_text(FILE *out, const struct proto_audit_row *rows, uint32_t n, int64_t since_ms)
{
	uint32_t shown = 0, forced = 0;

	fprintf(out, "%-19s  %-12s %-10s %-14s %-14s %-6s %s\n", "time (local)", "by", "agent", "from", "to",
	        "forced", "reason");
	for (uint32_t i = 0; i < n; i++) {
		const struct proto_audit_row *r = &rows[i];
		time_t t = (time_t)(r->ts / 1000);
		struct tm tm;
		char when[32] = "";

		if (r->ts < since_ms)
			continue;
		if (localtime_r(&t, &tm))
			strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", &tm);
		fprintf(out, "%-19s  %-12s %-10s %-14s %-14s %-6s %s\n", when, r->by, r->agent, r->from, r->to,
		        r->forced ? "yes" : "no", r->reason);
		shown++;
		forced += r->forced;
	}
	fprintf(out, "%u move%s, %u forced\n", shown, shown == 1 ? "" : "s", forced);
}

static void
cmd_audit_csv(FILE *out, const struct proto_audit_row *rows, uint32_t n, int64_t since_ms)
{
	fputs("time,by,agent,from,to,forced,reason,request,epoch,seq\n", out);
	for (uint32_t i = 0; i < n; i++) {
		const struct proto_audit_row *r = &rows[i];
		char when[48];

		if (r->ts < since_ms)
			continue;
		fprintf(out, "%s,", cmd_report_iso8601(when, sizeof when, r->ts));
		cmd_report_csv_field(out, r->by);
		fputc(',', out);
		cmd_report_csv_field(out, r->agent);
		fputc(',', out);
		cmd_report_csv_field(out, r->from);
		fputc(',', out);
		cmd_report_csv_field(out, r->to);
		fprintf(out, ",%s,", r->forced ? "true" : "false");
		cmd_report_csv_field(out, r->reason);
		fputc(',', out);
		cmd_report_csv_field(out, r->req);
		fprintf(out, ",%llu,%llu\n", (unsigned long long)r->epoch, (unsigned long long)r->seq);
	}
}

static void
cmd_audit_json(FILE *out, const struct proto_audit_row *rows, uint32_t n, int64_t since_ms)
{
	bool first = true;

	fputs("{\"clock\":\"floor clock, local time with UTC offset (ISO 8601)\",\"moves\":[", out);
	for (uint32_t i = 0; i < n; i++) {
		const struct proto_audit_row *r = &rows[i];
		char when[48];

		if (r->ts < since_ms)
			continue;
		fprintf(out, "%s\n{\"time\":\"%s\",\"by\":", first ? "" : ",", cmd_report_iso8601(when, sizeof when, r->ts));
		cmd_report_json_str(out, r->by);
		fputs(",\"agent\":", out);
		cmd_report_json_str(out, r->agent);
		fputs(",\"from\":", out);
		cmd_report_json_str(out, r->from);
		fputs(",\"to\":", out);
		cmd_report_json_str(out, r->to);
		fprintf(out, ",\"forced\":%s,\"reason\":", r->forced ? "true" : "false");
		cmd_report_json_str(out, r->reason);
		fputs(",\"request\":", out);
		cmd_report_json_str(out, r->req);
		fprintf(out, ",\"epoch\":%llu,\"seq\":%llu}", (unsigned long long)r->epoch, (unsigned long long)r->seq);
		first = false;
	}
	fputs("\n]}\n", out);
}

int
cmd_audit_write(FILE *out, enum cmd_audit_format fmt, const struct proto_audit_row *rows, uint32_t n,
                int64_t since_ms)
{
	if (fmt == CMD_AUDIT_CSV)
		cmd_audit_csv(out, rows, n, since_ms);
	else if (fmt == CMD_AUDIT_JSON)
		cmd_audit_json(out, rows, n, since_ms);
	else
		cmd_audit_text(out, rows, n, since_ms);
	return ferror(out) ? -1 : 0;
}

/* ------------------------------------------------------------ command */

struct cmd_audit_args {
	struct endpoints eps;
	enum cmd_audit_format format;
	int64_t since_ms;
	int timeout_ms;
};

/* -1 after --help, else an exit status (0 to go on). */
static int
cmd_audit_parse(int argc, char **argv, struct cmd_audit_args *a)
{
	static const char *const formats[] = { "text", "csv", "json", NULL };
	char why[PARSE_WHY_MAX + ENDPOINT_MAX];
	bool server = false, endpoint = false;
	uint64_t n;
	int opt, idx, k;

	endpoint_defaults(&a->eps);
	a->format = CMD_AUDIT_TEXT;
	a->since_ms = INT64_MIN;
	a->timeout_ms = CMD_AUDIT_TIMEOUT_MS;
	args_getopt_reset();
	while ((opt = getopt_long(argc, argv, "+:h", cmd_audit_longopts, &idx)) != -1) {
		const char *name = opt >= OPT_SERVER ? cmd_audit_longopts[idx].name : "";

		switch (opt) {
		case 'h':
		case OPT_HELP:
			fputs(cmd_audit_usage, stdout);
			return -1;
		case OPT_SERVER:
		case OPT_EVENTS:
		case OPT_REQUESTS:
			if (endpoint_option(&a->eps, name, optarg, why, sizeof why) != 0)
				return args_fail(CMD_AUDIT_PROG, "%s", why);
			server = server || opt == OPT_SERVER;
			endpoint = endpoint || opt != OPT_SERVER;
			break;
		case OPT_FORMAT:
			if ((k = parse_choice(optarg, formats, why, sizeof why)) < 0)
				return args_bad_value(CMD_AUDIT_PROG, name, optarg, why);
			a->format = (enum cmd_audit_format)k;
			break;
		case OPT_SINCE:
			if (cmd_audit_since(optarg, &a->since_ms, why, sizeof why) < 0)
				return args_bad_value(CMD_AUDIT_PROG, name, optarg, why);
			break;
		case OPT_TIMEOUT:
			if (parse_whole(optarg, 1, 3600000, &n, why, sizeof why) != PARSE_OK)
				return args_bad_value(CMD_AUDIT_PROG, name, optarg, why);
			a->timeout_ms = (int)n;
			break;
		default:
			return args_getopt_fail(CMD_AUDIT_PROG, opt, argv);
		}
	}
	if (optind < argc)
		return args_fail(CMD_AUDIT_PROG, "unexpected argument '%s'", argv[optind]);
	if (server && endpoint)
		return args_fail(CMD_AUDIT_PROG, "give either --server or --events/--requests, not both");
	return 0;
}

static int
cmd_audit_run(int argc, char **argv)
{
	struct cmd_audit_args a;
	struct proto_request rq;
	struct proto_reply rp;
	char err[512];
	int rc;

	memset(&a, 0, sizeof a);
	rc = cmd_audit_parse(argc, argv, &a);
	if (rc == -1)
		return fflush(stdout) == 0 ? 0 : 1;
	if (rc)
		return rc;
	memset(&rq, 0, sizeof rq);
	rq.op = PROTO_OP_AUDIT;
	rq.limit = PROTO_ROWS_MAX;   /* the whole record the server keeps */
	switch (client_call(a.eps.requests, &rq, &rp, a.timeout_ms, 2, err, sizeof err)) {
	case CLIENT_CALL_OK:
		break;
	case CLIENT_CALL_REFUSED:
		proto_reply_free(&rp);
		return args_error(1, CMD_AUDIT_PROG, "%s", err);
	case CLIENT_CALL_ENDPOINT:
		return args_error(2, CMD_AUDIT_PROG, "%s", err);
	default:
		return args_error(1, CMD_AUDIT_PROG, "%s", err);
	}
	rc = cmd_audit_write(stdout, a.format, rp.audit, rp.n_audit, a.since_ms);
	proto_reply_free(&rp);
	if (rc != 0 || fflush(stdout) != 0)
		return args_error(1, CMD_AUDIT_PROG, "cannot write the audit trail");
	return 0;
}

int
cmd_audit_main(int argc, char **argv)
{
	struct fmt_c_numeric loc;
	int rc;

	fmt_c_numeric_enter(&loc);
	rc = cmd_audit_run(argc, argv);
	fmt_c_numeric_leave(&loc);
	return rc;
}
