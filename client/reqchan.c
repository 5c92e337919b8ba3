/*
 * The request channel: ids, callbacks, Lazy Pirate, the framing rule and
 * the hold that keeps a refused read from being asked again at once.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "pooltop/frame.h"
#include "pooltop/now.h"
#include "pooltop/reqchan.h"

/* ------------------------------------------------------------ sockets */

static int
reqchan_socket_open(struct reqchan *r)
{
	int linger = 0;
	int64_t maxmsg = (int64_t)PROTO_REPLY_BYTES_MAX;

	r->sock = zmq_socket(r->zctx, ZMQ_DEALER);
	if (r->sock == NULL)
		return -1;
	/* Linger 0: closing must never wait for a server that is not there. */
	zmq_setsockopt(r->sock, ZMQ_LINGER, &linger, sizeof linger);
	/* A bigger reply is not a reply: libzmq drops the connection before
	 * growing a buffer to its size, and our timeout reopens it. */
	zmq_setsockopt(r->sock, ZMQ_MAXMSGSIZE, &maxmsg, sizeof maxmsg);
	return zmq_connect(r->sock, r->ep);
}

void *
reqchan_socket(const struct reqchan *r)
{
	return r->sock;
}

int
reqchan_open(struct reqchan *r, void *zctx, const char *ep, char *err, size_t errlen)
{
	uint32_t seed = backoff_seed();

	memset(r, 0, sizeof *r);
	r->zctx = zctx;
	snprintf(r->ep, sizeof r->ep, "%s", ep);
	for (int i = 0; i < REQCHAN_MAX; i++)
		proto_buf_init(&r->reqs[i].body);
	for (int op = 0; op < PROTO_OP__COUNT; op++)
		backoff_init(&r->hold[op], REQCHAN_HOLD_MIN_MS, REQCHAN_HOLD_MAX_MS, seed + (uint32_t)op * 7919u);
	backoff_init(&r->spread, 1, 1, seed ^ 0x27d4eb2du);
	/* Ids unique across clients and restarts of this one: the server
	 * keys its move record by id alone. */
	snprintf(r->id_prefix, sizeof r->id_prefix, "%x%04x", (unsigned)(now_real_ms() / 1000),
	         (unsigned)(seed & 0xffff) ^ (unsigned)getpid());
	if (reqchan_socket_open(r) < 0) {
		snprintf(err, errlen, "cannot use endpoint '%s': %s", ep, zmq_strerror(zmq_errno()));
		reqchan_close(r);
		return -1;
	}
	return 0;
}

void
reqchan_close(struct reqchan *r)
{
	if (r->sock)
		zmq_close(r->sock);
	r->sock = NULL;
	for (int i = 0; i < REQCHAN_MAX; i++) {
		proto_buf_free(&r->reqs[i].body);
		r->reqs[i].used = false;
	}
}

/* ------------------------------------------------------------ sending */

/* Reads that a caller may well ask again as soon as they fail. */
static bool
reqchan_holdable(enum proto_op op)
{
	return op == PROTO_OP_SNAPSHOT || op == PROTO_OP_HISTORY || op == PROTO_OP_AUDIT;
}

int64_t
reqchan_held_until(const struct reqchan *r, enum proto_op op, int64_t now)
{
	if ((unsigned)op >= PROTO_OP__COUNT || r->hold_until[op] <= now)
		return 0;
	return r->hold_until[op];
}

static void
reqchan_transmit(struct reqchan *r, struct reqchan_req *q, int64_t now)
{
	q->held = false;
	q->tries++;
	q->deadline = now + q->timeout_ms + backoff_spread(&r->spread, q->spread_ms);
	r->n_sent++;
	zmq_send(r->sock, q->body.data, q->body.len, ZMQ_DONTWAIT);
}

