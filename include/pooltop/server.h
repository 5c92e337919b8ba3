/*
 * server: pooltopd's one app struct and its loop — the floor clock, the
 * simulator feeding the model, the PUB feed, the ROUTER for requests and
 * the durable store.  Requests are handled in floor/request.c.
 */
#ifndef POOLTOP_SERVER_H
#define POOLTOP_SERVER_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "pooltop/endpoint.h"
#include "pooltop/feeds.h"
#include "pooltop/floor.h"
#include "pooltop/keystore.h"
#include "pooltop/netallow.h"
#include "pooltop/proto.h"
#include "pooltop/rng.h"
#include "pooltop/scenario.h"
#include "pooltop/sim.h"
#include "pooltop/store.h"
#include "pooltop/zap_thread.h"

#define SERVER_EVENTS_EP ENDPOINT_EVENTS_DEFAULT
#define SERVER_REQUESTS_EP ENDPOINT_REQUESTS_DEFAULT
/* Messages a PUB queues per subscriber before it drops: about a second
 * of the demo floor at --speed 60, and at most ~2 MB of memory per
 * subscriber that does not read (events are ~100-200 bytes).  Past it a
 * subscriber sees a seq gap and resyncs; it never silently diverges.
 * (Each subscriber's own RCVHWM holds far more on its side.) */
#define SERVER_SNDHWM 10000
/* The most --hwm takes: ~100 MB for one subscriber that stops reading. */
#define SERVER_SNDHWM_MAX 1000000
#define SERVER_STR_(x) #x
#define SERVER_STR(x) SERVER_STR_(x)
/* Replies the ROUTER queues per peer.  Past it the peer's requests wait
 * (SERVER_DEFER_PEER_MAX of them, SERVER_DEFER_MAX in all) until it reads;
 * past those a request from a peer that does not read is dropped. */
#define SERVER_REPLY_HWM 2
/* A DEALER queues up to 1000 requests by default: one that pipelines
 * that many and reads loses none. */
#define SERVER_DEFER_PEER_MAX 1024
#define SERVER_DEFER_MAX 4096
#define SERVER_DEFER_BYTES_MAX (16u << 20)
/* The same with keys, where per-connection event streams (feeds.h) share
 * that queue: libzmq's default, a second or so of a busy floor; past it
 * a stream loses events and its client sees the gap and resyncs. */
#define SERVER_STREAM_HWM 1000
/* libzmq I/O threads: connections (and their handshakes) are spread over
 * them, so a client already connected does not queue behind every
 * handshake of a flood, and the work can use a second core. */
#define SERVER_IO_THREADS 2
/* A connection must finish its handshake (ZMTP greeting and CURVE) in
 * this long or is dropped: libzmq's default of 30 s let a flood of
 * half-open connections hold six times as many. */
#define SERVER_HANDSHAKE_MS 5000
/* The largest message a subscriber may send the PUB (a subscription);
 * topics are a few bytes. */
#define SERVER_SUB_BYTES_MAX 1024
/* Requests the ROUTER takes in per peer before TCP pushes back. */
#define SERVER_REQUEST_HWM 64
/* Bytes of replies libzmq may hold, all peers together, before
 * snapshot/history/audit are refused with `unavailable`. */
#define SERVER_REPLY_BUDGET (128ULL << 20)
/* How long a move waits for a database another process has locked
 * before it is answered `unavailable` (under a client's 1.5 s timeout). */
#define SERVER_MOVE_WAIT_MS 1000
/* Moves waiting for the database at once, and per peer. */
#define SERVER_WAIT_MAX 64
#define SERVER_WAIT_PEER_MAX 8
/* Wall ms between saves of the current shift's counters: what a kill -9
 * can lose at most. */
#define SERVER_LIVE_MS 2000
/* The longest ZeroMQ routing id (libzmq's limit). */
#define SERVER_PEER_ID_MAX 255

