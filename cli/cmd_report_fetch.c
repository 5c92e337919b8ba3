/*
 * cmd_report_fetch: what `pooltop report` asks pooltopd — a snapshot and
 * the history — through the client library's one blocking call
 * (pooltop/call.h: the same framing rule, ids and Lazy Pirate retries as
 * every other client).
 *
 * It runs unattended (cron, CI, a shift manager's shell alias), so it
 * must never hang: the whole command has one time budget, shared by its
 * requests, and a server that does not answer within it is a one-line
 * error and exit 1.
 */
#include <string.h>

#include "cmd_report_int.h"
#include "pooltop/args.h"
#include "pooltop/call.h"
#include "pooltop/now.h"

/* One request within what is left of the budget; an exit status, and rp
 * filled only on CMD_REPORT_OK. */
static int
cmd_report_call(const char *ep, const struct curve_client *cc, int64_t deadline, struct proto_request *rq,
                struct proto_reply *rp)
{
	char err[512];
	int64_t left = deadline - now_mono_ms();
	enum client_call_rc rc;

	if (left < 1)
		left = 1;
	rc = client_call_keyed(ep, cc, rq, rp, (int)left, 2, err, sizeof err);
	switch (rc) {
	case CLIENT_CALL_OK:
		return CMD_REPORT_OK;
	case CLIENT_CALL_REFUSED:
		proto_reply_free(rp);
		return args_error(CMD_REPORT_FAIL, CMD_REPORT_PROG, "%s", err);
	case CLIENT_CALL_ENDPOINT:
		return args_error(CMD_REPORT_USAGE, CMD_REPORT_PROG, "%s", err);
	default:
		return args_error(CMD_REPORT_FAIL, CMD_REPORT_PROG, "%s", err);
	}
}

int
cmd_report_fetch(const char *ep, const struct curve_client *cc, int timeout_ms, uint32_t shifts,
                 struct proto_reply *snap, struct proto_reply *hist)
{
	int64_t deadline = now_mono_ms() + timeout_ms;
	struct proto_request rq;
	int rc;

	memset(snap, 0, sizeof *snap);
	memset(hist, 0, sizeof *hist);
	memset(&rq, 0, sizeof rq);
	rq.op = PROTO_OP_SNAPSHOT;
	rc = cmd_report_call(ep, cc, deadline, &rq, snap);
	if (rc == CMD_REPORT_OK && shifts > 0) {
		memset(&rq, 0, sizeof rq);
		rq.op = PROTO_OP_HISTORY;
		rq.shifts = shifts;
		rc = cmd_report_call(ep, cc, deadline, &rq, hist);
		if (rc != CMD_REPORT_OK)
			proto_reply_free(snap);
	}
	return rc;
}
