/*
 * The client side of the protocol: join, stay in step, resync, retry.
 *
 * Joining: subscribe first, buffer the feed, ask for a snapshot, then
 * apply buffered and live events whose seq is past the snapshot's.  Any
 * doubt (a seq gap, another epoch, floor.reset, an event naming what the
 * replica lacks, a silent feed) leads to the same place: buffer again and
 * take a new snapshot.  The replica is only ever changed by floor_apply
 * and floor_from_snapshot: what is shown is what the server said.
 *
 * Requests follow the Lazy Pirate pattern: on a timeout the DEALER is
 * closed (dropping anything queued on it), reopened, and every request in
 * flight is sent again with the same id; the server answers a repeated
 * move id from its record and moves nothing twice.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "pooltop/conn.h"

#define CONN_TAG_SNAPSHOT (CONN_TAG_INTERNAL | 1)
#define CONN_TAG_PING (CONN_TAG_INTERNAL | 2)
#define CONN_TAG_FEED (CONN_TAG_INTERNAL | 3)

static uint64_t conn_random64(void);

int64_t
conn_mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t
conn_real_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

const char *
conn_state_name(enum conn_state s)
{
	static const char *const names[] = { "JOINING", "LIVE", "STALE", "RESYNC", "OFFLINE" };

	return (unsigned)s < sizeof names / sizeof names[0] ? names[s] : "?";
}

static void
conn_set_state(struct conn *c, enum conn_state s, int64_t since_real)
{
	if (c->state == s)
		return;
	c->state = s;
	c->since_real = since_real;
	if (c->hooks.on_state)
		c->hooks.on_state(c->hooks.ctx);
}

/* ------------------------------------------------------------ sockets */

static int
conn_open_req(struct conn *c)
{
	int linger = 0;
	char err[128];

	c->req = zmq_socket(c->zctx, ZMQ_DEALER);
	if (c->req == NULL)
		return -1;
	zmq_setsockopt(c->req, ZMQ_LINGER, &linger, sizeof linger);
	if (curve_client_apply(c->req, &c->curve, err, sizeof err) < 0)
		return -1;
	if (c->mon != NULL)
		zmq_close(c->mon);
	c->mon = curve_client_monitor(c->zctx, c->req, ++c->mon_gen);
	return zmq_connect(c->req, c->requests_ep);
}

static int
conn_open_sub(struct conn *c)
{
	int linger = 0, ivl = 100, ivl_max = 1000, hwm = CONN_RCVHWM;
	int64_t maxmsg = PROTO_EVENT_BYTES_MAX * 2;

	c->sub = zmq_socket(c->zctx, ZMQ_SUB);
	if (c->sub == NULL)
		return -1;
	zmq_setsockopt(c->sub, ZMQ_LINGER, &linger, sizeof linger);
	/* libzmq backs off its own reconnects exponentially up to this; kept
	 * short because the feed must be back as soon as the server is (the
	 * backoff with jitter is on our pings, see conn_timers). */
	zmq_setsockopt(c->sub, ZMQ_RECONNECT_IVL, &ivl, sizeof ivl);
	zmq_setsockopt(c->sub, ZMQ_RECONNECT_IVL_MAX, &ivl_max, sizeof ivl_max);
	/* Bounded: a dashboard that falls behind (a stalled SSH session
	 * blocks its writes) drops at its own queue too, sees the gap and
	 * resyncs, instead of growing without end and lagging further.  A
	 * frame over the size limit cannot be an event. */
	zmq_setsockopt(c->sub, ZMQ_RCVHWM, &hwm, sizeof hwm);
	zmq_setsockopt(c->sub, ZMQ_MAXMSGSIZE, &maxmsg, sizeof maxmsg);
	zmq_setsockopt(c->sub, ZMQ_SUBSCRIBE, PROTO_TOPIC, strlen(PROTO_TOPIC));
	if (c->stream)
		return 0;	/* the feed comes over req; sub stays idle */
	return zmq_connect(c->sub, c->events_ep);
}