struct server_opts {
	const char *scenario;     /* path */
	double speed;             /* floor ms per wall ms; 0 = as fast as possible */
	int64_t start_ts;         /* floor clock at start, ms; -1 = now */
	int64_t duration_ms;      /* stop after this much floor time; 0 = never */
	uint64_t seed;
	const char *events_ep;
	const char *requests_ep;
	const char *state_dir;
	int sndhwm;
	bool quiet;               /* no per-request logging */
	/* --source asterisk (floor/server_acd.c); false = the simulator */
	bool asterisk;
	const char *queue_log;    /* --queue-log PATH */
	bool follow;              /* --follow: tail it; else --replay */
	const char *ami;          /* --ami HOST:PORT, NULL = no AMI */
	const char *ami_user;
	const char *ami_secret_file;
	const char *server_key;   /* CURVE secret key file (with keystore) */
	const char *keystore;     /* keys, names, roles, scopes; NULL = no keys */
	bool insecure;            /* allow a non-loopback bind without keys */
	struct netallow allow;    /* --allow: TCP peers accepted (n 0: any) */
};

/* The request being handled (floor/server_io.c sets it around
 * request_try): what a move needs to answer later, once the PBX has
 * carried it out (floor/server_ami.c). */
struct server_req {
	const void *ident;
	size_t ident_len;
	bool delim;               /* REQ peer: an empty frame before the body */
	const uint8_t *body;
	size_t len;
	/* whose it is (both "" without keys): a move the PBX carries out
	 * is made later under the same key, looked up again then */
	const char *key_name;
	const char *key_z85;
};

struct server_acd;

struct server {
	struct server_opts opt;
	struct scenario sc;
	struct floor floor;
	struct sim *sim;          /* with --source asterisk: the shift clock only */
	struct store *store;
	struct server_acd *acd;   /* --source asterisk, else NULL */
	struct server_req req;    /* the request being handled */

	void *zctx;
	void *pub;
	void *router;
	int sigfd;

	uint64_t epoch;
	uint64_t seq;
	int64_t wall_start;       /* monotonic ms when the clock started */
	int64_t floor_start;      /* floor ms at wall_start */
	int64_t floor_end;        /* stop here, or INT64_MAX */
	int64_t next_hb;          /* monotonic ms */
	bool stop;

	struct proto_buf out;     /* scratch for encoding */

	/* The ROUTER side (floor/server_io.c). */
	_Atomic uint64_t reply_bytes;  /* of replies libzmq still holds */
	struct server_wait *wait;      /* moves waiting for the database, FIFO */
	uint32_t n_wait;
	struct server_wait *defer;     /* requests waiting for their peer to read */
	uint32_t n_defer;
	size_t defer_bytes;            /* of their bodies */
	uint32_t defer_tries;          /* passes in a row that sent nothing */
	int64_t defer_next;            /* monotonic ms */
	int64_t next_housekeep;        /* monotonic ms */
	int64_t next_expire;           /* monotonic ms */
	struct rng jitter;             /* for retry backoff */
	uint64_t n_dropped_logged;

	/* The current shift's counters on disk (floor/server_live.c). */
	bool live_ready;               /* resumed: saves may replace what was saved */
	bool live_failing;
	int64_t live_gap_ms;           /* floor ms of the shift the counters miss */
	int64_t next_live;             /* monotonic ms */

	/* security (floor/auth.c): with a keystore both sockets are CURVE
	 * servers and every connection is vetted by the ZAP handler */
	bool keyed;
	struct keystore keys;
	struct zap_thread *zap;      /* the ZAP handler's thread (zap_thread.h) */
	struct feeds feeds;       /* event streams over the ROUTER */
	/* Loans that could not be ended yet (floor/loan.c). */
	int64_t loan_retry;            /* monotonic ms: try again then */
	int64_t loan_backoff_ms;

	/* counters, logged at exit */
	uint64_t n_published;
	uint64_t n_requests;
	uint64_t n_bad_requests;
	uint64_t n_dropped;            /* replies to peers that did not read */
	uint64_t n_forbidden;          /* requests refused for their key, role or scope */
};

/* Who sent a request, as the server's own sockets established it. */
struct request_who {
	const struct keystore_key *key;  /* NULL: no keystore, full rights */
	const char *owner;               /* idempotency namespace: the key's;
	                                    NULL or "": the request's `client` */
	const void *rid;                 /* ROUTER routing id, for its stream */
	size_t rid_len;
};

