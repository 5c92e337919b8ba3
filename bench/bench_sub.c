/*
 * bench_sub: a bare subscriber to pooltopd's event feed that decodes every
 * frame and counts what it sees — events, heartbeats, seq gaps and the
 * events lost in them — so a benchmark can tell what a subscriber gets
 * when the publisher runs flat out (PUB drops past its high-water mark;
 * the loss shows only as gaps in seq).
 *
 *   bench_sub --events EP [--seconds S] [--idle-ms MS] [--work-ns N]
 *             [--rcvhwm N] [--key PATH --server-public PATH_OR_KEY]
 *   bench_sub --requests EP ...   the same over a stream (a `ping` with
 *             `feed` on a DEALER), as a scoped key gets its events
 *
 * It stops after S wall seconds (0: no limit), or once MS ms pass without
 * a frame after the first one arrived (the publisher has gone: a PUB
 * socket says nothing when it closes).  --work-ns spins N ns per event to
 * play a slower consumer.  --rcvhwm sets ZMQ_RCVHWM (default 0, no limit,
 * as the dashboard has it).  The last line is a key=value summary for
 * bench/run.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <zmq.h>

#include "pooltop/curve_client.h"
#include "pooltop/feed.h"
#include "pooltop/frame.h"
#include "pooltop/now.h"
#include "pooltop/proto.h"

struct sub_opts {
	const char *events_ep;
	const char *requests_ep;       /* stream mode */
	const char *key, *server_public;
	double seconds;
	long idle_ms;
	long work_ns;
	int rcvhwm;
};

struct sub_counts {
	uint64_t frames;               /* messages received */
	uint64_t bad;                  /* not two frames, wrong topic, no decode */
	uint64_t by_type[PROTO_EV__COUNT];
	uint64_t gaps;                 /* times seq jumped forward */
	uint64_t missed;               /* events inside those jumps */
	uint64_t epochs;               /* epoch changes after the first */
	uint64_t first_seq;
	uint64_t last_seq;
	uint64_t epoch;
	double first_s;                /* wall time of the first and last frame */
	double last_s;
};

static double
sub_now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int
sub_usage(void)
{
	fprintf(stderr, "usage: bench_sub --events EP | --requests EP [--seconds S] [--idle-ms MS] "
	        "[--work-ns N] [--rcvhwm N] [--key PATH --server-public PATH_OR_KEY]\n");
	return 2;
}

static int
sub_parse_args(int argc, char **argv, struct sub_opts *o)
{
	o->events_ep = NULL;
	o->requests_ep = NULL;
	o->key = o->server_public = NULL;
	o->seconds = 0;
	o->idle_ms = 2000;
	o->work_ns = 0;
	o->rcvhwm = 0;
	/* every option takes a value: walk them in pairs */
	if ((argc - 1) % 2 != 0)
		return -1;
	for (int i = 1; i + 1 < argc; i += 2) {
		const char *v = argv[i + 1];

		if (strcmp(argv[i], "--events") == 0)
			o->events_ep = v;
		else if (strcmp(argv[i], "--requests") == 0)
			o->requests_ep = v;
		else if (strcmp(argv[i], "--key") == 0)
			o->key = v;
		else if (strcmp(argv[i], "--server-public") == 0)
			o->server_public = v;
		else if (strcmp(argv[i], "--seconds") == 0)
			o->seconds = strtod(v, NULL);
		else if (strcmp(argv[i], "--idle-ms") == 0)
			o->idle_ms = strtol(v, NULL, 10);
		else if (strcmp(argv[i], "--work-ns") == 0)
			o->work_ns = strtol(v, NULL, 10);
		else if (strcmp(argv[i], "--rcvhwm") == 0)
			o->rcvhwm = (int)strtol(v, NULL, 10);
		else
			return -1;
	}
	return (o->events_ep != NULL) != (o->requests_ep != NULL) ? 0 : -1;
}

/* CURVE client keys, when asked for (never the defaults under
 * ~/.config: a benchmark says what it uses). */
static int
sub_curve(const struct sub_opts *o, struct curve_client *cc)
{
	char err[512];

	memset(cc, 0, sizeof *cc);
	if (o->key == NULL)
		return 0;
	if (curve_client_load(cc, o->key, o->server_public ? o->server_public : "", err, sizeof err) < 0) {
		fprintf(stderr, "bench_sub: %s\n", err);
		return -1;
	}
	return 0;
}