static int
reqchan_queue(struct reqchan *r, struct proto_request *rq, reqchan_fn fn, void *ctx, uint64_t tag,
              int timeout_ms, int tries, int spread_ms)
{
	struct reqchan_req *q = NULL;
	int64_t now = now_mono_ms();

	for (int i = 0; i < REQCHAN_MAX && q == NULL; i++)
		if (!r->reqs[i].used)
			q = &r->reqs[i];
	if (q == NULL)
		return -1;
	snprintf(rq->id, sizeof rq->id, "%s-%llu", r->id_prefix, (unsigned long long)++r->next_id);
	proto_buf_reset(&q->body);
	if (proto_encode_request(&q->body, rq) < 0)
		return -1;
	q->used = true;
	proto_strlcpy(q->id, rq->id, PROTO_REQID_MAX);
	q->op = rq->op;
	q->tag = tag;
	q->fn = fn;
	q->ctx = ctx;
	q->tries = 0;
	q->tries_max = tries > 0 ? tries : 1;
	q->timeout_ms = timeout_ms > 0 ? timeout_ms : 1;
	q->spread_ms = spread_ms;
	if (reqchan_held_until(r, rq->op, now)) {
		q->held = true;
		q->deadline = r->hold_until[rq->op];
	} else {
		reqchan_transmit(r, q, now);
	}
	return 0;
}

int
reqchan_send_with(struct reqchan *r, struct proto_request *rq, reqchan_fn fn, void *ctx, uint64_t tag,
                  int timeout_ms, int tries)
{
	return reqchan_queue(r, rq, fn, ctx, tag, timeout_ms, tries, 0);
}

int
reqchan_send(struct reqchan *r, struct proto_request *rq, reqchan_fn fn, void *ctx, uint64_t tag)
{
	return reqchan_queue(r, rq, fn, ctx, tag, REQCHAN_TIMEOUT_MS, REQCHAN_TRIES, REQCHAN_TIMEOUT_MS / 8);
}

void
reqchan_cancel(struct reqchan *r, uint64_t tag)
{
	for (int i = 0; i < REQCHAN_MAX; i++)
		if (r->reqs[i].used && r->reqs[i].tag == tag)
			r->reqs[i].used = false;
}

const struct reqchan_req *
reqchan_find_tag(const struct reqchan *r, uint64_t tag)
{
	for (int i = 0; i < REQCHAN_MAX; i++)
		if (r->reqs[i].used && r->reqs[i].tag == tag)
			return &r->reqs[i];
	return NULL;
}

bool
reqchan_pending_op(const struct reqchan *r, enum proto_op op)
{
	for (int i = 0; i < REQCHAN_MAX; i++)
		if (r->reqs[i].used && r->reqs[i].op == op)
			return true;
	return false;
}

/* ------------------------------------------------------------ replies */

static void
reqchan_deliver(struct reqchan *r, struct reqchan_req *q, struct proto_reply *rp, enum reqchan_outcome how,
                int64_t now)
{
	reqchan_fn fn = q->fn;
	void *ctx = q->ctx;
	uint64_t tag = q->tag;
	enum proto_op op = q->op;

	q->used = false;
	if (reqchan_holdable(op)) {
		if (how == REQCHAN_ANSWERED && rp->ok) {
			backoff_reset(&r->hold[op]);
			r->hold_until[op] = 0;
		} else {
			int wait = backoff_next(&r->hold[op]);

			/* The first failure waits the floor too: the point is
			 * that an immediate re-ask cannot go out. */
			if (wait == 0)
				wait = backoff_next(&r->hold[op]);
			r->hold_until[op] = now + wait;
		}
	}
	if (fn)
		fn(ctx, tag, rp, how);
}

static void
reqchan_local(struct proto_reply *rp, const struct reqchan_req *q, const char *msg)
{
	memset(rp, 0, sizeof *rp);
	proto_strlcpy(rp->id, q->id, PROTO_REQID_MAX);
	rp->op = q->op;
	rp->err = PROTO_RE_UNAVAILABLE;
	snprintf(rp->msg, sizeof rp->msg, "%s", msg);
}