int
conn_pollitems(struct conn *c, zmq_pollitem_t items[2])
{
	items[0] = (zmq_pollitem_t){ c->sub, 0, ZMQ_POLLIN, 0 };
	items[1] = (zmq_pollitem_t){ c->req, 0, ZMQ_POLLIN, 0 };
	return 2;
}

/* ------------------------------------------------------------ requests */

static struct conn_request *
conn_find_id(struct conn *c, const char *id)
{
	for (int i = 0; i < CONN_REQUESTS_MAX; i++)
		if (c->reqs[i].used && strcmp(c->reqs[i].id, id) == 0)
			return &c->reqs[i];
	return NULL;
}

static void
conn_transmit(struct conn *c, struct conn_request *r, int64_t now)
{
	r->tries++;
	r->deadline = now + CONN_REQUEST_TIMEOUT_MS;
	zmq_send(c->req, r->body.data, r->body.len, ZMQ_DONTWAIT);
}

int
conn_send(struct conn *c, struct proto_request *rq, uint64_t tag)
{
	struct conn_request *r = NULL;

	for (int i = 0; i < CONN_REQUESTS_MAX && r == NULL; i++)
		if (!c->reqs[i].used)
			r = &c->reqs[i];
	if (r == NULL)
		return -1;
	/* Unpredictable: ids are public (audit, agent.moved), and one that
	 * could be guessed could be taken first. */
	snprintf(rq->id, sizeof rq->id, "%s-%llu-%016llx", c->id_prefix,
	         (unsigned long long)++c->next_id, (unsigned long long)conn_random64());
	/* Whose ids these are: the server keeps move ids per instance. */
	memcpy(rq->client, c->instance, sizeof c->instance);
	proto_buf_reset(&r->body);
	if (proto_encode_request(&r->body, rq) < 0)
		return -1;
	r->used = true;
	proto_strlcpy(r->id, rq->id, PROTO_REQID_MAX);
	r->op = rq->op;
	r->tag = tag;
	r->tries = 0;
	conn_transmit(c, r, conn_mono_ms());
	return 0;
}

void
conn_cancel(struct conn *c, uint64_t tag)
{
	for (int i = 0; i < CONN_REQUESTS_MAX; i++)
		if (c->reqs[i].used && c->reqs[i].tag == tag)
			c->reqs[i].used = false;
}

static bool
conn_pending(const struct conn *c, uint64_t tag)
{
	for (int i = 0; i < CONN_REQUESTS_MAX; i++)
		if (c->reqs[i].used && c->reqs[i].tag == tag)
			return true;
	return false;
}

static void
conn_send_internal(struct conn *c, enum proto_op op, uint64_t tag)
{
	struct proto_request rq;

	if (conn_pending(c, tag))
		return;
	memset(&rq, 0, sizeof rq);
	rq.op = op;
	rq.feed = tag == CONN_TAG_FEED;
	conn_send(c, &rq, tag);
}

/* ------------------------------------------------------------ joining */

static void
conn_resync(struct conn *c, const char *why)
{
	snprintf(c->why, sizeof c->why, "%s", why);
	c->n_buf = 0;
	c->buf_overflow = false;
	c->snapshot_out = true;
	c->n_resyncs++;
	c->snapshot_sent = conn_mono_ms();
	/* Over one socket the server answers in order: the stream is open
	 * (and buffering here) before the snapshot is taken. */
	if (c->stream)
		conn_send_internal(c, PROTO_OP_PING, CONN_TAG_FEED);
	conn_send_internal(c, PROTO_OP_SNAPSHOT, CONN_TAG_SNAPSHOT);
	if (c->state != CONN_OFFLINE && c->state != CONN_STALE)
		conn_set_state(c, c->have_floor ? CONN_RESYNC : CONN_JOINING, conn_real_ms());
}

