/*
 * cmd_report_args: the command line of `pooltop report`, read by the
 * rules of pooltop/parse.h (docs/ARGUMENTS.md).
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cmd_report_int.h"
#include "pooltop/args.h"
#include "pooltop/cmd_report.h"
#include "pooltop/endpoint.h"
#include "pooltop/parse.h"

#define CMD_REPORT_SHIFTS_MAX 1000        /* what pooltopd serves in one reply */
#define CMD_REPORT_TIMEOUT_MS_MAX 3600000

enum cmd_report_opt {
	OPT_SERVER = 256, OPT_EVENTS, OPT_REQUESTS, OPT_FORMAT, OPT_SHIFTS, OPT_TIMEOUT, OPT_BY,
	OPT_HELP, OPT_KEY, OPT_SERVER_PUBLIC, OPT_COLUMNS
};

static const struct option cmd_report_longopts[] = {
	{ "server", required_argument, NULL, OPT_SERVER },
	{ "events", required_argument, NULL, OPT_EVENTS },
	{ "requests", required_argument, NULL, OPT_REQUESTS },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "shifts", required_argument, NULL, OPT_SHIFTS },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "by", required_argument, NULL, OPT_BY },
	{ "columns", required_argument, NULL, OPT_COLUMNS },
	{ "help", no_argument, NULL, OPT_HELP },
	{ "key", required_argument, NULL, OPT_KEY },
	{ "server-public", required_argument, NULL, OPT_SERVER_PUBLIC },
	{ NULL, 0, NULL, 0 }
};

static const char *const cmd_report_formats[] = { "text", "csv", "json", NULL };
static const char *const cmd_report_bys[] = { "shift", "interval", NULL };
static const char *const cmd_report_columns[] = { "basic", "full", NULL };

static void
cmd_report_usage(FILE *f)
{
	fputs("usage: pooltop report [--server HOST | --events EP --requests EP]\n"
	      "                      [--format text|csv|json] [--shifts N] [--timeout MS]\n"
	      "                      [--by shift|interval] [--columns basic|full]\n"
	      "                      [--key PATH --server-public PATH_OR_KEY]\n"
	      "\n"
	      "Per-tenant statistics of the current shift and the N closed shifts\n"
	      "before it, one row per tenant per shift, oldest shift first; with\n"
	      "--by interval, one row per tenant per 15 minutes of each shift.\n"
	      "\n"
	      "  --server HOST        pooltopd on HOST (requests on port 7702)\n"
	      "  --requests EP        request endpoint (default " ENDPOINT_REQUESTS_DEFAULT ")\n"
	      "  --events EP          accepted like the dashboard's; the report needs\n"
	      "                       only the requests endpoint\n"
	      "                       (--server and the endpoints are alternatives)\n"
	      "  --format text|csv|json  output format (default text)\n"
	      "  --shifts N           closed shifts to include, 0 to 1000 (default 3)\n"
	      "  --timeout MS         give up when the server has not answered\n"
	      "                       everything within MS ms, 1 to 3600000 (default 3000)\n"
	      "  --by shift|interval  a row per shift (default), or per 15 minutes\n"
	      "  --columns basic|full  full adds each row's tenant name, target, met or\n"
	      "                       missed, and status (current, closed or partial),\n"
	      "                       and a totals row per shift (default: full\n"
	      "                       for text by shift, basic for CSV and JSON)\n"
	      "  --key PATH           CURVE secret key (default\n"
	      "                       ${XDG_CONFIG_HOME:-~/.config}/pooltop/client.key if present)\n"
	      "  --server-public K    the server's public key: a file or 40 Z85 characters\n"
	      "                       (default .../pooltop/server.pub)\n"
	      "  --help               show this help\n"
	      "\n"
	      "CSV and JSON fields: tenant, shift, start, offered, answered, abandoned,\n"
	      "service_level_pct, asa_s, aht_s, abandon_pct, occupancy_pct, cost,\n"
	      "required_agents, staffed_agents.  With --by interval: tenant, shift,\n"
	      "interval_start, offered, answered, answered_in_sl, abandoned,\n"
	      "abandoned_short, service_level_pct, asa_s, abandon_pct.  A figure with\n"
	      "nothing to divide by is an empty CSV cell, null in JSON and '-' in text.\n"
	      "--columns full appends name, target_sl_pct, target_s, met (met|missed,\n"
	      "empty before anything is offered) and status (current|closed|partial:\n"
	      "closed, but the server was down for part of it) and, after each shift,\n"
	      "a row with tenant '*' and name 'All tenants' made from the summed\n"
	      "counters; its JSON says its clock (\"clock\": rows on the floor clock,\n"
	      "\"generated\" on the wall clock).\n"
	      "\n"
	      "Exit status: 0 done, 1 no answer, a refusal or an output error,\n"
	      "2 bad usage.\n", f);
}