static struct reqchan_req *
reqchan_find_id(struct reqchan *r, const char *id)
{
	for (int i = 0; i < REQCHAN_MAX; i++)
		if (r->reqs[i].used && !r->reqs[i].held && strcmp(r->reqs[i].id, id) == 0)
			return &r->reqs[i];
	return NULL;
}

static void
reqchan_on_body(struct reqchan *r, const uint8_t *body, size_t len, int64_t now)
{
	char id[PROTO_REQID_MAX + 1];
	struct reqchan_req *q;
	struct proto_reply rp;
	int rc;

	if (proto_peek_id(body, len, id) != PROTO_OK || (q = reqchan_find_id(r, id)) == NULL) {
		r->n_bad_frames++;	/* junk, or a late answer to something settled */
		return;
	}
	rc = proto_decode_reply(body, len, q->op, &rp);
	if (rc != PROTO_OK) {
		char msg[PROTO_TEXT_MAX + 1];

		r->n_bad_frames++;
		snprintf(msg, sizeof msg, "the server's answer could not be read: %s", proto_strerror(rc));
		reqchan_local(&rp, q, msg);
		reqchan_deliver(r, q, &rp, REQCHAN_UNREADABLE, now);
	} else {
		reqchan_deliver(r, q, &rp, REQCHAN_ANSWERED, now);
	}
	proto_reply_free(&rp);
}

void
reqchan_read(struct reqchan *r, int64_t now)
{
	for (int n = 0; n < REQCHAN_DRAIN_MAX && r->sock; n++) {
		zmq_msg_t m;
		int rc = frame_recv_reply(r->sock, &m);

		if (rc == 0) {
			zmq_msg_close(&m);
			return;
		}
		if (rc < 0) {
			r->n_bad_frames++;
			continue;
		}
		reqchan_on_body(r, zmq_msg_data(&m), zmq_msg_size(&m), now);
		zmq_msg_close(&m);
	}
}

/* ------------------------------------------------------------ timers */

void
reqchan_timers(struct reqchan *r, int64_t now)
{
	bool expired = false, todo[REQCHAN_MAX];

	for (int i = 0; i < REQCHAN_MAX; i++) {
		struct reqchan_req *q = &r->reqs[i];

		if (q->used && q->held && now >= q->deadline && r->sock)
			reqchan_transmit(r, q, now);
		else if (q->used && !q->held && now >= q->deadline)
			expired = true;
	}
	if (!expired)
		return;
	/* Lazy Pirate: a fresh socket, the same ids. */
	if (r->sock)
		zmq_close(r->sock);
	r->sock = NULL;
	if (reqchan_socket_open(r) < 0)
		return;
	/* Decided before any callback runs: one may send a new request,
	 * which must not go twice. */
	for (int i = 0; i < REQCHAN_MAX; i++)
		todo[i] = r->reqs[i].used && !r->reqs[i].held;
	for (int i = 0; i < REQCHAN_MAX; i++) {
		struct reqchan_req *q = &r->reqs[i];

		if (!todo[i] || !q->used)
			continue;
		if (now >= q->deadline && q->tries >= q->tries_max) {
			struct proto_reply rp;
			char msg[PROTO_TEXT_MAX + 1];

			snprintf(msg, sizeof msg, "no answer from the server after %d tries; nothing more will be "
			         "sent, but a copy it already got may still take effect", q->tries);
			reqchan_local(&rp, q, msg);
			reqchan_deliver(r, q, &rp, REQCHAN_NO_ANSWER, now);
			proto_reply_free(&rp);
		} else {
			/* Everything in flight went down with the old
			 * socket, expired or not. */
			reqchan_transmit(r, q, now);
		}
	}
}

int64_t
reqchan_next_timer(const struct reqchan *r)
{
	int64_t next = INT64_MAX;

	for (int i = 0; i < REQCHAN_MAX; i++)
		if (r->reqs[i].used && r->reqs[i].deadline < next)
			next = r->reqs[i].deadline;
	return next;
}
