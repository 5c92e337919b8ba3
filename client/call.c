/*
 * A blocking one-shot call over the request channel.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <zmq.h>

#include "pooltop/call.h"
#include "pooltop/now.h"
#include "pooltop/reqchan.h"

struct call_wait {
	bool done;
	enum reqchan_outcome how;
	struct proto_reply rp;
};

static void
call_done(void *ctx, uint64_t tag, struct proto_reply *rp, enum reqchan_outcome how)
{
	struct call_wait *w = ctx;

	(void)tag;
	w->done = true;
	w->how = how;
	/* Take the reply whole: the channel frees what is left in rp. */
	w->rp = *rp;
	memset(rp, 0, sizeof *rp);
}

/* Poll and turn the channel's wheels until the call is settled. */
static int
call_run(struct reqchan *ch, struct call_wait *w)
{
	while (!w->done) {
		int64_t now = now_mono_ms(), next = reqchan_next_timer(ch);
		zmq_pollitem_t it = { reqchan_socket(ch), 0, ZMQ_POLLIN, 0 };
		long wait = next == INT64_MAX ? 1000 : next > now ? (long)(next - now) : 0;

		if (it.socket && zmq_poll(&it, 1, wait) < 0 && zmq_errno() != EINTR)
			return -1;
		now = now_mono_ms();
		reqchan_read(ch, now);
		if (!w->done)
			reqchan_timers(ch, now);
	}
	return 0;
}

static enum client_call_rc
call_verdict(struct reqchan *ch, const char *ep, const struct proto_request *rq, struct call_wait *w,
             struct proto_reply *rp, int timeout_ms, char *err, size_t errlen)
{
	char why[96];

	switch (w->how) {
	case REQCHAN_NO_ANSWER:
		proto_reply_free(&w->rp);
		/* A CURVE server that refuses us is silent: say why, if the
		 * handshake told. */
		if (reqchan_handshake_failed(ch, why, sizeof why))
			snprintf(err, errlen, "no answer from %s after %.1f s: %s", ep, timeout_ms / 1000.0, why);
		else
			snprintf(err, errlen, "no answer from %s after %.1f s (is pooltopd running?)", ep,
			         timeout_ms / 1000.0);
		return CLIENT_CALL_NO_ANSWER;
	case REQCHAN_UNREADABLE:
		snprintf(err, errlen, "the %s reply from %s does not decode (%s)", proto_op_name(rq->op), ep,
		         w->rp.msg);
		proto_reply_free(&w->rp);
		return CLIENT_CALL_BAD_REPLY;
	case REQCHAN_ANSWERED:
	default:
		break;
	}
	*rp = w->rp;
	if (!rp->ok) {
		snprintf(err, errlen, "%s refused: %s (%s)", proto_op_name(rq->op),
		         rp->msg[0] ? rp->msg : "no reason given", proto_reply_err_name(rp->err));
		return CLIENT_CALL_REFUSED;
	}
	return CLIENT_CALL_OK;
}

enum client_call_rc
client_call(const char *ep, struct proto_request *rq, struct proto_reply *rp, int timeout_ms, int tries,
            char *err, size_t errlen)
{
	return client_call_keyed(ep, NULL, rq, rp, timeout_ms, tries, err, errlen);
}

enum client_call_rc
client_call_keyed(const char *ep, const struct curve_client *cc, struct proto_request *rq, struct proto_reply *rp,
                  int timeout_ms, int tries, char *err, size_t errlen)
{
	struct reqchan ch;
	struct call_wait w;
	enum client_call_rc rc;
	void *zctx;

	memset(rp, 0, sizeof *rp);
	memset(&w, 0, sizeof w);
	if (tries < 1)
		tries = 1;
	if (timeout_ms < tries)
		timeout_ms = tries;
	zctx = zmq_ctx_new();
	if (zctx == NULL) {
		snprintf(err, errlen, "cannot start ZeroMQ: %s", zmq_strerror(zmq_errno()));
		return CLIENT_CALL_FAILED;
	}
	/* zmq_connect only fails on an endpoint it cannot parse or a
	 * transport it lacks: the user's value, not the network. */
	if (reqchan_open_keyed(&ch, zctx, ep, cc, err, errlen) < 0) {
		zmq_ctx_term(zctx);
		return CLIENT_CALL_ENDPOINT;
	}
	if (reqchan_send_with(&ch, rq, call_done, &w, 0, timeout_ms / tries, tries) < 0) {
		snprintf(err, errlen, "the %s request could not be encoded", proto_op_name(rq->op));
		rc = CLIENT_CALL_FAILED;
	} else if (call_run(&ch, &w) < 0) {
		snprintf(err, errlen, "waiting for %s failed: %s", ep, zmq_strerror(zmq_errno()));
		proto_reply_free(&w.rp);
		rc = CLIENT_CALL_FAILED;
	} else {
		rc = call_verdict(&ch, ep, rq, &w, rp, timeout_ms, err, errlen);
	}
	reqchan_close(&ch);
	zmq_ctx_term(zctx);
	return rc;
}
