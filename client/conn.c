/*
 * The client side of the protocol: join, stay in step, resync, retry.
 *
 * Joining: subscribe first, buffer the feed, ask for a snapshot, then
 * apply buffered and live events whose seq is past the snapshot's.  Any
 * doubt (a seq gap, another epoch, floor.reset, an event naming what the
 * replica lacks, a feed that stays behind the snapshot, a silent feed)
 * leads to the same place: take a new snapshot and buffer meanwhile.  The
 * replica is only ever changed by floor_apply and floor_from_snapshot:
 * what is shown is what the server said.
 *
 * Doubt is paced: the first snapshot after a settled spell goes at once,
 * the next ones wait a jittered backoff, so a publisher that flaps its
 * epoch or sends floor.reset in a loop costs a few requests a second at
 * most.  The event that caused a resync is never buffered: the snapshot,
 * asked after it arrived, already holds it (replaying a floor.reset after
 * the snapshot it asked for was a loop of ~370 snapshots a second).
 *
 * LIVE means the feed is in step with the replica: a feed message of the
 * replica's epoch at or past its seq since the snapshot.  A feed behind
 * its snapshot (or a heartbeat whose seq went back) is RESYNC, not LIVE,
 * because its events are being thrown away; STALE, once shown, stays
 * until the feed itself speaks, whatever the request side answers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pooltop/conn.h"
#include "pooltop/now.h"

/* The connection's own requests (callers' tags are theirs). */
#define CONN_TAG_SNAPSHOT (UINT64_MAX - 1)
#define CONN_TAG_PING (UINT64_MAX - 2)
#define CONN_TAG_FEED (UINT64_MAX - 3)

int64_t
conn_mono_ms(void)
{
	return now_mono_ms();
}

int64_t
conn_real_ms(void)
{
	return now_real_ms();
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
	c->live_since = s == CONN_LIVE ? now_mono_ms() : 0;
	if (c->hooks.on_state)
		c->hooks.on_state(c->hooks.ctx);
}

int
conn_pollitems(struct conn *c, zmq_pollitem_t items[2])
{
	/* With a stream there is no SUB: the request socket twice (a NULL
	 * socket would be poll's fd 0). */
	items[0] = (zmq_pollitem_t){ c->stream ? reqchan_socket(&c->rq) : feed_socket(&c->feed), 0, ZMQ_POLLIN, 0 };
	items[1] = (zmq_pollitem_t){ reqchan_socket(&c->rq), 0, ZMQ_POLLIN, 0 };
	return 2;
}

/* ------------------------------------------------------------ requests */

static void
conn_tag_reply(void *ctx, uint64_t tag, struct proto_reply *rp, enum reqchan_outcome how)
{
	struct conn *c = ctx;

	if (c->hooks.on_reply)
		c->hooks.on_reply(c->hooks.ctx, tag, rp, how != REQCHAN_NO_ANSWER);
}

int
conn_request(struct conn *c, struct proto_request *rq, reqchan_fn fn, void *ctx, uint64_t tag)
{
	return reqchan_send(&c->rq, rq, fn, ctx, tag);
}

int
conn_send(struct conn *c, struct proto_request *rq, uint64_t tag)
{
	return conn_request(c, rq, conn_tag_reply, c, tag);
}

void
conn_cancel(struct conn *c, uint64_t tag)
{
	reqchan_cancel(&c->rq, tag);
}

static bool
conn_pending(const struct conn *c, uint64_t tag)
{
	return reqchan_find_tag(&c->rq, tag) != NULL;
}

/* ------------------------------------------------------------ joining */

static void conn_on_snapshot(void *ctx, uint64_t tag, struct proto_reply *rp, enum reqchan_outcome how);
static void conn_on_ping(void *ctx, uint64_t tag, struct proto_reply *rp, enum reqchan_outcome how);
static void conn_on_stream_open(void *ctx, uint64_t tag, struct proto_reply *rp, enum reqchan_outcome how);

static void
conn_ask(struct conn *c, enum proto_op op, reqchan_fn fn, uint64_t tag)
{
	struct proto_request rq;

	memset(&rq, 0, sizeof rq);
	rq.op = op;
	rq.feed = tag == CONN_TAG_FEED;
	if (!conn_pending(c, tag))
		conn_request(c, &rq, fn, c, tag);
}