/* A move that waits for the database, with the envelope to answer it. */
struct server_wait {
	uint8_t peer[SERVER_PEER_ID_MAX];
	size_t peer_len;
	bool delimiter;
	uint8_t *body;
	size_t len;
	int64_t deadline;              /* monotonic ms: answer unavailable then */
	int64_t next_try;
	uint32_t tries;
	/* whose it is, looked up again when it is tried: a key removed
	 * meanwhile moves nothing (both "" without keys) */
	char key_name[PROTO_ID_MAX + 1];
	char key_z85[KEYFILE_Z85_LEN + 1];
};

/* Parse argv into opts (defaults filled). 0 ok, 1 exit 0 (--help/--version
 * printed), 2 bad usage (message printed). */
int server_parse_args(int argc, char **argv, struct server_opts *o);
/* 0 on success, else a message has been logged. */
int server_open(struct server *sv, const struct server_opts *o);
int server_run(struct server *sv);
void server_close(struct server *sv);

/* Publish one event made by the server itself (assigns epoch and seq,
 * applies it to the floor, persists closed shifts). */
void server_publish(struct server *sv, struct proto_event *ev);
int64_t server_floor_now(const struct server *sv);
/* Wall clocks in ms: monotonic (for intervals) and real (Unix time). */
int64_t server_mono_ms(void);
int64_t server_real_ms(void);

/* --source asterisk (floor/server_acd.c).  start: prepare the scenario
 * (no simulated duty or breaks) and find the floor clock's start in the
 * log; open: after sim_start, the queue_log feed; advance: read what is
 * due at this wall time, returns wall ms until more is due. */
int server_acd_start(struct server *sv, int64_t *start_ts);
int server_acd_open(struct server *sv);
long server_acd_advance(struct server *sv, int64_t wall);
void server_acd_close(struct server *sv);
/* A move about to be made (floor/request.c): 0 go ahead (no AMI,
 * nothing to ask, or the PBX already confirmed this request id); 1 the
 * PBX was asked (QueueAdd/QueueRemove): no reply now, the request is
 * handled again through server_io_resume once the PBX confirmed, or
 * failed with the PBX's words (the envelope is taken from sv->req); -1
 * refused now, with rp's err and msg set. */
int server_acd_move_pbx(struct server *sv, const struct proto_request *rq,
                        const uint32_t *agents, uint32_t n, uint32_t to, struct proto_reply *rp);
/* The move with this request id was answered (made, replayed or
 * refused): a PBX confirmation kept for it is let go. */
void server_acd_move_done(struct server *sv, const char *id);
/* A request moved floor agent `agent` to pool `pool`. */
void server_acd_moved(struct server *sv, uint32_t agent, uint32_t pool);
/* Fill a ping reply's `source` counters (nothing with the simulator). */
void server_acd_status(const struct server *sv, struct proto_reply *rp);

/* --ami (floor/server_ami.c), used by floor/server_acd.c. */
struct server_ami;
struct acd_map;
struct server_ami *server_ami_open(struct server *sv, struct acd_map *map);
long server_ami_step(struct server_ami *x);   /* wall ms until it wants a step */
int server_ami_move(struct server *sv, struct server_ami *x, const struct proto_request *rq,
                    const uint32_t *agents, uint32_t n, uint32_t to, struct proto_reply *rp);
void server_ami_move_done(struct server_ami *x, const char *id);
uint32_t server_ami_status(const struct server_ami *x, struct proto_count *out, uint32_t room);
void server_ami_close(struct server_ami *x);

/*
 * What floor/request.c may see and do: it uses nothing else of the
 * server.  It reads the floor, asks the store, and makes a move by
 * reserving the seqs its events will carry (so the reply it commits
 * names them before they exist), publishing exactly those events, and
 * then placing the agents in the simulator.  On an Asterisk floor it
 * also asks the PBX first and says when a move is over
 * (server_acd_move_pbx, server_acd_move_done, server_acd_status above).
 */
const struct floor *server_floor(const struct server *sv);
struct store *server_store(const struct server *sv);
/* The current epoch, and the seq of the last event published. */
uint64_t server_epoch_seq(const struct server *sv, uint64_t *seq);
/* Is tenant t (floor index) inside its business hours now? */
bool server_tenant_open(const struct server *sv, uint32_t t);
/* Loans (floor/loan.c): set the floor's loans from the store after it is
 * built; send home every agent whose loan has ended (each loop). */
