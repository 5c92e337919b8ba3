/*
 * pooltopd's loop: advance the floor clock, let the simulator catch up to
 * it (every event goes through server_publish: seq, floor_apply, store,
 * PUB), answer requests, send heartbeats.  One thread owns the floor;
 * zmq_poll waits for the next simulated event, the next heartbeat, a
 * request or a signal.  With keys, handshakes are vetted in the ZAP
 * thread (zap_thread.h), which shares nothing with this one.
 */
#include <errno.h>
#include <malloc.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zmq.h>

#include "pooltop/auth.h"
#include "pooltop/server.h"

#define SERVER_BATCH 20000       /* sim events between polls at --speed max */
#define SERVER_REQ_SLICE_MS 50   /* wall ms of requests before the loop goes round */
#define SERVER_HB_MS 1000        /* wall ms between heartbeats */
#define SERVER_HOUSEKEEP_MS 10000 /* wall ms between returning memory, logging drops */
#define SERVER_EXPIRE_MS (3600 * 1000) /* wall ms between expiring stored move replies */
/* Requests bigger than this are cut off by libzmq before they are
 * buffered; between PROTO_REQUEST_BYTES_MAX and this they get bad_request. */
#define SERVER_REQ_BYTES_CUTOFF (2 * PROTO_REQUEST_BYTES_MAX)
/* While it runs, a call into a database another process has locked
 * fails after this long instead of stalling the loop (store_open's 5 s
 * stays for startup). */
#define SERVER_STORE_BUSY_MS 5
/* Closed-shift rows kept while the store refuses them. */
#define SERVER_HISTORY_PENDING_MAX PROTO_ROWS_MAX

static void server_publish_seq(struct server *sv, struct proto_event *ev);

