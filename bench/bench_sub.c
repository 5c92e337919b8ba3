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

#include "pooltop/keyfile.h"
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

/* CURVE client keys on sock, when asked for. */
static int
sub_curve(void *sock, const struct sub_opts *o)
{
	char sec[KEYFILE_Z85_LEN + 1], pub[KEYFILE_Z85_LEN + 1], srv[KEYFILE_Z85_LEN + 1], err[256];

	if (o->key == NULL)
		return 0;
	if (keyfile_read_secret(o->key, sec, pub, err, sizeof err) < 0 ||
	    keyfile_read_public(o->server_public ? o->server_public : "", srv, err, sizeof err) < 0) {
		fprintf(stderr, "bench_sub: %s\n", err);
		return -1;
	}
	zmq_setsockopt(sock, ZMQ_CURVE_SERVERKEY, srv, sizeof srv);
	zmq_setsockopt(sock, ZMQ_CURVE_PUBLICKEY, pub, sizeof pub);
	zmq_setsockopt(sock, ZMQ_CURVE_SECRETKEY, sec, sizeof sec);
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

static int
sub_recv_one(void *sock, struct sub_counts *c, long work_ns)
{
	zmq_msg_t topic, body;
	struct proto_event ev;
	int more = 0;
	size_t more_len = sizeof more;
	int ok;

	zmq_msg_init(&topic);
	zmq_msg_init(&body);
	if (zmq_msg_recv(&topic, sock, ZMQ_DONTWAIT) < 0) {
		zmq_msg_close(&topic);
		zmq_msg_close(&body);
		return 0;
	}
	zmq_getsockopt(sock, ZMQ_RCVMORE, &more, &more_len);
	if (!more && zmq_msg_size(&topic) != strlen(PROTO_TOPIC)) {
		/* a reply on a stream's socket, not an event */
		zmq_msg_close(&topic);
		zmq_msg_close(&body);
		return 1;
	}
	c->frames++;
	ok = more && zmq_msg_size(&topic) == strlen(PROTO_TOPIC) &&
	     memcmp(zmq_msg_data(&topic), PROTO_TOPIC, strlen(PROTO_TOPIC)) == 0;
	if (more && zmq_msg_recv(&body, sock, 0) >= 0) {
		zmq_getsockopt(sock, ZMQ_RCVMORE, &more, &more_len);
		ok = ok && !more &&
		     proto_decode_event(zmq_msg_data(&body), zmq_msg_size(&body), &ev) == PROTO_OK;
		/* drain a message with more frames than the protocol has */
		while (more) {
			zmq_msg_t junk;

			zmq_msg_init(&junk);
			zmq_msg_recv(&junk, sock, 0);
			zmq_msg_close(&junk);
			zmq_getsockopt(sock, ZMQ_RCVMORE, &more, &more_len);
		}
	} else {
		ok = 0;
	}
	if (ok)
		sub_count(c, &ev);
	else
		c->bad++;
	if (work_ns > 0)
		sub_spin(work_ns);
	zmq_msg_close(&topic);
	zmq_msg_close(&body);
	return 1;
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
	void *ctx, *sock;
	int ivl = 10;
	double start, now;

	if (sub_parse_args(argc, argv, &o) != 0)
		return sub_usage();
	memset(&c, 0, sizeof c);
	ctx = zmq_ctx_new();
	sock = ctx ? zmq_socket(ctx, o.requests_ep ? ZMQ_DEALER : ZMQ_SUB) : NULL;
	if (sock == NULL || sub_curve(sock, &o) < 0) {
		fprintf(stderr, "bench_sub: %s\n", zmq_strerror(zmq_errno()));
		return 1;
	}
	/* Retry the connect every 10 ms, not the default 100, so a subscriber
	 * started just before pooltopd misses as little as possible of the
	 * start.  RCVHWM 0 (no limit) by default, like the dashboard: then any
	 * loss measured is the publisher's, and a backlog grows here. */
	zmq_setsockopt(sock, ZMQ_RECONNECT_IVL, &ivl, sizeof ivl);
	zmq_setsockopt(sock, ZMQ_RCVHWM, &o.rcvhwm, sizeof o.rcvhwm);
	if (o.requests_ep == NULL)
		zmq_setsockopt(sock, ZMQ_SUBSCRIBE, PROTO_TOPIC, strlen(PROTO_TOPIC));
	if (zmq_connect(sock, o.requests_ep ? o.requests_ep : o.events_ep) != 0) {
		fprintf(stderr, "bench_sub: connect: %s\n", zmq_strerror(zmq_errno()));
		return 1;
	}
	if (o.requests_ep != NULL) {
		/* queued until the server is there; it opens our stream */
		struct proto_request rq;
		struct proto_buf b;

		memset(&rq, 0, sizeof rq);
		rq.op = PROTO_OP_PING;
		rq.feed = true;
		snprintf(rq.id, sizeof rq.id, "bench-feed");
		proto_buf_init(&b);
		proto_encode_request(&b, &rq);
		zmq_send(sock, b.data, b.len, 0);
		proto_buf_free(&b);
	}
	start = sub_now_s();
	for (;;) {
		zmq_pollitem_t it = { sock, 0, ZMQ_POLLIN, 0 };
		long timeout = 100;

		now = sub_now_s();
		if (o.seconds > 0 && now - start >= o.seconds)
			break;
		if (c.frames > 0 && o.idle_ms > 0 && (now - c.last_s) * 1000.0 >= (double)o.idle_ms)
			break;
		if (zmq_poll(&it, 1, timeout) < 0)
			break;
		if (!(it.revents & ZMQ_POLLIN))
			continue;
		/* drain what is there, a bounded batch so --seconds still holds
		 * under a flood */
		for (int i = 0; i < 10000 && sub_recv_one(sock, &c, o.work_ns); i++) {
			c.last_s = sub_now_s();
			if (c.frames == 1)
				c.first_s = c.last_s;
		}
	}
	sub_report(&c);
	zmq_close(sock);
	zmq_ctx_term(ctx);
	return 0;
}
