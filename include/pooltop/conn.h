/*
 * conn: a client's link to pooltopd — the SUB feed, the request socket,
 * and the replica of the floor they keep.  It joins as PROTOCOL.md says
 * (subscribe, buffer, snapshot, apply what is newer), resyncs by itself on
 * a seq gap, a new epoch, floor.reset or a silent feed, and retries
 * requests Lazy-Pirate style with the same id.  It never blocks: the
 * caller polls its sockets (conn_pollitems) beside its own.
 */
#ifndef POOLTOP_CONN_H
#define POOLTOP_CONN_H

#include <stdbool.h>
#include <stdint.h>
#include <zmq.h>

#include "pooltop/curve_client.h"
#include "pooltop/floor.h"
#include "pooltop/proto.h"

#define CONN_STALE_MS 3000          /* no heartbeat or event for this long */
#define CONN_REQUEST_TIMEOUT_MS 1500
#define CONN_REQUEST_TRIES 3        /* sends of one request before giving up */
#define CONN_REQUESTS_MAX 32        /* in flight at once */
#define CONN_BUFFER_MAX 50000       /* events buffered while a snapshot is on its way (~35 MB at most) */
#define CONN_BACKOFF_MIN_MS 500
#define CONN_BACKOFF_MAX_MS 10000
#define CONN_DRAIN_MAX 2000         /* messages read per conn_handle call */
#define CONN_RCVHWM 100000          /* feed messages queued before libzmq drops */

enum conn_state {
	CONN_JOINING,   /* first snapshot not yet in */
	CONN_LIVE,
	CONN_STALE,     /* feed silent for CONN_STALE_MS; floor shown as last known */
	CONN_RESYNC,    /* a new snapshot is on its way */
	CONN_OFFLINE,   /* the server does not answer; pinging with backoff */
};
const char *conn_state_name(enum conn_state s);

/* Tags the caller gives requests; conn's own (snapshot, ping) are above. */
#define CONN_TAG_INTERNAL (UINT64_C(1) << 63)

struct conn_request {
	bool used;
	char id[PROTO_REQID_MAX + 1];
	enum proto_op op;
	uint64_t tag;
	struct proto_buf body;
	int64_t deadline;   /* monotonic ms */
	int tries;
};

struct conn;
struct conn_hooks {
	/* An event was applied to the replica (or was a heartbeat). */
	void (*on_event)(void *ctx, const struct proto_event *ev);
	/* A caller's request has its answer: the server's reply (answered),
	 * or, after CONN_REQUEST_TRIES sends with no answer, a local one
	 * (answered false, ok false, err unavailable) — in which case the
	 * server may still have acted on a copy it got. */
	void (*on_reply)(void *ctx, uint64_t tag, const struct proto_reply *rp, bool answered);
	/* The state changed or the replica was replaced by a snapshot. */
	void (*on_state)(void *ctx);
	void *ctx;
};

struct conn {
	void *zctx;
	void *sub;
	void *req;                     /* DEALER */
	char events_ep[256];
	char requests_ep[256];
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

	bool snapshot_out;             /* a snapshot request is in flight */
	struct proto_event *buf;       /* events seen while it is */
	uint32_t n_buf, cap_buf;
	bool buf_overflow;

	struct conn_request reqs[CONN_REQUESTS_MAX];
	char id_prefix[24];
	uint64_t next_id;

	/* keys: with them the feed comes over the request socket (a `ping`
	 * with feed), which serves scoped and full-scope keys alike */
	struct curve_client curve;
	bool stream;
	void *mon;                     /* handshake failures of req */
	unsigned mon_gen;
	char instance[33];             /* our client instance id (random, hex) */

	int64_t next_ping;             /* OFFLINE: monotonic ms of the next ping */
	int backoff_ms;
	uint32_t jitter;               /* xorshift state for the jitter */

	/* counters */
	uint64_t n_events;             /* applied */
	uint64_t n_bad_frames;         /* dropped: did not decode */
	uint64_t n_resyncs;
	uint64_t n_snapshots;          /* snapshots applied: the replica was replaced */
	uint64_t rate_count;           /* events in the current second */
	int64_t rate_start;
	double rate;                   /* events per second, last full second */
};

/* 0, or -1 with err. */
int conn_open(struct conn *c, const char *events_ep, const char *requests_ep,
              const struct conn_hooks *hooks, char *err, size_t errlen);
/* The same with CURVE keys (cc NULL or off: plaintext, as conn_open). */
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

/* Send a request; rq->id is assigned.  0, or -1 when too many are in flight. */
int conn_send(struct conn *c, struct proto_request *rq, uint64_t tag);
/* Forget an in-flight request: its answer, if any comes, is dropped. */
void conn_cancel(struct conn *c, uint64_t tag);

int64_t conn_mono_ms(void);
int64_t conn_real_ms(void);

#endif
