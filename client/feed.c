/*
 * The event feed: open, read, drop what is not an event, reopen after
 * libzmq gives a connection up.
 */
#include <stdio.h>
#include <string.h>
#include <zmq.h>

#include "pooltop/feed.h"
#include "pooltop/frame.h"
#include "pooltop/now.h"

void
feed_default_opts(struct feed_opts *o)
{
	/* Bounded: a dashboard that falls behind (a stalled SSH session
	 * blocks its writes) drops at its own queue too, sees the gap and
	 * resyncs, instead of growing without end and lagging further. */
	o->rcvhwm = FEED_RCVHWM;
	/* libzmq backs off its own redials exponentially up to 1 s; kept
	 * short because the feed must be back as soon as the server is. */
	o->reconnect_ivl_ms = 100;
	memset(&o->curve, 0, sizeof o->curve);
}

static void
feed_close_sockets(struct feed *f)
{
	if (f->sub) {
		zmq_socket_monitor(f->sub, NULL, 0);
		zmq_close(f->sub);
	}
	if (f->mon)
		zmq_close(f->mon);
	f->sub = f->mon = NULL;
}

static int
feed_open_sockets(struct feed *f)
{
	int linger = 0, ivl = f->opt.reconnect_ivl_ms, ivl_max = 1000, hwm = f->opt.rcvhwm;
	int64_t maxmsg = FEED_FRAME_MAX;
	char mon_ep[64];

	f->sub = zmq_socket(f->zctx, ZMQ_SUB);
	if (f->sub == NULL)
		return -1;
	zmq_setsockopt(f->sub, ZMQ_LINGER, &linger, sizeof linger);
	zmq_setsockopt(f->sub, ZMQ_RECONNECT_IVL, &ivl, sizeof ivl);
	zmq_setsockopt(f->sub, ZMQ_RECONNECT_IVL_MAX, &ivl_max, sizeof ivl_max);
	zmq_setsockopt(f->sub, ZMQ_RCVHWM, &hwm, sizeof hwm);
	/* A frame over the limit cannot be an event: never let libzmq grow
	 * a buffer to a peer's say-so. */
	zmq_setsockopt(f->sub, ZMQ_MAXMSGSIZE, &maxmsg, sizeof maxmsg);
	zmq_setsockopt(f->sub, ZMQ_SUBSCRIBE, PROTO_TOPIC, strlen(PROTO_TOPIC));
	if (curve_client_apply(f->sub, &f->opt.curve, mon_ep, sizeof mon_ep) < 0)
		return -1;
	/* The monitor says when libzmq drops the connection (a frame over
	 * the limit is a protocol error, after which it never redials). */
	snprintf(mon_ep, sizeof mon_ep, "inproc://pooltop-feed-%p-%u", (void *)f, ++f->serial);
	if (zmq_socket_monitor(f->sub, mon_ep, ZMQ_EVENT_DISCONNECTED) == 0) {
		f->mon = zmq_socket(f->zctx, ZMQ_PAIR);
		if (f->mon && zmq_connect(f->mon, mon_ep) != 0) {
			zmq_close(f->mon);
			f->mon = NULL;
		}
		if (f->mon)
			zmq_setsockopt(f->mon, ZMQ_LINGER, &linger, sizeof linger);
	}
	f->opened_at = now_mono_ms();
	return zmq_connect(f->sub, f->ep);
}

int
feed_open(struct feed *f, void *zctx, const char *ep, const struct feed_opts *opts, char *err,
          size_t errlen)
{
	memset(f, 0, sizeof *f);
	f->zctx = zctx;
	snprintf(f->ep, sizeof f->ep, "%s", ep);
	if (opts)
		f->opt = *opts;
	else
		feed_default_opts(&f->opt);
	backoff_init(&f->reopen, FEED_REOPEN_MIN_MS, FEED_REOPEN_MAX_MS, backoff_seed());
	if (feed_open_sockets(f) < 0) {
		snprintf(err, errlen, "cannot use endpoint '%s': %s", ep, zmq_strerror(zmq_errno()));
		feed_close_sockets(f);
		return -1;
	}
	return 0;
}