int64_t
server_mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t
server_real_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void
server_log(const struct server *sv, const char *fmt, ...)
{
	va_list ap;
	char when[32] = "--:--:--";
	time_t t;
	struct tm tm;

	if (sv->sim != NULL) {
		t = (time_t)(sim_now(sv->sim) / 1000);
		localtime_r(&t, &tm);
		strftime(when, sizeof when, "%H:%M:%S", &tm);
	}
	fprintf(stderr, "pooltopd[%s]: ", when);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int64_t
server_floor_now(const struct server *sv)
{
	return sim_now(sv->sim);
}

/* Closed shifts leave the floor for the store as soon as they close, so
 * history survives a restart and the floor does not grow.  Rows the store
 * refuses stay on the floor and go with the next close (one transaction,
 * and INSERT OR REPLACE, so a retry never duplicates); a store that never
 * recovers costs at most SERVER_HISTORY_PENDING_MAX rows of memory. */
static void
server_persist_history(struct server *sv)
{
	struct floor *f = &sv->floor;
	uint32_t refused = 0;

	if (f->n_history == 0)
		return;
	if (store_history_close_sl(sv->store, f->history, f->history_sl, f->n_history, sv->epoch,
	                           &refused) < 0) {
		server_log(sv, "cannot record closed shift, %u tenant rows kept to retry at the next "
		           "close: %s", f->n_history, store_errmsg(sv->store));
		if (f->n_history > SERVER_HISTORY_PENDING_MAX) {
			server_log(sv, "dropping the oldest %u unrecorded history rows",
			           f->n_history - SERVER_HISTORY_PENDING_MAX);
			floor_history_trim(f, SERVER_HISTORY_PENDING_MAX);
		}
		return;
	}
	/* A second run over the same floor day: the first run's rows stay. */
	if (refused > 0)
		server_log(sv, "shift %s of %u tenants was already recorded by an earlier run; those "
		           "rows are kept and this run's are not recorded", f->history[0].shift, refused);
	if (!sv->opt.quiet)
		server_log(sv, "shift closed: %u tenant rows recorded", f->n_history - refused);
	floor_history_trim(f, 0);
}

static void
server_send(struct server *sv, const struct proto_event *ev)
{
	proto_buf_reset(&sv->out);
	if (proto_encode_event(&sv->out, ev) < 0) {
		server_log(sv, "out of memory encoding an event");
		return;
	}
	/* PUB never blocks: past the high-water mark it drops, and the
	 * subscriber sees the gap in seq. */
	zmq_send(sv->pub, PROTO_TOPIC, strlen(PROTO_TOPIC), ZMQ_SNDMORE | ZMQ_DONTWAIT);
	zmq_send(sv->pub, sv->out.data, sv->out.len, ZMQ_DONTWAIT);
	sv->n_published++;
}

void
server_publish(struct server *sv, struct proto_event *ev)
{
	ev->epoch = sv->epoch;
	ev->seq = ++sv->seq;
	server_publish_seq(sv, ev);
}

struct server_seqs
server_reserve_seq(struct server *sv, uint32_t n)
{
	struct server_seqs r;

	r.epoch = sv->epoch;
	r.first = sv->seq + 1;
	r.last = sv->seq + n;
	r.next = r.first;
	return r;
}

int
server_publish_reserved(struct server *sv, struct server_seqs *r, struct proto_event *ev)
{
	/* One thread: nothing can publish between the reservation and its
	 * events, so a mismatch is a bug in the caller, never a race. */
	if (r->next > r->last || r->next != sv->seq + 1 || r->epoch != sv->epoch) {
		server_log(sv, "a %s event does not match its reserved seq %llu (current %llu); not published",
		           proto_event_type_name(ev->type), (unsigned long long)r->next,
		           (unsigned long long)sv->seq);
		return -1;
	}
	ev->epoch = r->epoch;
	ev->seq = r->next++;
	sv->seq = ev->seq;
	server_publish_seq(sv, ev);
	return 0;
}

struct feeds *
server_feeds(struct server *sv)
{
	return &sv->feeds;
}

void
server_forbidden(struct server *sv)
{
	sv->n_forbidden++;
}

const struct floor *
server_floor(const struct server *sv)
{
	return &sv->floor;
}

struct store *
server_store(const struct server *sv)
{
	return sv->store;
}

uint64_t
server_epoch_seq(const struct server *sv, uint64_t *seq)
{
	*seq = sv->seq;
	return sv->epoch;
}

bool
server_tenant_open(const struct server *sv, uint32_t t)
{
	return sim_tenant_open(sv->sim, t);
}

void
server_place_agent(struct server *sv, uint32_t agent, uint32_t pool)
{
	sim_move(sv->sim, agent, pool);
	server_acd_moved(sv, agent, pool);
}

void
server_info(const struct server *sv, const char *fmt, ...)
{
	char line[1024];
	va_list ap;

	if (sv->opt.quiet)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	server_log(sv, "%s", line);
}

/* Epoch and seq are set: apply, persist a closed shift, send. */
static void
server_publish_seq(struct server *sv, struct proto_event *ev)
{
	uint32_t closed = sv->floor.n_history;

	if (floor_apply(&sv->floor, ev, false) != FLOOR_APPLIED)
		server_log(sv, "model refused its own %s event (seq %llu)",
		           proto_event_type_name(ev->type), (unsigned long long)ev->seq);
	if (ev->type == PROTO_EV_SHIFT_STARTED) {
		server_live_shift(sv, ev, closed);
		server_persist_history(sv);
		/* at once: the saved counters must not outlive their shift's
		 * history row, or a restart would record them again */
		if (sv->live_ready)
			server_live_save(sv);
	}
	server_send(sv, ev);
	feeds_publish(&sv->feeds, sv->router, &sv->floor, ev);
}

static void
server_on_sim(void *ctx, struct proto_event *ev)
{
	server_publish(ctx, ev);
}

static void
server_heartbeat(struct server *sv)
{
	struct proto_event ev;

	memset(&ev, 0, sizeof ev);
	ev.type = PROTO_EV_HB;
	ev.epoch = sv->epoch;
	ev.seq = sv->seq;
	ev.ts = server_floor_now(sv);
	server_send(sv, &ev);
	feeds_heartbeat(&sv->feeds, sv->router, ev.ts);
}

/* ------------------------------------------------------------ setup */

struct server_assignment {
	uint32_t agent;
	uint32_t pool;
};

struct server_assign_ctx {
	struct server *sv;
	uint32_t *pool_of;           /* per scenario agent */
	uint32_t n;
};

static int
server_on_assignment(const char *agent, const char *pool, void *arg)
{
	struct server_assign_ctx *ac = arg;
	const struct scenario *sc = &ac->sv->sc;
	int p = scenario_pool_find(sc, pool);

	for (uint32_t a = 0; a < sc->n_agents; a++) {
		if (strcmp(sc->agents[a].id, agent) != 0)
			continue;
		if (p < 0) {
			server_log(ac->sv, "state: agent %s was moved to pool %s, which this scenario lacks; "
			           "keeping its scenario pool", agent, pool);
			return 0;
		}
		ac->pool_of[a] = (uint32_t)p;
		ac->n++;
		return 0;
	}
	server_log(ac->sv, "state: agent %s is not in this scenario; its move is ignored", agent);
	return 0;
}

/* The floor starts as the scenario says, with persisted moves applied:
 * every agent offline until the simulator puts the shift on duty. */
static int
server_bind(struct server *sv, void *sock, const char *ep, const char *what)
{
	if (zmq_bind(sock, ep) == 0)
		return 0;
	server_log(sv, "cannot bind %s endpoint %s: %s", what, ep, zmq_strerror(zmq_errno()));
	return -1;
}

static int
server_open_zmq(struct server *sv)
{
	int linger = 0, hwm = sv->opt.sndhwm, one = 1;
	/* With keys, events of per-connection streams (feeds.h) share the
	 * ROUTER's per-peer queue with replies: room for a burst of them. */
	int reply_hwm = sv->opt.keystore ? SERVER_STREAM_HWM : SERVER_REPLY_HWM;
	int request_hwm = SERVER_REQUEST_HWM;
	int64_t maxmsg = SERVER_REQ_BYTES_CUTOFF, maxsub = SERVER_SUB_BYTES_MAX;
	int handshake = SERVER_HANDSHAKE_MS;

	sv->zctx = zmq_ctx_new();
	if (sv->zctx == NULL)
		return -1;
	/* Connections are spread over the I/O threads: during a flood of
	 * handshakes a client already connected shares its thread's queue
	 * with only part of them, and the work uses more than one core. */
	zmq_ctx_set(sv->zctx, ZMQ_IO_THREADS, SERVER_IO_THREADS);
	sv->pub = zmq_socket(sv->zctx, ZMQ_PUB);
	sv->router = zmq_socket(sv->zctx, ZMQ_ROUTER);
	if (sv->pub == NULL || sv->router == NULL)
		return -1;
	zmq_setsockopt(sv->pub, ZMQ_LINGER, &linger, sizeof linger);
	zmq_setsockopt(sv->pub, ZMQ_SNDHWM, &hwm, sizeof hwm);
	/* A subscriber sends only subscriptions: one larger than any topic
	 * disconnects it. */
	zmq_setsockopt(sv->pub, ZMQ_MAXMSGSIZE, &maxsub, sizeof maxsub);
	/* A connection that has not finished its handshake (greeting, CURVE)
	 * in this long is dropped: half-open connections cannot pile up. */
	zmq_setsockopt(sv->pub, ZMQ_HANDSHAKE_IVL, &handshake, sizeof handshake);
	zmq_setsockopt(sv->router, ZMQ_HANDSHAKE_IVL, &handshake, sizeof handshake);
	zmq_setsockopt(sv->router, ZMQ_LINGER, &linger, sizeof linger);
	/* A peer that sends more than this is disconnected by libzmq before
	 * anything is buffered; frames between the request limit and this
	 * get a bad_request. */
	zmq_setsockopt(sv->router, ZMQ_MAXMSGSIZE, &maxmsg, sizeof maxmsg);
	/* What one peer can make the server hold: a few replies it has not
	 * read (mandatory: a full queue is an error we see, so the request
	 * is dropped before it costs anything, and a stream to a peer that
	 * has gone is closed, not kept), and the requests it queued. */
	zmq_setsockopt(sv->router, ZMQ_ROUTER_MANDATORY, &one, sizeof one);
	zmq_setsockopt(sv->router, ZMQ_SNDHWM, &reply_hwm, sizeof reply_hwm);
	zmq_setsockopt(sv->router, ZMQ_RCVHWM, &request_hwm, sizeof request_hwm);
	if (auth_open(sv) < 0)
		return -1;
	/* Set before the binds: libzmq's listener takes them when it binds. */
	if (netallow_apply(&sv->opt.allow, sv->pub) < 0 || netallow_apply(&sv->opt.allow, sv->router) < 0) {
		server_log(sv, "cannot set --allow: %s", zmq_strerror(zmq_errno()));
		return -1;
	}
	if (sv->opt.allow.n > 0)
		server_log(sv, "accepting TCP connections only from %u network%s (--allow); others are closed "
		           "before any handshake", sv->opt.allow.n, sv->opt.allow.n == 1 ? "" : "s");
	if (server_bind(sv, sv->pub, sv->opt.events_ep, "events") < 0)
		return -1;
	if (server_bind(sv, sv->router, sv->opt.requests_ep, "requests") < 0)
		return -1;
	return 0;
}

static int
server_open_signals(struct server *sv)
{
	sigset_t mask;

	sigemptyset(&mask);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGHUP);     /* reload the keystore */
	if (sigprocmask(SIG_BLOCK, &mask, NULL) < 0)
		return -1;
	sv->sigfd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
	signal(SIGPIPE, SIG_IGN);
	return sv->sigfd < 0 ? -1 : 0;
}