/* Checks one option value and stores it; nonzero stops the parse. */
static int
cmd_report_take(struct cmd_report_args *args, struct endpoints *eps, int opt, const char *name,
                const char *v)
{
	char why[PARSE_WHY_MAX + ENDPOINT_MAX];
	uint64_t n;
	int k;

	switch (opt) {
	case OPT_SERVER:
	case OPT_EVENTS:
	case OPT_REQUESTS:
	case OPT_KEY:
	case OPT_SERVER_PUBLIC:
		/* The one reading of where pooltopd is and which keys reach
		 * it (pooltop/endpoint.h); report asks requests only, the
		 * feed endpoint is checked. */
		if (endpoint_option(eps, name, v, why, sizeof why) != 0)
			return args_fail(CMD_REPORT_PROG, "%s", why);
		return 0;
	case OPT_FORMAT:
		if ((k = parse_choice(v, cmd_report_formats, why, sizeof why)) < 0)
			return args_bad_value(CMD_REPORT_PROG, name, v, why);
		args->format = (enum cmd_report_format)k;
		return 0;
	case OPT_BY:
		if ((k = parse_choice(v, cmd_report_bys, why, sizeof why)) < 0)
			return args_bad_value(CMD_REPORT_PROG, name, v, why);
		args->by_interval = k == 1;
		return 0;
	case OPT_COLUMNS:
		if ((k = parse_choice(v, cmd_report_columns, why, sizeof why)) < 0)
			return args_bad_value(CMD_REPORT_PROG, name, v, why);
		args->full = k == 1;
		args->columns_given = true;
		return 0;
	case OPT_SHIFTS:
		if (parse_whole(v, 0, CMD_REPORT_SHIFTS_MAX, &n, why, sizeof why) != PARSE_OK)
			return args_bad_value(CMD_REPORT_PROG, name, v, why);
		args->shifts = (uint32_t)n;
		return 0;
	case OPT_TIMEOUT:
		if (parse_whole(v, 1, CMD_REPORT_TIMEOUT_MS_MAX, &n, why, sizeof why) != PARSE_OK)
			return args_bad_value(CMD_REPORT_PROG, name, v, why);
		args->timeout_ms = (int)n;
		return 0;
	default:
		return 0;
	}
}

int
cmd_report_parse(int argc, char **argv, struct cmd_report_args *args)
{
	bool server = false, endpoint = false;
	struct endpoints eps;
	char why[1024];

	endpoint_defaults(&eps);
	args->format = CMD_REPORT_TEXT;
	args->by_interval = args->full = args->columns_given = false;
	args->shifts = CMD_REPORT_SHIFTS_DEFAULT;
	args->timeout_ms = CMD_REPORT_TIMEOUT_MS_DEFAULT;
	args_getopt_reset();
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
		if (opt == ':' || opt == '?')
			return args_getopt_fail(CMD_REPORT_PROG, opt, argv);
		rc = cmd_report_take(args, &eps, opt, cmd_report_longopts[idx].name, optarg);
		if (rc)
			return rc;
		server = server || opt == OPT_SERVER;
		endpoint = endpoint || opt == OPT_EVENTS || opt == OPT_REQUESTS;
	}
	if (optind < argc)
		return args_fail(CMD_REPORT_PROG, "unexpected argument '%s'", argv[optind]);
	/* A person reading text gets every column and the totals; CSV and
	 * JSON keep the basic layout that scripts were written against
	 * unless asked. */
	if (!args->columns_given)
		args->full = args->format == CMD_REPORT_TEXT && !args->by_interval;
	/* Whichever came last would silently win: say so instead. */
	if (args->full && args->by_interval)
		return args_fail(CMD_REPORT_PROG, "--columns full is for --by shift: an interval has no target or totals row");
	if (server && endpoint)
		return args_fail(CMD_REPORT_PROG, "give either --server or --events/--requests, not both");
	snprintf(args->requests_ep, sizeof args->requests_ep, "%s", eps.requests);
	if (endpoint_keys(&eps, &args->curve, why, sizeof why) < 0)
		return args_fail(CMD_REPORT_PROG, "%s", why);
	return CMD_REPORT_OK;
}