static void
conn_buffer(struct conn *c, const struct proto_event *ev)
{
	if (c->n_buf == c->cap_buf) {
		uint32_t cap = c->cap_buf ? c->cap_buf * 2 : 256;
		struct proto_event *b;

		if (cap > CONN_BUFFER_MAX) {
			/* The snapshot is taking too long for the feed's
			 * rate; this buffer is useless now, start over when
			 * the snapshot arrives. */
			c->buf_overflow = true;
			return;
		}
		b = realloc(c->buf, cap * sizeof *b);
		if (b == NULL) {
			c->buf_overflow = true;
			return;
		}
		c->buf = b;
		c->cap_buf = cap;
	}
	c->buf[c->n_buf++] = *ev;
}

/* Events per second over the last whole second; a silent second reads
 * zero, whether or not an event comes to roll the window. */
static void
conn_rate_roll(struct conn *c, int64_t now)
{
	if (now - c->rate_start < 1000)
		return;
	c->rate = now - c->rate_start >= 2000 ? 0 :
	          (double)c->rate_count * 1000.0 / (double)(now - c->rate_start);
	c->rate_count = 0;
	c->rate_start = now;
}

static void
conn_count(struct conn *c, int64_t now)
{
	conn_rate_roll(c, now);
	c->rate_count++;
}

/* Apply one event in order; false when the replica must be rebuilt. */
static bool
conn_apply(struct conn *c, const struct proto_event *ev)
{
	char why[96];

	switch (floor_apply(&c->floor, ev, true)) {
	case FLOOR_APPLIED:
		c->n_events++;
		/* The dashboard reads closed shifts from `history`, not from
		 * its replica: keep none, or a wallboard grows by a row per
		 * tenant per shift for weeks. */
		if (ev->type == PROTO_EV_SHIFT_STARTED)
			floor_history_trim(&c->floor, 0);
		if (c->hooks.on_event)
			c->hooks.on_event(c->hooks.ctx, ev);
		return true;
	case FLOOR_IGNORED:
		if (ev->type == PROTO_EV_HB && c->hooks.on_event)
			c->hooks.on_event(c->hooks.ctx, ev);
		return true;
	case FLOOR_RESYNC:
		if (ev->type == PROTO_EV_FLOOR_RESET)
			snprintf(why, sizeof why, "floor reset by the server");
		else if (ev->epoch != c->floor.epoch)
			snprintf(why, sizeof why, "server restarted (epoch %llu)",
			         (unsigned long long)ev->epoch);
		else
			snprintf(why, sizeof why, "missed events %llu-%llu",
			         (unsigned long long)c->floor.seq + 1, (unsigned long long)ev->seq);
		break;
	case FLOOR_REJECTED:
		snprintf(why, sizeof why, "event %llu names something not on this floor",
		         (unsigned long long)ev->seq);
		break;
	}
	conn_resync(c, why);
	conn_buffer(c, ev);
	return false;
}

static void conn_go_offline(struct conn *c, int64_t now);

static void
conn_on_snapshot(struct conn *c, const struct proto_reply *rp)
{
	int64_t now = conn_mono_ms();

	c->snapshot_out = false;
	if (!rp->ok || rp->snapshot == NULL) {
		/* A server that refuses snapshots is as good as gone: back
		 * off and ping, rather than ask again at once. */
		snprintf(c->why, sizeof c->why, "the snapshot was refused: %.60s", rp->msg);
		conn_go_offline(c, now);
		return;
	}
	if (c->buf_overflow) {
		conn_resync(c, "the feed outran the snapshot");
		return;
	}
	if (floor_from_snapshot(&c->floor, rp->snapshot) < 0) {
		snprintf(c->why, sizeof c->why, "the snapshot did not make a floor");
		conn_go_offline(c, now);
		return;
	}
	c->have_floor = true;
	c->n_snapshots++;
	/* Staleness counts from here, or a feed that reconnects a moment
	 * after the request socket would look silent; but LIVE waits for the
	 * feed itself to speak, so a dead feed is never shown as live. */
	c->alive = now;
	if (c->last_msg >= c->snapshot_sent) {
		conn_set_state(c, CONN_LIVE, conn_real_ms());
	} else {
		snprintf(c->why, sizeof c->why, "snapshot in, waiting for the feed");
		conn_set_state(c, CONN_RESYNC, conn_real_ms());
	}
	if (c->hooks.on_state)
		c->hooks.on_state(c->hooks.ctx);
	/* Buffered events at or before the snapshot's seq are IGNORED by
	 * floor_apply; a gap after it starts the dance again. */
	for (uint32_t i = 0; i < c->n_buf; i++)
		if (!conn_apply(c, &c->buf[i]))
			return;
	c->n_buf = 0;
}

