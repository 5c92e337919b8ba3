/*
 * conn: a client's link to pooltopd — the feed (feed.h), the request
 * channel (reqchan.h), and the replica of the floor they keep.  It joins
 * as PROTOCOL.md §8 says (subscribe, buffer, snapshot, apply what is
 * newer) and resyncs by itself on a seq gap, a new epoch, floor.reset, a
 * feed that stays behind its snapshot, or a silent feed.  Every snapshot
 * after doubt is paced with backoff and jitter, so no publisher can make
 * it ask more than a few times a second.  It never blocks: the caller
 * polls its sockets (conn_pollitems) beside its own.
 *
 * With CURVE keys (conn_open_keyed, PROTOCOL.md §14) the events come over
 * the request socket instead of the SUB: before every snapshot a `ping`
 * with `feed` opens this connection's stream, which the server filters to
 * the key's scope, and the join and resync rules stay the same.
 */
#ifndef POOLTOP_CONN_H
#define POOLTOP_CONN_H

#include <stdbool.h>
#include <stdint.h>
#include <zmq.h>

#include "pooltop/backoff.h"
#include "pooltop/curve_client.h"
#include "pooltop/endpoint.h"
#include "pooltop/feed.h"
#include "pooltop/floor.h"
#include "pooltop/proto.h"
#include "pooltop/reqchan.h"

#define CONN_STALE_MS 3000          /* no heartbeat or event for this long */
#define CONN_REQUEST_TIMEOUT_MS REQCHAN_TIMEOUT_MS
#define CONN_REQUEST_TRIES REQCHAN_TRIES   /* sends of one request before giving up */
#define CONN_REQUESTS_MAX REQCHAN_MAX      /* in flight at once */
#define CONN_BUFFER_MAX 50000       /* events buffered while a snapshot is on its way (~35 MB at most) */
#define CONN_BACKOFF_MIN_MS 500     /* pings while OFFLINE */
#define CONN_BACKOFF_MAX_MS 10000
#define CONN_SNAP_MIN_MS 250        /* snapshots after doubt: the second waits this ... */
#define CONN_SNAP_MAX_MS 10000      /* ... doubling up to this */
#define CONN_SETTLED_MS 10000       /* LIVE this long: the next doubt asks at once */
#define CONN_BEHIND_MS 1000         /* a feed behind its snapshot this long: resync */
#define CONN_DRAIN_MAX 2000         /* messages read per conn_handle call */
#define CONN_RCVHWM FEED_RCVHWM
#define CONN_SEEN_MAX 4096          /* applied events remembered for conn_seen */

enum conn_state {
	CONN_JOINING,   /* first snapshot not yet in */
	CONN_LIVE,      /* the feed is in step with the replica */
	CONN_STALE,     /* feed silent for CONN_STALE_MS; floor shown as last known */
	CONN_RESYNC,    /* a new snapshot is on its way, or the feed not yet in step */
	CONN_OFFLINE,   /* the server does not answer; pinging with backoff */
};
const char *conn_state_name(enum conn_state s);

struct conn;
struct conn_hooks {
	/* An event was applied to the replica (or was a heartbeat). */
	void (*on_event)(void *ctx, const struct proto_event *ev);
	/* A request sent with conn_send has its answer: the server's reply
	 * (answered), or, after CONN_REQUEST_TRIES sends with no answer, a
	 * local one (answered false, ok false, err unavailable) — in which
	 * case the server may still have acted on a copy it got. */
	void (*on_reply)(void *ctx, uint64_t tag, const struct proto_reply *rp, bool answered);
	/* The state changed or the replica was replaced by a snapshot. */
	void (*on_state)(void *ctx);
	void *ctx;
};

/* An applied event, remembered so a move's ack can be checked against
 * what the feed really said at its seq. */
struct conn_seen_ev {
	uint64_t epoch;
	uint64_t seq;
	uint8_t type;                  /* enum proto_event_type */
};

struct conn {
	void *zctx;
	struct feed feed;
	struct reqchan rq;
	char events_ep[ENDPOINT_MAX];
	char requests_ep[ENDPOINT_MAX];
	struct conn_hooks hooks;