static const char *
server_state_dir(char *buf, size_t len)
{
	const char *x = getenv("XDG_STATE_HOME"), *home = getenv("HOME");

	if (x != NULL && *x == '/')
		snprintf(buf, len, "%s/pooltop", x);
	else
		snprintf(buf, len, "%s/.local/state/pooltop", home ? home : ".");
	return buf;
}

static int32_t
server_tz_offset(int64_t at_ms)
{
	time_t t = (time_t)(at_ms / 1000);
	struct tm tm;

	localtime_r(&t, &tm);
	return (int32_t)tm.tm_gmtoff;
}

/*
 * The store's counter alone restarts at 1 with a fresh state directory,
 * and a client that saw the old run would take the new run's events for
 * ones it already applied.  Wall-clock seconds (real time, not the floor
 * clock, which --start can set back) make it unique across runs; the low
 * 16 bits of the counter keep two starts within one second apart.
 * Seconds, not ms: the result stays below 2^53, so readers that hold
 * numbers as doubles (JSON, JavaScript) still compare epochs exactly.
 */
static uint64_t
server_epoch(int64_t wall_ms, uint64_t counter)
{
	uint64_t sec = wall_ms > 0 ? (uint64_t)(wall_ms / 1000) : 0;

	return (sec << 16) | (counter & 0xffff);
}