/* ------------------------------------------------------------ feed */

static void
conn_on_feed(struct conn *c, const uint8_t *topic, size_t tlen, const uint8_t *body, size_t blen,
             int64_t now)
{
	struct proto_event ev;

	if (tlen != strlen(PROTO_TOPIC) || memcmp(topic, PROTO_TOPIC, tlen) != 0 ||
	    blen > PROTO_EVENT_BYTES_MAX || proto_decode_event(body, blen, &ev) != PROTO_OK) {
		c->n_bad_frames++;
		return;
	}
	c->last_msg = now;
	c->last_msg_real = conn_real_ms();
	c->alive = now;
	if (c->state == CONN_OFFLINE) {
		/* The feed is back but requests were not: ask with a ping
		 * (answered, it leads to a snapshot) rather than flip states
		 * on every event while the request side is still dead. */
		if (!conn_pending(c, CONN_TAG_PING))
			conn_send_internal(c, PROTO_OP_PING, CONN_TAG_PING);
	} else if (c->state == CONN_STALE) {
		/* The feed is back; the replica may be behind by anything. */
		conn_set_state(c, CONN_RESYNC, c->last_msg_real);
		if (!c->snapshot_out)
			conn_resync(c, "the feed came back");
	} else if (c->state == CONN_RESYNC && !c->snapshot_out && c->have_floor) {
		conn_set_state(c, CONN_LIVE, c->last_msg_real);
	}
	if (ev.type != PROTO_EV_HB)
		conn_count(c, now);
	if (c->snapshot_out || !c->have_floor) {
		conn_buffer(c, &ev);
		return;
	}
	conn_apply(c, &ev);
}

static void
conn_read_feed(struct conn *c, int64_t now)
{
	for (int n = 0; n < CONN_DRAIN_MAX; n++) {
		zmq_msg_t topic, body;
		int more = 0;
		size_t ml = sizeof more;

		zmq_msg_init(&topic);
		if (zmq_msg_recv(&topic, c->sub, ZMQ_DONTWAIT) < 0) {
			zmq_msg_close(&topic);
			return;
		}
		zmq_getsockopt(c->sub, ZMQ_RCVMORE, &more, &ml);
		if (!more) {
			c->n_bad_frames++;
			zmq_msg_close(&topic);
			continue;
		}
		zmq_msg_init(&body);
		zmq_msg_recv(&body, c->sub, 0);
		zmq_getsockopt(c->sub, ZMQ_RCVMORE, &more, &ml);
		if (more) {
			/* Three frames or more is not an event: drain it. */
			c->n_bad_frames++;
			while (more) {
				zmq_msg_t junk;
				zmq_msg_init(&junk);
				zmq_msg_recv(&junk, c->sub, 0);
				zmq_msg_close(&junk);
				zmq_getsockopt(c->sub, ZMQ_RCVMORE, &more, &ml);
			}
		} else {
			conn_on_feed(c, zmq_msg_data(&topic), zmq_msg_size(&topic), zmq_msg_data(&body),
			             zmq_msg_size(&body), now);
		}
		zmq_msg_close(&topic);
		zmq_msg_close(&body);
	}
}

