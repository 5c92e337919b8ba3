/*
 * cmd_report_int: how the pieces of `pooltop report` meet — its
 * arguments (cmd_report_args.c), its blocking client (cmd_report_fetch.c)
 * and the command itself (cmd_report.c).  Figures and formats, which the
 * tests use too, are in pooltop/cmd_report.h.  Not for other rooms.
 */
#ifndef POOLTOP_CMD_REPORT_INT_H
#define POOLTOP_CMD_REPORT_INT_H

#include <stdint.h>

#include "pooltop/curve_client.h"
#include "pooltop/endpoint.h"
#include "pooltop/proto.h"

#define CMD_REPORT_PROG "pooltop report"
#define CMD_REPORT_EP_MAX ENDPOINT_MAX

enum cmd_report_status { CMD_REPORT_OK = 0, CMD_REPORT_FAIL = 1, CMD_REPORT_USAGE = 2 };
enum cmd_report_format { CMD_REPORT_TEXT, CMD_REPORT_CSV, CMD_REPORT_JSON };

struct cmd_report_args {
	char requests_ep[CMD_REPORT_EP_MAX];
	enum cmd_report_format format;
	uint32_t shifts;
	int timeout_ms;
	struct curve_client curve;   /* --key, --server-public (curve.on false: none) */
};

/* -1 when --help was shown, else an exit status (CMD_REPORT_OK to go on). */
int cmd_report_parse(int argc, char **argv, struct cmd_report_args *args);

/* A snapshot and, when shifts > 0, the history of that many closed
 * shifts from the server at ep (with keys cc), all within timeout_ms.  Returns an exit
 * status; the replies are filled (and the caller frees them) only on
 * CMD_REPORT_OK, after a one-line message on stderr otherwise. */
int cmd_report_fetch(const char *ep, const struct curve_client *cc, int timeout_ms, uint32_t shifts,
                     struct proto_reply *snap, struct proto_reply *hist);

#endif
