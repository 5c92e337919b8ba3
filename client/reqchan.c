/*
 * The request channel: ids, callbacks, Lazy Pirate, the framing rule and
 * the hold that keeps a refused read from being asked again at once.
 */
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "pooltop/frame.h"
#include "pooltop/now.h"
#include "pooltop/reqchan.h"

/* ------------------------------------------------------------ sockets */

/* 64 bits nobody else can predict. */
static uint64_t
reqchan_random64(void)
{
	uint64_t v = 0;

	if (getrandom(&v, sizeof v, 0) != (ssize_t)sizeof v) {
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		v = ((uint64_t)ts.tv_nsec << 32) ^ (uint64_t)ts.tv_sec ^ ((uint64_t)getpid() << 48);
	}
	return v;
}

static void
reqchan_socket_close(struct reqchan *r)
{
	char why[sizeof r->hs_why];

	/* What the handshake said outlives the socket: a batch command
	 * learns it is refused only after its last try has timed out. */
	if (curve_client_failed(r->mon, r->curve.on, why, sizeof why)) {
		memcpy(r->hs_why, why, sizeof why);
		r->hs_failed = true;
	}
	if (r->sock) {
		if (r->mon)
			zmq_socket_monitor(r->sock, NULL, 0);
		zmq_close(r->sock);
	}
	if (r->mon)
		zmq_close(r->mon);
	r->sock = r->mon = NULL;
}

static int
reqchan_socket_open(struct reqchan *r)
{
	int linger = 0;
	int64_t maxmsg = (int64_t)PROTO_REPLY_BYTES_MAX;
	char err[128];

	r->sock = zmq_socket(r->zctx, ZMQ_DEALER);
	if (r->sock == NULL)
		return -1;
	/* Linger 0: closing must never wait for a server that is not there. */
	zmq_setsockopt(r->sock, ZMQ_LINGER, &linger, sizeof linger);
	/* A bigger reply is not a reply: libzmq drops the connection before
	 * growing a buffer to its size, and our timeout reopens it. */
	zmq_setsockopt(r->sock, ZMQ_MAXMSGSIZE, &maxmsg, sizeof maxmsg);
	if (curve_client_apply(r->sock, &r->curve, err, sizeof err) < 0)
		return -1;
	/* A CURVE server that refuses us sends nothing at all: the
	 * handshake events are the only way to say why. */
	r->mon = curve_client_monitor(r->zctx, r->sock, ++r->mon_gen);
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
	return reqchan_open_keyed(r, zctx, ep, NULL, err, errlen);
}

int
reqchan_open_keyed(struct reqchan *r, void *zctx, const char *ep, const struct curve_client *cc, char *err,
                   size_t errlen)
{
	uint32_t seed = backoff_seed();
	uint64_t r0 = reqchan_random64(), r1 = reqchan_random64();

	memset(r, 0, sizeof *r);
	r->zctx = zctx;
	if (cc != NULL && cc->on)
		r->curve = *cc;
	/* Whose ids these are: the server keeps move ids per instance. */
	snprintf(r->instance, sizeof r->instance, "%016llx%016llx", (unsigned long long)r0,
	         (unsigned long long)r1);
	snprintf(r->ep, sizeof r->ep, "%s", ep);
	for (int i = 0; i < REQCHAN_MAX; i++)
		proto_buf_init(&r->reqs[i].body);
	for (int op = 0; op < PROTO_OP__COUNT; op++)
		backoff_init(&r->hold[op], REQCHAN_HOLD_MIN_MS, REQCHAN_HOLD_MAX_MS, seed + (uint32_t)op * 7919u);
	backoff_init(&r->spread, 1, 1, seed ^ 0x27d4eb2du);
	/* Ids unique across clients and restarts of this one (a server
	 * without instance ids keys its move record by id alone). */
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
	reqchan_socket_close(r);
	memset(&r->curve, 0, sizeof r->curve);
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
	/* Unpredictable: ids are public (audit, agent.moved), and one that
	 * could be guessed could be taken first. */
	snprintf(rq->id, sizeof rq->id, "%s-%llu-%016llx", r->id_prefix, (unsigned long long)++r->next_id,
	         (unsigned long long)reqchan_random64());
	memcpy(rq->client, r->instance, sizeof r->instance);
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
reqchan_set_stream(struct reqchan *r, reqchan_stream_fn fn, void *ctx)
{
	r->on_stream = fn;
	r->stream_ctx = ctx;
}

void
reqchan_read(struct reqchan *r, int64_t now)
{
	for (int n = 0; n < REQCHAN_DRAIN_MAX && r->sock; n++) {
		zmq_msg_t m, topic;
		int rc = frame_recv(r->sock, &m, r->on_stream ? &topic : NULL);

		if (rc == 2) {
			r->on_stream(r->stream_ctx, zmq_msg_data(&topic), zmq_msg_size(&topic), zmq_msg_data(&m),
			             zmq_msg_size(&m), now);
			zmq_msg_close(&topic);
			zmq_msg_close(&m);
			continue;
		}
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
	reqchan_socket_close(r);
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

bool
reqchan_handshake_failed(struct reqchan *r, char *why, size_t len)
{
	if (curve_client_failed(r->mon, r->curve.on, why, len)) {
		r->hs_failed = false;
		return true;
	}
	if (!r->hs_failed)
		return false;
	r->hs_failed = false;
	snprintf(why, len, "%s", r->hs_why);
	return true;
}