/* ------------------------------------------------------------ replies */

static void
conn_deliver(struct conn *c, struct conn_request *r, const struct proto_reply *rp, bool answered)
{
	uint64_t tag = r->tag;

	r->used = false;
	if (tag == CONN_TAG_SNAPSHOT) {
		conn_on_snapshot(c, rp);
	} else if (tag == CONN_TAG_FEED) {
		if (!rp->ok)
			snprintf(c->why, sizeof c->why, "no event stream: %.70s", rp->msg);
	} else if (tag == CONN_TAG_PING) {
		if (rp->ok && c->state == CONN_OFFLINE) {
			c->backoff_ms = 0;
			conn_set_state(c, CONN_RESYNC, conn_real_ms());
			conn_resync(c, "the server answers again");
		}
	} else if (c->hooks.on_reply) {
		c->hooks.on_reply(c->hooks.ctx, tag, rp, answered);
	}
}

static void
conn_on_reply(struct conn *c, const uint8_t *body, size_t len)
{
	char id[PROTO_REQID_MAX + 1];
	struct conn_request *r;
	struct proto_reply rp;

	if (proto_peek_id(body, len, id) != PROTO_OK || (r = conn_find_id(c, id)) == NULL) {
		c->n_bad_frames++;	/* junk, or a late answer to something settled */
		return;
	}
	if (proto_decode_reply(body, len, r->op, &rp) != PROTO_OK) {
		c->n_bad_frames++;
		memset(&rp, 0, sizeof rp);
		proto_strlcpy(rp.id, id, PROTO_REQID_MAX);
		rp.op = r->op;
		rp.err = PROTO_RE_UNAVAILABLE;
		snprintf(rp.msg, sizeof rp.msg, "the server's answer could not be read");
	}
	conn_deliver(c, r, &rp, true);
	proto_reply_free(&rp);
}

/* Two frames on the request socket are an event of our stream: read the
 * second and take it as the feed.  false when there are more. */
static bool
conn_read_stream(struct conn *c, zmq_msg_t *topic, int64_t now)
{
	zmq_msg_t body;
	int more = 0;
	size_t ml = sizeof more;

	zmq_msg_init(&body);
	zmq_msg_recv(&body, c->req, 0);
	zmq_getsockopt(c->req, ZMQ_RCVMORE, &more, &ml);
	if (!more)
		conn_on_feed(c, zmq_msg_data(topic), zmq_msg_size(topic), zmq_msg_data(&body),
		             zmq_msg_size(&body), now);
	zmq_msg_close(&body);
	return !more;
}

static void
conn_read_replies(struct conn *c, int64_t now)
{
	for (int n = 0; n < CONN_DRAIN_MAX; n++) {
		zmq_msg_t m;
		int more = 0;
		size_t ml = sizeof more;

		zmq_msg_init(&m);
		if (zmq_msg_recv(&m, c->req, ZMQ_DONTWAIT) < 0) {
			zmq_msg_close(&m);
			return;
		}
		zmq_getsockopt(c->req, ZMQ_RCVMORE, &more, &ml);
		if (more && c->stream && conn_read_stream(c, &m, now)) {
			zmq_msg_close(&m);
			continue;
		}
		if (more) {
			c->n_bad_frames++;
			while (more) {
				zmq_msg_t junk;
				zmq_msg_init(&junk);
				zmq_msg_recv(&junk, c->req, 0);
				zmq_msg_close(&junk);
				zmq_getsockopt(c->req, ZMQ_RCVMORE, &more, &ml);
			}
		} else {
			conn_on_reply(c, zmq_msg_data(&m), zmq_msg_size(&m));
		}
		zmq_msg_close(&m);
	}
}

/* ------------------------------------------------------------ timers */