int
server_open(struct server *sv, const struct server_opts *o)
{
	char err[512], dir[1024], speed[32];
	struct server_assign_ctx ac;
	const char *state;
	uint64_t counter;
	int64_t now;

	memset(sv, 0, sizeof *sv);
	sv->opt = *o;
	sv->sigfd = -1;
	proto_buf_init(&sv->out);
	floor_init(&sv->floor);
	state = o->state_dir ? o->state_dir : server_state_dir(dir, sizeof dir);

	if (scenario_load_flags(o->scenario, o->asterisk ? SCENARIO_F_ACD : 0, &sv->sc, err,
	                        sizeof err) < 0) {
		fprintf(stderr, "pooltopd: %s\n", err);
		return -1;
	}
	if (store_open(&sv->store, state, err, sizeof err) < 0) {
		fprintf(stderr, "pooltopd: %s\n", err);
		return -1;
	}
	if (store_next_epoch(sv->store, &counter) < 0) {
		fprintf(stderr, "pooltopd: state: %s\n", store_errmsg(sv->store));
		return -1;
	}
	sv->epoch = server_epoch(server_real_ms(), counter);
	rng_seed(&sv->jitter, sv->epoch ^ o->seed);

	now = o->start_ts >= 0 ? o->start_ts : server_real_ms();
	if (o->asterisk && server_acd_start(sv, &now) < 0)   /* the log's clock */
		return -1;
	ac.sv = sv;
	ac.n = 0;
	ac.pool_of = calloc(sv->sc.n_agents ? sv->sc.n_agents : 1, sizeof *ac.pool_of);
	if (ac.pool_of == NULL)
		return -1;
	for (uint32_t a = 0; a < sv->sc.n_agents; a++)
		ac.pool_of[a] = sv->sc.agents[a].pool;
	store_assignments_each(sv->store, server_on_assignment, &ac);

	if (scenario_floor(&sv->sc, &sv->floor, sv->epoch, ac.pool_of, now) < 0) {
		fprintf(stderr, "pooltopd: cannot build the floor from %s\n", o->scenario);
		free(ac.pool_of);
		return -1;
	}
	if (loan_restore(sv) < 0)
		server_log(sv, "state: loans cannot be read (%s); agents on loan stay where they are",
		           store_errmsg(sv->store));
	sv->sim = sim_new(&sv->sc, o->seed, now, server_tz_offset(now), server_on_sim, sv);
	if (sv->sim == NULL) {
		free(ac.pool_of);
		return -1;
	}
	for (uint32_t a = 0; a < sv->sc.n_agents; a++)
		sim_move(sv->sim, a, ac.pool_of[a]);
	free(ac.pool_of);

	if (server_open_zmq(sv) < 0 || server_open_signals(sv) < 0)
		return -1;

	if (o->speed > 0)
		snprintf(speed, sizeof speed, "%.6g", o->speed);
	else
		snprintf(speed, sizeof speed, "max");
	server_log(sv, "pooltopd %s: scenario %s (%u tenants, %u pools, %u agents), seed %llu, "
	           "speed %s, epoch %llu, %u persisted moves, state %s",
	           POOLTOP_VERSION, o->scenario, sv->sc.n_tenants, sv->sc.n_pools, sv->sc.n_agents,
	           (unsigned long long)o->seed, speed, (unsigned long long)sv->epoch, ac.n, state);
	server_log(sv, "events on %s, requests on %s", o->events_ep, o->requests_ep);

	sv->wall_start = server_mono_ms();
	sv->floor_start = now;
	sv->floor_end = o->duration_ms > 0 ? now + o->duration_ms : INT64_MAX;
	sv->next_hb = sv->wall_start;
	sv->next_housekeep = sv->wall_start + SERVER_HOUSEKEEP_MS;
	sv->next_expire = sv->wall_start;
	sim_start(sv->sim);
	/* An ACD's floor is rebuilt from its log on every start (a replay
	 * or a follow reads the file from its beginning): counters saved by
	 * an earlier run would count that log twice, and they would be
	 * resumed by a later simulated floor. */
	if (!o->asterisk) {
		server_live_resume(sv);
		sv->live_ready = true;
	}
	sv->next_live = sv->wall_start + SERVER_LIVE_MS;
	store_set_busy_ms(sv->store, SERVER_STORE_BUSY_MS);
	if (o->asterisk && server_acd_open(sv) < 0)
		return -1;
	return 0;
}