/* A busy wait rather than a sleep: a slow consumer is one that is busy,
 * and sleeping would hand the core to the publisher instead. */
static void
sub_spin(long ns)
{
	double until = sub_now_s() + (double)ns * 1e-9;

	while (sub_now_s() < until)
		;
}

/* Track seq the way a replica does: hb carries the last seq without
 * advancing it, a new epoch restarts the count. */
static void
sub_count(struct sub_counts *c, const struct proto_event *ev)
{
	c->by_type[ev->type]++;
	if (c->first_seq == 0 || ev->epoch != c->epoch) {
		if (c->first_seq != 0)
			c->epochs++;
		c->epoch = ev->epoch;
		c->first_seq = ev->seq ? ev->seq : 1;
		c->last_seq = ev->seq;
		return;
	}
	if (ev->type == PROTO_EV_HB) {
		if (ev->seq > c->last_seq) {
			c->gaps++;
			c->missed += ev->seq - c->last_seq;
			c->last_seq = ev->seq;
		}
		return;
	}
	if (ev->seq > c->last_seq + 1) {
		c->gaps++;
		c->missed += ev->seq - c->last_seq - 1;
	}
	if (ev->seq > c->last_seq)
		c->last_seq = ev->seq;
}

static void
sub_event(struct sub_counts *c, const struct proto_event *ev, long work_ns)
{
	sub_count(c, ev);
	if (work_ns > 0)
		sub_spin(work_ns);
}

/* One message off the feed: 1 read (an event or junk), 0 none waiting. */
static int
sub_recv_one(struct feed *f, struct sub_counts *c, long work_ns)
{
	struct proto_event ev;
	uint64_t bad = f->n_bad_frames;
	int got = feed_next(f, &ev);

	/* the feed drops what is not an event and counts it */
	c->bad += f->n_bad_frames - bad;
	c->frames += f->n_bad_frames - bad + (uint64_t)got;
	if (got)
		sub_event(c, &ev, work_ns);
	return got || f->n_bad_frames != bad;
}

/* One message off a stream's DEALER (the client library's framing: a
 * reply is one frame, a stream message two): 1 read, 0 none waiting. */
static int
sub_recv_stream(void *sock, struct sub_counts *c, long work_ns)
{
	struct proto_event ev;
	zmq_msg_t body, topic;
	int rc = frame_recv(sock, &body, &topic);

	if (rc == 0 || rc == 1) {
		zmq_msg_close(&body);	/* nothing, or the ping's reply */
		return rc;
	}
	c->frames++;
	if (rc < 0) {
		c->bad++;
		return 1;
	}
	if (feed_decode(zmq_msg_data(&topic), zmq_msg_size(&topic), zmq_msg_data(&body), zmq_msg_size(&body),
	                &ev) == 1)
		sub_event(c, &ev, work_ns);
	else
		c->bad++;
	zmq_msg_close(&topic);
	zmq_msg_close(&body);
	return 1;
}

/* A DEALER that asks for its stream (a `ping` with `feed`, queued until
 * the server is there); NULL on failure. */
static void *
sub_open_stream(void *ctx, const struct sub_opts *o, const struct curve_client *cc)
{
	void *sock = zmq_socket(ctx, ZMQ_DEALER);
	int ivl = 10, linger = 0;
	struct proto_request rq;
	struct proto_buf b;
	char err[128];

	if (sock == NULL)
		return NULL;
	zmq_setsockopt(sock, ZMQ_LINGER, &linger, sizeof linger);
	zmq_setsockopt(sock, ZMQ_RECONNECT_IVL, &ivl, sizeof ivl);
	zmq_setsockopt(sock, ZMQ_RCVHWM, &o->rcvhwm, sizeof o->rcvhwm);
	if (curve_client_apply(sock, cc, err, sizeof err) < 0 || zmq_connect(sock, o->requests_ep) != 0) {
		fprintf(stderr, "bench_sub: %s\n", zmq_strerror(zmq_errno()));
		zmq_close(sock);
		return NULL;
	}
	memset(&rq, 0, sizeof rq);
	rq.op = PROTO_OP_PING;
	rq.feed = true;
	snprintf(rq.id, sizeof rq.id, "bench-feed");
	proto_buf_init(&b);
	proto_encode_request(&b, &rq);
	zmq_send(sock, b.data, b.len, 0);
	proto_buf_free(&b);
	return sock;
}