static void
conn_fail(struct conn *c, struct conn_request *r)
{
	struct proto_reply rp;

	memset(&rp, 0, sizeof rp);
	proto_strlcpy(rp.id, r->id, PROTO_REQID_MAX);
	rp.op = r->op;
	rp.err = PROTO_RE_UNAVAILABLE;
	snprintf(rp.msg, sizeof rp.msg, "no answer from the server after %d tries; nothing more will be "
	         "sent, but a copy it already got may still take effect", CONN_REQUEST_TRIES);
	conn_deliver(c, r, &rp, false);
}

static int
conn_jitter(struct conn *c, int ms)
{
	uint32_t x = c->jitter;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	c->jitter = x;
	/* +-25 %, so a floor of dashboards does not reconnect in step. */
	return ms * 3 / 4 + (int)(x % (uint32_t)(ms / 2 + 1));
}

static void
conn_go_offline(struct conn *c, int64_t now)
{
	if (c->state != CONN_OFFLINE) {
		conn_set_state(c, CONN_OFFLINE, c->last_msg_real ? c->last_msg_real : conn_real_ms());
		c->backoff_ms = CONN_BACKOFF_MIN_MS;
	}
	c->snapshot_out = false;
	c->next_ping = now + conn_jitter(c, c->backoff_ms);
}

static void
conn_timeouts(struct conn *c, int64_t now)
{
	bool expired = false;

	for (int i = 0; i < CONN_REQUESTS_MAX; i++)
		if (c->reqs[i].used && now >= c->reqs[i].deadline)
			expired = true;
	if (!expired)
		return;
	/* Lazy Pirate: a fresh socket, the same ids. */
	zmq_close(c->req);
	c->req = NULL;
	if (conn_open_req(c) < 0)
		return;
	for (int i = 0; i < CONN_REQUESTS_MAX; i++) {
		struct conn_request *r = &c->reqs[i];

		if (!r->used)
			continue;
		if (now >= r->deadline && r->tries >= CONN_REQUEST_TRIES) {
			if (r->tag & CONN_TAG_INTERNAL) {
				/* The server is gone: ping with backoff
				 * rather than hammer it with snapshots. */
				r->used = false;
				conn_go_offline(c, now);
			} else {
				conn_fail(c, r);
			}
		} else {
			/* Everything in flight went down with the old
			 * socket, expired or not. */
			conn_transmit(c, r, now);
		}
	}
}

static void
conn_timers(struct conn *c, int64_t now)
{
	conn_timeouts(c, now);
	conn_rate_roll(c, now);
	if ((c->state == CONN_LIVE || c->state == CONN_RESYNC) && now - c->alive >= CONN_STALE_MS) {
		conn_set_state(c, CONN_STALE, c->last_msg_real);
		if (!c->snapshot_out)
			conn_resync(c, "no heartbeat for 3 s");
	}
	if (c->state == CONN_JOINING && !c->snapshot_out && !conn_pending(c, CONN_TAG_PING))
		conn_go_offline(c, now);
	if (c->state == CONN_OFFLINE && now >= c->next_ping && !conn_pending(c, CONN_TAG_PING)) {
		conn_send_internal(c, PROTO_OP_PING, CONN_TAG_PING);
		c->backoff_ms *= 2;
		if (c->backoff_ms > CONN_BACKOFF_MAX_MS)
			c->backoff_ms = CONN_BACKOFF_MAX_MS;
		c->next_ping = now + conn_jitter(c, c->backoff_ms);
	}
}

void
conn_handle(struct conn *c, int64_t now)
{
	char why[96];

	conn_read_feed(c, now);
	conn_read_replies(c, now);
	if (curve_client_failed(c->mon, c->curve.on, why, sizeof why))
		snprintf(c->why, sizeof c->why, "%s", why);
	conn_timers(c, now);
}

