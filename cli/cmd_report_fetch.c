/*
 * cmd_report_fetch: the blocking client of `pooltop report`.  It asks
 * pooltopd for a snapshot and for history, one request at a time on a
 * DEALER.
 *
 * It runs unattended (cron, CI, a shift manager's shell alias), so it
 * must never hang: the whole command has one time budget, and a server
 * that does not answer within it is a one-line error and exit 1.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zmq.h>

#include "cmd_report_int.h"
#include "pooltop/args.h"
#include "pooltop/conn.h"

struct cmd_report_link {
	void *zctx;
	void *sock;              /* DEALER */
	const char *ep;
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

	if (l->sock)
		zmq_close(l->sock);
	l->sock = zmq_socket(l->zctx, ZMQ_DEALER);
	if (l->sock == NULL)
		return -1;
	/* Linger 0: closing must never wait for a server that is not there. */
	zmq_setsockopt(l->sock, ZMQ_LINGER, &linger, sizeof linger);
	zmq_setsockopt(l->sock, ZMQ_MAXMSGSIZE, &maxmsg, sizeof maxmsg);
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
		return args_error(CMD_REPORT_FAIL, CMD_REPORT_PROG, "out of memory");
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
		return args_error(CMD_REPORT_FAIL, CMD_REPORT_PROG, "no answer from %s after %.1f s (is pooltopd running?)",
		                       l->ep, timeout_ms / 1000.0);
	rc = proto_decode_reply(l->reply.data, l->reply.len, rq->op, rp);
	if (rc != PROTO_OK)
		return args_error(CMD_REPORT_FAIL, CMD_REPORT_PROG, "the %s reply from %s does not decode: %s",
		                       proto_op_name(rq->op), l->ep, proto_strerror(rc));
	if (!rp->ok) {
		args_error(CMD_REPORT_FAIL, CMD_REPORT_PROG, "%s refused: %s (%s)", proto_op_name(rq->op),
		                rp->msg[0] ? rp->msg : "no reason given", proto_reply_err_name(rp->err));
		proto_reply_free(rp);
		return CMD_REPORT_FAIL;
	}
	return CMD_REPORT_OK;
}

int
cmd_report_fetch(const char *ep, int timeout_ms, uint32_t shifts, struct proto_reply *snap,
                 struct proto_reply *hist)
{
	struct cmd_report_link l;
	struct proto_request rq;
	int rc;

	memset(&l, 0, sizeof l);
	memset(snap, 0, sizeof *snap);
	memset(hist, 0, sizeof *hist);
	proto_buf_init(&l.reply);
	l.ep = ep;
	l.deadline = conn_mono_ms() + timeout_ms;
	l.zctx = zmq_ctx_new();
	if (l.zctx == NULL) {
		rc = args_error(CMD_REPORT_FAIL, CMD_REPORT_PROG, "cannot start ZeroMQ: %s",
		                zmq_strerror(zmq_errno()));
	} else if (cmd_report_link_socket(&l) != 0) {
		/* zmq_connect only fails on an endpoint it cannot parse or a
		 * transport it lacks: the user's value, not the network. */
		rc = args_error(CMD_REPORT_USAGE, CMD_REPORT_PROG, "cannot use endpoint '%s': %s", l.ep,
		                zmq_strerror(zmq_errno()));
	} else {
		memset(&rq, 0, sizeof rq);
		rq.op = PROTO_OP_SNAPSHOT;
		rc = cmd_report_call(&l, &rq, snap, timeout_ms);
		if (rc == CMD_REPORT_OK && shifts > 0) {
			memset(&rq, 0, sizeof rq);
			rq.op = PROTO_OP_HISTORY;
			rq.shifts = shifts;
			rc = cmd_report_call(&l, &rq, hist, timeout_ms);
			if (rc != CMD_REPORT_OK)
				proto_reply_free(snap);
		}
	}
	cmd_report_link_close(&l);
	return rc;
}
