/* Requests out, answers back to whoever asked: the one place that
 * knows about tags. */
#include <stddef.h>

#include "pooltop/app.h"
#include "pooltop/request.h"

/* The client library's per-request callback: this request's answer,
 * and only this one's, comes here. */
static void
request_answer(void *ctx, uint64_t tag, struct proto_reply *rp, enum reqchan_outcome how)
{
	request_dispatch(ctx, tag, rp, how != REQCHAN_NO_ANSWER);
}

int
request_send(struct app *a, struct proto_request *rq, request_done_fn done, uint64_t arg)
{
	struct request_book *b = &a->req;

	for (int i = 0; i < REQUEST_OUT_MAX; i++) {
		if (b->out[i].tag != 0)
			continue;
		/* Tags only grow: a late answer to a forgotten request finds
		 * nobody rather than the wrong somebody. */
		b->out[i].tag = ++b->next_tag;
		if (conn_request(&a->conn, rq, request_answer, a, b->out[i].tag) < 0) {
			b->out[i].tag = 0;
			return -1;
		}
		b->out[i].done = done;
		b->out[i].arg = arg;
		return 0;
	}
	return -1;
}

void
request_dispatch(struct app *a, uint64_t tag, const struct proto_reply *rp, bool answered)
{
	struct request_book *b = &a->req;

	for (int i = 0; i < REQUEST_OUT_MAX; i++) {
		if (b->out[i].tag == 0 || b->out[i].tag != tag)
			continue;
		request_done_fn done = b->out[i].done;
		uint64_t arg = b->out[i].arg;

		b->out[i].tag = 0;
		done(a, arg, rp, answered);
		return;
	}
	if (answered && !rp->ok)
		msg_show(&a->msg, true, "%s", rp->msg);
}