long
conn_timeout(const struct conn *c, int64_t now)
{
	int64_t next = now + 1000;

	for (int i = 0; i < CONN_REQUESTS_MAX; i++)
		if (c->reqs[i].used && c->reqs[i].deadline < next)
			next = c->reqs[i].deadline;
	if ((c->state == CONN_LIVE || c->state == CONN_RESYNC) && c->alive + CONN_STALE_MS < next)
		next = c->alive + CONN_STALE_MS;
	/* A ping in flight has its own deadline above; waking for next_ping
	 * meanwhile would only spin. */
	if (c->state == CONN_OFFLINE && !conn_pending(c, CONN_TAG_PING) && c->next_ping < next)
		next = c->next_ping;
	return next > now ? (long)(next - now) : 0;
}

/* ------------------------------------------------------------ open/close */

/* 64 bits nobody else can predict. */
static uint64_t
conn_random64(void)
{
	uint64_t v = 0;

	if (getrandom(&v, sizeof v, 0) != (ssize_t)sizeof v) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		v = ((uint64_t)ts.tv_nsec << 32) ^ (uint64_t)ts.tv_sec ^ ((uint64_t)getpid() << 48);
	}
	return v;
}

int
conn_open(struct conn *c, const char *events_ep, const char *requests_ep,
          const struct conn_hooks *hooks, char *err, size_t errlen)
{
	return conn_open_keyed(c, events_ep, requests_ep, hooks, NULL, err, errlen);
}

int
conn_open_keyed(struct conn *c, const char *events_ep, const char *requests_ep,
                const struct conn_hooks *hooks, const struct curve_client *cc, char *err,
                size_t errlen)
{
	uint64_t r0, r1;

	memset(c, 0, sizeof *c);
	if (cc != NULL && cc->on) {
		c->curve = *cc;
		c->stream = true;
	}
	r0 = conn_random64();
	r1 = conn_random64();
	snprintf(c->instance, sizeof c->instance, "%016llx%016llx", (unsigned long long)r0,
	         (unsigned long long)r1);
	floor_init(&c->floor);
	snprintf(c->events_ep, sizeof c->events_ep, "%s", events_ep);
	snprintf(c->requests_ep, sizeof c->requests_ep, "%s", requests_ep);
	if (hooks)
		c->hooks = *hooks;
	for (int i = 0; i < CONN_REQUESTS_MAX; i++)
		proto_buf_init(&c->reqs[i].body);
	c->jitter = (uint32_t)conn_real_ms() ^ ((uint32_t)getpid() << 16) ^ 0x9e3779b9u;
	if (c->jitter == 0)
		c->jitter = 1;
	/* Ids unique across dashboards and restarts of this one: the server
	 * keys its move record by id alone. */
	snprintf(c->id_prefix, sizeof c->id_prefix, "%x%04x", (unsigned)(conn_real_ms() / 1000),
	         (unsigned)(conn_jitter(c, 65536) & 0xffff) ^ (unsigned)getpid());
	c->zctx = zmq_ctx_new();
	if (c->zctx == NULL || conn_open_sub(c) < 0 || conn_open_req(c) < 0) {
		snprintf(err, errlen, "cannot connect to %s / %s: %s", events_ep, requests_ep,
		         zmq_strerror(zmq_errno()));
		conn_close(c);
		return -1;
	}
	c->state = CONN_JOINING;
	c->since_real = conn_real_ms();
	c->last_msg = conn_mono_ms();
	c->alive = c->last_msg;
	c->rate_start = c->last_msg;
	conn_resync(c, "joining");
	c->n_resyncs = 0;
	return 0;
}

void
conn_close(struct conn *c)
{
	if (c->mon)
		zmq_close(c->mon);
	c->mon = NULL;
	if (c->sub)
		zmq_close(c->sub);
	if (c->req)
		zmq_close(c->req);
	if (c->zctx)
		zmq_ctx_term(c->zctx);
	c->sub = c->req = c->zctx = NULL;
	for (int i = 0; i < CONN_REQUESTS_MAX; i++)
		proto_buf_free(&c->reqs[i].body);
	free(c->buf);
	c->buf = NULL;
	floor_free(&c->floor);
}
