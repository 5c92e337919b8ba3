/*
 * server: pooltopd's one app struct and its loop — the floor clock, the
 * simulator feeding the model, the PUB feed, the ROUTER for requests and
 * the durable store.  Requests are handled in floor/request.c.
 */
#ifndef POOLTOP_SERVER_H
#define POOLTOP_SERVER_H

#include <stdbool.h>
#include <stdint.h>

#include "pooltop/feeds.h"
#include "pooltop/floor.h"
#include "pooltop/keystore.h"
#include "pooltop/proto.h"
#include "pooltop/scenario.h"
#include "pooltop/sim.h"
#include "pooltop/store.h"
#include "pooltop/zap.h"

#define SERVER_EVENTS_EP "tcp://127.0.0.1:7701"
#define SERVER_REQUESTS_EP "tcp://127.0.0.1:7702"
/* Messages a PUB queues per subscriber before it drops: about 10 s of the
 * demo floor at --speed 60.  Past it a subscriber sees a seq gap and
 * resyncs; it never silently diverges. */
#define SERVER_SNDHWM 100000

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
	const char *server_key;   /* CURVE secret key file (with keystore) */
	const char *keystore;     /* keys, names, roles, scopes; NULL = no keys */
	bool insecure;            /* allow a non-loopback bind without keys */
};

struct server {
	struct server_opts opt;
	struct scenario sc;
	struct floor floor;
	struct sim *sim;
	struct store *store;

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

	/* security (floor/auth.c): with a keystore both sockets are CURVE
	 * servers and every connection is vetted by the ZAP handler */
	bool keyed;
	struct keystore keys;
	struct zap *zap;
	struct feeds feeds;       /* event streams over the ROUTER */

	/* counters, logged at exit */
	uint64_t n_published;
	uint64_t n_requests;
	uint64_t n_bad_requests;
	uint64_t n_forbidden;     /* requests refused for their key, role or scope */
};

/* Who sent a request, as the server's own sockets established it. */
struct request_who {
	const struct keystore_key *key;  /* NULL: no keystore, full rights */
	const char *owner;               /* idempotency namespace: the key's;
	                                    NULL or "": the request's `client` */
	const void *rid;                 /* ROUTER routing id, for its stream */
	size_t rid_len;
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

/* Handle one request body; the encoded reply is left in *reply. */
void request_handle(struct server *sv, const uint8_t *body, size_t len, struct proto_buf *reply);
/* The same for a known sender: roles, scope, identity and stream. */
void request_handle_as(struct server *sv, const struct request_who *who, const uint8_t *body,
                       size_t len, struct proto_buf *reply);

/* Logging to stderr with the floor clock; printf-like. */
void server_log(const struct server *sv, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
