/*
 * server: pooltopd's one app struct and its loop — the floor clock, the
 * simulator feeding the model, the PUB feed, the ROUTER for requests and
 * the durable store.  Requests are handled in floor/request.c.
 */
#ifndef POOLTOP_SERVER_H
#define POOLTOP_SERVER_H

#include <stdbool.h>
#include <stdint.h>

#include "pooltop/floor.h"
#include "pooltop/proto.h"
#include "pooltop/scenario.h"
#include "pooltop/sim.h"
#include "pooltop/store.h"

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
	/* --source asterisk (floor/server_acd.c); false = the simulator */
	bool asterisk;
	const char *queue_log;    /* --queue-log PATH */
	bool follow;              /* --follow: tail it; else --replay */
	const char *ami;          /* --ami HOST:PORT, NULL = no AMI */
	const char *ami_user;
	const char *ami_secret_file;
};

/* The request being handled (floor/server.c sets it around
 * request_handle): what a move needs to answer later, once the PBX has
 * carried it out (floor/server_acd.c). */
struct server_req {
	const void *ident;
	size_t ident_len;
	bool delim;               /* REQ peer: an empty frame before the body */
	const uint8_t *body;
	size_t len;
	bool deferred;            /* no reply now: it is sent later */
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

	/* counters, logged at exit */
	uint64_t n_published;
	uint64_t n_requests;
	uint64_t n_bad_requests;
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
/* A move about to be made: 0 go ahead (no AMI, nothing to ask, or the
 * PBX already agreed); 1 the PBX was asked (QueueAdd/QueueRemove) and the
 * reply will come when it answers (sv->req.deferred is set); -1 refused
 * now, with rp's err and msg set. */
int server_acd_move_pbx(struct server *sv, const struct proto_request *rq,
                        const uint32_t *agents, uint32_t n, uint32_t to, struct proto_reply *rp);
/* A request moved floor agent `agent` to pool `pool`. */
void server_acd_moved(struct server *sv, uint32_t agent, uint32_t pool);
/* Fill a ping reply's `source` counters (nothing with the simulator). */
void server_acd_status(struct server *sv, struct proto_reply *rp);

/* --ami (floor/server_ami.c), used by floor/server_acd.c. */
struct server_ami;
struct acd_map;
struct server_ami *server_ami_open(struct server *sv, struct acd_map *map);
long server_ami_step(struct server_ami *x);   /* wall ms until it wants a step */
int server_ami_move(struct server *sv, struct server_ami *x, const struct proto_request *rq,
                    const uint32_t *agents, uint32_t n, uint32_t to, struct proto_reply *rp);
uint32_t server_ami_status(const struct server_ami *x, struct proto_count *out, uint32_t room);
void server_ami_close(struct server_ami *x);

/* Handle one request body; the encoded reply is left in *reply. */
void request_handle(struct server *sv, const uint8_t *body, size_t len, struct proto_buf *reply);

/* Logging to stderr with the floor clock; printf-like. */
void server_log(const struct server *sv, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