	enum conn_state state;
	int64_t since_real;            /* wall ms: when the state began (STALE: last message) */
	int64_t last_msg;              /* monotonic ms of the last feed message */
	int64_t last_msg_real;
	int64_t alive;                 /* staleness counts from here: last feed
	                                  message or the snapshot, whichever later */
	int64_t snapshot_sent;         /* monotonic ms the snapshot request went */
	char why[96];                  /* why the last resync happened */

	struct floor floor;
	bool have_floor;

	bool snapshot_out;             /* a snapshot is wanted: asked, or due at snapshot_due */
	int64_t snapshot_due;          /* monotonic ms it goes; 0 = it has gone */
	struct backoff snap_backoff;
	int64_t live_since;            /* monotonic ms; 0 = not LIVE */
	struct proto_event *buf;       /* events seen while it is */
	uint32_t n_buf, cap_buf;
	bool buf_overflow;

	/* Where the feed is: its last message since the snapshot was asked. */
	bool feed_heard;
	uint64_t feed_epoch, feed_seq;
	int64_t behind_since;          /* monotonic ms the feed fell behind the replica; 0 = in step */

	/* keys: with them the feed comes over the request socket (a `ping`
	 * with feed, before every snapshot), which serves scoped and
	 * full-scope keys alike; the SUB is not opened */
	bool stream;

	int64_t next_ping;             /* OFFLINE: monotonic ms of the next ping */
	struct backoff ping_backoff;

	struct conn_seen_ev *seen;     /* ring of CONN_SEEN_MAX */
	uint32_t seen_head, n_seen;

	/* counters */
	uint64_t n_events;             /* applied */
	uint64_t n_bad_frames;         /* dropped: did not decode (feed and replies) */
	uint64_t n_resyncs;
	uint64_t n_snapshots;          /* snapshots applied: the replica was replaced */
	uint64_t rate_count;           /* events in the current second */
	int64_t rate_start;
	double rate;                   /* events per second, last full second */
};

/* 0, or -1 with err. */
int conn_open(struct conn *c, const char *events_ep, const char *requests_ep,
              const struct conn_hooks *hooks, char *err, size_t errlen);
/* The same with CURVE keys (cc NULL or off: plaintext, as conn_open);
 * a handshake the server refuses shows in `why` (reqchan.h). */
int conn_open_keyed(struct conn *c, const char *events_ep, const char *requests_ep,
                    const struct conn_hooks *hooks, const struct curve_client *cc, char *err,
                    size_t errlen);
void conn_close(struct conn *c);

/* Two poll items: the feed and the request socket. */
int conn_pollitems(struct conn *c, zmq_pollitem_t items[2]);
/* Read what the sockets have (bounded), run the timers. */
void conn_handle(struct conn *c, int64_t now);
/* Milliseconds until conn_handle has a timer to run (>= 0). */
long conn_timeout(const struct conn *c, int64_t now);

/* Send a request; rq->id is assigned; on_reply hears it with `tag`.
 * 0, or -1 when too many are in flight. */
int conn_send(struct conn *c, struct proto_request *rq, uint64_t tag);
/* Send a request whose outcome goes to fn(ctx, tag, ...) alone. */
int conn_request(struct conn *c, struct proto_request *rq, reqchan_fn fn, void *ctx, uint64_t tag);
/* Forget an in-flight request: its answer, if any comes, is dropped. */
void conn_cancel(struct conn *c, uint64_t tag);

/* What the connection is waiting for, in words for a status line, e.g.
 * "snapshot asked 1.2 s ago" or "next snapshot in 4 s"; "" when LIVE. */
void conn_waiting(const struct conn *c, int64_t now, char *buf, size_t len);

/* Did the feed show an agent.moved at (epoch, seq)?  For a move's ack: a
 * seq the feed carried as another event, or never reached, is no proof. */
enum conn_seen {
	CONN_SEEN_MOVED,       /* applied from the feed, and an agent.moved */
	CONN_SEEN_OTHER,       /* applied from the feed, but another event */
	CONN_SEEN_NOT_YET,     /* the replica is not there yet */
	CONN_SEEN_UNKNOWN,     /* folded into a snapshot, too old, or another epoch */
};
enum conn_seen conn_seen(const struct conn *c, uint64_t epoch, uint64_t seq);

int64_t conn_mono_ms(void);
int64_t conn_real_ms(void);

#endif