/* ------------------------------------------------------------ loop */

static void
server_on_signal(struct server *sv)
{
	struct signalfd_siginfo si;

	while (read(sv->sigfd, &si, sizeof si) == (ssize_t)sizeof si) {
		if (si.ssi_signo == SIGHUP) {
			auth_reload(sv);
			continue;
		}
		server_log(sv, "%s: shutting down", strsignal((int)si.ssi_signo));
		sv->stop = true;
	}
}

/* Let the simulation catch up with the floor clock; returns how long
 * (wall ms) until there is more to do. */
static long
server_advance(struct server *sv, int64_t wall)
{
	int64_t target, next;

	if (sv->acd != NULL)
		return server_acd_advance(sv, wall);
	if (sv->opt.speed <= 0) {
		target = sv->floor_end;
		sim_run_until(sv->sim, target, SERVER_BATCH);
		if (sim_next_ts(sv->sim) > sv->floor_end)
			sim_run_until(sv->sim, sv->floor_end, 0);
		return 0;
	}
	target = sv->floor_start + (int64_t)((double)(wall - sv->wall_start) * sv->opt.speed);
	if (target > sv->floor_end)
		target = sv->floor_end;
	/* Bounded so a very high speed still answers requests promptly. */
	if (sim_run_until(sv->sim, target, SERVER_BATCH) == SERVER_BATCH)
		return 0;
	next = sim_next_ts(sv->sim);
	if (next == INT64_MAX)
		return 1000;
	return (long)((double)(next - target) / sv->opt.speed) + 1;
}

