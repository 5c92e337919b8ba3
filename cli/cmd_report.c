/*
 * cmd_report: `pooltop report`, the batch report of shift statistics:
 * arguments (cmd_report_args.c), a snapshot and history from the server
 * (cmd_report_fetch.c), rows and figures (cmd_report_figures.c), and one
 * of the formats (cmd_report_format.c).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cmd_report_int.h"
#include "pooltop/args.h"
#include "pooltop/cmd_report.h"
#include "pooltop/fmt.h"

static int
cmd_report_write(const struct cmd_report_args *args, const struct cmd_report *rep)
{
	int rc;

	switch (args->format) {
	case CMD_REPORT_CSV:
		rc = args->by_interval ? cmd_report_csv_intervals(stdout, rep) : cmd_report_csv_cols(stdout, rep, args->full);
		break;
	case CMD_REPORT_JSON:
		rc = args->by_interval ? cmd_report_json_intervals(stdout, rep)
		                       : cmd_report_json_cols(stdout, rep, args->full);
		break;
	default:
		/* names as the reader's terminal can show them */
		rc = cmd_report_text_in(stdout, rep, args->full, args->by_interval, fmt_locale_utf8());
		break;
	}
	if (rc != 0 || fflush(stdout) != 0 || ferror(stdout))
		return args_error(CMD_REPORT_FAIL, CMD_REPORT_PROG, "cannot write the report: %s",
		                  strerror(errno));
	return CMD_REPORT_OK;
}

static int
cmd_report_run(int argc, char **argv)
{
	struct cmd_report_args args;
	struct proto_reply snap, hist;
	struct cmd_report rep;
	int rc;

	memset(&args, 0, sizeof args);
	rc = cmd_report_parse(argc, argv, &args);
	if (rc == -1)
		return fflush(stdout) == 0 ? CMD_REPORT_OK : CMD_REPORT_FAIL;
	if (rc)
		return rc;
	rc = cmd_report_fetch(args.requests_ep, &args.curve, args.timeout_ms, args.shifts, &snap, &hist);
	memset(&args.curve, 0, sizeof args.curve);
	if (rc != CMD_REPORT_OK)
		return rc;
	if (cmd_report_build_sl(&rep, snap.snapshot, hist.rows, hist.rows_sl, hist.n_rows) != 0) {
		rc = args_error(CMD_REPORT_FAIL, CMD_REPORT_PROG, "the snapshot from %s does not make a "
		                "floor (inconsistent, or out of memory)", args.requests_ep);
	} else {
		rep.server = args.requests_ep;
		/* printed to the second */
		rep.generated_ms = (int64_t)time(NULL) * 1000;
		rc = cmd_report_write(&args, &rep);
		cmd_report_free(&rep);
	}
	proto_reply_free(&snap);
	proto_reply_free(&hist);
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