/* The snapshot goes now: buffer from here (events before it are in it). */
static void
conn_ask_snapshot(struct conn *c, int64_t now)
{
	c->snapshot_due = 0;
	c->snapshot_sent = now;
	c->n_buf = 0;
	c->buf_overflow = false;
	c->feed_heard = false;
	/* Over one socket the server answers in order: the stream is open
	 * (and buffering here) before the snapshot is taken.  Opening it
	 * again is harmless; a reopened socket needs it. */
	if (c->stream)
		conn_ask(c, PROTO_OP_PING, conn_on_stream_open, CONN_TAG_FEED);
	conn_ask(c, PROTO_OP_SNAPSHOT, conn_on_snapshot, CONN_TAG_SNAPSHOT);
	if (!conn_pending(c, CONN_TAG_SNAPSHOT))
		c->snapshot_due = now + CONN_SNAP_MIN_MS;   /* every slot busy: soon */
}

static void
conn_resync(struct conn *c, const char *why)
{
	int64_t now = now_mono_ms();

	snprintf(c->why, sizeof c->why, "%s", why);
	c->n_resyncs++;
	if (!c->snapshot_out) {
		int wait;

		if (c->state == CONN_LIVE && now - c->live_since >= CONN_SETTLED_MS)
			backoff_reset(&c->snap_backoff);
		wait = backoff_next(&c->snap_backoff);
		c->snapshot_out = true;
		c->n_buf = 0;
		c->buf_overflow = false;
		if (wait == 0)
			conn_ask_snapshot(c, now);
		else
			c->snapshot_due = now + wait;
	}
	if (c->state != CONN_OFFLINE && c->state != CONN_STALE)
		conn_set_state(c, c->have_floor ? CONN_RESYNC : CONN_JOINING, now_real_ms());
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
conn_remember(struct conn *c, const struct proto_event *ev)
{
	c->seen[c->seen_head] = (struct conn_seen_ev){ ev->epoch, ev->seq, (uint8_t)ev->type };
	c->seen_head = (c->seen_head + 1) % CONN_SEEN_MAX;
	if (c->n_seen < CONN_SEEN_MAX)
		c->n_seen++;
}

/* Apply one event in order; false when the replica must be rebuilt. */
static bool
conn_apply(struct conn *c, const struct proto_event *ev)
{
	char why[96];

	/* A reset the snapshot already reflects asks for nothing more. */
	if (ev->type == PROTO_EV_FLOOR_RESET && ev->epoch == c->floor.epoch && ev->seq <= c->floor.seq)
		return true;
	switch (floor_apply(&c->floor, ev, true)) {
	case FLOOR_APPLIED:
		c->n_events++;
		conn_remember(c, ev);
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
	default:
		snprintf(why, sizeof why, "event %llu names something not on this floor",
		         (unsigned long long)ev->seq);
		break;
	}
	conn_resync(c, why);
	return false;
}

/* LIVE or RESYNC, from where the feed is against the replica. */
static void
conn_settle(struct conn *c, int64_t now)
{
	if (!c->have_floor || c->snapshot_out || c->state == CONN_OFFLINE || c->state == CONN_STALE)
		return;
	if (c->feed_heard && c->feed_epoch == c->floor.epoch && c->feed_seq >= c->floor.seq) {
		c->behind_since = 0;
		conn_set_state(c, CONN_LIVE, now_real_ms());
		if (now - c->feed.opened_at >= CONN_SETTLED_MS)
			feed_settled(&c->feed);
		return;
	}
	if (!c->feed_heard) {
		/* Staleness counts from the snapshot, or a feed that
		 * reconnects a moment after the request socket would look
		 * silent; but a dead feed is never shown as live. */
		snprintf(c->why, sizeof c->why, "snapshot in, waiting for the feed");
	} else {
		snprintf(c->why, sizeof c->why, "the feed is behind the snapshot (seq %llu of %llu)",
		         (unsigned long long)c->feed_seq, (unsigned long long)c->floor.seq);
		if (c->behind_since == 0)
			c->behind_since = now;
	}
	conn_set_state(c, CONN_RESYNC, now_real_ms());
}

static void conn_go_offline(struct conn *c, int64_t now);

static void
conn_on_snapshot(void *ctx, uint64_t tag, struct proto_reply *rp, enum reqchan_outcome how)
{
	struct conn *c = ctx;
	int64_t now = now_mono_ms();

	(void)tag;
	c->snapshot_out = false;
	c->snapshot_due = 0;
	if (how == REQCHAN_NO_ANSWER) {
		/* The server is gone: ping with backoff rather than hammer
		 * it with snapshots. */
		conn_go_offline(c, now);
		return;
	}
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
	c->alive = now;
	c->behind_since = 0;
	/* Buffered events at or before the snapshot's seq are IGNORED by
	 * floor_apply; a gap after it starts the dance again. */
	for (uint32_t i = 0; i < c->n_buf; i++)
		if (!conn_apply(c, &c->buf[i]))
			break;
	c->n_buf = 0;
	conn_settle(c, now);
	if (c->hooks.on_state)
		c->hooks.on_state(c->hooks.ctx);
}

/* ------------------------------------------------------------ feed */

static void
conn_on_feed(struct conn *c, const struct proto_event *ev, int64_t now)
{
	c->last_msg = now;
	c->last_msg_real = now_real_ms();
	c->alive = now;
	c->feed_heard = true;
	c->feed_epoch = ev->epoch;
	c->feed_seq = ev->seq;
	if (c->state == CONN_OFFLINE) {
		/* The feed is back but requests were not: ask with a ping
		 * (answered, it leads to a snapshot) rather than flip states
		 * on every event while the request side is still dead. */
		conn_ask(c, PROTO_OP_PING, conn_on_ping, CONN_TAG_PING);
	} else if (c->state == CONN_STALE) {
		/* The feed is back; whether the replica missed anything the
		 * next seq or heartbeat says. */
		snprintf(c->why, sizeof c->why, "the feed came back");
		conn_set_state(c, CONN_RESYNC, c->last_msg_real);
	}
	if (ev->type != PROTO_EV_HB) {
		conn_rate_roll(c, now);
		c->rate_count++;
	}
	if (c->snapshot_out) {
		/* Before the snapshot is asked its reply will hold this
		 * event; after, it may or may not. */
		if (c->snapshot_due == 0)
			conn_buffer(c, ev);
		return;
	}
	if (!c->have_floor)
		return;
	conn_apply(c, ev);
}

/* A message of our stream over the request socket (keys). */
static void
conn_on_stream(void *ctx, const void *topic, size_t tlen, const void *body, size_t blen, int64_t now)
{
	struct conn *c = ctx;
	struct proto_event ev;

	if (feed_decode(topic, tlen, body, blen, &ev) == 1)
		conn_on_feed(c, &ev, now);
	else
		c->rq.n_bad_frames++;
}

static void
conn_on_stream_open(void *ctx, uint64_t tag, struct proto_reply *rp, enum reqchan_outcome how)
{
	struct conn *c = ctx;

	(void)tag;
	if (how == REQCHAN_ANSWERED && !rp->ok)
		snprintf(c->why, sizeof c->why, "no event stream: %.70s", rp->msg);
}

static void
conn_read_feed(struct conn *c, int64_t now)
{
	struct proto_event ev;

	for (int n = 0; n < CONN_DRAIN_MAX && feed_next(&c->feed, &ev) == 1; n++)
		conn_on_feed(c, &ev, now);
}

/* ------------------------------------------------------------ timers */

static void
conn_go_offline(struct conn *c, int64_t now)
{
	if (c->state != CONN_OFFLINE) {
		conn_set_state(c, CONN_OFFLINE, c->last_msg_real ? c->last_msg_real : now_real_ms());
		backoff_reset(&c->ping_backoff);
		backoff_next(&c->ping_backoff);
	}
	c->snapshot_out = false;
	c->snapshot_due = 0;
	c->next_ping = now + backoff_next(&c->ping_backoff);
}

static void
conn_on_ping(void *ctx, uint64_t tag, struct proto_reply *rp, enum reqchan_outcome how)
{
	struct conn *c = ctx;

	(void)tag;
	if (how == REQCHAN_ANSWERED && rp->ok && c->state == CONN_OFFLINE) {
		/* Staleness counts from here, as from a snapshot: the feed
		 * gets its 3 s to speak. */
		c->alive = now_mono_ms();
		conn_set_state(c, CONN_RESYNC, now_real_ms());
		conn_resync(c, "the server answers again");
	}
}

static void
conn_timers(struct conn *c, int64_t now)
{
	reqchan_timers(&c->rq, now);
	feed_timers(&c->feed, now);
	conn_rate_roll(c, now);
	if (c->snapshot_out && c->snapshot_due && now >= c->snapshot_due)
		conn_ask_snapshot(c, now);
	if ((c->state == CONN_LIVE || c->state == CONN_RESYNC) && now - c->alive >= CONN_STALE_MS) {
		conn_set_state(c, CONN_STALE, c->last_msg_real);
		if (!c->snapshot_out)
			conn_resync(c, "no heartbeat for 3 s");
	}
	if (c->state == CONN_RESYNC && !c->snapshot_out && c->behind_since &&
	    now - c->behind_since >= CONN_BEHIND_MS)
		conn_resync(c, "the feed stayed behind the snapshot");
	if (c->state == CONN_JOINING && !c->snapshot_out && !conn_pending(c, CONN_TAG_PING))
		conn_go_offline(c, now);
	if (c->state == CONN_OFFLINE && now >= c->next_ping && !conn_pending(c, CONN_TAG_PING)) {
		conn_ask(c, PROTO_OP_PING, conn_on_ping, CONN_TAG_PING);
		c->next_ping = now + backoff_next(&c->ping_backoff);
	}
}

void
conn_handle(struct conn *c, int64_t now)
{
	char why[96];

	conn_read_feed(c, now);
	reqchan_read(&c->rq, now);
	if (reqchan_handshake_failed(&c->rq, why, sizeof why))
		snprintf(c->why, sizeof c->why, "%s", why);
	conn_timers(c, now);
	conn_settle(c, now);
	c->n_bad_frames = c->feed.n_bad_frames + c->rq.n_bad_frames;
}

long
conn_timeout(const struct conn *c, int64_t now)
{
	int64_t next = now + 1000, t;

	if ((t = reqchan_next_timer(&c->rq)) < next)
		next = t;
	if ((t = feed_next_timer(&c->feed)) < next)
		next = t;
	if (c->snapshot_out && c->snapshot_due && c->snapshot_due < next)
		next = c->snapshot_due;
	if ((c->state == CONN_LIVE || c->state == CONN_RESYNC) && c->alive + CONN_STALE_MS < next)
		next = c->alive + CONN_STALE_MS;
	if (c->state == CONN_RESYNC && c->behind_since && c->behind_since + CONN_BEHIND_MS < next)
		next = c->behind_since + CONN_BEHIND_MS;
	/* A ping in flight has its own deadline above; waking for next_ping
	 * meanwhile would only spin. */
	if (c->state == CONN_OFFLINE && !conn_pending(c, CONN_TAG_PING) && c->next_ping < next)
		next = c->next_ping;
	return next > now ? (long)(next - now) : 0;
}

/* ------------------------------------------------------------ questions */

void
conn_waiting(const struct conn *c, int64_t now, char *buf, size_t len)
{
	static const enum proto_op reads[] = { PROTO_OP_HISTORY, PROTO_OP_AUDIT };
	size_t n = 0;

	buf[0] = '\0';
	if (c->state == CONN_OFFLINE) {
		if (conn_pending(c, CONN_TAG_PING))
			n = (size_t)snprintf(buf, len, "ping sent, waiting for an answer");
		else
			n = (size_t)snprintf(buf, len, "next ping in %.1f s", (double)(c->next_ping - now) / 1000.0);
	} else if (c->snapshot_out && c->snapshot_due) {
		n = (size_t)snprintf(buf, len, "next snapshot in %.1f s", (double)(c->snapshot_due - now) / 1000.0);
	} else if (c->snapshot_out) {
		n = (size_t)snprintf(buf, len, "snapshot asked %.1f s ago", (double)(now - c->snapshot_sent) / 1000.0);
	} else if (c->state == CONN_STALE) {
		n = (size_t)snprintf(buf, len, "feed silent for %lld s", (long long)((now - c->last_msg) / 1000));
	} else if (c->state == CONN_RESYNC && !c->feed_heard) {
		n = (size_t)snprintf(buf, len, "waiting for the feed");
	} else if (c->state == CONN_RESYNC) {
		n = (size_t)snprintf(buf, len, "waiting for the feed to reach seq %llu",
		                     (unsigned long long)c->floor.seq);
	}
	for (size_t i = 0; i < sizeof reads / sizeof reads[0] && n < len; i++) {
		int64_t until = reqchan_held_until(&c->rq, reads[i], now);

		if (until)
			n += (size_t)snprintf(buf + n, len - n, "%s%s refused, asking again in %.1f s", n ? "; " : "",
			                      proto_op_name(reads[i]), (double)(until - now) / 1000.0);
	}
}

enum conn_seen
conn_seen(const struct conn *c, uint64_t epoch, uint64_t seq)
{
	if (!c->have_floor || epoch != c->floor.epoch)
		return CONN_SEEN_UNKNOWN;
	if (seq > c->floor.seq)
		return CONN_SEEN_NOT_YET;
	for (uint32_t i = 0; i < c->n_seen; i++) {
		const struct conn_seen_ev *s = &c->seen[i];

		if (s->epoch == epoch && s->seq == seq)
			return s->type == PROTO_EV_AGENT_MOVED ? CONN_SEEN_MOVED : CONN_SEEN_OTHER;
	}
	return CONN_SEEN_UNKNOWN;
}

/* ------------------------------------------------------------ open/close */

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
	uint32_t seed = backoff_seed();

	memset(c, 0, sizeof *c);
	/* With keys the feed comes over the request socket: the PUB takes
	 * full-scope keys only, the stream serves every key alike. */
	c->stream = cc != NULL && cc->on;
	floor_init(&c->floor);
	snprintf(c->events_ep, sizeof c->events_ep, "%s", events_ep);
	snprintf(c->requests_ep, sizeof c->requests_ep, "%s", requests_ep);
	if (hooks)
		c->hooks = *hooks;
	backoff_init(&c->snap_backoff, CONN_SNAP_MIN_MS, CONN_SNAP_MAX_MS, seed);
	backoff_init(&c->ping_backoff, CONN_BACKOFF_MIN_MS, CONN_BACKOFF_MAX_MS, seed ^ 0x5bd1e995u);
	c->seen = calloc(CONN_SEEN_MAX, sizeof *c->seen);
	c->zctx = zmq_ctx_new();
	if (c->seen == NULL || c->zctx == NULL) {
		snprintf(err, errlen, "cannot start ZeroMQ: %s", zmq_strerror(zmq_errno()));
		conn_close(c);
		return -1;
	}
	if (!c->stream && feed_open(&c->feed, c->zctx, events_ep, NULL, err, errlen) < 0) {
		conn_close(c);
		return -1;
	}
	if (reqchan_open_keyed(&c->rq, c->zctx, requests_ep, cc, err, errlen) < 0) {
		conn_close(c);
		return -1;
	}
	if (c->stream)
		reqchan_set_stream(&c->rq, conn_on_stream, c);
	c->state = CONN_JOINING;
	c->since_real = now_real_ms();
	c->last_msg = now_mono_ms();
	c->alive = c->last_msg;
	c->rate_start = c->last_msg;
	conn_resync(c, "joining");
	c->n_resyncs = 0;
	return 0;
}

void
conn_close(struct conn *c)
{
	if (c->zctx) {
		feed_close(&c->feed);
		reqchan_close(&c->rq);
		zmq_ctx_term(c->zctx);
	}
	c->zctx = NULL;
	free(c->buf);
	c->buf = NULL;
	free(c->seen);
	c->seen = NULL;
	floor_free(&c->floor);
}