void
feed_close(struct feed *f)
{
	feed_close_sockets(f);
	memset(&f->opt.curve, 0, sizeof f->opt.curve);
}

void *
feed_socket(const struct feed *f)
{
	return f->sub;
}

int
feed_decode(const void *topic, size_t tlen, const void *body, size_t blen, struct proto_event *ev)
{
	if (tlen == strlen(PROTO_TOPIC) && memcmp(topic, PROTO_TOPIC, tlen) == 0 &&
	    blen <= PROTO_EVENT_BYTES_MAX && proto_decode_event(body, blen, ev) == PROTO_OK)
		return 1;
	return -1;
}

/* One message: 1 an event, 0 nothing waiting, -1 dropped. */
static int
feed_read_one(struct feed *f, struct proto_event *ev)
{
	zmq_msg_t topic, body;
	int more = 0, rc = -1;
	size_t ml = sizeof more;

	zmq_msg_init(&topic);
	if (zmq_msg_recv(&topic, f->sub, ZMQ_DONTWAIT) < 0) {
		zmq_msg_close(&topic);
		return 0;
	}
	zmq_getsockopt(f->sub, ZMQ_RCVMORE, &more, &ml);
	if (!more) {
		zmq_msg_close(&topic);
		return -1;
	}
	zmq_msg_init(&body);
	zmq_msg_recv(&body, f->sub, 0);
	zmq_getsockopt(f->sub, ZMQ_RCVMORE, &more, &ml);
	if (more)
		frame_drain(f->sub);     /* three frames or more is not an event */
	else
		rc = feed_decode(zmq_msg_data(&topic), zmq_msg_size(&topic), zmq_msg_data(&body),
		                 zmq_msg_size(&body), ev);
	zmq_msg_close(&topic);
	zmq_msg_close(&body);
	return rc;
}

int
feed_next(struct feed *f, struct proto_event *ev)
{
	/* Bounded even under a flood of junk: the caller's loop (keys,
	 * timers) gets its turn. */
	for (int n = 0; n < FEED_JUNK_MAX; n++) {
		int rc = f->sub ? feed_read_one(f, ev) : 0;

		if (rc >= 0)
			return rc;
		f->n_bad_frames++;
	}
	return 0;
}

/* Connection events since the last look: true when one was a drop. */
static bool
feed_dropped(struct feed *f)
{
	bool dropped = false;

	for (int n = 0; f->mon && n < 64; n++) {
		zmq_msg_t m;
		uint16_t event = 0;

		zmq_msg_init(&m);
		if (zmq_msg_recv(&m, f->mon, ZMQ_DONTWAIT) < 0) {
			zmq_msg_close(&m);
			break;
		}
		if (zmq_msg_size(&m) >= sizeof event)
			memcpy(&event, zmq_msg_data(&m), sizeof event);
		if (event == ZMQ_EVENT_DISCONNECTED)
			dropped = true;
		zmq_msg_close(&m);
		frame_drain(f->mon);     /* the endpoint frame */
	}
	return dropped;
}

bool
feed_timers(struct feed *f, int64_t now)
{
	if (feed_dropped(f)) {
		f->n_dropped++;
		if (f->reopen_at == 0)
			f->reopen_at = now + backoff_next(&f->reopen);
	}
	if (f->reopen_at == 0 || now < f->reopen_at)
		return false;
	/* A fresh socket: libzmq redials a server that went away by itself,
	 * but not one that broke the protocol, and we cannot tell which. */
	f->reopen_at = 0;
	feed_close_sockets(f);
	if (feed_open_sockets(f) < 0) {
		feed_close_sockets(f);
		f->reopen_at = now + backoff_next(&f->reopen);
		return false;
	}
	f->n_reopens++;
	return true;
}

int64_t
feed_next_timer(const struct feed *f)
{
	return f->reopen_at ? f->reopen_at : INT64_MAX;
}

void
feed_settled(struct feed *f)
{
	backoff_reset(&f->reopen);
}
