/*
 * reqchan: the request channel to pooltopd — one DEALER, requests matched
 * to replies by id, each with its own callback, retried Lazy-Pirate style
 * (on a timeout the socket is closed, dropping whatever it held, reopened,
 * and everything in flight goes again under the same id).
 *
 * Replies follow the framing rule of PROTOCOL.md §1 (frame.h); anything
 * else is dropped and counted.  A reply over PROTO_REPLY_BYTES_MAX never reaches memory
 * (ZMQ_MAXMSGSIZE on the socket: libzmq drops the connection instead, and
 * the timeout reopens it).
 *
 * A read-only request (snapshot, history, audit) that was refused or went
 * unanswered holds back the next of its kind with backoff and jitter, so a
 * caller that asks again at once cannot hammer the server; moves and
 * pings are never held (a person sent the one, the other has its own
 * backoff).  It never blocks: the caller polls reqchan_socket().
 */
#ifndef POOLTOP_REQCHAN_H
#define POOLTOP_REQCHAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <zmq.h>

#include "pooltop/backoff.h"
#include "pooltop/curve_client.h"
#include "pooltop/endpoint.h"
#include "pooltop/proto.h"

#define REQCHAN_MAX 32              /* requests in flight at once */
#define REQCHAN_TIMEOUT_MS 1500     /* per send, by default */
#define REQCHAN_TRIES 3             /* sends of one request, by default */
#define REQCHAN_HOLD_MIN_MS 1000    /* after a refusal or silence ... */
#define REQCHAN_HOLD_MAX_MS 30000   /* ... doubling up to this */
#define REQCHAN_DRAIN_MAX 2000      /* replies read per reqchan_read */

enum reqchan_outcome {
	REQCHAN_ANSWERED,    /* the server's reply (ok or a refusal) */
	REQCHAN_UNREADABLE,  /* the server answered, but not in a reply we can read:
	                        rp is a local refusal (err unavailable) saying so */
	REQCHAN_NO_ANSWER,   /* every try timed out: rp is a local refusal (err
	                        unavailable); the server may still act on a copy */
};

/*
 * Called once per request, from reqchan_read or reqchan_timers.  rp is
 * the caller's for the call; to keep what it points to, copy *rp and
 * zero it (the channel frees whatever is left in it afterwards).
 */
typedef void (*reqchan_fn)(void *ctx, uint64_t tag, struct proto_reply *rp, enum reqchan_outcome how);

/* A message of this connection's own event stream (a keyed server sends
 * it over the request socket, feeds.h): topic and event body, undecoded. */
typedef void (*reqchan_stream_fn)(void *ctx, const void *topic, size_t tlen, const void *body, size_t blen,
                                  int64_t now);

struct reqchan_req {
	bool used;
	bool held;                      /* waiting for its kind's hold to end */
	char id[PROTO_REQID_MAX + 1];
	enum proto_op op;
	uint64_t tag;                   /* the caller's, handed back to fn */
	reqchan_fn fn;
	void *ctx;
	struct proto_buf body;
	int64_t deadline;               /* monotonic ms */
	int tries;                      /* sends so far */
	int tries_max;
	int timeout_ms;
	int spread_ms;                  /* each wait is timeout_ms + 0..spread_ms */
};

struct reqchan {
	void *zctx;
	void *sock;                     /* DEALER */
	char ep[ENDPOINT_MAX];
	struct reqchan_req reqs[REQCHAN_MAX];
	char id_prefix[24];
	uint64_t next_id;
	char instance[33];              /* this client run's id, random hex: sent as
	                                   `client`, the server keeps move ids per instance */
	struct curve_client curve;      /* keys (curve.on false: plaintext) */
	void *mon;                      /* the socket's handshake failures */
	unsigned mon_gen;
	bool hs_failed;                 /* one seen on a socket since closed ... */
	char hs_why[96];                /* ... and what it said */
	reqchan_stream_fn on_stream;    /* NULL: two-frame messages are junk */
	void *stream_ctx;
	struct backoff hold[PROTO_OP__COUNT];
	struct backoff spread;          /* its random numbers spread the retries */
	int64_t hold_until[PROTO_OP__COUNT];

	uint64_t n_sent;                /* messages sent, retries included */
	uint64_t n_bad_frames;          /* replies dropped: framing, junk, late */
};

/* On an existing ZeroMQ context.  0, or -1 with err. */
int reqchan_open(struct reqchan *r, void *zctx, const char *ep, char *err, size_t errlen);
/* The same as a CURVE client (cc NULL or off: plaintext).  The keys are
 * copied, and wiped at reqchan_close. */
int reqchan_open_keyed(struct reqchan *r, void *zctx, const char *ep, const struct curve_client *cc, char *err,
                       size_t errlen);
/* Take stream messages (two frames, a topic first) to fn instead of
 * dropping them. */
void reqchan_set_stream(struct reqchan *r, reqchan_stream_fn fn, void *ctx);
/* Did a handshake fail since the last look (a CURVE server refused our
 * key, or wants one)?  true with a sentence in why. */
bool reqchan_handshake_failed(struct reqchan *r, char *why, size_t len);
void reqchan_close(struct reqchan *r);
/* The socket to poll for ZMQ_POLLIN (it changes after a timeout). */
void *reqchan_socket(const struct reqchan *r);

/*
 * Send rq (its id is assigned: unpredictable, and `client` set to the
 * instance id) with the default timeout and tries, each wait spread by up
 * to an eighth more so that a floor of dashboards that lost their server
 * retry out of step; fn(ctx, tag, ...) hears the outcome.  0, or -1 when
 * REQCHAN_MAX are in flight or it could not be encoded.
 */
int reqchan_send(struct reqchan *r, struct proto_request *rq, reqchan_fn fn, void *ctx, uint64_t tag);
/* The same with exactly timeout_ms per send and `tries` sends at most
 * (a command's budget is the user's: nothing is added to it). */
int reqchan_send_with(struct reqchan *r, struct proto_request *rq, reqchan_fn fn, void *ctx, uint64_t tag,
                      int timeout_ms, int tries);
/* Forget every request with this tag: fn is not called for them. */
void reqchan_cancel(struct reqchan *r, uint64_t tag);
/* The request in flight with this tag, or NULL. */
const struct reqchan_req *reqchan_find_tag(const struct reqchan *r, uint64_t tag);
bool reqchan_pending_op(const struct reqchan *r, enum proto_op op);

/* Read the replies waiting (bounded), calling their callbacks. */
void reqchan_read(struct reqchan *r, int64_t now);
/* Retries, give-ups and held requests whose time came. */
void reqchan_timers(struct reqchan *r, int64_t now);
/* Monotonic ms of the next timer, or INT64_MAX. */
int64_t reqchan_next_timer(const struct reqchan *r);
/* If requests of this kind are held: until when (monotonic ms), else 0. */
int64_t reqchan_held_until(const struct reqchan *r, enum proto_op op, int64_t now);

#endif
