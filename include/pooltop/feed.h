/*
 * feed: the SUB socket on pooltopd's event feed, kept open whatever the
 * publisher sends.  Messages that are not events (wrong topic, not two
 * frames, too big, not decodable) are dropped and counted.  A frame over
 * the SUB's size limit makes libzmq drop the connection and never dial
 * again; the feed watches its socket's monitor and reopens it, with
 * backoff and jitter, so the next event still arrives.
 */
#ifndef POOLTOP_FEED_H
#define POOLTOP_FEED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pooltop/backoff.h"
#include "pooltop/curve_client.h"
#include "pooltop/endpoint.h"
#include "pooltop/proto.h"

#define FEED_RCVHWM 100000          /* messages queued before libzmq drops */
#define FEED_FRAME_MAX (PROTO_EVENT_BYTES_MAX * 2)   /* ZMQ_MAXMSGSIZE */
#define FEED_REOPEN_MIN_MS 100
#define FEED_REOPEN_MAX_MS 5000
#define FEED_JUNK_MAX 2000          /* messages dropped per feed_next at most */

struct feed_opts {
	int rcvhwm;                     /* ZMQ_RCVHWM; 0 = no limit */
	int reconnect_ivl_ms;           /* libzmq's own first redial */
	struct curve_client curve;      /* keys (curve.on false: plaintext); a
	                                   CURVE server's PUB takes full-scope keys only */
};

struct feed {
	void *zctx;
	void *sub;
	void *mon;                      /* PAIR: the SUB's connection events */
	char ep[ENDPOINT_MAX];
	struct feed_opts opt;
	unsigned serial;                /* of the monitor endpoint */
	struct backoff reopen;
	int64_t reopen_at;              /* monotonic ms; 0 = none due */
	int64_t opened_at;

	uint64_t n_bad_frames;          /* messages dropped: not an event */
	uint64_t n_dropped;             /* connections libzmq dropped (a frame over
	                                   FEED_FRAME_MAX, or the server went) */
	uint64_t n_reopens;
};

void feed_default_opts(struct feed_opts *o);
/* On an existing context; opts NULL = defaults.  0, or -1 with err. */
int feed_open(struct feed *f, void *zctx, const char *ep, const struct feed_opts *opts, char *err,
              size_t errlen);
void feed_close(struct feed *f);
/* The socket to poll for ZMQ_POLLIN (it changes when reopened). */
void *feed_socket(const struct feed *f);

/* One message of two frames as an event: 1 (in *ev) when the topic is
 * PROTO_TOPIC and the body an event within PROTO_EVENT_BYTES_MAX, else
 * -1.  The same rule for the PUB feed and a keyed connection's stream. */
int feed_decode(const void *topic, size_t tlen, const void *body, size_t blen, struct proto_event *ev);
/* The next event waiting: 1 (in *ev), 0 none (or FEED_JUNK_MAX dropped
 * already: call again on the next turn).  Drops what is not an event on
 * the way. */
int feed_next(struct feed *f, struct proto_event *ev);
/* Notice a dropped connection; reopen when it is time.  True when the
 * socket was reopened just now (anything buffered on the way was lost). */
bool feed_timers(struct feed *f, int64_t now);
/* Monotonic ms of the next timer, or INT64_MAX. */
int64_t feed_next_timer(const struct feed *f);
/* The connection came good: reopen backoff starts afresh. */
void feed_settled(struct feed *f);

#endif