/* Every SERVER_HOUSEKEEP_MS: give back to the system what slow peers
 * made libzmq and the allocator keep (glibc keeps freed heap for reuse;
 * after a crowd of slow subscribers leaves it can be most of the RSS),
 * record closed shifts the store refused, expire old move replies, and
 * say how many replies went to peers that did not read. */
static void
server_housekeep(struct server *sv, int64_t wall)
{
	if (wall < sv->next_housekeep)
		return;
	sv->next_housekeep = wall + SERVER_HOUSEKEEP_MS;
	malloc_trim(0);
	/* closed-shift rows a locked or failing store refused at the close */
	if (sv->floor.n_history > 0)
		server_persist_history(sv);
	if (wall >= sv->next_expire) {
		int gone = store_expire(sv->store, server_real_ms());

		sv->next_expire = wall + SERVER_EXPIRE_MS;
		if (gone > 0)
			server_log(sv, "%d stored move replies older than %lld days expired", gone,
			           STORE_REPLY_KEEP_MS / 86400000LL);
	}
	if (sv->n_dropped != sv->n_dropped_logged) {
		server_log(sv, "%llu requests dropped unanswered since the last report: their peers "
		           "do not read their replies", (unsigned long long)(sv->n_dropped - sv->n_dropped_logged));
		sv->n_dropped_logged = sv->n_dropped;
	}
}

/* What is due by the wall clock: heartbeats, moves waiting for the
 * database, loans that ended, housekeeping. */
static void
server_heartbeat_due(struct server *sv, int64_t wall)
{
	if (wall >= sv->next_hb) {
		server_heartbeat(sv);
		sv->next_hb = wall + SERVER_HB_MS;
	}
	server_io_retry(sv, wall);
	loan_tick(sv, wall);
	if (sv->live_ready && wall >= sv->next_live) {
		server_live_save(sv);
		sv->next_live = wall + SERVER_LIVE_MS;
	}
	server_housekeep(sv, wall);
}

/*
 * Requests waiting on the ROUTER, for at most SERVER_REQ_SLICE_MS of wall
 * time: a flood of them can neither stall the floor nor silence the
 * heartbeat (3 s without one and every client resyncs).  Each request sees
 * the floor as of now: at --speed 600 the clock as of the last poll could
 * be ten floor minutes behind.
 */