static void
sub_report(const struct sub_counts *c)
{
	uint64_t events = 0;
	double span = c->last_s - c->first_s;
	struct rusage ru;

	/* a subscriber that falls behind queues in its own memory (RCVHWM 0,
	 * as the dashboard sets it), so its peak RSS is part of the answer */
	memset(&ru, 0, sizeof ru);
	getrusage(RUSAGE_SELF, &ru);

	for (int t = 0; t < PROTO_EV__COUNT; t++)
		if (t != PROTO_EV_HB)
			events += c->by_type[t];
	printf("bench_sub: received=%" PRIu64 " events=%" PRIu64 " hb=%" PRIu64
	       " gaps=%" PRIu64 " missed=%" PRIu64 " first_seq=%" PRIu64 " last_seq=%" PRIu64
	       " epochs=%" PRIu64 " bad=%" PRIu64 " span_s=%.3f rate=%.0f maxrss_kb=%ld",
	       c->frames, events, c->by_type[PROTO_EV_HB], c->gaps, c->missed, c->first_seq,
	       c->last_seq, c->epochs, c->bad, span, span > 0 ? (double)events / span : 0.0,
	       ru.ru_maxrss);
	for (int t = 0; t < PROTO_EV__COUNT; t++)
		if (t != PROTO_EV_HB && c->by_type[t])
			printf(" %s=%" PRIu64, proto_event_type_name((enum proto_event_type)t),
			       c->by_type[t]);
	printf("\n");
}

int
main(int argc, char **argv)
{
	struct sub_opts o;
	struct sub_counts c;
	struct feed_opts fo;
	struct feed feed;
	char err[512];
	void *ctx, *stream = NULL;
	double start, now;

	if (sub_parse_args(argc, argv, &o) != 0)
		return sub_usage();
	memset(&c, 0, sizeof c);
	/* Retry the connect every 10 ms, not the default 100, so a subscriber
	 * started just before pooltopd misses as little as possible of the
	 * start.  RCVHWM 0 (no limit) by default: then any loss measured is
	 * the publisher's, and a backlog grows here. */
	feed_default_opts(&fo);
	fo.reconnect_ivl_ms = 10;
	fo.rcvhwm = o.rcvhwm;
	if (sub_curve(&o, &fo.curve) < 0)
		return 1;
	ctx = zmq_ctx_new();
	if (ctx == NULL) {
		fprintf(stderr, "bench_sub: %s\n", zmq_strerror(zmq_errno()));
		return 1;
	}
	memset(&feed, 0, sizeof feed);
	if (o.requests_ep != NULL)
		stream = sub_open_stream(ctx, &o, &fo.curve);
	if (o.requests_ep != NULL ? stream == NULL : feed_open(&feed, ctx, o.events_ep, &fo, err, sizeof err) != 0) {
		if (o.requests_ep == NULL)
			fprintf(stderr, "bench_sub: %s\n", err);
		zmq_ctx_term(ctx);
		return 1;
	}
	start = sub_now_s();
	for (;;) {
		zmq_pollitem_t it = { stream ? stream : feed_socket(&feed), 0, ZMQ_POLLIN, 0 };
		long timeout = 100;

		now = sub_now_s();
		if (o.seconds > 0 && now - start >= o.seconds)
			break;
		if (c.frames > 0 && o.idle_ms > 0 && (now - c.last_s) * 1000.0 >= (double)o.idle_ms)
			break;
		if (zmq_poll(&it, 1, timeout) < 0)
			break;
		if (stream == NULL)
			feed_timers(&feed, now_mono_ms());
		if (!(it.revents & ZMQ_POLLIN))
			continue;
		/* drain what is there, a bounded batch so --seconds still holds
		 * under a flood */
		for (int i = 0; i < 10000 && (stream ? sub_recv_stream(stream, &c, o.work_ns) :
		                              sub_recv_one(&feed, &c, o.work_ns)); i++) {
			c.last_s = sub_now_s();
			if (c.frames == 1)
				c.first_s = c.last_s;
		}
	}
	sub_report(&c);
	if (stream)
		zmq_close(stream);
	feed_close(&feed);
	zmq_ctx_term(ctx);
	return 0;
}