int loan_restore(struct server *sv);
void loan_tick(struct server *sv, int64_t wall);
/* Move a floor agent to a pool in the simulator (after its agent.moved is
 * published: the simulator may route a contact to it at once), and in
 * the ACD source's map on an Asterisk floor. */
void server_place_agent(struct server *sv, uint32_t agent, uint32_t pool);
/* The event streams over the ROUTER (feeds.h), and a request refused for
 * its key, role or scope (counted, logged at exit). */
struct feeds *server_feeds(struct server *sv);
void server_forbidden(struct server *sv);
/* Logging of things that happen (moves), unless --quiet. */
void server_info(const struct server *sv, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* The next n seqs of the current epoch, handed out for one request's
 * events: first .. first + n - 1 (first = the current seq + 1; with n 0,
 * last is the current seq). */
struct server_seqs {
	uint64_t epoch;
	uint64_t first;
	uint64_t last;
	uint64_t next;            /* the next one server_publish_reserved uses */
};
struct server_seqs server_reserve_seq(struct server *sv, uint32_t n);
/* Publish ev with the reservation's next seq.  -1 (nothing published,
 * logged) when the reservation is used up or another event took its seq. */
int server_publish_reserved(struct server *sv, struct server_seqs *r, struct proto_event *ev);

/* The ROUTER side (floor/server_io.c): read and answer what waits on it,
 * retry moves that wait for the database, and say how long until the
 * next retry (ms, -1 for none). */
bool server_io_request(struct server *sv, int64_t now);
void server_io_retry(struct server *sv, int64_t now);
long server_io_next(const struct server *sv, int64_t now);
void server_io_close(struct server *sv);
/* Answer a peer later (a move the PBX refused), and hand a move the PBX
 * confirmed back to the move path: made and answered when durable, or
 * waiting for the database like any move. */
void server_io_reply(struct server *sv, const void *peer, size_t peer_len, bool delimiter,
                     struct proto_buf *reply);
void server_io_resume(struct server *sv, const void *peer, size_t peer_len, bool delimiter,
                      const uint8_t *body, size_t len, const char *key_name, const char *key_z85);
/* The current shift's counters on disk (floor/server_live.c): a shift
 * began (rows from `closed` on were closed by it); save now; resume what
 * a previous run saved (once, at start). */
void server_live_shift(struct server *sv, const struct proto_event *ev, uint32_t closed);
void server_live_save(struct server *sv);
void server_live_resume(struct server *sv);

/* Bytes of replies sent but not yet taken by their peers' sockets. */
uint64_t server_replies_held(const struct server *sv);

/* Handle one request body; the encoded reply is left in *reply.
 * request_handle answers as to a sender with full rights (no keys);
 * request_try takes who sent it (NULL: the same). */
enum request_result {
	REQUEST_ANSWERED,
	REQUEST_MALFORMED,        /* answered bad_request: it did not decode */
	REQUEST_BUSY,             /* a move waits for the database: no reply yet */
	REQUEST_DEFERRED,         /* a move waits for the PBX (--ami): it answers */
};
/* What a move may do when another process holds the database's lock. */
enum request_mode {
	REQUEST_NOW,              /* answer now (unavailable if locked) */
	REQUEST_MAY_WAIT,         /* locked: REQUEST_BUSY, to be tried again */
	REQUEST_QUEUE,            /* other moves wait: REQUEST_BUSY without trying */
};
enum request_result request_handle(struct server *sv, const uint8_t *body, size_t len,
                                   struct proto_buf *reply);
enum request_result request_try(struct server *sv, const struct request_who *who, const uint8_t *body,
                                size_t len, struct proto_buf *reply, enum request_mode mode);
/* The op of a request body that decodes (enum proto_op), else -1. */
int request_op(const uint8_t *body, size_t len);
/* A refusal of a request without handling it: its id if one can be read. */
void request_refuse(const uint8_t *body, size_t len, struct proto_buf *reply,
                    enum proto_reply_err err, const char *msg);

/* Logging to stderr with the floor clock; printf-like. */
void server_log(const struct server *sv, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