static void
server_on_requests(struct server *sv)
{
	int64_t until = server_mono_ms() + SERVER_REQ_SLICE_MS;

	for (;;) {
		int64_t wall;
		int ev = 0;
		size_t len = sizeof ev;

		if (sv->opt.speed > 0)
			server_advance(sv, server_mono_ms());
		if (!server_io_request(sv, server_mono_ms()))
			break;
		wall = server_mono_ms();
		server_heartbeat_due(sv, wall);
		if (wall >= until || sim_now(sv->sim) >= sv->floor_end)
			break;
		zmq_getsockopt(sv->router, ZMQ_EVENTS, &ev, &len);
		if (!(ev & ZMQ_POLLIN))
			break;
	}
}

int
server_run(struct server *sv)
{
	while (!sv->stop) {
		int64_t wall = server_mono_ms();
		long timeout = server_advance(sv, wall);
		zmq_pollitem_t items[3] = {
			{ sv->router, 0, ZMQ_POLLIN, 0 },
			{ NULL, sv->sigfd, ZMQ_POLLIN, 0 },
			{ sv->zap ? zap_thread_socket(sv->zap) : NULL, -1, ZMQ_POLLIN, 0 },
		};

		if (sim_now(sv->sim) >= sv->floor_end) {
			server_log(sv, "--duration reached");
			break;
		}
		wall = server_mono_ms();
		server_heartbeat_due(sv, wall);
		if (timeout > sv->next_hb - wall)
			timeout = (long)(sv->next_hb - wall);
		if (server_io_next(sv, wall) >= 0 && timeout > server_io_next(sv, wall))
			timeout = server_io_next(sv, wall);
		if (timeout < 0)
			timeout = 0;
		if (zmq_poll(items, sv->zap ? 3 : 2, timeout) < 0) {
			if (zmq_errno() == EINTR)
				continue;
			server_log(sv, "zmq_poll: %s", zmq_strerror(zmq_errno()));
			return -1;
		}
		if (items[1].revents & ZMQ_POLLIN)
			server_on_signal(sv);
		/* Handshakes are answered in their own thread; only its
		 * (budgeted) log lines come here. */
		if (items[2].revents & ZMQ_POLLIN)
			auth_log_zap(sv);
		if (items[0].revents & ZMQ_POLLIN)
			server_on_requests(sv);
	}
	return 0;
}

void
server_close(struct server *sv)
{
	struct sim_stats st;

	if (sv->sim != NULL) {
		sim_get_stats(sv->sim, &st);
		server_log(sv, "stopped: %llu events published, %llu contacts, %llu requests "
		           "(%llu malformed, %llu dropped unanswered)", (unsigned long long)sv->n_published,
		           (unsigned long long)st.contacts, (unsigned long long)sv->n_requests,
		           (unsigned long long)sv->n_bad_requests, (unsigned long long)sv->n_dropped);
	}
	server_io_close(sv);
	if (sv->live_ready)
		server_live_save(sv);
	if (sv->pub) {
		/* A second for subscribers to get what is queued (the last
		 * events of a --duration run); then go regardless. */
		int linger = 1000;
		zmq_setsockopt(sv->pub, ZMQ_LINGER, &linger, sizeof linger);
		zmq_close(sv->pub);
	}
	if (sv->router)
		zmq_close(sv->router);
	auth_close(sv);
	if (sv->zctx)
		zmq_ctx_term(sv->zctx);
	if (sv->sigfd >= 0)
		close(sv->sigfd);
	server_acd_close(sv);
	sim_free(sv->sim);
	store_close(sv->store);
	floor_free(&sv->floor);
	scenario_free(&sv->sc);
	proto_buf_free(&sv->out);
	sv->sim = NULL;
}
